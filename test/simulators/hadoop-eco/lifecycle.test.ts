// The state machine: provisioning, scale-out/in (spec §2.6, §2.7, §3.2), delete → tombstone
// (§2.5, §6.5), job clusters by terminationPolicy (§3.4), apiKeyStatus (§3.6), admin hooks.
import { afterEach, describe, expect, it } from 'vitest';
import type { HadoopEcoSimulator, SimulatorCredential } from '../../../src/simulators/hadoop-eco/index.ts';
import { JOB_FAILURE_MARKER } from '../../../src/simulators/hadoop-eco/index.ts';
import { API, call, createCluster, startSim, waitForStatus } from './helpers.ts';

let sim: HadoopEcoSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function running(
  opts: Parameters<typeof startSim>[0] = {},
  body: Record<string, unknown> = {},
): Promise<{ sim: HadoopEcoSimulator; cred: SimulatorCredential; id: string }> {
  const s = await startSim(opts);
  sim = s.sim;
  const id = await createCluster(s.sim, s.cred, body);
  await waitForStatus(s.sim, id, 'Running');
  return { ...s, id };
}

const workerNames = async (s: HadoopEcoSimulator, cred: SimulatorCredential, id: string) =>
  (await call(s, cred, 'GET', `${API}/${id}/vms?name=WRK&sort=name,asc`)).json.content.map((v: any) => v.name);

describe('hadoop-eco simulator: provisioning', () => {
  it('Initializing (not scalable, no URLs, runningAt null) → Running', async () => {
    const s = await startSim({ provisionMs: 150 });
    sim = s.sim;
    const id = await createCluster(sim, s.cred, { name: 'prov' });
    const d = (await call(sim, s.cred, 'GET', `${API}/${id}`)).json;
    expect(d).toMatchObject({
      status: 'Initializing',
      isScalable: false,
      masterCnt: 1,
      workerCnt: 2,
      nodeCnt: 3,
      runningAt: null,
      elapsedTime: 0,
    });
    expect(d.nameNodeUrl).toBeUndefined();
    expect((await call(sim, s.cred, 'POST', `${API}/${id}/scale-out`, { scaleCnt: 1 })).status).toBe(409);
    await waitForStatus(sim, id, 'Running');
    const r = (await call(sim, s.cred, 'GET', `${API}/${id}`)).json;
    expect(r).toMatchObject({ status: 'Running', isScalable: true });
    expect(r.runningAt).toBeGreaterThanOrEqual(r.createdAt);
  });

  it('timeScale multiplies the delays', async () => {
    const s = await startSim({ provisionMs: 10_000, timeScale: 0.005 });
    sim = s.sim;
    const id = await createCluster(sim, s.cred);
    await waitForStatus(sim, id, 'Running', 2000);
  });
});

