// Every Event the operator records about a resource comes from here: one Event for each action it
// carries out, else one for each transition of the resource's status (previous → new), plus one
// when the cloud turns out not to have applied the spec. The reasons are a fixed list: users and
// alerts may filter on them (docs/operations.md#events lists them; a test keeps that list true).
import { findCondition, type Condition } from '../../runtime/conditions.ts';
import type { EventInput } from '../../runtime/events.ts';
import type { PendingChange } from './changes.ts';
import { statusShowsPaused } from './phases.ts';

export const eventReasons = {
  // Actions: one Event each time the operator asks the cloud (or the API server) for a change.
  CreateRequested: { type: 'Normal', action: 'Create', doc: 'the operator sent the create of the cloud cluster' },
  Adopted: { type: 'Normal', action: 'Adopt', doc: 'the cluster of an interrupted create of ours was found by name and recorded' },
  ScalingOut: { type: 'Normal', action: 'Scale', doc: 'Hadoop Eco: workers are being added' },
  ScalingIn: { type: 'Normal', action: 'Scale', doc: 'Hadoop Eco: workers are being removed' },
  AddingBrokers: { type: 'Normal', action: 'Scale', doc: 'CDSS: brokers are being added' },
  UpgradeStarted: { type: 'Normal', action: 'Upgrade', doc: 'CDSS: a rolling upgrade of the Kafka version started' },
  ConfigGroupApplied: {
    type: 'Normal',
    action: 'ApplyConfigGroup',
    doc: 'CDSS: a config group was applied to the running cluster in place (CDSS restarts the brokers)',
  },
  NodeSpecChangeStarted: { type: 'Normal', action: 'ChangeNodeSpec', doc: 'CDSS: a change of the manager and/or broker node spec started' },
  PublicAccessChanged: {
    type: 'Normal',
    action: 'SetPublicAccess',
    doc: 'CDSS: the broker public endpoint or the manager public domain was switched on or off',
  },
  PasswordReset: { type: 'Normal', action: 'ResetPassword', doc: 'CDSS: the manager password was reset from its Secret' },
  ConfigUpdated: {
    type: 'Normal',
    action: 'Update',
    doc: 'CDSS: a config group got new settings or a new description (clusters get them when it is next applied)',
  },
  DeleteRequested: { type: 'Normal', action: 'Delete', doc: 'the operator sent the delete of the cloud cluster' },
  Deleted: { type: 'Normal', action: 'Delete', doc: 'the finalizer was released (the cluster is gone, or the policies leave it alone)' },
  // Transitions: the status moved without an action of ours in this pass.
  Ready: { type: 'Normal', action: 'Reconcile', doc: 'the cluster runs as the spec asks (Ready became True)' },
  Completed: { type: 'Normal', action: 'Reconcile', doc: 'Hadoop Eco: a job cluster ended by its terminationPolicy' },
  Progressing: {
    type: 'Normal',
    action: 'Reconcile',
    doc: 'the phase changed while the cloud works (e.g. Creating → Running, not yet Ready)',
  },
  Paused: { type: 'Normal', action: 'Reconcile', doc: 'cdo.dev/paused was set: the cloud is read, never changed, until it is removed' },
  Resumed: { type: 'Normal', action: 'Reconcile', doc: 'cdo.dev/paused was removed' },
  Drifted: { type: 'Warning', action: 'Reconcile', doc: 'ObserveOnly: the cloud differs from the spec and nothing will change it' },
  Stalled: { type: 'Warning', action: 'Reconcile', doc: 'progress needs a human; the note starts with the Stalled reason' },
  // Safe changes (docs/changing-safely.md): what waits, what was approved, what finished.
  AwaitingMaintenanceWindow: {
    type: 'Normal',
    action: 'Gate',
    doc: 'a disruptive change waits for spec.maintenanceWindow; the note says when the next window opens',
  },
  AwaitingApproval: {
    type: 'Normal',
    action: 'Gate',
    doc: 'changePolicy Manual: a disruptive change waits for cdo.dev/approve to name its id (the note has the command)',
  },
  ChangeApproved: { type: 'Normal', action: 'Gate', doc: 'cdo.dev/approve named a waiting change: it starts now, or in the next window' },
  ChangeFinished: {
    type: 'Normal',
    action: 'Gate',
    doc: 'a disruptive change the operator started is done: the cloud reports what the spec asks',
  },
  ApprovalUnmatched: {
    type: 'Warning',
    action: 'Gate',
    doc: 'cdo.dev/approve names an id that matches no pending change and started none (mistaken, or an edit replaced it)',
  },
  SpecNotApplied: {
    type: 'Warning',
    action: 'Verify',
    doc: 'the cloud reports other values than the spec for fields it cannot change (the SpecApplied condition names them)',
  },
} as const satisfies Record<string, { type: 'Normal' | 'Warning'; action: string; doc: string }>;

export type EventReason = keyof typeof eventReasons;

/** An action the core or the kind carried out in this pass. */
export interface ActionTaken {
  reason: EventReason;
  note: string;
}

