// KafkaCluster under faults: a signature the gateway rejects (wrong secret) → Stalled without a
// retry storm; a clock more than 5 minutes off is reported as such; 30 % injected 5xx/429 still
// converge with one cluster; an operator killed right after the create call does not create a
// second cluster; an upgrade CDSS refuses (10153) → Stalled with the cloud's words, no loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessKey,
  calls,
  condition,
  createKafka,
  getKafka,
  kafkaSpec,
  ready,
  startKafkaHarness,
  waitForKafka,
  type KafkaHarness,
} from '../../support/kafka.ts';

let h: KafkaHarness;
beforeAll(async () => {
  h = await startKafkaHarness('kafka-faults');
});
afterAll(async () => {
  await h?.stop();
});

const stalledWith = (reason: string) => (o: any) =>
  condition(o, 'Stalled')?.status === 'True' && condition(o, 'Stalled')?.reason === reason;

describe('KafkaCluster under faults', () => {
  it('a wrong secret key: every signature is rejected → Stalled, no retry storm, recovers when fixed', async () => {
    await h.kc.core.createNamespacedSecret({
      namespace: h.ns,
      body: { metadata: { name: 'bad-key' }, stringData: { accessKey, secretKey: 'not-the-secret' } },
    });
    // A referenced Secret's events re-reconcile its resources (the way a fixed key takes effect at
    // once). Let the operator see this Secret first, so its add event cannot arrive after the
    // resource's and count as a second attempt.
    await new Promise((r) => setTimeout(r, 1000));
    await createKafka(h, 'unsigned', kafkaSpec({ credentialsSecretRef: { name: 'bad-key' } }));
    const o = await waitForKafka(h, 'unsigned', stalledWith('CredentialsInvalid'));
    expect(condition(o, 'Stalled').message).toMatch(/Authentication Failed/);
    expect(condition(o, 'Ready').status).toBe('False');
    await new Promise((r) => setTimeout(r, 5000));
    // One attempt per refusal: the operator's own finalizer write does not call again. The refused
    // call is the config group lookup that precedes a create (§5.2), so no create was sent.
    expect(
      h.sim
        .requests()
        .filter((r) => r.status === 401)
        .map((r) => `${r.method} ${r.path}`),
    ).toHaveLength(1);
    expect(h.sim.requests().filter((r) => r.status === 401)[0]!.path).toContain('/configGroup/getKafkaVersionConfigGroupList');
    expect(h.sim.requests().filter((r) => r.path.endsWith('/createCDSSClusterReturnServiceGroupInstanceNo'))).toHaveLength(0);
    const good = (await h.kc.core.readNamespacedSecret({ name: 'ncp', namespace: h.ns })).data!;
    await h.kc.core.replaceNamespacedSecret({ name: 'bad-key', namespace: h.ns, body: { metadata: { name: 'bad-key' }, data: good } });
    await waitForKafka(h, 'unsigned', ready);
  });

  it('reports a clock more than 5 minutes off the gateway clearly, as ClockSkew', async () => {
    h.sim.admin.setClockSkew(7 * 60_000);
    try {
      await createKafka(h, 'skewed', kafkaSpec());
      const o = await waitForKafka(h, 'skewed', stalledWith('ClockSkew'));
      expect(condition(o, 'Stalled').message).toMatch(/clock is 7\.0 minutes behind the API gateway's.*NTP/);
    } finally {
      h.sim.admin.setClockSkew(0);
    }
    // With the clock right again (the Stalled retry is slow; a touch of the spec brings it back at once).
    await h.kubectl('annotate', 'nkafka/skewed', 'cdo.dev/reconcile-requested-at=now');
    await waitForKafka(h, 'skewed', ready);
  });

  it('converges through 30% injected 5xx and 429 answers, with exactly one CDSS cluster', { timeout: 180_000 }, async () => {
    h.sim.faults.set({ errorRate: 0.15, throttleRate: 0.15, retryAfterSeconds: 1 });
    try {
      await createKafka(h, 'flaky', kafkaSpec());
      await waitForKafka(h, 'flaky', ready, 120_000);
      await h.kubectl('scale', 'nkafka/flaky', '--replicas=4');
      await waitForKafka(h, 'flaky', (x) => ready(x) && x.status.brokerCount === 4, 120_000);
    } finally {
      h.sim.faults.reset();
    }
    expect(h.sim.requests().filter((r) => r.fault === 'error' || r.fault === 'throttle').length).toBeGreaterThan(0);
    expect(h.sim.clusters().filter((c) => c.clusterName === 'flaky')).toHaveLength(1);
  });

  it(
    'killed right after the create call, a restarted operator finds its cluster instead of creating a second',
    { timeout: 90_000 },
    async () => {
      h.sim.faults.set({ responseDelayMs: 10_000, only: { paths: ['createCDSSClusterReturnServiceGroupInstanceNo'] } });
      await createKafka(h, 'phoenix', kafkaSpec());
      for (let i = 0; i < 200 && !h.sim.clusters().some((c) => c.clusterName === 'phoenix'); i++)
        await new Promise((r) => setTimeout(r, 50));
      await h.op.stop('SIGKILL');
      h.sim.faults.reset();
      expect((await getKafka(h, 'phoenix')).metadata.annotations['cdo.dev/cluster-id']).toBeUndefined();
      const again = h.startOperator('operator-restarted');
      await again.waitForLog((l) => l.msg === 'controller started' && l['controller'] === 'kafkacluster');
      const o = await waitForKafka(h, 'phoenix', ready);
      const inCloud = h.sim.clusters().filter((c) => c.clusterName === 'phoenix');
      expect(inCloud).toHaveLength(1);
      expect(o.status.clusterId).toBe(inCloud[0]!.serviceGroupInstanceNo);
      for (
        let i = 0;
        i < 300 &&
        calls(h, 'createCDSSClusterReturnServiceGroupInstanceNo').filter((r) => (r.body as any)?.clusterName === 'phoenix').length === 0;
        i++
      )
        await new Promise((r) => setTimeout(r, 50));
      expect(
        calls(h, 'createCDSSClusterReturnServiceGroupInstanceNo').filter((r) => (r.body as any)?.clusterName === 'phoenix'),
      ).toHaveLength(1);
    },
  );

  it("an upgrade CDSS refuses with 10153 ends Stalled with the cloud's message, not in a retry loop", async () => {
    // A cluster already on 3.9.0, adopted by a resource that asks for 3.7.1: the operator asks,
    // CDSS answers 10153 (the target must be later than the current version).
    const ahead = await createInCloud('ahead');
    await createKafka(h, 'behind', kafkaSpec({ clusterId: ahead, clusterName: 'ahead' }));
    const o = await waitForKafka(h, 'behind', (x) => condition(x, 'Stalled')?.status === 'True');
    expect(['UpgradeRejected', 'UpgradePreCheckFailed']).toContain(condition(o, 'Stalled').reason);
    expect(condition(o, 'Stalled').message).toContain('업데이트된 Kafka 버전은 현재 클러스터 버전보다 이후여야 합니다.');
    // rollingUpgrade and rollingUpgradePreCheck calls for this cluster.
    const tries = () => calls(h, 'rollingUpgrade').filter((r) => (r.body as any)?.serviceGroupInstanceNo === Number(ahead)).length;
    const first = tries();
    await new Promise((r) => setTimeout(r, 4000));
    expect(tries()).toBe(first);
    expect(h.sim.cluster(ahead)?.kafkaVersionCode).toBe('3903006');
  });
});

/** A running 3.9.0 cluster that no resource manages: created through a Retain resource, which then goes. */
async function createInCloud(name: string): Promise<string> {
  await createKafka(h, name, kafkaSpec({ kafkaVersionCode: 3903006, configGroupNo: 172, deletionPolicy: 'Retain' }));
  const o = await waitForKafka(h, name, ready);
  await h.kc.custom.deleteNamespacedCustomObject({
    group: 'ncloud.cdo.dev',
    version: 'v1alpha1',
    plural: 'kafkaclusters',
    namespace: h.ns,
    name,
  });
  for (let i = 0; i < 100; i++) {
    if (!(await h.kubectl('get', 'nkafka', '--no-headers')).includes(`${name} `)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return o.status.clusterId;
}
