// What the managed core needs to know about KafkaCluster and nothing more: how to reach CDSS on
// the operator's site, how to observe a cluster (info, then health, endpoints and upgrade progress),
// the manager password the plan and the calls need, the create, broker, upgrade and password calls,
// how CDSS's answers map to status, and which fields CDSS echoes back for verification.
import type { Logger } from 'pino';
import type { CloudHttp } from '../../clouds/http.ts';
import { CdssClient } from '../../clouds/ncloud/client.ts';
import { cdssBaseUrl, type CdssSite } from '../../clouds/ncloud/regions.ts';
import { cdssLifecycle, classifyClusterStatus } from '../../clouds/ncloud/status.ts';
import type { BrokerInfo, ClusterHealth, ClusterInfo, KafkaVersion } from '../../clouds/ncloud/types.ts';
import { nowRfc3339 } from '../../runtime/conditions.ts';
import { InvalidSpecError, TerminalError } from '../../runtime/errors.ts';
import { oneCall, type KindAdapter, type PassContext } from '../core/kind.ts';
import type { FieldCheck } from '../core/verify.ts';
import { plan, type Action, type CdssObservation } from './plan.ts';
import { buildCreateRequest, buildKvmCreateRequest, buildUpgradeRequest, checkManagerPassword, passwordFingerprint } from './request.ts';
import { type KafkaSpec, type KafkaStatus } from './schema.ts';
import { buildKafkaStatus } from './status.ts';

/** One look at a cluster: its info, and what else CDSS tells in its current state. */
export interface CdssObserved {
  info: ClusterInfo;
  health?: ClusterHealth | undefined;
  brokers?: BrokerInfo | undefined;
  versions?: KafkaVersion[] | undefined;
  progress?: ClusterHealth | undefined;
}

/** The manager password of a managed cluster, and what status keeps of it. */
export interface ManagerPassword {
  password: string;
  fingerprint: string;
  /** The Secret differs from the password last applied. */
  changed: boolean;
}

/** The types KafkaCluster is made of. */
export interface KafkaKind {
  spec: KafkaSpec;
  status: KafkaStatus;
  cloud: CdssClient;
  observed: CdssObserved;
  action: Action;
  prep: ManagerPassword;
}

type Ctx = PassContext<KafkaKind>;

const versionsTtlMs = 10 * 60_000;
const num = (v: string | null | undefined) => (v === null || v === undefined ? undefined : Number(v));

/** What getClusterInfoList echoes back (spec §5.5: "everything an operator needs to diff its spec"). */
export const kafkaVerify: FieldCheck<KafkaSpec, CdssObserved>[] = [
  { field: 'kafkaVersionCode', spec: (s) => s.kafkaVersionCode, cloud: (o) => o.info.kafkaVersionCode },
  { field: 'configGroupNo', spec: (s) => s.configGroupNo, cloud: (o) => o.info.configGroupNo },
  { field: 'brokerCount', spec: (s) => s.brokerCount, cloud: (o) => o.info.brokerNodeCount },
  { field: 'softwareProductCode', spec: (s) => s.softwareProductCode, cloud: (o) => o.info.softwareProductCode },
  { field: 'vpcNo', spec: (s) => s.vpcNo, cloud: (o) => o.info.vpcNo },
  { field: 'manager.nodeProductCode', spec: (s) => s.manager.nodeProductCode, cloud: (o) => o.info.managerNodeProductCode },
  { field: 'manager.subnetNo', spec: (s) => s.manager.subnetNo, cloud: (o) => o.info.managerNodeSubnetNo },
  { field: 'broker.nodeProductCode', spec: (s) => s.broker.nodeProductCode, cloud: (o) => o.info.brokerNodeProductCode },
  { field: 'broker.subnetNo', spec: (s) => s.broker.subnetNo, cloud: (o) => o.info.brokerNodeSubnetNo },
  { field: 'broker.storageSizeGB', spec: (s) => s.broker.storageSizeGB, cloud: (o) => o.info.brokerNodeStorageSize },
];

