// The KafkaCluster adapter (resources/kafka/adapter.ts) through real passes of the core against
// the in-process CDSS simulator: what is asked of CDSS in each state, the version list cache, the
// upgrade's checks and progress, the manager password (when it is read, checked, remembered and
// reset), the lookup by name within the VPC, and the connection-info ConfigMap.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CdssSimulator } from '../../src/simulators/cdss/index.ts';
import { CdssClient } from '../../src/clouds/ncloud/client.ts';
import { NS, http, kafka, kafkaSpec, managerPassword, ncp, type Component } from '../support/component.ts';
import { silentLog } from '../support/memory-store.ts';

const sims: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function nkafka(name: string, spec = kafkaSpec(), opts: Parameters<typeof kafka>[2] = {}): Promise<Component<CdssSimulator>> {
  const c = await kafka(name, spec, opts);
  if (!opts.sim) sims.push(c.sim);
  return c;
}

const ready = (c: Component<unknown>) => c.store.condition('Ready')?.status === 'True';
const calls = (sim: CdssSimulator, operation: string) => sim.requests().filter((r) => r.path.includes(`/${operation}`));
const idOf = (c: Component<CdssSimulator>) => c.sim.clusters()[0]!.serviceGroupInstanceNo;
/** CDSS that takes its time: a cluster stays creating or changing for as long as a test runs. */
const slow = { timeScale: 1, provisionMs: 600_000, scaleMs: 600_000, upgradeMs: 600_000 };
const g3 = kafkaSpec({
  serverGeneration: 'G3',
  vpcName: 'vpc-a',
  serverSpecCode: 'cdss.s2-g3',
  manager: { ...(kafkaSpec()['manager'] as object), subnetName: 'sub-m' },
  broker: { ...(kafkaSpec()['broker'] as object), subnetName: 'sub-b' },
});

describe('observe', () => {
  it('while CDSS creates the cluster only its info is asked for; once it runs, its health, endpoints and versions too', async () => {
    const c = await nkafka('events', kafkaSpec(), { simOptions: slow });
    await c.pass(); // Create
    await c.pass(); // creating
    for (const op of ['getClusterStatus', 'getBrokerInfo', 'getCDSSVersionList', 'rollingUpgradeProgressCheck']) {
      expect(calls(c.sim, op), op).toEqual([]);
    }
    c.sim.admin.force(idOf(c), 'running');
    await c.pass();
    expect(calls(c.sim, 'getBrokerInfo')).toHaveLength(1); // the endpoints, for status and the ConfigMap
    expect(c.store.status()).toMatchObject({
      health: { broker: expect.any(String) },
      kafkaVersion: { code: '3713006', name: expect.any(String) },
    });
  });

  it('asks CDSS for the version list once, then again only after ten minutes', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    for (let i = 0; i < 3; i++) await c.pass();
    expect(calls(c.sim, 'getCDSSVersionList')).toHaveLength(1);
    const later = Date.now() + 11 * 60_000;
    vi.spyOn(Date, 'now').mockReturnValue(later);
    await c.pass();
    await c.pass();
    expect(calls(c.sim, 'getCDSSVersionList')).toHaveLength(2);
  });
});

