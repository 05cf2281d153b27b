// The controller runner: informer events → work queue → bounded workers → reconcile → requeue.
// Everything a reconciler should not have to think about lives here, once: a deadline per
// reconcile, catching whatever it throws, turning errors into delays (the error policy), metrics,
// and a periodic resync that catches drift no watch event announces (the clouds change on their
// own). A reconciler gets a key and returns `{ requeueAfter?: seconds }` or throws.
import type { Logger } from 'pino';
import { withJitter } from './backoff.ts';
import type { ResourceCache } from './cache.ts';
import { classify, errorMessage, isClassified, isExpectedFailure, type TransientError } from './errors.ts';
import type { Metrics } from './metrics.ts';
import { parseKey, keyOf, type KubeObject, type ObjectKey } from './object.ts';
import { WorkQueue } from './queue.ts';
import { runWithSignal } from './abort-context.ts';

export interface ReconcileRequest {
  key: ObjectKey;
  /** The object as the cache has it now, or undefined once it is gone. */
  object: KubeObject | undefined;
  /** Aborted when the reconcile runs past its deadline or the manager stops. */
  signal: AbortSignal;
  log: Logger;
}

export interface ReconcileOutcome {
  /** Reconcile again after this many seconds (poll a cloud that is busy, or a slow steady-state check). */
  requeueAfter?: number;
}

export type ReconcileFn = (req: ReconcileRequest) => Promise<ReconcileOutcome | void>;

/** What to do after a failed reconcile: back off per key, retry after a fixed delay, or wait for a change. */
export type RetryDecision = { kind: 'backoff'; atLeastMs: number } | { kind: 'after'; ms: number } | { kind: 'wait-for-change' };

export type ErrorPolicy = (err: unknown) => RetryDecision;

/**
 * The one mapping from error class to delay (architecture §3): transient → per-key exponential
 * backoff honouring Retry-After; invalid spec → no retry until the object changes; terminal → a slow
 * retry, because credentials and permissions get fixed outside the spec.
 */
export function defaultErrorPolicy(terminalRetryMs = 10 * 60_000): ErrorPolicy {
  return (err) => {
    switch (classify(err)) {
      case 'transient':
        return { kind: 'backoff', atLeastMs: (err as Partial<TransientError>).retryAfterMs ?? 0 };
      case 'invalid':
        return { kind: 'wait-for-change' };
      case 'terminal':
        return { kind: 'after', ms: withJitter(terminalRetryMs, 0.2) };
    }
  };
}

/** Which informer events deserve a reconcile. The default skips status-only updates (our own writes). */
export type EventFilter = (obj: KubeObject, old: KubeObject | undefined) => boolean;

/** What the operator itself writes to an object's metadata, which must not trigger its own reconcile. */
export interface OwnMetadata {
  /** Annotations only the operator writes (ids, intent markers). */
  annotations?: readonly string[];
  /** Finalizers only the operator adds and removes. */
  finalizers?: readonly string[];
}

/**
 * Passes spec (generation), deletion, finalizer, label and annotation changes; skips status-only
 * updates (our own status writes). `own` lists what the operator itself writes to metadata: a
 * change to those alone must not trigger a reconcile, or a reconcile that writes one and then fails
 * would run again at once (a refused create would be sent twice; a failing one, forever).
 */
export function specOrMetadataChangedExcept(own: OwnMetadata = {}): EventFilter {
  const ownAnnotations = own.annotations ?? [];
  const ownFinalizers = own.finalizers ?? [];
  const userAnnotations = (o: KubeObject) =>
    JSON.stringify(Object.entries(o.metadata.annotations ?? {}).filter(([k]) => !ownAnnotations.includes(k)));
  const userFinalizers = (o: KubeObject) => JSON.stringify((o.metadata.finalizers ?? []).filter((f) => !ownFinalizers.includes(f)));
  return (obj, old) => {
    if (!old) return true;
    const a = obj.metadata;
    const b = old.metadata;
    // Status-only updates leave generation alone; the periodic resync is the safety net if a status
    // is wiped by hand (the caveat controller-runtime documents for GenerationChangedPredicate).
    return (
      a.generation !== b.generation ||
      a.deletionTimestamp !== b.deletionTimestamp ||
      userAnnotations(obj) !== userAnnotations(old) ||
      JSON.stringify(a.labels ?? {}) !== JSON.stringify(b.labels ?? {}) ||
      userFinalizers(obj) !== userFinalizers(old)
    );
  };
}