/** The status fields Events are derived from. */
export interface EventedStatus {
  phase?: string | undefined;
  conditions?: Condition[] | undefined;
  pendingChanges?: PendingChange[] | undefined;
  unmatchedApprovals?: string[] | undefined;
}

export function eventFor(reason: EventReason, note: string): EventInput {
  const r = eventReasons[reason];
  return { type: r.type, reason, action: r.action, note };
}

const isTrue = (s: EventedStatus, type: string) => findCondition(s.conditions, type)?.status === 'True';
const reasonOf = (s: EventedStatus, type: string) => findCondition(s.conditions, type)?.reason;

/** The Events for one pass: previous status, the status written (undefined once released), the action taken. */
export function eventsFor(previous: EventedStatus, next: EventedStatus | undefined, action: ActionTaken | undefined): EventInput[] {
  const out: EventInput[] = [];
  const first = action ? eventFor(action.reason, action.note) : next && transition(previous, next);
  if (first) out.push(first);
  const applied = next && findCondition(next.conditions, 'SpecApplied');
  const before = findCondition(previous.conditions, 'SpecApplied');
  if (applied?.status === 'False' && (before?.status !== 'False' || before.message !== applied.message)) {
    out.push(eventFor('SpecNotApplied', applied.message));
  }
  if (next) out.push(...changeEvents(previous, next));
  return out;
}

const describe = (c: PendingChange) => `${c.action} ${c.id} (${c.from ? `${c.from} → ` : ''}${c.to}, disruption ${c.disruption})`;

/** The Events of the pending changes' moves: awaiting (window, approval), approved, finished; approvals matching nothing. */
function changeEvents(previous: EventedStatus, next: EventedStatus): EventInput[] {
  const out: EventInput[] = [];
  const before = new Map((previous.pendingChanges ?? []).map((c) => [c.id, c]));
  const after = new Set((next.pendingChanges ?? []).map((c) => c.id));
  for (const c of next.pendingChanges ?? []) {
    const was = before.get(c.id)?.waitingFor;
    if (c.waitingFor === 'Approval' && was !== 'Approval') {
      out.push(
        eventFor(
          'AwaitingApproval',
          `${describe(c)} waits for approval: kubectl annotate --overwrite <resource> cdo.dev/approve=${c.id} (keeping any ids already there, comma-separated)`,
        ),
      );
    } else if (c.waitingFor === 'MaintenanceWindow' && was !== 'MaintenanceWindow') {
      out.push(eventFor('AwaitingMaintenanceWindow', `${describe(c)} ${c.message ?? 'waits for the maintenance window'}`));
    }
    if (was === 'Approval' && c.waitingFor !== 'Approval') out.push(eventFor('ChangeApproved', `${describe(c)} approved`));
  }
  for (const c of previous.pendingChanges ?? []) {
    // Only disruptive changes: one that disturbs nobody ends with the Ready Event alone.
    if (c.startedAt && c.disruption !== 'None' && !after.has(c.id))
      out.push(eventFor('ChangeFinished', `${describe(c)} finished (started ${c.startedAt})`));
  }
  const unmatched = (next.unmatchedApprovals ?? []).filter((id) => !(previous.unmatchedApprovals ?? []).includes(id));
  if (unmatched.length) {
    out.push(
      eventFor(
        'ApprovalUnmatched',
        `cdo.dev/approve names ${unmatched.join(', ')}, which matches no pending change and started none (mistaken, or an edit replaced it)`,
      ),
    );
  }
  return out;
}

function transition(previous: EventedStatus, next: EventedStatus): EventInput | undefined {
  const message = (type: string) => findCondition(next.conditions, type)?.message ?? '';
  if (isTrue(next, 'Stalled')) {
    const reason = reasonOf(next, 'Stalled');
    if (!isTrue(previous, 'Stalled') || reasonOf(previous, 'Stalled') !== reason)
      return eventFor('Stalled', `${reason}: ${message('Stalled')}`);
    return undefined;
  }
  if (isTrue(next, 'Ready')) {
    if (isTrue(previous, 'Ready') && previous.phase === next.phase) return undefined;
    return eventFor(next.phase === 'Completed' ? 'Completed' : 'Ready', message('Ready'));
  }
  // Paused is read from the phase or Reconciling's reason: a paused resource being deleted shows Deleting.
  if (statusShowsPaused(next)) return statusShowsPaused(previous) ? undefined : eventFor('Paused', message('Reconciling'));
  if (statusShowsPaused(previous)) return eventFor('Resumed', message('Reconciling'));
  if (reasonOf(next, 'Reconciling') === 'Drifted') {
    return reasonOf(previous, 'Reconciling') === 'Drifted' ? undefined : eventFor('Drifted', message('Reconciling'));
  }
  if (previous.phase !== undefined && previous.phase !== next.phase) {
    return eventFor('Progressing', `${previous.phase} → ${next.phase}: ${message('Reconciling')}`);
  }
  return undefined;
}
