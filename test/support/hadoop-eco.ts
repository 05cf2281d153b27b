// Harness for HadoopEcoCluster integration tests: the real control plane (global setup), the
// Hadoop Eco simulator in this process, and the operator (src/main.ts) as a child process that
// watches only this test file's namespace.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { startHadoopEcoSimulator, type HadoopEcoSimulator } from '../../src/simulators/hadoop-eco/index.ts';
import { clients, freshNamespace, installCrd, mergePatch } from './cluster.ts';
import type { OperatorProcess } from './operator-process.ts';
import { eventually, operatorsFor } from './operator-process.ts';

const run = promisify(execFile);
export const HEC = { group: 'kakaocloud.cdo.dev', version: 'v1alpha1', plural: 'hadoopecoclusters' } as const;
export const hecCrd = new URL('../../crds/hadoopecoclusters.kakaocloud.cdo.dev.yaml', import.meta.url);

// Obviously fake credentials, built at run time.
export const credentialId = ['test', 'access', 'key', 'id'].join('-');
export const credentialSecret = ['test', 'secret', 'access', 'key', 'do', 'not', 'log'].join('-');
export const adminPassword = ['admin', 'pw', 'never', 'shown'].join('-');

export interface Harness {
  ns: string;
  sim: HadoopEcoSimulator;
  op: OperatorProcess;
  kc: ReturnType<typeof clients>;
  kubectl: (...args: string[]) => Promise<string>;
  startOperator(name?: string): OperatorProcess;
  stop(): Promise<void>;
}

export async function startHarness(
  prefix: string,
  simOptions: Partial<Parameters<typeof startHadoopEcoSimulator>[0]> = {},
  operator: {
    /** More environment for the operator processes. */
    env?: Record<string, string>;
    /** Runs once the namespace and its two Secrets exist, before the operator starts. */
    before?: (kc: ReturnType<typeof clients>, ns: string) => Promise<void>;
  } = {},
): Promise<Harness> {
  const kubeconfigPath = inject('kubeconfigPath');
  const kc = clients(kubeconfigPath);
  await installCrd(kc.kc, hecCrd);
  const ns = await freshNamespace(kc.kc, prefix);
  await kc.core.createNamespacedSecret({
    namespace: ns,
    body: { metadata: { name: 'kakao' }, stringData: { credentialId, credentialSecret } },
  });
  await kc.core.createNamespacedSecret({
    namespace: ns,
    body: { metadata: { name: 'hue-admin' }, stringData: { password: adminPassword } },
  });
  const sim = await startHadoopEcoSimulator({
    credentials: [{ credentialId, credentialSecret }],
    provisionMs: 1500,
    scaleMs: 1000,
    terminateMs: 800,
    jobMs: 1000,
    seed: 42,
    ...simOptions,
  });
  await operator.before?.(kc, ns);
  const operators = operatorsFor(kubeconfigPath, ns, { CDO_KAKAOCLOUD_ENDPOINTS: `kr-central-2=${sim.url}`, ...operator.env });
  const startOperator = (name = `operator-${prefix}`) => operators.start(name);
  const op = startOperator();
  await op.waitForLog((l) => l.msg === 'controller started');
  const kubectl = async (...args: string[]) =>
    (await run(inject('kubectlPath'), ['--kubeconfig', kubeconfigPath, '-n', ns, ...args])).stdout;
  return {
    ns,
    sim,
    op,
    kc,
    kubectl,
    startOperator,
    async stop() {
      await operators.stopAll();
      await sim.close();
    },
  };
}

/** A minimal valid HadoopEcoCluster spec; override what a test cares about. */
export function hecSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    credentialsSecretRef: { name: 'kakao' },
    clusterType: 'hadoop',
    clusterVersion: 'hde-2.0.1',
    keyPairName: 'kp',
    master: { flavorName: 'm2a.xlarge', volumeSize: 50 },
    worker: { flavorName: 'm2a.xlarge', volumeSize: 100 },
    workerCount: 2,
    vpcId: 'vpc-1',
    subnetId: 'subnet-1',
    securityGroupName: 'sg-test',
    hdfs: { replication: 2, blockSizeMB: 128 },
    adminAccount: { userId: 'admin', passwordSecretRef: { name: 'hue-admin', key: 'password' } },
    ...overrides,
  };
}

export function createHec(h: Harness, name: string, spec: Record<string, unknown>, annotations?: Record<string, string>) {
  return h.kc.custom.createNamespacedCustomObject({
    ...HEC,
    namespace: h.ns,
    body: {
      apiVersion: 'kakaocloud.cdo.dev/v1alpha1',
      kind: 'HadoopEcoCluster',
      metadata: { name, ...(annotations ? { annotations } : {}) },
      spec,
    },
  });
}

export function getHec(h: Harness, name: string): Promise<any> {
  return h.kc.custom.getNamespacedCustomObject({ ...HEC, namespace: h.ns, name });
}

export function patchHec(h: Harness, name: string, body: unknown) {
  return h.kc.custom.patchNamespacedCustomObject({ ...HEC, namespace: h.ns, name, body }, mergePatch);
}

export const condition = (obj: any, type: string) => obj?.status?.conditions?.find((c: any) => c.type === type);

/** Waits until the resource's status satisfies `check`, returning the resource. */
export function waitForHec(h: Harness, name: string, check: (o: any) => boolean, timeoutMs = 45_000): Promise<any> {
  return eventually(async () => {
    const o = await getHec(h, name);
    return check(o) ? o : undefined;
  }, timeoutMs);
}

/** Cloud requests the simulator recorded (optionally only mutations). */
export function cloudRequests(h: Harness, opts: { mutations?: boolean } = {}) {
  return h.sim.requests().filter((r) => !opts.mutations || r.method !== 'GET');
}

export { eventually };
