// Reconciles one KafkaCluster, in the same shape as HadoopEcoCluster: read the object and its
// Secrets from the caches, observe CDSS (one getCluster, plus health, endpoints and upgrade
// progress reads), let plan() decide, carry out at most one mutating call, write status only if
// it changed, and record an Event for each transition.
import type { CdssClient } from '../../clouds/ncloud/client.ts';
import { classifyClusterStatus } from '../../clouds/ncloud/status.ts';
import type { BrokerInfo, ClusterHealth, ClusterInfo, KafkaVersion } from '../../clouds/ncloud/types.ts';
import type { ResourceCache } from '../../runtime/cache.ts';
import type { ReconcileOutcome, ReconcileRequest } from '../../runtime/controller.ts';
import { classify, errorMessage, InvalidSpecError, isClassified, TerminalError } from '../../runtime/errors.ts';
import type { EventRecorder } from '../../runtime/events.ts';
import type { KubeClient } from '../../runtime/kube.ts';
import type { KubeObject } from '../../runtime/object.ts';
import { writeStatus } from '../../runtime/status.ts';
import { connectionData, syncConnectionInfo } from '../common/connection-info.ts';
import { adoptOwn, createAccepted, createCrashSafe, releaseFinalizer } from '../common/lifecycle.ts';
import { pausedPlan, stalledFrom } from '../common/plan.ts';
import { cadenceSeconds, nowSeconds, prepare, recordTransition } from '../common/reconcile.ts';
import { annotations } from '../common/schema.ts';
import { readSecretKey } from '../common/secrets.ts';
import type { CdssClients } from './clients.ts';
import { plan, type CdssObservation, type Plan } from './plan.ts';
import {
  buildCreateRequest,
  buildKvmCreateRequest,
  buildUpgradeRequest,
  checkManagerPassword,
  clusterNameOf,
  passwordFingerprint,
} from './request.ts';
import { kafkaResource as rt, kafkaSpecSchema, kafkaStatusSchema, type KafkaSpec, type KafkaStatus } from './schema.ts';
import { buildKafkaStatus } from './status.ts';

export interface KafkaContext {
  kube: KubeClient;
  recorder: EventRecorder;
  secrets: ResourceCache;
  clients: CdssClients;
  cadence: { busySeconds: number; steadySeconds: number };
}

interface Seen {
  clusterId: string | undefined;
  info: ClusterInfo | null | undefined;
  sameName?: Array<{ clusterId: string; status: string }> | undefined;
  health?: ClusterHealth | undefined;
  brokers?: BrokerInfo | undefined;
  versions?: KafkaVersion[] | undefined;
  progress?: ClusterHealth | undefined;
}

