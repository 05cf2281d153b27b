// spec → CDSS request bodies (spec ncloud-cdss-api.md §5.2 G2, §5.3 G3/KVM, §5.15 upgrade). Pure:
// the reconciler reads the manager password from its Secret and passes it in.
import { createHmac } from 'node:crypto';
import { type CreateClusterRequest, type CreateKvmClusterRequest, type UpgradeRequest } from '../../clouds/ncloud/types.ts';
import { InvalidSpecError } from '../../runtime/errors.ts';
import type { KafkaSpec } from './schema.ts';

/** Terraform's specials: at least one of these is required (§5.2 [TF]). */
export const passwordSpecials = '~!@#$%^*()-_=[]{};:,.<>?';

/**
 * The manager password rules: every rule any source states (§5.2), so no source's check can
 * refuse a password we send. The current docs: 8-20 characters combining letters, digits and
 * specials, none of ' " ` ₩ / & or whitespace. Terraform: at least one letter, one digit and one
 * special from its list. The older docs and Terraform's docs: at least one upper-case letter, one
 * lower-case letter, one digit and one special.
 */
export const managerPasswordRules: ReadonlyArray<{ rule: string; holds: (p: string) => boolean }> = [
  { rule: '8-20 characters', holds: (p) => p.length >= 8 && p.length <= 20 },
  { rule: 'at least one upper-case letter', holds: (p) => /[A-Z]/.test(p) },
  { rule: 'at least one lower-case letter', holds: (p) => /[a-z]/.test(p) },
  { rule: 'at least one digit', holds: (p) => /\d/.test(p) },
  { rule: `at least one of ${passwordSpecials}`, holds: (p) => [...p].some((c) => passwordSpecials.includes(c)) },
  { rule: 'none of \' " ` ₩ / & or whitespace', holds: (p) => !/['"`₩/&\s]/u.test(p) },
];

const allRules = managerPasswordRules.map((r) => r.rule).join('; ');

/**
 * Checks the manager password before the cloud sees it. The password lives in a Secret, so
 * admission cannot check it: a broken rule stalls the resource, naming the rules broken and all
 * of them, never the value.
 */
export function checkManagerPassword(password: string): void {
  const broken = managerPasswordRules.filter((r) => !r.holds(password)).map((r) => r.rule);
  if (broken.length)
    throw new InvalidSpecError(
      'InvalidManagerPassword',
      `the manager password in the referenced Secret breaks these rules: ${broken.join('; ')}. ` +
        `CDSS's documented rules, all of which the operator applies: ${allRules}`,
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

export function buildCreateRequest(spec: KafkaSpec, clusterName: string, password: string, configGroupNo: number): CreateClusterRequest {
  return {
    clusterName,
    kafkaVersionCode: spec.kafkaVersionCode,
    configGroupNo, // §7: the SDK makes it optional, the docs require it: always sent
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
export function buildKvmCreateRequest(
  spec: KafkaSpec,
  clusterName: string,
  password: string,
  configGroupNo: number,
): CreateKvmClusterRequest {
  return {
    clusterName,
    kafkaVersionCode: spec.kafkaVersionCode,
    configGroupNo,
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
