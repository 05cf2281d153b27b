// The secure-metrics decision (metrics-auth.ts) without an API server: header parsing, the
// 401/403/500 answers controller-runtime's filter gives, and the review cache (TTLs per answer,
// size bound, shared in-flight reviews, failures not kept). A scripted Reviewer stands in for the
// API server here; test/integration/deploy/secure-metrics.test.ts asks the real one.
import { describe, expect, it } from 'vitest';
import {
  MetricsAuth,
  ReviewCache,
  bearerToken,
  verbOf,
  type AccessReviewResult,
  type Reviewer,
  type TokenReviewResult,
  type UserInfo,
} from '../../../src/runtime/metrics-auth.ts';
import { KubeApiError } from '../../../src/runtime/kube.ts';

describe('bearerToken', () => {
  it('reads the token of a Bearer header, the scheme in any case', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('BEARER   abc  ')).toBe('abc');
  });

  it('has no token for a missing, empty, other-scheme or malformed header', () => {
    for (const h of [undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'abc', 'Bearer a b', 'Token abc'])
      expect(bearerToken(h), String(h)).toBeUndefined();
    expect(bearerToken(['Bearer a', 'Bearer b'])).toBeUndefined();
  });
});

describe('verbOf', () => {
  it('GET and HEAD are get, as the API server maps them; others their own name', () => {
    expect(verbOf('GET')).toBe('get');
    expect(verbOf('HEAD')).toBe('get');
    expect(verbOf('POST')).toBe('post');
  });
});

