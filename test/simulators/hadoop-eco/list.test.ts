// Paging, sorting and filtering of the cluster and VM lists, reproducing the semantics of the
// seed's list examples (spec §2.3, §2.4, §5 #6, #7): 0-based pages with offset = page*size,
// substring name filter, includeTerminated defaulting to true, repeatable sort.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HadoopEcoSimulator, SimulatorCredential } from '../../../src/simulators/hadoop-eco/index.ts';
import { API, call, createCluster, startSim, waitForStatus } from './helpers.ts';

let sim: HadoopEcoSimulator;
let cred: SimulatorCredential;
const ids: Record<string, string> = {};
const sally: string[] = [];

beforeAll(async () => {
  // A clock that advances 1 s per reading makes createdAt strictly increasing and sorts exact.
  let clock = 1716359078000;
  ({ sim, cred } = await startSim({ provisionMs: 60_000, terminateMs: 0, now: () => (clock += 1000) }));
  // The seed's example 1 shows three terminated clusters all named sally-kbctest.
  for (let k = 0; k < 3; k++) {
    const id = await createCluster(sim, cred, { name: 'sally-kbctest' });
    await call(sim, cred, 'DELETE', `${API}/${id}`);
    await waitForStatus(sim, id, 'Terminated(User)');
    sally.push(id);
  }
  for (const name of ['andy-cluster-test-01', 'test', 'prod-a', 'prod-b', 'prod-c', 'zeta', 'alpha', 'mid-test-x'])
    ids[name] = await createCluster(sim, cred, { name });
});
afterAll(async () => {
  await sim.close();
});

const list = async (q: string) => {
  const r = await call(sim, cred, 'GET', `${API}${q}`);
  expect(r.status, r.text).toBe(200);
  return r.json;
};

describe('hadoop-eco simulator: cluster list', () => {
  it('defaults: page 0, size 20, includeTerminated=true, sort createdAt,desc', async () => {
    const p = await list('');
    expect(p.totalElements).toBe(11);
    expect(p.content).toHaveLength(11);
    expect(p.pageable).toEqual({
      pageNumber: 0,
      pageSize: 20,
      sort: { sorted: true, unsorted: false, empty: false },
      offset: 0,
      paged: true,
      unpaged: false,
    });
    expect(p).toMatchObject({
      totalPages: 1,
      last: true,
      first: true,
      empty: false,
      numberOfElements: 11,
      size: 20,
      number: 0,
      sort: { sorted: true, unsorted: false, empty: false },
    });
    const created = p.content.map((c: any) => c.createdAt);
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(p.content.at(-1).name).toBe('sally-kbctest');
    expect(Object.keys(p.content[0])).toEqual([
      'id',
      'name',
      'status',
      'owner',
      'clusterType',
      'clusterVersion',
      'isScalable',
      'apiKeyStatus',
      'masterCnt',
      'workerCnt',
      'nodeCnt',
      'createdAt',
      'runningAt',
      'elapsedTime',
    ]);
  });

  it('example 1: page=2,size=3 is 0-based with offset 6; sort=name,desc&sort=status,asc', async () => {
    const p = await list('?page=2&size=3&includeTerminated=true&sort=name,desc&sort=status,asc');
    // names desc: zeta, test, sally×3, prod-c, prod-b, prod-a, mid-test-x, andy-…, alpha
    expect(p.content.map((c: any) => c.name)).toEqual(['prod-b', 'prod-a', 'mid-test-x']);
    expect(p.pageable).toMatchObject({ pageNumber: 2, pageSize: 3, offset: 6 });
    expect(p).toMatchObject({ totalPages: 4, totalElements: 11, last: false, first: false, number: 2, size: 3, numberOfElements: 3 });
    const page0 = await list('?page=0&size=3&sort=name,desc&sort=status,asc');
    expect(page0.content.map((c: any) => c.name)).toEqual(['zeta', 'test', 'sally-kbctest']);
    const last = await list('?page=3&size=3&sort=name,desc');
    expect(last).toMatchObject({ last: true, numberOfElements: 2 });
    const past = await list('?page=9&size=3');
    expect(past).toMatchObject({ content: [], empty: true, last: true, numberOfElements: 0, totalElements: 11 });
  });

  it('terminated tombstones: same name three times, counts 0, isScalable false, excluded by includeTerminated=false', async () => {
    const p = await list('?name=sally');
    expect(p.content).toHaveLength(3);
    for (const c of p.content) {
      expect(c).toMatchObject({
        status: 'Terminated(User)',
        isScalable: false,
        apiKeyStatus: 'impossible',
        masterCnt: 0,
        workerCnt: 0,
        nodeCnt: 0,
      });
      expect(sally).toContain(c.id);
    }
    expect((await list('?name=sally&includeTerminated=false')).totalElements).toBe(0);
    expect((await list('?includeTerminated=false')).totalElements).toBe(8);
  });

  it('example 2: name is a substring filter, apiKeyStatus a like-match (the seed\'s "impossibl" typo still matches)', async () => {
    const p = await list('?page=0&size=5&includeTerminated=false&name=test&sort=createdAt,asc&apiKeyStatus=impossibl');
    expect(p.content.map((c: any) => c.name)).toEqual(['andy-cluster-test-01', 'test', 'mid-test-x']);
    expect(p).toMatchObject({ totalElements: 3, totalPages: 1, last: true, first: true, size: 5 });
    expect((await list('?name=TEST&includeTerminated=false')).totalElements).toBe(3);
    expect((await list('?apiKeyStatus=possible&includeTerminated=false')).totalElements).toBe(8); // "impossible" contains "possible"
    expect((await list('?apiKeyStatus=applied')).totalElements).toBe(0);
  });

  it('sort with several fields in one parameter, and ascending by default', async () => {
    const p = await list('?sort=name&includeTerminated=false&size=3');
    expect(p.content.map((c: any) => c.name)).toEqual(['alpha', 'andy-cluster-test-01', 'mid-test-x']);
    // Both fields descending: Terminated(User) > Initializing, then zeta > test.
    const q = await list('?sort=status,name,desc&size=4');
    expect(q.content.map((c: any) => c.name)).toEqual(['sally-kbctest', 'sally-kbctest', 'sally-kbctest', 'zeta']);
  });

  it('400 for an unknown sort property or a bad boolean; Spring-style leniency for page/size', async () => {
    const bad = await call(sim, cred, 'GET', `${API}?sort=flavor,asc`);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/sort: no property 'flavor'/);
    const b = await call(sim, cred, 'GET', `${API}?includeTerminated=maybe`);
    expect(b.status).toBe(400);
    expect(b.json.message).toMatch(/includeTerminated/);
    const lenient = await list('?page=-1&size=abc');
    expect(lenient.pageable).toMatchObject({ pageNumber: 0, pageSize: 20 });
  });
});

