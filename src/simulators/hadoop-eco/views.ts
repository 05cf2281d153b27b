// Renders cluster records into the documented response shapes (spec §2.2 detail, §2.3 summary,
// §2.4 VM). Secrets are never rendered: no adminInfo.userPw, hiveDbInfo.userPw or userScript
// (spec §2.2 notes); configText is echoed as sent (Base64), as the seed's GET example shows.
import type { ActionResponse, ClusterDetail, ClusterRecord, ClusterSummary, Vm } from './model.ts';

export const TERMINATED_PREFIX = 'Terminated';

export function isTerminated(status: string): boolean {
  return status.startsWith(TERMINATED_PREFIX);
}

/** "Live" for name uniqueness (spec §6.3): everything not yet Terminated, Terminating included. */
export function isLive(c: ClusterRecord): boolean {
  return !isTerminated(c.status);
}

/**
 * Spec §3.6 / §2.9: an Open API key can be issued for a Core Hadoop cluster created with job
 * scheduling once it is Terminated(User) or Terminated(User Command); keys are never issued by the
 * simulator, so `applied` does not occur.
 */
export function apiKeyStatus(c: ClusterRecord): 'impossible' | 'possible' {
  const eligible =
    c.input.userTask !== undefined &&
    c.input.clusterType === 'hadoop' &&
    (c.status === 'Terminated(User)' || c.status === 'Terminated(User Command)');
  return eligible ? 'possible' : 'impossible';
}

function elapsedTime(c: ClusterRecord, now: number): number {
  if (c.runningAt === null) return 0;
  return Math.max(0, (c.terminatedAt ?? now) - c.runningAt);
}

function totalVmUptime(c: ClusterRecord, now: number): number {
  const live = c.vms.reduce((sum, vm) => sum + (vm.runningAt === null ? 0 : Math.max(0, now - vm.runningAt)), 0);
  return c.retiredVmUptime + live;
}

/** Web UI URLs by cluster type (spec §2.2 notes), on the first master's private IP, once Running. */
function urls(
  c: ClusterRecord,
): Partial<Pick<ClusterDetail, 'nameNodeUrl' | 'resourceManagerUrl' | 'hueUrl' | 'hmasterUrl' | 'trinoUrl' | 'druidUrl' | 'supersetUrl'>> {
  const master = c.vms.find((v) => v.isMaster && v.index === 1);
  if (c.runningAt === null || master === undefined || c.status === 'Terminating' || isTerminated(c.status)) return {};
  const at = (port: number) => `http://${master.ip}:${port}`;
  // Hadoop 3 web UI ports; Hue 8888, Druid 3008, Superset 4000 as the tutorials open them.
  const hdfsYarn = { nameNodeUrl: at(9870), resourceManagerUrl: at(8088) };
  switch (c.input.clusterType) {
    case 'hbase':
      return { ...hdfsYarn, hmasterUrl: at(16010) };
    case 'trino':
      return { trinoUrl: at(8780), hueUrl: at(8888) };
    case 'dataflow':
      return { druidUrl: at(3008), supersetUrl: at(4000) };
    default:
      // `hadoop` and any type we do not know (clusterType is a free string, spec §4.1).
      return { ...hdfsYarn, hueUrl: at(8888) };
  }
}

export function toAction(c: ClusterRecord): ActionResponse {
  return { id: c.id, name: c.name, status: c.status };
}

export function toSummary(c: ClusterRecord, now: number): ClusterSummary {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    owner: c.owner,
    clusterType: c.input.clusterType,
    clusterVersion: c.input.clusterVersion,
    isScalable: c.isScalable,
    apiKeyStatus: apiKeyStatus(c),
    masterCnt: c.masterCnt,
    workerCnt: c.workerCnt,
    nodeCnt: c.masterCnt + c.workerCnt,
    createdAt: c.createdAt,
    runningAt: c.runningAt,
    elapsedTime: elapsedTime(c, now),
  };
}

