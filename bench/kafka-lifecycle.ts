// One full KafkaCluster lifecycle (create → running → add brokers 3→5 → rolling upgrade 3.7.1→3.9.0
// → delete) against a private control plane and the CDSS simulator: stage timings, cloud requests
// by operation, and the operator's Kubernetes API requests. Run: npm run bench:kafka
import { CoreV1Api } from '@kubernetes/client-node';
import { startCdssSimulator } from '../src/simulators/cdss/index.ts';
import { mergePatch, printReport, startBench, until } from './support.ts';

const KAFKA = { group: 'ncloud.cdo.dev', version: 'v1alpha1', plural: 'kafkaclusters', namespace: 'default' };
const keys = { accessKey: ['bench', 'ak'].join('-'), secretKey: ['bench', 'sk'].join('-') };
const sim = await startCdssSimulator({ credentials: [keys], provisionMs: 3000, scaleMs: 2000, upgradeMs: 3000, deleteMs: 1500, seed: 1 });
const b = await startBench('kafkaclusters.ncloud.cdo.dev.yaml', { CDO_NCLOUD_ENDPOINTS: `KR=${sim.baseUrl('KR')}` });
const core = b.cp.makeKubeConfig().makeApiClient(CoreV1Api);
await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'ncp' }, stringData: keys } });
await core.createNamespacedSecret({
  namespace: 'default',
  body: { metadata: { name: 'cmak' }, stringData: { password: ['Bench', 'pw1!'].join('-') } },
});
const get = () => b.custom.getNamespacedCustomObject({ ...KAFKA, name: 'bench' });
const ready = (brokers: number, version: string) => (o: any) =>
  o?.status?.phase === 'Running' &&
  o.status.brokerCount === brokers &&
  o.status.kafkaVersion?.code === version &&
  o.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
await b.custom.createNamespacedCustomObject({
  ...KAFKA,
  body: {
    apiVersion: 'ncloud.cdo.dev/v1alpha1',
    kind: 'KafkaCluster',
    metadata: { name: 'bench' },
    spec: {
      credentialsSecretRef: { name: 'ncp' },
      kafkaVersionCode: 3713006,
      configGroupNo: 171,
      softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
      vpcNo: 1,
      brokerCount: 3,
      manager: { userName: 'admin', passwordSecretRef: { name: 'cmak', key: 'password' }, nodeProductCode: 'p', subnetNo: 1 },
      broker: { nodeProductCode: 'p', subnetNo: 2, storageSizeGB: 100 },
    },
  },
});
b.stages.push(['create → running (simulated provisioning 3 s)', await until(get, ready(3, '3713006'), 'running')]);
await b.custom.patchNamespacedCustomObject({ ...KAFKA, name: 'bench', body: { spec: { brokerCount: 5 } } }, mergePatch);
b.stages.push(['add brokers 3 → 5 (simulated 2 s)', await until(get, ready(5, '3713006'), 'brokers added')]);
await b.custom.patchNamespacedCustomObject(
  { ...KAFKA, name: 'bench', body: { spec: { kafkaVersionCode: 3903006, configGroupNo: 172 } } },
  mergePatch,
);
b.stages.push(['rolling upgrade 3.7.1 → 3.9.0 (simulated 3 s)', await until(get, ready(5, '3903006'), 'upgraded')]);
await b.custom.deleteNamespacedCustomObject({ ...KAFKA, name: 'bench' });
b.stages.push(['delete → gone (simulated 1.5 s)', await until(get, (o) => o === undefined, 'deleted')]);
await printReport(b, sim.requests(), /(?<=\/)\d{5,}(?=$|\/)/g);
await b.stop();
await sim.close();
