// The runner's guarantee that a key is never reconciled twice at once, even when a reconcile
// ignores its signal and runs past its deadline, and that the deadline reaches the HTTP layers.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { currentSignal } from '../../../src/runtime/abort-context.ts';
import type { ResourceCache } from '../../../src/runtime/cache.ts';
import { Controller, type ControllerOptions, type ReconcileFn, type ReconcileOutcome } from '../../../src/runtime/controller.ts';
import { InvalidSpecError, TerminalError, TransientError } from '../../../src/runtime/errors.ts';
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

  it('an invalid spec also skips a requeue the pass before it scheduled (its steady poll): that is no change either', async () => {
    const c = oneObjectCache(obj);
    let runs = 0;
    const controller = new Controller({
      name: 'refused',
      cache: c.cache,
      log: pino({ level: 'silent' }),
      metrics: new Metrics({ defaultMetrics: false }),
      reconcile({ object }) {
        runs++;
        // Generation 1 is fine and polls again in 150 ms; the edit to generation 2 is refused.
        if (object?.metadata.generation === 1) return Promise.resolve({ requeueAfter: 0.15 });
        return Promise.reject(new InvalidSpecError('CloudRejectedSpec', 'HTTP 400: unknown setting'));
      },
    });
    controller.start();
    await sleep(30);
    expect(runs).toBe(1);
    c.update({ ...c.current(), metadata: { ...c.current().metadata, resourceVersion: '2', generation: 2 } });
    await sleep(400); // well past the poll the first pass asked for
    expect(runs).toBe(2);
    c.update({ ...c.current(), metadata: { ...c.current().metadata, resourceVersion: '3', generation: 3 } });
    await sleep(100);
    expect(runs).toBe(3);
    await controller.stop();
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

// ——— The runner's contract, one behaviour per test: its lifecycle, which watch events queue a key,
// what an outcome or an error does next, the metrics it keeps, and the periodic resync.

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Handler = (type: 'add' | 'update' | 'delete', obj: KubeObject, old?: KubeObject) => void;

/** A cache holding given objects; `emit` plays a watch event, `set` changes an object without one (a missed event). */
function memoryCache(...objects: KubeObject[]) {
  const objs = new Map(objects.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
  const handlers: Handler[] = [];
  const cache = {
    on: (h: Handler) => handlers.push(h),
    keys: () => [...objs.keys()],
    get: (key: string) => objs.get(key),
  } as unknown as ResourceCache;
  const set = (o: KubeObject) => objs.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
  const emit = (type: 'add' | 'update' | 'delete', obj: KubeObject, old?: KubeObject) => {
    for (const h of handlers) h(type, obj, old);
  };
  return { cache, set, emit };
}

const object = (name: string, generation = 1): KubeObject => ({
  metadata: { name, namespace: 'ns', uid: `u-${name}`, resourceVersion: String(generation), generation },
});

const running: Controller[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const c of running.splice(0)) c.abort();
});

function runner(opts: Partial<ControllerOptions> & Pick<ControllerOptions, 'reconcile'>) {
  const metrics = new Metrics({ defaultMetrics: false });
  const controller = new Controller({
    name: 'spec',
    cache: noCache,
    log: pino({ level: 'silent' }),
    metrics,
    queue: { backoff: { baseMs: 1, maxMs: 2 } },
    ...opts,
  });
  running.push(controller);
  return { controller, metrics };
}

/** The value of a metric's series whose labels include `labels`. */
async function valueOf(
  metric: { get(): Promise<{ values: Array<{ labels: Record<string, unknown>; value: number; metricName?: string }> }> },
  labels: Record<string, string>,
  metricName?: string,
) {
  const { values } = await metric.get();
  return values.find(
    (v) => (metricName === undefined || v.metricName === metricName) && Object.entries(labels).every(([k, x]) => v.labels[k] === x),
  )?.value;
}

/** Counts reconciles per key and the most that ran at once. */
function counting(ms = 0) {
  const runs: string[] = [];
  let now = 0;
  let most = 0;
  const reconcile: ReconcileFn = async ({ key }) => {
    runs.push(key.name);
    most = Math.max(most, ++now);
    await sleep(ms);
    now--;
  };
  return { reconcile, runs, most: () => most };
}

describe('controller lifecycle', () => {
  it('start queues every object the cache already holds, with the object itself', async () => {
    const seen: Array<KubeObject | undefined> = [];
    const { controller } = runner({
      cache: memoryCache(object('a')).cache,
      reconcile: ({ object }) => (seen.push(object), Promise.resolve()),
    });
    controller.start();
    await sleep(20);
    expect(seen.map((o) => o?.metadata.name)).toEqual(['a']);
  });

  it('runs at most `workers` reconciles at once', async () => {
    const c = counting(30);
    const { controller } = runner({ workers: 2, reconcile: c.reconcile });
    controller.start();
    for (const k of ['a', 'b', 'c', 'd']) controller.enqueue(`ns/${k}`);
    await sleep(100);
    expect(c.runs.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(c.most()).toBe(2);
  });

  it('starting twice starts its workers once', async () => {
    const c = counting(30);
    const { controller } = runner({ workers: 1, reconcile: c.reconcile });
    controller.start();
    controller.start();
    controller.enqueue('ns/a');
    controller.enqueue('ns/b');
    await sleep(80);
    expect(c.runs).toHaveLength(2);
    expect(c.most()).toBe(1);
  });

  it('stop waits for the reconcile in flight, then takes no more work', async () => {
    let finished = false;
    const runs: string[] = [];
    const { controller } = runner({
      reconcile: async ({ key }) => {
        runs.push(key.name);
        await sleep(40);
        finished = true;
      },
    });
    controller.start();
    controller.enqueue('ns/a');
    await sleep(5);
    await controller.stop();
    expect(finished).toBe(true);
    controller.enqueue('ns/b');
    await sleep(20);
    expect(runs).toEqual(['a']);
  });

  it('abort fires the signal of the reconciles in flight at once', async () => {
    let signal: AbortSignal | undefined;
    const { controller } = runner({
      reconcile: (req) => {
        signal = req.signal;
        return new Promise((resolve) => req.signal.addEventListener('abort', () => resolve()));
      },
    });
    controller.start();
    controller.enqueue('ns/a');
    await sleep(10);
    expect(signal?.aborted).toBe(false);
    controller.abort();
    expect(signal?.aborted).toBe(true);
  });

  it('after abort, a reconcile that ignores its signal holds no worker, even one started after it', async () => {
    const c = counting();
    const { controller } = runner({
      workers: 1,
      reconcile: (req) => (req.key.name === 'stuck' ? new Promise(() => undefined) : c.reconcile(req)),
    });
    controller.start();
    controller.abort();
    controller.enqueue('ns/stuck');
    controller.enqueue('ns/b');
    await sleep(30);
    expect(c.runs).toContain('b');
  });

  it('stopping a controller that never started, or twice, does nothing more', async () => {
    const { log, lines } = capturedLog();
    const idle = runner({ log, reconcile: () => Promise.resolve() });
    await idle.controller.stop();
    expect(lines).toEqual([]);
  });

  it('logs when it starts and stops, once each, with its name and worker count', async () => {
    const { log, lines } = capturedLog();
    const { controller } = runner({ name: 'named', log, workers: 3, reconcile: () => Promise.resolve() });
    controller.start();
    await controller.stop();
    await controller.stop();
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, controller: 'named', workers: 3, msg: expect.stringMatching(/start/) }),
      expect.objectContaining({ level: 30, controller: 'named', msg: expect.stringMatching(/stop/) }),
    ]);
  });
});

