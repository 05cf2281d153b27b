// Exponential backoff with jitter, shared by the watch (reconnects) and the work queue (per-key
// retries). "Full jitter" around the exponential step spreads retries of many keys that failed
// together, so an outage does not end in a thundering herd.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay that is randomised: 0 = none, 0.5 = ±25 %. */
  jitter?: number;
}

export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return withJitter(exp, opts.jitter ?? 0.5, random);
}

/** `ms` spread evenly over ±(fraction/2)·ms. */
export function withJitter(ms: number, fraction: number, random: () => number = Math.random): number {
  return Math.max(0, Math.round(ms * (1 - fraction / 2 + random() * fraction)));
}

/** Tracks consecutive failures; resets after a period of health (kube-rs does the same). */
export class Backoff {
  private attempt = 0;
  private lastFailureAt = 0;
  private readonly opts: BackoffOptions & { resetAfterMs: number };
  private readonly now: () => number;
  constructor(opts: BackoffOptions & { resetAfterMs: number }, now: () => number = Date.now) {
    this.opts = opts;
    this.now = now;
  }

  next(): number {
    const t = this.now();
    if (t - this.lastFailureAt > this.opts.resetAfterMs) this.attempt = 0;
    this.lastFailureAt = t;
    this.attempt += 1;
    return backoffDelay(this.attempt, this.opts);
  }

  reset(): void {
    this.attempt = 0;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
