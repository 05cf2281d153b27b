// Secure metrics on the real control plane. The operator (src/main.ts, a child process) runs as
// the ServiceAccount of deploy/base with its real RBAC (so the metrics-auth ClusterRole is proven
// enough), serving /metrics over HTTPS; callers are ServiceAccounts with TokenRequest tokens:
// no token or a bad one → 401, a valid token of a ServiceAccount not bound to the
// metrics-reader ClusterRole of deploy/base → 403, one bound to it → 200 with the metrics. The
// reviews are cached (the API server's audit log shows one of each, not one per scrape). Then
// a certificate from files (verified by the client), plain mode by the setting, and an operator
// without the review permission (500, with a hint in its log: the grant is needed).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { selfSignedCert } from '../../../src/runtime/serving-cert.ts';
import { OperatorProcess } from '../../support/operator-process.ts';
import {
  OPERATOR_NS,
  SA,
  apply,
  find,
  kubectl,
  kustomize,
  parseManifests,
  serviceAccountKubeconfig,
  serviceAccountToken,
} from './deploy-support.ts';
import { auditedSince, type AuditEvent } from '../../support/cluster.ts';
import { presentedCertificate } from '../../support/tls.ts';

const suffix = randomBytes(3).toString('hex');
const ns = `cdo-metrics-${suffix}`;
const readerBinding = `cdo-metrics-test-${suffix}`;
const operatorUser = `system:serviceaccount:${OPERATOR_NS}:${SA}`;
const selfSigned = new Agent({ connect: { rejectUnauthorized: false } });

/** The token and access reviews `username` asked of the API server since `since` (audit log). */
async function reviewsBy(username: string, since: Date): Promise<AuditEvent[]> {
  return (await auditedSince(inject('auditLogPath'), since)).filter(
    (e) => e.user.username === username && ['tokenreviews', 'subjectaccessreviews'].includes(e.objectRef?.resource ?? ''),
  );
}

