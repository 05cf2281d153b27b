// CDSS's answers → a KafkaCluster spec that adopts the cluster (`kubectl cdo import`): the inverse of
// request.ts buildCreateRequest, from C5 getClusterInfoList/{id} (spec ncloud-cdss-api.md §5.5), the
// C4 list item of the same cluster (§5.4: subnet and VPC names, the manager public domain) and C11
// getBrokerInfo (§5.11: whether the brokers have a public endpoint). Pure, and checked against the
// kind's own zod schema.
//
// CDSS never returns the manager password (§5.5): it becomes a Secret reference to fill in. CDSS
// does not say whether a cluster runs on G2 or G3 servers, nor a G3 server spec code: G2 is
// assumed, and a note says what to set for a G3 cluster.
import type { z } from 'zod';
import type { BrokerInfo, ClusterInfo, ClusterListItem } from '../../clouds/ncloud/types.ts';
import type { CDSS_REGIONS } from '../../clouds/ncloud/regions.ts';
import {
  ImportMappingError,
  adoptingFields,
  passwordToFill,
  type ImportOptions,
  type ImportedSpec,
  type SecretToFill,
} from '../core/import.ts';
import { kafkaSpecSchema } from './schema.ts';

type SpecInput = z.input<typeof kafkaSpecSchema>;

export type KafkaImportOptions = ImportOptions<(typeof CDSS_REGIONS)[number]>;

/** What CDSS says about one cluster. */
export interface CdssClusterAnswers {
  /** serviceGroupInstanceNo. */
  id: string;
  info: ClusterInfo;
  /** Its C4 list item, when the list showed it. */
  listed?: ClusterListItem | undefined;
  /** C11, when the cluster runs (CDSS answers it only then). */
  brokers?: BrokerInfo | null | undefined;
}

const int = (v: string | number | null | undefined): number => (v === null || v === undefined || v === '' ? 0 : Number(v));

export function importKafkaSpec(a: CdssClusterAnswers, opts: KafkaImportOptions): ImportedSpec<SpecInput> {
  const { info, listed, brokers } = a;
  const notes: string[] = [
    'serverGeneration: CDSS does not report it; G2 is assumed. For a G3 (KVM) cluster set serverGeneration: G3, ' +
      'vpcName, serverSpecCode, manager.subnetName and broker.subnetName before applying.',
  ];
  const secrets: SecretToFill[] = [];
  const password = passwordToFill(secrets, opts.resourceName, 'manager.passwordSecretRef', 'manager', 'the Kafka manager (CMAK) password');
  const publicAccess: NonNullable<SpecInput['publicAccess']> = {};
  // §6 #14: the public lists stay empty until the endpoint is enabled.
  if (brokers) publicAccess.brokers = { enabled: brokers.publicEndpointBrokerNodeList.length > 0 };
  else notes.push('publicAccess.brokers is left out: CDSS gave no broker information (it does while the cluster runs).');
  if (typeof listed?.isUsePublicDomain === 'boolean') publicAccess.manager = { enabled: listed.isUsePublicDomain };
  const spec: SpecInput = {
    ...adoptingFields(a.id, info.clusterName, opts),
    kafkaVersionCode: int(info.kafkaVersionCode),
    configGroupNo: int(info.configGroupNo),
    softwareProductCode: info.softwareProductCode ?? '',
    vpcNo: int(info.vpcNo ?? listed?.vpcNo),
    serverGeneration: 'G2',
    manager: {
      userName: info.kafkaManagerUserName ?? listed?.kafkaManagerUserName ?? '',
      passwordSecretRef: password,
      nodeProductCode: info.managerNodeProductCode ?? '',
      subnetNo: int(info.managerNodeSubnetNo ?? listed?.managerNodeSubnetNo),
    },
    broker: {
      nodeProductCode: info.brokerNodeProductCode ?? '',
      subnetNo: int(info.brokerNodeSubnetNo ?? listed?.brokerNodeSubnetNo),
      storageSizeGB: int(info.brokerNodeStorageSize ?? listed?.brokerStorageVolumeSize),
    },
    ...(Object.keys(publicAccess).length ? { publicAccess } : {}),
    brokerCount: int(info.brokerNodeCount ?? listed?.brokerNodeCount),
  };
  const checked = kafkaSpecSchema.safeParse(spec);
  if (!checked.success) throw new ImportMappingError('KafkaCluster', a.id, checked.error);
  return { spec, secrets, notes };
}
