// The runner's guarantee that a key is never reconciled twice at once, even when a reconcile
// ignores its signal and runs past its deadline, and that the deadline reaches the HTTP layers.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { currentSignal } from '../../../src/runtime/abort-context.ts';
import type { ResourceCache } from '../../../src/runtime/cache.ts';
import { Controller } from '../../../src/runtime/controller.ts';
import { Metrics } from '../../../src/runtime/metrics.ts';

const noCache = { on() {}, keys: () => [], get: () => undefined } as unknown as ResourceCache;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('controller runner', () => {
  it('never runs one key twice at once, even past a reconcile deadline', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const controller = new Controller({
      name: 'slow',
      cache: noCache,
      log: pino({ level: 'silent' }),
      metrics: new Metrics({ defaultMetrics: false }),
      workers: 3,
      reconcileTimeoutMs: 50,
      queue: { backoff: { baseMs: 1, maxMs: 5 } },
      async reconcile() {
        running++;
        runs++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(300); // ignores its signal
        running--;
      },
    });
    controller.start();
    for (let i = 0; i < 10; i++) {
      controller.enqueue('ns/a');
      await sleep(40);
    }
    await sleep(400);
    controller.abort();
    expect(runs).toBeGreaterThan(1); // it was retried after the deadline…
    expect(maxRunning).toBe(1); // …but never while the previous run was still going
  });

  it('hands the reconcile deadline to code running inside it (the HTTP layers read it)', async () => {
    let seen: AbortSignal | undefined;
    const controller = new Controller({
      name: 'signal',
      cache: noCache,
      log: pino({ level: 'silent' }),
      metrics: new Metrics({ defaultMetrics: false }),
      reconcileTimeoutMs: 30,
      async reconcile() {
        await sleep(1);
        seen = currentSignal();
        await sleep(100);
      },
    });
    controller.start();
    controller.enqueue('ns/b');
    await sleep(80);
    expect(seen).toBeDefined();
    expect(seen!.aborted).toBe(true);
    controller.abort();
  });
});
