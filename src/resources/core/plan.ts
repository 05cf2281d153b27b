// The plan vocabulary every kind speaks: one action, a phase, a kstatus state and a cadence, and
// the builders of each. The decisions every kind makes the same way are in managed-plan.ts.
import type { z } from 'zod';
import type { KstatusState } from '../../runtime/conditions.ts';
import type { ChangeReport } from './changes.ts';
import { stalledPhase, type PhaseOf } from './phases.ts';
import type { phase } from './schema.ts';

export type Phase = z.infer<typeof phase>;

/** How soon to look again: `busy` while the cloud is changing, `steady` when stable, `never` when only a change can help. */
export type Cadence = 'busy' | 'steady' | 'never';

export interface Plan<A extends { type: string }> {
  action: A;
  phase: Phase;
  state: KstatusState;
  cadence: Cadence;
  /** A running cluster's in-place changes and what each waits for (changes.ts); absent when none are planned. */
  changes?: ChangeReport | undefined;
}

/** The actions the core carries out itself, for every kind; a kind's union adds its own changes. */
export type CoreAction =
  | { type: 'Create' }
  | { type: 'Adopt'; clusterId: string }
  | { type: 'Delete' }
  | { type: 'ReleaseFinalizer' }
  | { type: 'Wait' }
  | { type: 'Done' }
  | { type: 'Stall' };

// Each builder takes only a phase its kstatus state allows (phases.ts): a stalled Scaling does not compile.
export const wait = (
  phase: PhaseOf<'reconciling'>,
  reason: string,
  message: string,
  cadence: Cadence = 'busy',
): Plan<{ type: 'Wait' }> => ({
  action: { type: 'Wait' },
  phase,
  state: { state: 'reconciling', reason, message },
  cadence,
});

export const act = <A extends { type: string }>(action: A, phase: PhaseOf<'reconciling'>, reason: string, message: string): Plan<A> => ({
  action,
  phase,
  state: { state: 'reconciling', reason, message },
  cadence: 'busy',
});

export const stall = (phase: PhaseOf<'stalled'>, reason: string, message: string): Plan<{ type: 'Stall' }> => ({
  action: { type: 'Stall' },
  phase,
  state: { state: 'stalled', reason, message },
  cadence: 'never',
});

export const done = (phase: PhaseOf<'ready'>, reason: string, message: string, cadence: Cadence = 'steady'): Plan<{ type: 'Done' }> => ({
  action: { type: 'Done' },
  phase,
  state: { state: 'ready', reason, message },
  cadence,
});

/** Nothing to do, but the cluster does not match the spec (ObserveOnly): reported, polled slowly. */
export const drifted = (message: string): Plan<{ type: 'Done' }> => ({
  action: { type: 'Done' },
  phase: 'Running',
  state: { state: 'reconciling', reason: 'Drifted', message },
  cadence: 'steady',
});

export const release = (message: string): Plan<{ type: 'ReleaseFinalizer' }> => ({
  action: { type: 'ReleaseFinalizer' },
  phase: 'Deleting',
  state: { state: 'reconciling', reason: 'Deleting', message },
  cadence: 'never',
});

export const pausedPlan = (): Plan<{ type: 'Done' }> => ({
  action: { type: 'Done' },
  phase: 'Paused',
  state: {
    state: 'reconciling',
    reason: 'Paused',
    message: 'cdo.dev/paused is "true": the cloud is read, never changed, until it is removed',
  },
  cadence: 'never',
});

/**
 * A paused resource that is being deleted: Deleting, as every resource being deleted is, and
 * Reconciling with reason Paused, since nothing happens (no cloud call, no preview) until the
 * annotation goes.
 */
export const pausedDeletionPlan = (): Plan<{ type: 'Done' }> => ({
  action: { type: 'Done' },
  phase: 'Deleting',
  state: {
    state: 'reconciling',
    reason: 'Paused',
    message: 'cdo.dev/paused is "true": the deletion waits, with no cloud call, until it is removed',
  },
  cadence: 'never',
});

/** A paused resource's status: Paused, with the plan it would carry out once resumed (nothing is started). */
export function previewPlan(plan: Plan<{ type: string }>): Plan<{ type: string }> {
  const paused = pausedPlan();
  return { ...paused, changes: plan.changes, state: { ...paused.state, message: `${paused.state.message}; then: ${plan.state.message}` } };
}

/**
 * A failure that needs a human, reported without forgetting where the cluster stands: the last
 * phase, or, when that was work under way (Scaling …), the phase it settles in (phases.ts).
 */
export function stalledFrom(previousPhase: Phase | undefined, reason: string, message: string, deleting = false): Plan<{ type: 'Stall' }> {
  return stall(deleting ? 'Deleting' : stalledPhase(previousPhase), reason, message);
}
