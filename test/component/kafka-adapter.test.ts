// The KafkaCluster adapter (resources/kafka/adapter.ts) through real passes of the core against
// the in-process CDSS simulator: what is asked of CDSS in each state, the version list cache, the
// upgrade's checks and progress, the manager password (when it is read, checked, remembered and
// reset), the lookup by name within the VPC, and the connection-info ConfigMap.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CdssSimulator } from '../../src/simulators/cdss/index.ts';
import { NS, kafka, kafkaSpec, managerPassword, type Component } from '../support/component.ts';

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
