// GitOps health, judged by the tools that judge it in real clusters: both kinds are driven through
// their lifecycle stages against the real control plane (operator as a child process, simulated
// clouds), and the LIVE object at each stage is handed to kstatus (sigs.k8s.io/cli-utils, the code
// Flux uses; test/gitops/kstatus) and to the Argo CD Lua health checks in deploy/argocd/ (run by a
// real Lua VM, fengari). `kubectl wait --for=condition=Ready` is checked too. Safe changes
// (docs/changing-safely.md): a change held by the maintenance window or for an approval is Current
// and Healthy (the Argo CD message names it), a change under way Progressing, a paused resource
// previewing an edit Suspended; live here, and as the states of test/gitops/states.ts.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argoHealth, healthChecksYaml, luaFiles, runHealthScript } from '../../gitops/argocd-lua.ts';
import { buildKstatusCheck, kstatus } from '../../gitops/kstatus.ts';
import { gitOpsStates } from '../../gitops/states.ts';
import {
  condition,
  createHec,
  credentialId,
  credentialSecret,
  eventually,
  getHec,
  hecSpec,
  patchHec,
  startHarness,
  waitForHec,
  HEC,
  type Harness,
} from '../../support/hadoop-eco.ts';
import {
  accessKey,
  createKafka,
  getKafka,
  kafkaSpec,
  patchKafka,
  ready as kafkaReady,
  secretKey,
  startKafkaHarness,
  waitForKafka,
  KAFKA,
  type KafkaHarness,
} from '../../support/kafka.ts';
import type { OperatorProcess } from '../../support/operator-process.ts';

let kstatusBin: string;
const table: string[] = [];

beforeAll(async () => {
  kstatusBin = await buildKstatusCheck();
}, 600_000);

afterAll(() => {
  if (table.length > 0)
    console.log(['| kind | stage | kstatus | Argo CD | Argo CD message |', '| --- | --- | --- | --- | --- |', ...table].join('\n'));
});

/** Judges the live object with both tools, records the row, and checks what each said. */
async function judge(stage: string, obj: any, want: { kstatus: string; argo: string; argoMessage?: RegExp }) {
  const [k] = await kstatus(kstatusBin, [obj]);
  expect(k?.error).toBeUndefined();
  const a = argoHealth(obj);
  table.push(`| ${obj.kind} | ${stage} | ${k?.status} | ${a.status} | ${a.message.replace(/\|/g, '\\|')} |`);
  expect({ stage, kstatus: k?.status, argo: a.status }).toEqual({ stage, kstatus: want.kstatus, argo: want.argo });
  if (want.argoMessage) expect(a.message).toMatch(want.argoMessage);
  return { kstatus: k!, argo: a };
}

const isTrue = (o: any, type: string) => condition(o, type)?.status === 'True';
const current = (o: any) => o?.status?.observedGeneration === o?.metadata?.generation;
const pending = (o: any, action: string) => (o?.status?.pendingChanges ?? []).find((c: any) => c.action === action);

/** A one-hour UTC window two days from now: closed now, whatever the time of day. */
function closedWindow() {
  const day = new Date(Date.now() + 2 * 86_400_000).getUTCDay();
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  return { days: [days[day]], start: '00:00', duration: '1h', timeZone: 'UTC' };
}

