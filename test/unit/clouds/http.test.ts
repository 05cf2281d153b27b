import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloudHttp, CloudRequestError, type CloudHttpOptions, type CloudRequest } from '../../../src/clouds/http.ts';
import { cloudMetrics } from '../../../src/clouds/metrics.ts';
import { createLogger } from '../../../src/runtime/logger.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  at: number;
}
type Handler = (req: Seen, index: number, res: ServerResponse) => void;

let server: Server;
let base: string;
let seen: Seen[] = [];
let handler: Handler = (_r, _i, res) => res.end();

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: Date.now() };
      seen.push(s);
      handler(s, seen.length - 1, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const clients: CloudHttp[] = [];
afterEach(async () => {
  seen = [];
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function make(opts: Partial<CloudHttpOptions> = {}) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const registry = opts.registry ?? new Registry();
  const http = new CloudHttp({
    log: createLogger({ pretty: false, level: 'debug', destination }),
    backoff: { baseMs: 5, maxMs: 10, jitter: 0 },
    rateLimit: { qps: 1000, burst: 1000 },
    ...opts,
    registry,
  });
  clients.push(http);
  return { http, lines, registry };
}

const get = (extra: Partial<CloudRequest> = {}): CloudRequest => ({
  cloud: 'testcloud',
  operation: 'getThing',
  method: 'GET',
  url: `${base}/things/1?filter=a`,
  headers: { 'x-test': '1' },
  idempotent: true,
  credentialKey: 'tenant-a',
  ...extra,
});

const reply =
  (status: number, body = '', headers: Record<string, string> = {}) =>
  (_r: Seen, _i: number, res: ServerResponse) => {
    res.writeHead(status, headers);
    res.end(body);
  };

describe('CloudHttp', () => {
  it('returns status, lower-cased headers, text and json', async () => {
    const { http } = make();
    handler = reply(200, '{"a":1}', { 'X-Thing': 'yes' });
    const res = await http.send(get());
    expect(res.status).toBe(200);
    expect(res.headers['x-thing']).toBe('yes');
    expect(res.text).toBe('{"a":1}');
    expect(res.json()).toEqual({ a: 1 });
    expect(res.attempts).toBe(1);
    expect(seen[0]!.url).toBe('/things/1?filter=a');
    expect(seen[0]!.headers['x-test']).toBe('1');
  });

  it('calls a header factory once per attempt, so each attempt can be signed afresh', async () => {
    const { http } = make();
    let n = 0;
    handler = (_r, i, res) => reply(i < 2 ? 503 : 200)(_r, i, res);
    await http.send(get({ headers: () => ({ 'x-stamp': String(++n) }) }));
    expect(seen.map((s) => s.headers['x-stamp'])).toEqual(['1', '2', '3']);
  });

  it('does not retry a 500, nor any status of a non-idempotent request', async () => {
    const { http } = make();
    handler = reply(500);
    expect((await http.send(get())).status).toBe(500);
    handler = reply(503);
    expect((await http.send(get({ method: 'POST', idempotent: false, body: '{}' }))).status).toBe(503);
    expect(seen).toHaveLength(2);
  });

  it('returns a response whose Retry-After is longer than it will wait in-process', async () => {
    const { http } = make({ maxRetryWaitMs: 50 });
    handler = reply(429, '', { 'retry-after': '120' });
    const res = await http.send(get());
    expect(seen).toHaveLength(1);
    expect(res.status).toBe(429);
    expect(res.retryAfterMs).toBe(120_000);
  });

  it('times out an attempt, retries idempotent requests, then throws CloudTimeout', async () => {
    const { http, registry } = make({ timeoutMs: 50, maxAttempts: 2 });
    handler = () => undefined; // never answers
    const err = await http.send(get()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudRequestError);
    expect(err).toMatchObject({ reason: 'CloudTimeout', failure: 'timeout', attempts: 2, outcomeUnknown: false, errorClass: 'transient' });
    expect(seen).toHaveLength(2);
    expect(await registry.metrics()).toContain('cdo_cloud_requests_total{cloud="testcloud",operation="getThing",code="timeout"} 2');
  });

  it('reports an unanswered non-idempotent request as outcome unknown, after one attempt', async () => {
    const { http } = make({ timeoutMs: 50 });
    handler = () => undefined;
    const err = await http.send(get({ method: 'POST', idempotent: false, body: '{}' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: 'timeout', attempts: 1, outcomeUnknown: true });
    expect(seen).toHaveLength(1);
  });

  it('reports a refused connection as CloudUnreachable with code "error"', async () => {
    const { http, registry } = make({ maxAttempts: 1 });
    const err = await http.send(get({ url: 'http://127.0.0.1:1/x' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'CloudUnreachable', failure: 'network' });
    expect((err as Error).message).toContain('GET /x failed: ECONNREFUSED');
    expect(await registry.metrics()).toContain('code="error"');
  });

  it('rate-limits per credential key, so one tenant cannot starve another', async () => {
    const { http, registry } = make({ rateLimit: { qps: 5, burst: 1 } });
    handler = reply(200);
    const started = Date.now();
    await http.send(get());
    const b = http.send(get({ credentialKey: 'tenant-b' })).then(() => Date.now() - started);
    const a2 = http.send(get()).then(() => Date.now() - started);
    expect(await b).toBeLessThan(150);
    expect(await a2).toBeGreaterThanOrEqual(180);
    expect(await registry.metrics()).toContain('cdo_cloud_throttled_total{cloud="testcloud"} 1');
  });

  it('registers metrics once per registry', () => {
    const registry = new Registry();
    make({ registry });
    make({ registry });
    expect(cloudMetrics(registry)).toBe(cloudMetrics(registry));
    expect(
      registry
        .getMetricsAsArray()
        .map((m) => m.name)
        .sort(),
    ).toEqual(['cdo_cloud_request_duration_seconds', 'cdo_cloud_requests_total', 'cdo_cloud_throttled_total']);
  });

  it('logs the path without the query and never headers', async () => {
    const { http, lines } = make();
    handler = reply(200);
    await http.send(get({ headers: { authorization: 'x-visible-only-in-headers' } }));
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ cloud: 'testcloud', operation: 'getThing', method: 'GET', path: '/things/1', status: 200, attempt: 1 });
    expect(typeof entry['durationMs']).toBe('number');
    expect(lines.join('')).not.toContain('filter=a');
    expect(lines.join('')).not.toContain('x-visible-only-in-headers');
  });
});