describe('hadoop-eco simulator: VM list', () => {
  let id: string;
  beforeAll(async () => {
    const s = await startSim({ provisionMs: 0 });
    const vmSim = s.sim;
    id = await createCluster(vmSim, s.cred, {
      name: 'hailey13',
      isHa: true,
      workerCnt: 3,
      config: { hdfsReplication: 2, hdfsBlockSize: 128 },
    });
    await waitForStatus(vmSim, id, 'Running');
    vmCall = (q) => call(vmSim, s.cred, 'GET', `${API}/${id}/vms${q}`);
    closeVmSim = () => vmSim.close();
  });
  let vmCall: (q: string) => Promise<{ status: number; json: any }>;
  let closeVmSim: () => Promise<void>;
  afterAll(async () => {
    await closeVmSim();
  });

  it('example 1: sort=name,asc pages of 10', async () => {
    const r = await vmCall('?sort=name,asc&page=0&size=10');
    expect(r.json.content.map((v: any) => v.name)).toEqual([
      'HadoopMST-hailey13-1',
      'HadoopMST-hailey13-2',
      'HadoopMST-hailey13-3',
      'HadoopWRK-hailey13-1',
      'HadoopWRK-hailey13-2',
      'HadoopWRK-hailey13-3',
    ]);
    expect(r.json.content.map((v: any) => v.index)).toEqual([1, 2, 3, 1, 2, 3]);
    expect(r.json).toMatchObject({ totalElements: 6, totalPages: 1, size: 10, number: 0, last: true, first: true });
  });

  it('example 2: name=WRK, sort=name,desc&sort=status,asc', async () => {
    const r = await vmCall('?name=WRK&page=0&size=10&sort=name,desc&sort=status,asc');
    expect(r.status).toBe(200);
    expect(r.json.content.map((v: any) => v.name)).toEqual(['HadoopWRK-hailey13-3', 'HadoopWRK-hailey13-2', 'HadoopWRK-hailey13-1']);
    expect(r.json.content.every((v: any) => v.isMaster === false)).toBe(true);
  });

  it('example 3: name + instanceId like-filters, sort=isMaster,desc&sort=ip,asc; ip like-filter; paging', async () => {
    const all = (await vmCall('?sort=isMaster,desc&sort=ip,asc')).json.content;
    expect(all.slice(0, 3).every((v: any) => v.isMaster)).toBe(true);
    const masterIps = all.slice(0, 3).map((v: any) => v.ip);
    expect(masterIps).toEqual([...masterIps].sort());
    const target = all[4];
    const fragment = target.instanceId.slice(8, 13); // e.g. "-4c3b"
    const r = await vmCall(`?name=hailey13&instanceId=${fragment}&page=0&size=5&sort=isMaster,desc&sort=ip,asc`);
    expect(r.json.content.map((v: any) => v.instanceId)).toContain(target.instanceId);
    expect(r.json.content.every((v: any) => v.instanceId.includes(fragment))).toBe(true);
    const byIp = await vmCall(`?ip=${target.ip}`);
    expect(byIp.json.content.map((v: any) => v.name)).toEqual([target.name]);
    const page1 = await vmCall('?size=4&page=1&sort=name,asc');
    expect(page1.json).toMatchObject({ numberOfElements: 2, totalPages: 2, last: true, pageable: { offset: 4 } });
    expect((await vmCall('?sort=index,asc')).status).toBe(400);
  });
});
