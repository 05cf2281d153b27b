// The managed reconciler as a specification, one sentence per case: real passes of the core with a
// kind's real adapter against the in-process cloud simulators, object writes through the core's
// in-memory store. Covers every action, every error class, every branch of the crash-safe create,
// deletion on proof of absence, verification and the Events of a pass.
import { describe, expect, it } from 'vitest';
import { EndpointNotFoundError } from '../../src/clouds/errors.ts';
import { TransientError, classify } from '../../src/runtime/errors.ts';
import type { CdssSimulator } from '../../src/simulators/cdss/index.ts';
import type { HadoopEcoSimulator } from '../../src/simulators/hadoop-eco/index.ts';
import {
  NS,
  components,
  gone,
  ready,
  hadoopEco,
  hecSpec,
  kafka,
  kafkaSpec,
  kakao,
  managerPassword,
  ncp,
  type Component,
} from '../support/component.ts';

const { hec, nkafka, track } = components();
const hadoopCreates = (sim: HadoopEcoSimulator) =>
  sim.requests().filter((r) => r.method === 'POST' && r.path === '/v2/hadoop-eco/clusters');
const cdssCreates = (sim: CdssSimulator) => sim.requests().filter((r) => /createCDSSCluster|createKvmCluster/.test(r.path));
const annotations = (c: Component<unknown>) => c.store.current()?.metadata.annotations ?? {};

