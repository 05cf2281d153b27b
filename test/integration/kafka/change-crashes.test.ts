// KafkaCluster changes survive an operator killed at the worst moment: CDSS has carried out the
// call (a config group applied in place, a node spec change, the broker public endpoint on and
// off, the manager public domain on) but its answer has not reached the operator, which dies
// (SIGKILL) before recording anything. A restarted operator must not send the call again, and
// must end Running with the change in place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClusterView } from '../../../src/simulators/cdss/index.ts';
import {
  biggerNodeProduct,
  createCloudConfigGroup,
  createKafka,
  kafkaSpec,
  patchKafka,
  ready,
  startKafkaHarness,
  waitForKafka,
  type KafkaHarness,
} from '../../support/kafka.ts';
import type { OperatorProcess } from '../../support/operator-process.ts';

let h: KafkaHarness;
let op: OperatorProcess;
let id: string;
let restarts = 0;
beforeAll(async () => {
  h = await startKafkaHarness('kafka-crash');
  op = h.op;
  await createKafka(h, 'phoenix', kafkaSpec());
  id = (await waitForKafka(h, 'phoenix', ready)).status.clusterId;
});
afterAll(async () => {
  await h?.stop();
});

/**
 * Patches the spec with `path`'s answer held back, waits until CDSS shows `landed`, kills the
 * operator, starts a new one and waits until `done`; returns the calls sent to `path`.
 */
async function killedAfter(
  path: string,
  patch: Record<string, unknown>,
  landed: (c: AdminClusterView) => boolean,
  done: (o: any) => boolean,
) {
  h.sim.faults.set({ responseDelayMs: 5_000, only: { paths: [path] } });
  try {
    await patchKafka(h, 'phoenix', { spec: patch });
    for (let i = 0; i < 400 && !landed(h.sim.cluster(id)!); i++) await new Promise((r) => setTimeout(r, 25));
    expect(landed(h.sim.cluster(id)!)).toBe(true);
    await op.stop('SIGKILL');
  } finally {
    h.sim.faults.reset();
  }
  op = h.startOperator(`operator-restarted-${++restarts}`);
  await op.waitForLog((l) => l.msg === 'controller started' && l['controller'] === 'kafkacluster');
  const o = await waitForKafka(h, 'phoenix', (x) => ready(x) && done(x), 60_000);
  // The simulator records the held call once its late answer is out; then a few more passes of the new operator.
  const sent = () =>
    h.sim
      .requests()
      .filter(
        (r) =>
          (r.path.includes(`/${path}`) && r.path.endsWith(`/${id}`)) ||
          (r.path.includes(`/configGroup/${path}/`) && (r.body as any)?.serviceGroupInstanceNo === Number(id)),
      ).length;
  for (let i = 0; i < 200 && sent() === 0; i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 2000));
  return { o, sent: sent() };
}

describe('an operator killed right after a change call, before recording it', () => {
  it('config group applied in place (G7): not applied twice, Running on the new group', { timeout: 90_000 }, async () => {
    const group = await createCloudConfigGroup(h, 'phoenix-tuned', '3713006');
    const { o, sent } = await killedAfter(
      'setClusterKafkaConfigGroup',
      { configGroupNo: group },
      (c) => c.pendingConfigGroupNo === group || c.configGroupNo === group,
      (x) => x.status.configGroupNo === group,
    );
    expect(sent).toBe(1);
    expect(o.status.change).toBeUndefined();
  });

  it('node spec change (C9): not sent twice, Running on the new product', { timeout: 90_000 }, async () => {
    const spec = kafkaSpec();
    const { sent } = await killedAfter(
      'changeSpecNode',
      { manager: { ...(spec['manager'] as object), nodeProductCode: biggerNodeProduct } },
      (c) => c.operation === 'spec-change' || c.managerNodeProductCode === biggerNodeProduct,
      () => h.sim.cluster(id)!.managerNodeProductCode === biggerNodeProduct,
    );
    expect(sent).toBe(1);
  });

  it('broker public endpoint on (C16): not sent twice, Running with public bootstrap servers', { timeout: 90_000 }, async () => {
    const lb = String(h.sim.admin.loadBalancers().find((l) => l.vpcNo === 12345)!.instanceNo);
    const { o, sent } = await killedAfter(
      'enableBrokerNodePublicEndpoint',
      { publicAccess: { brokers: { enabled: true, loadBalancerInstanceNo: lb } } },
      (c) => c.operation === 'public-endpoint' || c.publicEndpoint !== null,
      (x) => x.status.publicAccess?.brokers?.enabled === true,
    );
    expect(sent).toBe(1);
    expect(o.status.bootstrapServers.publicPlaintext).toBeTruthy();
  });

  it('broker public endpoint off (C17, a mutating GET): not sent twice, Running without it', { timeout: 90_000 }, async () => {
    const { o, sent } = await killedAfter(
      'disableBrokerNodePublicEndpoint',
      { publicAccess: { brokers: { enabled: false } } },
      (c) => c.publicEndpoint === null,
      (x) => x.status.publicAccess?.brokers?.enabled === false,
    );
    expect(sent).toBe(1);
    expect(o.status.bootstrapServers.publicPlaintext).toBeUndefined();
  });

  it('manager public domain on (C19, a mutating GET): not sent twice, Running with the domain', { timeout: 90_000 }, async () => {
    const { o, sent } = await killedAfter(
      'enablePublicDomain',
      { publicAccess: { brokers: { enabled: false }, manager: { enabled: true } } },
      (c) => c.publicDomain !== null,
      (x) => x.status.publicAccess?.manager?.enabled === true,
    );
    expect(sent).toBe(1);
    expect(o.status.publicAccess.manager.domain).toBeTruthy();
  });
});
