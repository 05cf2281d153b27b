// KafkaConfigGroup end to end: real control plane, the CDSS simulator (which verifies every
// request signature), the operator as a child process. Create → the group (G2) and its settings
// (G5) → Ready with CDSS's values; a changed setting is one G5 that keeps every other value the
// group sets; a new description is one G6; a key CDSS does not know → Stalled with CDSS's words
// and no retry loop; ObserveOnly adoption by configGroupNo changes nothing; delete → G9.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudHttp } from '../../../src/clouds/http.ts';
import { CdssClient } from '../../../src/clouds/ncloud/client.ts';
import {
  accessKey,
  condition,
  configGroupCalls,
  configGroupSpec,
  createConfigGroup,
  deleteConfigGroup,
  eventually,
  findConfigGroup,
  getConfigGroup,
  patchConfigGroup,
  ready,
  secretKey,
  stalledBecause,
  startConfigGroupHarness,
  waitForConfigGroup,
  type KafkaHarness,
} from '../../support/kafka.ts';
import { silentLog } from '../../support/memory-store.ts';

let h: KafkaHarness;
beforeAll(async () => {
  h = await startConfigGroupHarness('kcg-life');
});
afterAll(async () => {
  await h?.stop();
});

const MUTATING = ['createConfigGroup', 'setKafkaConfigGroupDetail', 'setKafkaConfigGroupMemo', 'deleteConfigGroup'];
const lastSeq = () => h.sim.requests().at(-1)?.seq ?? 0;
const since = (seq: number, operation: string, no?: string) => configGroupCalls(h, operation, no).filter((r) => r.seq > seq);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let no: string;

