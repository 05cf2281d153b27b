import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Backoff, backoffDelay, sleep, withJitter } from '../../../src/runtime/backoff.ts';
import { TokenBucket } from '../../../src/runtime/rate-limit.ts';

describe('backoff', () => {
  it('doubles from the base up to the cap', () => {
    const opts = { baseMs: 800, maxMs: 30_000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, opts))).toEqual([800, 1600, 3200, 6400, 12800, 25600, 30000]);
  });

  it('jitters within ±fraction/2', () => {
    expect(withJitter(1000, 0.5, () => 0)).toBe(750);
    expect(withJitter(1000, 0.5, () => 1)).toBe(1250);
  });

  it('resets after a healthy period', () => {
    let now = 0;
    const b = new Backoff({ baseMs: 100, maxMs: 10_000, jitter: 0, resetAfterMs: 1000 }, () => now);
    expect([b.next(), b.next(), b.next()]).toEqual([100, 200, 400]);
    now += 5000;
    expect(b.next()).toBe(100);
  });

  it('jitters by ±25 % when no jitter is given', () => {
    const opts = { baseMs: 1000, maxMs: 30_000 };
    expect(backoffDelay(1, opts, () => 0)).toBe(750);
    expect(backoffDelay(1, opts, () => 0.5)).toBe(1000);
    expect(backoffDelay(1, opts, () => 1)).toBe(1250);
  });

  it('keeps counting failures that come less than resetAfterMs apart, on a real clock', () => {
    let now = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    const b = new Backoff({ baseMs: 100, maxMs: 10_000, jitter: 0, resetAfterMs: 1000 }, () => now);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      delays.push(b.next());
      now += 500;
    }
    expect(delays).toEqual([100, 200, 400, 800]);
  });

  it('resets only after more than resetAfterMs without a failure', () => {
    let now = 1_767_225_600_000;
    const b = new Backoff({ baseMs: 100, maxMs: 10_000, jitter: 0, resetAfterMs: 1000 }, () => now);
    expect([b.next(), b.next()]).toEqual([100, 200]);
    now += 1000;
    expect(b.next()).toBe(400);
    now += 1001;
    expect(b.next()).toBe(100);
  });

  it('reset() starts again from the base delay', () => {
    const now = 1_767_225_600_000;
    const b = new Backoff({ baseMs: 100, maxMs: 10_000, jitter: 0, resetAfterMs: 60_000 }, () => now);
    expect([b.next(), b.next(), b.next()]).toEqual([100, 200, 400]);
    b.reset();
    expect(b.next()).toBe(100);
  });
});

describe('sleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Whether `p` settles once the pending microtasks have run (no timer is advanced). */
  async function settles(p: Promise<unknown>): Promise<boolean> {
    let settled = false;
    void p.then(() => (settled = true));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    return settled;
  }

  it('resolves after the given time', async () => {
    vi.useFakeTimers();
    const p = sleep(1000);
    await vi.advanceTimersByTimeAsync(999);
    expect(await settles(p)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settles(p)).toBe(true);
  });

  it('returns at once for a signal that is already aborted, and starts no timer', async () => {
    vi.useFakeTimers();
    const p = sleep(60_000, AbortSignal.abort());
    expect(await settles(p)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('wakes early on abort and cancels its timer', async () => {
    vi.useFakeTimers();
    const ac = new AbortController();
    const p = sleep(60_000, ac.signal);
    expect(await settles(p)).toBe(false);
    ac.abort();
    expect(await settles(p)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no listener on the signal once it has slept its full time', async () => {
    vi.useFakeTimers();
    const ac = new AbortController();
    const p = sleep(10, ac.signal);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    await p;
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then one token per 1/qps seconds', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 2, () => now);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 100, 200]);
    now += 1000;
    expect(bucket.reserve()).toBe(0);
  });
});
