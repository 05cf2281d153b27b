// HadoopEcoCluster safe changes, end to end (real control plane, the Hadoop Eco simulator, the
// operator as a child process): with a maintenanceWindow that is closed, a scale-out (disturbs
// nobody) runs at once while a scale-in (data movement) waits for the window, shown in status,
// Events and the kubectl table, and runs once the window is removed; a paused cluster previews its
// plan; and the bad input around windows and approvals: what admission refuses, and what the
// operator reports in status instead (an unknown time zone, an approval that matches nothing).
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cloudRequests,
  condition,
  createHec,
  eventually,
  getHec,
  hecSpec,
  patchHec,
  startHarness,
  waitForHec,
  type Harness,
} from '../../support/hadoop-eco.ts';
import { eventsAbout } from '../../support/cluster.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('hec-safe');
});
afterAll(async () => {
  await h?.stop();
});

const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A one-hour window at 12:00 UTC, three days from today: closed now, and whenever this test runs. */
function closedWindow() {
  const day = DateTime.utc().plus({ days: 3 });
  return { days: [weekdays[day.weekday - 1]!], start: '12:00', duration: '1h', timeZone: 'UTC' };
}

/** When `w` (one day, 12:00 UTC) next opens after now. */
function nextOpening(w: { days: string[] }): Date {
  let d = DateTime.utc().set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
  while (d <= DateTime.utc() || weekdays[d.weekday - 1] !== w.days[0]) d = d.plus({ days: 1 });
  return d.toJSDate();
}

const ready = (o: any) => o?.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True';
const current = (o: any) => o?.status?.observedGeneration === o?.metadata?.generation;
const pending = (o: any, action: string) => (o?.status?.pendingChanges ?? []).find((c: any) => c.action === action);

const eventsOf = (name: string) => eventsAbout(h.kc, h.ns, name);

/** The Events of `reason` about `name`, once there is one: a pass writes status first, then its Events. */
const eventsWith = (name: string, reason: string) =>
  eventually(async () => {
    const found = (await eventsOf(name)).filter((e) => e.reason === reason);
    return found.length ? found : undefined;
  });

const scaleCalls = (id: string, way: 'out' | 'in') =>
  cloudRequests(h, { mutations: true }).filter((r) => r.path === `/v2/hadoop-eco/clusters/${id}/scale-${way}`);

