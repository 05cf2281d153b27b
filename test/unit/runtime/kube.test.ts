// The Kubernetes REST layer against a local HTTP server that plays the API server: what each call
// sends, and how each kind of failure reaches the callers (404/409 checks through httpStatusOf,
// one-line messages through errorMessage, "no answer" through isConnectionError).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runWithSignal } from '../../../src/runtime/abort-context.ts';
import { errorMessage, httpStatusOf, isConnectionError, isExpectedFailure } from '../../../src/runtime/errors.ts';
import { KubeApiError, KubeClient, microTime, objectPath, type WatchEvent } from '../../../src/runtime/kube.ts';
import { Metrics } from '../../../src/runtime/metrics.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void;
let seen: Seen[];
let metrics: Metrics;
let client: KubeClient;

function kubeConfig(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser({ name: 'local', server, skipTLSVerify: true }, { name: 'bot', token: 's3cret' });
  return kc;
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code }));
}

const metric = async (code: string, method: string) =>
  (await metrics.restRequests.get()).values.find((v) => v.labels.code === code && v.labels.method === method)?.value ?? 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(async () => {
  await client.close();
});

/** A client (and metrics) of its own for each test. */
function fresh(timeoutMs?: number): KubeClient {
  seen = [];
  metrics = new Metrics({ defaultMetrics: false });
  const { port } = server.address() as AddressInfo;
  client = new KubeClient({
    kubeConfig: kubeConfig(`http://127.0.0.1:${port}`),
    userAgent: 'cloud-data-operator/test',
    metrics,
    ...(timeoutMs ? { requestTimeoutMs: timeoutMs } : {}),
  });
  return client;
}

const widgets = { group: 'test.cdo.dev', version: 'v1', plural: 'widgets', kind: 'Widget' };

describe('KubeClient requests', () => {
  it('sends JSON with our User-Agent and the kubeconfig credentials, and returns the parsed body', async () => {
    const kube = fresh();
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"metadata":{"name":"w"}}');
    };
    await expect(kube.get(objectPath(widgets, 'ns', 'w'), { query: { limit: 5, continue: undefined } })).resolves.toEqual({
      metadata: { name: 'w' },
    });
    await kube.patch(objectPath(widgets, 'ns', 'w', 'status'), 'merge', { status: { a: 1 } });
    await kube.patch(objectPath(widgets, 'ns', 'w'), 'json', [{ op: 'remove', path: '/metadata/finalizers/0' }]);
    await kube.create('/api/v1/namespaces/ns/configmaps', { metadata: { name: 'c' } });
    await kube.replace('/api/v1/namespaces/ns/configmaps/c', { metadata: { name: 'c' } });
    await kube.delete('/api/v1/namespaces/ns/configmaps/c');
    expect(seen.map((s) => [s.method, s.url, s.headers['content-type']])).toEqual([
      ['GET', '/apis/test.cdo.dev/v1/namespaces/ns/widgets/w?limit=5', undefined],
      ['PATCH', '/apis/test.cdo.dev/v1/namespaces/ns/widgets/w/status', 'application/merge-patch+json'],
      ['PATCH', '/apis/test.cdo.dev/v1/namespaces/ns/widgets/w', 'application/json-patch+json'],
      ['POST', '/api/v1/namespaces/ns/configmaps', 'application/json'],
      ['PUT', '/api/v1/namespaces/ns/configmaps/c', 'application/json'],
      ['DELETE', '/api/v1/namespaces/ns/configmaps/c', undefined],
    ]);
    expect(seen[1]?.body).toBe('{"status":{"a":1}}');
    for (const s of seen) {
      expect(s.headers['user-agent']).toBe('cloud-data-operator/test');
      expect(s.headers['authorization']).toBe('Bearer s3cret');
      expect(s.headers['accept']).toBe('application/json');
    }
    expect(await metric('200', 'GET')).toBe(1);
    expect(await metric('200', 'PATCH')).toBe(2);
    expect(await metric('200', 'DELETE')).toBe(1);
  });

  it('throws a KubeApiError whose status callers check (404 read, 409 conflict) and whose message is the Status message', async () => {
    const kube = fresh();
    handler = (req, res) =>
      req.method === 'GET'
        ? status(res, 404, 'NotFound', 'configmaps "c" not found')
        : status(res, 409, 'Conflict', 'Operation cannot be fulfilled on leases "l": the object has been modified');
    const notFound = await kube.get('/api/v1/namespaces/ns/configmaps/c').catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(KubeApiError);
    expect(httpStatusOf(notFound)).toBe(404);
    expect(errorMessage(notFound)).toBe('HTTP 404 NotFound: configmaps "c" not found');
    expect((notFound as Error).message).toBe('GET /api/v1/namespaces/ns/configmaps/c: HTTP 404: configmaps "c" not found');
    expect(isExpectedFailure(notFound)).toBe(true);
    expect(isConnectionError(notFound)).toBe(false);

    const conflict = await kube.replace('/apis/coordination.k8s.io/v1/namespaces/ns/leases/l', {}).catch((e: unknown) => e);
    expect(httpStatusOf(conflict)).toBe(409);
    expect(errorMessage(conflict)).toBe('HTTP 409 Conflict: Operation cannot be fulfilled on leases "l": the object has been modified');
    expect(await metric('404', 'GET')).toBe(1);
    expect(await metric('409', 'PUT')).toBe(1);
  });

  it('getIfExists: an object that is not there reads as undefined; any other refusal is thrown', async () => {
    const kube = fresh();
    handler = (req, res) =>
      req.url?.endsWith('/missing') ? status(res, 404, 'NotFound', 'not found') : status(res, 403, 'Forbidden', 'no');
    expect(await kube.getIfExists('/api/v1/namespaces/ns/secrets/missing')).toBeUndefined();
    const refused = await kube.getIfExists('/api/v1/namespaces/ns/secrets/hidden').catch((e: unknown) => e);
    expect(httpStatusOf(refused)).toBe(403);
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"metadata":{"name":"there"}}');
    };
    expect(await kube.getIfExists('/api/v1/namespaces/ns/secrets/there')).toEqual({ metadata: { name: 'there' } });
  });

  it('keeps the start of a body that is not a Status (a proxy in the way)', async () => {
    const kube = fresh();
    handler = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    };
    const err = await kube.get('/api/v1/namespaces').catch((e: unknown) => e);
    expect(httpStatusOf(err)).toBe(502);
    expect(errorMessage(err)).toBe('HTTP 502: <html>Bad Gateway</html>');
  });

  it('gives up at the deadline with an error that says no answer came', async () => {
    const kube = fresh(200);
    handler = () => undefined; // never answers
    const started = Date.now();
    const err = await kube.get('/api/v1/namespaces').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(isConnectionError(err)).toBe(true);
    expect(httpStatusOf(err)).toBeUndefined();
    expect(errorMessage(err)).toContain('no answer within 200 ms');
    expect(await metric('<error>', 'GET')).toBe(1);
  });

  it('honours a shorter per-call deadline and the running reconcile’s abort signal', async () => {
    const kube = fresh();
    handler = () => undefined;
    const short = await kube.get('/x', { timeoutMs: 100 }).catch((e: unknown) => e);
    expect((short as Error).name).toBe('TimeoutError');
    const reconcile = new AbortController();
    const pending = runWithSignal(reconcile.signal, () => kube.get('/y').catch((e: unknown) => e));
    setTimeout(() => reconcile.abort(), 50);
    expect(isConnectionError(await pending)).toBe(true);
  });

  it('reports a refused connection as no answer', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const kube = new KubeClient({ kubeConfig: kubeConfig(`http://127.0.0.1:${port}`), userAgent: 'x' });
    const err = await kube.get('/api').catch((e: unknown) => e);
    await kube.close();
    expect(isConnectionError(err)).toBe(true);
    expect(isExpectedFailure(err)).toBe(true);
  });
});

