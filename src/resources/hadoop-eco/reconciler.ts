// Reconciles one HadoopEcoCluster (architecture §1): read the object and its Secrets from the
// caches, observe the cloud cluster with one GET, let plan() decide, carry out at most one
// mutating call, then write status only if it changed and record an Event for each transition.
import { ClusterNameTakenError } from '../../clouds/kakaocloud/errors.ts';
import type { HadoopEcoClient } from '../../clouds/kakaocloud/client.ts';
import { classifyClusterStatus } from '../../clouds/kakaocloud/status.ts';
import type { ClusterDetail, ClusterSummary, Vm } from '../../clouds/kakaocloud/types.ts';
import type { ResourceCache } from '../../runtime/cache.ts';
import type { ReconcileOutcome, ReconcileRequest } from '../../runtime/controller.ts';
import { classify, errorMessage, isClassified } from '../../runtime/errors.ts';
import type { EventRecorder } from '../../runtime/events.ts';
import type { KubeClient } from '../../runtime/kube.ts';
import type { KubeObject } from '../../runtime/object.ts';
import { writeStatus } from '../../runtime/status.ts';
import { connectionData, syncConnectionInfo } from '../common/connection-info.ts';
import { adoptOwn, createCrashSafe, releaseFinalizer } from '../common/lifecycle.ts';
import { pausedPlan, stalledFrom } from '../common/plan.ts';
import { cadenceSeconds, nowSeconds, prepare, recordTransition } from '../common/reconcile.ts';
import { annotations } from '../common/schema.ts';
import { readSecretKey } from '../common/secrets.ts';
import type { HadoopEcoClients } from './credentials.ts';
import { plan, type Plan } from './plan.ts';
import { buildCreateRequest, clusterNameOf } from './request.ts';
import { hadoopEcoResource as rt, hadoopEcoSpecSchema, hadoopEcoStatusSchema, type HadoopEcoSpec, type HadoopEcoStatus } from './schema.ts';
import { buildStatus } from './status.ts';

export interface HadoopEcoContext {
  kube: KubeClient;
  recorder: EventRecorder;
  secrets: ResourceCache;
  clients: HadoopEcoClients;
  /** Seconds between looks while the cloud is changing, and when it is stable. */
  cadence: { busySeconds: number; steadySeconds: number };
}

interface Observation {
  clusterId: string | undefined;
  observed: ClusterDetail | null | undefined;
  sameName: ClusterSummary[] | undefined;
  vms: Vm[] | undefined;
}