describe('KafkaConfigGroup lifecycle', () => {
  it('creates the CDSS config group (G2), sets its values (G5) and reports them, Ready', async () => {
    await createConfigGroup(
      h,
      'orders',
      configGroupSpec({ description: 'orders topics', config: { 'log.retention.hours': 72, 'auto.create.topics.enable': false } }),
    );
    const o = await waitForConfigGroup(h, 'orders', (x) => ready(x) && x.status.config !== undefined);
    no = o.status.configGroupNo;
    expect(no).toMatch(/^\d+$/);
    expect(o.metadata.finalizers).toContain('cdo.dev/finalizer');
    expect(o.status).toMatchObject({
      kafkaVersionCode: '3713006',
      description: 'orders topics',
      config: { 'log.retention.hours': '72', 'auto.create.topics.enable': 'false' },
      usedBy: [],
    });
    // What was sent is kept only until CDSS reports it: Ready forgets it.
    expect(o.status.appliedConfig).toBeUndefined();
    expect(configGroupCalls(h, 'createConfigGroup').map((r) => r.body)).toEqual([
      { configGroupName: 'orders', kafkaVersionCode: 3713006, description: 'orders topics' },
    ]);
    expect(configGroupCalls(h, 'setKafkaConfigGroupDetail', no).map((r) => r.body)).toEqual([
      { kafkaVersionCode: 3713006, logRetentionHours: 72, autoCreateTopicsEnable: false },
    ]);
    expect(h.sim.admin.configGroup(Number(no))).toMatchObject({
      configGroupName: 'orders',
      description: 'orders topics',
      customValues: { 'log.retention.hours': '72', 'auto.create.topics.enable': 'false' },
    });
    expect(await h.kubectl('get', 'kcg', 'orders')).toMatch(new RegExp(`orders\\s+${no}\\s+3713006\\s+Running\\s+True`));
  });

  it('a changed setting is one G5 with the new value and every value the group already sets', async () => {
    // Someone sets another value in the console: the operator must not wipe it (G5 replaces all).
    const http = new CloudHttp({ log: silentLog });
    const cdss = new CdssClient({ baseUrl: h.sim.baseUrl('KR'), credentials: { accessKey, secretKey }, http, log: silentLog });
    await cdss.setConfigGroupValues(no, '3713006', {
      'log.retention.hours': '72',
      'auto.create.topics.enable': 'false',
      'num.partitions': '6',
    });
    const mark = lastSeq();
    await patchConfigGroup(h, 'orders', { spec: { config: { 'log.retention.hours': 96 } } });
    const o = await waitForConfigGroup(h, 'orders', (x) => ready(x) && x.status.config['log.retention.hours'] === '96');
    expect(o.status.config).toEqual({ 'log.retention.hours': '96', 'auto.create.topics.enable': 'false' });
    expect(since(mark, 'setKafkaConfigGroupDetail', no).map((r) => r.body)).toEqual([
      { kafkaVersionCode: 3713006, logRetentionHours: 96, autoCreateTopicsEnable: false, numPartitions: 6 },
    ]);
    expect(h.sim.admin.configGroup(Number(no))!.customValues).toEqual({
      'log.retention.hours': '96',
      'auto.create.topics.enable': 'false',
      'num.partitions': '6',
    });
    expect(since(mark, 'setKafkaConfigGroupMemo')).toEqual([]);
    const events = await h.kc.events.listNamespacedEvent({ namespace: h.ns });
    expect(events.items.some((e) => e.regarding?.name === 'orders' && e.reason === 'ConfigUpdated')).toBe(true);
  });

  it('a new description is one G6 and no G5', async () => {
    const mark = lastSeq();
    await patchConfigGroup(h, 'orders', { spec: { description: 'orders and payments' } });
    await waitForConfigGroup(h, 'orders', (x) => ready(x) && x.status.description === 'orders and payments');
    expect(since(mark, 'setKafkaConfigGroupMemo', no).map((r) => r.body)).toEqual([
      { kafkaVersionCode: 3713006, description: 'orders and payments' },
    ]);
    expect(since(mark, 'setKafkaConfigGroupDetail')).toEqual([]);
    expect(h.sim.admin.configGroup(Number(no))!.description).toBe('orders and payments');
  });

  it("a key CDSS does not know: Stalled with CDSS's message, no repeated G5, Ready again once removed", async () => {
    const mark = lastSeq();
    await patchConfigGroup(h, 'orders', { spec: { config: { 'no.such.setting': 1 } } });
    const o = await waitForConfigGroup(h, 'orders', stalledBecause('CloudRejectedSpec'));
    expect(condition(o, 'Stalled').message).toContain('no.such.setting: unknown configuration for Kafka version code 3713006');
    expect(condition(o, 'Ready').status).toBe('False');
    expect(since(mark, 'setKafkaConfigGroupDetail')).toHaveLength(1);
    // Well past several busy and steady polls (1 s, 5 s): the operator waits for a spec change.
    await sleep(6000);
    expect(since(mark, 'setKafkaConfigGroupDetail')).toHaveLength(1);
    // CDSS refused the whole call: the group kept what it had.
    expect(h.sim.admin.configGroup(Number(no))!.customValues['log.retention.hours']).toBe('96');
    await patchConfigGroup(h, 'orders', { spec: { config: { 'no.such.setting': null } } });
    await waitForConfigGroup(h, 'orders', (x) => ready(x) && condition(x, 'Stalled')?.status !== 'True');
    // Nothing differed once the key was gone: no second G5 was needed.
    expect(since(mark, 'setKafkaConfigGroupDetail')).toHaveLength(1);
  });

  it('ObserveOnly adoption by configGroupNo reports the group and makes no mutating call, not even on delete', async () => {
    const mark = lastSeq();
    await createConfigGroup(
      h,
      'watcher',
      configGroupSpec({ configGroupNo: no, managementPolicy: 'ObserveOnly', config: { 'log.retention.hours': 96 } }),
    );
    const o = await waitForConfigGroup(h, 'watcher', ready);
    expect(o.status).toMatchObject({ configGroupNo: no, description: 'orders and payments', config: { 'log.retention.hours': '96' } });
    expect(o.metadata.finalizers ?? []).not.toContain('cdo.dev/finalizer');
    await deleteConfigGroup(h, 'watcher');
    await eventually(async () => (await findConfigGroup(h, 'watcher')) === undefined);
    for (const op of MUTATING) expect(since(mark, op), op).toEqual([]);
    expect(h.sim.admin.configGroup(Number(no))).toBeDefined();
  });

  it('a setting value that is not a string, number or boolean is admitted untyped and refused by the operator: InvalidSpec, no call', async () => {
    const mark = lastSeq();
    await createConfigGroup(h, 'nested', configGroupSpec({ config: { 'log.retention.hours': { hours: 72 } } }));
    const o = await waitForConfigGroup(h, 'nested', stalledBecause('InvalidSpec'));
    expect(condition(o, 'Stalled').message).toContain('config.log.retention.hours');
    for (const op of MUTATING) expect(since(mark, op), op).toEqual([]);
    await deleteConfigGroup(h, 'nested');
    await eventually(async () => (await findConfigGroup(h, 'nested')) === undefined);
  });

  it('delete → G9 once, the CDSS group is gone and so is the resource', async () => {
    await deleteConfigGroup(h, 'orders');
    await eventually(async () => (await findConfigGroup(h, 'orders')) === undefined);
    expect(configGroupCalls(h, 'deleteConfigGroup', no)).toHaveLength(1);
    expect(h.sim.admin.configGroup(Number(no))).toBeUndefined();
    await expect(getConfigGroup(h, 'orders')).rejects.toThrow();
  });
});