async function scrape(url: string, token?: string, dispatcher: Agent = selfSigned): Promise<{ status: number; body: string }> {
  const res = await request(url, { dispatcher, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.statusCode, body: await res.body.text() };
}

const operators: OperatorProcess[] = [];
function startOperator(name: string, kubeconfig: string, env: Record<string, string>): OperatorProcess {
  const op = new OperatorProcess(name, '../../src/main.ts', {
    KUBECONFIG: kubeconfig,
    CDO_LEADER_ELECT: 'false',
    CDO_WATCH_NAMESPACES: ns,
    ...env,
  });
  operators.push(op);
  return op;
}

let operatorKubeconfig: string;
const tokens: Record<'reader' | 'stranger' | 'deleted', string> = { reader: '', stranger: '', deleted: '' };

beforeAll(async () => {
  // The base, as installed: the operator's ServiceAccount and ClusterRoles, metrics-auth included.
  const base = parseManifests(await kustomize('deploy/base'));
  expect((find(base, 'ClusterRole', 'cloud-data-operator-metrics-reader') as any).rules).toEqual([
    { nonResourceURLs: ['/metrics'], verbs: ['get'] },
  ]);
  await apply(await kustomize('deploy/base'));
  await kubectl(['create', 'namespace', ns]);
  for (const sa of ['reader', 'stranger', 'deleted']) await kubectl(['-n', ns, 'create', 'serviceaccount', sa]);
  // The reader is bound to the metrics-reader ClusterRole of deploy/base, as Prometheus would be.
  await kubectl([
    'create',
    'clusterrolebinding',
    readerBinding,
    '--clusterrole=cloud-data-operator-metrics-reader',
    `--serviceaccount=${ns}:reader`,
  ]);
  for (const sa of ['reader', 'stranger', 'deleted'] as const) tokens[sa] = await serviceAccountToken(ns, sa);
  // A token whose ServiceAccount is gone: well-formed and signed by the API server, no longer valid.
  await kubectl(['-n', ns, 'delete', 'serviceaccount', 'deleted']);
  operatorKubeconfig = await serviceAccountKubeconfig(OPERATOR_NS);
});

afterAll(async () => {
  await Promise.all(operators.map((o) => o.stop()));
  await selfSigned.close();
  await kubectl(['delete', 'clusterrolebinding', readerBinding, '--ignore-not-found']);
  await kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
});

describe('secure (the default), self-signed, as the ServiceAccount of deploy/base', () => {
  let op: OperatorProcess;
  let url: string;
  let port: number;

  beforeAll(async () => {
    op = startOperator('cdo-metrics-secure', operatorKubeconfig, { CDO_METRICS_SECURE: 'true' });
    const endpoint = await op.metricsEndpoint();
    expect(endpoint.scheme).toBe('https');
    port = endpoint.port;
    url = `https://127.0.0.1:${port}/metrics`;
  });

  it('speaks TLS with a self-signed certificate for localhost; plain HTTP gets no metrics', async () => {
    const cert = await presentedCertificate(port);
    expect(cert.subject).toBe(cert.issuer);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    const plain = await fetch(`http://127.0.0.1:${port}/metrics`).then(
      async (r) => r.text(),
      () => '',
    );
    expect(plain).not.toContain('controller_runtime');
    // Probes stay plain HTTP on their own port, without a token.
    expect((await op.get('/healthz')).status).toBe(200);
  });

  it('no token: 401', async () => {
    expect(await scrape(url)).toEqual({ status: 401, body: 'Unauthorized\n' });
  });

  it('a token the API server does not accept: 401 (garbage, and the token of a deleted ServiceAccount)', async () => {
    expect(await scrape(url, 'not-a-real-token')).toEqual({ status: 401, body: 'Unauthorized\n' });
    expect(await scrape(url, tokens.deleted)).toEqual({ status: 401, body: 'Unauthorized\n' });
  });

  it('a valid token of a ServiceAccount not bound to metrics-reader: 403', async () => {
    expect(await scrape(url, tokens.stranger)).toEqual({
      status: 403,
      body: `Authorization denied for user system:serviceaccount:${ns}:stranger\n`,
    });
  });

  it('a valid token of a ServiceAccount bound to metrics-reader: 200 with the metrics', async () => {
    const res = await scrape(url, tokens.reader);
    expect(res.status).toBe(200);
    expect(res.body).toContain('controller_runtime_reconcile_total{controller="hadoopecocluster"');
    expect(res.body).toMatch(/^rest_client_requests_total\{code="201",method="POST"\} \d+/m);
  });

  it('the reviews are cached: more scrapes with the same tokens ask the API server nothing more', async () => {
    // The earlier tests asked once per token (and once per authenticated user for access).
    const asked = await reviewsBy(operatorUser, new Date(0));
    expect(asked.length).toBeGreaterThanOrEqual(3); // a token review for each token and an access review
    expect(asked.every((e) => e.verb === 'create' && e.responseStatus?.code === 201)).toBe(true);
    const since = new Date();
    for (let i = 0; i < 5; i++) {
      expect((await scrape(url, tokens.reader)).status).toBe(200);
      expect((await scrape(url, tokens.stranger)).status).toBe(403);
      expect((await scrape(url, 'not-a-real-token')).status).toBe(401);
    }
    expect(await reviewsBy(operatorUser, since)).toEqual([]);
    // A new token of the same reader is reviewed anew: the user it names carries the token's own
    // credential id (user.extra), so its access answer is its own too.
    const fresh = await serviceAccountToken(ns, 'reader');
    expect((await scrape(url, fresh)).status).toBe(200);
    expect((await reviewsBy(operatorUser, since)).map((e) => e.objectRef?.resource)).toEqual(['tokenreviews', 'subjectaccessreviews']);
    expect(op.lines.some((l) => JSON.stringify(l).includes(tokens.reader))).toBe(false);
  });
});

describe('a certificate from files (CDO_METRICS_CERT_DIR), verified by the client', () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves it, and a client that trusts it verifies the connection and reads the metrics', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cdo-metrics-certs-'));
    const cert = await selfSignedCert(['metrics.cdo.test', '127.0.0.1']);
    await writeFile(join(dir, 'tls.crt'), cert.certPem);
    await writeFile(join(dir, 'tls.key'), cert.keyPem, { mode: 0o600 });
    const op = startOperator('cdo-metrics-certdir', operatorKubeconfig, { CDO_METRICS_SECURE: 'true', CDO_METRICS_CERT_DIR: dir });
    const { port } = await op.metricsEndpoint();
    const trusting = new Agent({ connect: { ca: cert.certPem, servername: 'metrics.cdo.test' } });
    try {
      const res = await scrape(`https://127.0.0.1:${port}/metrics`, tokens.reader, trusting);
      expect(res.status).toBe(200);
      expect(res.body).toContain('controller_runtime_reconcile_total');
    } finally {
      await trusting.close();
    }
    // A client that trusts another certificate refuses the connection: the check above is real.
    const other = new Agent({ connect: { ca: (await selfSignedCert(['metrics.cdo.test'])).certPem, servername: 'metrics.cdo.test' } });
    await expect(scrape(`https://127.0.0.1:${port}/metrics`, tokens.reader, other)).rejects.toThrow();
    await other.close();
    expect(op.lines.some((l) => JSON.stringify(l).includes('PRIVATE KEY'))).toBe(false);
  });
});

describe('plain mode (CDO_METRICS_SECURE=false)', () => {
  it('serves /metrics over HTTP to anyone, without asking the API server', async () => {
    const op = startOperator('cdo-metrics-plain', operatorKubeconfig, { CDO_METRICS_SECURE: 'false' });
    const { port, scheme } = await op.metricsEndpoint();
    expect(scheme).toBe('http');
    const since = new Date();
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('controller_runtime_reconcile_total');
    await op.stop();
    expect(await reviewsBy(operatorUser, since)).toEqual([]);
  });
});

describe('an operator without the metrics-auth grant', () => {
  it('cannot review tokens: 500, and its log says which permission is missing', async () => {
    await kubectl(['-n', ns, 'create', 'serviceaccount', 'no-grants']);
    const kubeconfig = await serviceAccountKubeconfig(ns, 'no-grants');
    const op = startOperator('cdo-metrics-no-grant', kubeconfig, { CDO_METRICS_SECURE: 'true' });
    const { port } = await op.metricsEndpoint();
    expect(await scrape(`https://127.0.0.1:${port}/metrics`, tokens.reader)).toEqual({ status: 500, body: 'Authentication failed\n' });
    const line = await op.waitForLog((l) => l.msg === 'Authentication failed');
    expect(line['err']).toMatch(/tokenreviews.*HTTP 403/);
    expect(line['hint']).toMatch(/create on tokenreviews and subjectaccessreviews/);
    await op.stop();
  });
});