describe('upgrade', () => {
  it('while its rolling upgrade runs, the cluster is Upgrading and status counts the brokers done', async () => {
    const c = await nkafka('events', kafkaSpec(), { simOptions: { ...slow, provisionMs: 0 } });
    await c.until(ready);
    c.store.setSpec(kafkaSpec({ kafkaVersionCode: 3903006, configGroupNo: 172 }));
    await c.pass(); // UpgradeStarted
    await c.pass();
    expect(c.store.status()['phase']).toBe('Upgrading');
    expect(c.store.status()['upgrade']).toMatchObject({ toVersionCode: '3903006', brokersUpgraded: 0, brokersTotal: 3 });
  });

  it('a cluster that fails during its upgrade is not asked for upgrade progress', async () => {
    const c = await nkafka('events', kafkaSpec(), { simOptions: { ...slow, provisionMs: 0 } });
    await c.until(ready);
    c.store.setSpec(kafkaSpec({ kafkaVersionCode: 3903006, configGroupNo: 172 }));
    await c.pass(); // UpgradeStarted
    c.sim.admin.fail(idOf(c));
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'ClusterError' });
    expect(calls(c.sim, 'rollingUpgradeProgressCheck')).toEqual([]);
  });

  it('adding brokers is Scaling, and asks for no upgrade progress', async () => {
    const c = await nkafka('events', kafkaSpec(), { simOptions: { ...slow, provisionMs: 0 } });
    await c.until(ready);
    c.store.setSpec(kafkaSpec({ brokerCount: 4 }));
    await c.pass(); // AddingBrokers
    await c.pass();
    expect(c.store.status()['phase']).toBe('Scaling');
    expect(c.store.status()['upgrade']).toBeUndefined();
    expect(calls(c.sim, 'rollingUpgradeProgressCheck')).toEqual([]);
  });

  it('a config group of another Kafka version stalls the upgrade before anything is sent', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    c.store.setSpec(kafkaSpec({ kafkaVersionCode: 3903006, configGroupNo: 171 }));
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'ConfigGroupVersionMismatch' });
    expect(c.store.condition('Stalled')!.message).toContain('171');
    expect(calls(c.sim, 'rollingUpgradePreCheck')).toEqual([]);
    expect(calls(c.sim, 'rollingUpgrade')).toEqual([]);
  });
});

describe('the manager password', () => {
  it('is read for a managed cluster only: ObserveOnly needs no password Secret', async () => {
    const owner = await nkafka('events');
    await owner.until(ready);
    const c = await nkafka('events', kafkaSpec({ managementPolicy: 'ObserveOnly', clusterId: idOf(owner) }), { sim: owner.sim });
    c.secrets.remove(NS, 'cmak');
    await c.until(ready);
    expect(c.store.condition('Stalled')?.status).toBe('False');
  });

  it('a missing password Secret stalls a managed cluster, naming the Secret and what it is for', async () => {
    const c = await nkafka('events');
    c.secrets.remove(NS, 'cmak');
    await c.pass();
    const stalled = c.store.condition('Stalled')!;
    expect(stalled.reason).toBe('SecretNotFound');
    expect(stalled.message).toContain(`${NS}/cmak`);
    expect(stalled.message).toMatch(/manager password/i);
    expect(c.sim.clusters()).toEqual([]);
  });

  it('a password CDSS would refuse stalls before the create, never sent', async () => {
    const c = await nkafka('events');
    c.secrets.set(NS, 'cmak', { password: 'short' });
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'InvalidManagerPassword' });
    expect(c.store.condition('Stalled')!.message).not.toContain('short');
    expect(c.sim.clusters()).toEqual([]);
  });

  const generations: Array<[string, Record<string, unknown>]> = [
    ['G2', kafkaSpec()],
    ['G3', g3],
  ];
  it.each(generations)('%s: the password a cluster is created with is remembered by the create pass itself', async (_g, spec) => {
    const c = await nkafka('events', spec);
    await c.pass();
    expect(c.store.status()['managerPasswordHash']).toEqual(expect.any(String));
    expect(JSON.stringify(c.store.status())).not.toContain(managerPassword);
  });

  it('an adopted cluster’s password is unknown: the Secret is taken as current, never reset on adoption', async () => {
    const owner = await nkafka('events');
    await owner.until(ready);
    const c = await nkafka('events-adopted', kafkaSpec({ clusterId: idOf(owner), clusterName: 'events' }), { sim: owner.sim });
    c.secrets.set(NS, 'cmak', { password: ['Other', 'pass3#', 'x'].join('-') });
    await c.until(ready);
    await c.pass();
    expect(calls(c.sim, 'resetCMAKPassword')).toEqual([]);
    expect(c.store.status()['managerPasswordHash']).toEqual(expect.any(String));
  });
});

