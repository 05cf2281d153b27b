// kubectl cdo import, the parts without a cloud: the inverse mappings' edge cases (what the cloud
// leaves out or answers oddly) and the manifest they print. The full round trip through the
// simulators is test/component/import-round-trip.test.ts; applied to a control plane,
// test/integration/cli/import-cli.test.ts.
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { renderImportManifest } from '../../../src/cli/import-manifest.ts';
import type { ClusterDetail } from '../../../src/clouds/kakaocloud/types.ts';
import { BrokerInfoSchema, type ClusterInfo } from '../../../src/clouds/ncloud/types.ts';
import { ImportMappingError } from '../../../src/resources/core/import.ts';
import { configurationsOf, importHadoopEcoSpec } from '../../../src/resources/hadoop-eco/import.ts';
import { base64, configText } from '../../../src/resources/hadoop-eco/request.ts';
import { importKafkaSpec } from '../../../src/resources/kafka/import.ts';

const detail: ClusterDetail = {
  id: '0f0e4a9c-6a55-4d53-9d0a-1c2b3c4d5e6f',
  name: 'sales',
  status: 'Running',
  clusterType: 'hadoop',
  clusterVersion: 'hde-2.0.1',
  isHa: false,
  workerCnt: 3,
  masterCnt: 1,
  vpcId: 'vpc-1',
  subnetId: 'subnet-1',
  securityGroupIds: ['sg-1'],
  keypairName: 'kp',
  monitoring: true,
  masterInfo: [{ flavorName: 'm2a.xlarge', volumeSize: 50 }],
  workerInfo: [{ flavorName: 'm2a.2xlarge', volumeSize: 200 }],
  adminInfo: { userId: 'owner@example.com' },
  config: { hdfsReplication: 2, hdfsBlockSize: 128 },
};
const hecOpts = { region: 'kr-central-2', credentialsSecret: 'kakao', resourceName: 'sales' } as const;

const info: ClusterInfo = {
  clusterName: 'events',
  status: 'running',
  kafkaVersionCode: '3713006',
  kafkaManagerUserName: 'admin',
  softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
  vpcNo: '12345',
  managerNodeProductCode: 'SVR.M',
  managerNodeSubnetNo: '111',
  brokerNodeProductCode: 'SVR.B',
  brokerNodeSubnetNo: '222',
  brokerNodeCount: 3,
  brokerNodeStorageSize: 100,
  configGroupNo: '171',
};
const kafkaOpts = { region: 'KR', credentialsSecret: 'ncp', resourceName: 'events' } as const;
/** getBrokerInfo as the client parses it (BrokerInfoSchema: the lists CDSS leaves out are empty). */
const brokers = (publicList: string[]) => BrokerInfoSchema.parse({ publicEndpointBrokerNodeList: publicList.join('\n') });

