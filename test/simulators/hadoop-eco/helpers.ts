// Shared setup for the Hadoop Eco simulator tests: fake credentials built at run time, a fast
// simulator, a tiny fetch wrapper, and the seed's create examples with their password
// placeholder replaced.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  startHadoopEcoSimulator,
  type HadoopEcoSimulator,
  type HadoopEcoSimulatorOptions,
  type SimulatorCredential,
} from '../../../src/simulators/hadoop-eco/index.ts';
import { request, type Reply } from '../common/http.ts';

export const API = '/v2/hadoop-eco/clusters';

/** Obviously fake, different every run. */
export function fakeCredential(extra: Partial<SimulatorCredential> = {}): SimulatorCredential {
  return { credentialId: `fake-access-key-${randomUUID().slice(0, 8)}`, credentialSecret: `fake-secret-${randomUUID()}`, ...extra };
}

export async function startSim(
  opts: Partial<HadoopEcoSimulatorOptions> = {},
): Promise<{ sim: HadoopEcoSimulator; cred: SimulatorCredential }> {
  const cred = fakeCredential();
  const { credentials = [], ...rest } = opts;
  const sim = await startHadoopEcoSimulator({
    provisionMs: 60,
    scaleMs: 60,
    terminateMs: 60,
    jobMs: 60,
    seed: 42,
    ...rest,
    credentials: [cred, ...credentials],
  });
  return { sim, cred };
}

export async function call(
  sim: HadoopEcoSimulator,
  cred: SimulatorCredential | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const h: Record<string, string> = { ...headers };
  if (cred) {
    h['Credential-ID'] = cred.credentialId;
    h['Credential-Secret'] = cred.credentialSecret;
  }
  if (body !== undefined && h['content-type'] === undefined) h['Content-Type'] = 'application/json';
  return request(`${sim.url}${path}`, method, h, body);
}

export const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/**
 * The seed's create example n (1–3), verbatim except the `<base_64_string>` password placeholder,
 * which is not Base64 and is replaced by the Base64 of a throwaway string.
 */
export function seedExample(n: 1 | 2 | 3): Record<string, any> {
  const raw = readFileSync(new URL(`../../fixtures/hadoop-eco/seed-create-${n}.json`, import.meta.url), 'utf8');
  return JSON.parse(raw.replaceAll('<base_64_string>', b64(`placeholder-${randomUUID().slice(0, 6)}`)));
}

/** A minimal valid create body; override anything. */
export function validBody(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    name: `c-${randomUUID().slice(0, 8)}`,
    clusterType: 'hadoop',
    clusterVersion: 'hde-2.0.1',
    isHa: false,
    keypairName: 'kp',
    masterFlavorName: 'm2a.xlarge',
    masterVolumeSize: 50,
    workerCnt: 2,
    workerFlavorName: 'm2a.xlarge',
    workerVolumeSize: 100,
    monitoring: false,
    securityGroupName: 'sg-sim',
    vpcId: 'vpc-00000000',
    subnetId: 'subnet-00000000',
    config: { hdfsReplication: 2, hdfsBlockSize: 128 },
    ...overrides,
  };
}

export async function createCluster(
  sim: HadoopEcoSimulator,
  cred: SimulatorCredential,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const r = await call(sim, cred, 'POST', API, validBody(overrides));
  if (r.status !== 200) throw new Error(`create failed: ${r.status} ${r.text}`);
  return r.json.id as string;
}

export async function waitForStatus(sim: HadoopEcoSimulator, id: string, status: string, timeoutMs = 5000) {
  return sim.waitFor(id, (c) => c.status === status, timeoutMs);
}
