// Explicit adoption by spec.clusterId, ObserveOnly, the pause annotation, and a cluster terminated
// outside the operator, against the real control plane and the Hadoop Eco simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cloudRequests,
  condition,
  createHec,
  getHec,
  hecSpec,
  patchHec,
  startHarness,
  waitForHec,
  HEC,
  eventually,
  credentialId,
  credentialSecret,
  type Harness,
} from '../../support/hadoop-eco.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('hec-policy');
});
afterAll(async () => {
  await h?.stop();
});

/** Creates a cluster directly in the cloud, as someone outside the operator would. */
async function cloudCluster(name: string, workerCnt = 2): Promise<string> {
  const body = {
    name,
    clusterType: 'hadoop',
    clusterVersion: 'hde-2.0.1',
    isHa: false,
    keypairName: 'kp',
    masterFlavorName: 'm2a.xlarge',
    masterVolumeSize: 50,
    workerCnt,
    workerFlavorName: 'm2a.xlarge',
    workerVolumeSize: 100,
    monitoring: false,
    securityGroupName: 'sg',
    vpcId: 'v',
    subnetId: 's',
    config: { hdfsReplication: 2, hdfsBlockSize: 128 },
  };
  const res = await fetch(`${h.sim.url}/v2/hadoop-eco/clusters`, {
    method: 'POST',
    headers: { 'Credential-ID': credentialId, 'Credential-Secret': credentialSecret, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const { id } = (await res.json()) as { id: string };
  await h.sim.waitFor(id, (c) => c.status === 'Running');
  return id;
}

const mutationsOn = (id: string) => cloudRequests(h, { mutations: true }).filter((r) => r.path.includes(id));

describe('HadoopEcoCluster policies', () => {
  it('adopts an existing cluster named by spec.clusterId instead of creating one', async () => {
    const id = await cloudCluster('legacy-etl');
    await createHec(h, 'legacy', hecSpec({ clusterId: id, clusterName: 'legacy-etl' }));
    const o = await waitForHec(h, 'legacy', (x) => x.status?.phase === 'Running' && condition(x, 'Ready')?.status === 'True');
    expect(o.status.clusterId).toBe(id);
    expect(o.status.vms).toHaveLength(3);
    expect(cloudRequests(h, { mutations: true }).filter((r) => r.method === 'POST' && (r.body as any)?.name === 'legacy-etl')).toHaveLength(
      1,
    ); // ours above only
    // It is managed from now on: scaling goes through.
    await h.kubectl('scale', 'hec/legacy', '--replicas=3');
    await waitForHec(h, 'legacy', (x) => x.status?.workerCount === 3 && condition(x, 'Ready')?.status === 'True');
  });

  it('ObserveOnly reports the cluster but never scales, deletes or creates', async () => {
    const id = await cloudCluster('watched-only');
    await createHec(h, 'watched', hecSpec({ clusterId: id, clusterName: 'watched-only', managementPolicy: 'ObserveOnly', workerCount: 3 }));
    const o = await waitForHec(h, 'watched', (x) => x.status?.phase === 'Running' && condition(x, 'Reconciling')?.reason === 'Drifted');
    expect(o.status.workerCount).toBe(2);
    expect(condition(o, 'Ready')?.status).toBe('False');
    expect(o.metadata.finalizers ?? []).not.toContain('cdo.dev/finalizer');
    await h.kc.custom.deleteNamespacedCustomObject({ ...HEC, namespace: h.ns, name: 'watched' });
    await eventually(async () => !(await h.kubectl('get', 'hec', '--no-headers')).includes('watched '));
    expect(mutationsOn(id)).toEqual([]);
    expect(h.sim.cluster(id)?.status).toBe('Running');
    // And without a clusterId it refuses to create anything.
    await createHec(h, 'observer', hecSpec({ managementPolicy: 'ObserveOnly' }));
    const s = await waitForHec(h, 'observer', (x) => condition(x, 'Stalled')?.status === 'True');
    expect(condition(s, 'Stalled').reason).toBe('ClusterIdRequired');
    expect(cloudRequests(h).filter((r) => (r.body as any)?.name === 'observer')).toEqual([]);
  });

  it('the pause annotation stops every cloud change until it is removed, and previews the edit meanwhile', async () => {
    await createHec(h, 'held', hecSpec());
    const o = await waitForHec(h, 'held', (x) => x.status?.phase === 'Running');
    const id = o.status.clusterId;
    await patchHec(h, 'held', { metadata: { annotations: { 'cdo.dev/paused': 'true' } } });
    await waitForHec(h, 'held', (x) => x.status?.phase === 'Paused');
    const mutations = () => cloudRequests(h, { mutations: true }).filter((r) => r.path.includes(id)).length;
    const before = mutations();
    await h.kubectl('scale', 'hec/held', '--replicas=3');
    // Paused, the operator still reads the cloud to preview the edit, and changes nothing.
    const paused = await waitForHec(h, 'held', (x) => x.status?.pendingChanges?.[0]?.to === '3 workers');
    expect(paused.status.pendingChanges).toEqual([
      expect.objectContaining({ action: 'ScaleOut', from: '2 workers', waitingFor: 'Nothing' }),
    ]);
    expect(condition(paused, 'Reconciling')?.reason).toBe('Paused');
    expect(condition(paused, 'Reconciling')?.message).toContain('then: adding 1 workers (2 → 3)');
    await new Promise((r) => setTimeout(r, 4000)); // several poll periods
    expect(mutations()).toBe(before);
    expect((await getHec(h, 'held')).status.workerCount).toBe(2);
    await patchHec(h, 'held', { metadata: { annotations: { 'cdo.dev/paused': null } } });
    await waitForHec(h, 'held', (x) => x.status?.workerCount === 3 && condition(x, 'Ready')?.status === 'True');
  });

  it('a cluster terminated outside the operator becomes Failed and Stalled, and is not recreated', async () => {
    await createHec(h, 'victim', hecSpec());
    const o = await waitForHec(h, 'victim', (x) => x.status?.phase === 'Running');
    h.sim.admin.terminate(o.status.clusterId);
    const f = await waitForHec(h, 'victim', (x) => x.status?.phase === 'Failed');
    expect(condition(f, 'Stalled')).toMatchObject({ status: 'True', reason: 'ClusterTerminatedOutside' });
    expect(condition(f, 'Stalled').message).toMatch(/delete and re-apply this HadoopEcoCluster/);
    expect(condition(f, 'Ready')?.status).toBe('False');
    await new Promise((r) => setTimeout(r, 2500));
    expect(cloudRequests(h, { mutations: true }).filter((r) => r.method === 'POST' && (r.body as any)?.name === 'victim')).toHaveLength(1);
  });
});