describe('KubeClient.watch', () => {
  const collect = async (events: AsyncIterable<WatchEvent>) => {
    const out: WatchEvent[] = [];
    for await (const e of events) out.push(e);
    return out;
  };

  it('yields one event per line, whatever the chunking, until the server ends the stream', async () => {
    const kube = fresh();
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MODI');
      setTimeout(() => {
        res.write('FIED","object":{"metadata":{"name":"a","labels":{"k":"é"}}}}\n');
        res.end('{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}\n');
      }, 20);
    };
    const events = await collect(kube.watch('/api/v1/secrets', { query: { resourceVersion: '5' }, idleTimeoutMs: 5000 }));
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'BOOKMARK']);
    expect(events[1]?.object).toEqual({ metadata: { name: 'a', labels: { k: 'é' } } });
    expect(seen[0]?.url).toBe('/api/v1/secrets?resourceVersion=5&watch=true');
    expect(seen[0]?.headers['user-agent']).toBe('cloud-data-operator/test');
  });

  it('throws a KubeApiError when the server refuses the watch (410 Gone)', async () => {
    const kube = fresh();
    handler = (_req, res) => status(res, 410, 'Expired', 'too old resource version: 1 (9)');
    const err = await collect(kube.watch('/api/v1/secrets', { idleTimeoutMs: 5000 })).catch((e: unknown) => e);
    expect(httpStatusOf(err)).toBe(410);
  });

  it('aborts a stream that went silent with a TimeoutError', async () => {
    const kube = fresh();
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"type":"ADDED","object":{}}\n'); // then nothing
    };
    const seenEvents: string[] = [];
    const err = await (async () => {
      for await (const e of kube.watch('/api/v1/secrets', { idleTimeoutMs: 150 })) seenEvents.push(e.type);
    })().catch((e: unknown) => e);
    expect(seenEvents).toEqual(['ADDED']);
    expect((err as Error).name).toBe('TimeoutError');
  });
});

describe('microTime', () => {
  it('has exactly six fractional digits, as the API server parses MicroTime', () => {
    expect(microTime(new Date('2026-03-04T05:06:07.089Z'))).toBe('2026-03-04T05:06:07.089000Z');
  });
});
