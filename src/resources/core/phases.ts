// The rule that keeps `status.phase` and the kstatus conditions telling the same story, for every
// kind, once. A plan decides one kstatus state (ready, reconciling or stalled: exactly one of the
// conditions Ready, Reconciling, Stalled is True) and a phase; each state allows only some phases.
// The plan builders (plan.ts) take only a phase their state allows, and the status builder
// (status.ts) holds every status to the rule, so a resource never reads `Scaling` while it is
// Stalled. docs/operations.md#phases-and-conditions has the same table for people.
import { findCondition, type Condition, type KstatusState } from '../../runtime/conditions.ts';
import type { Phase, Plan } from './plan.ts';

export type KstatusStateName = KstatusState['state'];

/**
 * The phases each kstatus state may show. A phase that is work under way (Creating, Scaling,
 * Upgrading) or Paused is never Stalled: stalled work reports where the cluster stands without it
 * (see stalledPhase). Failed is never Ready nor work under way. A held change (maintenance window, approval) is Ready with ChangesPending, so it
 * needs no row of its own; paused is Reconciling (reason Paused); a resource being deleted is
 * Deleting whatever else holds it.
 */
export const phasesByState = {
  ready: ['Running', 'Completed'],
  reconciling: ['Pending', 'Creating', 'Running', 'Scaling', 'Upgrading', 'Paused', 'Deleting'],
  stalled: ['Pending', 'Running', 'Failed', 'Completed', 'Deleting'],
} as const satisfies Record<KstatusStateName, readonly Phase[]>;

/** A phase the state S allows. */
export type PhaseOf<S extends KstatusStateName> = (typeof phasesByState)[S][number];

export function phaseAllowed(state: KstatusStateName, phase: Phase): boolean {
  return (phasesByState[state] as readonly Phase[]).includes(phase);
}

/**
 * The phase a stall reports when the phase it comes from is not one a stall allows. Work under way
 * falls back to where the cluster stands without it: a stalled create has no running cluster yet
 * (Pending); a stalled scale, upgrade or in-place change leaves the cluster running as it was
 * (Running). `Failed` stays for a cluster the cloud reports broken or gone, as the kinds' plans say
 * it, so a refused scale or a rotated key never tells anyone to delete a healthy cluster.
 */
export function stalledPhase(phase: Phase | undefined): PhaseOf<'stalled'> {
  switch (phase) {
    case undefined:
    case 'Pending':
    case 'Creating':
      return 'Pending';
    // Only an invalid spec stalls a paused resource (Paused): the cluster stands where it stood, unchanged.
    case 'Running':
    case 'Scaling':
    case 'Upgrading':
    case 'Paused':
      return 'Running';
    case 'Failed':
    case 'Completed':
    case 'Deleting':
      return phase;
  }
}

/**
 * The phase a status reports for this state: the plan's when the rule allows it. A resource being
 * deleted is Deleting (also while paused or stalled). Otherwise a phase the state does not allow is
 * a bug in a plan; the status still tells one story, from the state: a stall as stalledPhase says,
 * work under way or done as Running (Failed or Completed are never work under way).
 */
export function consistentPhase(state: KstatusStateName, phase: Phase, deleting = false): Phase {
  if (deleting && state !== 'ready') return 'Deleting';
  if (phaseAllowed(state, phase)) return phase;
  if (state === 'stalled') return stalledPhase(phase);
  return 'Running';
}

/** The plan with the phase the rule gives it (the same plan when it complies). */
export function consistentPlan<P extends Plan<{ type: string }>>(plan: P, deleting = false): P {
  const phase = consistentPhase(plan.state.state, plan.phase, deleting);
  return phase === plan.phase ? plan : { ...plan, phase };
}

/** The subset of a status the rule reads. */
export interface PhasedStatus {
  phase?: Phase | undefined;
  conditions?: ReadonlyArray<{ type: string; status: string; reason: string }> | undefined;
}

/**
 * What is wrong with a status under the rule, in words (empty when nothing): exactly one of Ready,
 * Reconciling, Stalled is True; the phase is one that state allows; a paused resource says so in
 * Reconciling; a resource being deleted is Deleting. Tests hold every status to it.
 */
export function phaseViolations(status: PhasedStatus, facts: { deleting?: boolean; paused?: boolean } = {}): string[] {
  const out: string[] = [];
  const of = (type: string) => status.conditions?.find((c) => c.type === type);
  const trueOnes = (['Ready', 'Reconciling', 'Stalled'] as const).filter((t) => of(t)?.status === 'True');
  if (trueOnes.length !== 1) return [`exactly one of Ready, Reconciling, Stalled must be True; found ${trueOnes.join(', ') || 'none'}`];
  const state: KstatusStateName = trueOnes[0] === 'Ready' ? 'ready' : trueOnes[0] === 'Reconciling' ? 'reconciling' : 'stalled';
  const phase = status.phase;
  if (phase === undefined) out.push('phase is missing');
  else if (!phaseAllowed(state, phase))
    out.push(`phase ${phase} contradicts ${trueOnes[0]}=True (allowed: ${phasesByState[state].join(', ')})`);
  if (phase === 'Paused' && of('Reconciling')?.reason !== 'Paused') out.push('phase Paused needs Reconciling=True with reason Paused');
  if (facts.deleting && phase !== 'Deleting') out.push(`a resource being deleted shows phase Deleting, not ${phase}`);
  if (facts.paused && !facts.deleting && phase !== 'Paused' && state !== 'stalled')
    out.push(`a paused resource shows phase Paused, not ${phase}`);
  if (facts.paused && state === 'reconciling' && of('Reconciling')?.reason !== 'Paused')
    out.push('a paused resource has Reconciling reason Paused');
  return out;
}

/**
 * Whether a status says its resource is paused: phase Paused, or Reconciling with reason Paused
 * (a paused resource being deleted shows Deleting, see pausedDeletionPlan). The one reading of
 * it, for the Events (Paused/Resumed) and the state metrics.
 */
export function statusShowsPaused(status: { phase?: string | undefined; conditions?: readonly Condition[] | undefined }): boolean {
  if (status.phase === 'Paused') return true;
  const reconciling = findCondition(status.conditions, 'Reconciling');
  return reconciling?.status === 'True' && reconciling.reason === 'Paused';
}