describe('watch events', () => {
  it('an event the filter passes queues the object; one it does not pass does not; a deletion always does', async () => {
    const a = object('a');
    const m = memoryCache(a);
    const c = counting();
    const { controller } = runner({ cache: m.cache, filter: (obj) => obj.metadata.generation === 2, reconcile: c.reconcile });
    controller.start();
    await sleep(10);
    expect(c.runs).toEqual(['a']); // the initial list
    m.emit('update', { ...a, metadata: { ...a.metadata, resourceVersion: '5' } }, a);
    await sleep(10);
    expect(c.runs).toEqual(['a']);
    m.emit('update', object('a', 2), a);
    await sleep(10);
    expect(c.runs).toEqual(['a', 'a']);
    m.emit('delete', a, a);
    await sleep(10);
    expect(c.runs).toEqual(['a', 'a', 'a']);
  });
});

describe('what a reconcile outcome does next', () => {
  it('requeueAfter runs the key again after that many seconds, not before, and counts as requeue_after', async () => {
    const c = counting();
    const { controller, metrics } = runner({ reconcile: (req) => c.reconcile(req).then(() => ({ requeueAfter: 0.06 })) });
    controller.start();
    controller.enqueue('ns/a');
    await sleep(30);
    expect(c.runs).toHaveLength(1);
    await sleep(200);
    expect(c.runs.length).toBeGreaterThanOrEqual(3);
    expect(c.runs.length).toBeLessThanOrEqual(5);
    expect(await valueOf(metrics.reconcileTotal, { controller: 'spec', result: 'requeue_after' })).toBe(c.runs.length);
    expect(await valueOf(metrics.reconcileTotal, { controller: 'spec', result: 'success' })).toBe(0);
  });

  const once: Array<[string, ReconcileOutcome | void]> = [
    ['no outcome', undefined],
    ['requeueAfter 0', { requeueAfter: 0 }],
    ['no requeueAfter', {}],
    ['a negative requeueAfter', { requeueAfter: -1 }],
  ];
  it.each(once)('%s is a success that waits for the next event or resync', async (_why, outcome) => {
    const c = counting();
    const { controller, metrics } = runner({ reconcile: (req) => c.reconcile(req).then(() => outcome) });
    controller.start();
    controller.enqueue('ns/a');
    await sleep(60);
    expect(c.runs).toEqual(['a']);
    expect(await valueOf(metrics.reconcileTotal, { controller: 'spec', result: 'success' })).toBe(1);
  });
});