/** A cluster made in the cloud by someone else (the console), running. */
async function consoleCluster(sim: HadoopEcoSimulator, name: string, over: Record<string, unknown> = {}): Promise<string> {
  const body = {
    name,
    clusterType: 'hadoop',
    clusterVersion: 'hde-2.0.1',
    isHa: false,
    keypairName: 'kp',
    masterFlavorName: 'm2a.xlarge',
    masterVolumeSize: 50,
    workerCnt: 2,
    workerFlavorName: 'm2a.xlarge',
    workerVolumeSize: 100,
    monitoring: false,
    securityGroupName: 'sg',
    vpcId: 'vpc-1',
    subnetId: 'subnet-1',
    config: { hdfsReplication: 2, hdfsBlockSize: 128 },
    ...over,
  };
  const res = await fetch(`${sim.url}/v2/hadoop-eco/clusters`, {
    method: 'POST',
    headers: { 'Credential-ID': kakao.credentialId, 'Credential-Secret': kakao.credentialSecret, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const { id } = (await res.json()) as { id: string };
  await sim.waitFor(id, (c) => c.status === 'Running');
  return id;
}

describe('actions', () => {
  it('Create: a new resource gets the finalizer with its create intent in one write before the one create, and its id right after', async () => {
    const c = await hec('alpha');
    const r = await c.pass();
    expect(r.error).toBeUndefined();
    expect(r.outcome).toEqual({ requeueAfter: 1 }); // busy cadence
    expect(c.store.ops()).toEqual(['recordIntent', 'annotate', 'writeStatus']); // the finalizer rides on the intent
    const [intent, id] = c.store.writes.map((w) => w.detail as Record<string, string>);
    expect(intent!['cdo.dev/create-requested']).toMatch(/^alpha@\d{4}-/);
    expect(intent!['finalizer']).toBe('cdo.dev/finalizer');
    expect(c.store.current()!.metadata.finalizers).toEqual(['cdo.dev/finalizer']);
    expect(id!['cdo.dev/cluster-id']).toBe(c.sim.clusters()[0]!.id);
    expect(hadoopCreates(c.sim)).toHaveLength(1);
    expect(c.store.status()).toMatchObject({
      phase: 'Creating',
      clusterId: c.sim.clusters()[0]!.id,
      clusterName: 'alpha',
      observedGeneration: 1,
    });
    expect(c.store.eventReasons()).toEqual(['CreateRequested']);
  });

  it('the cloud cluster is named spec.clusterName when set, metadata.name otherwise, on both clouds', async () => {
    const named = await hec('alpha', hecSpec({ clusterName: 'analytics-prod' }));
    await named.pass();
    expect(hadoopCreates(named.sim).map((r) => (r.body as { name: string }).name)).toEqual(['analytics-prod']);
    expect(named.store.status()['clusterName']).toBe('analytics-prod');
    const events = await nkafka('events', kafkaSpec({ clusterName: 'events-prod' }));
    await events.pass();
    const plain = await nkafka('events', kafkaSpec(), { sim: events.sim });
    await plain.pass();
    expect(cdssCreates(events.sim).map((r) => (r.body as { clusterName: string }).clusterName)).toEqual(['events-prod', 'events']);
  });

  it('Wait, then Done: observed while the cloud provisions, Ready with one Ready Event, and a steady pass writes nothing', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    expect(c.store.status()).toMatchObject({ phase: 'Running', workerCount: 2, cloudStatus: 'Running' });
    expect(c.store.eventReasons()).toEqual(['CreateRequested', 'Ready']);
    const writes = c.store.writes.length;
    const steady = await c.pass();
    // The steady cadence, up to a tenth later so resources drift apart.
    expect(steady.outcome!.requeueAfter).toBeGreaterThanOrEqual(60);
    expect(steady.outcome!.requeueAfter).toBeLessThanOrEqual(66);
    expect(c.store.writes).toHaveLength(writes);
    expect(c.store.eventReasons()).toEqual(['CreateRequested', 'Ready']);
  });

  it('ScaleOut: raising workerCount adds exactly the difference, in one call, with one ScalingOut Event', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    c.store.setSpec(hecSpec({ workerCount: 4 }));
    await c.pass();
    const scale = c.sim.requests().filter((r) => r.path.endsWith('/scale-out'));
    expect(scale.map((r) => r.body)).toEqual([{ scaleCnt: 2 }]);
    expect(c.store.eventReasons().slice(-1)).toEqual(['ScalingOut']);
    await c.until((x) => ready(x) && x.store.status()['workerCount'] === 4);
    expect(c.store.eventReasons().slice(-2)).toEqual(['ScalingOut', 'Ready']);
  });

  it('ScaleIn: lowering workerCount removes exactly the difference, never below the replication', async () => {
    const c = await hec('alpha', hecSpec({ workerCount: 3 }));
    await c.until(ready);
    c.store.setSpec(hecSpec({ workerCount: 2 }));
    await c.until((x) => ready(x) && x.store.status()['workerCount'] === 2);
    expect(
      c.sim
        .requests()
        .filter((r) => r.path.endsWith('/scale-in'))
        .map((r) => r.body),
    ).toEqual([{ scaleCnt: 1 }]);
    expect(c.store.eventReasons()).toContain('ScalingIn');
  });

  it('Stall: a workerCount below the cloud’s own replication stalls with no call, one Stalled Event, and no requeue', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    c.store.setSpec(hecSpec({ workerCount: 1, hdfs: { replication: 1, blockSizeMB: 128 } }));
    const r = await c.pass();
    expect(r.outcome).toEqual({ requeueAfter: undefined });
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'BelowReplication' });
    expect(c.sim.requests().filter((x) => x.path.includes('/scale-'))).toEqual([]);
    expect(c.store.events.at(-1)).toMatchObject({ type: 'Warning', reason: 'Stalled' });
    expect(c.store.events.at(-1)!.note).toMatch(/^BelowReplication: /);
  });

  it('Delete and ReleaseFinalizer: one delete, a wait for the tombstone, then the finalizer and the connection ConfigMap go', async () => {
    const c = await hec('alpha', hecSpec({ connectionInfo: { configMapName: 'alpha-endpoints' } }));
    await c.until(ready);
    expect(c.store.configMaps.get('alpha-endpoints')).toMatchObject({ clusterName: 'alpha', clusterId: c.sim.clusters()[0]!.id });
    c.store.delete();
    await c.until(gone);
    expect(c.sim.requests().filter((r) => r.method === 'DELETE')).toHaveLength(1);
    expect(c.sim.clusters()[0]!.status).toMatch(/^Terminated/);
    expect(c.store.configMaps.size).toBe(0);
    expect(c.store.eventReasons().slice(-2)).toEqual(['DeleteRequested', 'Deleted']);
  });

  it('AddBrokers: raising brokerCount adds the difference as a delta', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    c.store.setSpec(kafkaSpec({ brokerCount: 5 }));
    await c.until((x) => ready(x) && x.store.status()['brokerCount'] === 5);
    expect(
      c.sim
        .requests()
        .filter((r) => r.path.includes('changeCountOfBrokerNode'))
        .map((r) => r.body),
    ).toEqual([{ newBrokerNodeCount: 2 }]);
    expect(c.store.eventReasons()).toContain('AddingBrokers');
  });

  it('Upgrade: a version bump checks the config group, pre-checks, upgrades once, shows progress and clears it when done', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    c.store.setSpec(kafkaSpec({ kafkaVersionCode: 3903006, configGroupNo: 172 }));
    await c.pass();
    expect(c.store.status()['upgrade']).toMatchObject({ fromVersionCode: '3713006', toVersionCode: '3903006', toConfigGroupNo: 172 });
    expect(c.store.eventReasons().at(-1)).toBe('UpgradeStarted');
    await c.until((x) => ready(x) && x.store.status()['configGroupNo'] === 172);
    expect(c.store.status()['upgrade']).toBeUndefined();
    expect(c.sim.requests().filter((r) => r.path.endsWith('/rollingUpgrade'))).toHaveLength(1);
  });

  it('ResetPassword: a changed manager password Secret is reset in CDSS once, and remembered by its fingerprint only', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    const before = c.store.status()['managerPasswordHash'];
    c.secrets.set(NS, 'cmak', { password: ['New', 'pass2@', 'z'].join('-') });
    await c.pass();
    expect(c.sim.requests().filter((r) => /reset(MGMT|CMAK)Password/.test(r.path) && r.status === 200)).toHaveLength(1);
    expect(c.store.eventReasons().at(-1)).toBe('PasswordReset');
    expect(c.store.status()['managerPasswordHash']).not.toBe(before);
    expect(JSON.stringify(c.store.status())).not.toContain('pass2@');
    await c.pass();
    expect(c.sim.requests().filter((r) => /reset(MGMT|CMAK)Password/.test(r.path) && r.status === 200)).toHaveLength(1);
  });
});

