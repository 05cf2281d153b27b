// A KafkaCluster naming its config group with spec.configGroupRef, end to end. The operator here
// polls a steady resource only every 30 s, so a cluster that moves within a second of its group
// becoming Ready was moved by the group's change (the kind's reference watch), not by a poll.
// Created before its group exists → WaitingForConfigGroup, no create call; the group Ready → the
// cluster is created with the group's number at once. A version bump keeping the ref on the old
// version's group stalls ConfigGroupVersionMismatch; a ref to a group for the new version runs
// the rolling upgrade with that group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  calls,
  condition,
  configGroupSpec,
  createConfigGroup,
  createKafka,
  getConfigGroup,
  getKafka,
  kafkaSpec,
  patchKafka,
  ready,
  stalledBecause,
  startConfigGroupHarness,
  waitForConfigGroup,
  waitForKafka,
  type KafkaHarness,
} from '../../support/kafka.ts';

let h: KafkaHarness;
beforeAll(async () => {
  h = await startConfigGroupHarness('kcg-ref', {}, { CDO_POLL_STEADY: '30' });
});
afterAll(async () => {
  await h?.stop();
});

const CREATE = 'createCDSSClusterReturnServiceGroupInstanceNo';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const creates = (name: string) => calls(h, CREATE).filter((r) => (r.body as { clusterName?: string }).clusterName === name);
const refSpec = (ref: string, overrides: Record<string, unknown> = {}) =>
  kafkaSpec({ configGroupNo: undefined, configGroupRef: { name: ref }, ...overrides });

/** Polls the group every 25 ms until Ready; returns it and when this process first saw it Ready. */
async function readyAt(name: string): Promise<{ o: any; at: number }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const o = await getConfigGroup(h, name);
    if (ready(o)) return { o, at: Date.now() };
    if (Date.now() > deadline) throw new Error(`KafkaConfigGroup ${name} not Ready: ${JSON.stringify(o.status)}`);
    await sleep(25);
  }
}

let clusterId: string;
let firstGroupNo: string;

describe('KafkaCluster with configGroupRef', () => {
  it('waits for a group that does not exist yet, then is created with its number as soon as it is Ready', async () => {
    await createKafka(h, 'events', refSpec('events-cfg'));
    const waiting = await waitForKafka(h, 'events', (x) => condition(x, 'Reconciling')?.reason === 'WaitingForConfigGroup');
    expect(condition(waiting, 'Reconciling').message).toContain('KafkaConfigGroup events-cfg does not exist');
    expect(condition(waiting, 'Ready').status).toBe('False');
    await sleep(1500);
    expect(creates('events')).toEqual([]);

    await createConfigGroup(h, 'events-cfg', configGroupSpec({ config: { 'num.partitions': 3 } }));
    const { o: group, at } = await readyAt('events-cfg');
    firstGroupNo = group.status.configGroupNo;
    const created = await waitForKafka(h, 'events', () => creates('events').length > 0, 10_000);
    const sent = creates('events');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ clusterName: 'events', kafkaVersionCode: 3713006, configGroupNo: Number(firstGroupNo) });
    // Seen Ready here (polled every 25 ms), then the create within a second: not the 30 s poll.
    expect(new Date(sent[0]!.time).getTime() - at).toBeLessThan(1000);
    expect(created).toBeDefined();
    const o = await waitForKafka(h, 'events', ready);
    clusterId = o.status.clusterId;
    expect(o.status.configGroupNo).toBe(Number(firstGroupNo));
    expect(h.sim.cluster(clusterId)?.configGroupNo).toBe(Number(firstGroupNo));
  });

  it('a version bump keeping the ref on the old version’s group stalls ConfigGroupVersionMismatch, nothing sent', async () => {
    await patchKafka(h, 'events', { spec: { kafkaVersionCode: 3903006 } });
    const o = await waitForKafka(h, 'events', stalledBecause('ConfigGroupVersionMismatch'));
    expect(condition(o, 'Stalled').message).toContain(`config group ${firstGroupNo} was made for Kafka version 3713006`);
    expect(condition(o, 'Stalled').message).toContain('configGroupRef');
    expect(calls(h, 'rollingUpgrade')).toEqual([]);
    expect(h.sim.cluster(clusterId)?.kafkaVersionCode).toBe('3713006');
  });

  it('pointing the ref at a group made for the new version runs one rolling upgrade with that group', async () => {
    await createConfigGroup(h, 'events-cfg-39', configGroupSpec({ kafkaVersionCode: 3903006, config: { 'num.partitions': 3 } }));
    const group = await waitForConfigGroup(h, 'events-cfg-39', ready);
    const newNo = Number(group.status.configGroupNo);
    expect(newNo).not.toBe(Number(firstGroupNo));
    await patchKafka(h, 'events', { spec: { configGroupRef: { name: 'events-cfg-39' } } });
    const o = await waitForKafka(h, 'events', (x) => ready(x) && x.status.kafkaVersion?.code === '3903006', 60_000);
    expect(o.status.configGroupNo).toBe(newNo);
    const body = { serviceGroupInstanceNo: Number(clusterId), upgradeKafkaVersionCode: 3903006, upgradeConfigGroupNo: newNo };
    expect(calls(h, 'rollingUpgradePreCheck').map((r) => r.body)).toEqual([body]);
    expect(
      calls(h, 'rollingUpgrade')
        .filter((r) => r.path.endsWith('/rollingUpgrade'))
        .map((r) => r.body),
    ).toEqual([body]);
    expect(h.sim.cluster(clusterId)).toMatchObject({ kafkaVersionCode: '3903006', configGroupNo: newNo });
    expect(creates('events')).toHaveLength(1);
    // The old group is the cluster's no more; the cluster stays on its own group, not applied in place (G7).
    expect(h.sim.requests().filter((r) => r.path.includes('/configGroup/setClusterKafkaConfigGroup'))).toEqual([]);
    expect((await getKafka(h, 'events')).spec.configGroupRef).toEqual({ name: 'events-cfg-39' });
  });
});
