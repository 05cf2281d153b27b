// Who may read /metrics: the delegated authentication and authorization of controller-runtime's
// secure metrics filter (pkg/metrics/filters, WithAuthenticationAndAuthorization), asked of the
// API server. The caller's bearer token is checked with a TokenReview (authentication.k8s.io/v1);
// the user it names must be allowed `get` on the non-resource URL /metrics, asked with a
// SubjectAccessReview (authorization.k8s.io/v1). So a Prometheus ServiceAccount bound to the
// metrics-reader ClusterRole reads the metrics, and nobody else does.
//
// Answers: no token, a malformed header or a token the API server does not accept → 401 (where
// controller-runtime answers 500 for a rejected token: 401 is what the caller needs to know); an
// authenticated user without the permission → 403; a review that could not be made (API server
// unreachable, the operator lacks `create` on the reviews) → 500. Reviews are cached, see
// ReviewCache.
//
// Unlike controller-runtime's, these reviews share the operator's one client with its watches,
// status writes and Lease renewals, and the port is reachable by every pod unless a NetworkPolicy
// says otherwise. So the reviews a request can cause are bounded: at most `maxInFlight` at once
// and `reviewsPerSecond` on average (a TokenBucket); a request beyond that gets 429 without a
// review, and a cached answer (Prometheus's) is served whatever the load.
import { createHash } from 'node:crypto';
import { KubeApiError, type KubeClient } from './kube.ts';
import { TokenBucket } from './rate-limit.ts';

/** The user a TokenReview names (status.user), passed on as is to the SubjectAccessReview. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export type TokenReviewResult = { authenticated: true; user: UserInfo } | { authenticated: false; error?: string };
export interface AccessReviewResult {
  allowed: boolean;
  reason?: string;
}

/** The two questions asked of the API server (KubeReviewer in the operator, a fake in unit tests). */
export interface Reviewer {
  reviewToken(token: string): Promise<TokenReviewResult>;
  reviewAccess(user: UserInfo, verb: string, path: string): Promise<AccessReviewResult>;
}

export type Decision =
  | { status: 200; user: string }
  | { status: 401; message: string }
  | { status: 403; message: string; user: string; reason?: string }
  | { status: 429; message: string }
  | { status: 500; message: string; error: string; hint?: string };

/** A review not made because too many are under way or were made lately. */
class ReviewsBusy extends Error {}

/**
 * The token of an `Authorization: Bearer <token>` header, as the API server's own bearer-token
 * authenticator reads it: the scheme case-insensitive, one token, nothing else. Undefined when
 * the header is absent, another scheme, or empty.
 */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const parts = header.trim().split(/\s+/);
  if (parts.length !== 2 || parts[0]?.toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}

/**
 * The verb an HTTP method is authorized as for a non-resource URL: the API server's own mapping
 * (GET and HEAD are `get`), so a metrics-reader's `get` covers both.
 */
export function verbOf(method: string): string {
  const m = method.toUpperCase();
  return m === 'GET' || m === 'HEAD' ? 'get' : m.toLowerCase();
}

/**
 * A small TTL cache with a size bound (the least recently used entry goes first, so a stream of
 * new tokens does not push out the scraper's), keyed by strings. Values are promises, so
 * concurrent scrapes with one token (two Prometheus replicas) share one review.
 */
export class ReviewCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(opts: { maxEntries: number; now?: () => number }) {
    this.maxEntries = opts.maxEntries;
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached answer for `key`, or `load()`'s, kept for `ttlOf(answer)` ms. A failed load is not
   * kept: the next request asks again.
   */
  get(key: string, load: () => Promise<V>, ttlOf: (v: V) => number): Promise<V> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit) this.entries.delete(key);
    if (hit && hit.expires > now) {
      this.entries.set(key, hit); // most recently used: last in the Map's order
      return hit.value;
    }
    const value = load();
    // Until the answer comes, the entry lives as long as the longest TTL could; then its own.
    const entry = { value, expires: Number.POSITIVE_INFINITY };
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    value.then(
      (v) => {
        entry.expires = this.now() + ttlOf(v);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return value;
  }
}

export interface MetricsAuthOptions {
  reviewer: Reviewer;
  /**
   * How long answers are reused. controller-runtime's values: a token review (either answer) for
   * 1 minute, an allowed access review for 5 minutes, a denied one for 30 seconds. Prometheus
   * scrapes every 15-30 s, so without a cache every scrape of every replica would cost the API
   * server two reviews; with it, about one of each per token per TTL. The price: a revoked
   * token or binding keeps working until its entry expires.
   */
  ttlMs?: { token?: number; allowed?: number; denied?: number };
  /** Entries per cache: bounds memory when many different tokens (or garbage) arrive. */
  maxEntries?: number;
  /** Reviews under way at once (default 8), and made per second on average (default 10, bursts of 20). */
  maxInFlight?: number;
  reviewsPerSecond?: number;
  reviewBurst?: number;
  now?: () => number;
}

export class MetricsAuth {
  private readonly reviewer: Reviewer;
  private readonly ttl: { token: number; allowed: number; denied: number };
  private readonly tokens: ReviewCache<TokenReviewResult>;
  private readonly access: ReviewCache<AccessReviewResult>;
  private readonly maxInFlight: number;
  private readonly bucket: TokenBucket;
  private inFlight = 0;

