// spec → CDSS request bodies (spec ncloud-cdss-api.md §5.2 G2, §5.3 G3/KVM, §5.15 upgrade). Pure:
// the reconciler reads the manager password from its Secret and passes it in.
import { createHmac } from 'node:crypto';
import {
  ResetPasswordRequestSchema,
  type CreateClusterRequest,
  type CreateKvmClusterRequest,
  type UpgradeRequest,
} from '../../clouds/ncloud/types.ts';
import { InvalidSpecError } from '../../runtime/errors.ts';
import type { KafkaSpec } from './schema.ts';

/**
 * Checks the documented manager password rules before the cloud sees the password (§5.2: 8-20
 * characters combining letters, digits and specials; no ' " ` ₩ / & or whitespace). The error
 * names the rule, never the value.
 */
export function checkManagerPassword(password: string): void {
  const r = ResetPasswordRequestSchema.safeParse({ kafkaManagerUserPassword: password });
  if (!r.success)
    throw new InvalidSpecError(
      'InvalidManagerPassword',
      `the manager password in the referenced Secret ${r.error.issues.map((i) => i.message).join('; ')}`,
    );
}

/**
 * What status keeps of the password (spec §5.5: CDSS never returns it): an HMAC keyed by the
 * cluster's NAVER Cloud secret key, so a changed Secret is noticed without storing the password,
 * and someone who can read the resource but not the Secrets cannot test guesses against it.
 */
export function passwordFingerprint(key: string, uid: string, password: string): string {
  return createHmac('sha256', key).update(`${uid}\u0000${password}`).digest('hex').slice(0, 32);
}

export function buildCreateRequest(spec: KafkaSpec, clusterName: string, password: string): CreateClusterRequest {
  return {
    clusterName,
    kafkaVersionCode: spec.kafkaVersionCode,
    configGroupNo: spec.configGroupNo, // §7: the SDK makes it optional, the docs require it: always sent
    kafkaManagerUserName: spec.manager.userName,
    kafkaManagerUserPassword: password,
    softwareProductCode: spec.softwareProductCode,
    vpcNo: spec.vpcNo,
    managerNodeSubnetNo: spec.manager.subnetNo,
    managerNodeProductCode: spec.manager.nodeProductCode,
    brokerNodeSubnetNo: spec.broker.subnetNo,
    brokerNodeCount: spec.brokerCount,
    brokerNodeProductCode: spec.broker.nodeProductCode,
    brokerNodeStorageSize: spec.broker.storageSizeGB,
  };
}

/** G3 (KVM) servers take a different body: dataNode* names, and names as well as numbers (§5.3). */
export function buildKvmCreateRequest(spec: KafkaSpec, clusterName: string, password: string): CreateKvmClusterRequest {
  return {
    clusterName,
    kafkaVersionCode: spec.kafkaVersionCode,
    configGroupNo: spec.configGroupNo,
    kafkaManagerUserName: spec.manager.userName,
    kafkaManagerUserPassword: password,
    hypervisorCode: 'KVM',
    generationCode: 'G3',
    softwareProductCode: spec.softwareProductCode,
    vpcName: spec.vpcName ?? '',
    vpcNo: spec.vpcNo,
    managerNodeSubnetName: spec.manager.subnetName ?? '',
    managerNodeSubnetNo: spec.manager.subnetNo,
    managerNodeProductCode: spec.manager.nodeProductCode,
    dataNodeSubnetName: spec.broker.subnetName ?? '',
    dataNodeSubnetNo: spec.broker.subnetNo,
    dataNodeCount: spec.brokerCount,
    dataNodeProductCode: spec.broker.nodeProductCode,
    dataNodeStorageSize: spec.broker.storageSizeGB,
    ...(spec.serverSpecCode ? { serverSpecCode: spec.serverSpecCode } : {}),
  };
}

/** The body of rollingUpgradePreCheck and rollingUpgrade, in the seed's key order. */
export function buildUpgradeRequest(clusterId: string, kafkaVersionCode: number, configGroupNo: number): UpgradeRequest {
  return { serviceGroupInstanceNo: Number(clusterId), upgradeKafkaVersionCode: kafkaVersionCode, upgradeConfigGroupNo: configGroupNo };
}