export function observation(info: ClusterInfo): CdssObservation {
  return {
    status: info.status,
    kafkaVersionCode: info.kafkaVersionCode,
    configGroupNo: num(info.configGroupNo),
    brokerCount: info.brokerNodeCount ?? undefined,
  };
}

/** Upgrade progress while it runs; cleared once CDSS runs the target version. */
export function upgradeStatus(upgrade: KafkaStatus['upgrade'], seen: CdssObserved | null | undefined): KafkaStatus['upgrade'] {
  if (!upgrade) return undefined;
  if (seen && classifyClusterStatus(seen.info.status) === 'running' && seen.info.kafkaVersionCode === upgrade.toVersionCode)
    return undefined;
  if (!seen?.progress) return upgrade;
  const nodes = seen.progress.brokerStatusPerNode;
  return {
    ...upgrade,
    brokersUpgraded: nodes.filter((n) => n.status === 'green').length,
    brokersTotal: seen.progress.brokerNodeTotalNumber ?? nodes.length,
  };
}

export function kafkaAdapter(env: {
  http: CloudHttp;
  log: Logger;
  site: CdssSite;
  /** Endpoint overrides by region (CDO_NCLOUD_ENDPOINTS). */
  endpoints: Record<string, string>;
}): KindAdapter<KafkaKind> {
  // The version list changes rarely; names for status are fetched once per client per TTL.
  const versions = new WeakMap<CdssClient, { at: number; list: KafkaVersion[] }>();
  async function versionsOf(client: CdssClient): Promise<KafkaVersion[]> {
    const cached = versions.get(client);
    if (cached && Date.now() - cached.at < versionsTtlMs) return cached.list;
    const list = await client.getVersions();
    versions.set(client, { at: Date.now(), list });
    return list;
  }

  return {
    noun: 'CDSS cluster',
    credentials: { keys: ['accessKey', 'secretKey'], what: 'NAVER Cloud API key' },
    endpoint: (spec) => cdssBaseUrl(spec.region, env.site, env.endpoints),
    connect: (baseUrl, accessKey, secretKey) =>
      new CdssClient({ baseUrl, credentials: { accessKey, secretKey }, http: env.http, log: env.log }),

    async observe(ctx, clusterId) {
      const client = ctx.cloud();
      const info = await client.getCluster(clusterId);
      if (!info) return null;
      const phase = classifyClusterStatus(info.status);
      if (phase === 'running') {
        return {
          info,
          health: (await client.getClusterHealth(clusterId)) ?? undefined,
          brokers: (await client.getBrokerInfo(clusterId)) ?? undefined,
          versions: await versionsOf(client),
        };
      }
      if (phase === 'changing' && ctx.previous.upgrade) return { info, progress: (await client.upgradeProgress(clusterId)) ?? undefined };
      return { info };
    },
    async findByName(ctx) {
      const found = await ctx.cloud().findClustersByName(ctx.clusterName);
      // §6 #7: names may not be unique per account; the VPC narrows it to ours.
      return found
        .filter((c) => c.vpcNo === undefined || c.vpcNo === null || String(c.vpcNo) === String(ctx.spec.vpcNo))
        .map((c) => ({ id: String(c.serviceGroupInstanceNo), lifecycle: cdssLifecycle(c.serverStatus) }));
    },
    // The manager password matters only while we manage a live cluster.
    prepare(ctx) {
      if (ctx.spec.managementPolicy !== 'Manage') return undefined;
      const password = ctx.secret(ctx.spec.manager.passwordSecretRef, 'manager password');
      checkManagerPassword(password);
      const fingerprint = passwordFingerprint(ctx.credentials()[1], ctx.obj.metadata.uid, password);
      // An adopted cluster's password is unknown: take the Secret as current rather than reset it.
      const known = ctx.previous.managerPasswordHash;
      return { password, fingerprint, changed: known !== undefined && known !== fingerprint };
    },
    plan: (input) =>
      plan({
        ...input,
        observed: input.observed && observation(input.observed.info), // null (proven absent) stays null
        upgradeInFlight: input.previous.upgrade !== undefined,
        passwordChanged: input.prep?.changed ?? false,
      }),

    /** G3 creates return no id (§5.3): the core marks the create accepted and finds it by name. */
    async create(ctx, prep) {
      const password = required(prep).password;
      const client = ctx.cloud();
      const applied = { managerPasswordHash: required(prep).fingerprint };
      if (ctx.spec.serverGeneration === 'G3') {
        await client.createKvmCluster(buildKvmCreateRequest(ctx.spec, ctx.clusterName, password));
        return { id: undefined, applied };
      }
      return { id: await client.createCluster(buildCreateRequest(ctx.spec, ctx.clusterName, password)), applied };
    },
    async delete(ctx, clusterId) {
      await ctx.cloud().deleteCluster(clusterId);
    },
    actions: {
      AddBrokers: oneCall('AddingBrokers', (cloud, id, a) => cloud.addBrokers(id, a.count)),
      Upgrade: { reason: 'UpgradeStarted', run: upgrade },
      ResetPassword: {
        reason: 'PasswordReset',
        async run(ctx, _a, prep) {
          await ctx.cloud().resetManagerPassword(ctx.clusterId!, required(prep).password);
          return { managerPasswordHash: required(prep).fingerprint };
        },
      },
    },

    status: ({ observed, prep, applied, ...core }) =>
      buildKafkaStatus({
        ...core,
        info: observed?.info,
        health: observed?.health,
        brokers: observed?.brokers,
        versions: observed?.versions,
        upgrade: upgradeStatus(applied?.upgrade ?? core.previous.upgrade, observed),
        managerPasswordHash:
          applied?.managerPasswordHash ?? core.previous.managerPasswordHash ?? (observed ? prep?.fingerprint : undefined),
      }),
    connectionInfo: (status) => {
      const b = status.bootstrapServers ?? {};
      return {
        clusterId: status.clusterId,
        clusterName: status.clusterName,
        kafkaVersion: status.kafkaVersion?.name,
        bootstrapServers: b.plaintext,
        bootstrapServersTls: b.tls,
        bootstrapServersPublic: b.publicPlaintext,
        bootstrapServersPublicTls: b.publicTls,
        zookeeper: status.zookeeper,
      };
    },
    verify: kafkaVerify,
  };
}