describe('HadoopEcoCluster safe changes', () => {
  it(
    'outside the maintenance window a scale-out runs at once, a scale-in waits for the window; without the window it runs',
    { timeout: 90_000 },
    async () => {
      const window = closedWindow();
      await createHec(h, 'windowed', hecSpec({ maintenanceWindow: window }));
      const created = await waitForHec(h, 'windowed', ready);
      const id = created.status.clusterId;
      expect(created.status.pendingChanges).toBeUndefined();

      // Adding workers disturbs nobody: it does not wait for the window.
      await h.kubectl('scale', 'hec/windowed', '--replicas=3');
      const out = await waitForHec(h, 'windowed', (x) => current(x) && ready(x) && x.status.workerCount === 3);
      expect(scaleCalls(id, 'out').map((r) => r.body)).toEqual([{ scaleCnt: 1 }]);
      expect(out.status.pendingChanges).toBeUndefined();
      expect(out.status.nextMaintenanceWindow).toBeUndefined();
      expect(condition(out, 'ChangesPending')?.status).not.toBe('True');
      expect((await eventsWith('windowed', 'ScalingOut'))[0]!.note).toMatch(/^adding 1 workers \(2 → 3\) \[change so-[0-9a-f]{6}\]$/);
      expect((await eventsOf('windowed')).map((e) => e.reason)).not.toContain('AwaitingMaintenanceWindow');

      // Removing workers moves data: it waits for the window, and says so.
      await h.kubectl('scale', 'hec/windowed', '--replicas=2');
      const held = await waitForHec(h, 'windowed', (x) => current(x) && pending(x, 'ScaleIn')?.waitingFor === 'MaintenanceWindow');
      const opens = nextOpening(window);
      expect(held.status.pendingChanges).toEqual([
        {
          id: expect.stringMatching(/^si-[0-9a-f]{6}$/),
          action: 'ScaleIn',
          from: '3 workers',
          to: '2 workers',
          disruption: 'DataMovement',
          waitingFor: 'MaintenanceWindow',
          message: `waits for the maintenance window: the next opens ${opens.toISOString()}`,
        },
      ]);
      const scaleInId: string = held.status.pendingChanges[0].id;
      expect(held.status.nextMaintenanceWindow).toBe(rfc3339(opens));
      expect(condition(held, 'ChangesPending')).toMatchObject({ status: 'True', reason: 'AwaitingMaintenanceWindow' });
      expect(condition(held, 'Ready')?.status).toBe('True');
      expect(held.status.workerCount).toBe(3);
      expect(scaleCalls(id, 'in')).toEqual([]);
      expect(await eventsWith('windowed', 'AwaitingMaintenanceWindow')).toEqual([
        {
          reason: 'AwaitingMaintenanceWindow',
          type: 'Normal',
          note: `ScaleIn ${scaleInId} (3 workers → 2 workers, disruption DataMovement) waits for the maintenance window: the next opens ${opens.toISOString()}`,
        },
      ]);
      // kubectl shows what waits and until when; -o wide adds why.
      const [header, row] = (await h.kubectl('get', 'hec', 'windowed')).trim().split('\n');
      expect(header).toMatch(/\bPENDING\s+NEXT WINDOW\b/);
      expect(row).toContain(scaleInId);
      expect(row).toContain(rfc3339(opens));
      expect(await h.kubectl('get', 'hec', 'windowed', '-o', 'wide')).toMatch(/HELD[\s\S]*AwaitingMaintenanceWindow/);

      // Without a window, nothing holds it.
      await patchHec(h, 'windowed', { spec: { maintenanceWindow: null } });
      const done = await waitForHec(h, 'windowed', (x) => current(x) && ready(x) && x.status.workerCount === 2 && !x.status.pendingChanges);
      expect(scaleCalls(id, 'in').map((r) => r.body)).toEqual([{ scaleCnt: 1 }]);
      expect(done.status.nextMaintenanceWindow).toBeUndefined();
      expect(condition(done, 'ChangesPending')).toMatchObject({ status: 'False', reason: 'NoneHeld' });
      expect((await eventsWith('windowed', 'ScalingIn'))[0]!.note).toMatch(new RegExp(`\\[change ${scaleInId}\\]$`));
      expect(await eventsWith('windowed', 'ChangeFinished')).toEqual([
        { reason: 'ChangeFinished', type: 'Normal', note: expect.stringMatching(new RegExp(`^ScaleIn ${scaleInId} .*finished`)) },
      ]);
    },
  );

  it('paused: the scale is previewed in status and made only once the annotation goes', async () => {
    await createHec(h, 'paused', hecSpec());
    const o = await waitForHec(h, 'paused', ready);
    const id = o.status.clusterId;
    await patchHec(h, 'paused', { metadata: { annotations: { 'cdo.dev/paused': 'true' } } });
    await waitForHec(h, 'paused', (x) => x.status?.phase === 'Paused');
    await h.kubectl('scale', 'hec/paused', '--replicas=3');
    const preview = await waitForHec(h, 'paused', (x) => current(x) && pending(x, 'ScaleOut'));
    expect(preview.status.phase).toBe('Paused');
    expect(preview.status.pendingChanges).toEqual([
      {
        id: expect.stringMatching(/^so-[0-9a-f]{6}$/),
        action: 'ScaleOut',
        from: '2 workers',
        to: '3 workers',
        disruption: 'None',
        waitingFor: 'Nothing',
      },
    ]);
    expect(condition(preview, 'Reconciling').message).toContain('then: adding 1 workers (2 → 3)');
    expect(scaleCalls(id, 'out')).toEqual([]);
    await patchHec(h, 'paused', { metadata: { annotations: { 'cdo.dev/paused': null } } });
    await waitForHec(h, 'paused', (x) => ready(x) && x.status.workerCount === 3 && !x.status.pendingChanges);
    expect(scaleCalls(id, 'out')).toHaveLength(1);
  });
});

