// Measures one full HadoopEcoCluster lifecycle (create → Running → scale out 2→4 → scale in 4→3 →
// delete) against a private local control plane and the Hadoop Eco simulator: wall time per
// stage, cloud requests by operation, and Kubernetes API requests the operator made (from the
// apiserver's audit log). Run: node bench/hadoop-eco-lifecycle.ts
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { startControlPlane } from '../src/devenv/control-plane/index.ts';
import { mergePatch } from '../src/runtime/kube.ts';
import { startHadoopEcoSimulator } from '../src/simulators/hadoop-eco/index.ts';

const HEC = { group: 'kakaocloud.cdo.dev', version: 'v1alpha1', plural: 'hadoopecoclusters' };
const cred = { credentialId: ['bench', 'id'].join('-'), credentialSecret: ['bench', 'secret'].join('-') };
const cp = await startControlPlane();
const kc = cp.makeKubeConfig();
const ext = kc.makeApiClient(ApiextensionsV1Api);
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
await ext.createCustomResourceDefinition({ body: parse(await readFile(new URL('../crds/hadoopecoclusters.kakaocloud.cdo.dev.yaml', import.meta.url), 'utf8')) });
await new Promise((r) => setTimeout(r, 2000));
await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'kakao' }, stringData: cred } });
const sim = await startHadoopEcoSimulator({ credentials: [cred], provisionMs: 3000, scaleMs: 2000, terminateMs: 1500, seed: 1 });
const op = spawn(process.execPath, [fileURLToPath(new URL('../src/main.ts', import.meta.url))], {
  env: { ...process.env, KUBECONFIG: cp.kubeconfigPath, CDO_LEADER_ELECT: 'false', CDO_HTTP_PORT: '0', CDO_LOG_FORMAT: 'json', CDO_KAKAOCLOUD_ENDPOINTS: `kr-central-2=${sim.url}`, CDO_POLL_BUSY: '1', CDO_POLL_STEADY: '300' },
  stdio: 'ignore',
});
const get = () => custom.getNamespacedCustomObject({ ...HEC, namespace: 'default', name: 'bench' });
async function until(what: string, check: (o: any) => boolean): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    try {
      if (check(await get())) return (performance.now() - t0) / 1000;
    } catch (err: any) {
      if (check(undefined) && err.code === 404) return (performance.now() - t0) / 1000;
    }
    if (performance.now() - t0 > 120_000) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const ready = (workers: number) => (o: any) => o?.status?.phase === 'Running' && o.status.workerCount === workers && o.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
const start = new Date();
const stages: Array<[string, number]> = [];
await custom.createNamespacedCustomObject({
  ...HEC,
  namespace: 'default',
  body: {
    apiVersion: 'kakaocloud.cdo.dev/v1alpha1', kind: 'HadoopEcoCluster', metadata: { name: 'bench' },
    spec: { credentialsSecretRef: { name: 'kakao' }, clusterType: 'hadoop', clusterVersion: 'hde-2.0.1', keyPairName: 'kp', master: { flavorName: 'm2a.xlarge', volumeSize: 50 }, worker: { flavorName: 'm2a.xlarge', volumeSize: 100 }, workerCount: 2, vpcId: 'v', subnetId: 's', securityGroupName: 'g', hdfs: { replication: 2, blockSizeMB: 128 } },
  },
});
stages.push(['create → Running (simulated provisioning 3 s)', await until('running', ready(2))]);
await custom.patchNamespacedCustomObject({ ...HEC, namespace: 'default', name: 'bench', body: { spec: { workerCount: 4 } } }, mergePatch);
stages.push(['scale out 2 → 4 (simulated 2 s)', await until('scaled out', ready(4))]);
await custom.patchNamespacedCustomObject({ ...HEC, namespace: 'default', name: 'bench', body: { spec: { workerCount: 3 } } }, mergePatch);
stages.push(['scale in 4 → 3 (simulated 2 s)', await until('scaled in', ready(3))]);
await custom.deleteNamespacedCustomObject({ ...HEC, namespace: 'default', name: 'bench' });
stages.push(['delete → gone (simulated 1.5 s)', await until('deleted', (o) => o === undefined)]);

const byOp = new Map<string, number>();
for (const r of sim.requests()) {
  const route = r.path.replace(/[0-9a-f-]{36}/g, '{id}');
  const key = `${r.method} ${route} → ${r.status}`;
  byOp.set(key, (byOp.get(key) ?? 0) + 1);
}
const audit = (await readFile(cp.auditLogPath, 'utf8'))
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .filter((e) => e.stage === 'ResponseComplete' && String(e.userAgent).startsWith('cloud-data-operator/') && new Date(e.requestReceivedTimestamp) >= start);
const byVerb = new Map<string, number>();
for (const e of audit) {
  const key = `${e.verb} ${e.objectRef?.resource ?? ''}${e.objectRef?.subresource ? '/' + e.objectRef.subresource : ''}`;
  byVerb.set(key, (byVerb.get(key) ?? 0) + 1);
}
console.log('\nStage timings (poll period 1 s):');
for (const [s, t] of stages) console.log(`  ${s.padEnd(48)} ${t.toFixed(1)} s`);
console.log(`\nCloud requests (${sim.requests().length} total):`);
for (const [k, n] of [...byOp].sort()) console.log(`  ${String(n).padStart(4)}  ${k}`);
console.log(`\nKubernetes API requests by the operator (${audit.length} total; watch streams carry client-node's own user agent and are not counted):`);
for (const [k, n] of [...byVerb].sort()) console.log(`  ${String(n).padStart(4)}  ${k}`);
op.kill('SIGTERM');
await new Promise((r) => op.once('exit', r));
await sim.close();
await cp.stop();