describe('deploy/argocd', () => {
  it('health-checks.yaml embeds exactly the Lua files, under the argocd-cm keys Argo CD looks up', () => {
    const cm = parse(readFileSync(healthChecksYaml, 'utf8'));
    expect(cm).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm' } });
    expect(Object.keys(cm.data).sort()).toEqual([
      'resource.customizations.health.kakaocloud.cdo.dev_HadoopEcoCluster',
      'resource.customizations.health.ncloud.cdo.dev_KafkaCluster',
      'resource.customizations.health.ncloud.cdo.dev_KafkaConfigGroup',
    ]);
    expect(cm.data['resource.customizations.health.kakaocloud.cdo.dev_HadoopEcoCluster']).toBe(
      readFileSync(luaFiles.HadoopEcoCluster, 'utf8'),
    );
    expect(cm.data['resource.customizations.health.ncloud.cdo.dev_KafkaCluster']).toBe(readFileSync(luaFiles.KafkaCluster, 'utf8'));
    expect(cm.data['resource.customizations.health.ncloud.cdo.dev_KafkaConfigGroup']).toBe(readFileSync(luaFiles.KafkaConfigGroup, 'utf8'));
  });

  it('the Lua handles objects without status, a Completed job cluster and a Failed phase without conditions', () => {
    const hec = readFileSync(luaFiles.HadoopEcoCluster, 'utf8');
    const kafka = readFileSync(luaFiles.KafkaCluster, 'utf8');
    const fresh = { metadata: { name: 'x', generation: 1 }, spec: {} };
    expect(runHealthScript(hec, fresh).status).toBe('Progressing');
    expect(runHealthScript(kafka, fresh).status).toBe('Progressing');
    const completed = {
      metadata: { name: 'x', generation: 1 },
      status: { observedGeneration: 1, phase: 'Completed', conditions: [{ type: 'Ready', status: 'True', message: 'job finished' }] },
    };
    expect(runHealthScript(hec, completed)).toEqual({ status: 'Healthy', message: 'job finished' });
    const failed = { metadata: { name: 'x', generation: 1 }, status: { observedGeneration: 1, phase: 'Failed' } };
    expect(runHealthScript(hec, failed).status).toBe('Degraded');
    expect(runHealthScript(kafka, failed).status).toBe('Degraded');
  });

  it('safe changes, as the operator writes them: held → Current and Healthy naming the change; under way → Progressing; paused preview → Suspended', async () => {
    const states = gitOpsStates();
    const results = await kstatus(
      kstatusBin,
      states.map((s) => s.object),
    );
    states.forEach((s, i) => {
      const k = results[i]!;
      const a = argoHealth(s.object);
      table.push(`| ${s.object.kind} | ${s.name} (fixture) | ${k.status} | ${a.status} | ${a.message.replace(/\|/g, '\\|')} |`);
      expect(k.error).toBeUndefined();
      expect({ state: s.name, kstatus: k.status, argo: a.status }).toEqual({ state: s.name, kstatus: s.want.kstatus, argo: s.want.argo });
      expect(a.message, s.name).toMatch(s.want.argoMessage);
    });
  });
});

