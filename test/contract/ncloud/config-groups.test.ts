// Contract of the CDSS client's config group calls G2-G10 (spec §5.18) against the simulator:
// paths, methods, bodies as they arrive, G5's wire format and replace-all semantics, the
// version coupling, in-use deletes, G3's proof of absence, and which calls are retried.
import { afterEach, describe, expect, it } from 'vitest';
import { CdssBusinessError } from '../../../src/clouds/ncloud/errors.ts';
import { InvalidSpecError, TransientError } from '../../../src/runtime/errors.ts';
import { ERR } from '../../../src/simulators/cdss/index.ts';
import { rejection, startSimClient, type SimClient } from './sim-support.ts';

let s: SimClient | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});
const start = async (o = {}) => (s = await startSimClient(o));

const V37 = '3713006';
const V39 = '3903006';

describe('config groups: create, get, list, find', () => {
  it('G2 posts the name and the version as a JSON integer; G3, G10 and the name lookup find the group', async () => {
    const { client, calls } = await start();
    const no = await client.createConfigGroup({ configGroupName: 'ct-orders', kafkaVersionCode: V37, description: 'orders' });
    expect(no).toMatch(/^\d+$/);
    expect(calls('createConfigGroup')).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/api/v1/configGroup/createConfigGroup',
        body: { configGroupName: 'ct-orders', kafkaVersionCode: 3713006, description: 'orders' },
      }),
    ]);

    expect(await client.getConfigGroup(no, V37)).toEqual({
      configGroupNo: no,
      configGroupName: 'ct-orders',
      description: 'orders',
      kafkaVersionCode: V37,
    });
    expect(calls('getKafkaConfigGroup/')).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/api/v1/configGroup/getKafkaConfigGroup/${no}`,
        body: { kafkaVersionCode: 3713006 },
      }),
    ]);

    const all = await client.listAllConfigGroups();
    // The three seeded defaults (one per version) and ours, across versions.
    expect(all.map((g) => g.kafkaVersionCode)).toEqual(expect.arrayContaining(['2823006', V37, V39]));
    expect(all.map((g) => g.configGroupNo)).toContain(no);
    expect(calls('getKafkaConfigGroupList')[0]).toMatchObject({ method: 'POST', body: { pageNo: 1, pageSize: 100 } });

    await client.createConfigGroup({ configGroupName: 'ct-orders', kafkaVersionCode: V39 });
    await client.createConfigGroup({ configGroupName: 'ct-orders-2', kafkaVersionCode: V37 });
    const found = await client.findConfigGroupsByName('ct-orders');
    expect(found.map((g) => g.kafkaVersionCode).sort()).toEqual([V37, V39]);
  });

  it('G10 is paged until isLast', async () => {
    const { client, calls } = await start();
    for (let k = 0; k < 101; k++) await client.createConfigGroup({ configGroupName: `ct-many-${k}`, kafkaVersionCode: V37 });
    expect(await client.listAllConfigGroups()).toHaveLength(104);
    expect(calls('getKafkaConfigGroupList').map((c) => c.body)).toEqual([
      { pageNo: 1, pageSize: 100 },
      { pageNo: 2, pageSize: 100 },
    ]);
  });

  it("G2: a duplicate name for the version is the cloud's business error; a bad name is refused locally; never retried", async () => {
    const { client, sim, calls } = await start();
    await client.createConfigGroup({ configGroupName: 'ct-dup', kafkaVersionCode: V37 });
    const dup = await rejection(client.createConfigGroup({ configGroupName: 'ct-dup', kafkaVersionCode: V37 }));
    expect(dup).toBeInstanceOf(CdssBusinessError);
    expect((dup as CdssBusinessError).code).toBe(ERR.DUPLICATE_CONFIG_GROUP_NAME);

    // 3-30 per the docs (§7): 16-30 characters pass, 31 do not.
    await client.createConfigGroup({ configGroupName: 'a'.repeat(30), kafkaVersionCode: V37 });
    const long = await rejection(client.createConfigGroup({ configGroupName: 'a'.repeat(31), kafkaVersionCode: V37 }));
    expect(long).toBeInstanceOf(InvalidSpecError);
    expect(long.message).toMatch(/configGroupName/);
    expect(calls('createConfigGroup')).toHaveLength(3);

    sim.faults.set({ errorRate: 1, only: { paths: ['createConfigGroup'] } });
    expect(await rejection(client.createConfigGroup({ configGroupName: 'ct-flaky', kafkaVersionCode: V37 }))).toBeInstanceOf(
      TransientError,
    );
    expect(calls('createConfigGroup')).toHaveLength(4);
  });

  it('G3 → null only when G10 agrees the group is gone; a listed group of another version is an error, not an absence', async () => {
    const { client, calls } = await start();
    expect(await client.getConfigGroup('999999', V37)).toBeNull();
    expect(calls('configGroup/').map((c) => c.path)).toEqual([
      '/api/v1/configGroup/getKafkaConfigGroup/999999',
      '/api/v1/configGroup/getKafkaConfigGroupList',
    ]);

    const no = await client.createConfigGroup({ configGroupName: 'ct-v37', kafkaVersionCode: V37 });
    const err = await rejection(client.getConfigGroup(no, V39));
    expect(err).toBeInstanceOf(CdssBusinessError);
    expect((err as CdssBusinessError).cloudMessage).toContain(V37);

    await client.deleteConfigGroup(no);
    expect(await client.getConfigGroup(no, V37)).toBeNull();
  });
});

describe('config groups: values (G4/G5)', () => {
  it('G4 of a new group: the version defaults, nothing customised, authorizer.class.name not modifiable', async () => {
    const { client, calls } = await start();
    const no = await client.createConfigGroup({ configGroupName: 'ct-defaults', kafkaVersionCode: V37 });
    const values = await client.getConfigGroupValues(no, V37);
    expect(calls('getKafkaConfigGroupDetailList')).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/api/v1/configGroup/getKafkaConfigGroupDetailList/${no}`,
        body: { kafkaVersionCode: 3713006 },
      }),
    ]);
    const byName = new Map(values.map((v) => [v.configName, v]));
    expect(byName.get('log.retention.hours')).toMatchObject({
      configNameKey: 'logRetentionHours',
      customValue: null,
      defaultValue: '168',
      modifyYn: true,
    });
    expect(byName.get('auto.create.topics.enable')).toMatchObject({ configNameKey: 'autoCreateTopicsEnable', defaultValue: 'true' });
    expect(byName.get('authorizer.class.name')?.modifyYn).toBe(false);
    expect(values.length).toBeGreaterThanOrEqual(10);
    expect(values.every((v) => v.customValue === null)).toBe(true);
  });

  it('G5 sends typed camelCase fields with JSON types and the rest as additional {configName, configValue}; G4 reads them back', async () => {
    const { client, calls } = await start();
    const no = await client.createConfigGroup({ configGroupName: 'ct-values', kafkaVersionCode: V37 });
    await client.setConfigGroupValues(no, V37, {
      'log.retention.hours': '72',
      'auto.create.topics.enable': 'false',
      'log.cleanup.policy': 'compact',
      'compression.type': 'lz4',
    });
    const g5 = calls('setKafkaConfigGroupDetail');
    expect(g5).toHaveLength(1);
    expect(g5[0]).toMatchObject({ method: 'POST', path: `/api/v1/configGroup/setKafkaConfigGroupDetail/${no}` });
    expect(g5[0]?.body).toEqual({
      kafkaVersionCode: 3713006,
      logRetentionHours: 72,
      autoCreateTopicsEnable: false,
      logCleanupPolicy: 'compact',
      additionalKafkaConfigGroupDetailList: [{ configName: 'compression.type', configValue: 'lz4' }],
    });
    const custom = Object.fromEntries((await client.getConfigGroupValues(no, V37)).map((v) => [v.configName, v.customValue]));
    expect(custom).toMatchObject({
      'log.retention.hours': '72',
      'auto.create.topics.enable': 'false',
      'log.cleanup.policy': 'compact',
      'compression.type': 'lz4',
      'num.partitions': null,
    });
  });

  it('G5 replaces the whole custom configuration: what is left out reverts to its default; modifyYn:false is accepted and discarded', async () => {
    const { client, sim } = await start();
    const no = await client.createConfigGroup({ configGroupName: 'ct-replace', kafkaVersionCode: V37 });
    await client.setConfigGroupValues(no, V37, { 'num.partitions': '6', 'log.retention.hours': '24', 'min.insync.replicas': '2' });
    await client.setConfigGroupValues(no, V37, { 'num.partitions': '12', 'authorizer.class.name': 'org.example.Authorizer' });
    expect(sim.admin.configGroup(Number(no))?.customValues).toEqual({ 'num.partitions': '12' });
    const values = await client.getConfigGroupValues(no, V37);
    expect(values.find((v) => v.configName === 'log.retention.hours')?.customValue).toBeNull();
    expect(values.find((v) => v.configName === 'authorizer.class.name')?.customValue).toBeNull();
    expect(values.find((v) => v.configName === 'min.insync.replicas')).toBeUndefined();
  });

  it("a key the version does not know is the cloud's business error naming it (sent, not dropped); never retried", async () => {
    const { client, calls } = await start();
    const no = await client.createConfigGroup({ configGroupName: 'ct-unknown', kafkaVersionCode: V37 });
    const err = await rejection(client.setConfigGroupValues(no, V37, { 'num.partitions': '3', 'no.such.setting': 'x' }));
    expect(err).toBeInstanceOf(CdssBusinessError);
    expect((err as CdssBusinessError).code).toBe(ERR.INVALID_CONFIG);
    expect((err as CdssBusinessError).cloudMessage).toContain('no.such.setting');
    expect(calls('setKafkaConfigGroupDetail')).toHaveLength(1);
    expect(calls('setKafkaConfigGroupDetail')[0]?.body).toMatchObject({
      additionalKafkaConfigGroupDetailList: [{ configName: 'no.such.setting', configValue: 'x' }],
    });

    // Per version: tiered storage exists from Kafka 3.6, so 2.8.2 does not know it.
    const old = await client.createConfigGroup({ configGroupName: 'ct-old', kafkaVersionCode: '2823006' });
    const e28 = await rejection(client.setConfigGroupValues(old, '2823006', { 'remote.log.storage.system.enable': 'true' }));
    expect((e28 as CdssBusinessError).cloudMessage).toContain('remote.log.storage.system.enable');
    await client.setConfigGroupValues(no, V37, { 'remote.log.storage.system.enable': 'true' });
  });

  it("an out-of-range value is the cloud's error naming the key; a value that cannot take its JSON type is refused before sending", async () => {
    const { client, calls } = await start();
    const no = await client.createConfigGroup({ configGroupName: 'ct-range', kafkaVersionCode: V37 });
    const range = await rejection(client.setConfigGroupValues(no, V37, { 'num.partitions': '100000' }));
    expect(range).toBeInstanceOf(CdssBusinessError);
    expect((range as CdssBusinessError).cloudMessage).toMatch(/numPartitions \(num\.partitions\): must be between 1 and 1000/);

    const policy = await rejection(client.setConfigGroupValues(no, V37, { 'log.cleanup.policy': 'shred' }));
    expect((policy as CdssBusinessError).cloudMessage).toContain('log.cleanup.policy');

    const typed = await rejection(client.setConfigGroupValues(no, V37, { 'delete.topic.enable': 'yes' }));
    expect(typed).toBeInstanceOf(InvalidSpecError);
    expect(typed.message).toContain('delete.topic.enable');
    expect(calls('setKafkaConfigGroupDetail')).toHaveLength(2);
  });

  it("G3-G7 need the group's own version: another one is a business error", async () => {
    const { client, calls } = await start();
    const no = await client.createConfigGroup({ configGroupName: 'ct-version', kafkaVersionCode: V37 });
    for (const p of [
      client.getConfigGroupValues(no, V39),
      client.setConfigGroupValues(no, V39, {}),
      client.setConfigGroupDescription(no, V39, 'x'),
    ]) {
      const err = await rejection(p);
      expect(err).toBeInstanceOf(CdssBusinessError);
      expect((err as CdssBusinessError).code).toBe(ERR.CONFIG_GROUP_MISMATCH);
    }
    // The G5 of a wrong version never got as far as reading G4 of that version successfully.
    expect(calls('setKafkaConfigGroupDetail')).toHaveLength(0);
  });

  it('G5 under an injected 5xx is sent once; G4, a POST read, is retried', async () => {
    const { client, sim, calls } = await start();
    const no = await client.createConfigGroup({ configGroupName: 'ct-faults', kafkaVersionCode: V37 });
    sim.faults.set({ errorRate: 1, only: { paths: ['setKafkaConfigGroupDetail'] } });
    expect(await rejection(client.setConfigGroupValues(no, V37, { 'num.partitions': '3' }))).toBeInstanceOf(TransientError);
    expect(calls('setKafkaConfigGroupDetail')).toHaveLength(1);

    // Two dropped connections (no answer at all), then the third attempt gets through.
    sim.faults.set({ dropRate: 1, only: { paths: ['getKafkaConfigGroupDetailList'] }, times: 2 });
    expect((await client.getConfigGroupValues(no, V37)).length).toBeGreaterThan(0);
    expect(calls('getKafkaConfigGroupDetailList').map((c) => c.status)).toEqual([200, null, null, 200]);
  });
});

