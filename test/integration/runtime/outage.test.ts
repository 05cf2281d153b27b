// The runtime survives the API server misbehaving. This file starts its own control plane, since
// it stops, restarts and freezes the kube-apiserver (etcd keeps running throughout):
// - /readyz is 503 until the caches have synced (here: until the CRD exists), then 200;
// - /metrics carries controller-runtime's series;
// - an apiserver outage during which objects change (through a second apiserver on the same
//   etcd, then compacted) ends in a 410 Gone, a relist, and reconciles of what changed;
// - a frozen apiserver (SIGSTOP) makes the watch go silent; the watchdog restarts it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane, type ExtraApiServer } from '../../../src/devenv/control-plane/index.ts';
import { clients, createWidget, freshNamespace, getWidget, installCrd, patchWidget } from '../../support/cluster.ts';
import { eventually, OperatorProcess } from '../../support/operator-process.ts';

let cp: ControlPlane;
let op: OperatorProcess;
let ns: string;
let extra: ExtraApiServer | undefined;

beforeAll(async () => {
  cp = await startControlPlane();
  const { kc } = clients(cp.kubeconfigPath);
  ns = await freshNamespace(kc, 'outage');
  op = new OperatorProcess('toy-outage', '../fixtures/toy-operator.ts', {
    KUBECONFIG: cp.kubeconfigPath,
    CDO_LEADER_ELECT: 'false',
    CDO_WATCH_NAMESPACES: ns,
    // A short watchdog so the frozen-apiserver case is quick; the server-side timeout stays long.
    CDO_WATCH_IDLE_TIMEOUT: '3',
    CDO_WATCH_TIMEOUT: '290',
  });
}, 180_000);

afterAll(async () => {
  cp?.signalApiServer('SIGCONT');
  await op?.stop('SIGKILL');
  await extra?.stop();
  await cp?.stop();
});

describe('runtime under API server faults', () => {
  it('is live at once but ready only after its caches synced', async () => {
    expect((await op.get('/healthz')).status).toBe(200);
    // The CRD does not exist yet, so the first LIST fails (404) and the cache cannot sync.
    await op.waitForLog((l) => l.msg === 'list/watch failed; retrying');
    const notReady = await op.get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toContain('caches not synced');
    await installCrd(clients(cp.kubeconfigPath).kc);
    await eventually(async () => (await op.get('/readyz')).status === 200, 45_000);
    await op.waitForLog((l) => l.msg === 'controller started');
  });

  it('exposes controller-runtime metrics', async () => {
    const { kc } = clients(cp.kubeconfigPath);
    await createWidget(kc, ns, 'metered', { replicas: 1, size: 'small' });
    await eventually(async () => (await getWidget(kc, ns, 'metered')).status?.replicas === 1);
    const { body } = await op.get('/metrics');
    for (const series of [
      'controller_runtime_reconcile_total{controller="widget",result="success"}',
      'controller_runtime_reconcile_errors_total{controller="widget"}',
      'controller_runtime_reconcile_time_seconds_bucket{le="0.005",controller="widget"}',
      'workqueue_depth{name="widget",controller="widget"}',
      'workqueue_adds_total{name="widget",controller="widget"}',
      'workqueue_retries_total{name="widget",controller="widget"}',
      'controller_runtime_max_concurrent_reconciles{controller="widget"} 2',
      'rest_client_requests_total{code="200",method="PATCH"}',
      'process_open_fds',
    ]) {
      expect(body, series).toContain(series);
    }
    expect(await op.metric('controller_runtime_reconcile_total', { controller: 'widget', result: 'success' })).toBeGreaterThan(0);
    expect(await op.metric('workqueue_adds_total', { controller: 'widget' })).toBeGreaterThan(0);
  });

  it('recovers from an apiserver outage and reconciles what changed meanwhile (410 → relist)', async () => {
    const relistsBefore = await op.metric('cdo_watch_relists_total');
    await cp.stopApiServer('SIGKILL');
    // Meanwhile, another apiserver on the same etcd takes writes, as in an HA control plane.
    extra = await cp.startExtraApiServer();
    const { kc: other } = clients(extra.kubeconfigPath);
    await patchWidget(other, ns, 'metered', { spec: { replicas: 7 } });
    await createWidget(other, ns, 'born-in-outage', { replicas: 2, size: 'large' });
    // Compaction drops the history the controller's watch would need to resume.
    await cp.compactEtcd();
    await cp.startApiServer();
    const { kc } = clients(cp.kubeconfigPath);
    await eventually(async () => (await getWidget(kc, ns, 'metered')).status?.replicas === 7, 60_000);
    await eventually(async () => (await getWidget(kc, ns, 'born-in-outage')).status?.replicas === 2, 60_000);
    expect(await op.metric('cdo_watch_restarts_total', { reason: 'expired' })).toBeGreaterThan(0);
    expect(await op.metric('cdo_watch_relists_total')).toBeGreaterThan(relistsBefore);
    await extra.stop();
    extra = undefined;
  });

  it('restarts a watch that went silent (frozen apiserver) and carries on', async () => {
    const idleBefore = await op.metric('cdo_watch_restarts_total', { reason: 'idle' });
    cp.signalApiServer('SIGSTOP');
    await op.waitForLog((l) => l.msg === 'watch went silent; restarting it', 20_000);
    cp.signalApiServer('SIGCONT');
    const { kc } = clients(cp.kubeconfigPath);
    await patchWidget(kc, ns, 'metered', { spec: { replicas: 9 } });
    await eventually(async () => (await getWidget(kc, ns, 'metered')).status?.replicas === 9, 30_000);
    expect(await op.metric('cdo_watch_restarts_total', { reason: 'idle' })).toBeGreaterThan(idleBefore);
  });
});
