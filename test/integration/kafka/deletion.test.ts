// KafkaCluster deletion needs proof and, only when a cloud call is needed, credentials: against the
// real control plane, the CDSS simulator and the operator as a child process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/operator-process.ts';
import {
  KAFKA,
  condition,
  createKafka,
  getKafka,
  kafkaSpec,
  patchKafka,
  ready,
  startKafkaHarness,
  waitForKafka,
  type KafkaHarness,
} from '../../support/kafka.ts';

let h: KafkaHarness;
beforeAll(async () => {
  h = await startKafkaHarness('kafka-delete');
});
afterAll(async () => {
  await h?.stop();
});

const stalled = (reason: string) => (o: any) => condition(o, 'Stalled')?.status === 'True' && condition(o, 'Stalled')?.reason === reason;
const absent = (name: string) =>
  eventually(
    async () =>
      !(await getKafka(h, name).then(
        () => true,
        () => false,
      )),
    30_000,
  );
const deleteKafka = (name: string) => h.kc.custom.deleteNamespacedCustomObject({ ...KAFKA, namespace: h.ns, name });

describe('KafkaCluster deletion', () => {
  it('a resource whose API key Secret does not exist, and which created nothing, is deleted at once', async () => {
    await createKafka(h, 'nokey', kafkaSpec({ credentialsSecretRef: { name: 'never-made' } }));
    await waitForKafka(h, 'nokey', stalled('SecretNotFound'));
    await deleteKafka('nokey');
    await absent('nokey');
    expect(h.sim.requests().filter((r) => JSON.stringify(r).includes('nokey'))).toEqual([]);
  });

  it("a proxy's 404 while deleting keeps the finalizer, Stalled EndpointNotFound naming the URL; CDSS's answer lets it go", async () => {
    await createKafka(h, 'proxied', kafkaSpec());
    const o = await waitForKafka(h, 'proxied', ready);
    const id = o.status.clusterId as string;
    h.sim.faults.set({ routeNotFoundRate: 1, only: { paths: [`/getClusterInfoList/${id}`] } });
    await deleteKafka('proxied');
    const s = await waitForKafka(h, 'proxied', stalled('EndpointNotFound'));
    expect(condition(s, 'Stalled').message).toContain(`${h.sim.baseUrl('KR')}/cluster/getClusterInfoList/${id}`);
    expect(s.metadata.finalizers).toContain('cdo.dev/finalizer');
    expect(h.sim.cluster(id)?.status).toBe('running');
    h.sim.faults.reset();
    await patchKafka(h, 'proxied', { metadata: { annotations: { 'cdo.dev/reconcile-requested-at': new Date().toISOString() } } });
    await absent('proxied');
    expect(h.sim.cluster(id)?.status).toBe('return');
  });
});
