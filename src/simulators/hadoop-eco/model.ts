// The simulator's internal cluster record and the wire shapes it is rendered into (spec §2.2,
// §2.3, §2.4). Kept apart from the state machine so views and store can each stay small.
import type { CreateClusterInput } from './validation.ts';

export type JobOutcome = 'success' | 'failure';
export type JobState = 'waiting' | 'running' | 'succeeded' | 'failed';

export interface VmRecord {
  name: string;
  instanceId: string;
  index: number;
  isMaster: boolean;
  status: string;
  flavorName: string;
  ip: string;
  createdAt: number;
  /** When the VM started counting uptime (cluster Running / scale-out done). */
  runningAt: number | null;
}

export interface ClusterRecord {
  /** Creation sequence, the deterministic tie-breaker for sorting. */
  seq: number;
  id: string;
  name: string;
  owner: string;
  input: CreateClusterInput;
  status: string;
  isScalable: boolean;
  masterCnt: number;
  workerCnt: number;
  createdAt: number;
  runningAt: number | null;
  terminatedAt: number | null;
  securityGroupIds: string[];
  masterFlavorId: string;
  workerFlavorId: string;
  vms: VmRecord[];
  nextWorkerIndex: number;
  /** Uptime of VMs already removed (scale-in, termination), for totalVmUptime. */
  retiredVmUptime: number;
  job?: { state: JobState; outcomeOverride?: JobOutcome };
  /** Server-side facts about linked services, generated once so GETs are stable. */
  linked: {
    hiveDb?: { name: string; host: string };
    dataCatalog?: { metastoreHost: string; catalogName: string; vpcName: string; subnetName: string };
    redis?: { name: string; primaryEndpoint: string; readEndpoint: string };
  };
}

export interface ActionResponse {
  id: string;
  name: string;
  status: string;
}

export interface ClusterSummary {
  id: string;
  name: string;
  status: string;
  owner: string;
  clusterType: string;
  clusterVersion: string;
  isScalable: boolean;
  apiKeyStatus: string;
  masterCnt: number;
  workerCnt: number;
  nodeCnt: number;
  createdAt: number;
  runningAt: number | null;
  elapsedTime: number;
}

export interface NodeGroupInfo {
  flavorId: string;
  flavorName: string;
  volumeSize: number;
}

export interface ClusterDetail {
  id: string;
  name: string;
  owner: string;
  clusterType: string;
  clusterVersion: string;
  isHa: boolean;
  isScalable: boolean;
  status: string;
  apiKeyStatus: string;
  masterCnt: number;
  workerCnt: number;
  nodeCnt: number;
  vpcId: string;
  subnetId: string;
  securityGroupIds: string[];
  keypairName: string;
  monitoring: boolean;
  imageName: string;
  nameNodeUrl?: string;
  resourceManagerUrl?: string;
  hueUrl?: string;
  hmasterUrl?: string;
  trinoUrl?: string;
  druidUrl?: string;
  supersetUrl?: string;
  createdAt: number;
  runningAt: number | null;
  elapsedTime: number;
  totalVmUptime: number;
  masterInfo: NodeGroupInfo[];
  workerInfo: NodeGroupInfo[];
  adminInfo: { userId: string };
  config: { hdfsBlockSize: number; hdfsReplication: number; configText?: string; configFileUrl?: string };
  userTask?: {
    type: string;
    terminationPolicy: string;
    fileUrl?: string;
    hiveQuery?: string;
    deployMode?: string;
    execOpts?: string;
    execParams?: string;
    logBucketName?: string;
    logUrl?: string;
  };
  hiveDbInfo?: { objectId: string; subnetId: string; name: string; host: string; port: number; dbName: string; userId: string };
  dataCatalogInfo?: {
    metastoreUri: string;
    catalogId: string;
    catalogName: string;
    vpcId: string;
    vpcName: string;
    subnetId: string;
    subnetName: string;
  };
  redisInfo?: {
    objectId: string;
    name: string;
    subnetId: string;
    primaryEndpoint: string;
    readEndpoint: string;
    clusterEnabled: boolean;
    port: number;
    dbIdSupersetCelery: number;
    dbIdSupersetResults: number;
  };
}

export interface Vm {
  name: string;
  instanceId: string;
  index: number;
  isMaster: boolean;
  status: string;
  flavorName: string;
  ip: string;
  createdAt: number;
}

/** Admin view: the detail plus what only the simulator knows. */
export interface AdminClusterView extends ClusterDetail {
  job?: { state: JobState; outcomeOverride?: JobOutcome };
}
