// Deletion needs proof and, only when a cloud call is needed, credentials: against the real control
// plane, the Hadoop Eco simulator and the operator as a child process. A resource that created
// nothing goes without credentials; a Secret deleted together with the resource (as deleting a
// namespace does) does not strand the cloud cluster; a proxy's 404 is no proof; a Secret gone after
// a restart is named in status with the way out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HEC,
  cloudRequests,
  condition,
  createHec,
  credentialId,
  credentialSecret,
  eventually,
  getHec,
  hecSpec,
  patchHec,
  startHarness,
  waitForHec,
  type Harness,
} from '../../support/hadoop-eco.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('hec-delete');
});
afterAll(async () => {
  await h?.stop();
});

const ready = (o: any) => o.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True';
const stalled = (reason: string) => (o: any) => condition(o, 'Stalled')?.status === 'True' && condition(o, 'Stalled')?.reason === reason;
const absent = (name: string) =>
  eventually(
    async () =>
      !(await getHec(h, name).then(
        () => true,
        () => false,
      )),
    30_000,
  );
const deleteHec = (name: string) => h.kc.custom.deleteNamespacedCustomObject({ ...HEC, namespace: h.ns, name });
const secret = (name: string) =>
  h.kc.core.createNamespacedSecret({ namespace: h.ns, body: { metadata: { name }, stringData: { credentialId, credentialSecret } } });

describe('HadoopEcoCluster deletion', () => {
  it('a resource whose credentials Secret does not exist, and which created nothing, is deleted at once', async () => {
    await createHec(h, 'no-creds', hecSpec({ credentialsSecretRef: { name: 'never-made' } }));
    await waitForHec(h, 'no-creds', stalled('SecretNotFound'));
    await deleteHec('no-creds');
    await absent('no-creds');
    expect(cloudRequests(h).filter((r) => JSON.stringify(r).includes('no-creds'))).toEqual([]);
  });

  it('the Secret and the resource deleted together, as deleting their namespace does, still delete the cloud cluster', async () => {
    await secret('doomed-creds');
    await createHec(h, 'doomed', hecSpec({ credentialsSecretRef: { name: 'doomed-creds' } }));
    const o = await waitForHec(h, 'doomed', ready);
    // The namespace controller deletes in no set order; the worst case is the Secret first.
    await h.kc.core.deleteNamespacedSecret({ name: 'doomed-creds', namespace: h.ns });
    await waitForHec(h, 'doomed', stalled('SecretNotFound'));
    await deleteHec('doomed');
    await absent('doomed');
    expect(h.sim.cluster(o.status.clusterId)?.status).toMatch(/^Terminat/);
  });

  it("a proxy's 404 while deleting keeps the finalizer, Stalled EndpointNotFound naming the URL; the API's answer lets it go", async () => {
    await createHec(h, 'proxied', hecSpec());
    const o = await waitForHec(h, 'proxied', ready);
    const id = o.status.clusterId as string;
    h.sim.faults.set({ routeNotFoundRate: 1, only: { paths: [`/clusters/${id}`] } });
    await deleteHec('proxied');
    const s = await waitForHec(h, 'proxied', stalled('EndpointNotFound'));
    expect(condition(s, 'Stalled').message).toContain(`${h.sim.url}/v2/hadoop-eco/clusters/${id}`);
    expect(s.metadata.finalizers).toContain('cdo.dev/finalizer');
    expect(h.sim.cluster(id)?.status).toBe('Running');
    h.sim.faults.reset();
    // The documented way to retry at once rather than at the next slow retry of a terminal error.
    await patchHec(h, 'proxied', { metadata: { annotations: { 'cdo.dev/reconcile-requested-at': new Date().toISOString() } } });
    await absent('proxied');
    expect(h.sim.cluster(id)?.status).toMatch(/^Terminated/);
  });

  it('with its Secret gone after a restart, deleting stalls naming the Secret and the way out; deletionPolicy Retain lets go', async () => {
    await secret('stranded-creds');
    await createHec(h, 'stranded', hecSpec({ credentialsSecretRef: { name: 'stranded-creds' } }));
    const o = await waitForHec(h, 'stranded', ready);
    await h.op.stop();
    await h.kc.core.deleteNamespacedSecret({ name: 'stranded-creds', namespace: h.ns });
    const op = h.startOperator('operator-hec-delete-2');
    await op.waitForLog((l) => l.msg === 'controller started');
    await deleteHec('stranded');
    // The restarted operator may report SecretNotFound before it sees the deletion: wait for the deletion's pass.
    const s = await waitForHec(h, 'stranded', (o) => stalled('SecretNotFound')(o) && o.status.phase === 'Deleting');
    expect(condition(s, 'Stalled').message).toContain(`Secret ${h.ns}/stranded-creds does not exist`);
    expect(condition(s, 'Stalled').message).toMatch(/spec\.deletionPolicy to Retain/);
    expect(s.status.phase).toBe('Deleting');
    await patchHec(h, 'stranded', { spec: { deletionPolicy: 'Retain' } });
    await absent('stranded');
    expect(h.sim.cluster(o.status.clusterId)?.status).toBe('Running');
  });
});
