// Fault injection (architecture §4): what a flaky cloud does to a client. Applied to cloud API
// requests only, before authentication, as a gateway in front of the service would. Order per
// request: latency, then drop, then a proxy's 404, then throttle, then error; each is an independent draw from the
// seeded random stream, so a given seed yields the same sequence of faults.
import { z } from 'zod';
import type { Random } from './random.ts';

export interface FaultConfig {
  /** Probability (0–1) of answering 500, 502 or 503 (chosen at random). */
  errorRate: number;
  /** Probability (0–1) of answering 429 with a Retry-After header. */
  throttleRate: number;
  /** Retry-After value in seconds for throttled responses. */
  retryAfterSeconds: number;
  /** Added delay before handling, in ms (not scaled by timeScale). */
  latencyMs: number;
  /** Probability (0–1) of destroying the socket without any response. */
  dropRate: number;
  /**
   * Probability (0–1) of a 404 from something in front of the API (a proxy, a gateway route the
   * region does not serve): an HTML page, not the API's own answer, so it says nothing about the
   * cluster the request named.
   */
  routeNotFoundRate: number;
  /**
   * Delay after the request was handled and before the answer goes out, in ms: the cloud did the
   * work but the caller has not heard yet (a create whose response is late or lost).
   */
  responseDelayMs: number;
  /** Restrict faults to these methods and/or to paths containing one of these substrings. */
  only?: { methods?: string[]; paths?: string[] };
  /** Apply to at most this many matching requests, then the faults reset themselves. */
  times?: number;
}

export const NO_FAULTS: FaultConfig = {
  errorRate: 0,
  throttleRate: 0,
  retryAfterSeconds: 1,
  latencyMs: 0,
  dropRate: 0,
  routeNotFoundRate: 0,
  responseDelayMs: 0,
};

const rate = z.number().min(0).max(1);
export const faultConfigSchema = z.strictObject({
  errorRate: rate.optional(),
  throttleRate: rate.optional(),
  retryAfterSeconds: z.int().min(0).optional(),
  latencyMs: z.int().min(0).optional(),
  dropRate: rate.optional(),
  routeNotFoundRate: rate.optional(),
  responseDelayMs: z.int().min(0).optional(),
  only: z
    .strictObject({
      methods: z.array(z.string().min(1)).optional(),
      paths: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  times: z.int().min(1).optional(),
});
export type FaultConfigInput = z.infer<typeof faultConfigSchema>;

export type FaultDecision =
  | { kind: 'none'; latencyMs: number; responseDelayMs?: number }
  | { kind: 'drop'; latencyMs: number }
  | { kind: 'route-not-found'; latencyMs: number }
  | { kind: 'throttle'; latencyMs: number; retryAfterSeconds: number }
  | { kind: 'error'; latencyMs: number; status: 500 | 502 | 503 };

export class Faults {
  private config: FaultConfig = { ...NO_FAULTS };
  private remaining: number | undefined;
  private readonly random: Random;

  constructor(random: Random) {
    this.random = random;
  }

  /** Replaces the whole fault configuration (fields left out take their no-fault defaults). */
  set(input: FaultConfigInput): FaultConfig {
    const parsed = faultConfigSchema.parse(input);
    this.config = {
      ...NO_FAULTS,
      ...Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined)),
      only: parsed.only && {
        methods: parsed.only.methods?.map((m) => m.toUpperCase()),
        paths: parsed.only.paths,
      },
    };
    this.remaining = parsed.times;
    return this.get();
  }

  reset(): void {
    this.config = { ...NO_FAULTS };
    this.remaining = undefined;
  }

  get(): FaultConfig {
    const c: FaultConfig = { ...this.config };
    if (c.only === undefined) delete c.only;
    if (this.remaining !== undefined) c.times = this.remaining;
    else delete c.times;
    return c;
  }

  private applies(method: string, path: string): boolean {
    const only = this.config.only;
    if (only?.methods && only.methods.length > 0 && !only.methods.includes(method.toUpperCase())) return false;
    if (only?.paths && only.paths.length > 0 && !only.paths.some((p) => path.includes(p))) return false;
    return true;
  }

  decide(method: string, path: string): FaultDecision {
    const c = this.config;
    if (!this.applies(method, path)) return { kind: 'none', latencyMs: 0 };
    const active =
      c.latencyMs > 0 || c.dropRate > 0 || c.routeNotFoundRate > 0 || c.throttleRate > 0 || c.errorRate > 0 || c.responseDelayMs > 0;
    if (!active) return { kind: 'none', latencyMs: 0 };
    if (this.remaining !== undefined) {
      this.remaining -= 1;
      if (this.remaining <= 0) this.reset();
    }
    const latencyMs = c.latencyMs;
    // `< rate` with rate 0 never fires and with rate 1 always fires (next() is in [0, 1)).
    if (this.random.next() < c.dropRate) return { kind: 'drop', latencyMs };
    // Drawn only when configured, so seeds that predate this fault give the same sequences.
    if (c.routeNotFoundRate > 0 && this.random.next() < c.routeNotFoundRate) return { kind: 'route-not-found', latencyMs };
    if (this.random.next() < c.throttleRate) return { kind: 'throttle', latencyMs, retryAfterSeconds: c.retryAfterSeconds };
    if (this.random.next() < c.errorRate) {
      const statuses = [500, 502, 503] as const;
      return { kind: 'error', latencyMs, status: statuses[this.random.int(0, 2)] ?? 500 };
    }
    return { kind: 'none', latencyMs, ...(c.responseDelayMs > 0 ? { responseDelayMs: c.responseDelayMs } : {}) };
  }
}
