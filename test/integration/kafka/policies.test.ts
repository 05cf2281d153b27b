// KafkaCluster ObserveOnly, pause and explicit adoption, against the real control plane and the
// CDSS simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  condition,
  createKafka,
  eventually,
  kafkaSpec,
  patchKafka,
  ready,
  startKafkaHarness,
  waitForKafka,
  KAFKA,
  type KafkaHarness,
} from '../../support/kafka.ts';

let h: KafkaHarness;
beforeAll(async () => {
  h = await startKafkaHarness('kafka-policy');
});
afterAll(async () => {
  await h?.stop();
});

const mutationsOn = (id: string) =>
  h.sim
    .requests()
    .filter(
      (r) =>
        r.method !== 'GET' &&
        !/getClusterInfoList|rollingUpgradeProgressCheck|getKafkaVersionConfigGroupList/.test(r.path) &&
        (r.path.endsWith(`/${id}`) || (r.body as any)?.serviceGroupInstanceNo === Number(id)),
    );

/** A running cluster no resource manages: created through a Retain resource, which then goes. */
async function unmanagedCluster(name: string): Promise<string> {
  await createKafka(h, name, kafkaSpec({ deletionPolicy: 'Retain' }));
  const o = await waitForKafka(h, name, ready);
  await h.kc.custom.deleteNamespacedCustomObject({ ...KAFKA, namespace: h.ns, name });
  await eventually(async () => !(await h.kubectl('get', 'nkafka', '--no-headers')).includes(`${name} `));
  return o.status.clusterId;
}

describe('KafkaCluster policies', () => {
  it('adopts the cluster named by spec.clusterId, then manages it', async () => {
    const id = await unmanagedCluster('orphaned');
    await createKafka(h, 'adopter', kafkaSpec({ clusterId: id, clusterName: 'orphaned' }));
    const o = await waitForKafka(h, 'adopter', ready);
    expect(o.status.clusterId).toBe(id);
    expect(h.sim.clusters().filter((c) => c.clusterName === 'orphaned')).toHaveLength(1);
    await h.kubectl('scale', 'nkafka/adopter', '--replicas=4');
    await waitForKafka(h, 'adopter', (x) => ready(x) && x.status.brokerCount === 4);
  });

  it('ObserveOnly reports drift but never adds brokers, upgrades or deletes', async () => {
    const id = await unmanagedCluster('watched');
    await createKafka(
      h,
      'observer',
      kafkaSpec({
        clusterId: id,
        clusterName: 'watched',
        managementPolicy: 'ObserveOnly',
        brokerCount: 5,
        kafkaVersionCode: 3903006,
        configGroupNo: 172,
      }),
    );
    const o = await waitForKafka(h, 'observer', (x) => condition(x, 'Reconciling')?.reason === 'Drifted');
    expect(condition(o, 'Reconciling').message).toMatch(/5 brokers.*3903006/);
    expect(o.status.bootstrapServers.plaintext).toBeDefined();
    await h.kc.custom.deleteNamespacedCustomObject({ ...KAFKA, namespace: h.ns, name: 'observer' });
    await eventually(async () => !(await h.kubectl('get', 'nkafka', '--no-headers')).includes('observer '));
    expect(mutationsOn(id)).toEqual([]);
    expect(h.sim.cluster(id)?.status).toBe('running');
  });

  it('the pause annotation stops all cloud calls until it is removed', async () => {
    await createKafka(h, 'held', kafkaSpec());
    const o = await waitForKafka(h, 'held', ready);
    const id = o.status.clusterId;
    await patchKafka(h, 'held', { metadata: { annotations: { 'cdo.dev/paused': 'true' } } });
    await waitForKafka(h, 'held', (x) => x.status?.phase === 'Paused');
    const count = () =>
      h.sim.requests().filter((r) => r.path.endsWith(`/${id}`) || (r.body as any)?.serviceGroupInstanceNo === Number(id)).length;
    const before = count();
    await h.kubectl('scale', 'nkafka/held', '--replicas=4');
    await new Promise((r) => setTimeout(r, 4000));
    expect(count()).toBe(before);
    await patchKafka(h, 'held', { metadata: { annotations: { 'cdo.dev/paused': null } } });
    await waitForKafka(h, 'held', (x) => ready(x) && x.status.brokerCount === 4);
  });
});
