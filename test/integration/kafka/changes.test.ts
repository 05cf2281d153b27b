// KafkaCluster changes in place, end to end (real control plane, the CDSS simulator, the operator
// as a child process): the upgrade that used to dead-end (version raised with the old config
// group → Stalled → point at a group of the new version → rolling upgrade → Running), a config
// group applied in place (one G7, the brokers restart), a node spec change (only the changed
// code sent), and public access switched on and then off (status, ConfigMap, one call each).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  biggerNodeProduct,
  calls,
  condition,
  createCloudConfigGroup,
  createKafka,
  eventually,
  getKafka,
  kafkaSpec,
  patchKafka,
  ready,
  startKafkaHarness,
  waitForKafka,
  type KafkaHarness,
} from '../../support/kafka.ts';

let h: KafkaHarness;
beforeAll(async () => {
  h = await startKafkaHarness('kafka-changes');
});
afterAll(async () => {
  await h?.stop();
});

const stalledWith = (reason: string) => (o: any) =>
  condition(o, 'Stalled')?.status === 'True' &&
  condition(o, 'Stalled')?.reason === reason &&
  o.status.observedGeneration === o.metadata.generation;
const reasons = async (name: string) =>
  (await h.kc.events.listNamespacedEvent({ namespace: h.ns })).items.filter((e) => e.regarding?.name === name).map((e) => e.reason);

