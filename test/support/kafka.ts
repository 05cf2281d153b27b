// Harness for KafkaCluster integration tests: the real control plane (global setup), the CDSS
// simulator in this process, and the operator (src/main.ts) as a child process watching only this
// test file's namespace.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { startCdssSimulator, type CdssSimulator, type CdssSimulatorOptions } from '../../src/simulators/cdss/index.ts';
import { clients, freshNamespace, installCrd, mergePatch } from './cluster.ts';
import type { OperatorProcess } from './operator-process.ts';
import { eventually, operatorsFor } from './operator-process.ts';

const run = promisify(execFile);
export const KAFKA = { group: 'ncloud.cdo.dev', version: 'v1alpha1', plural: 'kafkaclusters' } as const;
export const kafkaCrd = new URL('../../crds/kafkaclusters.ncloud.cdo.dev.yaml', import.meta.url);

// Obviously fake credentials and password, built at run time.
export const accessKey = ['test', 'ncp', 'access', 'key'].join('-');
export const secretKey = ['test', 'ncp', 'secret', 'never', 'logged'].join('-');
export const managerPassword = ['Mgr', 'pass1!', 'x'].join('-');

export interface KafkaHarness {
  ns: string;
  sim: CdssSimulator;
  op: OperatorProcess;
  kc: ReturnType<typeof clients>;
  kubectl: (...args: string[]) => Promise<string>;
  startOperator(name?: string): OperatorProcess;
  stop(): Promise<void>;
}

export async function startKafkaHarness(
  prefix: string,
  simOptions: Partial<CdssSimulatorOptions> = {},
  /** Operator settings over operatorsFor's (CDO_POLL_STEADY, …). */
  operatorEnv: Record<string, string> = {},
): Promise<KafkaHarness> {
  const kubeconfigPath = inject('kubeconfigPath');
  const kc = clients(kubeconfigPath);
  await installCrd(kc.kc, kafkaCrd);
  const ns = await freshNamespace(kc.kc, prefix);
  await kc.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'ncp' }, stringData: { accessKey, secretKey } } });
  await kc.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'cmak' }, stringData: { password: managerPassword } } });
  const sim = await startCdssSimulator({
    credentials: [{ accessKey, secretKey }],
    provisionMs: 1500,
    scaleMs: 1000,
    upgradeMs: 1500,
    deleteMs: 800,
    seed: 7,
    ...simOptions,
  });
  const operators = operatorsFor(kubeconfigPath, ns, { CDO_NCLOUD_ENDPOINTS: `KR=${sim.baseUrl('KR')}`, ...operatorEnv });
  const startOperator = (name = `operator-${prefix}`) => operators.start(name);
  const op = startOperator();
  await op.waitForLog((l) => l.msg === 'controller started' && l['controller'] === 'kafkacluster');
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

/** A minimal valid KafkaCluster spec on Kafka 3.7.1 (code 3713006, config group 171). */
export function kafkaSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    credentialsSecretRef: { name: 'ncp' },
    kafkaVersionCode: 3713006,
    configGroupNo: 171,
    softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
    vpcNo: 12345,
    manager: {
      userName: 'admin',
      passwordSecretRef: { name: 'cmak', key: 'password' },
      nodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002',
      subnetNo: 111,
    },
    broker: { nodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002', subnetNo: 222, storageSizeGB: 100 },
    brokerCount: 3,
    ...overrides,
  };
}

export function createKafka(h: KafkaHarness, name: string, spec: Record<string, unknown>) {
  return h.kc.custom.createNamespacedCustomObject({
    ...KAFKA,
    namespace: h.ns,
    body: { apiVersion: 'ncloud.cdo.dev/v1alpha1', kind: 'KafkaCluster', metadata: { name }, spec },
  });
}

export function getKafka(h: KafkaHarness, name: string): Promise<any> {
  return h.kc.custom.getNamespacedCustomObject({ ...KAFKA, namespace: h.ns, name });
}

export function patchKafka(h: KafkaHarness, name: string, body: unknown) {
  return h.kc.custom.patchNamespacedCustomObject({ ...KAFKA, namespace: h.ns, name, body }, mergePatch);
}

export const condition = (obj: any, type: string) => obj?.status?.conditions?.find((c: any) => c.type === type);

export function waitForKafka(h: KafkaHarness, name: string, check: (o: any) => boolean, timeoutMs = 45_000): Promise<any> {
  return eventually(async () => {
    const o = await getKafka(h, name);
    return check(o) ? o : undefined;
  }, timeoutMs);
}

