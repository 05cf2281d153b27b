// Readable status on the real control plane, with the CDSS simulator and the operator process:
// the phase never contradicts the conditions (the reported case: a KafkaCluster showed Scaling
// while it was Stalled), a paused resource that is deleted shows Deleting, and `kubectl get -o
// wide` / `kubectl explain` say what the CRDs promise for KafkaCluster and KafkaConfigGroup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phaseViolations } from '../../../src/resources/core/phases.ts';
import {
  calls,
  condition,
  configGroupSpec,
  createConfigGroup,
  createKafka,
  getKafka,
  kafkaSpec,
  patchKafka,
  ready,
  startConfigGroupHarness,
  waitForConfigGroup,
  waitForKafka,
  eventually,
  type KafkaHarness,
} from '../../support/kafka.ts';

let h: KafkaHarness;
beforeAll(async () => {
  // A broker scale-out that CDSS takes 20 s over, so a stall can land while it runs.
  h = await startConfigGroupHarness('kafka-status', { scaleMs: 20_000 });
});
afterAll(async () => {
  await h?.stop();
});

/** Reads the resource every 200 ms until stopped, collecting every status that breaks the phase rule. */
function watchRule(name: string, facts: { deleting?: boolean } = {}) {
  const broken: string[] = [];
  let seen = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const o = await getKafka(h, name).catch(() => undefined);
      if (o?.status?.conditions) {
        seen++;
        const deleting = facts.deleting ?? o.metadata.deletionTimestamp !== undefined;
        const paused = o.metadata.annotations?.['cdo.dev/paused'] === 'true';
        for (const v of phaseViolations(o.status, { deleting, paused })) broken.push(`${o.status.phase}: ${v}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { broken: [...new Set(broken)], seen };
    },
  };
}

describe('KafkaCluster status tells one story', () => {
  it('a broker scale-out that stalls reads Running (never Scaling) while Stalled, and recovers', { timeout: 150_000 }, async () => {
    await createKafka(h, 'growing', kafkaSpec());
    await waitForKafka(h, 'growing', ready);
    const rule = watchRule('growing');
    try {
      await patchKafka(h, 'growing', { spec: { brokerCount: 5 } });
      const scaling = await waitForKafka(h, 'growing', (o) => o.status?.phase === 'Scaling');
      expect(condition(scaling, 'Reconciling')).toMatchObject({ status: 'True', reason: expect.stringMatching(/AddingBrokers|CloudBusy/) });
      // While CDSS adds the brokers, every signature starts failing (a host clock 7 minutes off):
      // progress needs a human.
      h.sim.admin.setClockSkew(7 * 60_000);
      const stalled = await waitForKafka(h, 'growing', (o) => condition(o, 'Stalled')?.status === 'True');
      expect(condition(stalled, 'Stalled').reason).toBe('ClockSkew');
      expect(condition(stalled, 'Ready').status).toBe('False');
      expect(condition(stalled, 'Reconciling').status).toBe('False');
      // The reported bug: phase Scaling beside Stalled=True. The cluster runs as it was.
      expect(stalled.status.phase).toBe('Running');
      expect(phaseViolations(stalled.status)).toEqual([]);
      // kubectl get says the same in one line: Running, not Ready, and why.
      const line = (await h.kubectl('get', 'nkafka', 'growing', '--no-headers')).trim().split(/\s+/);
      expect(line.slice(3, 6)).toEqual(['Running', 'False', 'ClockSkew']);
    } finally {
      h.sim.admin.setClockSkew(0);
    }
    // The clock fixed, a touch of the annotation brings it back at once, with the brokers added.
    await h.kubectl('annotate', '--overwrite', 'nkafka/growing', `cdo.dev/reconcile-requested-at=${Date.now()}`);
    await waitForKafka(h, 'growing', (o) => ready(o) && o.status.brokerCount === 5, 90_000);
    const { broken, seen } = await rule.stop();
    expect(seen).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });

  it('a paused cluster that is deleted shows Deleting and waits for the annotation to go', { timeout: 90_000 }, async () => {
    await createKafka(h, 'held', kafkaSpec());
    await waitForKafka(h, 'held', ready);
    await h.kubectl('annotate', 'nkafka/held', 'cdo.dev/paused=true');
    await waitForKafka(h, 'held', (o) => o.status?.phase === 'Paused');
    const id = (await getKafka(h, 'held')).status.clusterId;
    const rule = watchRule('held');
    await h.kubectl('delete', 'nkafka/held', '--wait=false');
    const deleting = await waitForKafka(h, 'held', (o) => o.status?.phase === 'Deleting');
    expect(condition(deleting, 'Reconciling')).toMatchObject({ status: 'True', reason: 'Paused' });
    expect(condition(deleting, 'Reconciling').message).toMatch(/deletion waits/);
    const line = (await h.kubectl('get', 'nkafka', 'held', '--no-headers')).trim().split(/\s+/);
    expect(line.slice(3, 6)).toEqual(['Deleting', 'False', 'Paused']);
    // Paused: no delete was sent.
    await new Promise((r) => setTimeout(r, 2000));
    const deletes = () => calls(h, 'deleteCDSSCluster').filter((r) => r.path.endsWith(`/${id}`));
    expect(deletes()).toEqual([]);
    await h.kubectl('annotate', 'nkafka/held', 'cdo.dev/paused-');
    await eventually(
      async () =>
        (await getKafka(h, 'held').catch((e: { code?: number }) => (e.code === 404 ? 'gone' : undefined))) === 'gone' ? true : undefined,
      60_000,
    );
    expect(deletes()).toHaveLength(1);
    const { broken, seen } = await rule.stop();
    expect(seen).toBeGreaterThan(5); // the rule was checked against statuses, not an empty watch
    expect(broken).toEqual([]);
  });
});

describe('kubectl get -o wide and kubectl explain', () => {
  it('KafkaCluster: Reason by default; the cluster id, last transition and message with -o wide', async () => {
    await createKafka(h, 'listed', kafkaSpec());
    const o = await waitForKafka(h, 'listed', ready);
    const plain = await h.kubectl('get', 'nkafka', 'listed');
    expect(plain).toMatch(/PHASE\s+READY\s+REASON\s+PENDING\s+NEXT WINDOW\s+BOOTSTRAP\s+AGE/);
    expect(plain).not.toMatch(/MESSAGE|CLUSTER ID/);
    const wide = await h.kubectl('get', 'nkafka', 'listed', '-o', 'wide');
    expect(wide.split('\n')[0]).toMatch(
      /PHASE\s+READY\s+REASON\s+PENDING\s+NEXT WINDOW\s+HELD\s+BOOTSTRAP\s+CLUSTER ID\s+LAST TRANSITION\s+AGE\s+MESSAGE/,
    );
    const row = wide.split('\n')[1]!;
    expect(row).toContain(`Running   True    Running`);
    expect(row).toContain(o.status.clusterId);
    expect(row).toContain(condition(o, 'Ready').message);
  });

  it('KafkaConfigGroup: the same columns, the cloud id named for a config group', async () => {
    await createConfigGroup(h, 'orders-cfg', configGroupSpec({ config: { 'log.retention.hours': 72 } }));
    const g = await waitForConfigGroup(h, 'orders-cfg', (x) => condition(x, 'Ready')?.status === 'True');
    const wide = await h.kubectl('get', 'kcg', 'orders-cfg', '-o', 'wide');
    expect(wide.split('\n')[0]).toMatch(
      /READY\s+REASON\s+PENDING\s+NEXT WINDOW\s+HELD\s+USED-BY\s+CONFIG GROUP ID\s+LAST TRANSITION\s+AGE\s+MESSAGE/,
    );
    expect(wide.split('\n')[1]).toContain(g.status.clusterId);
    expect(wide.split('\n')[1]).toContain('Ready');
  });

  it('kubectl explain describes the status fields that were empty (conditions, kafkaVersion) and the spec', async () => {
    const explain = (path: string) =>
      eventually(async () => (await h.kubectl('explain', path).catch(() => undefined)) || undefined, 30_000);
    expect(await explain('kafkaclusters.spec')).toMatch(/DESCRIPTION:\s+The CDSS Kafka cluster this resource asks for/);
    expect(await explain('kafkaclusters.status.conditions.reason')).toMatch(/stable/);
    expect(await explain('kafkaclusters.status.kafkaVersion.code')).toMatch(/version code CDSS reports/);
    expect(await explain('kafkaconfiggroups.status.usedBy.clusterId')).toMatch(/serviceGroupInstanceNo/);
  });
});
