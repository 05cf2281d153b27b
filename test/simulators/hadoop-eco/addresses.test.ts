// The simulator's private addresses: 5,000 clusters get theirs (it used to loop forever at about
// 2,000 addresses), scale-in and termination return them, and a pool that ever runs out answers
// 503 at once rather than hanging or taking part of what a request needs.
import { afterEach, describe, expect, it } from 'vitest';
import type { HadoopEcoSimulator } from '../../../src/simulators/hadoop-eco/index.ts';
import { API, call, createCluster, startSim, validBody, waitForStatus } from './helpers.ts';

let sim: HadoopEcoSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const ips = async (s: HadoopEcoSimulator, cred: Parameters<typeof call>[1], id: string): Promise<string[]> =>
  (await call(s, cred, 'GET', `${API}/${id}/vms?size=100`)).json.content.map((v: any) => v.ip);

describe('hadoop-eco simulator: private addresses', () => {
  it('serves 5,000 clusters (15,000 VMs), each VM with its own address', { timeout: 120_000 }, async () => {
    const s = await startSim({ timeScale: 0 });
    sim = s.sim;
    const ids: string[] = [];
    for (let i = 0; i < 5000; i += 250) {
      ids.push(...(await Promise.all(Array.from({ length: 250 }, () => createCluster(s.sim, s.cred)))));
    }
    expect(new Set(ids).size).toBe(5000);
    const sample = (await Promise.all(ids.slice(-20).map((id) => ips(s.sim, s.cred, id)))).flat();
    expect(sample).toHaveLength(60);
    expect(new Set(sample).size).toBe(60);
    for (const ip of sample) expect(ip).toMatch(/^10\.0\.\d{1,3}\.\d{1,3}$/);
  });

  it('a full pool refuses a create or a scale-out with 503 and takes nothing; scale-in and termination give addresses back', async () => {
    const s = await startSim({ timeScale: 0, addressPoolSize: 9 });
    sim = s.sim;
    const a = await createCluster(s.sim, s.cred, { workerCnt: 4 }); // 5 addresses
    await waitForStatus(s.sim, a, 'Running');
    const b = await createCluster(s.sim, s.cred, { workerCnt: 3 }); // 4: the pool is full
    await waitForStatus(s.sim, b, 'Running');
    const full = await call(s.sim, s.cred, 'POST', API, validBody({ workerCnt: 2 }));
    expect(full.status).toBe(503);
    expect(full.json.message).toMatch(/0 free addresses, 3 needed/);
    expect((await call(s.sim, s.cred, 'POST', `${API}/${b}/scale-out`, { scaleCnt: 1 })).status).toBe(503);
    // Scale-in frees two addresses: a scale-out of two fits again, a third does not.
    expect((await call(s.sim, s.cred, 'POST', `${API}/${a}/scale-in`, { scaleCnt: 2 })).status).toBe(200);
    await s.sim.waitFor(a, (c) => c.isScalable);
    expect((await call(s.sim, s.cred, 'POST', `${API}/${b}/scale-out`, { scaleCnt: 2 })).status).toBe(200);
    await s.sim.waitFor(b, (c) => c.isScalable);
    expect((await call(s.sim, s.cred, 'POST', API, validBody({ workerCnt: 2 }))).status).toBe(503);
    // Terminating a frees its three; a cluster of three fits.
    expect((await call(s.sim, s.cred, 'DELETE', `${API}/${a}`)).status).toBe(200);
    await s.sim.waitFor(a, (c) => c.status.startsWith('Terminated'));
    const c = await createCluster(s.sim, s.cred, { workerCnt: 2 });
    await waitForStatus(s.sim, c, 'Running');
    expect(new Set([...(await ips(s.sim, s.cred, b)), ...(await ips(s.sim, s.cred, c))]).size).toBe(9);
  });
});
