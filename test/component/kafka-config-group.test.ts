// The KafkaConfigGroup adapter (resources/kafka-config-group/) through real passes of the core
// against the in-process CDSS simulator: the create (G2) and the settings one pass later (G5,
// read-modify-write), the description (G6), the settings CDSS refuses, keeps fixed or stores in
// its own form, a deletion blocked while a cluster uses the group (G8) and released once none
// does (G9), adoption by configGroupNo, and a create interrupted between the call and its record.
import { afterEach, describe, expect, it } from 'vitest';
import { CdssClient } from '../../src/clouds/ncloud/client.ts';
import type { CdssSimulator } from '../../src/simulators/cdss/index.ts';
import { http, kafka, kafkaConfigGroup, kafkaSpec, ncp, type Component } from '../support/component.ts';
import { configGroupSpec } from '../support/kafka.ts';
import { silentLog } from '../support/memory-store.ts';

const sims: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

const VERSION = '3713006';

async function group(name: string, spec: Record<string, unknown>, sim?: CdssSimulator): Promise<Component<CdssSimulator>> {
  const c = await kafkaConfigGroup(name, spec, sim ? { sim } : {});
  if (!sim) sims.push(c.sim);
  return c;
}

const ready = (c: Component<unknown>) =>
  c.store.condition('Ready')?.status === 'True' && c.store.status()['observedGeneration'] === c.store.object?.metadata.generation;
const gone = (c: Component<unknown>) => c.store.object === undefined;
/** Config group calls by operation; `since` skips what was recorded before (a request's seq). */
const calls = (sim: CdssSimulator, operation: string, since = 0) =>
  sim.requests().filter((r) => r.path.includes(`/configGroup/${operation}`) && r.seq > since);
const lastSeq = (sim: CdssSimulator) => sim.requests().at(-1)?.seq ?? 0;
const MUTATING = ['createConfigGroup', 'setKafkaConfigGroupDetail', 'setKafkaConfigGroupMemo', 'deleteConfigGroup'];
const groupNo = (c: Component<unknown>) => c.store.status()['configGroupNo'] as string;
/** A console user (or another tool) on the same account: the simulator's API, signed like the operator. */
const console_ = (sim: CdssSimulator) => new CdssClient({ baseUrl: sim.baseUrl('KR'), credentials: ncp, http: http(), log: silentLog });

describe('create, then settings', () => {
  it('G2 with the name and description, the settings with G5 one pass later, then Ready with what CDSS reports', async () => {
    const c = await group(
      'orders-cfg',
      configGroupSpec({ description: 'orders', config: { 'log.retention.hours': 72, 'auto.create.topics.enable': false } }),
    );
    expect((await c.pass()).error).toBeUndefined();
    expect(calls(c.sim, 'createConfigGroup').map((r) => r.body)).toEqual([
      { configGroupName: 'orders-cfg', kafkaVersionCode: 3713006, description: 'orders' },
    ]);
    const no = groupNo(c);
    expect(no).toMatch(/^\d+$/);
    expect(c.store.eventReasons()).toEqual(['CreateRequested']);
    // The create pass sends nothing else: the group's settings need its number and a fresh look.
    expect(calls(c.sim, 'setKafkaConfigGroupDetail')).toEqual([]);

    await c.pass();
    const g5 = calls(c.sim, 'setKafkaConfigGroupDetail');
    expect(g5.map((r) => [r.path.split('/').pop(), r.body])).toEqual([
      [no, { kafkaVersionCode: 3713006, logRetentionHours: 72, autoCreateTopicsEnable: false }],
    ]);
    expect(c.store.status()['appliedConfig']).toEqual({ 'log.retention.hours': '72', 'auto.create.topics.enable': 'false' });

    await c.until(ready);
    expect(c.store.status()['appliedConfig']).toBeUndefined(); // reported by CDSS now: nothing left to tell apart
    expect(c.store.status()).toMatchObject({
      phase: 'Running',
      configGroupNo: no,
      kafkaVersionCode: VERSION,
      description: 'orders',
      config: { 'log.retention.hours': '72', 'auto.create.topics.enable': 'false' },
      usedBy: [],
    });
    expect(c.sim.admin.configGroup(Number(no))!.customValues).toEqual({
      'log.retention.hours': '72',
      'auto.create.topics.enable': 'false',
    });
    // Ready and unchanged: further passes send nothing and write nothing.
    const writes = c.store.writes.length;
    await c.pass();
    await c.pass();
    expect(calls(c.sim, 'setKafkaConfigGroupDetail')).toHaveLength(1);
    expect(calls(c.sim, 'createConfigGroup')).toHaveLength(1);
    expect(c.store.writes.length).toBe(writes);
  });

  it('a group without settings is Ready after the create alone: no G5 at all', async () => {
    const c = await group('bare-cfg', configGroupSpec());
    await c.until(ready);
    expect(calls(c.sim, 'createConfigGroup')).toHaveLength(1);
    expect(calls(c.sim, 'setKafkaConfigGroupDetail')).toEqual([]);
    expect(c.store.status()['config']).toBeUndefined();
  });

  it('configGroupName names the CDSS group instead of metadata.name', async () => {
    const c = await group('some-object', configGroupSpec({ configGroupName: 'named-cfg' }));
    await c.until(ready);
    expect(c.sim.admin.configGroup(Number(groupNo(c)))!.configGroupName).toBe('named-cfg');
  });
});

