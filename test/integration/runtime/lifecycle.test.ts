// The controller runtime against the real control plane, driven through a toy operator running
// as a child process: create/update/delete drive reconciles, our finalizer coexists with a foreign
// one, events are recorded, and a reconcile that changes nothing writes nothing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  auditedRequests,
  clients,
  createWidget,
  findWidget,
  freshNamespace,
  getWidget,
  installCrd,
  patchWidget,
  writeVerbs,
  jsonPatch,
  W,
} from '../../support/cluster.ts';
import { eventually, OperatorProcess } from '../../support/operator-process.ts';

const kubeconfigPath = inject('kubeconfigPath');
const { kc, custom, events } = clients(kubeconfigPath);
const foreign = 'example.com/keep-me';
let ns: string;
let op: OperatorProcess;

beforeAll(async () => {
  await installCrd(kc);
  ns = await freshNamespace(kc, 'lifecycle');
  op = new OperatorProcess('toy-lifecycle', '../fixtures/toy-operator.ts', {
    KUBECONFIG: kubeconfigPath,
    CDO_LEADER_ELECT: 'false',
    CDO_WATCH_NAMESPACES: ns,
    TOY_RESYNC_MS: '1500',
  });
  await op.waitForLog((l) => l.msg === 'controller started');
});

afterAll(async () => {
  const exit = await op?.stop();
  expect(exit?.code).toBe(0);
});

describe('controller runtime lifecycle', () => {
  it('reconciles a new object: adds the finalizer and writes status with observedGeneration', async () => {
    await createWidget(kc, ns, 'alpha', { replicas: 2, size: 'small', message: 'hello' });
    const w = await eventually(async () => {
      const o = await getWidget(kc, ns, 'alpha');
      return o.status?.replicas === 2 ? o : undefined;
    });
    expect(w.metadata.finalizers).toEqual(['test.cdo.dev/toy']);
    expect(w.status.observedGeneration).toBe(w.metadata.generation);
    expect(w.status.message).toBe('hello');
    expect(w.status.conditions.map((c: any) => [c.type, c.status])).toEqual([
      ['Ready', 'True'],
      ['Reconciling', 'False'],
      ['Stalled', 'False'],
    ]);
  });

  it('reconciles a spec update and keeps a foreign finalizer added alongside ours', async () => {
    const before = await getWidget(kc, ns, 'alpha');
    await custom.patchNamespacedCustomObject(
      {
        ...W,
        namespace: ns,
        name: 'alpha',
        body: [
          { op: 'test', path: '/metadata/finalizers', value: before.metadata.finalizers },
          { op: 'add', path: '/metadata/finalizers/-', value: foreign },
        ],
      },
      jsonPatch,
    );
    await patchWidget(kc, ns, 'alpha', { spec: { replicas: 5, message: 'updated' } });
    const w = await eventually(async () => {
      const o = await getWidget(kc, ns, 'alpha');
      return o.status?.replicas === 5 && o.status.observedGeneration === o.metadata.generation ? o : undefined;
    });
    expect(w.status.message).toBe('updated');
    expect(w.metadata.finalizers).toEqual(['test.cdo.dev/toy', foreign]);
  });

  it('records events.k8s.io/v1 events with microsecond eventTime for what it did', async () => {
    const list = await eventually(async () => {
      const l = await events.listNamespacedEvent({ namespace: ns });
      return l.items.filter((e) => e.regarding?.name === 'alpha' && e.reason === 'Mirrored').length >= 2 ? l : undefined;
    });
    const ours = list.items.filter((e) => e.regarding?.name === 'alpha');
    expect(ours[0]).toMatchObject({
      action: 'Mirror',
      type: 'Normal',
      reportingController: 'cdo.dev/cloud-data-operator',
      reportingInstance: 'toy-lifecycle',
    });
    expect(ours.map((e) => e.note).sort()).toEqual(['replicas=2', 'replicas=5']);
  });

  it('makes zero writes when periodic resyncs find nothing to change (audit log)', async () => {
    const since = new Date();
    const reconcilesBefore = await op.metric('controller_runtime_reconcile_total', { controller: 'widget' });
    // The toy resyncs every ~1.5 s: wait for several reconciles of the unchanged object.
    await eventually(
      async () => (await op.metric('controller_runtime_reconcile_total', { controller: 'widget' })) >= reconcilesBefore + 3,
      20_000,
    );
    const requests = await auditedRequests(inject('auditLogPath'), 'cloud-data-operator/', since);
    const writes = requests.filter((r) => writeVerbs.has(r.verb));
    expect(writes, JSON.stringify(writes, null, 1)).toEqual([]);
  });

  it('on delete, removes only its own finalizer; the object goes once the foreign one is removed', async () => {
    await custom.deleteNamespacedCustomObject({ ...W, namespace: ns, name: 'alpha' });
    const w = await eventually(async () => {
      const o = await getWidget(kc, ns, 'alpha');
      return o.metadata.finalizers?.length === 1 ? o : undefined;
    });
    expect(w.metadata.finalizers).toEqual([foreign]);
    expect(w.metadata.deletionTimestamp).toBeDefined();
    await patchWidget(kc, ns, 'alpha', { metadata: { finalizers: null } });
    await eventually(async () => (await findWidget(kc, ns, 'alpha')) === undefined);
  });

  it('shuts down gracefully on SIGTERM, finishing the reconcile in flight', async () => {
    const ns = await freshNamespace(kc, 'shutdown');
    const slow = new OperatorProcess('toy-slow', '../fixtures/toy-operator.ts', {
      KUBECONFIG: kubeconfigPath,
      CDO_LEADER_ELECT: 'false',
      CDO_WATCH_NAMESPACES: ns,
      TOY_RECONCILE_DELAY_MS: '2000',
    });
    await slow.waitForLog((l) => l.msg === 'controller started');
    await createWidget(kc, ns, 'slow', { replicas: 1, size: 'small' });
    await slow.waitForLog((l) => l.msg === 'reconcile started' && l['key'] !== undefined);
    const exit = await slow.stop('SIGTERM');
    expect(exit.code).toBe(0);
    const msgs = slow.lines.map((l) => l.msg);
    const finished = msgs.findIndex((m) => typeof m === 'string' && m.startsWith('reconcile finished'));
    expect(finished).toBeGreaterThan(msgs.indexOf('signal received'));
    expect(finished).toBeLessThan(msgs.indexOf('stopped'));
  });
});
