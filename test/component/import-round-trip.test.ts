// The inverse mappings of `kubectl cdo import` (src/resources/<kind>/import.ts) round-tripped through
// the simulated clouds: spec → the kind's create request (request.ts) → a cluster the simulator
// made from it → what the cloud's GET answers → import → the same spec fields. A field the forward
// mapping sends and the inverse misses, or maps back wrongly, fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdssClient } from '../../src/clouds/ncloud/client.ts';
import { HadoopEcoClient } from '../../src/clouds/kakaocloud/client.ts';
import { importHadoopEcoSpec } from '../../src/resources/hadoop-eco/import.ts';
import { buildCreateRequest as hadoopEcoCreate } from '../../src/resources/hadoop-eco/request.ts';
import { hadoopEcoSpecSchema } from '../../src/resources/hadoop-eco/schema.ts';
import { importKafkaSpec } from '../../src/resources/kafka/import.ts';
import { buildCreateRequest as kafkaCreate } from '../../src/resources/kafka/request.ts';
import { kafkaSpecSchema } from '../../src/resources/kafka/schema.ts';
import { startCdssSimulator, type CdssSimulator } from '../../src/simulators/cdss/index.ts';
import { startHadoopEcoSimulator, type HadoopEcoSimulator } from '../../src/simulators/hadoop-eco/index.ts';
import { http } from '../support/component.ts';
import { credentialId, credentialSecret, hecSpec } from '../support/hadoop-eco.ts';
import { accessKey, kafkaSpec, managerPassword, secretKey } from '../support/kafka.ts';
import { eventually } from '../support/operator-process.ts';
import { silentLog } from '../support/memory-store.ts';

let hec: HadoopEcoSimulator;
let cdss: CdssSimulator;
beforeAll(async () => {
  hec = await startHadoopEcoSimulator({ credentials: [{ credentialId, credentialSecret }], provisionMs: 200, seed: 3 });
  cdss = await startCdssSimulator({ credentials: [{ accessKey, secretKey }], provisionMs: 200, seed: 3 });
});
afterAll(async () => {
  await hec?.close();
  await cdss?.close();
});

/** The fields a user writes, with what import adds by design (the adoption, the credentials, Retain) set aside. */
function comparable(spec: Record<string, unknown>): Record<string, unknown> {
  const { clusterId: _id, deletionPolicy: _d, managementPolicy: _m, credentialsSecretRef: _c, ...rest } = spec;
  return rest;
}

