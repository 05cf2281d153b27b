// The HTTP layer every cloud client sends through. It owns what must be uniform across clouds:
// connection reuse, timeouts, the retry rule (idempotent calls only), per-credential rate
// limiting, metrics and one log line per attempt. It never interprets a cloud's status codes
// beyond "worth retrying", and never logs headers or bodies: they carry credentials.
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { Agent, request, type Dispatcher } from 'undici';
import { backoffDelay, sleep, type BackoffOptions } from '../runtime/backoff.ts';
import { withCurrentSignal } from '../runtime/abort-context.ts';
import { TransientError } from '../runtime/errors.ts';
import { TokenBucket } from '../runtime/rate-limit.ts';
import { cloudMetrics, type CloudMetrics } from './metrics.ts';
import { parseRetryAfter } from './retry-after.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CloudRequest {
  /** Metric/log label, e.g. `kakaocloud`. */
  cloud: string;
  /** Metric/log label, e.g. `getCluster`. */
  operation: string;
  method: HttpMethod;
  url: string | URL;
  /** A function is called once per attempt, so a signing client can stamp each attempt afresh. */
  headers: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>);
  body?: string;
  /**
   * Only idempotent calls are retried here. A create/delete/scale that failed may still have
   * taken effect, and only the caller can find out (e.g. by looking the cluster up by name).
   */
  idempotent: boolean;
  /** A non-secret key per credential (e.g. a hash prefix of the key id): the rate-limit bucket. */
  credentialKey: string;
  /** Per-request override of the client's timeout. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CloudResponse {
  readonly status: number;
  /** Lower-cased names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** How many attempts were made, including this one. */
  readonly attempts: number;
  /** The server's Retry-After hint, if it sent one. */
  readonly retryAfterMs: number | undefined;
  /** `JSON.parse` of the body; throws on an empty or malformed body. */
  json(): unknown;
}

export type CloudRequestFailure = 'timeout' | 'network';

/**
 * No HTTP response at all: a timeout or a network error. Transient, but for a non-idempotent
 * request the outcome is unknown (`outcomeUnknown`): the cloud may have acted on it.
 */
export class CloudRequestError extends TransientError {
  readonly cloud: string;
  readonly operation: string;
  readonly failure: CloudRequestFailure;
  readonly attempts: number;
  readonly outcomeUnknown: boolean;
  constructor(init: {
    cloud: string;
    operation: string;
    failure: CloudRequestFailure;
    attempts: number;
    outcomeUnknown: boolean;
    message: string;
    cause?: unknown;
  }) {
    super(init.failure === 'timeout' ? 'CloudTimeout' : 'CloudUnreachable', init.message, { cause: init.cause });
    this.cloud = init.cloud;
    this.operation = init.operation;
    this.failure = init.failure;
    this.attempts = init.attempts;
    this.outcomeUnknown = init.outcomeUnknown;
  }
}

export interface CloudHttpOptions {
  log: Logger;
  /** Metrics are registered once per registry; without one they go to a private registry. */
  registry?: Registry;
  /** Per attempt, headers and body included. Default 30 s. */
  timeoutMs?: number;
  /** Attempts for an idempotent request. Default 3. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** A Retry-After longer than this is not slept on in-process; the response goes back to the caller. Default 10 s. */
  maxRetryWaitMs?: number;
  /** Token bucket per (cloud, credentialKey). Default 10 qps, burst 20. */
  rateLimit?: { qps: number; burst: number };
  /** Injected dispatcher (tests); otherwise a keep-alive Agent owned by this instance. */
  dispatcher?: Dispatcher;
  now?: () => number;
  random?: () => number;
}

// 500 is left out on purpose: a generic server error on a GET is as likely a bug answering every
// time as a blip, and the reconciler's own backoff covers it.
const RETRIABLE_STATUS = new Set([429, 502, 503, 504]);

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 5_000, jitter: 0.5 };

type AttemptOutcome = { kind: 'response'; response: CloudResponse } | { kind: 'error'; error: CloudRequestError };