describe('changes', () => {
  it('a changed setting is sent with every value the group already sets, those set outside the operator too', async () => {
    const c = await group('orders-cfg', configGroupSpec({ config: { 'log.retention.hours': 72, 'auto.create.topics.enable': false } }));
    await c.until(ready);
    const no = groupNo(c);
    // Set by hand in the console: a typed and an additional setting the spec does not manage.
    await console_(c.sim).setConfigGroupValues(no, VERSION, {
      'log.retention.hours': '72',
      'auto.create.topics.enable': 'false',
      'num.partitions': '6',
      'compression.type': 'zstd',
    });
    const mark = lastSeq(c.sim);
    c.store.setSpec(configGroupSpec({ config: { 'log.retention.hours': 96, 'auto.create.topics.enable': false } }));
    await c.pass();
    expect(calls(c.sim, 'setKafkaConfigGroupDetail', mark).map((r) => r.body)).toEqual([
      {
        kafkaVersionCode: 3713006,
        logRetentionHours: 96,
        autoCreateTopicsEnable: false,
        numPartitions: 6,
        additionalKafkaConfigGroupDetailList: [{ configName: 'compression.type', configValue: 'zstd' }],
      },
    ]);
    expect(c.store.eventReasons()).toContain('ConfigUpdated');
    await c.until(ready);
    expect(c.sim.admin.configGroup(Number(no))!.customValues).toEqual({
      'log.retention.hours': '96',
      'auto.create.topics.enable': 'false',
      'num.partitions': '6',
      'compression.type': 'zstd',
    });
    // Status reports the managed keys only.
    expect(c.store.status()['config']).toEqual({ 'log.retention.hours': '96', 'auto.create.topics.enable': 'false' });
    expect(calls(c.sim, 'setKafkaConfigGroupDetail', mark)).toHaveLength(1);
  });

  it('a new description is one G6 and no G5', async () => {
    const c = await group('orders-cfg', configGroupSpec({ description: 'first', config: { 'num.partitions': 3 } }));
    await c.until(ready);
    const mark = lastSeq(c.sim);
    c.store.setSpec(configGroupSpec({ description: 'second', config: { 'num.partitions': 3 } }));
    await c.pass();
    expect(calls(c.sim, 'setKafkaConfigGroupMemo', mark).map((r) => [r.path.split('/').pop(), r.body])).toEqual([
      [groupNo(c), { kafkaVersionCode: 3713006, description: 'second' }],
    ]);
    await c.until(ready);
    expect(c.store.status()['description']).toBe('second');
    expect(calls(c.sim, 'setKafkaConfigGroupDetail', mark)).toEqual([]);
    expect(calls(c.sim, 'setKafkaConfigGroupMemo', mark)).toHaveLength(1);
  });

  it('a description and a setting changed together: G6 first, G5 the pass after', async () => {
    const c = await group('orders-cfg', configGroupSpec({ description: 'first', config: { 'num.partitions': 3 } }));
    await c.until(ready);
    const mark = lastSeq(c.sim);
    c.store.setSpec(configGroupSpec({ description: 'second', config: { 'num.partitions': 4 } }));
    await c.pass();
    expect(calls(c.sim, 'setKafkaConfigGroupMemo', mark)).toHaveLength(1);
    expect(calls(c.sim, 'setKafkaConfigGroupDetail', mark)).toEqual([]);
    await c.pass();
    expect(calls(c.sim, 'setKafkaConfigGroupDetail', mark).map((r) => r.body)).toEqual([{ kafkaVersionCode: 3713006, numPartitions: 4 }]);
    await c.until(ready);
    expect(c.store.status()).toMatchObject({ description: 'second', config: { 'num.partitions': '4' } });
  });
});