describe('HadoopEcoCluster: kstatus and Argo CD at each stage', () => {
  let h: Harness;
  let op: OperatorProcess;
  beforeAll(async () => {
    // Slower cloud than the lifecycle tests, so each in-between stage lasts long enough to look at.
    h = await startHarness('gitops-hec', { provisionMs: 3000, scaleMs: 4000, terminateMs: 3000 });
    op = h.op;
  });
  afterAll(async () => {
    await h?.stop();
  });
  const get = (name: string) => getHec(h, name);

  it('creating → Running (kubectl wait) → generation ahead → scaling → Running', async () => {
    await createHec(h, 'alpha', hecSpec({ workerCount: 2 }));
    await createHec(h, 'beta', hecSpec({ workerCount: 2 }));
    await createHec(
      h,
      'nightly',
      hecSpec({
        userTask: {
          type: 'spark',
          terminationPolicy: 'always',
          fileUrl: 'https://objectstorage.example/job.jar',
          deployMode: 'cluster',
          logBucketName: 'logs',
        },
      }),
    );
    const creating = await waitForHec(h, 'alpha', (o) => o.status?.phase === 'Creating' && isTrue(o, 'Reconciling'));
    await judge('creating', creating, { kstatus: 'InProgress', argo: 'Progressing' });

    await h.kubectl('wait', '--for=condition=Ready', 'hec/alpha', '--timeout=60s');
    const running = await get('alpha');
    expect(running.status.phase).toBe('Running');
    await judge('Running (Ready)', running, { kstatus: 'Current', argo: 'Healthy' });

    // The operator is down while the spec changes: metadata.generation runs ahead of observedGeneration.
    await op.stop();
    await h.kubectl('scale', 'hec/alpha', '--replicas=3');
    const ahead = await get('alpha');
    expect(ahead.metadata.generation).toBeGreaterThan(ahead.status.observedGeneration);
    expect(isTrue(ahead, 'Ready')).toBe(true); // stale: about the older spec
    await judge('generation ahead of observedGeneration', ahead, {
      kstatus: 'InProgress',
      argo: 'Progressing',
      argoMessage: /observe generation/,
    });

    op = h.startOperator('operator-gitops-hec-2');
    await op.waitForLog((l) => l.msg === 'controller started');
    const scaling = await waitForHec(h, 'alpha', (o) => o.status?.phase === 'Scaling' && current(o));
    await judge('scaling (scale out)', scaling, { kstatus: 'InProgress', argo: 'Progressing' });
    const scaled = await waitForHec(
      h,
      'alpha',
      (o) => o.status?.phase === 'Running' && o.status.workerCount === 3 && current(o) && isTrue(o, 'Ready'),
    );
    await judge('Running after scale out', scaled, { kstatus: 'Current', argo: 'Healthy' });

    // A scale-in (DataMovement) outside the maintenance window waits: the cluster stays Ready.
    await patchHec(h, 'alpha', { spec: { workerCount: 2, maintenanceWindow: closedWindow() } });
    const held = await waitForHec(h, 'alpha', (o) => current(o) && pending(o, 'ScaleIn')?.waitingFor === 'MaintenanceWindow');
    expect(isTrue(held, 'ChangesPending')).toBe(true);
    await judge('scale in held by the maintenance window', held, {
      kstatus: 'Current',
      argo: 'Healthy',
      argoMessage: new RegExp(`^Held \\(AwaitingMaintenanceWindow\\): ScaleIn ${pending(held, 'ScaleIn').id} \\(DataMovement\\)`),
    });
    // Without the window it starts at once: under way, then done.
    await h.kubectl('patch', 'hec/alpha', '--type=json', '-p', '[{"op":"remove","path":"/spec/maintenanceWindow"}]');
    const scalingIn = await waitForHec(h, 'alpha', (o) => o.status?.phase === 'Scaling' && current(o));
    await judge('scaling in (the window removed)', scalingIn, { kstatus: 'InProgress', argo: 'Progressing' });
    const scaledIn = await waitForHec(
      h,
      'alpha',
      (o) => o.status?.phase === 'Running' && o.status.workerCount === 2 && current(o) && isTrue(o, 'Ready'),
    );
    await judge('Running after scale in', scaledIn, { kstatus: 'Current', argo: 'Healthy' });
  });

  it('Stalled: credentials Secret missing, then a cluster terminated outside the operator', async () => {
    await h.kc.core.deleteNamespacedSecret({ name: 'kakao', namespace: h.ns });
    const stalled = await waitForHec(h, 'alpha', (o) => isTrue(o, 'Stalled'));
    expect(condition(stalled, 'Stalled').reason).toBe('SecretNotFound');
    const r = await judge(`Stalled (${condition(stalled, 'Stalled').reason})`, stalled, { kstatus: 'Failed', argo: 'Degraded' });
    expect(r.argo.message).toBe(condition(stalled, 'Stalled').message);
    expect(r.kstatus.message).toBe(condition(stalled, 'Stalled').message);
    await h.kc.core.createNamespacedSecret({
      namespace: h.ns,
      body: { metadata: { name: 'kakao' }, stringData: { credentialId, credentialSecret } },
    });
    await waitForHec(h, 'alpha', (o) => o.status?.phase === 'Running' && isTrue(o, 'Ready'));

    const beta = await waitForHec(h, 'beta', (o) => o.status?.phase === 'Running' && isTrue(o, 'Ready'));
    h.sim.admin.terminate(beta.status.clusterId, { immediate: true });
    const gone = await waitForHec(h, 'beta', (o) => o.status?.phase === 'Failed' && isTrue(o, 'Stalled'));
    const g = await judge(`Stalled (${condition(gone, 'Stalled').reason}), phase Failed`, gone, { kstatus: 'Failed', argo: 'Degraded' });
    expect(g.argo.message).toBe(condition(gone, 'Stalled').message);
  });

  it('a job cluster that ended by its termination policy (Completed) is Current and Healthy', async () => {
    const done = await waitForHec(h, 'nightly', (o) => o.status?.phase === 'Completed' && current(o));
    await judge('Completed (job cluster)', done, { kstatus: 'Current', argo: 'Healthy' });
  });

  it('paused → Suspended, also while it previews an edit; deleting → Progressing', async () => {
    await h.kubectl('annotate', 'hec/alpha', 'cdo.dev/paused=true');
    const paused = await waitForHec(h, 'alpha', (o) => o.status?.phase === 'Paused' && current(o));
    await judge('paused (cdo.dev/paused=true)', paused, { kstatus: 'InProgress', argo: 'Suspended' });
    // An edit while paused is previewed in status, never started.
    await h.kubectl('scale', 'hec/alpha', '--replicas=3');
    const preview = await waitForHec(h, 'alpha', (o) => o.status?.phase === 'Paused' && current(o) && pending(o, 'ScaleOut'));
    expect(preview.status.workerCount).toBe(2);
    await judge('paused, previewing a scale out', preview, {
      kstatus: 'InProgress',
      argo: 'Suspended',
      argoMessage: new RegExp(`then: ScaleOut ${pending(preview, 'ScaleOut').id}$`),
    });
    await h.kubectl('scale', 'hec/alpha', '--replicas=2');
    await waitForHec(h, 'alpha', (o) => o.status?.phase === 'Paused' && current(o) && !o.status.pendingChanges);
    await h.kubectl('annotate', 'hec/alpha', 'cdo.dev/paused-');
    await waitForHec(h, 'alpha', (o) => o.status?.phase === 'Running' && current(o) && isTrue(o, 'Ready'));

    await h.kc.custom.deleteNamespacedCustomObject({ ...HEC, namespace: h.ns, name: 'alpha' });
    const deleting = await waitForHec(h, 'alpha', (o) => o.metadata.deletionTimestamp && o.status?.phase === 'Deleting');
    await judge('deleting', deleting, { kstatus: 'Terminating', argo: 'Progressing' });
    await eventually(async () => {
      try {
        await get('alpha');
        return false;
      } catch (err: any) {
        return err.code === 404;
      }
    }, 45_000);
  });
});