describe('the lookup by name of an interrupted create', () => {
  it('never adopts a cluster of the same name in another VPC', async () => {
    const other = await nkafka('events', kafkaSpec({ vpcNo: 99999 }));
    await other.until(ready);
    const c = await nkafka('events', kafkaSpec(), { sim: other.sim });
    c.store.setAnnotations({ 'cdo.dev/create-requested': 'events@2026-01-01T00:00:00.000Z' });
    await c.pass();
    expect(c.store.eventReasons()).toEqual(['CreateRequested']);
    expect(c.store.status()['clusterId']).not.toBe(idOf(other));
  });
});

describe('connection info', () => {
  it('the create pass publishes the new cluster id at once, before CDSS reports a version or endpoints', async () => {
    const c = await nkafka('events', kafkaSpec({ connectionInfo: { configMapName: 'events-kafka' } }));
    expect((await c.pass()).error).toBeUndefined();
    expect(c.store.configMaps.get('events-kafka')).toEqual({ clusterId: idOf(c), clusterName: 'events' });
  });

  it('the ConfigMap holds the identity, the Kafka version and the bootstrap servers status reports', async () => {
    const c = await nkafka('events', kafkaSpec({ connectionInfo: { configMapName: 'events-kafka' } }));
    await c.until(ready);
    const status = c.store.status() as { bootstrapServers: { plaintext: string }; kafkaVersion: { name: string }; zookeeper?: string };
    expect(c.store.configMaps.get('events-kafka')).toMatchObject({
      clusterId: idOf(c),
      clusterName: 'events',
      kafkaVersion: status.kafkaVersion.name,
      bootstrapServers: status.bootstrapServers.plaintext,
      ...(status.zookeeper ? { zookeeper: status.zookeeper } : {}),
    });
  });
});

describe('credentials', () => {
  it('missing credentials name the NAVER Cloud API key they are', async () => {
    const c = await nkafka('events');
    c.secrets.remove(NS, 'ncp');
    await c.pass();
    expect(c.store.condition('Stalled')!.message).toMatch(/NAVER Cloud/);
  });

  it('a deletion blocked by missing credentials names the CDSS cluster it must delete first', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    c.secrets.remove(NS, 'ncp');
    c.restart();
    c.store.delete();
    await c.pass();
    expect(c.store.condition('Stalled')!.message).toContain(`CDSS cluster ${idOf(c)}`);
  });
});

/** A config group made through the simulator's own API (G2), as a user would in the console. */
async function newGroup(sim: CdssSimulator, name: string, kafkaVersionCode: string): Promise<number> {
  const client = new CdssClient({ baseUrl: sim.baseUrl('KR'), credentials: ncp, http: http(), log: silentLog });
  return Number(await client.createConfigGroup({ configGroupName: name, kafkaVersionCode }));
}
const bigger = 'SVR.VCDSS.STAND.C008.M032.NET.SSD.B050.G002';
const smaller = 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002';

