// What the managed core needs to know about KafkaCluster and nothing more: how to reach CDSS on
// the operator's site, how to observe a cluster (observe.ts), the manager password and the config
// group the plan and the calls need, the create and one call per change, how CDSS's answers map
// to status, and which fields CDSS echoes back for verification.
import type { CdssClient } from '../../clouds/ncloud/client.ts';
import { cdssLifecycle, classifyClusterStatus } from '../../clouds/ncloud/status.ts';

export type { CdssObserved } from './observe.ts';
import type { KafkaVersion } from '../../clouds/ncloud/types.ts';
import { nowRfc3339 } from '../../runtime/conditions.ts';
import { InvalidSpecError, TerminalError, TransientError } from '../../runtime/errors.ts';
import { oneCall, type ActionHandler, type KindAdapter, type PassContext } from '../core/kind.ts';
import type { FieldCheck } from '../core/verify.ts';
import { configGroupResource } from '../kafka-config-group/schema.ts';
import { observation, observeCluster, resolveConfigGroup, type CdssObserved } from './observe.ts';
import type { ChangeType } from './plan-changes.ts';
import { plan, type Action, type ResolvedConfigGroup } from './plan.ts';
import { buildCreateRequest, buildKvmCreateRequest, buildUpgradeRequest, checkManagerPassword, passwordFingerprint } from './request.ts';
import { type KafkaSpec, type KafkaStatus } from './schema.ts';
import { buildKafkaStatus } from './status.ts';
import { cdssConnection, type CdssEnv } from './cdss-connection.ts';

/** The manager password of a managed cluster, and what status keeps of it. */
export interface ManagerPassword {
  password: string;
  fingerprint: string;
  /** The Secret differs from the password last applied. */
  changed: boolean;
}

/** What the plan and the calls need beyond the observation. */
export interface KafkaPrep {
  /** The config group the spec means (ResolvedConfigGroup). */
  configGroup: ResolvedConfigGroup;
  /** Read for a managed cluster only. */
  password?: ManagerPassword | undefined;
}

/** The types KafkaCluster is made of. */
export interface KafkaKind {
  spec: KafkaSpec;
  status: KafkaStatus;
  cloud: CdssClient;
  observed: CdssObserved;
  action: Action;
  prep: KafkaPrep;
}

type Ctx = PassContext<KafkaKind>;

const versionsTtlMs = 10 * 60_000;

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

/** Another change in flight, until CDSS is seen running again after it. */
export function changeStatus(change: KafkaStatus['change'], seen: CdssObserved | null | undefined): KafkaStatus['change'] {
  if (change && seen && classifyClusterStatus(seen.info.status) === 'running') return undefined;
  return change;
}