export const specOrMetadataChanged: EventFilter = specOrMetadataChangedExcept();

export interface ControllerOptions {
  name: string;
  cache: ResourceCache;
  reconcile: ReconcileFn;
  log: Logger;
  metrics: Metrics;
  workers?: number;
  reconcileTimeoutMs?: number;
  /** Every key is reconciled at least this often (± 10 % jitter). */
  resyncPeriodMs?: number;
  errorPolicy?: ErrorPolicy;
  filter?: EventFilter;
  queue?: { qps?: number; burst?: number; backoff?: { baseMs: number; maxMs: number } };
}

export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  private readonly opts: ControllerOptions;
  private readonly errorPolicy: ErrorPolicy;
  private readonly stopSignal = new AbortController();
  private workers: Promise<void>[] = [];
  private resyncTimer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly filter: EventFilter;
  /**
   * Keys whose last reconcile ended in an invalid-spec error, with the object as it was then. The
   * error policy waits for a change; a periodic resync or an earlier requeueAfter is not one, so
   * both skip them until an event that passes the filter (or an explicit enqueue) arrives.
   */
  private readonly waitingForChange = new Map<string, KubeObject | undefined>();

  constructor(opts: ControllerOptions) {
    this.opts = opts;
    this.name = opts.name;
    this.errorPolicy = opts.errorPolicy ?? defaultErrorPolicy();
    this.queue = new WorkQueue({ ...opts.queue, hooks: opts.metrics.queueHooks(opts.name) });
    opts.metrics.registerController(opts.name, this.workerCount, this.queue);
    this.filter = opts.filter ?? specOrMetadataChanged;
    opts.cache.on((type, obj, old) => {
      if (type === 'delete' || this.filter(obj, old)) this.enqueue(keyOf(obj.metadata));
    });
  }

  private get workerCount(): number {
    return this.opts.workers ?? 2;
  }

  /** Enqueue a key from outside the watch (a related object changed, a user asked). */
  enqueue(key: string): void {
    this.waitingForChange.delete(key);
    this.queue.add(key);
  }

  /** Whether `key` still waits for a change: nothing the filter counts happened since it failed. */
  private stillWaiting(key: string): boolean {
    if (!this.waitingForChange.has(key)) return false;
    const then = this.waitingForChange.get(key);
    const now = this.opts.cache.get(key);
    if (!now || !then || this.filter(now, then)) {
      this.waitingForChange.delete(key);
      return false;
    }
    return true;
  }

  /** Starts workers; keys already in the cache are queued, as a fresh list would. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const key of this.opts.cache.keys()) this.queue.add(key);
    for (let i = 0; i < this.workerCount; i++) this.workers.push(this.work());
    this.scheduleResync();
    this.opts.log.info({ controller: this.name, workers: this.workerCount }, 'controller started');
  }

  /** Stops taking work and waits for in-flight reconciles to finish (or hit their deadline). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.resyncTimer);
    const drained = this.queue.shutDown();
    await drained;
    this.stopSignal.abort();
    await Promise.all(this.workers);
    this.opts.log.info({ controller: this.name }, 'controller stopped');
  }

  /** Aborts in-flight reconciles (their signal fires); used when shutdown's grace period runs out. */
  abort(): void {
    this.stopSignal.abort();
  }

  private scheduleResync(): void {
    const period = this.opts.resyncPeriodMs ?? 10 * 60_000;
    this.resyncTimer = setTimeout(
      () => {
        // Spread the keys over a tenth of the period so a large cache is not reconciled in one burst.
        for (const key of this.opts.cache.keys()) if (!this.stillWaiting(key)) this.queue.addAfter(key, Math.random() * period * 0.1);
        this.scheduleResync();
      },
      withJitter(period, 0.2),
    );
    this.resyncTimer.unref();
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      // A key refused as an invalid spec waits for a change. A requeue it had before the refusal
      // (the steady poll its previous, successful pass asked for) is not one, and used to send the
      // refused request again once (a second G5 with the same unknown Kafka setting).
      if (this.stillWaiting(key)) {
        this.queue.done(key);
        continue;
      }
      // The key stays in flight until its reconcile has really finished, even when the worker
      // moves on after a deadline: the queue never hands the same key out twice at once.
      const { settled } = await this.process(key);
      void settled.finally(() => this.queue.done(key));
    }
  }

  /** Runs one reconcile; resolves when it ended or passed its deadline, with its real settlement. */
  private async process(key: string): Promise<{ settled: Promise<void> }> {
    const { metrics, log } = this.opts;
    const controller = this.name;
    const timeoutMs = this.opts.reconcileTimeoutMs ?? 120_000;
    const signal = AbortSignal.any([this.stopSignal.signal, AbortSignal.timeout(timeoutMs)]);
    const keyLog = log.child({ controller, key });
    const end = metrics.reconcileTime.startTimer({ controller });
    metrics.activeWorkers.inc({ controller });
    // The signal also travels implicitly to the HTTP layers (abort-context.ts), which abort the
    // calls of a reconcile that passed its deadline.
    // The object this reconcile sees: a refusal waits for a change from it, not from whatever the
    // cache holds once it fails (an edit or a deletion that arrived meanwhile is that change).
    const seen = this.opts.cache.get(key);
    const running = runWithSignal(signal, () => this.opts.reconcile({ key: parseKey(key), object: seen, signal, log: keyLog }));
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    try {
      const outcome = await raceAbort(running, signal);
      this.queue.forget(key);
      this.waitingForChange.delete(key);
      if (outcome?.requeueAfter && outcome.requeueAfter > 0) {
        metrics.reconcileTotal.inc({ controller, result: 'requeue_after' });
        this.queue.addAfter(key, outcome.requeueAfter * 1000);
      } else {
        metrics.reconcileTotal.inc({ controller, result: 'success' });
      }
    } catch (err) {
      if (signal.aborted && !this.stopSignal.signal.aborted) metrics.reconcileTimeouts.inc({ controller });
      this.handleError(key, err, keyLog, seen);
    } finally {
      metrics.activeWorkers.dec({ controller });
      end();
    }
    // Wrapped: an async function returning a promise would wait for it.
    return { settled };
  }

  private handleError(key: string, err: unknown, log: Logger, seen: KubeObject | undefined): void {
    const { metrics } = this.opts;
    const controller = this.name;
    metrics.reconcileTotal.inc({ controller, result: 'error' });
    metrics.reconcileErrors.inc({ controller });
    const decision = this.errorPolicy(err);
    const errorClass = classify(err);
    if (errorClass !== 'transient') metrics.terminalErrors.inc({ controller });
    let retryInMs: number | undefined;
    switch (decision.kind) {
      case 'backoff':
        retryInMs = this.queue.addRateLimited(key, decision.atLeastMs);
        break;
      case 'after':
        retryInMs = decision.ms;
        this.queue.addAfter(key, decision.ms);
        break;
      case 'wait-for-change':
        this.queue.forget(key);
        this.waitingForChange.set(key, seen);
        break;
    }
    // Once per streak of failures of a key, so a failing key does not flood the log: a known
    // failure (classified, an API server answer, a lost connection) as a warning, a bug or a
    // surprise at error level with its stack. Later failures of the streak at debug level.
    const fields = { errorClass, reason: isClassified(err) ? err.reason : undefined, retryInMs, err: errorMessage(err) };
    if (this.queue.failuresOf(key) > 1) log.debug(fields, 'reconcile failed again');
    else if (isExpectedFailure(err) || !(err instanceof Error)) log.warn(fields, 'reconcile failed');
    else log.error({ ...fields, stack: err.stack }, 'reconcile failed');
  }
}

/** Rejects as soon as `signal` aborts, so a reconcile that ignores its signal cannot hold a worker forever. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