describe('what an error does next', () => {
  it('a fixed delay from the error policy runs the key again after it', async () => {
    const c = counting();
    const { controller } = runner({
      errorPolicy: () => ({ kind: 'after', ms: 40 }),
      reconcile: (req) => c.reconcile(req).then(() => Promise.reject(new TerminalError('Denied', 'HTTP 403'))),
    });
    controller.start();
    controller.enqueue('ns/a');
    await sleep(20);
    expect(c.runs).toHaveLength(1);
    await sleep(50);
    expect(c.runs).toHaveLength(2);
  });

  const errors: Array<[string, Error, number]> = [
    ['a transient error is not terminal', new TransientError('Busy', '503'), 0],
    ['an invalid spec is terminal', new InvalidSpecError('Bad', '400'), 1],
    ['a terminal error is terminal', new TerminalError('Denied', '403'), 1],
  ];
  it.each(errors)('counts every failure as an error; %s', async (_why, err, terminal) => {
    const { controller, metrics } = runner({ errorPolicy: () => ({ kind: 'wait-for-change' }), reconcile: () => Promise.reject(err) });
    controller.start();
    controller.enqueue('ns/a');
    await sleep(20);
    expect(await valueOf(metrics.reconcileTotal, { controller: 'spec', result: 'error' })).toBe(1);
    expect(await valueOf(metrics.reconcileErrors, { controller: 'spec' })).toBe(1);
    expect(await valueOf(metrics.terminalErrors, { controller: 'spec' })).toBe(terminal);
  });

  it('a failure is logged with the controller, the key, its class, reason, message and when it is retried', async () => {
    const { log, lines } = capturedLog();
    const { controller } = runner({
      log,
      errorPolicy: () => ({ kind: 'after', ms: 60_000 }),
      reconcile: () => Promise.reject(new TerminalError('Denied', 'HTTP 403: no')),
    });
    controller.start();
    controller.enqueue('ns/a');
    await sleep(20);
    expect(lines.filter((l) => l.msg === 'reconcile failed')).toEqual([
      expect.objectContaining({
        controller: 'spec',
        key: 'ns/a',
        errorClass: 'terminal',
        reason: 'Denied',
        err: 'HTTP 403: no',
        retryInMs: 60_000,
      }),
    ]);
  });

  it('a success ends a streak of failures: the next failure is a warning again', async () => {
    const { log, lines } = capturedLog();
    let n = 0;
    const { controller } = runner({
      log,
      reconcile: () => (++n === 3 ? Promise.resolve() : Promise.reject(new TransientError('Busy', '503'))),
    });
    controller.start();
    controller.enqueue('ns/a'); // fails, is retried (fails), then succeeds
    await sleep(40);
    controller.enqueue('ns/a'); // a new streak
    await sleep(20);
    const levels = lines.filter((l) => l.msg.startsWith('reconcile failed')).map((l) => l.level);
    expect(levels.slice(0, 3)).toEqual([40, 20, 40]);
  });

  it('an invalid spec after a streak of transient failures is a warning: it waits for a human', async () => {
    const { log, lines } = capturedLog();
    let n = 0;
    const { controller } = runner({
      log,
      reconcile: () => Promise.reject(++n < 4 ? new TransientError('Busy', '503') : new InvalidSpecError('Bad', '400')),
    });
    controller.start();
    controller.enqueue('ns/a');
    await sleep(50);
    const failed = lines.filter((l) => l.msg.startsWith('reconcile failed'));
    expect(failed.map((l) => l.level)).toEqual([40, 20, 20, 40]);
  });
});