describe('the config group', () => {
  it('a group made for another version is refused before the create: Stalled, nothing sent to CDSS', async () => {
    const c = await nkafka('events', kafkaSpec({ configGroupNo: 172 })); // 172 is made for 3903006, the spec asks 3713006
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'ConfigGroupVersionMismatch' });
    expect(c.store.condition('Stalled')!.message).toMatch(/config group 172 was made for Kafka version 3903006.*3713006/);
    expect(c.sim.clusters()).toEqual([]);
    expect(calls(c.sim, 'createCDSSCluster')).toEqual([]);
    expect(c.store.status()['phase']).toBe('Pending');
  });

  it('a new group at the same version is applied in place: one G7, Upgrading while the brokers restart, then Running on it', async () => {
    const c = await nkafka('events', kafkaSpec(), { simOptions: { configApplyMs: 600_000, provisionMs: 0, timeScale: 1 } });
    await c.until(ready);
    const group = await newGroup(c.sim, 'tuned', '3713006');
    c.store.setSpec(kafkaSpec({ configGroupNo: group }));
    await c.pass();
    expect(c.store.eventReasons()).toContain('ConfigGroupApplied');
    expect(calls(c.sim, 'setClusterKafkaConfigGroup')).toHaveLength(1);
    expect(c.sim.requests().find((r) => r.path.includes('setClusterKafkaConfigGroup'))!.body).toEqual({
      kafkaVersionCode: 3713006,
      serviceGroupInstanceNo: Number(idOf(c)),
    });
    await c.pass();
    expect(c.store.status()).toMatchObject({ phase: 'Upgrading', change: { type: 'ApplyConfigGroup', target: `config group ${group}` } });
    expect(c.store.condition('Reconciling')).toMatchObject({ reason: 'RestartingBrokers' });
    await c.pass();
    expect(calls(c.sim, 'setClusterKafkaConfigGroup')).toHaveLength(1); // no second call while CDSS works
  });

  it('once CDSS runs again on the new group: Running, Ready, the change forgotten', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    const group = await newGroup(c.sim, 'tuned', '3713006');
    c.store.setSpec(kafkaSpec({ configGroupNo: group }));
    await c.pass();
    await c.until((x) => ready(x) && x.store.status()['configGroupNo'] === group);
    expect(c.store.status()['change']).toBeUndefined();
    expect(calls(c.sim, 'setClusterKafkaConfigGroup')).toHaveLength(1);
  });

  it('the dead end is gone: a version raised with the old group stalls; pointing at a group of the new version upgrades', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    c.store.setSpec(kafkaSpec({ kafkaVersionCode: 3903006 })); // still 171, made for 3713006
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'ConfigGroupVersionMismatch' });
    expect(c.store.condition('Stalled')!.message).toContain('config group 171 was made for Kafka version 3713006');
    expect(calls(c.sim, 'rollingUpgrade')).toEqual([]);
    c.store.setSpec(kafkaSpec({ kafkaVersionCode: 3903006, configGroupNo: 172 }));
    await c.until((x) => ready(x) && (x.store.status()['kafkaVersion'] as { code: string }).code === '3903006');
    expect(c.store.status()['configGroupNo']).toBe(172);
  });

  it('a running cluster already on the spec’s group asks CDSS nothing about config groups', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    const before = c.sim.requests().filter((r) => r.path.includes('/configGroup/')).length;
    await c.pass();
    await c.pass();
    expect(c.sim.requests().filter((r) => r.path.includes('/configGroup/')).length).toBe(before);
  });
});

describe('the node spec', () => {
  it('a bigger broker product: only its code is sent (C9), Scaling while CDSS changes it, then Running on it', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    const spec = kafkaSpec();
    c.store.setSpec({ ...spec, broker: { ...(spec['broker'] as object), nodeProductCode: bigger } });
    await c.pass();
    expect(c.store.status()['phase']).toBe('Scaling');
    await c.until(ready);
    const sent = c.sim.requests().filter((r) => r.path.includes('/changeSpecNode/'));
    expect(sent.map((r) => r.body)).toEqual([{ brokerNodeProductCode: bigger }]);
    expect(c.store.eventReasons()).toContain('NodeSpecChangeStarted');
    expect(c.sim.cluster(idOf(c))!.status).toBe('running');
    expect(c.store.condition('SpecApplied')).toMatchObject({ status: 'True' });
  });

  it('a product CDSS does not offer (a downgrade) stalls listing the allowed ones, sends nothing and does not poll', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    const spec = kafkaSpec();
    c.store.setSpec({ ...spec, manager: { ...(spec['manager'] as object), nodeProductCode: smaller } });
    const { outcome } = await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'NodeSpecChangeNotAllowed' });
    expect(c.store.condition('Stalled')!.message).toContain(bigger);
    expect(calls(c.sim, 'changeSpecNode')).toEqual([]);
    expect(outcome).toEqual({ requeueAfter: undefined });
  });
});

