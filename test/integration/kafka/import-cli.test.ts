// `kubectl cdo import kafka` against the real control plane, the CDSS simulator and the operator: a
// cluster made in CDSS directly (not by the operator) is imported by name, the printed manifest
// passes the CRD schema (server-side dry run), and applied with a Secret for the manager password,
// the operator adopts that very cluster and is Ready without a single mutating CDSS call.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CdssClient } from '../../../src/clouds/ncloud/client.ts';
import { buildCreateRequest } from '../../../src/resources/kafka/request.ts';
import { kafkaSpecSchema } from '../../../src/resources/kafka/schema.ts';
import { http } from '../../support/component.ts';
import {
  accessKey,
  eventually,
  kafkaSpec,
  managerPassword,
  ready,
  secretKey,
  startKafkaHarness,
  waitForKafka,
  type KafkaHarness,
} from '../../support/kafka.ts';
import { silentLog } from '../../support/memory-store.ts';
import { runPlugin } from '../../support/plugin.ts';

let h: KafkaHarness;
let dir: string;
beforeAll(async () => {
  h = await startKafkaHarness('cdo-import-kafka');
  dir = await mkdtemp(join(tmpdir(), 'cdo-import-kafka-'));
});
afterAll(async () => {
  await h?.stop();
});

// CDSS reads are POSTs too, and some writes GETs (spec §6 #1): a request is a read only if it is
// one of these operations.
const reads = [
  'getClusterInfoList',
  'getClusterStatus',
  'getBrokerInfo',
  'getCDSSVersionList',
  'getKafkaVersionConfigGroupList',
  'getKafkaConfigGroup',
  'getKafkaConfigGroupDetailList',
  'getNodeProductListForSpecChange',
  'getLoadBalancerInstanceList',
  'downloadCertificate',
  'rollingUpgradeProgressCheck',
];
const isRead = (path: string) => reads.some((op) => new RegExp(`/(cluster|configGroup)/${op}(/|$)`).test(path));

const cdo = (...args: string[]) => runPlugin(args, { CDO_NCLOUD_ENDPOINTS: `KR=${h.sim.baseUrl('KR')}` });

/** A cluster made straight through CDSS, not by the operator: its serviceGroupInstanceNo once running. */
async function cloudCluster(name: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const cloud = new CdssClient({ baseUrl: h.sim.baseUrl('KR'), credentials: { accessKey, secretKey }, http: http(), log: silentLog });
  const spec = kafkaSpecSchema.parse(kafkaSpec(overrides));
  const id = await cloud.createCluster(buildCreateRequest(spec, name, managerPassword, spec.configGroupNo!));
  await eventually(async () => (await cloud.getCluster(id))?.status === 'running', 20_000);
  return id;
}

describe('kubectl cdo import kafka', () => {
  it('prints a manifest that adopts the cluster: applied, Ready on the same id with zero mutating calls', async () => {
    const id = await cloudCluster('legacy-kafka', { brokerCount: 4 });
    const { stdout: manifest } = await cdo('import', 'kafka', 'legacy-kafka', '--secret', 'ncp', '-n', h.ns);
    for (const secret of [accessKey, secretKey, managerPassword]) expect(manifest).not.toContain(secret);
    const doc = parse(manifest);
    expect(doc.spec).toMatchObject({
      clusterId: id,
      clusterName: 'legacy-kafka',
      credentialsSecretRef: { name: 'ncp' },
      deletionPolicy: 'Retain',
      brokerCount: 4,
      kafkaVersionCode: 3713006,
      configGroupNo: 171,
      manager: { userName: 'admin', passwordSecretRef: { name: 'legacy-kafka-manager', key: 'password' } },
    });
    expect(manifest).toContain(`kubectl -n ${h.ns} create secret generic legacy-kafka-manager`);

    const file = join(dir, 'legacy.yaml');
    await writeFile(file, manifest);
    await h.kubectl('apply', '--dry-run=server', '-f', file);
    await h.kc.core.createNamespacedSecret({
      namespace: h.ns,
      body: { metadata: { name: 'legacy-kafka-manager' }, stringData: { password: managerPassword } },
    });
    const before = h.sim.requests().length;
    await h.kubectl('apply', '-f', file);
    const o = await waitForKafka(h, 'legacy-kafka', ready);
    expect(o.status).toMatchObject({ clusterId: id, brokerCount: 4 });
    expect(o.status.pendingChanges ?? []).toEqual([]);
    const since = h.sim.requests().slice(before);
    expect(since.some((r) => r.path.includes(`/getClusterInfoList/${id}`))).toBe(true);
    expect(since.filter((r) => !isRead(r.path)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(h.sim.clusters().filter((c) => c.clusterName === 'legacy-kafka')).toHaveLength(1);
  });

  it('by number; a name that several clusters carry is refused, naming them', async () => {
    const a = await cloudCluster('twin', { vpcNo: 1 });
    const b = await cloudCluster('twin', { vpcNo: 2 });
    const { stdout } = await cdo('import', 'kafka', a, '--secret', 'ncp', '-n', h.ns);
    expect(parse(stdout)).toMatchObject({ metadata: { name: 'twin' }, spec: { clusterId: a, vpcNo: 1 } });
    const failed = cdo('import', 'kafka', 'twin', '--secret', 'ncp', '-n', h.ns);
    await expect(failed).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('2 CDSS clusters are named twin') });
    await expect(failed).rejects.toMatchObject({ stderr: expect.stringMatching(new RegExp(`${a}.*${b}|${b}.*${a}`)) });
    await expect(cdo('import', 'kafka', 'nothing', '--secret', 'ncp', '-n', h.ns)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no CDSS cluster is named nothing'),
    });
  });
});
