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

  it('paused: the cloud is read and the plan previewed in status, but nothing is changed until the annotation goes', async () => {
    await createKafka(h, 'held', kafkaSpec());
    const o = await waitForKafka(h, 'held', ready);
    const id = o.status.clusterId;
    await patchKafka(h, 'held', { metadata: { annotations: { 'cdo.dev/paused': 'true' } } });
    await waitForKafka(h, 'held', (x) => x.status?.phase === 'Paused');
    const reads = () => h.sim.requests().filter((r) => /getClusterInfoList\//.test(r.path) && r.path.endsWith(`/${id}`)).length;
    const mutations = mutationsOn(id).length;
    const readsWhenPaused = reads();
    await h.kubectl('scale', 'nkafka/held', '--replicas=4');
    // The edit is observed and planned: status previews it, and nothing is started.
    const preview = await waitForKafka(
      h,
      'held',
      (x) => x.status.observedGeneration === x.metadata.generation && x.status.pendingChanges?.some((c: any) => c.action === 'AddBrokers'),
    );
    expect(preview.status.phase).toBe('Paused');
    expect(preview.status.pendingChanges).toEqual([
      {
        id: expect.stringMatching(/^ab-[0-9a-f]{6}$/),
        action: 'AddBrokers',
        from: '3 brokers',
        to: '4 brokers',
        disruption: 'None',
        waitingFor: 'Nothing',
      },
    ]);
    expect(condition(preview, 'Reconciling')).toMatchObject({ status: 'True', reason: 'Paused' });
    expect(condition(preview, 'Reconciling').message).toMatch(/then: adding 1 brokers \(3 → 4\)/);
    expect(preview.status.brokerCount).toBe(3);
    // Later passes keep reading the cloud (at the steady poll) and still change nothing.
    const readsAtPreview = reads();
    expect(readsAtPreview).toBeGreaterThan(readsWhenPaused);
    await eventually(() => reads() > readsAtPreview, 15_000);
    expect(mutationsOn(id)).toHaveLength(mutations);
    expect(h.sim.cluster(id)?.brokerNodeCount).toBe(3);
    await patchKafka(h, 'held', { metadata: { annotations: { 'cdo.dev/paused': null } } });
    await waitForKafka(h, 'held', (x) => ready(x) && x.status.brokerCount === 4 && !x.status.pendingChanges);
    expect(mutationsOn(id).filter((r) => r.path.includes('/changeCountOfBrokerNode/'))).toHaveLength(1);
  });
});