export function hadoopEcoReconciler(ctx: HadoopEcoContext) {
  return async function reconcile(req: ReconcileRequest): Promise<ReconcileOutcome | void> {
    if (!req.object) return;
    const previous = parseStatus(req.object);
    const pre = await prepare(ctx.kube, rt, req.object, hadoopEcoSpecSchema);
    if (pre.kind === 'skip') return;
    if (pre.kind === 'invalid')
      return void (await report(ctx, req.object, previous, stalledFrom(previous.phase, 'InvalidSpec', pre.message), {}));
    const { obj, spec, deleting, paused } = pre;
    const meta = obj.metadata;
    const namespace = meta.namespace ?? '';
    const clusterName = clusterNameOf(spec, meta.name);
    const base = { clusterName, lastHandledReconcileAt: pre.lastHandledReconcileAt };
    if (paused) return void (await report(ctx, obj, previous, pausedPlan(), { ...base, clusterId: previous.clusterId }));

    let client: HadoopEcoClient;
    let seen: Observation = { clusterId: knownClusterId(obj, spec, previous), observed: undefined, sameName: undefined, vms: undefined };
    try {
      client = ctx.clients.forResource(namespace, spec);
      seen = await observe(client, obj, spec, clusterName, seen.clusterId);
      const p = plan({
        spec,
        clusterName,
        deleting,
        paused,
        clusterId: seen.clusterId,
        createRequested: meta.annotations?.[annotations.createRequested] !== undefined,
        observed: seen.observed,
        sameName: seen.sameName,
        deleteSent: previous.deleteRequestedAt !== undefined,
      });
      const after = await carryOut(ctx, client, obj, spec, p, seen, req);
      if (after.released) return;
      const status = await report(ctx, after.obj, previous, p, {
        ...base,
        clusterId: after.clusterId,
        observed: seen.observed,
        vms: seen.vms,
        deleteRequestedAt: after.deleteRequestedAt ?? previous.deleteRequestedAt,
      });
      if (spec.connectionInfo && status.clusterId) {
        const e = status.endpoints ?? {};
        const data = connectionData({
          clusterId: status.clusterId,
          clusterName: status.clusterName,
          url: status.url,
          nameNodeUrl: e.nameNode,
          resourceManagerUrl: e.resourceManager,
          hueUrl: e.hue,
          hmasterUrl: e.hmaster,
          trinoUrl: e.trino,
          druidUrl: e.druid,
          supersetUrl: e.superset,
        });
        await syncConnectionInfo(ctx.kube, rt, after.obj, spec.connectionInfo.configMapName, data);
      }
      return { requeueAfter: cadenceSeconds((after.plan ?? p).cadence, ctx.cadence) };
    } catch (err) {
      // Transient failures are retried with backoff and leave status as it was (no churn while
      // a cloud blips); anything that needs a human is reported as Stalled with the cloud's words.
      if (classify(err) !== 'transient') {
        const reason = isClassified(err) ? err.reason : 'Error';
        await report(ctx, obj, previous, stalledFrom(previous.phase, reason, errorMessage(err)), {
          ...base,
          clusterId: seen.clusterId,
          observed: seen.observed,
          vms: seen.vms,
          deleteRequestedAt: previous.deleteRequestedAt,
        });
        await ctx.recorder.record(rt, obj, {
          type: 'Warning',
          reason: 'CloudError',
          action: 'Reconcile',
          note: `${reason}: ${errorMessage(err)}`,
        });
      }
      throw err;
    }
  };
}

function parseStatus(obj: KubeObject): HadoopEcoStatus {
  const s = hadoopEcoStatusSchema.safeParse(obj['status'] ?? {});
  return s.success ? s.data : {};
}

function knownClusterId(obj: KubeObject, spec: HadoopEcoSpec, status: HadoopEcoStatus): string | undefined {
  return spec.clusterId ?? obj.metadata.annotations?.[annotations.clusterId] ?? status.clusterId;
}

async function observe(
  client: HadoopEcoClient,
  obj: KubeObject,
  spec: HadoopEcoSpec,
  clusterName: string,
  clusterId: string | undefined,
): Promise<Observation> {
  if (clusterId === undefined) {
    // Only to recover our own interrupted create: never adopt a cluster that merely shares the name.
    const createRequested = obj.metadata.annotations?.[annotations.createRequested] !== undefined;
    const sameName = createRequested && spec.managementPolicy === 'Manage' ? await client.findLiveClustersByName(clusterName) : undefined;
    return { clusterId, observed: undefined, sameName, vms: undefined };
  }
  const observed = await client.getCluster(clusterId);
  const vms =
    observed && classifyClusterStatus(observed.status).kind === 'running' ? ((await client.listAllVms(clusterId)) ?? undefined) : undefined;
  return { clusterId, observed, sameName: undefined, vms };
}

interface AfterAction {
  obj: KubeObject;
  clusterId: string | undefined;
  released?: boolean;
  deleteRequestedAt?: string;
  plan?: Plan;
}

