// Safe changes through the real reconciler, the Hadoop Eco adapter and its simulator, with the
// clock set by the test: a scale-in that waits for its window and then runs, one that waits for an
// approval (a wrong id, then the right one), the Events of each step, and the requeue at the
// window's opening. The scale-out beside it never waits.
import { describe, expect, it } from 'vitest';
import { components, gone, hecSpec, kafkaSpec, kakao, NS, ready } from '../support/component.ts';
import { biggerNodeProduct } from '../support/kafka.ts';

const { hec, nkafka } = components();

// 2026-12-05 is a Saturday; the window is Saturdays 02:00-04:00 in Seoul (17:00-19:00Z Friday).
const window = { days: ['Saturday'], start: '02:00', duration: '2h', timeZone: 'Asia/Seoul' };
const BEFORE = new Date('2026-12-04T16:59:30Z');
const INSIDE = new Date('2026-12-04T17:00:30Z');

const scaleIns = (c: { sim: { requests(): Array<{ path: string }> } }) => c.sim.requests().filter((r) => r.path.endsWith('/scale-in'));
const notes = (c: { store: { events: Array<{ reason: string; note?: string | undefined }> } }, reason: string) =>
  c.store.events.filter((e) => e.reason === reason).map((e) => e.note ?? '');

describe('a scale-in under a maintenance window', () => {
  it('waits, says when the window opens, is looked at again then, and runs inside it', async () => {
    const c = await hec('analytics', hecSpec({ workerCount: 3, maintenanceWindow: window }));
    c.now = BEFORE;
    await c.until(ready);
    c.store.setSpec(hecSpec({ workerCount: 2, maintenanceWindow: window }));
    const { outcome } = await c.pass();
    const pending = c.store.status()['pendingChanges'] as Array<Record<string, unknown>>;
    expect(pending).toEqual([
      expect.objectContaining({
        action: 'ScaleIn',
        from: '3 workers',
        to: '2 workers',
        disruption: 'DataMovement',
        waitingFor: 'MaintenanceWindow',
      }),
    ]);
    expect(c.store.status()['nextMaintenanceWindow']).toBe('2026-12-04T17:00:00Z');
    expect(c.store.condition('Ready')?.status).toBe('True');
    expect(c.store.condition('ChangesPending')).toMatchObject({ status: 'True', reason: 'AwaitingMaintenanceWindow' });
    // Sooner than the steady cadence (60 s here): one second after the window opens.
    expect(outcome).toEqual({ requeueAfter: 31 });
    expect(notes(c, 'AwaitingMaintenanceWindow')).toEqual([expect.stringContaining('the next opens 2026-12-04T17:00:00.000Z')]);
    await c.pass();
    expect(scaleIns(c)).toEqual([]);
    expect(notes(c, 'AwaitingMaintenanceWindow')).toHaveLength(1);

    c.now = INSIDE;
    await c.pass();
    expect(scaleIns(c)).toHaveLength(1);
    expect(notes(c, 'ScalingIn')).toEqual([expect.stringContaining(`[change ${String(pending[0]!['id'])}]`)]);
    await c.until((x) => ready(x) && x.store.status()['workerCount'] === 2);
    expect(c.store.status()['pendingChanges']).toBeUndefined();
    expect(c.store.condition('ChangesPending')).toMatchObject({ status: 'False' });
    expect(notes(c, 'ChangeFinished')).toEqual([expect.stringContaining('ScaleIn')]);
  });

  it('a window that closes while the pass reads the cloud: the change is judged again before it starts, and waits', async () => {
    const c = await hec('late', hecSpec({ workerCount: 3, maintenanceWindow: window }));
    c.now = BEFORE;
    await c.until(ready);
    c.store.setSpec(hecSpec({ workerCount: 2, maintenanceWindow: window }));
    // The pass reads the clock as it starts (a second before the window closes), then again just
    // before the scale-in would start (five seconds after).
    const readings = [new Date('2026-12-04T18:59:59Z'), new Date('2026-12-04T19:00:05Z')];
    let read = 0;
    Object.defineProperty(c, 'now', { get: () => readings[Math.min(read++, 1)], configurable: true });
    await c.pass();
    expect(read).toBe(2);
    expect(scaleIns(c)).toEqual([]);
    expect(c.store.status()['pendingChanges']).toEqual([expect.objectContaining({ action: 'ScaleIn', waitingFor: 'MaintenanceWindow' })]);
  });

  it('a scale-out never waits for the window', async () => {
    const c = await hec('growing', hecSpec({ workerCount: 2, maintenanceWindow: window }));
    c.now = BEFORE;
    await c.until(ready);
    c.store.setSpec(hecSpec({ workerCount: 4, maintenanceWindow: window }));
    await c.pass();
    expect(c.store.eventReasons()).toContain('ScalingOut');
    expect(c.store.eventReasons()).not.toContain('AwaitingMaintenanceWindow');
  });
});