describe('deadlines and metrics', () => {
  it('a reconcile past its deadline counts as one timeout; one aborted by shutdown does not', async () => {
    const late = runner({ reconcileTimeoutMs: 20, reconcile: () => pause(60) });
    late.controller.start();
    late.controller.enqueue('ns/a');
    await sleep(40);
    expect(await valueOf(late.metrics.reconcileTimeouts, { controller: 'spec' })).toBe(1);
    const stopped = runner({ reconcile: () => pause(60) });
    stopped.controller.start();
    stopped.controller.enqueue('ns/a');
    await sleep(10);
    stopped.controller.abort();
    await sleep(10);
    expect(await valueOf(stopped.metrics.reconcileTimeouts, { controller: 'spec' })).toBe(0);
  });

  it('reports the workers busy while a reconcile runs, and the time of each', async () => {
    const { controller, metrics } = runner({ reconcile: () => pause(30) });
    controller.start();
    controller.enqueue('ns/a');
    await sleep(10);
    expect(await valueOf(metrics.activeWorkers, { controller: 'spec' })).toBe(1);
    await sleep(40);
    expect(await valueOf(metrics.activeWorkers, { controller: 'spec' })).toBe(0);
    expect(await valueOf(metrics.reconcileTime, { controller: 'spec' }, 'controller_runtime_reconcile_time_seconds_count')).toBe(1);
  });

  it('creates its series at zero before the first reconcile, with its worker count', async () => {
    const { metrics } = runner({ workers: 3, reconcile: () => Promise.resolve() });
    expect(await valueOf(metrics.reconcileTotal, { controller: 'spec', result: 'success' })).toBe(0);
    expect(await valueOf(metrics.maxConcurrent, { controller: 'spec' })).toBe(3);
  });
});

describe('periodic resync', () => {
  it('reconciles every key again every period, not just once', async () => {
    const c = counting();
    const { controller } = runner({ cache: memoryCache(object('a')).cache, resyncPeriodMs: 40, reconcile: c.reconcile });
    controller.start();
    // Four runs of one unchanged key can only come from resyncs; a loaded machine gets up to 3 s.
    for (let waited = 0; c.runs.length < 4 && waited < 3_000; waited += 20) await sleep(20);
    expect(c.runs.length).toBeGreaterThanOrEqual(4);
  });

  it('spreads the keys over a tenth of the period after it', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // no jitter; each key half-way into the tenth
    const times: number[] = [];
    const start = Date.now();
    const { controller } = runner({
      cache: memoryCache(object('a')).cache,
      resyncPeriodMs: 400,
      reconcile: () => (times.push(Date.now() - start), Promise.resolve()),
    });
    controller.start();
    await sleep(600);
    expect(times).toHaveLength(2);
    expect(times[1]).toBeGreaterThanOrEqual(415); // 400 + 0.5 × 40
  });

  it('a key waiting for a change runs again at the next resync when the object changed without an event (a missed watch event)', async () => {
    const m = memoryCache(object('a'));
    let runs = 0;
    const { controller } = runner({
      cache: m.cache,
      resyncPeriodMs: 100,
      reconcile: () => (runs++, Promise.reject(new InvalidSpecError('Bad', '400'))),
    });
    controller.start();
    await sleep(250);
    expect(runs).toBe(1);
    m.set(object('a', 2));
    await sleep(150); // within one period (± 10 %) and its spread, not two
    expect(runs).toBe(2);
  });

  it('an edit that arrives while the refused reconcile runs is the change it waits for (a deletion then is not lost)', async () => {
    const m = memoryCache(object('a'));
    let runs = 0;
    const { controller } = runner({
      cache: m.cache,
      reconcile: async () => {
        runs++;
        if (runs === 1) {
          // The user deletes (or edits) the object while this pass still fails on the old one.
          const edited = object('a', 2);
          m.set(edited);
          m.emit('update', edited, object('a'));
          await sleep(20);
        }
        throw new InvalidSpecError('Bad', '400');
      },
    });
    controller.start();
    for (let waited = 0; runs < 2 && waited < 2_000; waited += 20) await sleep(20);
    expect(runs).toBe(2);
    await sleep(200);
    expect(runs).toBe(2); // and then it waits again
  });
});