describe('HadoopEcoCluster safe changes: bad input', () => {
  const window = { days: ['Saturday'], start: '02:00', duration: '4h', timeZone: 'Asia/Seoul' };
  it.each([
    [
      'a window without timeZone',
      { days: ['Saturday'], start: '02:00', duration: '4h' },
      /spec.maintenanceWindow.timeZone: Required value/,
    ],
    ['a window of 0m', { ...window, duration: '0m' }, /duration must be more than 0 and at most 168h/],
    ['a window longer than a week', { ...window, duration: '169h' }, /duration must be more than 0 and at most 168h/],
    ['a duration too large for a duration', { ...window, duration: '9999999999999h' }, /duration must be more than 0 and at most 168h/],
    ['a start at 25:00', { ...window, start: '25:00' }, /spec.maintenanceWindow.start in body should match/],
    ['a window on no day', { ...window, days: [] }, /spec.maintenanceWindow.days in body should have at least 1 items/],
    [
      'a window on a day that is no weekday',
      { ...window, days: ['Someday'] },
      /spec.maintenanceWindow.days\[0\]: Unsupported value: \W*Someday/,
    ],
  ])('admission refuses %s', async (_what, maintenanceWindow, message) => {
    await expect(createHec(h, `x${Math.random().toString(36).slice(2, 8)}`, hecSpec({ maintenanceWindow }))).rejects.toThrow(message);
  });

  it('admission refuses a changePolicy other than Automatic and Manual', async () => {
    await expect(createHec(h, 'bad-policy', hecSpec({ changePolicy: 'Sometimes' }))).rejects.toThrow(
      /spec.changePolicy: Unsupported value: \W*Sometimes/,
    );
  });

  it('an unknown time zone passes admission and is reported: Stalled InvalidSpec naming timeZone, no cloud call', async () => {
    await createHec(h, 'typo-zone', hecSpec({ maintenanceWindow: { ...window, timeZone: 'Asia/Seol' } }));
    const o = await waitForHec(h, 'typo-zone', (x) => condition(x, 'Stalled')?.status === 'True');
    expect(condition(o, 'Stalled')).toMatchObject({ reason: 'InvalidSpec' });
    expect(condition(o, 'Stalled').message).toMatch(/maintenanceWindow\.timeZone: timeZone is not an IANA time zone/);
    expect(condition(o, 'Ready')?.status).toBe('False');
    expect(o.status.clusterId).toBeUndefined();
    expect(o.metadata.finalizers ?? []).toEqual([]);
    expect(cloudRequests(h).filter((r) => (r.body as any)?.name === 'typo-zone')).toEqual([]);
    expect((await eventsWith('typo-zone', 'Stalled'))[0]!.note).toMatch(/^InvalidSpec: .*timeZone/);
    // The operator is still there, and fixing the zone is all it takes.
    expect(h.op.child.exitCode).toBeNull();
    await patchHec(h, 'typo-zone', { spec: { maintenanceWindow: { timeZone: 'Asia/Seoul' } } });
    const fixed = await waitForHec(h, 'typo-zone', ready);
    expect(condition(fixed, 'Stalled')?.status).not.toBe('True');
  });

  it('an approval that names no pending change is reported in status and by a Warning, and changes nothing', async () => {
    await createHec(h, 'approver', hecSpec({ changePolicy: 'Manual' }));
    const o = await waitForHec(h, 'approver', ready);
    const mutations = cloudRequests(h, { mutations: true }).filter((r) => r.path.includes(o.status.clusterId)).length;
    await h.kubectl('annotate', '--overwrite', 'hec/approver', 'cdo.dev/approve=si-123abc, nothing');
    const reported = await waitForHec(h, 'approver', (x) => x.status.unmatchedApprovals !== undefined);
    expect(reported.status.unmatchedApprovals).toEqual(['si-123abc', 'nothing']);
    expect(reported.status.pendingChanges).toBeUndefined();
    expect(condition(reported, 'Ready')?.status).toBe('True');
    expect(await eventsWith('approver', 'ApprovalUnmatched')).toEqual([
      { reason: 'ApprovalUnmatched', type: 'Warning', note: expect.stringContaining('si-123abc, nothing') },
    ]);
    expect(cloudRequests(h, { mutations: true }).filter((r) => r.path.includes(o.status.clusterId))).toHaveLength(mutations);
    // Taking the annotation away clears the report.
    await h.kubectl('annotate', 'hec/approver', 'cdo.dev/approve-');
    await waitForHec(h, 'approver', (x) => x.status.unmatchedApprovals === undefined);
    expect((await getHec(h, 'approver')).status.phase).toBe('Running');
  });
});
