// A work queue of object keys, with client-go's guarantees:
// - a key waiting in the queue is there once, however often it is added (dedup);
// - a key is never handed to two workers at once: adding it while it is being processed marks it
//   dirty, and it goes back in the queue when that processing is done;
// - failures back off per key, exponentially, until `forget` (on success);
// - delayed adds (`addAfter`, for requeueAfter) keep only the earliest pending time per key;
// - retries (`addRateLimited`) wait for the later of their own backoff and a token of one global
//   bucket (client-go's default controller rate limiter: the max of both), so a storm of failures
//   is spread out; new work and polls (`add`, `addAfter`) are never held behind it, and a worker
//   never sleeps holding a key. `get` is awaited by a bounded set of workers, which limits
//   concurrency.
import { backoffDelay, type BackoffOptions } from './backoff.ts';
import { TokenBucket } from './rate-limit.ts';

export interface QueueHooks {
  onAdd?(): void;
  onRetry?(): void;
  /** Seconds a key waited in the queue before a worker took it. */
  onQueued?(seconds: number): void;
  /** Seconds a worker held a key. */
  onWorked?(seconds: number): void;
}

export interface WorkQueueOptions {
  backoff?: BackoffOptions;
  qps?: number;
  burst?: number;
  hooks?: QueueHooks;
  now?: () => number;
}

export class WorkQueue {
  private readonly order: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Map<string, number>();
  private readonly enqueuedAt = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private readonly waiters: Array<(key: string | undefined) => void> = [];
  private readonly bucket: TokenBucket;
  private readonly backoff: BackoffOptions;
  private readonly hooks: QueueHooks;
  private readonly now: () => number;
  private shuttingDown = false;
  private drained: (() => void) | undefined;

  constructor(opts: WorkQueueOptions = {}) {
    this.backoff = opts.backoff ?? { baseMs: 1000, maxMs: 5 * 60_000 };
    this.bucket = new TokenBucket(opts.qps ?? 10, opts.burst ?? 100, opts.now);
    this.hooks = opts.hooks ?? {};
    this.now = opts.now ?? Date.now;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.hooks.onAdd?.();
    this.dirty.add(key);
    this.enqueuedAt.set(key, this.now());
    if (this.processing.has(key)) return; // re-queued by done()
    this.push(key);
  }

  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    this.hooks.onRetry?.();
    const at = this.now() + delayMs;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.delayed.set(key, { at, timer });
  }

  /** Re-queues after this key's next backoff step or the global bucket's next token, whichever is later; returns the delay chosen. */
  addRateLimited(key: string, atLeastMs = 0): number {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    const delay = Math.max(atLeastMs, backoffDelay(n, this.backoff), this.bucket.reserve());
    this.addAfter(key, delay);
    return delay;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Waits for a key. Resolves undefined once the queue shuts down. */
  get(): Promise<string | undefined> {
    return this.nextKey();
  }

  done(key: string): void {
    const started = this.processing.get(key);
    if (started !== undefined) this.hooks.onWorked?.((this.now() - started) / 1000);
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) this.push(key);
    if (this.shuttingDown && this.processing.size === 0) this.drained?.();
  }

  get depth(): number {
    return this.order.length;
  }

  get inFlight(): number {
    return this.processing.size;
  }

  /** Seconds the longest-running key has been processed (workqueue_longest_running_processor). */
  longestRunningSeconds(): number {
    let oldest = Infinity;
    for (const t of this.processing.values()) oldest = Math.min(oldest, t);
    return oldest === Infinity ? 0 : (this.now() - oldest) / 1000;
  }

  unfinishedWorkSeconds(): number {
    const t = this.now();
    let sum = 0;
    for (const started of this.processing.values()) sum += (t - started) / 1000;
    return sum;
  }

  /** Stops handing out keys; resolves when every key already handed out is done. */
  shutDown(): Promise<void> {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => (this.drained = resolve));
  }

  private push(key: string): void {
    const waiter = this.waiters.shift();
    if (waiter) return waiter(this.take(key));
    this.order.push(key);
  }

  private nextKey(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.order.shift();
    if (key !== undefined) return Promise.resolve(this.take(key));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private take(key: string): string {
    const t = this.now();
    this.processing.set(key, t);
    this.dirty.delete(key);
    const queuedAt = this.enqueuedAt.get(key);
    this.enqueuedAt.delete(key);
    if (queuedAt !== undefined) this.hooks.onQueued?.((t - queuedAt) / 1000);
    return key;
  }
}
