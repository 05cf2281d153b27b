// The /metrics server on a loopback port: HTTPS with its certificate and the auth decision's
// status codes (a scripted Reviewer; the real API server in
// test/integration/deploy/secure-metrics.test.ts), plain HTTP without authentication, and the
// certificate (self-signed or from files, reloaded when the files change).
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Counter, Registry } from 'prom-client';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsAuth, type Reviewer } from '../../../src/runtime/metrics-auth.ts';
import { MetricsServer } from '../../../src/runtime/metrics-server.ts';
import { readServingCert, selfSignedCert, watchServingCert, type ServingCert } from '../../../src/runtime/serving-cert.ts';
import { presentedCertificate } from '../../support/tls.ts';

const log = pino({ level: 'silent' });
const insecure = new Agent({ connect: { rejectUnauthorized: false } });

const reviewer: Reviewer = {
  reviewToken: (token) =>
    Promise.resolve(
      token === 'reader' || token === 'other' ? { authenticated: true, user: { username: token } } : { authenticated: false },
    ),
  reviewAccess: (user) => Promise.resolve({ allowed: user.username === 'reader' }),
};

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(opts: { secure: false } | { secure: true; cert: ServingCert }): Promise<{ port: number; server: MetricsServer }> {
  const reg = new Registry();
  new Counter({ name: 'probe_total', help: 'a metric to see', registers: [reg] }).inc();
  const server = opts.secure
    ? new MetricsServer({
        port: 0,
        host: '127.0.0.1',
        registry: reg,
        log,
        secure: true,
        cert: opts.cert,
        auth: new MetricsAuth({ reviewer }),
      })
    : new MetricsServer({ port: 0, host: '127.0.0.1', registry: reg, log, secure: false });
  servers.push(server);
  return { port: await server.listen(), server };
}

async function get(url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' | 'POST' = 'GET') {
  const res = await request(url, { method, headers, dispatcher: insecure });
  return { status: res.statusCode, body: await res.body.text() };
}

describe('secure metrics server', () => {
  it('answers 401 without a valid token, 403 to a user without the permission, 200 with the metrics to a reader', async () => {
    const { port } = await start({ secure: true, cert: await selfSignedCert() });
    const url = `https://127.0.0.1:${port}/metrics`;
    expect(await get(url)).toEqual({ status: 401, body: 'Unauthorized\n' });
    expect((await get(url, { authorization: 'Bearer forged' })).status).toBe(401);
    expect(await get(url, { authorization: 'Bearer other' })).toEqual({ status: 403, body: 'Authorization denied for user other\n' });
    const ok = await get(url, { authorization: 'Bearer reader' });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('probe_total 1');
    expect(await get(url, { authorization: 'Bearer reader' }, 'HEAD')).toEqual({ status: 200, body: '' });
  });

  it('serves /metrics only: other paths 404, other methods 405, neither reviewed', async () => {
    const { port } = await start({ secure: true, cert: await selfSignedCert() });
    expect((await get(`https://127.0.0.1:${port}/healthz`)).status).toBe(404);
    expect((await get(`https://127.0.0.1:${port}/metrics`, { authorization: 'Bearer reader' }, 'POST')).status).toBe(405);
  });

  it('speaks TLS only: a plain HTTP request gets no metrics', async () => {
    const { port } = await start({ secure: true, cert: await selfSignedCert() });
    const res = await fetch(`http://127.0.0.1:${port}/metrics`).then(
      async (r) => ({ status: r.status, body: await r.text() }),
      () => undefined,
    );
    // Node answers a plain request on a TLS port with a 400 or drops it: never the metrics.
    expect(res?.body ?? '').not.toContain('probe_total');
    if (res) expect(res.status).toBe(400);
  });
});

describe('plain metrics server', () => {
  it('serves /metrics over HTTP to anyone', async () => {
    const { port, server } = await start({ secure: false });
    expect(server.scheme).toBe('http');
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('probe_total 1');
  });
});

describe('serving certificate', () => {
  it('self-signed: for localhost and the loopback addresses, a server certificate valid a year, key matching', async () => {
    const cert = await selfSignedCert();
    const x = new X509Certificate(cert.certPem);
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x.subject).toBe(x.issuer);
    expect(x.ca).toBe(false);
    expect(x.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
    const days = (Date.parse(x.validTo) - Date.parse(x.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(365);
    expect(cert.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    // Each start makes its own.
    expect((await selfSignedCert()).certPem).not.toBe(cert.certPem);
  });

  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('from files: read, verified against its key; a missing or mismatched pair refused without quoting the key', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cdo-cert-'));
    const [a, b] = [await selfSignedCert(['metrics.example']), await selfSignedCert()];
    await expect(readServingCert(dir)).rejects.toThrow(/tls\.crt|ENOENT/);
    await writeFile(join(dir, 'tls.crt'), a.certPem);
    await writeFile(join(dir, 'tls.key'), b.keyPem);
    await expect(readServingCert(dir)).rejects.toThrow(/tls\.key is not the key of/);
    await writeFile(join(dir, 'tls.key'), 'not a key');
    await expect(readServingCert(dir)).rejects.toThrow(/tls\.key is not a PEM private key/);
    await writeFile(join(dir, 'tls.key'), a.keyPem);
    expect(await readServingCert(dir)).toEqual(a);
  });

  it('from files: served, and a renewed pair (swapped in as a mounted Secret is) served to new connections', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cdo-cert-'));
    const first = await selfSignedCert(['first.example']);
    await writeFile(join(dir, 'tls.crt'), first.certPem);
    await writeFile(join(dir, 'tls.key'), first.keyPem);
    const { port, server } = await start({ secure: true, cert: await readServingCert(dir) });
    expect((await presentedCertificate(port)).subjectAltName).toBe('DNS:first.example');
    const changes: ServingCert[] = [];
    const errors: string[] = [];
    const stop = watchServingCert(
      dir,
      first,
      (c) => (changes.push(c), server.setCertificate(c)),
      (e) => errors.push(e.message),
      50,
    );
    try {
      // A half-done update (new certificate, old key) is skipped and reported once.
      const second = await selfSignedCert(['second.example']);
      await writeFile(join(dir, 'tls.crt.new'), second.certPem);
      await rename(join(dir, 'tls.crt.new'), join(dir, 'tls.crt'));
      await new Promise((r) => setTimeout(r, 300));
      expect(changes).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).not.toContain('PRIVATE KEY');
      expect((await presentedCertificate(port)).subjectAltName).toBe('DNS:first.example');
      await writeFile(join(dir, 'tls.key.new'), second.keyPem);
      await rename(join(dir, 'tls.key.new'), join(dir, 'tls.key'));
      await new Promise((r) => setTimeout(r, 300));
      expect(changes).toEqual([second]);
      expect((await presentedCertificate(port)).subjectAltName).toBe('DNS:second.example');
    } finally {
      stop();
    }
  });
});