describe('public access', () => {
  const withPublic = (publicAccess: Record<string, unknown>) =>
    kafkaSpec({ publicAccess, connectionInfo: { configMapName: 'events-kafka' } });

  it('two load balancers and none named: Stalled listing both, nothing enabled', async () => {
    const c = await nkafka('events', withPublic({ brokers: { enabled: true } }));
    await c.until((x) => x.store.condition('Stalled')?.status === 'True');
    expect(c.store.condition('Stalled')).toMatchObject({ reason: 'LoadBalancerRequired' });
    for (const lb of c.sim.admin.loadBalancers()) expect(c.store.condition('Stalled')!.message).toContain(String(lb.instanceNo));
    expect(calls(c.sim, 'enableBrokerNodePublicEndpoint')).toEqual([]);
  });

  it('brokers and manager on, then off: the public endpoints, ports, hosts lines and domain in status and the ConfigMap, one call each', async () => {
    const c = await nkafka('events', withPublic({}));
    await c.until(ready);
    const lb = String(c.sim.admin.loadBalancers()[0]!.instanceNo);
    c.store.setSpec(withPublic({ brokers: { enabled: true, loadBalancerInstanceNo: lb }, manager: { enabled: true } }));
    await c.until((x) => ready(x) && (x.store.status()['publicAccess'] as { manager?: unknown } | undefined)?.manager !== undefined);
    const on = c.store.status() as any;
    expect(on.publicAccess.brokers).toMatchObject({ enabled: true, listenerPorts: expect.any(Array), tlsListenerPorts: expect.any(Array) });
    expect(on.publicAccess.manager).toMatchObject({ enabled: true, domain: expect.stringContaining('cmak-') });
    expect(on.bootstrapServers.publicPlaintext).toBeTruthy();
    expect(on.hostsEntries.tls.length).toBe(3);
    expect(c.store.configMaps.get('events-kafka')).toMatchObject({
      bootstrapServersPublic: on.bootstrapServers.publicPlaintext,
      bootstrapServersPublicTls: on.bootstrapServers.publicTls,
      managerPublicDomain: on.publicAccess.manager.domain,
    });
    expect(calls(c.sim, 'enableBrokerNodePublicEndpoint').map((r) => r.body)).toEqual([{ loadBalancerInstanceNo: Number(lb) }]);
    expect(calls(c.sim, 'enablePublicDomain')).toHaveLength(1);
    c.store.setSpec(withPublic({ brokers: { enabled: false }, manager: { enabled: false } }));
    await c.until((x) => ready(x) && (x.store.status() as any).publicAccess.manager.enabled === false);
    const off = c.store.status() as any;
    expect(off.publicAccess.brokers.enabled).toBe(false);
    expect(off.bootstrapServers.publicPlaintext).toBeUndefined();
    expect(c.store.configMaps.get('events-kafka')).not.toHaveProperty('bootstrapServersPublic');
    expect(calls(c.sim, 'disableBrokerNodePublicEndpoint')).toHaveLength(1);
    expect(calls(c.sim, 'disablePublicDomain')).toHaveLength(1);
    expect(c.store.eventReasons().filter((r) => r === 'PublicAccessChanged')).toHaveLength(4);
  });

  it('the manager public domain is looked up (C4) only when the spec manages it', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    const listed = () => c.sim.requests().filter((r) => r.path.endsWith('/cluster/getClusterInfoList')).length;
    const before = listed();
    await c.pass();
    expect(listed()).toBe(before);
    c.store.setSpec(kafkaSpec({ publicAccess: { manager: { enabled: false } } }));
    await c.pass();
    expect(listed()).toBeGreaterThan(before);
  });
});

describe('the CA certificate', () => {
  it('is fetched once per cluster, kept in status and published as ca.crt', async () => {
    const c = await nkafka('events', kafkaSpec({ connectionInfo: { configMapName: 'events-kafka' } }));
    await c.until(ready);
    for (let i = 0; i < 3; i++) await c.pass();
    expect(calls(c.sim, 'downloadCertificate')).toHaveLength(1);
    const pem = (c.store.status()['tls'] as { caCertificate: string }).caCertificate;
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(c.store.configMaps.get('events-kafka')!['ca.crt']).toBe(pem);
  });
});

describe('regions', () => {
  it('a region the configured site does not serve stalls UnknownRegion, saying which site serves what, before any cloud call', async () => {
    const c = await nkafka('events', kafkaSpec({ region: 'KRS' }));
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'UnknownRegion' });
    expect(c.store.condition('Stalled')!.message).toMatch(/KRS.*public site.*gov site KR \(capital area\) and KRS/);
    expect(c.sim.requests()).toEqual([]);
  });
});
