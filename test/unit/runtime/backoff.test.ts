import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay, withJitter } from '../../../src/runtime/backoff.ts';
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