describe('config groups: description, apply, using clusters, delete', () => {
  it('G6 sets the description (0-255 checked locally); never retried', async () => {
    const { client, sim, calls } = await start();
    const no = await client.createConfigGroup({ configGroupName: 'ct-memo', kafkaVersionCode: V37, description: 'old' });
    await client.setConfigGroupDescription(no, V37, 'new words');
    expect(calls('setKafkaConfigGroupMemo')).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/api/v1/configGroup/setKafkaConfigGroupMemo/${no}`,
        body: { kafkaVersionCode: 3713006, description: 'new words' },
      }),
    ]);
    expect((await client.getConfigGroup(no, V37))?.description).toBe('new words');
    expect(await rejection(client.setConfigGroupDescription(no, V37, 'x'.repeat(256)))).toBeInstanceOf(InvalidSpecError);
    sim.faults.set({ errorRate: 1, only: { paths: ['setKafkaConfigGroupMemo'] } });
    await rejection(client.setConfigGroupDescription(no, V37, 'again'));
    expect(calls('setKafkaConfigGroupMemo')).toHaveLength(2);
  });

  it('G7 restarts the cluster (changing) and C5 then reports the new group; G8 lists the cluster; G9 of a used group is refused naming it', async () => {
    const { client, sim, calls, runningCluster } = await start({ configApplyMs: 150 });
    const id = await runningCluster();
    const no = await client.createConfigGroup({ configGroupName: 'ct-apply', kafkaVersionCode: V37 });
    await client.applyConfigGroup(id, no, V37);
    expect(calls('setClusterKafkaConfigGroup')).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/api/v1/configGroup/setClusterKafkaConfigGroup/${no}`,
        body: { kafkaVersionCode: 3713006, serviceGroupInstanceNo: Number(id) },
      }),
    ]);
    expect((await client.getCluster(id))?.status).toBe('changing');
    // Already counted as a user while the restart runs.
    expect(await client.clustersUsingConfigGroup(no)).toEqual([{ clusterName: 'ct-kafka-1', serviceGroupInstanceNo: id }]);
    const busy = await rejection(client.applyConfigGroup(id, '171', V37));
    expect((busy as CdssBusinessError).code).toBe(ERR.CLUSTER_NOT_RUNNING);

    await sim.waitFor(id, (c) => c.status === 'running', 5_000);
    expect(await client.getCluster(id)).toMatchObject({ status: 'running', configGroupNo: no });
    expect(calls('getConfigGroupUsingClusterList')[0]).toMatchObject({ method: 'POST', body: { pageNo: 1, pageSize: 100 } });

    const inUse = await rejection(client.deleteConfigGroup(no));
    expect(inUse).toBeInstanceOf(CdssBusinessError);
    expect((inUse as CdssBusinessError).code).toBe(ERR.CONFIG_GROUP_IN_USE);
    expect((inUse as CdssBusinessError).cloudMessage).toContain('ct-kafka-1');
    expect(calls('deleteConfigGroup')).toEqual([
      expect.objectContaining({ method: 'DELETE', path: `/api/v1/configGroup/deleteConfigGroup/${no}` }),
    ]);
    // The group the cluster left is no longer in use.
    expect(await client.clustersUsingConfigGroup('171')).toEqual([]);
  });

  it("G7 refuses a group of another version than the cluster's", async () => {
    const { client, runningCluster } = await start();
    const id = await runningCluster();
    const other = await client.createConfigGroup({ configGroupName: 'ct-other', kafkaVersionCode: V39 });
    const err = await rejection(client.applyConfigGroup(id, other, V39));
    expect(err).toBeInstanceOf(CdssBusinessError);
    expect((err as CdssBusinessError).code).toBe(ERR.CONFIG_GROUP_MISMATCH);
  });

  it('G9 deletes an unused group (isDelete); an unknown one is a business error; a 5xx is not retried', async () => {
    const { client, sim, calls } = await start();
    const no = await client.createConfigGroup({ configGroupName: 'ct-gone', kafkaVersionCode: V37 });
    await client.deleteConfigGroup(no);
    expect(sim.admin.configGroup(Number(no))).toBeUndefined();
    const unknown = await rejection(client.deleteConfigGroup(no));
    expect(unknown).toBeInstanceOf(CdssBusinessError);
    expect((unknown as CdssBusinessError).cloudMessage).toContain(no);

    const next = await client.createConfigGroup({ configGroupName: 'ct-flaky-delete', kafkaVersionCode: V37 });
    sim.faults.set({ errorRate: 1, only: { paths: ['deleteConfigGroup'] } });
    expect(await rejection(client.deleteConfigGroup(next))).toBeInstanceOf(TransientError);
    expect(calls(`deleteConfigGroup/${next}`)).toHaveLength(1);
  });
});
