// In-memory records of the CDSS simulator and the admin view built from them.
import type { CreateClusterInput } from './validation.ts';

/** §4.1 lifecycle values; admin `force` may set any string to test open-enum handling. */
export type ClusterStatus = 'creating' | 'changing' | 'running' | 'error' | 'deleting' | 'return';

/** The asynchronous operation in flight (only one at a time, §6 #6). */
export type Operation = 'create' | 'scale' | 'upgrade' | 'delete' | 'public-endpoint' | 'config-group' | 'spec-change';

export interface BrokerNode {
  /** 1-based. */
  index: number;
  hostname: string;
  privateIp: string;
  /** false while a scale-out is still provisioning this broker. */
  ready: boolean;
}

export interface UpgradeProgress {
  fromKafkaVersionCode: string;
  toKafkaVersionCode: string;
  toConfigGroupNo: number;
  /** Brokers already on the new version; they restart one by one (§5.15). */
  upgradedBrokers: number;
}

export interface ClusterRecord {
  seq: number;
  /** serviceGroupInstanceNo, a decimal string (an Integer on the wire except in C4, §6 #3). */
  id: string;
  /** Region path prefix segment: 'v1' (KR), 'sgn-v1', 'jpn-v1'. */
  region: string;
  input: Omit<CreateClusterInput, 'kafkaManagerUserPassword'>;
  vpcName: string;
  status: string;
  operation: Operation | null;
  kafkaVersionCode: string;
  configGroupNo: number;
  brokers: BrokerNode[];
  managerHostname: string;
  managerPrivateIp: string;
  publicEndpoint: { loadBalancerInstanceNo: number; publicIp: string } | null;
  /** C19: the manager UI's public domain while enabled (C4 `clusterPublicDomain`). */
  publicDomain: string | null;
  /** G7 in flight: the group the cluster is restarting with (G8 already counts it). */
  pendingConfigGroupNo: number | null;
  /** C25, made on first download and kept for the cluster's life. */
  certificatePem: string | null;
  upgrade: UpgradeProgress | null;
  /** SHA-256 hex of the current manager password: lets tests check a reset without keeping the password. */
  passwordSha256: string;
  passwordResets: number;
  createdAt: number;
  memberNo: string;
}

export interface AdminClusterView {
  serviceGroupInstanceNo: string;
  region: string;
  generation: 'G2' | 'G3';
  clusterName: string;
  status: string;
  operation: Operation | null;
  kafkaVersionCode: string;
  configGroupNo: number;
  pendingConfigGroupNo: number | null;
  managerNodeProductCode: string;
  brokerNodeProductCode: string;
  brokerNodeCount: number;
  brokerNodeStorageSize: number;
  vpcNo: number;
  vpcName: string;
  kafkaManagerUserName: string;
  kafkaManagerUserPasswordSha256: string;
  passwordResets: number;
  publicEndpoint: { loadBalancerInstanceNo: number; publicIp: string } | null;
  publicDomain: string | null;
  upgrade: UpgradeProgress | null;
  brokers: BrokerNode[];
  createdAt: string;
}

export function toAdminView(c: ClusterRecord): AdminClusterView {
  return {
    serviceGroupInstanceNo: c.id,
    region: c.region,
    generation: c.input.generation,
    clusterName: c.input.clusterName,
    status: c.status,
    operation: c.operation,
    kafkaVersionCode: c.kafkaVersionCode,
    configGroupNo: c.configGroupNo,
    pendingConfigGroupNo: c.pendingConfigGroupNo,
    managerNodeProductCode: c.input.managerNodeProductCode,
    brokerNodeProductCode: c.input.brokerNodeProductCode,
    brokerNodeCount: c.brokers.filter((b) => b.ready).length,
    brokerNodeStorageSize: c.input.brokerNodeStorageSize,
    vpcNo: c.input.vpcNo,
    vpcName: c.vpcName,
    kafkaManagerUserName: c.input.kafkaManagerUserName,
    kafkaManagerUserPasswordSha256: c.passwordSha256,
    passwordResets: c.passwordResets,
    publicEndpoint: c.publicEndpoint && { ...c.publicEndpoint },
    publicDomain: c.publicDomain,
    upgrade: c.upgrade && { ...c.upgrade },
    brokers: c.brokers.map((b) => ({ ...b })),
    createdAt: new Date(c.createdAt).toISOString(),
  };
}
