import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkQueue } from '../../../src/runtime/queue.ts';

const fastQueue = () => new WorkQueue({ qps: 1000, burst: 1000, backoff: { baseMs: 10, maxMs: 80, jitter: 0 } });

describe('WorkQueue', () => {
  it('holds a key once however often it is added', async () => {
    const q = fastQueue();
    q.add('a');
    q.add('a');
    q.add('b');
    expect(q.depth).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('never hands a key to two workers at once; an add while processing requeues it after done', async () => {
    const q = fastQueue();
    q.add('a');
    const first = await q.get();
    q.add('a'); // arrives while a worker holds it
    expect(q.depth).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await new Promise((r) => setTimeout(r, 20));
    expect(second).toBeUndefined();
    q.done(first!);
    await new Promise((r) => setTimeout(r, 5));
    expect(second).toBe('a');
  });

  it('backs off per key exponentially and resets on forget', () => {
    const q = fastQueue();
    expect([q.addRateLimited('a'), q.addRateLimited('a'), q.addRateLimited('a'), q.addRateLimited('a'), q.addRateLimited('a')]).toEqual([
      10, 20, 40, 80, 80,
    ]);
    expect(q.addRateLimited('b')).toBe(10);
    q.forget('a');
    expect(q.addRateLimited('a')).toBe(10);
  });

  it('honours a minimum delay such as Retry-After', () => {
    expect(fastQueue().addRateLimited('a', 5000)).toBe(5000);
  });

  it('keeps the earliest of several delayed adds', async () => {
    const q = fastQueue();
    q.addAfter('a', 10_000);
    q.addAfter('a', 30);
    q.addAfter('a', 20_000);
    const got = await Promise.race([q.get(), new Promise((r) => setTimeout(() => r('timeout'), 500))]);
    expect(got).toBe('a');
    q.done('a');
    await q.shutDown();
  });

  it('spreads retries over time with the global rate limit, and holds no new work behind them', async () => {
    const q = new WorkQueue({ qps: 20, burst: 1, backoff: { baseMs: 1, maxMs: 1, jitter: 0 } });
    // 1 token in the bucket, then 20/s: the fourth retry waits ~150 ms whatever its own backoff.
    const delays = [0, 1, 2, 3].map((i) => q.addRateLimited(`k${i}`));
    expect(delays[0]).toBe(1);
    expect(delays[3]).toBeGreaterThanOrEqual(140);
    q.add('fresh');
    const start = Date.now();
    expect(await q.get()).toBe('fresh');
    expect(Date.now() - start).toBeLessThan(50);
    q.done('fresh');
    await q.shutDown();
  });

  it('shutDown wakes idle workers and waits for the ones still working', async () => {
    const q = fastQueue();
    const idle = q.get();
    q.add('busy');
    // the idle waiter got 'busy'
    expect(await idle).toBe('busy');
    const waiting = q.get();
    let drained = false;
    const shut = q.shutDown().then(() => (drained = true));
    expect(await waiting).toBeUndefined();
    await new Promise((r) => setTimeout(r, 10));
    expect(drained).toBe(false);
    q.done('busy');
    await shut;
    expect(drained).toBe(true);
    q.add('late');
    expect(q.depth).toBe(0);
  });
});

/** Follows a promise without awaiting it, to check whether it has settled yet. */
function track<T>(p: Promise<T>): { done: boolean; value: T | undefined } {
  const state = { done: false, value: undefined as T | undefined };
  void p.then((v) => {
    state.done = true;
    state.value = v;
  });
  return state;
}

/** Runs the pending microtasks, but no timer: what settles now did not wait for any time to pass. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('WorkQueue defaults (client-go: 1 s doubling to 5 min per key, 10 qps with a burst of 100)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries a key after about a second, doubling up to five minutes (±25 % jitter)', async () => {
    const q = new WorkQueue();
    const delays = Array.from({ length: 12 }, () => q.addRateLimited('a'));
    expect(delays[0]).toBeGreaterThanOrEqual(750);
    expect(delays[0]).toBeLessThanOrEqual(1250);
    expect(delays[11]).toBeGreaterThanOrEqual(225_000);
    expect(delays[11]).toBeLessThanOrEqual(375_000);
    await q.shutDown();
  });

  it('hands out any number of added keys at once (no token per hand-out)', async () => {
    const q = new WorkQueue();
    for (let i = 0; i <= 300; i++) q.add(`k${i}`);
    for (let i = 0; i <= 300; i++) {
      const got = track(q.get());
      await flush();
      expect(got).toEqual({ done: true, value: `k${i}` });
      q.done(`k${i}`);
    }
    await q.shutDown();
  });

  it('retries a burst of 100 keys after their own backoff, then one more every 100 ms', async () => {
    const q = new WorkQueue({ backoff: { baseMs: 1000, maxMs: 1000, jitter: 0 } });
    const delays = Array.from({ length: 102 }, (_, i) => q.addRateLimited(`k${i}`));
    expect(delays.slice(0, 100).every((d) => d === 1000)).toBe(true);
    expect(delays[100]).toBe(1000); // the 101st token comes after 100 ms, within its own backoff
    expect(delays[101]).toBe(1000);
    const later = Array.from({ length: 15 }, (_, i) => q.addRateLimited(`m${i}`));
    expect(later[14]).toBeGreaterThan(1000); // past the burst, the bucket's 10/s outlasts the backoff
    await q.shutDown();
  });
});

describe('WorkQueue delayed adds', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('adds a delayed key once its delay has passed, not before, counting a retry', async () => {
    const onRetry = vi.fn();
    const q = new WorkQueue({ hooks: { onRetry } });
    q.addAfter('a', 1000);
    expect(onRetry).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(q.depth).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(q.depth).toBe(1);
  });

  it('adds the key at once for a delay of zero or less, counted as an add rather than a retry', () => {
    const hooks = { onAdd: vi.fn(), onRetry: vi.fn() };
    const q = new WorkQueue({ hooks });
    q.addAfter('a', 0);
    q.addAfter('b', -5);
    expect(q.depth).toBe(2);
    expect(hooks.onAdd).toHaveBeenCalledTimes(2);
    expect(hooks.onRetry).not.toHaveBeenCalled();
  });

  it('lets an earlier delayed add replace a later one: the key comes once, at the earlier time', async () => {
    const q = fastQueue();
    q.addAfter('a', 10_000);
    q.addAfter('a', 30);
    await vi.advanceTimersByTimeAsync(30);
    expect(q.depth).toBe(1);
    q.done((await q.get())!);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(q.depth).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves a pending delayed add, and its place among other keys, as it is when the same key is delayed again no sooner', async () => {
    const q = fastQueue();
    q.addAfter('a', 100);
    q.addAfter('b', 100);
    q.addAfter('a', 100);
    q.addAfter('a', 500);
    await vi.advanceTimersByTimeAsync(100);
    expect([await q.get(), await q.get()]).toEqual(['a', 'b']);
    q.done('a');
    q.done('b');
    await vi.advanceTimersByTimeAsync(500);
    expect(q.depth).toBe(0);
  });

  it('can delay a key again once its delayed add has fired', async () => {
    const q = fastQueue();
    q.addAfter('a', 100);
    await vi.advanceTimersByTimeAsync(100);
    q.done((await q.get())!);
    q.addAfter('a', 100);
    await vi.advanceTimersByTimeAsync(100);
    expect(q.depth).toBe(1);
  });

  it('re-queues a failed key once its backoff delay has passed', async () => {
    const q = fastQueue();
    expect(q.addRateLimited('a')).toBe(10);
    await vi.advanceTimersByTimeAsync(9);
    expect(q.depth).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(q.depth).toBe(1);
  });

  it('waits at least the minimum delay when it is longer than the backoff step', async () => {
    const q = fastQueue();
    q.addRateLimited('a', 5000);
    await vi.advanceTimersByTimeAsync(4999);
    expect(q.depth).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(q.depth).toBe(1);
  });
});

describe('WorkQueue bookkeeping', () => {
  it('counts failures per key until forget', () => {
    const q = fastQueue();
    expect(q.failuresOf('a')).toBe(0);
    q.addRateLimited('a');
    q.addRateLimited('a');
    q.addRateLimited('b');
    expect([q.failuresOf('a'), q.failuresOf('b')]).toEqual([2, 1]);
    q.forget('a');
    expect([q.failuresOf('a'), q.failuresOf('b')]).toEqual([0, 1]);
  });

  it('is done with a key that was not added again while it was processed', async () => {
    const q = fastQueue();
    q.add('a');
    q.done((await q.get())!);
    expect([q.depth, q.inFlight]).toEqual([0, 0]);
    const next = track(q.get());
    await flush();
    expect(next.done).toBe(false);
    q.add('b');
    await flush();
    expect(next.value).toBe('b');
  });

  it('reports how long a key waited in the queue and how long a worker held it, in seconds', async () => {
    let now = 1_000_000;
    const queued: number[] = [];
    const worked: number[] = [];
    const q = new WorkQueue({ now: () => now, hooks: { onQueued: (s) => queued.push(s), onWorked: (s) => worked.push(s) } });
    q.add('a');
    now += 2500;
    expect(await q.get()).toBe('a');
    now += 4000;
    q.done('a');
    expect(queued).toEqual([2.5]);
    expect(worked).toEqual([4]);
  });

  it('reports the keys in flight, the longest-running one and the total time of unfinished work', async () => {
    let now = 1_000_000;
    const q = new WorkQueue({ now: () => now });
    expect([q.inFlight, q.longestRunningSeconds(), q.unfinishedWorkSeconds()]).toEqual([0, 0, 0]);
    q.add('a');
    q.add('b');
    await q.get();
    now += 3000;
    await q.get();
    now += 6000;
    expect([q.inFlight, q.longestRunningSeconds(), q.unfinishedWorkSeconds()]).toEqual([2, 9, 15]);
    q.done('a');
    expect([q.inFlight, q.longestRunningSeconds(), q.unfinishedWorkSeconds()]).toEqual([1, 6, 6]);
  });

  it('ignores done() for a key that is not in flight, before and after shutDown', async () => {
    const onWorked = vi.fn();
    const q = new WorkQueue({ hooks: { onWorked } });
    q.add('a');
    q.done('x');
    expect([q.depth, q.inFlight]).toEqual([1, 0]);
    await q.shutDown();
    expect(() => q.done('x')).not.toThrow();
    expect(onWorked).not.toHaveBeenCalled();
  });

  it('does not keep the process alive for a pending delayed add', async () => {
    const activeTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const q = fastQueue();
    const before = activeTimers();
    q.addAfter('a', 60_000);
    expect(activeTimers()).toBe(before);
    await q.shutDown();
  });
});

describe('WorkQueue shutDown', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves only when the last of the keys in flight is done', async () => {
    const q = fastQueue();
    q.add('a');
    q.add('b');
    await q.get();
    await q.get();
    const shut = track(q.shutDown());
    q.done('a');
    await flush();
    expect(shut.done).toBe(false);
    q.done('b');
    await flush();
    expect(shut.done).toBe(true);
  });

  it('cancels pending delayed adds', async () => {
    const q = fastQueue();
    q.addAfter('a', 1000);
    await q.shutDown();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(q.depth).toBe(0);
  });

  it('drops later adds, delayed adds and retries without counting them', async () => {
    const hooks = { onAdd: vi.fn(), onRetry: vi.fn() };
    const q = new WorkQueue({ hooks });
    await q.shutDown();
    q.add('a');
    q.addAfter('b', 100);
    q.addRateLimited('c');
    expect(q.depth).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(hooks.onAdd).not.toHaveBeenCalled();
    expect(hooks.onRetry).not.toHaveBeenCalled();
  });

  it('makes get() resolve undefined at once, even with keys still waiting', async () => {
    const q = new WorkQueue({ qps: 1, burst: 1 });
    q.add('a');
    q.add('b');
    expect(await q.get()).toBe('a');
    const shut = q.shutDown();
    const got = track(q.get());
    await flush();
    expect(got).toEqual({ done: true, value: undefined });
    q.done('a');
    await shut;
  });
});
