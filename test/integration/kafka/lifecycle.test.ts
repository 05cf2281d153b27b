// KafkaCluster end to end: real control plane, the CDSS simulator (which verifies every request
// signature), the operator as a child process. Create → running with bootstrap servers; kubectl
// scale adds brokers; admission refuses shrinking and downgrading; a version bump runs the whole
// rolling upgrade; a new manager password in the Secret is reset in the cloud; delete with Delete
// and Retain; no secret in logs, events or status.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessKey,
  calls,
  condition,
  createKafka,
  eventually,
  getKafka,
  kafkaSpec,
  managerPassword,
  patchKafka,
  ready,
  secretKey,
  startKafkaHarness,
  waitForKafka,
  KAFKA,
  type KafkaHarness,
} from '../../support/kafka.ts';

let h: KafkaHarness;
beforeAll(async () => {
  h = await startKafkaHarness('kafka-life');
});
afterAll(async () => {
  await h?.stop();
});

const newPassword = ['Fresh', 'pass2#', 'y'].join('-');

describe('KafkaCluster lifecycle', () => {
  it('creates the CDSS cluster and reports running with bootstrap servers, version and health', async () => {
    await createKafka(h, 'events', kafkaSpec({ connectionInfo: { configMapName: 'events-kafka' } }));
    const o = await waitForKafka(h, 'events', ready);
    expect(o.metadata.finalizers).toContain('cdo.dev/finalizer');
    expect(o.status).toMatchObject({
      cloudStatus: 'running',
      brokerCount: 3,
      configGroupNo: 171,
      kafkaVersion: { code: '3713006', name: expect.stringContaining('3.7.1') },
    });
    expect(o.status.bootstrapServers.plaintext.split(',')).toHaveLength(3);
    expect(o.status.bootstrapServers.plaintext).toMatch(/^(\S+:9092,){2}\S+:9092$/);
    expect(o.status.bootstrapServers.tls).toMatch(/:9093/);
    expect(o.status.zookeeper).toMatch(/:2181/);
    expect(condition(o, 'Healthy')).toMatchObject({ status: 'True', reason: 'AllGreen' });
    expect(o.status.managerPasswordHash).toMatch(/^[0-9a-f]{32}$/);
    const creates = calls(h, 'createCDSSClusterReturnServiceGroupInstanceNo');
    expect(creates).toHaveLength(1);
    expect(creates[0]!.body).toMatchObject({ clusterName: 'events', brokerNodeCount: 3, kafkaVersionCode: 3713006, configGroupNo: 171 });
    // Written right after the status, so give it a moment.
    const cm = await eventually(async () => {
      const c = await h.kc.core.readNamespacedConfigMap({ name: 'events-kafka', namespace: h.ns });
      return c.data?.['bootstrapServers'] ? c : undefined;
    });
    expect(cm.data).toMatchObject({
      bootstrapServers: o.status.bootstrapServers.plaintext,
      bootstrapServersTls: o.status.bootstrapServers.tls,
      zookeeper: o.status.zookeeper,
      clusterId: o.status.clusterId,
    });
    expect(cm.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'KafkaCluster', name: 'events', uid: o.metadata.uid });
    expect(await h.kubectl('get', 'nkafka', 'events')).toMatch(/events\s+3\.7\.1\s+3\s+Running\s+True\s+Running\s+\S+:9092/);
  });

  it('kubectl scale adds brokers through the cloud, as a delta', async () => {
    await h.kubectl('scale', 'nkafka/events', '--replicas=5');
    const o = await waitForKafka(h, 'events', (x) => ready(x) && x.status.brokerCount === 5);
    expect(calls(h, 'changeCountOfBrokerNode').map((r) => r.body)).toEqual([{ newBrokerNodeCount: 2 }]);
    expect(o.status.bootstrapServers.plaintext.split(',')).toHaveLength(5);
    // The ConfigMap follows the new brokers.
    await eventually(
      async () =>
        (await h.kc.core.readNamespacedConfigMap({ name: 'events-kafka', namespace: h.ns })).data?.['bootstrapServers'] ===
        o.status.bootstrapServers.plaintext,
    );
  });

  it('refuses shrinking and downgrading at admission', async () => {
    await expect(h.kubectl('scale', 'nkafka/events', '--replicas=4')).rejects.toThrow(/brokerCount may only grow/);
    await expect(patchKafka(h, 'events', { spec: { kafkaVersionCode: 2823006, configGroupNo: 170 } })).rejects.toThrow(
      /kafkaVersionCode may only grow/,
    );
    await expect(patchKafka(h, 'events', { spec: { broker: { storageSizeGB: 200 } } })).rejects.toThrow(
      /broker.storageSizeGB is immutable/,
    );
  });

  it('a version bump runs the whole rolling upgrade: pre-check, upgrade with the new config group, progress, running', async () => {
    await patchKafka(h, 'events', { spec: { kafkaVersionCode: 3903006, configGroupNo: 172 } });
    const during = await waitForKafka(h, 'events', (x) => x.status?.phase === 'Upgrading' && x.status.upgrade?.toVersionCode === '3903006');
    expect(during.status.upgrade).toMatchObject({ fromVersionCode: '3713006', toConfigGroupNo: 172 });
    const o = await waitForKafka(h, 'events', (x) => ready(x) && x.status.kafkaVersion.code === '3903006');
    expect(o.status.upgrade).toBeUndefined();
    expect(o.status.configGroupNo).toBe(172);
    expect(o.status.kafkaVersion.name).toContain('3.9.0');
    const id = Number(o.status.clusterId);
    const body = { serviceGroupInstanceNo: id, upgradeKafkaVersionCode: 3903006, upgradeConfigGroupNo: 172 };
    expect(calls(h, 'rollingUpgradePreCheck').map((r) => r.body)).toEqual([body]);
    expect(
      calls(h, 'rollingUpgrade')
        .filter((r) => r.path.endsWith('/rollingUpgrade'))
        .map((r) => r.body),
    ).toEqual([body]);
    expect(calls(h, 'rollingUpgradeProgressCheck').length).toBeGreaterThan(0);
    const events = await h.kc.events.listNamespacedEvent({ namespace: h.ns });
    expect(events.items.some((e) => e.regarding?.name === 'events' && e.reason === 'UpgradeStarted')).toBe(true);
  });

  it('resets the manager password in the cloud when the referenced Secret changes', async () => {
    const before = (await getKafka(h, 'events')).status.managerPasswordHash;
    await h.kc.core.replaceNamespacedSecret({
      name: 'cmak',
      namespace: h.ns,
      body: { metadata: { name: 'cmak' }, stringData: { password: newPassword } },
    });
    const o = await waitForKafka(h, 'events', (x) => ready(x) && x.status.managerPasswordHash !== before);
    const cluster = h.sim.cluster(o.status.clusterId)!;
    expect(cluster.passwordResets).toBe(1);
    expect(cluster.kafkaManagerUserPasswordSha256).toBe(createHash('sha256').update(newPassword).digest('hex'));
  });

  it('deletionPolicy Delete deletes the CDSS cluster (deleting → return) before the finalizer goes', async () => {
    const id = (await getKafka(h, 'events')).status.clusterId;
    await h.kc.custom.deleteNamespacedCustomObject({ ...KAFKA, namespace: h.ns, name: 'events' });
    await eventually(async () => !(await h.kubectl('get', 'nkafka', '--no-headers')).includes('events '), 45_000);
    expect(h.sim.cluster(id)?.status).toBe('return');
    await expect(h.kc.core.readNamespacedConfigMap({ name: 'events-kafka', namespace: h.ns })).rejects.toThrow();
    expect(calls(h, 'deleteCDSSCluster').filter((r) => r.path.endsWith(`/${id}`))).toHaveLength(1);
  });

  it('deletionPolicy Retain leaves the CDSS cluster running', async () => {
    await createKafka(h, 'keeper', kafkaSpec({ deletionPolicy: 'Retain' }));
    const o = await waitForKafka(h, 'keeper', ready);
    await h.kc.custom.deleteNamespacedCustomObject({ ...KAFKA, namespace: h.ns, name: 'keeper' });
    await eventually(async () => !(await h.kubectl('get', 'nkafka', '--no-headers')).includes('keeper '));
    expect(h.sim.cluster(o.status.clusterId)?.status).toBe('running');
    expect(calls(h, 'deleteCDSSCluster').filter((r) => r.path.endsWith(`/${o.status.clusterId}`))).toHaveLength(0);
  });

  it('never lets a secret reach a log line, an event or a status', async () => {
    const secrets = [accessKey, secretKey, managerPassword, newPassword];
    const logs = h.op.lines.map((l) => JSON.stringify(l)).join('\n');
    expect(h.op.lines.length).toBeGreaterThan(20);
    const events = JSON.stringify(await h.kc.events.listNamespacedEvent({ namespace: h.ns }));
    const statuses = JSON.stringify(await h.kc.custom.listNamespacedCustomObject({ ...KAFKA, namespace: h.ns }));
    for (const s of secrets) {
      expect(logs).not.toContain(s);
      expect(events).not.toContain(s);
      expect(statuses).not.toContain(s);
    }
    expect(events).toContain('CreateRequested');
  });
});