describe('error classes', () => {
  it('transient: a cloud outage leaves status and Events as they were and hands the error to the backoff', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    const writes = c.store.writes.length;
    const events = c.store.events.length;
    c.sim.faults.set({ errorRate: 1 });
    const r = await c.pass();
    expect(classify(r.error)).toBe('transient');
    expect(c.store.writes).toHaveLength(writes);
    expect(c.store.events).toHaveLength(events);
  });

  it('invalid: a create the cloud refuses (400) is sent once, drops its intent, and stalls with the cloud’s words', async () => {
    const c = await hec('alpha', hecSpec({ keyPairName: ' ' }));
    const r = await c.pass();
    expect(classify(r.error)).toBe('invalid');
    expect(hadoopCreates(c.sim)).toHaveLength(1);
    expect(annotations(c)['cdo.dev/create-requested']).toBeUndefined();
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'CloudRejectedSpec' });
    expect(c.store.condition('Stalled')!.message).toMatch(/HTTP 400.*keypairName: must not be blank/);
    expect(c.store.eventReasons()).toEqual(['Stalled']);
  });

  it('terminal: wrong credentials stall as CredentialsInvalid on the first pass, with nothing created', async () => {
    const c = await hec('alpha');
    c.secrets.set(NS, 'kakao', { credentialId: kakao.credentialId, credentialSecret: 'not-the-secret' });
    const r = await c.pass();
    expect(classify(r.error)).toBe('terminal');
    expect(c.sim.clusters()).toEqual([]);
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'CredentialsInvalid' });
    expect(JSON.stringify(c.store.status())).not.toContain('not-the-secret');
    expect(c.store.eventReasons()).toEqual(['Stalled']);
  });

  it('invalid spec: an object that does not pass the schema stalls as InvalidSpec with no cloud call and no requeue', async () => {
    const c = await hec('alpha', { ...hecSpec(), workerCount: 'three' });
    const r = await c.pass();
    expect(r).toEqual({ outcome: undefined });
    expect(c.store.condition('Stalled')).toMatchObject({ status: 'True', reason: 'InvalidSpec' });
    expect(c.store.condition('Stalled')!.message).toMatch(/^workerCount: /);
    expect(c.sim.requests()).toEqual([]);
  });
});

