// When a managed resource is looked at again: the plan's cadence (busy while the cloud works, steady
// when it is stable, never when only a change can help), spread a little so resources observed
// together do not poll in lock-step, and sooner when a maintenance window a change waits for opens.
import type { Plan } from './plan.ts';

/** When to look again: the plan's cadence, or sooner when a maintenance window a change waits for opens. */
export function requeueSeconds(
  plan: Plan<{ type: string }>,
  cfg: { busySeconds: number; steadySeconds: number },
  now: Date,
  random: () => number = Math.random,
): number | undefined {
  const cadence = cadenceSeconds(plan.cadence, cfg, random);
  const next = plan.changes?.nextWindow;
  if (!next) return cadence;
  // One second after it opens, so the pass that follows sees it open.
  const untilOpen = Math.max(1, Math.ceil((next.getTime() - now.getTime()) / 1000) + 1);
  return cadence === undefined ? untilOpen : Math.min(cadence, untilOpen);
}

export function cadenceSeconds(
  cadence: Plan<{ type: string }>['cadence'],
  cfg: { busySeconds: number; steadySeconds: number },
  random: () => number = Math.random,
): number | undefined {
  if (cadence === 'busy') return cfg.busySeconds;
  // Up to a tenth later, never earlier: resources observed together (a restart, a burst of applies)
  // drift apart instead of polling the cloud in lock-step every steady period.
  if (cadence === 'steady') return Math.round(cfg.steadySeconds * (1 + random() * 0.1) * 10) / 10;
  return undefined;
}