/** An action that is one cloud call on the known cluster, remembered in status.change until CDSS runs again. */
function change<A extends Action>(
  reason: ActionHandler<KafkaKind, A>['reason'],
  type: ChangeType,
  call: (cloud: CdssClient, clusterId: string, action: A) => Promise<unknown>,
  target: (action: A) => string,
): ActionHandler<KafkaKind, A> {
  return {
    reason,
    async run(ctx, action) {
      await call(ctx.cloud(), ctx.clusterId!, action);
      return { change: { type, target: target(action), startedAt: nowRfc3339() } };
    },
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

/** Deleting needs no config group (prepare does not run): the plan's deletion never reads it. */
const unresolvedGroup: ResolvedConfigGroup = { pending: 'not resolved while deleting' };

export function kafkaAdapter(env: CdssEnv): KindAdapter<KafkaKind> {
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
    ...cdssConnection<KafkaKind>(env),

    observe: (ctx, clusterId) => observeCluster(ctx, clusterId, versionsOf),
    async findByName(ctx) {
      const found = await ctx.cloud().findClustersByName(ctx.clusterName);
      // §6 #7: names may not be unique per account; the VPC narrows it to ours.
      return found
        .filter((c) => c.vpcNo === undefined || c.vpcNo === null || String(c.vpcNo) === String(ctx.spec.vpcNo))
        .map((c) => ({ id: String(c.serviceGroupInstanceNo), lifecycle: cdssLifecycle(c.serverStatus) }));
    },
    // The manager password matters only while we manage a live cluster.
    async prepare(ctx, observed) {
      const configGroup = await resolveConfigGroup(
        () => ctx.cloud(),
        ctx.spec,
        ctx.clusterId,
        observed,
        (name) => ctx.read(configGroupResource, name),
      );
      if (ctx.spec.managementPolicy !== 'Manage') return { configGroup };
      const password = ctx.secret(ctx.spec.manager.passwordSecretRef, 'manager password');
      checkManagerPassword(password);
      const fingerprint = passwordFingerprint(ctx.credentials()[1], ctx.obj.metadata.uid, password);
      // An adopted cluster's password is unknown: take the Secret as current rather than reset it.
      const known = ctx.previous.managerPasswordHash;
      return { configGroup, password: { password, fingerprint, changed: known !== undefined && known !== fingerprint } };
    },
    plan: (input) =>
      plan({
        ...input,
        observed: input.observed && observation(input.observed), // null (proven absent) stays null
        configGroup: input.prep?.configGroup ?? unresolvedGroup,
        upgradeInFlight: input.previous.upgrade !== undefined,
        changeInFlight: input.previous.change?.type,
        passwordChanged: input.prep?.password?.changed ?? false,
      }),

    /** G3 creates return no id (§5.3): the core marks the create accepted and finds it by name. */
    async create(ctx, prep) {
      const { password, fingerprint } = required(prep);
      const configGroupNo = prep!.configGroup.configGroupNo;
      // The plan creates only with a resolved group; this guards the type, not a real path.
      if (configGroupNo === undefined) throw new TransientError('ConfigGroupPending', 'the config group is not resolved yet');
      const client = ctx.cloud();
      const applied = { managerPasswordHash: fingerprint };
      if (ctx.spec.serverGeneration === 'G3') {
        await client.createKvmCluster(buildKvmCreateRequest(ctx.spec, ctx.clusterName, password, configGroupNo));
        return { id: undefined, applied };
      }
      return { id: await client.createCluster(buildCreateRequest(ctx.spec, ctx.clusterName, password, configGroupNo)), applied };
    },
    async delete(ctx, clusterId) {
      await ctx.cloud().deleteCluster(clusterId);
    },
    actions: {
      AddBrokers: oneCall('AddingBrokers', (cloud, id, a) => cloud.addBrokers(id, a.count)),
      Upgrade: { reason: 'UpgradeStarted', run: upgrade },
      ApplyConfigGroup: change(
        'ConfigGroupApplied',
        'ApplyConfigGroup',
        (cloud, id, a) => cloud.applyConfigGroup(id, String(a.configGroupNo), a.kafkaVersionCode),
        (a) => `config group ${a.configGroupNo}`,
      ),
      ChangeNodeSpec: change(
        'NodeSpecChangeStarted',
        'ChangeNodeSpec',
        (cloud, id, a) => cloud.changeNodeSpec(id, nodeCodes(a)),
        (a) =>
          Object.entries(nodeCodes(a))
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
      ),
      EnableBrokerPublicEndpoint: change(
        'PublicAccessChanged',
        'EnableBrokerPublicEndpoint',
        (cloud, id, a) => cloud.enableBrokerPublicEndpoint(id, a.loadBalancerInstanceNo),
        (a) => `broker public endpoint on, load balancer ${a.loadBalancerInstanceNo}`,
      ),
      DisableBrokerPublicEndpoint: change(
        'PublicAccessChanged',
        'DisableBrokerPublicEndpoint',
        (cloud, id) => cloud.disableBrokerPublicEndpoint(id),
        () => 'broker public endpoint off',
      ),
      SetManagerPublicDomain: change(
        'PublicAccessChanged',
        'SetManagerPublicDomain',
        (cloud, id, a) => cloud.setManagerPublicDomain(id, a.enabled),
        (a) => `manager public domain ${a.enabled ? 'on' : 'off'}`,
      ),
      ResetPassword: {
        reason: 'PasswordReset',
        async run(ctx, _a, prep) {
          const { password, fingerprint } = required(prep);
          await ctx.cloud().resetManagerPassword(ctx.clusterId!, password);
          return { managerPasswordHash: fingerprint };
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
        listed: observed?.listed,
        caCertificate: observed?.caCertificate,
        upgrade: upgradeStatus(applied?.upgrade ?? core.previous.upgrade, observed),
        change: applied?.change ?? changeStatus(core.previous.change, observed),
        managerPasswordHash:
          applied?.managerPasswordHash ?? core.previous.managerPasswordHash ?? (observed ? prep?.password?.fingerprint : undefined),
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
        managerPublicDomain: status.publicAccess?.manager?.domain,
        // A CA certificate is public: a ConfigMap key is enough for TLS clients (spec §5.11 says a Secret; nothing in it is secret).
        'ca.crt': status.tls?.caCertificate,
        hosts: status.hostsEntries?.plaintext?.join('\n'),
        hostsTls: status.hostsEntries?.tls?.join('\n'),
      };
    },
    verify: kafkaVerify,
  };
}

/** spec §5.15: the pre-check must pass (the config group's version is checked by the plan). */
async function upgrade(ctx: Ctx, a: Extract<Action, { type: 'Upgrade' }>): Promise<Partial<KafkaStatus>> {
  const client = ctx.cloud();
  const id = ctx.clusterId!;
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

/** §5.9: only the changed code(s) are sent. */
function nodeCodes(a: Extract<Action, { type: 'ChangeNodeSpec' }>): { managerNodeProductCode?: string; brokerNodeProductCode?: string } {
  return {
    ...(a.managerNodeProductCode ? { managerNodeProductCode: a.managerNodeProductCode } : {}),
    ...(a.brokerNodeProductCode ? { brokerNodeProductCode: a.brokerNodeProductCode } : {}),
  };
}

/** The password is read for every managed cluster before any action runs (prepare). */
function required(prep: KafkaPrep | undefined): ManagerPassword {
  if (!prep?.password) throw new InvalidSpecError('SecretNotFound', 'the manager password is needed for this change');
  return prep.password;
}