async function carryOut(
  ctx: HadoopEcoContext,
  client: HadoopEcoClient,
  obj: KubeObject,
  spec: HadoopEcoSpec,
  p: Plan,
  seen: Observation,
  req: ReconcileRequest,
): Promise<AfterAction> {
  const a = p.action;
  const id = seen.clusterId;
  const event = (reason: string, action: string, note: string, type: 'Normal' | 'Warning' = 'Normal') =>
    ctx.recorder.record(rt, obj, { type, reason, action, note });
  switch (a.type) {
    case 'Create':
      return create(ctx, client, obj, spec, req);
    case 'Adopt':
      return { obj: await adoptOwn({ ...ctx, rt }, obj, a.clusterId), clusterId: a.clusterId };
    case 'ScaleOut':
      await client.scaleOut(id!, a.count);
      await event('ScalingOut', 'Scale', `adding ${a.count} workers (target ${spec.workerCount})`);
      return { obj, clusterId: id };
    case 'ScaleIn':
      await client.scaleIn(id!, a.count);
      await event('ScalingIn', 'Scale', `removing ${a.count} workers (target ${spec.workerCount})`);
      return { obj, clusterId: id };
    case 'Delete':
      await client.deleteCluster(id!);
      await event('DeleteRequested', 'Delete', `deleting cloud cluster ${id}`);
      return { obj, clusterId: id, deleteRequestedAt: nowSeconds() };
    case 'ReleaseFinalizer':
      await releaseFinalizer({ ...ctx, rt }, obj, spec.connectionInfo?.configMapName, p.state.message);
      return { obj, clusterId: id, released: true };
    case 'Wait':
    case 'Done':
    case 'Stall':
      return { obj, clusterId: id };
  }
}

/** Builds the create body (passwords from their Secrets) and creates the cluster crash-safely. */
async function create(
  ctx: HadoopEcoContext,
  client: HadoopEcoClient,
  obj: KubeObject,
  spec: HadoopEcoSpec,
  req: ReconcileRequest,
): Promise<AfterAction> {
  const ns = obj.metadata.namespace ?? '';
  const clusterName = clusterNameOf(spec, obj.metadata.name);
  const admin = spec.adminAccount?.passwordSecretRef;
  const mysql = spec.hiveMetastore?.mysql?.passwordSecretRef;
  const body = buildCreateRequest(spec, clusterName, {
    adminPassword: admin ? readSecretKey(ctx.secrets, ns, admin.name, admin.key, 'admin password') : undefined,
    mysqlPassword: mysql ? readSecretKey(ctx.secrets, ns, mysql.name, mysql.key, 'Hive metastore password') : undefined,
  });
  try {
    return await createCrashSafe(
      { ...ctx, rt },
      obj,
      clusterName,
      async () => (await client.createCluster(body)).id,
      req.log,
      (e) => e instanceof ClusterNameTakenError,
    );
  } catch (err) {
    if (err instanceof ClusterNameTakenError) {
      throw new ClusterNameTakenError(
        'ClusterNameTaken',
        `a live Hadoop Eco cluster named ${clusterName} already exists; to adopt it, re-create this resource with spec.clusterId set to it; otherwise re-create it with another spec.clusterName`,
      );
    }
    throw err;
  }
}

interface ReportExtras {
  clusterName?: string;
  clusterId?: string | undefined;
  observed?: ClusterDetail | null | undefined;
  vms?: Vm[] | undefined;
  deleteRequestedAt?: string | undefined;
  lastHandledReconcileAt?: string | undefined;
}

/** Writes status if it changed and records an Event when the phase or a condition reason changes. */
async function report(
  ctx: HadoopEcoContext,
  obj: KubeObject,
  previous: HadoopEcoStatus,
  p: Plan,
  x: ReportExtras,
): Promise<HadoopEcoStatus> {
  const status = buildStatus({
    previous,
    plan: p,
    generation: obj.metadata.generation,
    clusterId: x.clusterId,
    clusterName: x.clusterName ?? previous.clusterName ?? obj.metadata.name,
    observed: x.observed,
    vms: x.vms,
    deleteRequestedAt: x.deleteRequestedAt,
    lastHandledReconcileAt: x.lastHandledReconcileAt,
  });
  if (await writeStatus(ctx.kube, rt, obj, status)) await recordTransition(ctx.recorder, rt, obj, previous, status, p.state);
  return status;
}