describe('a scale-in under changePolicy Manual', () => {
  it('waits for an approval of its id; a wrong id is reported; the right one starts it', async () => {
    const c = await hec('guarded', hecSpec({ workerCount: 3, changePolicy: 'Manual' }));
    await c.until(ready);
    c.store.setSpec(hecSpec({ workerCount: 2, changePolicy: 'Manual' }));
    await c.pass();
    const [change] = c.store.status()['pendingChanges'] as Array<{ id: string; waitingFor: string }>;
    expect(change).toMatchObject({ waitingFor: 'Approval' });
    expect(notes(c, 'AwaitingApproval')).toEqual([expect.stringContaining(`cdo.dev/approve=${change!.id}`)]);

    c.store.setAnnotations({ 'cdo.dev/approve': 'si-000000' });
    await c.pass();
    expect(scaleIns(c)).toEqual([]);
    expect(c.store.status()['unmatchedApprovals']).toEqual(['si-000000']);
    expect(notes(c, 'ApprovalUnmatched')).toEqual([expect.stringContaining('si-000000')]);

    c.store.setAnnotations({ 'cdo.dev/approve': `si-000000, ${change!.id}` });
    await c.pass();
    expect(scaleIns(c)).toHaveLength(1);
    expect(notes(c, 'ChangeApproved')).toEqual([expect.stringContaining(change!.id)]);
    await c.until((x) => ready(x) && x.store.status()['workerCount'] === 2);
    expect(notes(c, 'ChangeFinished')).toHaveLength(1);
    // The approval that ran stays in the annotation without being reported; the mistaken one is.
    await c.pass();
    expect(c.store.status()['approvalsUsed']).toEqual([change!.id]);
    expect(c.store.status()['unmatchedApprovals']).toEqual(['si-000000']);
    expect(notes(c, 'ApprovalUnmatched')).toHaveLength(1);
  });

  it('an approval given before an edit does not carry over to the edited change', async () => {
    const c = await hec('edited', hecSpec({ workerCount: 4, changePolicy: 'Manual' }));
    await c.until(ready);
    c.store.setSpec(hecSpec({ workerCount: 3, changePolicy: 'Manual' }));
    await c.pass();
    const [first] = c.store.status()['pendingChanges'] as Array<{ id: string }>;
    c.store.setSpec(hecSpec({ workerCount: 2, changePolicy: 'Manual' }));
    c.store.setAnnotations({ 'cdo.dev/approve': first!.id });
    await c.pass();
    const [second] = c.store.status()['pendingChanges'] as Array<{ id: string; waitingFor: string; to: string }>;
    expect(second).toMatchObject({ to: '2 workers', waitingFor: 'Approval' });
    expect(second!.id).not.toBe(first!.id);
    expect(c.store.status()['unmatchedApprovals']).toEqual([first!.id]);
    expect(scaleIns(c)).toEqual([]);
  });
});

describe('deletion', () => {
  it('is never held: it follows deletionPolicy while a change waits for its window and an approval', async () => {
    const spec = { changePolicy: 'Manual', maintenanceWindow: window };
    const c = await hec('leaving', hecSpec({ workerCount: 3, ...spec }));
    c.now = BEFORE;
    await c.until(ready);
    c.store.setSpec(hecSpec({ workerCount: 2, ...spec }));
    await c.pass();
    expect(c.store.condition('ChangesPending')?.status).toBe('True');
    c.store.delete();
    await c.until(gone);
    expect(c.sim.requests().filter((r) => r.method === 'DELETE' && !r.path.endsWith('/scale-in'))).toHaveLength(1);
    expect(scaleIns(c)).toEqual([]);
  });
});