/** Cloud requests the simulator recorded, by operation name (the last path segment before any id). */
export function calls(h: KafkaHarness, operation: string) {
  return h.sim.requests().filter((r) => r.path.includes(`/cluster/${operation}`));
}

export const ready = (o: any) =>
  o?.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True' && o.status.observedGeneration === o.metadata.generation;

export { eventually };

/** A config group made through the simulator's own API (G2), as a user would in the console: its number. */
export async function createCloudConfigGroup(h: KafkaHarness, name: string, kafkaVersionCode: string): Promise<number> {
  const { CdssClient } = await import('../../src/clouds/ncloud/client.ts');
  const { http } = await import('./component.ts');
  const { silentLog } = await import('./memory-store.ts');
  const client = new CdssClient({ baseUrl: h.sim.baseUrl('KR'), credentials: { accessKey, secretKey }, http: http(), log: silentLog });
  return Number(await client.createConfigGroup({ configGroupName: name, kafkaVersionCode }));
}

/** A bigger node product than kafkaSpec()'s, which CDSS (the simulator) allows changing to. */
export const biggerNodeProduct = 'SVR.VCDSS.STAND.C008.M032.NET.SSD.B050.G002';

// ---------------------------------------------------------------------------------------------
// KafkaConfigGroup (test/integration/kafka-config-group/): the same harness with the group's CRD
// installed too, and helpers for its objects and its CDSS calls (§5.18 G1-G10).

export const KCG = { group: 'ncloud.cdo.dev', version: 'v1alpha1', plural: 'kafkaconfiggroups' } as const;
export const configGroupCrd = new URL('../../crds/kafkaconfiggroups.ncloud.cdo.dev.yaml', import.meta.url);

/** The Kafka harness with the KafkaConfigGroup CRD installed before the operator starts, and its controller running. */
export async function startConfigGroupHarness(
  prefix: string,
  simOptions: Partial<CdssSimulatorOptions> = {},
  operatorEnv: Record<string, string> = {},
): Promise<KafkaHarness> {
  await installCrd(clients(inject('kubeconfigPath')).kc, configGroupCrd);
  const h = await startKafkaHarness(prefix, simOptions, operatorEnv);
  await h.op.waitForLog((l) => l.msg === 'controller started' && l['controller'] === 'kafkaconfiggroup');
  return h;
}

/** A KafkaConfigGroup spec for Kafka 3.7.1 (code 3713006) with the harness's credentials. */
export function configGroupSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { credentialsSecretRef: { name: 'ncp' }, kafkaVersionCode: 3713006, ...overrides };
}

export function createConfigGroup(h: KafkaHarness, name: string, spec: Record<string, unknown>) {
  return h.kc.custom.createNamespacedCustomObject({
    ...KCG,
    namespace: h.ns,
    body: { apiVersion: 'ncloud.cdo.dev/v1alpha1', kind: 'KafkaConfigGroup', metadata: { name }, spec },
  });
}

export function getConfigGroup(h: KafkaHarness, name: string): Promise<any> {
  return h.kc.custom.getNamespacedCustomObject({ ...KCG, namespace: h.ns, name });
}

/** The KafkaConfigGroup, or undefined once it is gone. */
export async function findConfigGroup(h: KafkaHarness, name: string): Promise<any> {
  try {
    return await getConfigGroup(h, name);
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

export function patchConfigGroup(h: KafkaHarness, name: string, body: unknown) {
  return h.kc.custom.patchNamespacedCustomObject({ ...KCG, namespace: h.ns, name, body }, mergePatch);
}

export function deleteConfigGroup(h: KafkaHarness, name: string) {
  return h.kc.custom.deleteNamespacedCustomObject({ ...KCG, namespace: h.ns, name });
}

export function waitForConfigGroup(h: KafkaHarness, name: string, check: (o: any) => boolean, timeoutMs = 30_000): Promise<any> {
  return eventually(async () => {
    const o = await getConfigGroup(h, name);
    return check(o) ? o : undefined;
  }, timeoutMs);
}

/** Config group requests the simulator recorded, by operation (`createConfigGroup`, `setKafkaConfigGroupDetail`, …). */
export function configGroupCalls(h: KafkaHarness, operation: string, configGroupNo?: string | number) {
  return h.sim
    .requests()
    .filter((r) => r.path.includes(`/configGroup/${operation}`))
    .filter((r) => configGroupNo === undefined || r.path.endsWith(`/${operation}/${configGroupNo}`));
}

/** Stalled with this reason. */
export const stalledBecause = (reason: string) => (o: any) =>
  condition(o, 'Stalled')?.status === 'True' && condition(o, 'Stalled')?.reason === reason;
