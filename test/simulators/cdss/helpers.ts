// Shared setup for the CDSS simulator tests: fake keys built at run time, a fast simulator, and a
// request helper with its OWN signature v2 implementation (spec §2.2), independent of both the
// operator's client signer and the simulator's verifier.
import { createHmac, randomUUID } from 'node:crypto';
import {
  startCdssSimulator,
  type CdssSimulator,
  type CdssSimulatorOptions,
  type SimulatorCredential,
} from '../../../src/simulators/cdss/index.ts';
import { request, type Reply } from '../common/http.ts';

export const KR = '/api/v1';

/** Obviously fake, different every run. */
export function fakeCredential(extra: Partial<SimulatorCredential> = {}): SimulatorCredential {
  return { accessKey: `FAKE-ACCESS-${randomUUID().slice(0, 8)}`, secretKey: `fake-secret-${randomUUID()}`, ...extra };
}

/** Spec §2.2: Base64(HMAC-SHA256(secret, "METHOD URI\nTIMESTAMP\nACCESSKEY")). */
export function sign(method: string, uri: string, timestamp: string, accessKey: string, secretKey: string): string {
  const hmac = createHmac('sha256', secretKey);
  hmac.update(method + ' ' + uri + '\n' + timestamp + '\n' + accessKey);
  return hmac.digest('base64');
}

export async function startSim(opts: Partial<CdssSimulatorOptions> = {}): Promise<{ sim: CdssSimulator; cred: SimulatorCredential }> {
  const cred = fakeCredential();
  const { credentials = [], ...rest } = opts;
  const sim = await startCdssSimulator({
    provisionMs: 60,
    scaleMs: 60,
    upgradeMs: 120,
    deleteMs: 60,
    seed: 42,
    ...rest,
    credentials: [cred, ...credentials],
  });
  return { sim, cred };
}

export interface CallOptions {
  /** Sign with this secret instead of the credential's. */
  secretKey?: string;
  /** Timestamp to send (and sign); default Date.now(). */
  timestamp?: number | string;
  /** Extra or overriding headers (e.g. to drop one, set it to ''). */
  headers?: Record<string, string>;
  /** Sign this URI instead of the one sent. */
  signedUri?: string;
}

/** `uri` is the full request target including the region prefix, e.g. `/api/v1/cluster/...`. */
export async function call(
  sim: CdssSimulator,
  cred: SimulatorCredential | null,
  method: string,
  uri: string,
  body?: unknown,
  o: CallOptions = {},
): Promise<Reply> {
  const h: Record<string, string> = { 'Content-Type': 'application/json' };
  if (cred) {
    const ts = String(o.timestamp ?? Date.now());
    h['x-ncp-apigw-timestamp'] = ts;
    h['x-ncp-iam-access-key'] = cred.accessKey;
    h['x-ncp-apigw-signature-v2'] = sign(method, o.signedUri ?? uri, ts, cred.accessKey, o.secretKey ?? cred.secretKey);
  }
  for (const [k, v] of Object.entries(o.headers ?? {})) {
    if (v === '') delete h[k];
    else h[k] = v;
  }
  return request(`${sim.url}${uri}`, method, h, body);
}

/** An obviously fake manager password that satisfies §5.2. */
export const fakePassword = (): string => `Fk-${randomUUID().slice(0, 6)}1!`;

/** A minimal valid C2 body (§5.2); override anything. */
export function validBody(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    clusterName: `c${randomUUID().replaceAll('-', '').slice(0, 8)}`,
    kafkaVersionCode: '3713006',
    configGroupNo: 171,
    kafkaManagerUserName: 'kafkaadmin',
    kafkaManagerUserPassword: fakePassword(),
    softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
    vpcNo: 1001,
    managerNodeSubnetNo: 2001,
    managerNodeProductCode: 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002',
    brokerNodeSubnetNo: 2002,
    brokerNodeCount: 3,
    brokerNodeProductCode: 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002',
    brokerNodeStorageSize: 100,
    ...overrides,
  };
}

export async function createCluster(
  sim: CdssSimulator,
  cred: SimulatorCredential,
  overrides: Record<string, unknown> = {},
  prefix = KR,
): Promise<string> {
  const r = await call(sim, cred, 'POST', `${prefix}/cluster/createCDSSClusterReturnServiceGroupInstanceNo`, validBody(overrides));
  if (r.status !== 200 || r.json?.code !== 0) throw new Error(`create failed: ${r.status} ${r.text}`);
  return String(r.json.result.serviceGroupInstanceNo);
}

export async function waitForStatus(sim: CdssSimulator, id: string, status: string, timeoutMs = 5000) {
  return sim.waitFor(id, (c) => c.status === status, timeoutMs);
}

export async function runningCluster(
  sim: CdssSimulator,
  cred: SimulatorCredential,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const id = await createCluster(sim, cred, overrides);
  await waitForStatus(sim, id, 'running');
  return id;
}

export const adminCall = async (sim: CdssSimulator, method: string, path: string, body?: unknown) => {
  const r = await fetch(`${sim.url}/_admin${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as any };
};

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