describe('a mistake in the change settings', () => {
  it('an unknown time zone stalls the resource, but never its deletion', async () => {
    const c = await hec('mistyped', hecSpec({ workerCount: 3, maintenanceWindow: window }));
    await c.until(ready);
    c.store.setSpec(hecSpec({ workerCount: 2, maintenanceWindow: { ...window, timeZone: 'Asia/Seol' } }));
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'InvalidSpec' });
    expect(c.store.condition('Stalled')?.message).toContain('maintenanceWindow.timeZone');
    expect(scaleIns(c)).toEqual([]);
    c.store.delete();
    await c.until(gone);
    expect(c.sim.requests().filter((r) => r.method === 'DELETE' && !r.path.endsWith('/scale-in'))).toHaveLength(1);
  });
});

describe('a held change is not a field the cloud failed to apply', () => {
  it('a node spec change waiting for approval raises no SpecNotApplied; once approved it runs', async () => {
    const c = await nkafka('events', kafkaSpec({ changePolicy: 'Manual' }));
    await c.until(ready);
    const bigger = { nodeProductCode: biggerNodeProduct, subnetNo: 222, storageSizeGB: 100 };
    c.store.setSpec(kafkaSpec({ changePolicy: 'Manual', broker: bigger }));
    await c.pass();
    await c.pass();
    const [change] = c.store.status()['pendingChanges'] as Array<{ id: string; action: string; disruption: string; waitingFor: string }>;
    expect(change).toMatchObject({ action: 'ChangeNodeSpec', disruption: 'Restart', waitingFor: 'Approval' });
    expect(c.store.condition('SpecApplied')?.status).not.toBe('False');
    expect(c.store.eventReasons()).not.toContain('SpecNotApplied');
    c.store.setAnnotations({ 'cdo.dev/approve': change!.id });
    await c.until((x) => ready(x) && x.store.status()['pendingChanges'] === undefined);
    expect(c.store.eventReasons()).toEqual(expect.arrayContaining(['ChangeApproved', 'NodeSpecChangeStarted', 'ChangeFinished']));
  });
});

describe('passes that make no plan', () => {
  it('a stall while a change is under way keeps it listed: no false ChangeFinished, and its approval counts as used', async () => {
    const c = await hec('interrupted', hecSpec({ workerCount: 3, changePolicy: 'Manual' }));
    await c.until(ready);
    c.store.setSpec(hecSpec({ workerCount: 2, changePolicy: 'Manual' }));
    await c.pass();
    const [change] = c.store.status()['pendingChanges'] as Array<{ id: string }>;
    c.store.setAnnotations({ 'cdo.dev/approve': change!.id });
    await c.pass();
    expect(scaleIns(c)).toHaveLength(1);
    // The credentials lose a key before the next pass: it stalls before it can plan.
    c.secrets.set(NS, 'kakao', { credentialId: kakao.credentialId });
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'SecretKeyMissing' });
    expect(c.store.status()['pendingChanges']).toEqual([expect.objectContaining({ id: change!.id, startedAt: expect.any(String) })]);
    expect(c.store.eventReasons()).not.toContain('ChangeFinished');
    c.secrets.set(NS, 'kakao', kakao);
    await c.until((x) => ready(x) && x.store.status()['workerCount'] === 2);
    await c.pass();
    expect(notes(c, 'ChangeFinished')).toHaveLength(1);
    expect(c.store.status()['approvalsUsed']).toEqual([change!.id]);
    expect(c.store.status()['unmatchedApprovals']).toBeUndefined();
    expect(c.store.eventReasons()).not.toContain('ApprovalUnmatched');
  });

  it('paused, a cloud blip leaves the preview as it was and is not retried with backoff', async () => {
    const c = await hec('resting', hecSpec({ workerCount: 3, maintenanceWindow: window }));
    c.now = BEFORE;
    await c.until(ready);
    c.store.setAnnotations({ 'cdo.dev/paused': 'true' });
    c.store.setSpec(hecSpec({ workerCount: 2, maintenanceWindow: window }));
    await c.pass();
    const preview = c.store.status();
    expect(preview['phase']).toBe('Paused');
    const [writes, events] = [c.store.ops().length, c.store.events.length];
    c.sim.faults.set({ errorRate: 1 });
    for (let i = 0; i < 3; i++) {
      const { outcome, error } = await c.pass();
      expect(error).toBeUndefined();
      expect(outcome).toEqual({ requeueAfter: expect.any(Number) });
    }
    expect(c.store.ops()).toHaveLength(writes);
    expect(c.store.events).toHaveLength(events);
    expect(c.store.status()).toEqual(preview);
  });
});
