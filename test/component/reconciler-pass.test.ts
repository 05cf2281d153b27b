// One pass of the managed reconciler as a specification, beyond the actions: what it returns (the
// cadence), the status fields it keeps and writes, what it leaves alone (a deleted object, one
// being deleted by someone else, a paused one), the Event notes, what it logs, and which
// credentials a deletion may still use. Real passes of the core with a kind's real adapter against
// the in-process simulators, object writes through the core's in-memory store.
import { describe, expect, it } from 'vitest';
import { hadoopEcoAdapter } from '../../src/resources/hadoop-eco/adapter.ts';
import { hadoopEcoCrd } from '../../src/resources/hadoop-eco/schema.ts';
import { CloudClients } from '../../src/resources/core/credentials.ts';
import { managedReconciler } from '../../src/resources/core/reconciler.ts';
import type { ResourceStore } from '../../src/resources/core/store.ts';
import { phaseViolations, type PhasedStatus } from '../../src/resources/core/phases.ts';
import { classify } from '../../src/runtime/errors.ts';
import type { KubeObject } from '../../src/runtime/object.ts';
import { startHadoopEcoSimulator, type HadoopEcoSimulator } from '../../src/simulators/hadoop-eco/index.ts';
import { NS, components, gone, ready, hadoopSecrets, hecSpec, http, kafkaSpec, kakao, tick } from '../support/component.ts';
import { MemoryStore, silentLog } from '../support/memory-store.ts';

const { hec, nkafka, track } = components();
const deletes = (sim: HadoopEcoSimulator) => sim.requests().filter((r) => r.method === 'DELETE');
/** A simulator whose clusters stay in one state for as long as a test runs, unless told otherwise. */
const slow = { timeScale: 1, provisionMs: 0, terminateMs: 600_000 };

describe('what a pass returns', () => {
  it('a pass that waits on a provisioning cloud asks to look again at the busy cadence', async () => {
    const c = await hec('alpha', hecSpec(), { simOptions: { timeScale: 1, provisionMs: 600_000 } });
    await c.pass(); // Create
    const r = await c.pass();
    expect(r).toEqual({ outcome: { requeueAfter: 1 } });
    expect(c.store.status()['phase']).toBe('Creating');
  });

  it('the pass that releases the finalizer ends the resource: no requeue, no error, nothing written after', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    c.store.delete();
    await c.until((x) => x.store.eventReasons().includes('DeleteRequested'));
    let last = await c.pass();
    while (!gone(c)) {
      await tick();
      last = await c.pass();
    }
    expect(last).toEqual({ outcome: undefined });
    expect(c.store.ops().at(-1)).toBe('removeFinalizer');
  });

  it('a pass for an object already gone from the cache does nothing', async () => {
    const c = await hec('alpha');
    c.store.delete(); // no finalizer yet: it goes at once
    expect(await c.pass()).toEqual({ outcome: undefined });
    expect(c.store.writes).toEqual([]);
    expect(c.sim.requests()).toEqual([]);
  });
});