describe('importHadoopEcoSpec', () => {
  it('maps every reported field, adopts by id with Retain, and asks for the admin password', () => {
    const { spec, secrets, notes } = importHadoopEcoSpec(detail, hecOpts);
    expect(spec).toEqual({
      clusterId: detail.id,
      clusterName: 'sales',
      region: 'kr-central-2',
      credentialsSecretRef: { name: 'kakao' },
      deletionPolicy: 'Retain',
      managementPolicy: 'Manage',
      clusterType: 'hadoop',
      clusterVersion: 'hde-2.0.1',
      highAvailability: false,
      keyPairName: 'kp',
      master: { flavorName: 'm2a.xlarge', volumeSize: 50 },
      worker: { flavorName: 'm2a.2xlarge', volumeSize: 200 },
      workerCount: 3,
      monitoring: true,
      vpcId: 'vpc-1',
      subnetId: 'subnet-1',
      securityGroupIds: ['sg-1'],
      adminAccount: { userId: 'owner@example.com', passwordSecretRef: { name: 'sales-admin', key: 'password' } },
      hdfs: { replication: 2, blockSizeMB: 128 },
    });
    expect(secrets).toEqual([{ path: 'adminAccount.passwordSecretRef', name: 'sales-admin', key: 'password', what: expect.any(String) }]);
    expect(notes.join(' ')).toContain('userScript');
  });

  it('reads configText back into configurations, and says so when it cannot', () => {
    const configurations = [{ classification: 'hive-site', properties: { a: 'b', n: 3 } }];
    expect(configurationsOf(configText(configurations))).toEqual(configurations);
    expect(configurationsOf(undefined)).toBeUndefined();
    expect(configurationsOf(base64('not json'))).toMatch(/not a \{"configurations"/);
    expect(configurationsOf(base64('{"configurations": []}'))).toMatch(/not a/);
    const odd = importHadoopEcoSpec({ ...detail, config: { ...detail.config, configText: base64('[1]') } }, hecOpts);
    expect(odd.spec.configurations).toBeUndefined();
    expect(odd.notes.join(' ')).toContain('configurations left out');
  });

  it('refuses an answer that makes no valid spec, naming the field', () => {
    expect(() => importHadoopEcoSpec({ ...detail, workerCnt: null }, hecOpts)).toThrow(ImportMappingError);
    expect(() => importHadoopEcoSpec({ ...detail, clusterVersion: '2.0' }, hecOpts)).toThrow(/spec\.clusterVersion/);
  });
});

describe('importKafkaSpec', () => {
  it('maps C5, C4 and C11 back to the spec; numbers become numbers; the password a reference', () => {
    const { spec, secrets, notes } = importKafkaSpec(
      { id: '900', info, listed: { isUsePublicDomain: true } as never, brokers: brokers(['1.2.3.4:39092']) },
      kafkaOpts,
    );
    expect(spec).toEqual({
      clusterId: '900',
      clusterName: 'events',
      region: 'KR',
      credentialsSecretRef: { name: 'ncp' },
      deletionPolicy: 'Retain',
      managementPolicy: 'Manage',
      kafkaVersionCode: 3713006,
      configGroupNo: 171,
      softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
      vpcNo: 12345,
      serverGeneration: 'G2',
      manager: {
        userName: 'admin',
        passwordSecretRef: { name: 'events-manager', key: 'password' },
        nodeProductCode: 'SVR.M',
        subnetNo: 111,
      },
      broker: { nodeProductCode: 'SVR.B', subnetNo: 222, storageSizeGB: 100 },
      publicAccess: { brokers: { enabled: true }, manager: { enabled: true } },
      brokerCount: 3,
    });
    expect(secrets.map((s) => s.path)).toEqual(['manager.passwordSecretRef']);
    expect(notes.join(' ')).toContain('G3');
  });

  it('leaves public access out where CDSS said nothing, with a note', () => {
    const { spec, notes } = importKafkaSpec({ id: '900', info, brokers: null }, kafkaOpts);
    expect(spec.publicAccess).toBeUndefined();
    expect(notes.join(' ')).toContain('publicAccess.brokers is left out');
    expect(importKafkaSpec({ id: '900', info, brokers: brokers([]) }, kafkaOpts).spec.publicAccess).toEqual({
      brokers: { enabled: false },
    });
  });

  it('refuses an answer outside the schema (a storage size CDSS cannot have)', () => {
    expect(() => importKafkaSpec({ id: '900', info: { ...info, brokerNodeStorageSize: 55 } }, kafkaOpts)).toThrow(/broker\.storageSizeGB/);
  });
});

describe('renderImportManifest', () => {
  const imported = importKafkaSpec({ id: '900', info, brokers: brokers([]) }, kafkaOpts);
  const text = renderImportManifest({
    apiVersion: 'ncloud.cdo.dev/v1alpha1',
    kind: 'KafkaCluster',
    namespace: 'team-a',
    name: 'events',
    clusterId: '900',
    imported,
  });

  it('is the resource, exactly, as YAML', () => {
    expect(parse(text)).toEqual({
      apiVersion: 'ncloud.cdo.dev/v1alpha1',
      kind: 'KafkaCluster',
      metadata: { name: 'events', namespace: 'team-a' },
      spec: imported.spec,
    });
    expect(parseDocument(text).errors).toEqual([]);
  });

  it('says what to create before applying, and why Retain', () => {
    expect(text).toContain("kubectl -n team-a create secret generic events-manager --from-literal=password='…'");
    expect(text).toMatch(
      /# FILL IN: Secret events-manager, key password: the Kafka manager \(CMAK\) password[^\n]*\n\s+passwordSecretRef:/,
    );
    expect(text).toMatch(/# Retain: deleting this resource leaves the cloud cluster running[\s\S]*?\n\s+deletionPolicy: Retain/);
    expect(text).toMatch(/# The cloud cluster this resource adopts[^\n]*\n\s+clusterId: "900"/);
    expect(text).toContain('Not imported:');
  });
});