describe('KafkaCluster changes in place', () => {
  it(
    'upgrade with the old group → Stalled; a group of the new version → rolling upgrade → Running on the new version',
    { timeout: 90_000 },
    async () => {
      await createKafka(h, 'upgrade', kafkaSpec());
      const created = await waitForKafka(h, 'upgrade', ready);
      const id = Number(created.status.clusterId);
      // Raise the version, keep the 3.7.1 group: admission lets it through, the operator refuses to send it.
      await patchKafka(h, 'upgrade', { spec: { kafkaVersionCode: 3903006 } });
      const stalled = await waitForKafka(h, 'upgrade', stalledWith('ConfigGroupVersionMismatch'));
      expect(condition(stalled, 'Stalled').message).toMatch(
        /config group 171 was made for Kafka version 3713006.*3903006.*spec\.configGroupNo/,
      );
      expect(stalled.status.phase).toBe('Running');
      const upgrades = () => calls(h, 'rollingUpgrade').filter((r) => (r.body as any)?.serviceGroupInstanceNo === id);
      expect(upgrades()).toEqual([]);
      // Point at a group made for 3.9.0: admission used to refuse this; now it is the upgrade's target.
      await patchKafka(h, 'upgrade', { spec: { configGroupNo: 172 } });
      const o = await waitForKafka(h, 'upgrade', (x) => ready(x) && x.status.kafkaVersion.code === '3903006', 60_000);
      expect(o.status.configGroupNo).toBe(172);
      expect(
        upgrades()
          .filter((r) => r.path.endsWith('/rollingUpgrade'))
          .map((r) => r.body),
      ).toEqual([{ serviceGroupInstanceNo: id, upgradeKafkaVersionCode: 3903006, upgradeConfigGroupNo: 172 }]);
      expect(calls(h, 'setClusterKafkaConfigGroup')).toEqual([]); // not applied in place as well
      expect(await reasons('upgrade')).toEqual(expect.arrayContaining(['Stalled', 'UpgradeStarted']));
    },
  );

  it(
    'another group of the running version is applied in place: one G7, the brokers restart, Running on it',
    { timeout: 60_000 },
    async () => {
      const group = await createCloudConfigGroup(h, 'events-tuned', '3903006');
      await patchKafka(h, 'upgrade', { spec: { configGroupNo: group } });
      const during = await waitForKafka(h, 'upgrade', (x) => x.status?.change?.type === 'ApplyConfigGroup');
      expect(during.status.phase).toBe('Upgrading');
      const o = await waitForKafka(h, 'upgrade', (x) => ready(x) && x.status.configGroupNo === group);
      expect(o.status.change).toBeUndefined();
      expect(
        h.sim
          .requests()
          .filter((r) => r.path.includes('/configGroup/setClusterKafkaConfigGroup/'))
          .map((r) => [r.path.split('/').pop(), r.body]),
      ).toEqual([[String(group), { kafkaVersionCode: 3903006, serviceGroupInstanceNo: Number(o.status.clusterId) }]]);
      expect(await reasons('upgrade')).toContain('ConfigGroupApplied');
    },
  );

  it('a bigger broker product: only its code is sent, Running on it, SpecApplied', { timeout: 60_000 }, async () => {
    const spec = kafkaSpec();
    await patchKafka(h, 'upgrade', { spec: { broker: { ...(spec['broker'] as object), nodeProductCode: biggerNodeProduct } } });
    const o = await waitForKafka(
      h,
      'upgrade',
      (x) => ready(x) && h.sim.cluster(x.status.clusterId)?.brokerNodeProductCode === biggerNodeProduct,
    );
    expect(calls(h, 'changeSpecNode').map((r) => r.body)).toEqual([{ brokerNodeProductCode: biggerNodeProduct }]);
    expect(condition(o, 'SpecApplied')).toMatchObject({ status: 'True' });
    expect(await reasons('upgrade')).toContain('NodeSpecChangeStarted');
  });

  it('admission still refuses a storage change, and any change to the subnets', async () => {
    await expect(patchKafka(h, 'upgrade', { spec: { broker: { storageSizeGB: 200 } } })).rejects.toThrow(
      /broker.storageSizeGB is immutable/,
    );
    await expect(patchKafka(h, 'upgrade', { spec: { manager: { subnetNo: 999 } } })).rejects.toThrow(/manager.subnetNo is immutable/);
  });

  it(
    'public access on, then off: endpoints, ports, hosts lines and the manager domain in status and the ConfigMap',
    { timeout: 90_000 },
    async () => {
      await createKafka(h, 'public', kafkaSpec({ connectionInfo: { configMapName: 'public-kafka' } }));
      const created = await waitForKafka(h, 'public', ready);
      const id = created.status.clusterId;
      const lb = String(h.sim.admin.loadBalancers().find((l) => l.vpcNo === 12345)!.instanceNo);
      await patchKafka(h, 'public', {
        spec: { publicAccess: { brokers: { enabled: true, loadBalancerInstanceNo: lb }, manager: { enabled: true } } },
      });
      const on = await waitForKafka(
        h,
        'public',
        (x) => ready(x) && x.status.publicAccess?.brokers?.enabled && x.status.publicAccess?.manager?.enabled,
      );
      expect(on.status.bootstrapServers.publicPlaintext).toBeTruthy();
      expect(on.status.bootstrapServers.publicTls).toBeTruthy();
      expect(on.status.publicAccess.brokers.listenerPorts.length).toBeGreaterThan(0);
      expect(on.status.hostsEntries.tls).toHaveLength(3);
      expect(on.status.publicAccess.manager.domain).toBeTruthy();
      const cm = await eventually(async () => {
        const c = await h.kc.core.readNamespacedConfigMap({ name: 'public-kafka', namespace: h.ns });
        return c.data?.['bootstrapServersPublic'] && c.data['managerPublicDomain'] ? c : undefined;
      });
      expect(cm.data).toMatchObject({
        bootstrapServersPublic: on.status.bootstrapServers.publicPlaintext,
        bootstrapServersPublicTls: on.status.bootstrapServers.publicTls,
        managerPublicDomain: on.status.publicAccess.manager.domain,
        'ca.crt': expect.stringMatching(/^-----BEGIN CERTIFICATE-----/),
      });
      await patchKafka(h, 'public', { spec: { publicAccess: { brokers: { enabled: false }, manager: { enabled: false } } } });
      const off = await waitForKafka(
        h,
        'public',
        (x) => ready(x) && x.status.publicAccess?.brokers?.enabled === false && x.status.publicAccess?.manager?.enabled === false,
      );
      expect(off.status.bootstrapServers.publicPlaintext).toBeUndefined();
      const forThis = (op: string) => calls(h, op).filter((r) => r.path.endsWith(`/${id}`));
      expect(forThis('enableBrokerNodePublicEndpoint').map((r) => r.body)).toEqual([{ loadBalancerInstanceNo: Number(lb) }]);
      expect(forThis('disableBrokerNodePublicEndpoint')).toHaveLength(1);
      expect(forThis('enablePublicDomain')).toHaveLength(1);
      expect(forThis('disablePublicDomain')).toHaveLength(1);
      expect(calls(h, 'downloadCertificate').filter((r) => r.path.endsWith(`/${id}`))).toHaveLength(1);
      await eventually(
        async () => !(await h.kc.core.readNamespacedConfigMap({ name: 'public-kafka', namespace: h.ns })).data?.['bootstrapServersPublic'],
      );
      expect((await getKafka(h, 'public')).status.tls.caCertificate).toMatch(/BEGIN CERTIFICATE/);
    },
  );

  it('a config group of another version is refused before the create: Stalled, no create call', async () => {
    await createKafka(h, 'wrong-group', kafkaSpec({ configGroupNo: 172 }));
    const o = await waitForKafka(h, 'wrong-group', stalledWith('ConfigGroupVersionMismatch'));
    expect(o.status.phase).toBe('Pending');
    expect(calls(h, 'createCDSSClusterReturnServiceGroupInstanceNo').filter((r) => (r.body as any)?.clusterName === 'wrong-group')).toEqual(
      [],
    );
  });
});
