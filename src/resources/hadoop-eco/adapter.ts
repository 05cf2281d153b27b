// What the managed core needs to know about HadoopEcoCluster and nothing more: how to reach the
// Hadoop Eco API, how to observe and find a cluster, the create body, the scale calls, how the
// cloud's answer maps to status, and which fields the cloud echoes back for verification.
import type { Logger } from 'pino';
import type { CloudHttp } from '../../clouds/http.ts';
import { HadoopEcoClient } from '../../clouds/kakaocloud/client.ts';
import { hadoopEcoBaseUrl } from '../../clouds/kakaocloud/regions.ts';
import { classifyClusterStatus, hadoopEcoLifecycle } from '../../clouds/kakaocloud/status.ts';
import type { ClusterDetail, Vm } from '../../clouds/kakaocloud/types.ts';
import { oneCall, type KindAdapter } from '../core/kind.ts';
import type { FieldCheck } from '../core/verify.ts';
import { plan, type Action } from './plan.ts';
import { buildCreateRequest } from './request.ts';
import { type HadoopEcoSpec, type HadoopEcoStatus } from './schema.ts';
import { buildStatus } from './status.ts';

/** The types HadoopEcoCluster is made of. */
export interface HadoopEcoKind {
  spec: HadoopEcoSpec;
  status: HadoopEcoStatus;
  cloud: HadoopEcoClient;
  observed: HadoopEcoObserved;
  action: Action;
  prep: undefined;
}

/** One look at a cluster: its detail, and its VMs once it runs. */
export interface HadoopEcoObserved {
  detail: ClusterDetail;
  vms: Vm[] | undefined;
}

const detailOf = (o: HadoopEcoObserved | null | undefined) => (o === null ? null : o?.detail);
const first = <T>(list: T[] | null | undefined): T | undefined => list?.[0];

/** What the GET answer echoes back (spec §2.2), compared with the spec once the cluster runs. */
export const hadoopEcoVerify: FieldCheck<HadoopEcoSpec, HadoopEcoObserved>[] = [
  { field: 'master.flavorName', spec: (s) => s.master.flavorName, cloud: (o) => first(o.detail.masterInfo)?.flavorName },
  { field: 'master.volumeSize', spec: (s) => s.master.volumeSize, cloud: (o) => first(o.detail.masterInfo)?.volumeSize },
  { field: 'worker.flavorName', spec: (s) => s.worker.flavorName, cloud: (o) => first(o.detail.workerInfo)?.flavorName },
  { field: 'worker.volumeSize', spec: (s) => s.worker.volumeSize, cloud: (o) => first(o.detail.workerInfo)?.volumeSize },
  { field: 'highAvailability', spec: (s) => s.highAvailability, cloud: (o) => o.detail.isHa },
  { field: 'monitoring', spec: (s) => s.monitoring, cloud: (o) => o.detail.monitoring },
  { field: 'hdfs.replication', spec: (s) => s.hdfs.replication, cloud: (o) => o.detail.config?.hdfsReplication },
  { field: 'hdfs.blockSizeMB', spec: (s) => s.hdfs.blockSizeMB, cloud: (o) => o.detail.config?.hdfsBlockSize },
  { field: 'securityGroupIds', spec: (s) => s.securityGroupIds, cloud: (o) => o.detail.securityGroupIds },
  // spec §5: the document calls this field both fileUrl and configFileUrl; we send configFileUrl
  // and the GET answer carries config.configFileUrl. If the cloud ignored it, this says so.
  {
    field: 'configFileUrl',
    spec: (s) => s.configFileUrl,
    cloud: (o) => (o.detail.config ? (o.detail.config.configFileUrl ?? '(none)') : undefined),
  },
];

/**
 * Whether the VM list in status may be out of date: never listed, or the cluster moved (a status
 * word or a scale since), or the counts disagree with it. A steady Running poll then costs one call
 * instead of two; a VM's own status shows up at the cluster's next transition.
 */
export function vmSetMayHaveChanged(previous: HadoopEcoStatus, detail: ClusterDetail): boolean {
  const listed = previous.vms;
  if (listed === undefined) return true;
  if (previous.cloudStatus !== detail.status || previous.scalable !== (detail.isScalable ?? undefined)) return true;
  if (previous.workerCount !== (detail.workerCnt ?? undefined) || previous.masterCount !== (detail.masterCnt ?? undefined)) return true;
  return listed.length !== (detail.masterCnt ?? 0) + (detail.workerCnt ?? 0);
}

export function hadoopEcoAdapter(env: {
  http: CloudHttp;
  log: Logger;
  /** Endpoint overrides by region (CDO_KAKAOCLOUD_ENDPOINTS). */
  endpoints: Record<string, string>;
}): KindAdapter<HadoopEcoKind> {
  return {
    noun: 'Hadoop Eco cluster',
    credentials: { keys: ['credentialId', 'credentialSecret'], what: 'KakaoCloud credentials' },
    endpoint: (spec) => hadoopEcoBaseUrl(spec.region, env.endpoints),
    connect: (baseUrl, credentialId, credentialSecret) =>
      new HadoopEcoClient({ baseUrl, credentials: { credentialId, credentialSecret }, http: env.http, log: env.log }),

    async observe(ctx, clusterId) {
      const detail = await ctx.cloud().getCluster(clusterId);
      if (!detail) return null;
      const running = classifyClusterStatus(detail.status).kind === 'running';
      const list = running && vmSetMayHaveChanged(ctx.previous, detail);
      return { detail, vms: list ? ((await ctx.cloud().listAllVms(clusterId)) ?? undefined) : undefined };
    },
    async findByName(ctx) {
      return (await ctx.cloud().findLiveClustersByName(ctx.clusterName)).map((c) => ({ id: c.id, lifecycle: hadoopEcoLifecycle(c) }));
    },
    plan: (input) => plan({ ...input, observed: detailOf(input.observed) }),

    async create(ctx) {
      const admin = ctx.spec.adminAccount?.passwordSecretRef;
      const mysql = ctx.spec.hiveMetastore?.mysql?.passwordSecretRef;
      const body = buildCreateRequest(ctx.spec, ctx.clusterName, {
        adminPassword: admin ? ctx.secret(admin, 'admin password') : undefined,
        mysqlPassword: mysql ? ctx.secret(mysql, 'Hive metastore password') : undefined,
      });
      return { id: (await ctx.cloud().createCluster(body)).id };
    },
    async delete(ctx, clusterId) {
      await ctx.cloud().deleteCluster(clusterId);
    },
    actions: {
      ScaleOut: oneCall('ScalingOut', (cloud, id, a) => cloud.scaleOut(id, a.count)),
      ScaleIn: oneCall('ScalingIn', (cloud, id, a) => cloud.scaleIn(id, a.count)),
    },

    status: (input) => buildStatus({ ...input, observed: detailOf(input.observed), vms: input.observed?.vms }),
    connectionInfo: (status) => {
      const e = status.endpoints ?? {};
      return {
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
      };
    },
    verify: hadoopEcoVerify,
  };
}