  constructor(opts: MetricsAuthOptions) {
    this.reviewer = opts.reviewer;
    this.ttl = { token: 60_000, allowed: 300_000, denied: 30_000, ...opts.ttlMs };
    const cacheOpts = { maxEntries: opts.maxEntries ?? 1024, ...(opts.now ? { now: opts.now } : {}) };
    this.tokens = new ReviewCache(cacheOpts);
    this.access = new ReviewCache(cacheOpts);
    this.maxInFlight = opts.maxInFlight ?? 8;
    this.bucket = new TokenBucket(opts.reviewsPerSecond ?? 10, opts.reviewBurst ?? 20, opts.now);
  }

  /** `review`, unless too many are under way or were made lately (ReviewsBusy, thrown at once). */
  private limited<V>(review: () => Promise<V>): () => Promise<V> {
    return () => {
      if (this.inFlight >= this.maxInFlight || !this.bucket.tryTake()) {
        throw new ReviewsBusy('too many metrics authorization reviews under way; retry later');
      }
      this.inFlight++;
      return review().finally(() => this.inFlight--);
    };
  }

  /** The decision for one request: its Authorization header, method and URL path. */
  async decide(req: { authorization: string | string[] | undefined; method: string; path: string }): Promise<Decision> {
    const token = bearerToken(req.authorization);
    if (!token) return { status: 401, message: 'Unauthorized' };
    // Keyed by a hash: the cache never holds a token itself.
    const tokenKey = createHash('sha256').update(token).digest('hex');
    let review: TokenReviewResult;
    try {
      review = await this.tokens.get(
        tokenKey,
        this.limited(() => this.reviewer.reviewToken(token)),
        () => this.ttl.token,
      );
    } catch (err) {
      if (err instanceof ReviewsBusy) return { status: 429, message: 'Too many requests' };
      return { status: 500, message: 'Authentication failed', ...failure(err) };
    }
    if (!review.authenticated) return { status: 401, message: 'Unauthorized' };
    const { user } = review;
    const verb = verbOf(req.method);
    const accessKey = JSON.stringify([user.username, user.uid ?? '', [...(user.groups ?? [])].sort(), user.extra ?? {}, verb, req.path]);
    let access: AccessReviewResult;
    try {
      access = await this.access.get(
        accessKey,
        this.limited(() => this.reviewer.reviewAccess(user, verb, req.path)),
        (a) => (a.allowed ? this.ttl.allowed : this.ttl.denied),
      );
    } catch (err) {
      if (err instanceof ReviewsBusy) return { status: 429, message: 'Too many requests' };
      const message = `Authorization for user ${user.username} failed`;
      return { status: 500, message, ...failure(err) };
    }
    if (!access.allowed)
      return {
        status: 403,
        message: `Authorization denied for user ${user.username}`,
        user: user.username,
        ...(access.reason ? { reason: access.reason } : {}),
      };
    return { status: 200, user: user.username };
  }
}

/** What a failed review says in the log: its error, and what to do when the RBAC is missing. */
function failure(err: unknown): { error: string; hint?: string } {
  const error = err instanceof Error ? err.message : String(err);
  return err instanceof KubeApiError && err.statusCode === 403
    ? { error, hint: 'the operator needs create on tokenreviews and subjectaccessreviews (its metrics-auth ClusterRole)' }
    : { error };
}

interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  error?: string;
}

/** The reviews as the operator makes them: POSTs through its own Kubernetes client. */
export class KubeReviewer implements Reviewer {
  private readonly client: KubeClient;
  private readonly timeoutMs: number;

  constructor(client: KubeClient, opts: { timeoutMs?: number } = {}) {
    this.client = client;
    // controller-runtime's TokenAccessReviewTimeout; a scrape waits no longer than Prometheus would.
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  async reviewToken(token: string): Promise<TokenReviewResult> {
    const res = await this.client.create<{ status?: TokenReviewStatus }>(
      '/apis/authentication.k8s.io/v1/tokenreviews',
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
      { timeoutMs: this.timeoutMs },
    );
    const s = res?.status ?? {};
    if (!s.authenticated || !s.user?.username) return { authenticated: false, ...(s.error ? { error: s.error } : {}) };
    return {
      authenticated: true,
      user: {
        username: s.user.username,
        ...(s.user.uid ? { uid: s.user.uid } : {}),
        ...(s.user.groups ? { groups: s.user.groups } : {}),
        ...(s.user.extra ? { extra: s.user.extra } : {}),
      },
    };
  }

  async reviewAccess(user: UserInfo, verb: string, path: string): Promise<AccessReviewResult> {
    const res = await this.client.create<{ status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string } }>(
      '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: user.username,
          ...(user.uid ? { uid: user.uid } : {}),
          ...(user.groups ? { groups: user.groups } : {}),
          ...(user.extra ? { extra: user.extra } : {}),
          nonResourceAttributes: { path, verb },
        },
      },
      { timeoutMs: this.timeoutMs },
    );
    const s = res?.status ?? {};
    // Allowed only when the API server says so (no opinion, or an evaluation error, is a denial).
    return { allowed: s.allowed === true && s.denied !== true, ...(s.reason ? { reason: s.reason } : {}) };
  }
}