describe('the crash-safe create', () => {
  it('a cache lagging behind our own id sends no second create: it plans again from fresh data', async () => {
    const c = await hec('alpha');
    const stale = c.store.current()!;
    await c.pass();
    const r = await c.pass({ ...stale, metadata: { ...stale.metadata, finalizers: ['cdo.dev/finalizer'] } });
    expect(r.error).toBeInstanceOf(TransientError);
    expect((r.error as TransientError).reason).toBe('StaleCache');
    expect(hadoopCreates(c.sim)).toHaveLength(1);
  });

  it('a crash between the create and the id annotation: the next operator finds its own cluster by name and adopts it', async () => {
    const c = await hec('alpha');
    c.store.failNext('annotate'); // the intent goes through, the id does not
    expect(classify((await c.pass()).error)).toBe('transient');
    expect(annotations(c)['cdo.dev/create-requested']).toBeDefined();
    expect(annotations(c)['cdo.dev/cluster-id']).toBeUndefined();
    c.restart();
    await c.pass();
    expect(annotations(c)['cdo.dev/cluster-id']).toBe(c.sim.clusters()[0]!.id);
    expect(c.store.eventReasons()).toEqual(['Adopted']);
    await c.until(ready);
    expect(hadoopCreates(c.sim)).toHaveLength(1);
  });

  it('a create whose answer never came keeps its intent; when nothing landed, the next pass creates once more', async () => {
    const c = await hec('alpha');
    c.sim.faults.set({ dropRate: 1, only: { methods: ['POST'] }, times: 1 });
    expect(classify((await c.pass()).error)).toBe('transient');
    expect(annotations(c)['cdo.dev/create-requested']).toBeDefined();
    await c.until(ready);
    expect(c.sim.clusters()).toHaveLength(1);
    expect(c.sim.requests().filter((r) => r.path === '/v2/hadoop-eco/clusters' && r.method === 'GET').length).toBeGreaterThan(0);
  });

  it('a create that landed but answered too late is adopted by name, never sent twice', async () => {
    const c = await hadoopEco('alpha', hecSpec(), { httpTimeoutMs: 150 });
    track(c.sim);
    c.sim.faults.set({ responseDelayMs: 400, only: { methods: ['POST'] }, times: 1 });
    expect(classify((await c.pass()).error)).toBe('transient');
    await c.until(ready);
    await new Promise((r) => setTimeout(r, 400)); // the simulator records the late answer once it is sent
    expect(c.sim.clusters()).toHaveLength(1);
    expect(hadoopCreates(c.sim)).toHaveLength(1);
    expect(c.store.eventReasons()).toEqual(['Adopted', 'Ready']);
  });

  it('a name taken by a stranger on the first attempt stalls as ClusterNameTaken, naming the cluster, with the intent dropped', async () => {
    const c = await hec('alpha');
    await consoleCluster(c.sim, 'alpha');
    const r = await c.pass();
    expect(classify(r.error)).toBe('invalid');
    const stalled = c.store.condition('Stalled')!;
    expect(stalled).toMatchObject({ status: 'True', reason: 'ClusterNameTaken' });
    expect(stalled.message).toMatch(/a live Hadoop Eco cluster named alpha already exists.*spec\.clusterId/);
    expect(annotations(c)['cdo.dev/create-requested']).toBeUndefined();
  });

  it('a name taken after an earlier create of ours keeps the intent and looks again (the cluster may be ours)', async () => {
    const c = await hec('alpha', hecSpec(), { annotations: { 'cdo.dev/create-requested': 'alpha@2026-01-01T00:00:00.000Z' } });
    const id = await consoleCluster(c.sim, 'alpha');
    // The lookup does not list it as live yet (it is being terminated), but its name is still taken.
    c.sim.admin.force(id, { status: 'Terminating' });
    const r = await c.pass();
    expect((r.error as TransientError).reason).toBe('CreateMayHaveLanded');
    expect(annotations(c)['cdo.dev/create-requested']).toBeDefined();
    expect(c.store.condition('Stalled')).toBeUndefined();
  });

  it('two live clusters with the name of our interrupted create stall as AmbiguousCluster; none is adopted or created', async () => {
    const c = await nkafka('events');
    const sim = c.sim;
    c.store.setAnnotations({ 'cdo.dev/create-requested': 'events@2026-01-01T00:00:00.000Z' });
    // Two creates by others landed under our name (CDSS names are unique per VPC among live clusters only).
    await (await kafka('events', kafkaSpec(), { sim })).pass();
    const first = sim.clusters()[0]!.serviceGroupInstanceNo;
    sim.admin.force(first, 'return');
    await (await kafka('events', kafkaSpec(), { sim })).pass();
    sim.admin.force(first, 'running');
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ reason: 'AmbiguousCluster' });
    expect(c.store.condition('Stalled')!.message).toContain('2 live clusters are named events');
    expect(cdssCreates(sim)).toHaveLength(2);
    expect(annotations(c)['cdo.dev/cluster-id']).toBeUndefined();
  });

  it('a CDSS G3 create returns no id: it is marked accepted, found by name, and adopted, never sent twice', async () => {
    const g3 = kafkaSpec({
      serverGeneration: 'G3',
      vpcName: 'vpc-a',
      serverSpecCode: 'cdss.s2-g3',
      manager: { ...(kafkaSpec()['manager'] as object), subnetName: 'sub-m' },
      broker: { ...(kafkaSpec()['broker'] as object), subnetName: 'sub-b' },
    });
    const c = await nkafka('events', g3);
    await c.pass();
    expect(annotations(c)['cdo.dev/create-requested']).toMatch(/ accepted$/);
    expect(annotations(c)['cdo.dev/cluster-id']).toBeUndefined();
    await c.pass();
    expect(annotations(c)['cdo.dev/cluster-id']).toBe(c.sim.clusters()[0]!.serviceGroupInstanceNo);
    expect(c.store.eventReasons()).toEqual(['CreateRequested', 'Adopted']);
    await c.until(ready);
    expect(cdssCreates(c.sim)).toHaveLength(1);
  });
});

