// C4 list (spec §5.4, §6 #4): 1-based paging with isFirst/isLast/totalPage, default page size 10,
// inputText partial match, vpcName exact match, serviceGroupInstanceNo as a String.
import { afterEach, describe, expect, it } from 'vitest';
import { ERR, type CdssSimulator } from '../../../src/simulators/cdss/index.ts';
import { call, createCluster, KR, startSim } from './helpers.ts';

let sim: CdssSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const LIST = `${KR}/cluster/getClusterInfoList`;

describe('cdss simulator: list clusters', () => {
  it('pages are 1-based with isFirst/isLast/totalPage; default page size 10', async () => {
    const s = await startSim({ provisionMs: 60_000 });
    sim = s.sim;
    const ids: string[] = [];
    for (let k = 1; k <= 12; k++) ids.push(await createCluster(sim, s.cred, { clusterName: `app-${String(k).padStart(2, '0')}` }));

    const def = (await call(sim, s.cred, 'POST', LIST, {})).json.result;
    expect(def).toMatchObject({ currentPage: 1, isFirst: true, isLast: false, pageSize: 10, totalCount: 12, totalPage: 2 });
    expect(def.allowedClusters).toHaveLength(10);
    expect(def.disallowedClusters).toEqual([]);

    const p1 = (await call(sim, s.cred, 'POST', LIST, { pageNo: 1, pageSize: 5 })).json.result;
    const p3 = (await call(sim, s.cred, 'POST', LIST, { pageNo: '3', pageSize: '5' })).json.result;
    expect(p1).toMatchObject({ currentPage: 1, isFirst: true, isLast: false, totalPage: 3 });
    expect(p3).toMatchObject({ currentPage: 3, isFirst: false, isLast: true, totalPage: 3 });
    expect(p3.allowedClusters.map((c: any) => c.serviceGroupInstanceNo)).toEqual(ids.slice(10));
    const item = p1.allowedClusters[0];
    expect(typeof item.serviceGroupInstanceNo).toBe('string'); // §6 #3
    expect(item).toMatchObject({
      clusterName: 'app-01',
      serverStatus: 'creating',
      kafkaBrokerPort: 9092,
      kafkaBrokerTlsPort: 9093,
      zookeeperPort: 2181,
      vpcNo: 1001,
      vpcName: 'vpc-1001',
    });

    // Old docs put paging in the query string (§5.4, §7): honoured when the body has none.
    const q = (await call(sim, s.cred, 'POST', `${LIST}?pageNo=2&pageSize=10`, {})).json.result;
    expect(q).toMatchObject({ currentPage: 2, isLast: true });
    expect(q.allowedClusters).toHaveLength(2);

    expect((await call(sim, s.cred, 'POST', LIST, { pageNo: 0 })).json).toMatchObject({ code: ERR.INVALID_PARAMETER, result: null });
  });

  it('inputText matches partially; vpcName matches exactly; empty results are first and last', async () => {
    const s = await startSim();
    sim = s.sim;
    await createCluster(sim, s.cred, { clusterName: 'orders-prod' });
    await createCluster(sim, s.cred, { clusterName: 'orders-dev', vpcNo: 5 });
    await createCluster(sim, s.cred, { clusterName: 'billing' });
    const names = async (body: unknown) =>
      (await call(sim!, s.cred, 'POST', LIST, body)).json.result.allowedClusters.map((c: any) => c.clusterName);
    expect(await names({ inputText: 'orders' })).toEqual(['orders-prod', 'orders-dev']);
    expect(await names({ inputText: 'ders-p' })).toEqual(['orders-prod']);
    expect(await names({ vpcName: 'vpc-5' })).toEqual(['orders-dev']);
    expect(await names({ vpcName: 'vpc-' })).toEqual([]);
    const empty = (await call(sim, s.cred, 'POST', LIST, { inputText: 'nothing' })).json.result;
    expect(empty).toMatchObject({ totalCount: 0, isFirst: true, isLast: true, allowedClusters: [] });
    // An empty body is fine (TF sends none).
    expect((await call(sim, s.cred, 'POST', LIST)).json.result.totalCount).toBe(3);
  });
});
