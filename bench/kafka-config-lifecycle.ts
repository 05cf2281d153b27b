// The whole Kafka configuration lifecycle against a private control plane and the CDSS simulator:
// create a KafkaConfigGroup → create a KafkaCluster using it → apply another group of the same
// version in place → change the broker node spec → rolling upgrade to a group of the new version →
// delete the cluster and the groups. Stage timings, cloud requests by operation, and the
// operator's Kubernetes API requests. Run: npm run bench:kafka-config
import { CoreV1Api } from '@kubernetes/client-node';
import { startCdssSimulator } from '../src/simulators/cdss/index.ts';
import { mergePatch, printReport, startBench, until } from './support.ts';

const ns = 'default';
const KAFKA = { group: 'ncloud.cdo.dev', version: 'v1alpha1', plural: 'kafkaclusters', namespace: ns };
const KCG = { ...KAFKA, plural: 'kafkaconfiggroups' };
const keys = { accessKey: ['bench', 'ak'].join('-'), secretKey: ['bench', 'sk'].join('-') };
const node = 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002';
const bigger = 'SVR.VCDSS.STAND.C008.M032.NET.SSD.B050.G002';
const sim = await startCdssSimulator({
  credentials: [keys],
  provisionMs: 3000,
  scaleMs: 2000,
  upgradeMs: 3000,
  deleteMs: 1500,
  specChangeMs: 2000,
  configApplyMs: 2000,
  seed: 1,
});
const b = await startBench(['kafkaclusters.ncloud.cdo.dev.yaml', 'kafkaconfiggroups.ncloud.cdo.dev.yaml'], {
  CDO_NCLOUD_ENDPOINTS: `KR=${sim.baseUrl('KR')}`,
});
const core = b.cp.makeKubeConfig().makeApiClient(CoreV1Api);
await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'ncp' }, stringData: keys } });
await core.createNamespacedSecret({
  namespace: ns,
  body: { metadata: { name: 'cmak' }, stringData: { password: ['Bench', 'pw1!'].join('-') } },
});

const isReady = (o: any) => o?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') === true;
const getCluster = () => b.custom.getNamespacedCustomObject({ ...KAFKA, name: 'bench' });
const getGroup = (name: string) => () => b.custom.getNamespacedCustomObject({ ...KCG, name });
const running = (check: (s: any) => boolean) => (o: any) => isReady(o) && o.status.phase === 'Running' && check(o.status);

async function group(name: string, kafkaVersionCode: number, retention: number): Promise<string> {
  await b.custom.createNamespacedCustomObject({
    ...KCG,
    body: {
      apiVersion: 'ncloud.cdo.dev/v1alpha1',
      kind: 'KafkaConfigGroup',
      metadata: { name },
      spec: { credentialsSecretRef: { name: 'ncp' }, kafkaVersionCode, config: { 'log.retention.hours': retention, 'num.partitions': 6 } },
    },
  });
  await until(getGroup(name), (o) => isReady(o) && o.status.config?.['log.retention.hours'] === String(retention), `${name} Ready`);
  const o: any = await getGroup(name)();
  return o.status.configGroupNo;
}
const patchCluster = (spec: unknown) => b.custom.patchNamespacedCustomObject({ ...KAFKA, name: 'bench', body: { spec } }, mergePatch);

let t = Date.now();
const lap = () => {
  const s = (Date.now() - t) / 1000;
  t = Date.now();
  return s;
};
await group('bench-371', 3713006, 72);
b.stages.push(['config group → Ready (create + settings)', lap()]);
await b.custom.createNamespacedCustomObject({
  ...KAFKA,
  body: {
    apiVersion: 'ncloud.cdo.dev/v1alpha1',
    kind: 'KafkaCluster',
    metadata: { name: 'bench' },
    spec: {
      credentialsSecretRef: { name: 'ncp' },
      kafkaVersionCode: 3713006,
      configGroupRef: { name: 'bench-371' },
      softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
      vpcNo: 1,
      brokerCount: 3,
      manager: { userName: 'admin', passwordSecretRef: { name: 'cmak', key: 'password' }, nodeProductCode: node, subnetNo: 1 },
      broker: { nodeProductCode: node, subnetNo: 2, storageSizeGB: 100 },
    },
  },
});
await until(
  getCluster,
  running((s) => s.kafkaVersion?.code === '3713006'),
  'running',
);
b.stages.push(['cluster with configGroupRef → running (simulated 3 s)', lap()]);
const tuned = await group('bench-371-tuned', 3713006, 24);
await patchCluster({ configGroupRef: { name: 'bench-371-tuned' } });
await until(
  getCluster,
  running((s) => String(s.configGroupNo) === tuned),
  'group applied',
);
b.stages.push(['second group → Ready, applied in place (simulated 2 s)', lap()]);
await patchCluster({ broker: { nodeProductCode: bigger } });
const sent = (op: string) => () => Promise.resolve(sim.requests().some((r) => r.path.includes(`/${op}/`)));
await until(sent('changeSpecNode'), (yes) => yes === true, 'C9 sent');
await until(
  getCluster,
  running((s) => s.change === undefined),
  'node spec changed',
);
b.stages.push(['broker node spec change (simulated 2 s)', lap()]);
const next = await group('bench-390', 3903006, 72);
await patchCluster({ kafkaVersionCode: 3903006, configGroupRef: { name: 'bench-390' } });
await until(
  getCluster,
  running((s) => s.kafkaVersion?.code === '3903006' && String(s.configGroupNo) === next),
  'upgraded',
);
b.stages.push(['third group → Ready, rolling upgrade (simulated 3 s)', lap()]);
await b.custom.deleteNamespacedCustomObject({ ...KAFKA, name: 'bench' });
await until(getCluster, (o) => o === undefined, 'cluster deleted');
for (const name of ['bench-371', 'bench-371-tuned', 'bench-390']) await b.custom.deleteNamespacedCustomObject({ ...KCG, name });
for (const name of ['bench-371', 'bench-371-tuned', 'bench-390']) await until(getGroup(name), (o) => o === undefined, `${name} deleted`);
b.stages.push(['delete the cluster, then the three groups', lap()]);
await printReport(b, sim.requests(), /(?<=\/)\d{3,}(?=$|\/)/g);
await b.stop();
await sim.close();
