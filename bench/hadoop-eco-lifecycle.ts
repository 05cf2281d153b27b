// One full HadoopEcoCluster lifecycle (create → Running → scale out 2→4 → scale in 4→3 → delete)
// against a private control plane and the Hadoop Eco simulator: stage timings, cloud requests by
// operation, and the operator's Kubernetes API requests. Run: npm run bench:hadoop-eco
import { CoreV1Api } from '@kubernetes/client-node';
import { startHadoopEcoSimulator } from '../src/simulators/hadoop-eco/index.ts';
import { mergePatch, printReport, startBench, until } from './support.ts';

const HEC = { group: 'kakaocloud.cdo.dev', version: 'v1alpha1', plural: 'hadoopecoclusters', namespace: 'default' };
const cred = { credentialId: ['bench', 'id'].join('-'), credentialSecret: ['bench', 'secret'].join('-') };
const sim = await startHadoopEcoSimulator({ credentials: [cred], provisionMs: 3000, scaleMs: 2000, terminateMs: 1500, seed: 1 });
const b = await startBench('hadoopecoclusters.kakaocloud.cdo.dev.yaml', { CDO_KAKAOCLOUD_ENDPOINTS: `kr-central-2=${sim.url}` });
await b.cp
  .makeKubeConfig()
  .makeApiClient(CoreV1Api)
  .createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'kakao' }, stringData: cred } });
const get = () => b.custom.getNamespacedCustomObject({ ...HEC, name: 'bench' });
const ready = (workers: number) => (o: any) =>
  o?.status?.phase === 'Running' &&
  o.status.workerCount === workers &&
  o.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
await b.custom.createNamespacedCustomObject({
  ...HEC,
  body: {
    apiVersion: 'kakaocloud.cdo.dev/v1alpha1',
    kind: 'HadoopEcoCluster',
    metadata: { name: 'bench' },
    spec: {
      credentialsSecretRef: { name: 'kakao' },
      clusterType: 'hadoop',
      clusterVersion: 'hde-2.0.1',
      keyPairName: 'kp',
      master: { flavorName: 'm2a.xlarge', volumeSize: 50 },
      worker: { flavorName: 'm2a.xlarge', volumeSize: 100 },
      workerCount: 2,
      vpcId: 'v',
      subnetId: 's',
      securityGroupName: 'g',
      hdfs: { replication: 2, blockSizeMB: 128 },
    },
  },
});
b.stages.push(['create → Running (simulated provisioning 3 s)', await until(get, ready(2), 'running')]);
await b.custom.patchNamespacedCustomObject({ ...HEC, name: 'bench', body: { spec: { workerCount: 4 } } }, mergePatch);
b.stages.push(['scale out 2 → 4 (simulated 2 s)', await until(get, ready(4), 'scaled out')]);
await b.custom.patchNamespacedCustomObject({ ...HEC, name: 'bench', body: { spec: { workerCount: 3 } } }, mergePatch);
b.stages.push(['scale in 4 → 3 (simulated 2 s)', await until(get, ready(3), 'scaled in')]);
await b.custom.deleteNamespacedCustomObject({ ...HEC, name: 'bench' });
b.stages.push(['delete → gone (simulated 1.5 s)', await until(get, (o) => o === undefined, 'deleted')]);
await printReport(b, sim.requests(), /[0-9a-f-]{36}/g);
await b.stop();
await sim.close();
