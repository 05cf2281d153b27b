// KafkaCluster safe changes, end to end (real control plane, the CDSS simulator, the operator as a
// child process): a rolling upgrade held by spec.maintenanceWindow until the window opens a minute
// later, then run; and changePolicy Manual, where a config group applied in place (a restart)
// waits for cdo.dev/approve to name its id while a broker added at the same time goes ahead, an
// approval of the wrong id or of an id an edit replaced starts nothing, and the right one does.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  calls,
  condition,
  createCloudConfigGroup,
  createKafka,
  eventually,
  kafkaSpec,
  patchKafka,
  ready,
  startKafkaHarness,
  waitForKafka,
  type KafkaHarness,
} from '../../support/kafka.ts';
import { eventsAbout } from '../../support/cluster.ts';

let h: KafkaHarness;
beforeAll(async () => {
  // A steady poll far longer than the tests: a held change starts only because the operator looks
  // again when its window opens, not because it happened to poll.
  h = await startKafkaHarness('kafka-safe', {}, { CDO_POLL_STEADY: '600' });
});
afterAll(async () => {
  await h?.stop();
});

const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * A one-hour window in `zone` opening at the next whole minute at least 60 s from now. Its day is
 * the local weekday of that instant in `zone` (not here, not UTC: near midnight they differ).
 */