describe('hadoop-eco simulator: scaling', () => {
  it('scale-out keeps Running with isScalable=false until done, then adds workers with the next indexes', async () => {
    const { sim: s, cred, id } = await running({ scaleMs: 150 }, { name: 'so', workerCnt: 2 });
    const r = await call(s, cred, 'POST', `${API}/${id}/scale-out`, { scaleCnt: 3 });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ id, name: 'so', status: 'Running' });
    const during = (await call(s, cred, 'GET', `${API}/${id}`)).json;
    expect(during).toMatchObject({ status: 'Running', isScalable: false, workerCnt: 2 });
    // A second scale while one is in flight conflicts.
    const again = await call(s, cred, 'POST', `${API}/${id}/scale-out`, { scaleCnt: 1 });
    expect(again.status).toBe(409);
    expect(again.json.message).toMatch(/not scalable/);
    await s.waitFor(id, (c) => c.isScalable);
    expect((await call(s, cred, 'GET', `${API}/${id}`)).json).toMatchObject({ workerCnt: 5, nodeCnt: 6, isScalable: true });
    expect(await workerNames(s, cred, id)).toEqual([
      'HadoopWRK-so-1',
      'HadoopWRK-so-2',
      'HadoopWRK-so-3',
      'HadoopWRK-so-4',
      'HadoopWRK-so-5',
    ]);
  });

  it('scale-in removes the highest indexes and refuses to go below hdfsReplication (400)', async () => {
    const { sim: s, cred, id } = await running({}, { name: 'si', workerCnt: 5, config: { hdfsReplication: 3, hdfsBlockSize: 128 } });
    const floor = await call(s, cred, 'POST', `${API}/${id}/scale-in`, { scaleCnt: 3 });
    expect(floor.status).toBe(400);
    expect(floor.json.message).toMatch(
      /scaleCnt: remaining worker count must be greater than or equal to config\.hdfsReplication \(5 - 3 = 2 < 3\)/,
    );
    expect((await call(s, cred, 'POST', `${API}/${id}/scale-in`, { scaleCnt: 2 })).status).toBe(200);
    await s.waitFor(id, (c) => c.isScalable);
    expect((await call(s, cred, 'GET', `${API}/${id}`)).json.workerCnt).toBe(3);
    expect(await workerNames(s, cred, id)).toEqual(['HadoopWRK-si-1', 'HadoopWRK-si-2', 'HadoopWRK-si-3']);
    // Scale-out after scale-in reuses the next free index.
    await call(s, cred, 'POST', `${API}/${id}/scale-out`, { scaleCnt: 1 });
    await s.waitFor(id, (c) => c.isScalable);
    expect(await workerNames(s, cred, id)).toEqual(['HadoopWRK-si-1', 'HadoopWRK-si-2', 'HadoopWRK-si-3', 'HadoopWRK-si-4']);
  });

  it('scale-in accepts POST and DELETE by default (spec §2.7)', async () => {
    const { sim: s, cred, id } = await running({ scaleMs: 0 }, { workerCnt: 4 });
    expect((await call(s, cred, 'DELETE', `${API}/${id}/scale-in`, { scaleCnt: 1 })).status).toBe(200);
    await s.waitFor(id, (c) => c.isScalable);
    expect((await call(s, cred, 'POST', `${API}/${id}/scale-in`, { scaleCnt: 1 })).status).toBe(200);
    await s.waitFor(id, (c) => c.isScalable);
    expect(s.cluster(id)?.workerCnt).toBe(2);
  });

  it.each([
    [['POST'], 'DELETE'],
    [['DELETE'], 'POST'],
  ] as const)('scaleInMethods %j answers 405 with Allow for %s', async (methods, rejected) => {
    const { sim: s, cred, id } = await running({ scaleInMethods: [...methods] }, { workerCnt: 4 });
    const r = await call(s, cred, rejected, `${API}/${id}/scale-in`, { scaleCnt: 1 });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe(methods[0]);
    expect(r.json).toMatchObject({ status: 405, error: 'Method Not Allowed', message: `Request method '${rejected}' is not supported` });
    expect((await call(s, cred, methods[0], `${API}/${id}/scale-in`, { scaleCnt: 1 })).status).toBe(200);
  });
});

describe('hadoop-eco simulator: delete', () => {
  it('DELETE → Terminating → Terminated(User) tombstone; a second DELETE is 400', async () => {
    const { sim: s, cred, id } = await running({ terminateMs: 120 }, { name: 'gone' });
    const r = await call(s, cred, 'DELETE', `${API}/${id}`);
    expect(r.json).toEqual({ id, name: 'gone', status: 'Terminating' });
    expect((await call(s, cred, 'GET', `${API}/${id}`)).json).toMatchObject({ status: 'Terminating', isScalable: false });
    expect((await call(s, cred, 'DELETE', `${API}/${id}`)).status).toBe(409);
    await waitForStatus(s, id, 'Terminated(User)');
    const d = (await call(s, cred, 'GET', `${API}/${id}`)).json;
    expect(d).toMatchObject({
      status: 'Terminated(User)',
      isScalable: false,
      masterCnt: 0,
      workerCnt: 0,
      nodeCnt: 0,
      apiKeyStatus: 'impossible',
    });
    expect(d.nameNodeUrl).toBeUndefined();
    expect(d.elapsedTime).toBeGreaterThan(0);
    expect((await call(s, cred, 'GET', `${API}/${id}/vms`)).json.totalElements).toBe(0);
    const twice = await call(s, cred, 'DELETE', `${API}/${id}`);
    expect(twice.status).toBe(400);
    expect(twice.json.message).toMatch(/already terminated/);
    expect((await call(s, cred, 'POST', `${API}/${id}/scale-out`, { scaleCnt: 1 })).status).toBe(409);
  });

  it('deleting during Initializing never reaches Running', async () => {
    const s = await startSim({ provisionMs: 200, terminateMs: 0 });
    sim = s.sim;
    const id = await createCluster(sim, s.cred);
    await call(sim, s.cred, 'DELETE', `${API}/${id}`);
    await waitForStatus(sim, id, 'Terminated(User)');
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.cluster(id)).toMatchObject({ status: 'Terminated(User)', runningAt: null });
  });
});

