// KafkaConfigGroup when the operator dies between a cloud write and its record: CDSS did the call,
// the operator was SIGKILLed before it heard the answer (the simulator holds the response back).
// After G2 the restarted operator finds the group by name and adopts it (no second G2); after G5
// it finds the value in CDSS and sends no second G5; after G6 it finds the new description and
// sends no second G6; after G9 it finds the group gone and lets the resource go (no second G9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configGroupCalls,
  configGroupSpec,
  createConfigGroup,
  deleteConfigGroup,
  eventually,
  findConfigGroup,
  getConfigGroup,
  patchConfigGroup,
  ready,
  startConfigGroupHarness,
  waitForConfigGroup,
  type KafkaHarness,
} from '../../support/kafka.ts';
import type { OperatorProcess } from '../../support/operator-process.ts';

let h: KafkaHarness;
/** The operator running now (each test kills it and starts the next). */
let live: OperatorProcess;
beforeAll(async () => {
  h = await startConfigGroupHarness('kcg-faults');
  live = h.op;
});
afterAll(async () => {
  await h?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls `done` every 50 ms for up to `ms`. */
async function within(ms: number, done: () => boolean): Promise<void> {
  for (let i = 0; i * 50 < ms && !done(); i++) await sleep(50);
}
const HELD_MS = 10_000;

describe('KafkaConfigGroup: operator killed right after a write call', () => {
  it('after G2: the restarted operator adopts the group by name, no second G2', { timeout: 90_000 }, async () => {
    h.sim.faults.set({ responseDelayMs: HELD_MS, only: { paths: ['createConfigGroup'] } });
    await createConfigGroup(h, 'phoenix', configGroupSpec({ config: { 'num.partitions': 4 } }));
    const made = () => h.sim.admin.configGroups().filter((g) => g.configGroupName === 'phoenix');
    await within(10_000, () => made().length > 0);
    expect(made()).toHaveLength(1);
    await live.stop('SIGKILL');
    h.sim.faults.reset();
    const before = await getConfigGroup(h, 'phoenix');
    expect(before.metadata.annotations['cdo.dev/create-requested']).toBeDefined();
    expect(before.metadata.annotations['cdo.dev/cluster-id']).toBeUndefined();
    expect(before.status?.configGroupNo).toBeUndefined();

    const again = (live = h.startOperator('operator-kcg-restarted'));
    await again.waitForLog((l) => l.msg === 'controller started' && l['controller'] === 'kafkaconfiggroup');
    const o = await waitForConfigGroup(h, 'phoenix', (x) => ready(x) && x.status.config?.['num.partitions'] === '4');
    expect(made()).toHaveLength(1);
    expect(o.status.configGroupNo).toBe(String(made()[0]!.configGroupNo));
    expect(made()[0]!.customValues).toEqual({ 'num.partitions': '4' });
    // The held answer is recorded once it goes out: wait for it, then count.
    const g2 = () =>
      configGroupCalls(h, 'createConfigGroup').filter((r) => (r.body as { configGroupName?: string }).configGroupName === 'phoenix');
    await within(HELD_MS + 2000, () => g2().length > 0);
    expect(g2()).toHaveLength(1);
    const events = await h.kc.events.listNamespacedEvent({ namespace: h.ns });
    expect(events.items.some((e) => e.regarding?.name === 'phoenix' && e.reason === 'Adopted')).toBe(true);
  });

  it('after G5: the restarted operator finds the new value in CDSS, no second G5', { timeout: 90_000 }, async () => {
    await createConfigGroup(h, 'resend', configGroupSpec({ config: { 'num.partitions': 3, 'log.retention.hours': 72 } }));
    const first = await waitForConfigGroup(h, 'resend', (x) => ready(x) && x.status.config?.['num.partitions'] === '3');
    const no = first.status.configGroupNo;
    const g5 = () => configGroupCalls(h, 'setKafkaConfigGroupDetail', no);
    const sent = g5().length;

    h.sim.faults.set({ responseDelayMs: HELD_MS, only: { paths: ['setKafkaConfigGroupDetail'] } });
    await patchConfigGroup(h, 'resend', { spec: { config: { 'num.partitions': 5 } } });
    await within(10_000, () => h.sim.admin.configGroup(Number(no))?.customValues['num.partitions'] === '5');
    expect(h.sim.admin.configGroup(Number(no))!.customValues).toEqual({ 'num.partitions': '5', 'log.retention.hours': '72' });
    await live.stop('SIGKILL');
    h.sim.faults.reset();
    expect((await getConfigGroup(h, 'resend')).status.config['num.partitions']).toBe('3');

    const again = (live = h.startOperator('operator-kcg-restarted-2'));
    await again.waitForLog((l) => l.msg === 'controller started' && l['controller'] === 'kafkaconfiggroup');
    const o = await waitForConfigGroup(h, 'resend', (x) => ready(x) && x.status.config?.['num.partitions'] === '5');
    expect(o.status.config).toEqual({ 'num.partitions': '5', 'log.retention.hours': '72' });
    await within(HELD_MS + 2000, () => g5().length > sent);
    await sleep(1500); // a few more busy polls of the restarted operator
    expect(g5()).toHaveLength(sent + 1);
  });

  it('after G6: the restarted operator finds the new description in CDSS, no second G6', { timeout: 90_000 }, async () => {
    await createConfigGroup(h, 'memo', configGroupSpec({ description: 'first words', config: { 'num.partitions': 3 } }));
    const first = await waitForConfigGroup(h, 'memo', (x) => ready(x) && x.status.description === 'first words');
    const no = first.status.configGroupNo;
    const g6 = () => configGroupCalls(h, 'setKafkaConfigGroupMemo', no);
    const sent = g6().length;

    h.sim.faults.set({ responseDelayMs: HELD_MS, only: { paths: ['setKafkaConfigGroupMemo'] } });
    await patchConfigGroup(h, 'memo', { spec: { description: 'second words' } });
    await within(10_000, () => h.sim.admin.configGroup(Number(no))?.description === 'second words');
    expect(h.sim.admin.configGroup(Number(no))!.description).toBe('second words');
    await live.stop('SIGKILL');
    h.sim.faults.reset();
    expect((await getConfigGroup(h, 'memo')).status.description).toBe('first words');

    const again = (live = h.startOperator('operator-kcg-restarted-3'));
    await again.waitForLog((l) => l.msg === 'controller started' && l['controller'] === 'kafkaconfiggroup');
    const o = await waitForConfigGroup(h, 'memo', (x) => ready(x) && x.status.description === 'second words');
    expect(o.status.config).toEqual({ 'num.partitions': '3' });
    await within(HELD_MS + 2000, () => g6().length > sent);
    await sleep(1500); // a few more busy polls of the restarted operator
    expect(g6()).toHaveLength(sent + 1);
    expect(g6().at(-1)!.body).toEqual({ kafkaVersionCode: 3713006, description: 'second words' });
  });

  it('after G9: the restarted operator finds the group gone and lets the resource go, no second G9', { timeout: 90_000 }, async () => {
    await createConfigGroup(h, 'goner', configGroupSpec({ config: { 'num.partitions': 2 } }));
    const first = await waitForConfigGroup(h, 'goner', ready);
    const no = first.status.configGroupNo;
    expect(first.status.usedBy ?? []).toEqual([]);
    const g9 = () => configGroupCalls(h, 'deleteConfigGroup', no);
    expect(g9()).toEqual([]);

    h.sim.faults.set({ responseDelayMs: HELD_MS, only: { paths: ['deleteConfigGroup'] } });
    await deleteConfigGroup(h, 'goner');
    await within(10_000, () => h.sim.admin.configGroup(Number(no)) === undefined);
    expect(h.sim.admin.configGroup(Number(no))).toBeUndefined();
    await live.stop('SIGKILL');
    h.sim.faults.reset();
    const before = await getConfigGroup(h, 'goner');
    expect(before.metadata.deletionTimestamp).toBeDefined();
    expect(before.metadata.finalizers).toContain('cdo.dev/finalizer');

    const again = (live = h.startOperator('operator-kcg-restarted-4'));
    await again.waitForLog((l) => l.msg === 'controller started' && l['controller'] === 'kafkaconfiggroup');
    await eventually(async () => (await findConfigGroup(h, 'goner')) === undefined, 20_000);
    await within(HELD_MS + 2000, () => g9().length > 0);
    await sleep(1500);
    expect(g9()).toHaveLength(1);
    expect(configGroupCalls(h, 'deleteConfigGroup')).toHaveLength(1);
  });
});
