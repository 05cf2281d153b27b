// The status fields every kind reports the same way, computed from the pass's plan: generation,
// phase, identity, the kstatus conditions and SpecApplied. A kind's status.ts spreads these into
// its own status and adds what its cloud reports. Pure and deterministic, so an unchanged cluster
// gives an unchanged status and no write.
import { findCondition, kstatusConditions, nowRfc3339, setCondition, type Condition } from '../../runtime/conditions.ts';
import type { PendingChange } from './changes.ts';
import { consistentPhase } from './phases.ts';
import type { Plan } from './plan.ts';
import type { CommonStatus } from './schema.ts';
import { specAppliedCondition, type Difference } from './verify.ts';

export interface CoreStatusInput {
  previous: CommonStatus;
  plan: Plan<{ type: string }>;
  generation: number | undefined;
  clusterId: string | undefined;
  clusterName: string;
  deleteRequestedAt?: string | undefined;
  lastHandledReconcileAt?: string | undefined;
  /** The plan's action was carried out in this pass (not a preview, not paused): its change is started. */
  acted?: boolean | undefined;
  /** The resource has a deletionTimestamp: its phase is Deleting, whatever else holds it (phases.ts). */
  deleting?: boolean | undefined;
  /** The comparison of this pass (undefined when none ran: the previous SpecApplied stays). */
  verified?: Difference[] | undefined;
  now?: Date | undefined;
}

export function coreStatus(s: CoreStatusInput): CommonStatus {
  let conditions: Condition[] = kstatusConditions(s.previous.conditions ?? [], s.plan.state, s.generation, s.now);
  // Without a comparison in this pass, the previous SpecApplied (kept among the conditions) stands.
  if (s.verified) conditions = setCondition(conditions, specAppliedCondition(s.verified), s.generation, s.now);
  const changes = s.plan.changes;
  const pending = changes && (s.acted ? started(changes.pending, s.now) : changes.pending);
  conditions = changesPendingCondition(conditions, pending ?? [], s.generation, s.now);
  return {
    observedGeneration: s.generation,
    // The phase never contradicts the conditions (phases.ts), whatever plan built this status.
    phase: consistentPhase(s.plan.state.state, s.plan.phase, s.deleting),
    clusterId: s.clusterId,
    clusterName: s.clusterName,
    conditions,
    lastHandledReconcileAt: s.lastHandledReconcileAt,
    deleteRequestedAt: s.deleteRequestedAt,
    pendingChanges: pending?.length ? pending : undefined,
    pendingChangeIds: pending?.length ? pending.map((p) => p.id).join(',') : undefined,
    nextMaintenanceWindow: changes?.nextWindow && nowRfc3339(changes.nextWindow),
    unmatchedApprovals: changes?.unmatchedApprovals,
    approvalsUsed: changes?.approvalsUsed,
  };
}

/** The change this pass carried out is started: it waits for the cloud from now on. */
function started(pending: PendingChange[], now: Date | undefined): PendingChange[] {
  return pending.map((p) =>
    p.waitingFor === 'Nothing'
      ? { ...p, waitingFor: 'Cloud', message: 'started; waiting for the cloud to finish', startedAt: nowRfc3339(now) }
      : p,
  );
}

/**
 * ChangesPending: True while a change waits for the maintenance window or an approval. Not a
 * kstatus condition on purpose: waiting by the spec's own policy leaves Ready as it was, so
 * Argo CD and Flux do not hold unrelated syncs for days (docs/changing-safely.md).
 */
function changesPendingCondition(conditions: Condition[], pending: PendingChange[], generation: number | undefined, now: Date | undefined) {
  const held = pending.filter((p) => p.waitingFor === 'MaintenanceWindow' || p.waitingFor === 'Approval');
  if (held.length === 0) {
    if (!findCondition(conditions, 'ChangesPending')) return conditions;
    return setCondition(conditions, { type: 'ChangesPending', status: 'False', reason: 'NoneHeld', message: '' }, generation, now);
  }
  const approval = held.some((p) => p.waitingFor === 'Approval');
  const message = held.map((p) => `${p.action} ${p.id} (${p.disruption}): ${p.message ?? ''}`).join('; ');
  return setCondition(
    conditions,
    { type: 'ChangesPending', status: 'True', reason: approval ? 'AwaitingApproval' : 'AwaitingMaintenanceWindow', message },
    generation,
    now,
  );
}

/** Drops undefined fields the way the API server stores JSON, so equal statuses compare equal. */
export function stored<T>(status: T): T {
  return JSON.parse(JSON.stringify(status)) as T;
}