describe('settings CDSS does not take', () => {
  it("a key CDSS does not know: Stalled with CDSS's message after one G5, an invalid spec (no retry), fixed by a spec change", async () => {
    const c = await group('orders-cfg', configGroupSpec({ config: { 'log.retention.hours': 72, 'no.such.setting': 1 } }));
    await c.pass(); // G2
    const { error } = await c.pass(); // G5, refused
    expect(error).toMatchObject({ errorClass: 'invalid' });
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'CloudRejectedSpec' });
    expect(c.store.condition('Stalled')!.message).toContain('no.such.setting: unknown configuration for Kafka version code 3713006');
    expect(c.store.condition('Ready')!.status).toBe('False');
    expect(calls(c.sim, 'setKafkaConfigGroupDetail')).toHaveLength(1);
    // CDSS refused the whole call: the known key was not applied either.
    expect(c.sim.admin.configGroup(Number(groupNo(c)))!.customValues).toEqual({});
    c.store.setSpec(configGroupSpec({ config: { 'log.retention.hours': 72 } }));
    await c.until(ready);
    expect(calls(c.sim, 'setKafkaConfigGroupDetail')).toHaveLength(2);
    expect(c.store.condition('Stalled')!.status).toBe('False');
  });

  it('a key CDSS does not let change (modifyYn false): Stalled SettingNotModifiable, nothing sent', async () => {
    const c = await group('orders-cfg', configGroupSpec({ config: { 'authorizer.class.name': 'my.Authorizer' } }));
    await c.pass(); // G2
    await c.pass();
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'SettingNotModifiable' });
    expect(c.store.condition('Stalled')!.message).toContain('authorizer.class.name');
    expect(calls(c.sim, 'setKafkaConfigGroupDetail')).toEqual([]);
  });

  it('a value CDSS stores in its own form (072 → 72): Stalled SettingNotApplied after one G5, never resent', async () => {
    const c = await group('orders-cfg', configGroupSpec({ config: { 'log.retention.hours': '072' } }));
    await c.pass(); // G2
    await c.pass(); // G5
    for (let i = 0; i < 3; i++) await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'SettingNotApplied' });
    expect(c.store.condition('Stalled')!.message).toContain('log.retention.hours=072 (reports 72)');
    expect(calls(c.sim, 'setKafkaConfigGroupDetail')).toHaveLength(1);
  });
});

describe('deletion', () => {
  it('blocked while a cluster uses the group (no G9, looked at again at the steady cadence), then deleted once none does', async () => {
    const g = await group('orders-cfg', configGroupSpec());
    await g.until(ready);
    const no = groupNo(g);
    const cluster = await kafka('events', kafkaSpec({ configGroupNo: Number(no) }), { sim: g.sim });
    await cluster.until((c) => c.store.condition('Ready')?.status === 'True');
    const clusterId = cluster.sim.clusters()[0]!.serviceGroupInstanceNo;
    await g.pass();
    expect(g.store.status()['usedBy']).toEqual([{ clusterName: 'events', clusterId }]);

    g.store.delete();
    const { outcome } = await g.pass();
    expect(g.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'DeletionBlocked' });
    expect(g.store.condition('Stalled')!.message).toContain(`events (${clusterId})`);
    // The steady cadence, up to a tenth later so resources drift apart.
    expect(outcome!.requeueAfter).toBeGreaterThanOrEqual(60);
    expect(outcome!.requeueAfter).toBeLessThanOrEqual(66);
    await g.pass();
    expect(g.store.object?.metadata.finalizers).toContain('cdo.dev/finalizer');
    expect(calls(g.sim, 'deleteConfigGroup')).toEqual([]);
    expect(g.sim.admin.configGroup(Number(no))).toBeDefined();

    cluster.store.delete();
    await cluster.until(gone);
    await g.until(gone);
    expect(calls(g.sim, 'deleteConfigGroup').map((r) => r.path.split('/').pop())).toEqual([no]);
    expect(g.sim.admin.configGroup(Number(no))).toBeUndefined();
  });

  it('deletionPolicy Retain lets the resource go and keeps the group', async () => {
    const g = await group('orders-cfg', configGroupSpec({ deletionPolicy: 'Retain' }));
    await g.until(ready);
    const no = groupNo(g);
    g.store.delete();
    await g.until(gone);
    expect(calls(g.sim, 'deleteConfigGroup')).toEqual([]);
    expect(g.sim.admin.configGroup(Number(no))?.configGroupName).toBe('orders-cfg');
  });
});

