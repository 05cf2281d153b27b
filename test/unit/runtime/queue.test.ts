import { describe, expect, it } from 'vitest';
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

  it('spreads hand-outs over time with the global rate limit', async () => {
    const q = new WorkQueue({ qps: 20, burst: 1 });
    for (let i = 0; i < 4; i++) q.add(`k${i}`);
    const start = Date.now();
    for (let i = 0; i < 4; i++) q.done((await q.get())!);
    // 1 token in the bucket, then 20/s: three more hand-outs need at least ~150 ms.
    expect(Date.now() - start).toBeGreaterThanOrEqual(120);
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
