// The runner's guarantee that a key is never reconciled twice at once, even when a reconcile
// ignores its signal and runs past its deadline, and that the deadline reaches the HTTP layers.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { currentSignal } from '../../../src/runtime/abort-context.ts';
import type { ResourceCache } from '../../../src/runtime/cache.ts';
import { Controller } from '../../../src/runtime/controller.ts';
import { InvalidSpecError, TerminalError } from '../../../src/runtime/errors.ts';
import { Metrics } from '../../../src/runtime/metrics.ts';
import type { KubeObject } from '../../../src/runtime/object.ts';

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

/** A cache with one object whose watch events the test sends by hand. */
function oneObjectCache(initial: KubeObject) {
  let current = initial;
  const handlers: Array<(type: 'add' | 'update' | 'delete', obj: KubeObject, old?: KubeObject) => void> = [];
  const cache = {
    on: (h: (typeof handlers)[number]) => handlers.push(h),
    keys: () => [`${current.metadata.namespace}/${current.metadata.name}`],
    get: () => current,
  } as unknown as ResourceCache;
  const update = (next: KubeObject) => {
    const old = current;
    current = next;
    for (const h of handlers) h('update', next, old);
  };
  return { cache, update, current: () => current };
}

function capturedLog() {
  const lines: Array<{ level: number; msg: string; stack?: string; err?: string }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      cb();
    },
  });
  return { log: pino({ level: 'debug' }, destination), lines };
}

describe('error policy and logging', () => {
  const obj: KubeObject = { metadata: { name: 'w', namespace: 'ns', uid: 'u', resourceVersion: '1', generation: 1 } };

  /** A controller over one object whose every reconcile fails with `error`, resyncing every 40 ms. */
  function failing(error: Error) {
    const c = oneObjectCache(obj);
    const counter = { runs: 0 };
    const controller = new Controller({
      name: 'failing',
      cache: c.cache,
      log: pino({ level: 'silent' }),
      metrics: new Metrics({ defaultMetrics: false }),
      resyncPeriodMs: 40,
      reconcile() {
        counter.runs++;
        return Promise.reject(error);
      },
    });
    controller.start();
    return { ...c, controller, counter };
  }

  it('an invalid spec waits for a change: periodic resyncs skip it, an edit of the spec runs it again', async () => {
    const f = failing(new InvalidSpecError('CloudRejectedSpec', 'HTTP 400: no'));
    await sleep(300); // several resync periods
    expect(f.counter.runs).toBe(1);
    // A status-only update (our own stall write) is no change either.
    f.update({ ...f.current(), metadata: { ...f.current().metadata, resourceVersion: '2' }, status: { phase: 'Failed' } });
    await sleep(150);
    expect(f.counter.runs).toBe(1);
    f.update({ ...f.current(), metadata: { ...f.current().metadata, resourceVersion: '3', generation: 2 } });
    await sleep(100);
    expect(f.counter.runs).toBe(2);
    await f.controller.stop();
  });

  it('a terminal error is retried by the resync as ever (credentials get fixed outside the spec)', async () => {
    const f = failing(new TerminalError('CredentialsInvalid', 'HTTP 401'));
    await sleep(300);
    expect(f.counter.runs).toBeGreaterThan(1);
    await f.controller.stop();
  });

  it('a lost API server connection is a warning without a stack, once per streak; a bug is an error with its stack', async () => {
    const { log, lines } = capturedLog();
    const lost = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    let runs = 0;
    const controller = new Controller({
      name: 'flaky',
      cache: noCache,
      log,
      metrics: new Metrics({ defaultMetrics: false }),
      queue: { backoff: { baseMs: 1, maxMs: 2 } },
      reconcile: ({ key }) => {
        runs++;
        return Promise.reject(key.name === 'bug' ? new Error('boom') : lost);
      },
    });
    controller.start();
    controller.enqueue('ns/a');
    await sleep(100);
    const failed = lines.filter((l) => l.msg.startsWith('reconcile failed'));
    expect(runs).toBeGreaterThan(3);
    expect(failed.filter((l) => l.level === 40)).toHaveLength(1); // warn, once
    expect(failed.filter((l) => l.level >= 50)).toEqual([]);
    expect(failed.every((l) => l.stack === undefined)).toBe(true);
    expect(failed.filter((l) => l.level === 20).length).toBe(failed.length - 1); // the rest of the streak at debug
    controller.enqueue('ns/bug');
    await sleep(50);
    const bug = lines.filter((l) => l.msg === 'reconcile failed' && l.level === 50);
    expect(bug).toHaveLength(1);
    expect(bug[0]!.stack).toMatch(/Error: boom/);
    controller.abort();
  });
});