export function toDetail(c: ClusterRecord, now: number, objectStorageBase: string): ClusterDetail {
  const i = c.input;
  const detail: ClusterDetail = {
    id: c.id,
    name: c.name,
    owner: c.owner,
    clusterType: i.clusterType,
    clusterVersion: i.clusterVersion,
    isHa: i.isHa,
    isScalable: c.isScalable,
    status: c.status,
    apiKeyStatus: apiKeyStatus(c),
    masterCnt: c.masterCnt,
    workerCnt: c.workerCnt,
    nodeCnt: c.masterCnt + c.workerCnt,
    vpcId: i.vpcId,
    subnetId: i.subnetId,
    securityGroupIds: [...c.securityGroupIds],
    keypairName: i.keypairName,
    monitoring: i.monitoring,
    imageName: `HadoopEco-${i.clusterVersion}-ubuntu-22.04`,
    ...urls(c),
    createdAt: c.createdAt,
    runningAt: c.runningAt,
    elapsedTime: elapsedTime(c, now),
    totalVmUptime: totalVmUptime(c, now),
    masterInfo: [{ flavorId: c.masterFlavorId, flavorName: i.masterFlavorName, volumeSize: i.masterVolumeSize }],
    workerInfo: [{ flavorId: c.workerFlavorId, flavorName: i.workerFlavorName, volumeSize: i.workerVolumeSize }],
    // Spec §2.1: without adminInfo.userId the IAM account is the admin; the owner stands for it.
    adminInfo: { userId: i.adminInfo?.userId ?? c.owner },
    config: {
      hdfsBlockSize: i.config.hdfsBlockSize,
      hdfsReplication: i.config.hdfsReplication,
      ...(i.config.configText !== undefined && { configText: i.config.configText }),
      ...(i.config.configFileUrl !== undefined && { configFileUrl: i.config.configFileUrl }),
    },
  };
  if (i.userTask) {
    const t = i.userTask;
    detail.userTask = {
      type: t.type,
      terminationPolicy: t.terminationPolicy,
      ...(t.fileUrl !== undefined && { fileUrl: t.fileUrl }),
      ...(t.hiveQuery !== undefined && { hiveQuery: t.hiveQuery }),
      ...(t.deployMode !== undefined && { deployMode: t.deployMode }),
      ...(t.execOpts !== undefined && { execOpts: t.execOpts }),
      ...(t.execParams !== undefined && { execParams: t.execParams }),
      ...(t.logBucketName !== undefined && {
        logBucketName: t.logBucketName,
        // Spec §2.1: logs go under <logBucketName>/HadoopEco/<clusterName>. Without a bucket
        // there is nowhere to point, so logUrl is omitted [INF].
        logUrl: `${objectStorageBase}/${t.logBucketName}/HadoopEco/${c.name}`,
      }),
    };
  }
  if (i.hiveDbInfo && c.linked.hiveDb) {
    detail.hiveDbInfo = {
      objectId: i.hiveDbInfo.objectId,
      subnetId: i.subnetId,
      name: c.linked.hiveDb.name,
      host: c.linked.hiveDb.host,
      port: 3306,
      dbName: i.hiveDbInfo.dbName,
      userId: i.hiveDbInfo.userId,
    };
  }
  if (i.dataCatalogInfo && c.linked.dataCatalog) {
    const l = c.linked.dataCatalog;
    detail.dataCatalogInfo = {
      metastoreUri: `thrift://${l.metastoreHost}:9083`,
      catalogId: i.dataCatalogInfo.catalogId,
      catalogName: l.catalogName,
      vpcId: i.vpcId,
      vpcName: l.vpcName,
      subnetId: i.subnetId,
      subnetName: l.subnetName,
    };
  }
  if (i.redisInfo && c.linked.redis) {
    const l = c.linked.redis;
    detail.redisInfo = {
      objectId: i.redisInfo.objectId,
      name: l.name,
      subnetId: i.subnetId,
      primaryEndpoint: l.primaryEndpoint,
      readEndpoint: l.readEndpoint,
      clusterEnabled: false,
      port: 6379,
      // Spec §5 #18: defaults Celery 0, results 1.
      dbIdSupersetCelery: i.redisInfo.dbIdSupersetCelery ?? 0,
      dbIdSupersetResults: i.redisInfo.dbIdSupersetResults ?? 1,
    };
  }
  return detail;
}

/** Spec §2.4; `floatingIp` omitted because the simulator never attaches public IPs (§5 #11). */
export function toVm(v: {
  name: string;
  instanceId: string;
  index: number;
  isMaster: boolean;
  status: string;
  flavorName: string;
  ip: string;
  createdAt: number;
}): Vm {
  return {
    name: v.name,
    instanceId: v.instanceId,
    index: v.index,
    isMaster: v.isMaster,
    status: v.status,
    flavorName: v.flavorName,
    ip: v.ip,
    createdAt: v.createdAt,
  };
}