describe('ReviewCache', () => {
  it('keeps an answer for its TTL, then asks again', async () => {
    let now = 1_000;
    const cache = new ReviewCache<string>({ maxEntries: 10, now: () => now });
    let loads = 0;
    const load = () => Promise.resolve(`answer ${String(++loads)}`);
    expect(await cache.get('k', load, () => 100)).toBe('answer 1');
    now += 99;
    expect(await cache.get('k', load, () => 100)).toBe('answer 1');
    now += 1;
    expect(await cache.get('k', load, () => 100)).toBe('answer 2');
    expect(loads).toBe(2);
  });

  it('the TTL depends on the answer', async () => {
    let now = 0;
    const cache = new ReviewCache<boolean>({ maxEntries: 10, now: () => now });
    const ttl = (allowed: boolean) => (allowed ? 300 : 30);
    let answer = false;
    let loads = 0;
    const load = () => Promise.resolve((loads++, answer));
    await cache.get('k', load, ttl);
    answer = true;
    now = 29;
    expect(await cache.get('k', load, ttl)).toBe(false);
    now = 30;
    expect(await cache.get('k', load, ttl)).toBe(true);
    now = 329;
    expect(await cache.get('k', load, ttl)).toBe(true);
    expect(loads).toBe(2);
  });

  it('concurrent lookups of one key share one load', async () => {
    const cache = new ReviewCache<number>({ maxEntries: 10 });
    let loads = 0;
    let release!: (v: number) => void;
    const load = () => (loads++, new Promise<number>((r) => (release = r)));
    const a = cache.get('k', load, () => 1000);
    const b = cache.get('k', load, () => 1000);
    release(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(loads).toBe(1);
  });

  it('does not keep a failure', async () => {
    const cache = new ReviewCache<number>({ maxEntries: 10 });
    await expect(
      cache.get(
        'k',
        () => Promise.reject(new Error('unreachable')),
        () => 1000,
      ),
    ).rejects.toThrow('unreachable');
    expect(cache.size).toBe(0);
    expect(
      await cache.get(
        'k',
        () => Promise.resolve(1),
        () => 1000,
      ),
    ).toBe(1);
  });

  it('holds at most maxEntries, dropping the oldest', async () => {
    const cache = new ReviewCache<string>({ maxEntries: 3 });
    let loads = 0;
    const load = (v: string) => () => Promise.resolve((loads++, v));
    for (const k of ['a', 'b', 'c', 'd']) await cache.get(k, load(k), () => 60_000);
    expect(cache.size).toBe(3);
    expect(loads).toBe(4);
    await cache.get('d', load('d'), () => 60_000); // still there
    expect(loads).toBe(4);
    await cache.get('a', load('a'), () => 60_000); // dropped: loaded again
    expect(loads).toBe(5);
  });

  it('drops the least recently used: an entry read often survives a stream of new keys', async () => {
    const cache = new ReviewCache<string>({ maxEntries: 3 });
    let loads = 0;
    const load = (v: string) => () => Promise.resolve((loads++, v));
    await cache.get('scraper', load('scraper'), () => 60_000);
    for (const k of ['junk1', 'junk2', 'junk3', 'junk4']) {
      await cache.get(k, load(k), () => 60_000);
      await cache.get('scraper', load('scraper'), () => 60_000); // a scrape between the junk
    }
    expect(loads).toBe(5); // the scraper's answer was loaded once
    expect(cache.size).toBe(3);
  });
});

/** A Reviewer that answers from tables and counts what it was asked. */
function scriptedReviewer(tokens: Record<string, UserInfo>, allowed: (u: UserInfo, verb: string, path: string) => boolean) {
  const asked = { tokens: [] as string[], access: [] as Array<{ user: string; verb: string; path: string }> };
  let failWith: Error | undefined;
  const reviewer: Reviewer = {
    reviewToken(token): Promise<TokenReviewResult> {
      asked.tokens.push(token);
      if (failWith) return Promise.reject(failWith);
      const user = tokens[token];
      return Promise.resolve(user ? { authenticated: true, user } : { authenticated: false, error: 'invalid bearer token' });
    },
    reviewAccess(user, verb, path): Promise<AccessReviewResult> {
      asked.access.push({ user: user.username, verb, path });
      if (failWith) return Promise.reject(failWith);
      return Promise.resolve(allowed(user, verb, path) ? { allowed: true } : { allowed: false, reason: 'no RBAC policy matched' });
    },
  };
  return { reviewer, asked, fail: (err: Error | undefined) => (failWith = err) };
}

const prometheus: UserInfo = { username: 'system:serviceaccount:monitoring:prometheus', groups: ['system:serviceaccounts'] };
const stranger: UserInfo = { username: 'system:serviceaccount:default:app' };
const req = (authorization?: string, method = 'GET') => ({ authorization, method, path: '/metrics' });

describe('MetricsAuth', () => {
  const setup = (now?: () => number) => {
    const s = scriptedReviewer(
      { 'prom-token': prometheus, 'app-token': stranger },
      (u, verb, path) => u === prometheus && verb === 'get' && path === '/metrics',
    );
    return { ...s, auth: new MetricsAuth({ reviewer: s.reviewer, ...(now ? { now } : {}) }) };
  };

  it('no token: 401, and the API server is not asked', async () => {
    const { auth, asked } = setup();
    expect(await auth.decide(req())).toEqual({ status: 401, message: 'Unauthorized' });
    expect(await auth.decide(req('Basic dXNlcjpwYXNz'))).toMatchObject({ status: 401 });
    expect(asked.tokens).toEqual([]);
  });

  it('a token the API server does not accept: 401; no access review', async () => {
    const { auth, asked } = setup();
    expect(await auth.decide(req('Bearer forged'))).toEqual({ status: 401, message: 'Unauthorized' });
    expect(asked.tokens).toEqual(['forged']);
    expect(asked.access).toEqual([]);
  });

  it('an authenticated user without get on /metrics: 403 naming the user', async () => {
    const { auth, asked } = setup();
    expect(await auth.decide(req('Bearer app-token'))).toEqual({
      status: 403,
      message: 'Authorization denied for user system:serviceaccount:default:app',
      user: 'system:serviceaccount:default:app',
      reason: 'no RBAC policy matched',
    });
    expect(asked.access).toEqual([{ user: stranger.username, verb: 'get', path: '/metrics' }]);
  });

  it('an authorized user: 200; HEAD is authorized as get', async () => {
    const { auth } = setup();
    expect(await auth.decide(req('Bearer prom-token'))).toEqual({ status: 200, user: prometheus.username });
    expect(await auth.decide(req('Bearer prom-token', 'HEAD'))).toMatchObject({ status: 200 });
    expect(await auth.decide(req('Bearer prom-token', 'POST'))).toMatchObject({ status: 403 });
  });

  it('a review that fails: 500, not cached, with a hint when the operator lacks the RBAC', async () => {
    const { auth, asked, fail } = setup();
    fail(new KubeApiError('POST', '/apis/authentication.k8s.io/v1/tokenreviews', 403, '{"message":"forbidden"}'));
    const d = await auth.decide(req('Bearer prom-token'));
    expect(d).toMatchObject({ status: 500, message: 'Authentication failed', hint: expect.stringContaining('tokenreviews') });
    fail(new Error('connect ECONNREFUSED'));
    expect(await auth.decide(req('Bearer prom-token'))).toMatchObject({ status: 500, error: 'connect ECONNREFUSED' });
    expect(await auth.decide(req('Bearer prom-token'))).not.toHaveProperty('hint');
    fail(undefined);
    expect(await auth.decide(req('Bearer prom-token'))).toMatchObject({ status: 200 });
    expect(asked.tokens).toHaveLength(4);
  });

  it('an access review that fails: 500 naming the user', async () => {
    const { auth, reviewer } = setup();
    reviewer.reviewAccess = () => Promise.reject(new Error('timeout'));
    expect(await auth.decide(req('Bearer prom-token'))).toMatchObject({
      status: 500,
      message: `Authorization for user ${prometheus.username} failed`,
    });
  });

  it("scrapes every 15 s cost one token review a minute and one access review per 5 minutes (controller-runtime's TTLs)", async () => {
    let now = 0;
    const { auth, asked } = setup(() => now);
    for (now = 0; now < 10 * 60_000; now += 15_000) expect((await auth.decide(req('Bearer prom-token'))).status).toBe(200);
    expect(asked.tokens).toHaveLength(10);
    expect(asked.access).toHaveLength(2);
  });

  it('a denial is kept 30 s only, so a new binding takes effect soon', async () => {
    let now = 0;
    let granted = false;
    const s = scriptedReviewer({ 'app-token': stranger }, () => granted);
    const auth = new MetricsAuth({ reviewer: s.reviewer, now: () => now });
    expect((await auth.decide(req('Bearer app-token'))).status).toBe(403);
    granted = true;
    now = 29_000;
    expect((await auth.decide(req('Bearer app-token'))).status).toBe(403);
    now = 30_000;
    expect((await auth.decide(req('Bearer app-token'))).status).toBe(200);
  });

  it('bounds the reviews a flood of new tokens causes: at most maxInFlight at once, 429 beyond, the scraper still served from its cache', async () => {
    const pending: Array<() => void> = [];
    let tokenReviews = 0;
    const reviewer: Reviewer = {
      reviewToken(token) {
        tokenReviews++;
        if (token === 'prom-token') return Promise.resolve({ authenticated: true, user: prometheus });
        // The API server is slow: each review waits until the test lets it answer.
        return new Promise((resolve) => pending.push(() => resolve({ authenticated: false })));
      },
      reviewAccess: () => Promise.resolve({ allowed: true }),
    };
    const auth = new MetricsAuth({ reviewer, maxInFlight: 4, reviewsPerSecond: 1000, reviewBurst: 1000 });
    expect((await auth.decide(req('Bearer prom-token'))).status).toBe(200); // cached before the flood
    const flood = Array.from({ length: 50 }, (_, i) => auth.decide(req(`Bearer junk-${String(i)}`)));
    // Four reviews under way, the other 46 refused at once without asking the API server.
    const refused = await Promise.all(flood.slice(4));
    expect(refused.every((d) => d.status === 429)).toBe(true);
    expect(tokenReviews).toBe(1 + 4);
    expect((await auth.decide(req('Bearer prom-token'))).status).toBe(200);
    for (const answer of pending) answer();
    expect((await Promise.all(flood.slice(0, 4))).map((d) => d.status)).toEqual([401, 401, 401, 401]);
    // Once they are answered, new reviews may start again.
    const after = auth.decide(req('Bearer another'));
    expect(tokenReviews).toBe(1 + 4 + 1);
    pending.at(-1)!();
    expect((await after).status).toBe(401);
  });

  it('bounds the reviews per second (a token bucket): a burst, then 429 until time refills it', async () => {
    let now = 0;
    const s = scriptedReviewer({}, () => true);
    const auth = new MetricsAuth({ reviewer: s.reviewer, reviewsPerSecond: 2, reviewBurst: 3, now: () => now });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await auth.decide(req(`Bearer t${String(i)}`))).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(s.asked.tokens).toHaveLength(3);
    now += 500; // one more token at 2 per second
    expect((await auth.decide(req('Bearer t5'))).status).toBe(401);
    expect((await auth.decide(req('Bearer t6'))).status).toBe(429);
    expect(s.asked.tokens).toHaveLength(4);
  });

  it('different tokens of one user share the access review; the cache never holds a token', async () => {
    const s = scriptedReviewer({ t1: prometheus, t2: prometheus }, () => true);
    const auth = new MetricsAuth({ reviewer: s.reviewer });
    await auth.decide(req('Bearer t1'));
    await auth.decide(req('Bearer t2'));
    expect(s.asked.tokens).toEqual(['t1', 't2']);
    expect(s.asked.access).toHaveLength(1);
    const keys = [...(auth as unknown as { tokens: { entries: Map<string, unknown> } }).tokens.entries.keys()];
    expect(keys).toHaveLength(2);
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{64}$/); // SHA-256 of the token
  });
});
