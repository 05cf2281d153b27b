// The status fields every kind reports the same way, computed from the pass's plan: generation,
// phase, identity, the kstatus conditions and SpecApplied. A kind's status.ts spreads these into
// its own status and adds what its cloud reports. Pure and deterministic, so an unchanged cluster
// gives an unchanged status and no write.
import { kstatusConditions, setCondition, type Condition } from '../../runtime/conditions.ts';
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
  /** The comparison of this pass (undefined when none ran: the previous SpecApplied stays). */
  verified?: Difference[] | undefined;
  now?: Date | undefined;
}

export function coreStatus(s: CoreStatusInput): CommonStatus {
  let conditions: Condition[] = kstatusConditions(s.previous.conditions ?? [], s.plan.state, s.generation, s.now);
  // Without a comparison in this pass, the previous SpecApplied (kept among the conditions) stands.
  if (s.verified) conditions = setCondition(conditions, specAppliedCondition(s.verified), s.generation, s.now);
  return {
    observedGeneration: s.generation,
    phase: s.plan.phase,
    clusterId: s.clusterId,
    clusterName: s.clusterName,
    conditions,
    lastHandledReconcileAt: s.lastHandledReconcileAt,
    deleteRequestedAt: s.deleteRequestedAt,
  };
}

/** Drops undefined fields the way the API server stores JSON, so equal statuses compare equal. */
export function stored<T>(status: T): T {
  return JSON.parse(JSON.stringify(status)) as T;
}