export class CloudHttp {
  private readonly log: Logger;
  private readonly metrics: CloudMetrics;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffOptions;
  private readonly maxRetryWaitMs: number;
  private readonly rateLimit: { qps: number; burst: number };
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(opts: CloudHttpOptions) {
    this.log = opts.log;
    this.metrics = cloudMetrics(opts.registry ?? new Registry());
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 3);
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.maxRetryWaitMs = opts.maxRetryWaitMs ?? 10_000;
    // The operator always passes CDO_CLOUD_QPS / CDO_CLOUD_BURST (config.ts); this modest
    // fallback is for tools and tests that build a client on their own.
    this.rateLimit = opts.rateLimit ?? { qps: 10, burst: 20 };
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.ownsDispatcher = opts.dispatcher === undefined;
    this.dispatcher = opts.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 300_000, connections: 32 });
  }

  /**
   * Sends a request and returns the final response, whatever its status. Throws a
   * `CloudRequestError` only when no response was received on the last attempt.
   */
  async send(request: CloudRequest): Promise<CloudResponse> {
    // The running reconcile's signal (if any) aborts this call too, when it passes its deadline.
    const signal = withCurrentSignal(request.signal);
    const req: CloudRequest = signal ? { ...request, signal } : request;
    const url = typeof req.url === 'string' ? new URL(req.url) : req.url;
    const maxAttempts = req.idempotent ? this.maxAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      await this.throttle(req);
      const started = this.now();
      const outcome = await this.attempt(req, url, attempt);
      const durationMs = this.now() - started;

      const retryAfterMs = outcome.kind === 'response' ? outcome.response.retryAfterMs : undefined;
      const worthRetrying = outcome.kind === 'error' || RETRIABLE_STATUS.has(outcome.response.status);
      let retryInMs: number | undefined;
      if (worthRetrying && attempt < maxAttempts && !req.signal?.aborted) {
        const delay = Math.max(backoffDelay(attempt, this.backoff, this.random), retryAfterMs ?? 0);
        if (delay <= this.maxRetryWaitMs) retryInMs = delay;
      }
      this.logAttempt(req, url, attempt, outcome, durationMs, retryInMs);

      if (retryInMs === undefined) {
        if (outcome.kind === 'error') throw outcome.error;
        return outcome.response;
      }
      await sleep(retryInMs, req.signal);
    }
  }

  /** Closes the keep-alive connections of an owned Agent. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async throttle(req: CloudRequest): Promise<void> {
    const key = `${req.cloud}\u0000${req.credentialKey}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.rateLimit.qps, this.rateLimit.burst, this.now);
      this.buckets.set(key, bucket);
    }
    const wait = bucket.reserve();
    if (wait > 0) {
      this.metrics.throttled.inc({ cloud: req.cloud });
      await sleep(wait, req.signal);
    }
  }

  private async attempt(req: CloudRequest, url: URL, attempt: number): Promise<AttemptOutcome> {
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = req.signal ? AbortSignal.any([timeout.signal, req.signal]) : timeout.signal;
    const endTimer = this.metrics.duration.startTimer({ cloud: req.cloud, operation: req.operation });
    try {
      const headers = typeof req.headers === 'function' ? req.headers() : req.headers;
      const res = await request(url, {
        method: req.method,
        headers: { ...headers },
        body: req.body ?? null,
        dispatcher: this.dispatcher,
        signal,
      });
      const text = await res.body.text();
      const responseHeaders = flattenHeaders(res.headers);
      const status = res.statusCode;
      this.metrics.requests.inc({ cloud: req.cloud, operation: req.operation, code: String(status) });
      if (status === 429) this.metrics.throttled.inc({ cloud: req.cloud });
      return {
        kind: 'response',
        response: {
          status,
          headers: responseHeaders,
          text,
          attempts: attempt,
          retryAfterMs: parseRetryAfter(responseHeaders['retry-after'], this.now()),
          json: () => JSON.parse(text) as unknown,
        },
      };
    } catch (err) {
      const failure: CloudRequestFailure = timeout.signal.aborted ? 'timeout' : 'network';
      this.metrics.requests.inc({ cloud: req.cloud, operation: req.operation, code: failure === 'timeout' ? 'timeout' : 'error' });
      const what = failure === 'timeout' ? `timed out after ${timeoutMs} ms` : `failed: ${networkErrorText(err)}`;
      return {
        kind: 'error',
        error: new CloudRequestError({
          cloud: req.cloud,
          operation: req.operation,
          failure,
          attempts: attempt,
          outcomeUnknown: !req.idempotent,
          message: `${req.cloud} ${req.operation}: ${req.method} ${url.pathname} ${what}`,
          cause: err,
        }),
      };
    } finally {
      clearTimeout(timer);
      endTimer();
    }
  }

  private logAttempt(
    req: CloudRequest,
    url: URL,
    attempt: number,
    outcome: AttemptOutcome,
    durationMs: number,
    retryInMs: number | undefined,
  ): void {
    // Path only: query values are names/filters today, but nothing forces that to stay true.
    const fields = {
      cloud: req.cloud,
      operation: req.operation,
      method: req.method,
      path: url.pathname,
      attempt,
      durationMs,
      status: outcome.kind === 'response' ? outcome.response.status : outcome.error.failure,
      ...(retryInMs !== undefined ? { retryInMs } : {}),
    };
    const ok = outcome.kind === 'response' && outcome.response.status < 400;
    if (ok) this.log.debug(fields, 'cloud request');
    else this.log.info(fields, retryInMs !== undefined ? 'cloud request failed, retrying' : 'cloud request failed');
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

// The error code (ECONNREFUSED, UND_ERR_SOCKET…) says what happened; messages of lower layers are
// not quoted, as nothing guarantees they never echo a request header.
function networkErrorText(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const name = (err as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'network error';
}