describe('the status a pass writes', () => {
  it('records the generation it handled and the reconcile request it answered', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    c.store.setSpec(hecSpec({ workerCount: 3 }));
    c.store.setAnnotations({ 'cdo.dev/reconcile-requested-at': '2026-03-04T05:06:07Z' });
    await c.pass();
    expect(c.store.status()).toMatchObject({ observedGeneration: 2, lastHandledReconcileAt: '2026-03-04T05:06:07Z' });
  });

  it('keeps when the delete was sent, over the passes that wait for the cloud to delete', async () => {
    const c = await hec('alpha', hecSpec(), { simOptions: slow });
    await c.until(ready);
    c.store.delete();
    await c.pass();
    const sentAt = c.store.status()['deleteRequestedAt'];
    expect(sentAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    await c.pass();
    await c.pass();
    expect(c.store.status()).toMatchObject({ phase: 'Deleting', deleteRequestedAt: sentAt });
  });

  it('a delete the cloud has not started on yet is not sent again', async () => {
    const c = await hec('alpha', hecSpec(), { simOptions: slow });
    await c.until(ready);
    c.store.delete();
    await c.pass();
    c.sim.admin.force(c.sim.clusters()[0]!.id, { status: 'Running' }); // the cloud still says Running
    await c.pass();
    await c.pass();
    expect(deletes(c.sim)).toHaveLength(1);
    expect(c.store.status()['phase']).toBe('Deleting');
    expect(c.store.eventReasons().filter((r) => r === 'DeleteRequested')).toHaveLength(1);
  });

  it('a spec that no longer passes the schema stalls with every issue by its path, keeping the identity it had', async () => {
    const c = await hec('alpha', hecSpec({ clusterName: 'analytics-prod' }));
    await c.until(ready);
    const id = c.store.status()['clusterId'];
    c.store.setSpec({ ...hecSpec({ clusterName: 'analytics-prod' }), workerCount: 'three', master: { flavorName: 7, volumeSize: 50 } });
    await c.pass();
    const stalled = c.store.condition('Stalled')!;
    expect(stalled.reason).toBe('InvalidSpec');
    const issues = stalled.message.split('; ');
    expect(issues).toHaveLength(2);
    expect(issues.some((i) => i.startsWith('master.flavorName: '))).toBe(true);
    expect(issues.some((i) => i.startsWith('workerCount: '))).toBe(true);
    expect(c.store.status()).toMatchObject({ phase: 'Running', clusterId: id, clusterName: 'analytics-prod' });
  });

  it('an invalid spec on a new resource reports the cloud name it would have used: metadata.name', async () => {
    const c = await hec('alpha', { ...hecSpec(), workerCount: 'three' });
    await c.pass();
    expect(c.store.status()).toMatchObject({ phase: 'Pending', clusterName: 'alpha' });
  });

  it('a job cluster first seen after it completed gets no SpecApplied verdict: nothing runs to compare', async () => {
    const job = { type: 'hive', terminationPolicy: 'onSuccess', hiveQuery: 'select 1' };
    const c = await hec('job', hecSpec({ userTask: job }));
    await c.pass();
    const id = c.store.status()['clusterId'] as string;
    await c.sim.waitFor(id, (x) => x.status.startsWith('Terminated'));
    await c.pass();
    expect(c.store.status()['phase']).toBe('Completed');
    expect(c.store.condition('SpecApplied')).toBeUndefined();
  });

  it('a failure that is neither transient nor classified (a bug, an unexpected answer) is retried, never reported as Stalled', async () => {
    const c = await hec('alpha');
    const bug = new Error('unexpected');
    c.store.failNext('writeStatus', { error: bug });
    const r = await c.pass();
    expect(r.error).toBe(bug);
    expect(classify(r.error)).toBe('transient');
    expect(c.store.status()).toEqual({});
    expect(c.store.events).toEqual([]);
  });
});

