// The vocabulary both kinds' state machines speak: a plan is one action plus how to describe the
// cluster meanwhile (phase, kstatus state) and how soon to look again. Each kind's plan.ts adds its
// own actions (ScaleOut, AddBrokers, Upgrade …) to the shared ones.
import type { z } from 'zod';
import type { KstatusState } from '../../runtime/conditions.ts';
import type { phase } from './schema.ts';

export type Phase = z.infer<typeof phase>;

/** How soon to look again: `busy` while the cloud is changing, `steady` when stable, `never` when only a change can help. */
export type Cadence = 'busy' | 'steady' | 'never';

export interface Plan<A extends { type: string }> {
  action: A;
  phase: Phase;
  state: KstatusState;
  cadence: Cadence;
}

export const wait = (phase: Phase, reason: string, message: string, cadence: Cadence = 'busy'): Plan<{ type: 'Wait' }> => ({
  action: { type: 'Wait' },
  phase,
  state: { state: 'reconciling', reason, message },
  cadence,
});

export const act = <A extends { type: string }>(action: A, phase: Phase, reason: string, message: string): Plan<A> => ({
  action,
  phase,
  state: { state: 'reconciling', reason, message },
  cadence: 'busy',
});

export const stall = (phase: Phase, reason: string, message: string): Plan<{ type: 'Stall' }> => ({
  action: { type: 'Stall' },
  phase,
  state: { state: 'stalled', reason, message },
  cadence: 'never',
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
  state: { state: 'reconciling', reason: 'Paused', message: 'cdo.dev/paused is "true": no cloud calls until it is removed' },
  cadence: 'never',
});

/** A failure that needs a human, reported without forgetting a phase the cluster really is in. */
export function stalledFrom(previousPhase: Phase | undefined, reason: string, message: string): Plan<{ type: 'Stall' }> {
  const keep = previousPhase === 'Running' || previousPhase === 'Completed';
  return stall(keep ? previousPhase : (previousPhase ?? 'Pending'), reason, message);
}