describe('hadoop-eco simulator: job clusters', () => {
  const job = (terminationPolicy: string, extra: Record<string, unknown> = {}) => ({
    userTask: { type: 'hive', terminationPolicy, hiveQuery: 'select 1', logBucketName: 'logs', ...extra },
  });

  it('always: Running → job → Terminating → Terminated(User Command); apiKeyStatus becomes possible', async () => {
    const { sim: s, cred, id } = await running({ jobMs: 50, terminateMs: 50 }, job('always'));
    await waitForStatus(s, id, 'Terminated(User Command)');
    const d = (await call(s, cred, 'GET', `${API}/${id}`)).json;
    expect(d).toMatchObject({ status: 'Terminated(User Command)', apiKeyStatus: 'possible', masterCnt: 0, workerCnt: 0 });
    expect(d.userTask.logUrl).toMatch(/\/logs\/HadoopEco\//);
    expect(s.cluster(id)?.job?.state).toBe('succeeded');
  });

  it('onSuccess with a failed job stays Running (admin-set outcome)', async () => {
    const { sim: s, cred, id } = await running({ jobMs: 150 }, job('onSuccess'));
    expect(
      (await fetch(`${s.url}/_admin/clusters/${id}/job-outcome`, { method: 'PUT', body: JSON.stringify({ outcome: 'failure' }) })).status,
    ).toBe(200);
    await s.waitFor(id, (c) => c.job?.state === 'failed');
    await new Promise((r) => setTimeout(r, 150));
    expect((await call(s, cred, 'GET', `${API}/${id}`)).json).toMatchObject({
      status: 'Running',
      isScalable: true,
      apiKeyStatus: 'impossible',
    });
  });

  it('onSuccess with a failed job via the marker or the jobOutcome option; success terminates', async () => {
    const s = await startSim({ jobMs: 20, terminateMs: 20, provisionMs: 20 });
    sim = s.sim;
    const marked = await createCluster(sim, s.cred, job('onSuccess', { execOpts: `--hiveconf x=${JOB_FAILURE_MARKER}` }));
    const ok = await createCluster(sim, s.cred, job('onSuccess'));
    await sim.waitFor(marked, (c) => c.job?.state === 'failed');
    await waitForStatus(sim, ok, 'Terminated(User Command)');
    expect(sim.cluster(marked)?.status).toBe('Running');

    sim.admin.setDefaultJobOutcome('failure');
    const failing = await createCluster(sim, s.cred, job('always'));
    await waitForStatus(sim, failing, 'Terminated(User Command)'); // always terminates, whatever the result
    expect(sim.cluster(failing)?.job?.state).toBe('failed');
  });

  it('never: stays Running after the job', async () => {
    const { sim: s, id } = await running({ jobMs: 20 }, job('never'));
    await s.waitFor(id, (c) => c.job?.state === 'succeeded');
    expect(s.cluster(id)?.status).toBe('Running');
  });
});

describe('hadoop-eco simulator: admin state control', () => {
  it('terminate outside the operator, fail, and force a raw status — over HTTP', async () => {
    const s = await startSim({ provisionMs: 0, terminateMs: 30 });
    sim = s.sim;
    const a = await createCluster(sim, s.cred);
    const b = await createCluster(sim, s.cred);
    const c = await createCluster(sim, s.cred);
    for (const id of [a, b, c]) await waitForStatus(sim, id, 'Running');
    const t = await fetch(`${sim.url}/_admin/clusters/${a}/terminate`, { method: 'POST' });
    expect(t.status).toBe(200);
    await waitForStatus(sim, a, 'Terminated(User)');
    const f = await fetch(`${sim.url}/_admin/clusters/${b}/fail`, { method: 'POST', body: '{}' });
    expect(((await f.json()) as any).status).toBe('Terminated(Error)');
    expect((await call(sim, s.cred, 'GET', `${API}/${b}`)).json).toMatchObject({
      status: 'Terminated(Error)',
      masterCnt: 0,
      apiKeyStatus: 'impossible',
    });
    const p = await fetch(`${sim.url}/_admin/clusters/${c}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'Pending', isScalable: false }),
    });
    expect(p.status).toBe(200);
    expect((await call(sim, s.cred, 'GET', `${API}/${c}`)).json).toMatchObject({ status: 'Pending', isScalable: false });
    const all = (await (await fetch(`${sim.url}/_admin/clusters`)).json()) as any[];
    expect(all.map((x) => x.id).sort()).toEqual([a, b, c].sort());
    expect((await fetch(`${sim.url}/_admin/clusters/nope/fail`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${sim.url}/_admin/clusters/${c}/terminate`, { method: 'POST', body: '{"status":"Running"}' })).status).toBe(400);
    expect((await fetch(`${sim.url}/_admin/reset`, { method: 'POST' })).status).toBe(200);
    expect(sim.clusters()).toEqual([]);
  });

  it('in-process admin: immediate terminate with a custom terminal status', async () => {
    const { sim: s, id } = await running();
    s.admin.terminate(id, { immediate: true, status: 'Terminated(User Command)' });
    expect(s.cluster(id)).toMatchObject({ status: 'Terminated(User Command)', workerCnt: 0 });
  });
});