describe('KafkaCluster: kstatus and Argo CD at each stage', () => {
  let h: KafkaHarness;
  let op: OperatorProcess;
  beforeAll(async () => {
    h = await startKafkaHarness('gitops-kafka', { provisionMs: 3000, scaleMs: 4000, upgradeMs: 4000, deleteMs: 3000 });
    op = h.op;
  });
  afterAll(async () => {
    await h?.stop();
  });
  const get = (name: string) => getKafka(h, name);

  it('creating → Running (kubectl wait) → adding brokers → Running', async () => {
    await createKafka(h, 'events', kafkaSpec());
    const creating = await waitForKafka(h, 'events', (o) => o.status?.phase === 'Creating' && isTrue(o, 'Reconciling'));
    await judge('creating', creating, { kstatus: 'InProgress', argo: 'Progressing' });

    await h.kubectl('wait', '--for=condition=Ready', 'nkafka/events', '--timeout=60s');
    const running = await get('events');
    expect(running.status.phase).toBe('Running');
    await judge('Running (Ready)', running, { kstatus: 'Current', argo: 'Healthy' });

    await h.kubectl('scale', 'nkafka/events', '--replicas=5');
    const scaling = await waitForKafka(h, 'events', (o) => o.status?.phase === 'Scaling' && current(o));
    await judge('scaling (add brokers)', scaling, { kstatus: 'InProgress', argo: 'Progressing' });
    const scaled = await waitForKafka(h, 'events', (o) => kafkaReady(o) && o.status.brokerCount === 5);
    await judge('Running after adding brokers', scaled, { kstatus: 'Current', argo: 'Healthy' });
  });

  it('generation ahead → held for approval (changePolicy Manual) → approved, upgrading (3713006/171 → 3903006/172) → Running', async () => {
    await op.stop();
    await patchKafka(h, 'events', { spec: { kafkaVersionCode: 3903006, configGroupNo: 172, changePolicy: 'Manual' } });
    const ahead = await get('events');
    expect(ahead.metadata.generation).toBeGreaterThan(ahead.status.observedGeneration);
    await judge('generation ahead of observedGeneration', ahead, {
      kstatus: 'InProgress',
      argo: 'Progressing',
      argoMessage: /observe generation/,
    });

    op = h.startOperator('operator-gitops-kafka-2');
    await op.waitForLog((l) => l.msg === 'controller started' && l['controller'] === 'kafkacluster');
    const held = await waitForKafka(h, 'events', (o) => current(o) && pending(o, 'Upgrade')?.waitingFor === 'Approval');
    const id = pending(held, 'Upgrade').id;
    await judge('upgrade held for approval', held, {
      kstatus: 'Current',
      argo: 'Healthy',
      argoMessage: new RegExp(`^Held \\(AwaitingApproval\\): Upgrade ${id} \\(RollingRestart\\).*cdo\\.dev/approve=${id}`),
    });
    await h.kubectl('annotate', '--overwrite', 'nkafka/events', `cdo.dev/approve=${id}`);
    const upgrading = await waitForKafka(h, 'events', (o) => o.status?.phase === 'Upgrading' && current(o));
    await judge('upgrading', upgrading, { kstatus: 'InProgress', argo: 'Progressing' });
    const upgraded = await waitForKafka(h, 'events', (o) => kafkaReady(o) && o.status.kafkaVersion?.code === '3903006');
    await judge('Running after upgrade', upgraded, { kstatus: 'Current', argo: 'Healthy' });
    await h.kubectl('annotate', 'nkafka/events', 'cdo.dev/approve-');
  });

  it('Stalled: credentials Secret missing', async () => {
    await h.kc.core.deleteNamespacedSecret({ name: 'ncp', namespace: h.ns });
    const stalled = await waitForKafka(h, 'events', (o) => isTrue(o, 'Stalled'));
    const r = await judge(`Stalled (${condition(stalled, 'Stalled').reason})`, stalled, { kstatus: 'Failed', argo: 'Degraded' });
    expect(r.argo.message).toBe(condition(stalled, 'Stalled').message);
    await h.kc.core.createNamespacedSecret({ namespace: h.ns, body: { metadata: { name: 'ncp' }, stringData: { accessKey, secretKey } } });
    await waitForKafka(h, 'events', kafkaReady);
  });

  it('paused → Suspended; deleting → Progressing', async () => {
    await h.kubectl('annotate', 'nkafka/events', 'cdo.dev/paused=true');
    const paused = await waitForKafka(h, 'events', (o) => o.status?.phase === 'Paused' && current(o));
    await judge('paused (cdo.dev/paused=true)', paused, { kstatus: 'InProgress', argo: 'Suspended' });
    await h.kubectl('annotate', 'nkafka/events', 'cdo.dev/paused-');
    await waitForKafka(h, 'events', kafkaReady);

    await h.kc.custom.deleteNamespacedCustomObject({ ...KAFKA, namespace: h.ns, name: 'events' });
    const deleting = await waitForKafka(h, 'events', (o) => o.metadata.deletionTimestamp && o.status?.phase === 'Deleting');
    await judge('deleting', deleting, { kstatus: 'Terminating', argo: 'Progressing' });
    await eventually(async () => !(await h.kubectl('get', 'nkafka', '--no-headers')).includes('events '), 45_000);
  });
});
