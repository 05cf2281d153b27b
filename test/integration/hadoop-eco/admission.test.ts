// What the API server itself refuses for HadoopEcoCluster, from the generated CRD's schema and CEL
// rules: no operator is running here, so every rejection below is admission's.
import { beforeAll, describe, expect, it, inject } from 'vitest';
import { clients, freshNamespace, installCrd } from '../../support/cluster.ts';
import { HEC, hecCrd, hecSpec } from '../../support/hadoop-eco.ts';

const { kc, custom } = clients(inject('kubeconfigPath'));
let ns: string;
beforeAll(async () => {
  await installCrd(kc, hecCrd);
  ns = await freshNamespace(kc, 'hec-admission');
});

const create = (name: string, spec: Record<string, unknown>) =>
  custom.createNamespacedCustomObject({
    ...HEC,
    namespace: ns,
    body: { apiVersion: 'kakaocloud.cdo.dev/v1alpha1', kind: 'HadoopEcoCluster', metadata: { name }, spec },
  });

describe('HadoopEcoCluster admission', () => {
  it.each([
    [
      'workerCount below hdfs.replication',
      hecSpec({ workerCount: 1, hdfs: { replication: 2, blockSizeMB: 128 } }),
      /workerCount must be at least hdfs.replication/,
    ],
    ['both security group fields', hecSpec({ securityGroupIds: ['a'] }), /exactly one of securityGroupIds/],
    ['a spark job without its jar', hecSpec({ userTask: { type: 'spark', terminationPolicy: 'never' } }), /a spark userTask needs fileUrl/],
    [
      'a hive job with both query and file',
      hecSpec({ userTask: { type: 'hive', terminationPolicy: 'never', hiveQuery: 'select 1', fileUrl: 'https://x/q.sql' } }),
      /exactly one of hiveQuery and fileUrl/,
    ],
    [
      'a user script both inline and from a file',
      hecSpec({ userScript: { inline: 'echo', fileUrl: 'https://x/s.sh' } }),
      /userScript needs exactly one of inline and fileUrl/,
    ],
    [
      'two Hive metastores',
      hecSpec({
        hiveMetastore: {
          dataCatalog: { catalogId: 'c' },
          mysql: { objectId: 'o', databaseName: 'd', userId: 'u', passwordSecretRef: { name: 's', key: 'k' } },
        },
      }),
      /exactly one of mysql and dataCatalog/,
    ],
    ['a bad version string', hecSpec({ clusterVersion: '2.0.1' }), /clusterVersion/],
    ['a name the cloud would refuse', hecSpec({ clusterName: 'Bad_Name' }), /clusterName/],
  ])('refuses %s', async (_what, spec, message) => {
    await expect(create(`x${Math.random().toString(36).slice(2, 8)}`, spec)).rejects.toThrow(message);
  });

  it('refuses a metadata.name that is not a valid cluster name unless spec.clusterName is set', async () => {
    await expect(create('has.dots', hecSpec())).rejects.toThrow(/metadata.name is not a valid Hadoop Eco cluster name/);
    await expect(create('has.dots', hecSpec({ clusterName: 'fine-name' }))).resolves.toBeDefined();
  });
});