describe('adoption by configGroupNo', () => {
  async function consoleGroup(sim: CdssSimulator): Promise<string> {
    const cdss = console_(sim);
    const no = await cdss.createConfigGroup({ configGroupName: 'by-hand', kafkaVersionCode: 3713006, description: 'made in the console' });
    await cdss.setConfigGroupValues(no, VERSION, { 'num.partitions': '6' });
    return no;
  }

  it('ObserveOnly reports the group and its drift and never calls a mutating operation, not even to delete', async () => {
    const owner = await group('unrelated', configGroupSpec());
    const no = await consoleGroup(owner.sim);
    const mark = lastSeq(owner.sim);
    const c = await group(
      'watched',
      configGroupSpec({ configGroupNo: no, managementPolicy: 'ObserveOnly', config: { 'num.partitions': 6 } }),
      owner.sim,
    );
    await c.until(ready);
    expect(c.store.status()).toMatchObject({
      configGroupNo: no,
      description: 'made in the console',
      config: { 'num.partitions': '6' },
    });
    expect(c.store.object!.metadata.finalizers ?? []).toEqual([]);
    c.store.setSpec(configGroupSpec({ configGroupNo: no, managementPolicy: 'ObserveOnly', config: { 'num.partitions': 8 } }));
    await c.pass();
    expect(c.store.condition('Ready')!.status).toBe('False');
    expect(c.store.condition('Reconciling')).toMatchObject({ reason: 'Drifted' });
    expect(c.store.condition('Reconciling')!.message).toContain('num.partitions: spec 8, CDSS 6');
    c.store.delete();
    await c.until(gone);
    for (const op of MUTATING) expect(calls(c.sim, op, mark), op).toEqual([]);
    expect(c.sim.admin.configGroup(Number(no))!.customValues).toEqual({ 'num.partitions': '6' });
  });

  it('Manage adopts the group: no G2, its settings set on the adopted group, kept values included', async () => {
    const owner = await group('unrelated', configGroupSpec());
    const no = await consoleGroup(owner.sim);
    const mark = lastSeq(owner.sim);
    const c = await group('adopted', configGroupSpec({ configGroupNo: no, config: { 'log.retention.hours': 24 } }), owner.sim);
    await c.until(ready);
    expect(calls(c.sim, 'createConfigGroup', mark)).toEqual([]);
    expect(calls(c.sim, 'setKafkaConfigGroupDetail', mark).map((r) => [r.path.split('/').pop(), r.body])).toEqual([
      [no, { kafkaVersionCode: 3713006, logRetentionHours: 24, numPartitions: 6 }],
    ]);
    expect(c.store.status()).toMatchObject({ configGroupNo: no, config: { 'log.retention.hours': '24' } });
  });

  it('a configGroupNo made for another Kafka version stalls VersionMismatch and changes nothing', async () => {
    const owner = await group('unrelated', configGroupSpec());
    const no = await consoleGroup(owner.sim);
    const mark = lastSeq(owner.sim);
    const c = await group(
      'wrong',
      configGroupSpec({ configGroupNo: no, kafkaVersionCode: 3903006, config: { 'num.partitions': 2 } }),
      owner.sim,
    );
    await c.pass();
    await c.pass();
    expect(c.store.condition('Stalled')?.status).toBe('True');
    for (const op of MUTATING) expect(calls(c.sim, op, mark), op).toEqual([]);
  });
});

describe('the crash-safe create', () => {
  it('stopped between G2 and recording its number: the next operator adopts the group by name, no second G2', async () => {
    const c = await group('orders-cfg', configGroupSpec({ config: { 'num.partitions': 4 } }));
    // The intent annotation goes through; the one recording the new number fails, as a crash would.
    c.store.failNext('annotate');
    expect((await c.pass()).error).toBeDefined();
    expect(calls(c.sim, 'createConfigGroup')).toHaveLength(1);
    expect(c.store.status()['configGroupNo']).toBeUndefined();
    c.restart();
    await c.until(ready);
    expect(calls(c.sim, 'createConfigGroup')).toHaveLength(1);
    const made = c.sim.admin.configGroups().filter((g) => g.configGroupName === 'orders-cfg');
    expect(made).toHaveLength(1);
    expect(groupNo(c)).toBe(String(made[0]!.configGroupNo));
    expect(made[0]!.customValues).toEqual({ 'num.partitions': '4' });
  });

  it('stopped after G5 before status: the next pass finds the value in CDSS and sends no second G5', async () => {
    const c = await group('orders-cfg', configGroupSpec({ config: { 'num.partitions': 4 } }));
    await c.pass(); // G2
    c.store.failNext('writeStatus');
    await c.pass(); // G5, its status lost
    expect(calls(c.sim, 'setKafkaConfigGroupDetail')).toHaveLength(1);
    c.restart();
    await c.until(ready);
    expect(calls(c.sim, 'setKafkaConfigGroupDetail')).toHaveLength(1);
    expect(c.store.status()['config']).toEqual({ 'num.partitions': '4' });
  });
});