describe('deletion on proof of absence', () => {
  it('with its credentials Secret missing and nothing created, a resource is deleted at once, without a cloud call', async () => {
    const c = await hec('alpha');
    c.secrets.remove(NS, 'kakao');
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ reason: 'SecretNotFound' });
    c.store.delete();
    await c.pass();
    expect(gone(c)).toBe(true);
    expect(c.sim.requests()).toEqual([]);
    expect(c.store.eventReasons().at(-1)).toBe('Deleted');
  });

  it('with the Secret gone after a restart, deleting a live cluster stalls naming the Secret and the way out; Retain lets go', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    c.secrets.remove(NS, 'kakao');
    c.restart();
    c.store.delete();
    const r = await c.pass();
    expect(classify(r.error)).toBe('invalid');
    const stalled = c.store.condition('Stalled')!;
    expect(stalled.reason).toBe('SecretNotFound');
    expect(stalled.message).toContain(`Secret ${NS}/kakao does not exist`);
    expect(stalled.message).toMatch(/deletes Hadoop Eco cluster \S+ first.*spec\.deletionPolicy to Retain/);
    expect(c.store.status()['phase']).toBe('Deleting');
    expect(gone(c)).toBe(false);
    c.store.setSpec(hecSpec({ deletionPolicy: 'Retain' }));
    await c.pass();
    expect(gone(c)).toBe(true);
    expect(c.sim.clusters()[0]!.status).toBe('Running');
  });

  it('a namespace going away deletes the Secret first: the same operator still deletes the cluster with the credentials it last used', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    c.secrets.remove(NS, 'kakao');
    c.store.delete();
    await c.until(gone);
    expect(c.sim.clusters()[0]!.status).toMatch(/^Terminated/);
  });

  it('a 404 from a proxy while deleting proves nothing: EndpointNotFound names the URL and the finalizer stays', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    const id = c.sim.clusters()[0]!.id;
    c.sim.faults.set({ routeNotFoundRate: 1, only: { paths: [`/clusters/${id}`] } });
    c.store.delete();
    const r = await c.pass();
    expect(r.error).toBeInstanceOf(EndpointNotFoundError);
    expect(c.store.condition('Stalled')).toMatchObject({ reason: 'EndpointNotFound' });
    expect(c.store.condition('Stalled')!.message).toContain(`${c.sim.url}/v2/hadoop-eco/clusters/${id}`);
    expect(gone(c)).toBe(false);
    c.sim.faults.reset();
    await c.until(gone);
    expect(c.sim.clusters()[0]!.status).toMatch(/^Terminated/);
  });

  it("the API's own 404, confirmed by its list, releases the finalizer of a cluster that vanished", async () => {
    const c = await hec('alpha');
    await c.until(ready);
    const id = c.store.status()['clusterId'] as string;
    c.sim.admin.reset(); // the cloud forgot the cluster (and its request log)
    c.store.delete();
    await c.pass();
    expect(gone(c)).toBe(true);
    expect(c.sim.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /v2/hadoop-eco/clusters/${id} 404`,
      'GET /v2/hadoop-eco/clusters 200',
    ]);
  });

  it('adopting a spec.clusterId behind a proxy 404 is EndpointNotFound; one the API confirms absent is ClusterNotFound', async () => {
    const c = await hec('legacy', hecSpec({ clusterId: 'c-nope' }));
    c.sim.faults.set({ routeNotFoundRate: 1, only: { paths: ['/clusters/c-nope'] } });
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ reason: 'EndpointNotFound' });
    c.sim.faults.reset();
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ reason: 'ClusterNotFound' });
    expect(c.sim.requests().filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('CDSS: `result: null` for the cluster, confirmed by the list, releases; the list showing it would not', async () => {
    const c = await nkafka('events', kafkaSpec(), { simOptions: { unknownClusterResult: 'null' } });
    await c.until(ready);
    c.sim.admin.reset();
    c.store.delete();
    await c.pass();
    expect(gone(c)).toBe(true);
    expect(c.sim.requests().some((r) => r.path.endsWith('/cluster/getClusterInfoList'))).toBe(true);
  });
});

describe('policies', () => {
  it('Retain and ObserveOnly let go without a cloud call and without credentials', async () => {
    for (const over of [{ deletionPolicy: 'Retain' }, { managementPolicy: 'ObserveOnly', clusterId: 'x' }]) {
      const c = await hec('alpha', hecSpec(over));
      await c.pass();
      c.secrets.remove(NS, 'kakao');
      const before = c.sim.requests().length;
      c.store.delete();
      await c.pass();
      expect(gone(c)).toBe(true);
      expect(c.sim.requests()).toHaveLength(before);
    }
  });

  it('ObserveOnly without a clusterId stalls as ClusterIdRequired: no finalizer, no cloud call', async () => {
    const c = await hec('alpha', hecSpec({ managementPolicy: 'ObserveOnly' }));
    await c.pass();
    expect(c.store.condition('Stalled')).toMatchObject({ reason: 'ClusterIdRequired' });
    expect(c.store.current()!.metadata.finalizers ?? []).toEqual([]);
    expect(c.sim.requests()).toEqual([]);
  });

  it('pause: reads only, phase Paused previewing the edit, one Paused Event; removing it carries the edit out', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    c.store.setAnnotations({ 'cdo.dev/paused': 'true' });
    c.store.setSpec(hecSpec({ workerCount: 3 }));
    const before = c.sim.requests().length;
    await c.pass();
    await c.pass();
    // Hadoop Eco reads are GETs; every change is a POST or a DELETE.
    expect(
      c.sim
        .requests()
        .slice(before)
        .filter((r) => r.method !== 'GET'),
    ).toEqual([]);
    expect(c.store.status()['phase']).toBe('Paused');
    expect(c.store.status()['pendingChanges']).toEqual([
      expect.objectContaining({ action: 'ScaleOut', from: '2 workers', to: '3 workers', disruption: 'None', waitingFor: 'Nothing' }),
    ]);
    expect(c.store.condition('Reconciling')?.message).toContain('then: adding 1 workers (2 → 3)');
    expect(c.store.eventReasons().filter((r) => r === 'Paused')).toHaveLength(1);
    c.store.setAnnotations({ 'cdo.dev/paused': null });
    await c.pass();
    expect(c.store.eventReasons().at(-1)).toBe('ScalingOut');
    // Ready only once the cloud has the workers: while it adds them, the started change is the plan.
    await c.until(ready);
    expect(c.store.status()['workerCount']).toBe(3);
    expect(c.store.status()['pendingChanges']).toBeUndefined();
  });
});

describe('what the cloud applied', () => {
  it('a cluster whose cloud matches the spec says so in SpecApplied', async () => {
    const c = await hec('alpha', hecSpec({ configFileUrl: 'https://objectstorage.example/conf.json' }));
    await c.until(ready);
    expect(c.store.condition('SpecApplied')).toMatchObject({ status: 'True', reason: 'CloudMatchesSpec' });
  });

  it('a difference the operator cannot fix is named field by field, once, and the cluster stays Ready', async () => {
    const c = await hec('legacy', hecSpec());
    const id = await consoleCluster(c.sim, 'legacy', { workerFlavorName: 'm2a.2xlarge', monitoring: true });
    c.store.setSpec(hecSpec({ clusterId: id, clusterName: 'legacy' }));
    await c.until(ready);
    const applied = c.store.condition('SpecApplied')!;
    expect(applied).toMatchObject({ status: 'False', reason: 'CloudDiffers' });
    expect(applied.message).toContain('worker.flavorName: spec m2a.xlarge, cloud m2a.2xlarge');
    expect(applied.message).toContain('monitoring: spec false, cloud true');
    await c.pass();
    await c.pass();
    expect(c.store.eventReasons().filter((r) => r === 'SpecNotApplied')).toHaveLength(1);
    expect(c.store.events.find((e) => e.reason === 'SpecNotApplied')).toMatchObject({ type: 'Warning' });
  });

  it('Kafka: a broker storage size the cloud did not apply is reported', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    c.store.setSpec(kafkaSpec({ broker: { ...(kafkaSpec()['broker'] as object), storageSizeGB: 200 } }));
    await c.pass();
    expect(c.store.condition('SpecApplied')!.message).toContain('broker.storageSizeGB: spec 200, cloud 100');
    expect(JSON.stringify(c.store.status())).not.toContain(ncp.secretKey);
    expect(JSON.stringify(c.store.events)).not.toContain(managerPassword);
  });
});

describe('Secrets', () => {
  it('a pass reads exactly the Secrets its spec names, each once, and a resource gone reads none any more', async () => {
    const c = await hec('alpha');
    await c.pass();
    expect([...c.secrets.reads.get(`HadoopEcoCluster ${NS}/alpha`)!].sort()).toEqual([`${NS}/hue-admin`, `${NS}/kakao`]);
    c.store.setSpec(hecSpec({ adminAccount: undefined }));
    await c.pass();
    expect(c.secrets.reads.get(`HadoopEcoCluster ${NS}/alpha`)).toEqual([`${NS}/kakao`]);
    c.store.delete();
    await c.until(gone);
    await c.pass();
    expect(c.secrets.reads.size).toBe(0);
  });
});

describe('Events', () => {
  it('a whole lifecycle records exactly one Event per action or transition', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    c.store.setSpec(hecSpec({ workerCount: 3 }));
    await c.until((x) => ready(x) && x.store.status()['workerCount'] === 3);
    for (let i = 0; i < 3; i++) await c.pass(); // steady passes add nothing
    c.store.delete();
    await c.until(gone);
    expect(c.store.eventReasons()).toEqual(['CreateRequested', 'Ready', 'ScalingOut', 'Ready', 'DeleteRequested', 'Deleted']);
  });
});