export function kafkaReconciler(ctx: KafkaContext) {
  return async function reconcile(req: ReconcileRequest): Promise<ReconcileOutcome | void> {
    if (!req.object) return;
    const previous = parseStatus(req.object);
    const pre = await prepare(ctx.kube, rt, req.object, kafkaSpecSchema);
    if (pre.kind === 'skip') return;
    if (pre.kind === 'invalid')
      return void (await report(ctx, req.object, previous, stalledFrom(previous.phase, 'InvalidSpec', pre.message), {
        clusterId: previous.clusterId,
      }));
    const { obj, spec, deleting, paused } = pre;
    const meta = obj.metadata;
    const ns = meta.namespace ?? '';
    const clusterName = clusterNameOf(spec, meta.name);
    const extras = { clusterName, lastHandledReconcileAt: pre.lastHandledReconcileAt };
    if (paused) return void (await report(ctx, obj, previous, pausedPlan(), { ...extras, clusterId: previous.clusterId }));

    let seen: Seen = { clusterId: spec.clusterId ?? meta.annotations?.[annotations.clusterId] ?? previous.clusterId, info: undefined };
    try {
      const client = ctx.clients.forResource(ns, spec);
      seen = await observe(ctx, client, obj, spec, clusterName, seen.clusterId, previous);
      // The manager password matters only while we manage a live cluster.
      const password = spec.managementPolicy === 'Manage' && !deleting ? managerPassword(ctx, ns, spec) : undefined;
      const fingerprint = password !== undefined ? passwordFingerprint(ctx.clients.secretKeyFor(ns, spec), meta.uid, password) : undefined;
      const p = plan({
        spec,
        clusterName,
        deleting,
        paused,
        clusterId: seen.clusterId,
        createRequested: meta.annotations?.[annotations.createRequested] !== undefined,
        createAccepted: createAccepted(obj),
        observed: observation(seen.info),
        sameName: seen.sameName,
        deleteSent: previous.deleteRequestedAt !== undefined,
        upgradeInFlight: previous.upgrade !== undefined,
        // An adopted cluster's password is unknown: take the Secret as current rather than reset it.
        passwordChanged:
          fingerprint !== undefined && previous.managerPasswordHash !== undefined && previous.managerPasswordHash !== fingerprint,
      });
      const done = await carryOut(ctx, client, obj, spec, p, seen, password, req);
      if (done.released) return;
      const upgrade = upgradeStatus(done.upgrade ?? previous.upgrade, seen);
      const status = await report(ctx, done.obj, previous, p, {
        ...extras,
        ...seen,
        clusterId: done.clusterId,
        upgrade,
        managerPasswordHash:
          done.passwordApplied || (previous.managerPasswordHash === undefined && seen.info) ? fingerprint : previous.managerPasswordHash,
        deleteRequestedAt: done.deleteRequestedAt ?? previous.deleteRequestedAt,
      });
      if (spec.connectionInfo && status.clusterId) {
        const b = status.bootstrapServers ?? {};
        const data = connectionData({
          clusterId: status.clusterId,
          clusterName: status.clusterName,
          kafkaVersion: status.kafkaVersion?.name,
          bootstrapServers: b.plaintext,
          bootstrapServersTls: b.tls,
          bootstrapServersPublic: b.publicPlaintext,
          bootstrapServersPublicTls: b.publicTls,
          zookeeper: status.zookeeper,
        });
        await syncConnectionInfo(ctx.kube, rt, done.obj, spec.connectionInfo.configMapName, data);
      }
      return { requeueAfter: cadenceSeconds(p.cadence, ctx.cadence) };
    } catch (err) {
      if (classify(err) !== 'transient') {
        const reason = isClassified(err) ? err.reason : 'Error';
        await report(ctx, obj, previous, stalledFrom(previous.phase, reason, errorMessage(err)), {
          ...extras,
          ...seen,
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

function parseStatus(obj: KubeObject): KafkaStatus {
  const s = kafkaStatusSchema.safeParse(obj['status'] ?? {});
  return s.success ? s.data : {};
}

function managerPassword(ctx: KafkaContext, ns: string, spec: KafkaSpec): string {
  const ref = spec.manager.passwordSecretRef;
  const password = readSecretKey(ctx.secrets, ns, ref.name, ref.key, 'manager password');
  checkManagerPassword(password);
  return password;
}

function observation(info: ClusterInfo | null | undefined): CdssObservation | null | undefined {
  if (info === null || info === undefined) return info;
  return {
    status: info.status,
    kafkaVersionCode: info.kafkaVersionCode,
    configGroupNo: info.configGroupNo === undefined || info.configGroupNo === null ? undefined : Number(info.configGroupNo),
    brokerCount: info.brokerNodeCount ?? undefined,
  };
}

async function observe(
  ctx: KafkaContext,
  client: CdssClient,
  obj: KubeObject,
  spec: KafkaSpec,
  clusterName: string,
  clusterId: string | undefined,
  previous: KafkaStatus,
): Promise<Seen> {
  if (clusterId === undefined) {
    // Only to recover our own interrupted create: never adopt a cluster that merely shares the name.
    if (obj.metadata.annotations?.[annotations.createRequested] === undefined || spec.managementPolicy !== 'Manage')
      return { clusterId, info: undefined };
    const found = await client.findClustersByName(clusterName);
    // §6 #7: names may not be unique per account; the VPC narrows it to ours.
    const sameName = found
      .filter((c) => c.vpcNo === undefined || c.vpcNo === null || String(c.vpcNo) === String(spec.vpcNo))
      .map((c) => ({ clusterId: String(c.serviceGroupInstanceNo), status: c.serverStatus ?? '' }));
    return { clusterId, info: undefined, sameName };
  }
  const info = await client.getCluster(clusterId);
  if (!info) return { clusterId, info };
  const seen: Seen = { clusterId, info };
  if (classifyClusterStatus(info.status) === 'running') {
    seen.health = (await client.getClusterHealth(clusterId)) ?? undefined;
    seen.brokers = (await client.getBrokerInfo(clusterId)) ?? undefined;
    seen.versions = await ctx.clients.versionsOf(client);
  } else if (classifyClusterStatus(info.status) === 'changing' && previous.upgrade) {
    seen.progress = (await client.upgradeProgress(clusterId)) ?? undefined;
  }
  return seen;
}

interface Done {
  obj: KubeObject;
  clusterId: string | undefined;
  released?: boolean;
  deleteRequestedAt?: string;
  upgrade?: KafkaStatus['upgrade'];
  passwordApplied?: boolean;
}

async function carryOut(
  ctx: KafkaContext,
  client: CdssClient,
  obj: KubeObject,
  spec: KafkaSpec,
  p: Plan,
  seen: Seen,
  password: string | undefined,
  req: ReconcileRequest,
): Promise<Done> {
  const a = p.action;
  const id = seen.clusterId;
  const event = (reason: string, action: string, note: string) => ctx.recorder.record(rt, obj, { type: 'Normal', reason, action, note });
  switch (a.type) {
    case 'Create':
      return create(ctx, client, obj, spec, password, req);
    case 'Adopt':
      return { obj: await adoptOwn({ ...ctx, rt }, obj, a.clusterId), clusterId: a.clusterId };
    case 'AddBrokers':
      await client.addBrokers(id!, a.count);
      await event('AddingBrokers', 'Scale', `adding ${a.count} brokers (target ${spec.brokerCount})`);
      return { obj, clusterId: id };
    case 'Upgrade': {
      // spec §5.15: the config group must belong to the target version, and the pre-check must pass.
      if (!(await client.configGroupBelongsToVersion(a.configGroupNo, a.kafkaVersionCode))) {
        throw new InvalidSpecError(
          'ConfigGroupVersionMismatch',
          `config group ${a.configGroupNo} does not belong to Kafka version ${a.kafkaVersionCode}; create one for that version and set spec.configGroupNo`,
        );
      }
      const body = buildUpgradeRequest(id!, a.kafkaVersionCode, a.configGroupNo);
      const check = await client.upgradePreCheck(body);
      if (!check.upgradable)
        throw new TerminalError(
          'UpgradePreCheckFailed',
          `CDSS refused the upgrade pre-check: ${check.message}${check.requestId ? ` (request ${check.requestId})` : ''}`,
        );
      await client.rollingUpgrade(body);
      await event('UpgradeStarted', 'Upgrade', `rolling upgrade to Kafka ${a.kafkaVersionCode} with config group ${a.configGroupNo}`);
      return {
        obj,
        clusterId: id,
        upgrade: {
          fromVersionCode: seen.info?.kafkaVersionCode,
          toVersionCode: String(a.kafkaVersionCode),
          toConfigGroupNo: a.configGroupNo,
          startedAt: nowSeconds(),
        },
      };
    }
    case 'ResetPassword':
      await client.resetManagerPassword(id!, password!);
      await event('PasswordReset', 'ResetPassword', 'manager password reset from the referenced Secret');
      return { obj, clusterId: id, passwordApplied: true };
    case 'Delete':
      await client.deleteCluster(id!);
      await event('DeleteRequested', 'Delete', `deleting CDSS cluster ${id}`);
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

/** Creates the cluster crash-safely; G3 creates return no id (§5.3), so it is found by name next. */
async function create(
  ctx: KafkaContext,
  client: CdssClient,
  obj: KubeObject,
  spec: KafkaSpec,
  password: string | undefined,
  req: ReconcileRequest,
): Promise<Done> {
  const clusterName = clusterNameOf(spec, obj.metadata.name);
  if (password === undefined) throw new InvalidSpecError('SecretNotFound', 'the manager password is needed to create the cluster');
  const created = await createCrashSafe(
    { ...ctx, rt },
    obj,
    clusterName,
    async () => {
      if (spec.serverGeneration !== 'G3') return client.createCluster(buildCreateRequest(spec, clusterName, password));
      await client.createKvmCluster(buildKvmCreateRequest(spec, clusterName, password));
      return undefined;
    },
    req.log,
  );
  return { ...created, passwordApplied: true };
}

/** Upgrade progress while it runs; cleared once CDSS runs the target version. */
function upgradeStatus(upgrade: KafkaStatus['upgrade'], seen: Seen): KafkaStatus['upgrade'] {
  if (!upgrade) return undefined;
  if (seen.info && classifyClusterStatus(seen.info.status) === 'running' && seen.info.kafkaVersionCode === upgrade.toVersionCode)
    return undefined;
  if (!seen.progress) return upgrade;
  const nodes = seen.progress.brokerStatusPerNode ?? [];
  return {
    ...upgrade,
    brokersUpgraded: nodes.filter((n) => n.status === 'green').length,
    brokersTotal: seen.progress.brokerNodeTotalNumber ?? nodes.length,
  };
}

interface ReportExtras extends Partial<Seen> {
  clusterName?: string;
  upgrade?: KafkaStatus['upgrade'];
  managerPasswordHash?: string | undefined;
  deleteRequestedAt?: string | undefined;
  lastHandledReconcileAt?: string | undefined;
}

async function report(ctx: KafkaContext, obj: KubeObject, previous: KafkaStatus, p: Plan, x: ReportExtras): Promise<KafkaStatus> {
  const status = buildKafkaStatus({
    previous,
    plan: p,
    generation: obj.metadata.generation,
    clusterId: x.clusterId,
    clusterName: x.clusterName ?? previous.clusterName ?? obj.metadata.name,
    info: x.info,
    health: x.health,
    brokers: x.brokers,
    versions: x.versions,
    upgrade: x.upgrade ?? (p.action.type === 'Stall' ? previous.upgrade : undefined),
    managerPasswordHash: x.managerPasswordHash,
    deleteRequestedAt: x.deleteRequestedAt,
    lastHandledReconcileAt: x.lastHandledReconcileAt,
  });
  if (await writeStatus(ctx.kube, rt, obj, status)) await recordTransition(ctx.recorder, rt, obj, previous, status, p.state);
  return status;
}