function windowOpeningSoon(zone: string) {
  const opens = new Date(Math.ceil((Date.now() + 60_000) / 60_000) * 60_000);
  const local = DateTime.fromJSDate(opens, { zone });
  const window = { days: [weekdays[local.weekday - 1]!], start: local.toFormat('HH:mm'), duration: '1h', timeZone: zone };
  return { opens, window };
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const eventsOf = (name: string) => eventsAbout(h.kc, h.ns, name);

/** The Events of `reason` about `name`, once there is one: a pass writes status first, then its Events. */
const eventsWith = (name: string, reason: string) =>
  eventually(async () => {
    const found = (await eventsOf(name)).filter((e) => e.reason === reason);
    return found.length ? found : undefined;
  });

const current = (o: any) => o.status?.observedGeneration === o.metadata.generation;
const pending = (o: any, action: string) => (o.status?.pendingChanges ?? []).find((c: any) => c.action === action);

/** The simulator's requests about cluster `id`: by its id in the path or the body. */
const about = (id: string) => (r: { path: string; body: unknown }) =>
  r.path.endsWith(`/${id}`) || (r.body as any)?.serviceGroupInstanceNo === Number(id);

describe('KafkaCluster safe changes', () => {
  it(
    'a rolling upgrade waits for the maintenance window a minute away, then runs in it: Ready on the new version, ChangeFinished',
    { timeout: 240_000 },
    async () => {
      await createKafka(h, 'windowed', kafkaSpec());
      const created = await waitForKafka(h, 'windowed', ready);
      const id = created.status.clusterId;
      const target = await createCloudConfigGroup(h, 'windowed-3-9', '3903006');
      const upgrades = () => calls(h, 'rollingUpgrade').filter((r) => r.path.endsWith('/rollingUpgrade') && about(id)(r));

      const { opens, window } = windowOpeningSoon('Asia/Seoul');
      await patchKafka(h, 'windowed', { spec: { maintenanceWindow: window, kafkaVersionCode: 3903006, configGroupNo: target } });
      const held = await waitForKafka(
        h,
        'windowed',
        (x) => current(x) && pending(x, 'Upgrade')?.waitingFor === 'MaintenanceWindow' && x.status.nextMaintenanceWindow !== undefined,
      );
      expect(Date.now()).toBeLessThan(opens.getTime()); // what follows is checked before the window opens
      expect(held.status.pendingChanges).toEqual([
        {
          id: expect.stringMatching(/^u-[0-9a-f]{6}$/),
          action: 'Upgrade',
          from: 'Kafka 3713006',
          to: `Kafka 3903006 (config group ${target})`,
          disruption: 'RollingRestart',
          waitingFor: 'MaintenanceWindow',
          message: expect.stringContaining(`the next opens ${opens.toISOString()}`),
        },
      ]);
      const upgradeId = held.status.pendingChanges[0].id;
      expect(held.status.nextMaintenanceWindow).toBe(rfc3339(opens));
      expect(condition(held, 'ChangesPending')).toMatchObject({ status: 'True', reason: 'AwaitingMaintenanceWindow' });
      expect(condition(held, 'ChangesPending').message).toContain(`Upgrade ${upgradeId} (RollingRestart)`);
      // Waiting by the spec's own policy is not a failure: Ready stays True, on the old version.
      expect(condition(held, 'Ready')?.status).toBe('True');
      expect(held.status.phase).toBe('Running');
      expect(held.status.kafkaVersion.code).toBe('3713006');
      expect(upgrades()).toEqual([]);
      expect(calls(h, 'rollingUpgradePreCheck').filter(about(id))).toEqual([]);
      const awaiting = await eventsWith('windowed', 'AwaitingMaintenanceWindow');
      expect(awaiting).toEqual([
        { reason: 'AwaitingMaintenanceWindow', type: 'Normal', note: expect.stringContaining(`Upgrade ${upgradeId}`) },
      ]);
      expect(awaiting[0]!.note).toContain(opens.toISOString());
      // The kubectl table shows what waits and until when.
      const table = await h.kubectl('get', 'nkafka', 'windowed');
      expect(table).toMatch(/PENDING\s+NEXT WINDOW/);
      expect(table).toContain(upgradeId);
      expect(table).toContain(rfc3339(opens));

      // The window opens: the operator looks again a second later and starts the upgrade.
      const done = await waitForKafka(h, 'windowed', (x) => ready(x) && x.status.kafkaVersion?.code === '3903006', 150_000);
      expect(upgrades()).toHaveLength(1);
      expect(upgrades()[0]!.body).toEqual({
        serviceGroupInstanceNo: Number(id),
        upgradeKafkaVersionCode: 3903006,
        upgradeConfigGroupNo: target,
      });
      // In the window, and promptly: the operator looks again a second after it opens.
      const sent = Date.parse(upgrades()[0]!.time);
      expect(sent).toBeGreaterThanOrEqual(opens.getTime());
      expect(sent).toBeLessThan(opens.getTime() + 5_000);
      expect(done.status.configGroupNo).toBe(target);
      expect(done.status.pendingChanges).toBeUndefined();
      expect(done.status.nextMaintenanceWindow).toBeUndefined();
      expect(condition(done, 'ChangesPending')).toMatchObject({ status: 'False', reason: 'NoneHeld' });
      expect((await eventsWith('windowed', 'UpgradeStarted'))[0]!.note).toMatch(new RegExp(`\\[change ${upgradeId}\\]$`));
      expect(await eventsWith('windowed', 'ChangeFinished')).toEqual([
        {
          reason: 'ChangeFinished',
          type: 'Normal',
          note: expect.stringMatching(new RegExp(`^Upgrade ${upgradeId} .*RollingRestart.*finished`)),
        },
      ]);
    },
  );

  it(
    'Manual: a config group change waits for its approval while a broker is added at once; a wrong or replaced id starts nothing; the right one does',
    { timeout: 120_000 },
    async () => {
      await createKafka(h, 'manual', kafkaSpec({ changePolicy: 'Manual' }));
      const created = await waitForKafka(h, 'manual', ready);
      const id = created.status.clusterId;
      const [tuned, retuned] = [
        await createCloudConfigGroup(h, 'manual-tuned', '3713006'),
        await createCloudConfigGroup(h, 'manual-retuned', '3713006'),
      ];
      // G7 is POST configGroup/setClusterKafkaConfigGroup/{configGroupNo} (not under cluster/).
      const applied = () => h.sim.requests().filter((r) => r.path.includes('/configGroup/setClusterKafkaConfigGroup/') && about(id)(r));
      const addBrokers = () => calls(h, 'changeCountOfBrokerNode').filter(about(id));

      // Two changes in one edit: the broker disturbs nobody and goes ahead, the group (a restart) waits.
      await patchKafka(h, 'manual', { spec: { brokerCount: 4, configGroupNo: tuned } });
      const waiting = await waitForKafka(
        h,
        'manual',
        (x) => ready(x) && x.status.brokerCount === 4 && pending(x, 'ApplyConfigGroup')?.waitingFor === 'Approval',
      );
      expect(addBrokers()).toHaveLength(1);
      expect(applied()).toEqual([]);
      expect(waiting.status.configGroupNo).toBe(171);
      expect(waiting.status.pendingChanges).toEqual([
        {
          id: expect.stringMatching(/^acg-[0-9a-f]{6}$/),
          action: 'ApplyConfigGroup',
          from: 'config group 171',
          to: `config group ${tuned}`,
          disruption: 'Restart',
          waitingFor: 'Approval',
          message: expect.stringContaining('cdo.dev/approve='),
        },
      ]);
      const firstId: string = waiting.status.pendingChanges[0].id;
      expect(condition(waiting, 'ChangesPending')).toMatchObject({ status: 'True', reason: 'AwaitingApproval' });
      expect(await eventsWith('manual', 'AwaitingApproval')).toEqual([
        { reason: 'AwaitingApproval', type: 'Normal', note: expect.stringContaining(`cdo.dev/approve=${firstId}`) },
      ]);
      expect((await eventsWith('manual', 'AddingBrokers'))[0]!.note).toMatch(/\[change ab-[0-9a-f]{6}\]$/);

      // An approval naming no pending change is reported, and starts nothing.
      await h.kubectl('annotate', '--overwrite', 'nkafka/manual', 'cdo.dev/approve=acg-000000');
      const wrong = await waitForKafka(h, 'manual', (x) => x.status?.unmatchedApprovals?.includes('acg-000000'));
      expect(wrong.status.unmatchedApprovals).toEqual(['acg-000000']);
      expect(pending(wrong, 'ApplyConfigGroup')).toMatchObject({ id: firstId, waitingFor: 'Approval' });
      expect(applied()).toEqual([]);
      expect(await eventsWith('manual', 'ApprovalUnmatched')).toEqual([
        { reason: 'ApprovalUnmatched', type: 'Warning', note: expect.stringContaining('acg-000000') },
      ]);

      // The first change is approved, but in the same write the spec points at a third group: the
      // change is another one now, with another id, and the approval of the old one does not start it.
      await patchKafka(h, 'manual', {
        metadata: { annotations: { 'cdo.dev/approve': firstId } },
        spec: { configGroupNo: retuned },
      });
      const replaced = await waitForKafka(
        h,
        'manual',
        (x) => current(x) && pending(x, 'ApplyConfigGroup')?.to === `config group ${retuned}`,
      );
      const change = pending(replaced, 'ApplyConfigGroup');
      expect(change).toMatchObject({ waitingFor: 'Approval', disruption: 'Restart', from: 'config group 171' });
      expect(change.id).toMatch(/^acg-[0-9a-f]{6}$/);
      expect(change.id).not.toBe(firstId);
      expect(replaced.status.unmatchedApprovals).toEqual([firstId]);
      expect(condition(replaced, 'ChangesPending')?.reason).toBe('AwaitingApproval');
      expect(applied()).toEqual([]);
      const newId: string = change.id;
      await eventually(async () =>
        (await eventsOf('manual')).find((e) => e.reason === 'ApprovalUnmatched' && e.type === 'Warning' && e.note.includes(firstId)),
      );

      // Approving the new id starts it: one G7 for the third group, then Running on it.
      await h.kubectl('annotate', '--overwrite', 'nkafka/manual', `cdo.dev/approve=${newId}`);
      const o = await waitForKafka(h, 'manual', (x) => ready(x) && x.status.configGroupNo === retuned && !x.status.pendingChanges);
      expect(applied().map((r) => [r.path.split('/').pop(), r.body])).toEqual([
        [String(retuned), { kafkaVersionCode: 3713006, serviceGroupInstanceNo: Number(id) }],
      ]);
      expect(o.status.brokerCount).toBe(4);
      expect(condition(o, 'ChangesPending')).toMatchObject({ status: 'False' });
      expect(await eventsWith('manual', 'ChangeApproved')).toEqual([
        { reason: 'ChangeApproved', type: 'Normal', note: expect.stringContaining(`ApplyConfigGroup ${newId}`) },
      ]);
      expect((await eventsWith('manual', 'ConfigGroupApplied'))[0]!.note).toMatch(new RegExp(`\\[change ${newId}\\]$`));
      expect((await eventsWith('manual', 'ChangeFinished')).map((e) => e.note)).toEqual([
        expect.stringMatching(new RegExp(`^ApplyConfigGroup ${newId} .*finished`)),
      ]);
      // An approval is only ever spent on the change it names: the first group was never applied.
      expect(applied().some((r) => r.path.endsWith(`/${tuned}`))).toBe(false);
    },
  );
});