describe('what a pass leaves alone', () => {
  it('a resource being deleted that never got our finalizer is none of our business', async () => {
    const c = await hec('alpha');
    c.store.object!.metadata.finalizers = ['example.com/keep'];
    c.store.delete();
    expect(await c.pass()).toEqual({ outcome: undefined });
    expect(c.store.writes).toEqual([]);
    expect(c.store.events).toEqual([]);
    expect(c.sim.requests()).toEqual([]);
  });

  it('a new resource created paused gets no finalizer and no cloud call until the annotation goes', async () => {
    const c = await hec('alpha', hecSpec(), { annotations: { 'cdo.dev/paused': 'true' } });
    expect(await c.pass()).toEqual({ outcome: undefined });
    expect(c.store.current()!.metadata.finalizers ?? []).toEqual([]);
    expect(c.store.status()['phase']).toBe('Paused');
    expect(c.sim.requests()).toEqual([]);
    c.store.setAnnotations({ 'cdo.dev/paused': null });
    await c.pass();
    expect(c.store.current()!.metadata.finalizers).toEqual(['cdo.dev/finalizer']);
    expect(c.sim.clusters()).toHaveLength(1);
  });

  it('a paused resource that is deleted shows Deleting, and keeps its cluster and its finalizer until the annotation goes', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    c.store.setAnnotations({ 'cdo.dev/paused': 'true' });
    await c.pass();
    expect(c.store.status()['phase']).toBe('Paused');
    c.store.delete();
    const before = c.sim.requests().length;
    const events = c.store.eventReasons().length;
    await c.pass();
    await c.pass();
    expect(c.sim.requests()).toHaveLength(before);
    expect(gone(c)).toBe(false);
    // Deleting, as docs/operations.md#pause says; Reconciling names the pause that holds it.
    expect(c.store.status()['phase']).toBe('Deleting');
    expect(c.store.condition('Reconciling')).toMatchObject({ status: 'True', reason: 'Paused' });
    expect(c.store.condition('Reconciling')?.message).toMatch(/deletion waits/);
    expect(phaseViolations(c.store.status() as PhasedStatus, { deleting: true, paused: true })).toEqual([]);
    // Still paused: neither a Resumed nor a second Paused Event.
    expect(c.store.eventReasons().slice(events)).toEqual([]);
    c.store.setAnnotations({ 'cdo.dev/paused': null });
    await c.until(gone);
    expect(deletes(c.sim)).toHaveLength(1);
  });

  it('Kafka: deleting needs no manager password; a cluster whose password Secret went first is still deleted', async () => {
    const c = await nkafka('events');
    await c.until(ready);
    c.secrets.remove(NS, 'cmak');
    c.store.delete();
    await c.until(gone);
    expect(c.store.condition('Stalled')?.status ?? 'False').toBe('False');
    expect(c.store.eventReasons().slice(-2)).toEqual(['DeleteRequested', 'Deleted']);
  });
});

describe('Event notes', () => {
  it('CreateRequested repeats what status says and names the new cluster id', async () => {
    const c = await hec('alpha');
    await c.pass();
    const id = c.sim.clusters()[0]!.id;
    const note = c.store.events[0]!.note;
    expect(note.startsWith(c.store.condition('Reconciling')!.message)).toBe(true);
    expect(note).toContain(id);
  });

  it('a create that returned no id (CDSS G3) has nothing to name: the note is what status says', async () => {
    const g3 = kafkaSpec({
      serverGeneration: 'G3',
      vpcName: 'vpc-a',
      serverSpecCode: 'cdss.s2-g3',
      manager: { ...(kafkaSpec()['manager'] as object), subnetName: 'sub-m' },
      broker: { ...(kafkaSpec()['broker'] as object), subnetName: 'sub-b' },
    });
    const c = await nkafka('events', g3);
    await c.pass();
    expect(c.store.events[0]!.reason).toBe('CreateRequested');
    expect(c.store.events[0]!.note).toBe(c.store.condition('Reconciling')!.message);
    await c.pass();
    const adopted = c.store.events.find((e) => e.reason === 'Adopted')!;
    expect(adopted.note).toContain(c.sim.clusters()[0]!.serviceGroupInstanceNo);
  });
});

describe('logs', () => {
  it('an accepted create is logged with the new cluster id and its name, so a lost id can be found', async () => {
    const c = await hec('alpha', hecSpec({ clusterName: 'analytics-prod' }));
    await c.pass();
    const id = c.sim.clusters()[0]!.id;
    expect(c.logs).toContainEqual(
      expect.objectContaining({ clusterId: id, clusterName: 'analytics-prod', msg: expect.stringMatching(/\w/) }),
    );
  });
});