/** spec §5.15: the config group must belong to the target version, and the pre-check must pass. */
async function upgrade(ctx: Ctx, a: Extract<Action, { type: 'Upgrade' }>): Promise<Partial<KafkaStatus>> {
  const client = ctx.cloud();
  const id = ctx.clusterId!;
  if (!(await client.configGroupBelongsToVersion(a.configGroupNo, a.kafkaVersionCode))) {
    throw new InvalidSpecError(
      'ConfigGroupVersionMismatch',
      `config group ${a.configGroupNo} does not belong to Kafka version ${a.kafkaVersionCode}; create one for that version and set spec.configGroupNo`,
    );
  }
  const body = buildUpgradeRequest(id, a.kafkaVersionCode, a.configGroupNo);
  const check = await client.upgradePreCheck(body);
  if (!check.upgradable) {
    const request = check.requestId ? ` (request ${check.requestId})` : '';
    throw new TerminalError('UpgradePreCheckFailed', `CDSS refused the upgrade pre-check: ${check.message}${request}`);
  }
  await client.rollingUpgrade(body);
  return {
    upgrade: {
      fromVersionCode: ctx.previous.kafkaVersion?.code,
      toVersionCode: String(a.kafkaVersionCode),
      toConfigGroupNo: a.configGroupNo,
      startedAt: nowRfc3339(),
    },
  };
}

/** The password is read for every managed cluster before any action runs (prepare). */
function required(prep: ManagerPassword | undefined): ManagerPassword {
  if (!prep) throw new InvalidSpecError('SecretNotFound', 'the manager password is needed for this change');
  return prep;
}