describe('HadoopEcoCluster import round trip', () => {
  const cloud = () =>
    new HadoopEcoClient({ baseUrl: hec.url, credentials: { credentialId, credentialSecret }, http: http(), log: silentLog });

  it.each([
    [
      'a Hue cluster with configurations, a Hive job and a MySQL metastore',
      hecSpec({
        clusterName: 'rt-hive',
        highAvailability: true,
        monitoring: true,
        securityGroupName: undefined,
        securityGroupIds: ['sg-a', 'sg-b'],
        adminAccount: { userId: 'hue-admin', passwordSecretRef: { name: 'x', key: 'password' } },
        configurations: [{ classification: 'core-site', properties: { 'io.file.buffer.size': 65536, 'fs.trash.interval': '60' } }],
        userTask: { type: 'hive', terminationPolicy: 'never', hiveQuery: 'select 1', execOptions: '--hiveconf a=b', logBucketName: 'logs' },
        hiveMetastore: {
          mysql: { objectId: 'mysql-1', databaseName: 'meta', userId: 'hive', passwordSecretRef: { name: 'x', key: 'password' } },
        },
      }),
    ],
    [
      'a dataflow cluster with a config file, a Data Catalog and Redis',
      hecSpec({
        clusterName: 'rt-flow',
        clusterType: 'dataflow',
        securityGroupName: undefined,
        securityGroupIds: ['sg-c'],
        adminAccount: { userId: 'superset', passwordSecretRef: { name: 'x', key: 'password' } },
        configFileUrl: 'https://objectstorage.example/bucket/config.json',
        userTask: {
          type: 'spark',
          terminationPolicy: 'onSuccess',
          fileUrl: 'https://objectstorage.example/bucket/app.jar',
          deployMode: 'cluster',
          execParameters: 'a b',
        },
        hiveMetastore: { dataCatalog: { catalogId: 'catalog-1' } },
        redis: { objectId: 'redis-1', celeryDbIndex: 2, resultsDbIndex: 3 },
      }),
    ],
  ])('%s', async (_what, input) => {
    const spec = hadoopEcoSpecSchema.parse(input);
    const { id } = await cloud().createCluster(hadoopEcoCreate(spec, spec.clusterName!, { adminPassword: 'pw-x', mysqlPassword: 'pw-y' }));
    const detail = await eventually(async () => {
      const d = await cloud().getCluster(id);
      return d?.status === 'Running' ? d : undefined;
    }, 10_000);
    const imported = importHadoopEcoSpec(detail, { region: 'kr-central-2', credentialsSecret: 'kakao', resourceName: 'adopted' });
    expect(imported.spec).toMatchObject({ clusterId: id, deletionPolicy: 'Retain', credentialsSecretRef: { name: 'kakao' } });
    // The passwords come back as references to fill in, never as values.
    const back = hadoopEcoSpecSchema.parse(imported.spec);
    const { adminAccount, hiveMetastore, ...rest } = comparable(back);
    const { adminAccount: a0, hiveMetastore: h0, ...expected } = comparable(spec);
    expect(rest).toEqual(expected);
    expect((adminAccount as any).userId).toBe((a0 as any).userId);
    expect((adminAccount as any).passwordSecretRef).toEqual({ name: 'adopted-admin', key: 'password' });
    if ((h0 as any).mysql) {
      expect((hiveMetastore as any).mysql).toEqual({
        ...(h0 as any).mysql,
        passwordSecretRef: { name: 'adopted-metastore', key: 'password' },
      });
      expect(imported.secrets.map((s) => s.path)).toEqual(['adminAccount.passwordSecretRef', 'hiveMetastore.mysql.passwordSecretRef']);
    } else {
      expect(hiveMetastore).toEqual(h0);
      expect(imported.secrets.map((s) => s.path)).toEqual(['adminAccount.passwordSecretRef']);
    }
    expect(JSON.stringify(imported)).not.toMatch(/pw-x|pw-y/);
  });
});

describe('KafkaCluster import round trip', () => {
  const cloud = () => new CdssClient({ baseUrl: cdss.baseUrl('KR'), credentials: { accessKey, secretKey }, http: http(), log: silentLog });

  it('every field CDSS echoes comes back as the spec had it; the password as a reference', async () => {
    const spec = kafkaSpecSchema.parse(
      kafkaSpec({
        clusterName: 'rt-kafka',
        brokerCount: 4,
        broker: { nodeProductCode: 'SVR.VCDSS.STAND.C008.M032.NET.SSD.B050.G002', subnetNo: 333, storageSizeGB: 250 },
        publicAccess: { brokers: { enabled: false }, manager: { enabled: false } },
      }),
    );
    const id = await cloud().createCluster(kafkaCreate(spec, spec.clusterName!, managerPassword, spec.configGroupNo!));
    const info = await eventually(async () => {
      const i = await cloud().getCluster(id);
      return i?.status === 'running' ? i : undefined;
    }, 10_000);
    const listed = (await cloud().findClustersByName('rt-kafka')).find((c) => c.serviceGroupInstanceNo === id);
    const brokers = await cloud().getBrokerInfo(id);
    const imported = importKafkaSpec({ id, info, listed, brokers }, { region: 'KR', credentialsSecret: 'ncp', resourceName: 'adopted' });
    const back = kafkaSpecSchema.parse(imported.spec);
    const { manager, ...rest } = comparable(back);
    const { manager: m0, ...expected } = comparable(spec);
    expect(rest).toEqual(expected);
    expect(manager).toEqual({ ...(m0 as object), passwordSecretRef: { name: 'adopted-manager', key: 'password' } });
    expect(back).toMatchObject({ clusterId: id, deletionPolicy: 'Retain', credentialsSecretRef: { name: 'ncp' } });
    expect(JSON.stringify(imported)).not.toContain(managerPassword);
  });
});