describe('the credentials a pass uses', () => {
  it('a Secret removed from a live resource stalls it: the credentials used last serve only a deletion', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    c.secrets.remove(NS, 'kakao');
    c.store.setSpec(hecSpec({ workerCount: 3 }));
    const r = await c.pass();
    expect(classify(r.error)).toBe('invalid');
    const stalled = c.store.condition('Stalled')!;
    expect(stalled.reason).toBe('SecretNotFound');
    expect(stalled.message).toContain(`${NS}/kakao`);
    expect(stalled.message).not.toContain('deletionPolicy'); // the way out of a blocked deletion only
    expect(c.sim.requests().filter((x) => x.path.endsWith('/scale-out'))).toEqual([]);
  });

  it('deleting with the Secret gone logs that the credentials used last stand in, and why', async () => {
    const c = await hec('alpha');
    await c.until(ready);
    c.secrets.remove(NS, 'kakao');
    c.store.delete();
    await c.until(gone);
    expect(c.logs).toContainEqual(expect.objectContaining({ level: 30, reason: 'SecretNotFound', msg: expect.stringMatching(/\w/) }));
  });

  it('deleting an interrupted create after a restart without its Secret says it must find and delete that cluster first', async () => {
    const c = await hec('alpha', hecSpec(), { annotations: { 'cdo.dev/create-requested': 'alpha@2026-01-01T00:00:00.000Z' } });
    c.secrets.remove(NS, 'kakao');
    await c.pass(); // holds the finalizer; the lookup by name needs the credentials
    c.store.delete();
    await c.pass();
    const stalled = c.store.condition('Stalled')!;
    expect(stalled.reason).toBe('SecretNotFound');
    expect(stalled.message).toContain('interrupted create');
    expect(stalled.message).toContain('spec.deletionPolicy to Retain');
    expect(gone(c)).toBe(false);
  });

  it('each resource is deleted with the credentials it used last, when a namespace takes all its Secrets at once', async () => {
    const sim = await startHadoopEcoSimulator({ credentials: [kakao], timeScale: 0, seed: 11 });
    track(sim);
    const secrets = hadoopSecrets();
    const object = (name: string): KubeObject => ({
      apiVersion: 'kakaocloud.cdo.dev/v1alpha1',
      kind: 'HadoopEcoCluster',
      metadata: { name, namespace: NS, uid: `uid-${name}`, resourceVersion: '1', generation: 1 },
      spec: hecSpec(),
    });
    const stores = new Map([
      ['alpha', new MemoryStore(object('alpha'))],
      ['beta', new MemoryStore(object('beta'))],
    ]);
    const of = (obj: KubeObject) => stores.get(obj.metadata.name)!;
    const store: ResourceStore = {
      annotate: (o, v) => of(o).annotate(o, v),
      recordIntent: (o, v) => of(o).recordIntent(o, v),
      addFinalizer: (o) => of(o).addFinalizer(o),
      removeFinalizer: (o) => of(o).removeFinalizer(),
      writeStatus: (o, s) => of(o).writeStatus(o, s),
      publish: (o, n, d) => of(o).publish(o, n, d),
      unpublish: (o, n) => of(o).unpublish(o, n),
      event: (o, e) => of(o).event(o, e),
    };
    const adapter = hadoopEcoAdapter({ http: http(), log: silentLog, endpoints: { 'kr-central-2': sim.url } });
    const reconcile = managedReconciler(hadoopEcoCrd, adapter, {
      store,
      secrets,
      clients: new CloudClients({ ...adapter.credentials, connect: adapter.connect }),
      cadence: { busySeconds: 1, steadySeconds: 60 },
    });
    const pass = async (name: string) => {
      const object = stores.get(name)!.current();
      await reconcile({ key: { namespace: NS, name }, object, signal: new AbortController().signal, log: silentLog }).catch(
        () => undefined,
      );
      await tick();
    };
    const isReady = (name: string) => stores.get(name)!.condition('Ready')?.status === 'True';
    for (let i = 0; i < 40 && !(isReady('alpha') && isReady('beta')); i++) {
      await pass('alpha');
      await pass('beta');
    }
    secrets.remove(NS, 'kakao');
    for (const s of stores.values()) s.delete();
    for (let i = 0; i < 40 && [...stores.values()].some((s) => s.object); i++) {
      await pass('alpha');
      await pass('beta');
    }
    expect([...stores.values()].map((s) => s.object)).toEqual([undefined, undefined]);
    expect(sim.clusters().map((x) => x.status)).toEqual([expect.stringMatching(/^Terminated/), expect.stringMatching(/^Terminated/)]);
  });
});
