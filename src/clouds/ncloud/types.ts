// Wire types of the CDSS API (spec ncloud-cdss-api.md §3, §5). Requests are strict, so a typo in
// the operator never reaches the cloud as a silently ignored field; responses are loose, since
// the service adds fields and is inconsistent about numbers vs strings (§6 #3): ids and version
// codes are accepted as either and come out as strings, counts come out as numbers.
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Lenient scalars for responses.

/** An id or code sent as a JSON number or a string; always a string in parsed output. */
export const idString = z.union([z.string(), z.number()]).transform((v) => String(v));
export const optId = idString.nullish();
/** A count or size sent as a number or a numeric string; always a number in parsed output. */
export const count = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
export const optCount = count.nullish();
export const str = z.string().nullish();
export const bool = z.boolean().nullish();
/** A missing or null array reads as empty. */
export function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((a): Array<z.output<T>> => a ?? []);
}

// ---------------------------------------------------------------------------------------------
// Envelopes (§3).

/** `{code, message, result, requestId}`; `code` 0 means success. `result` is parsed per operation. */
export const EnvelopeSchema = z.looseObject({
  code: z.union([
    z.number().int(),
    z
      .string()
      .regex(/^-?\d+$/)
      .transform(Number),
  ]),
  message: str,
  result: z.unknown(),
  requestId: str,
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** API Gateway failure (§3.2). The docs type `errorCode` as Integer but show a string: both read as a string. */
export const GatewayErrorSchema = z.looseObject({
  error: z.looseObject({ errorCode: idString, message: str, details: str }),
});
export type GatewayError = z.infer<typeof GatewayErrorSchema>;

// ---------------------------------------------------------------------------------------------
// Results.

/** C2 `createCDSSClusterReturnServiceGroupInstanceNo`. */
export const CreateClusterResultSchema = z.looseObject({ serviceGroupInstanceNo: idString });

/**
 * C5 `getClusterInfoList/{id}` (§5.5). `kafkaManagerUserPassword` is modelled by the SDK; should
 * the cloud ever return it, it is dropped here so no parsed object (and no log of one) holds it.
 */
export const ClusterInfoSchema = z
  .looseObject({
    clusterName: z.string(),
    status: z.string(),
    kafkaVersionCode: idString,
    serviceGroupInstanceNo: optId,
    kafkaManagerUserName: str,
    softwareProductCode: str,
    vpcNo: optId,
    managerNodeProductCode: str,
    managerNodeSubnetNo: optId,
    brokerNodeProductCode: str,
    brokerNodeSubnetNo: optId,
    brokerNodeCount: optCount,
    brokerNodeStorageSize: optCount,
    configGroupNo: optId,
    kafkaManagerUserPassword: z.unknown().optional(),
  })
  .transform(({ kafkaManagerUserPassword: _dropped, ...rest }) => rest);
export type ClusterInfo = z.output<typeof ClusterInfoSchema>;

/** C4 list item (§5.4, [SDK] `AllowedClusterInfo`). `serviceGroupInstanceNo` is a string here. */
export const ClusterListItemSchema = z.looseObject({
  serviceGroupInstanceNo: idString,
  clusterName: z.string(),
  serverStatus: z.string(),
  kafkaVersion: str,
  kafkaVersionCode: optId,
  applicationVersion: str,
  cmakVersion: str,
  softwareProductName: str,
  vpcNo: optId,
  vpcName: str,
  managerNodeCount: optCount,
  managerNodeType: str,
  managerNodeSubnetNo: optId,
  managerNodeSubnetName: str,
  brokerNodeCount: optCount,
  brokerNodeType: str,
  brokerNodeProductName: str,
  brokerStorageVolumeSize: optCount,
  brokerNodeSubnetNo: optId,
  brokerNodeSubnetName: str,
  kafkaBrokerPort: optCount,
  kafkaBrokerTlsPort: optCount,
  zookeeperPort: optCount,
  cmakPort: optCount,
  kafkaManagerUserName: str,
  isUsePublicDomain: bool,
  clusterPublicDomain: str,
  createDate: str,
  memberNo: optId,
});
export type ClusterListItem = z.infer<typeof ClusterListItemSchema>;

/** C4 `disallowedClusters[]`: clusters this (sub-)account may not access (§5.4 [INF]). */
export const DisallowedClusterSchema = z.looseObject({ serviceGroupInstanceNo: idString, clusterName: str });
export type DisallowedCluster = z.infer<typeof DisallowedClusterSchema>;

/** Paging fields shared by C4 and G1 (§5.4, §6 #4: 1-based). */
export const pagingShape = {
  currentPage: optCount,
  isFirst: bool,
  isLast: bool,
  pageSize: optCount,
  totalCount: optCount,
  totalPage: optCount,
};

export const ClusterListPageSchema = z.looseObject({
  ...pagingShape,
  allowedClusters: list(ClusterListItemSchema),
  disallowedClusters: list(DisallowedClusterSchema),
});
export type ClusterListPage = z.infer<typeof ClusterListPageSchema>;

const NodeHealthSchema = z.looseObject({ hostname: str, status: str });

/** C6 `getClusterStatus` (§5.6); C22 `rollingUpgradeProgressCheck` has the same shape (§5.15). */
export const ClusterHealthSchema = z.looseObject({
  clusterName: str,
  brokerNodeTotalNumber: optCount,
  brokerNumber: optCount,
  brokerStatus: str,
  brokerStatusPerNode: list(NodeHealthSchema),
  zookeeperTotalNumber: optCount,
  zookeeperNumber: optCount,
  zookeeperStatus: str,
  zookeeperStatusPerNode: list(NodeHealthSchema),
  cmakStatus: str,
});
export type ClusterHealth = z.infer<typeof ClusterHealthSchema>;

/** §5.11 / [TF]: every list string is split on commas or newlines, and empty items are dropped. */
export function splitEndpointList(value: string | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  return value
    .split(/[,\r\n]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
const endpointList = z
  .string()
  .nullish()
  .transform((s) => splitEndpointList(s));

/** C13 `getBrokerInfo` (§5.11). `brokerNodeDnsInfoList` items are undocumented, so kept opaque. */
export const BrokerInfoSchema = z.looseObject({
  brokerNodeDnsInfoList: list(z.unknown()),
  brokerNodeList: endpointList,
  brokerTlsNodeList: endpointList,
  publicEndpointBrokerNodeList: endpointList,
  publicEndpointBrokerNodeListenerPortList: endpointList,
  publicEndpointBrokerTlsNodeList: endpointList,
  publicEndpointBrokerTlsNodeListenerPortList: endpointList,
  localDnsList: endpointList,
  localDnsTlsList: endpointList,
  zookeeperList: endpointList,
});
export type BrokerInfo = z.infer<typeof BrokerInfoSchema>;

/** C12 `getCDSSVersionList` (§5.10). Never parse the code; compare by name or list order. */
export const KafkaVersionSchema = z.looseObject({
  kafkaVersionCode: idString,
  kafkaVersionName: str,
  applicationVersionName: str,
  cmakVersionName: str,
});
export type KafkaVersion = z.infer<typeof KafkaVersionSchema>;
export const VersionListSchema = z.looseObject({ kafkaVersionList: list(KafkaVersionSchema) });

/** G1 `getKafkaVersionConfigGroupList` item (§5.18). */
export const ConfigGroupSchema = z.looseObject({
  configGroupNo: idString,
  configGroupName: str,
  description: str,
  kafkaVersion: str,
  kafkaVersionCode: optId,
});
export type ConfigGroup = z.infer<typeof ConfigGroupSchema>;
export const ConfigGroupPageSchema = z.looseObject({ ...pagingShape, kafkaConfigGroupList: list(ConfigGroupSchema) });
export type ConfigGroupPage = z.infer<typeof ConfigGroupPageSchema>;

// ---------------------------------------------------------------------------------------------
// Requests. Integer fields accept a number or a digit string (ids are stored as strings in
// status) and go on the wire as JSON numbers, as the docs type them (§5.2, §5.15).

export const wireInt = z
  .union([z.number(), z.string().regex(/^\d+$/, 'must be a decimal integer').transform(Number)])
  .pipe(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER));

// §5.2: 3-15 chars, lowercase letters, digits and `-`; starts with a letter, ends with a letter or
// digit, no consecutive `-`. The same rule applies to the manager user name.
const clusterName = z
  .string()
  .min(3)
  .max(15)
  .regex(
    /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/,
    'lowercase letters, digits and single "-"; start with a letter, end with a letter or digit',
  );

// §5.2 [DOC]: 8-20 chars combining letters, digits and special characters; no ' " ` ₩ / & or
// whitespace. zod's messages never quote the rejected value, so the password stays out of errors.
const managerPassword = z
  .string()
  .min(8)
  .max(20)
  .refine((p) => !/['"`₩/&\s]/.test(p), 'must not contain \' " ` ₩ / & or whitespace')
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p) && /[^A-Za-z0-9]/.test(p), 'must combine letters, digits and special characters');

const storageSize = wireInt.pipe(z.number().min(100).max(2000).multipleOf(10));
const nodeCount = wireInt.pipe(z.number().min(3).max(10));
export const code = z.string().min(1);

/** C2 body, G2 servers (§5.2), exact field names. `configGroupNo` is always sent (§7). */
export const CreateClusterRequestSchema = z.strictObject({
  clusterName,
  kafkaVersionCode: wireInt,
  configGroupNo: wireInt,
  kafkaManagerUserName: clusterName,
  kafkaManagerUserPassword: managerPassword,
  softwareProductCode: code,
  vpcNo: wireInt,
  managerNodeSubnetNo: wireInt,
  managerNodeProductCode: code,
  brokerNodeSubnetNo: wireInt,
  brokerNodeCount: nodeCount,
  brokerNodeProductCode: code,
  brokerNodeStorageSize: storageSize,
});
export type CreateClusterRequest = z.input<typeof CreateClusterRequestSchema>;

/**
 * C3 body, G3/KVM servers (§5.3): `dataNode*` instead of `brokerNode*`, and names as well as
 * numbers for the VPC and subnets. The section marks only some fields required; the product
 * codes and `serverSpecCode` are optional here and left to the cloud to insist on.
 */
export const CreateKvmClusterRequestSchema = z.strictObject({
  clusterName,
  kafkaVersionCode: wireInt,
  configGroupNo: wireInt,
  kafkaManagerUserName: clusterName,
  kafkaManagerUserPassword: managerPassword,
  hypervisorCode: code,
  generationCode: code,
  softwareProductCode: code,
  vpcName: code,
  vpcNo: wireInt,
  managerNodeSubnetName: code,
  managerNodeSubnetNo: wireInt,
  managerNodeProductCode: code.optional(),
  dataNodeSubnetName: code,
  dataNodeSubnetNo: wireInt,
  dataNodeCount: nodeCount,
  dataNodeProductCode: code.optional(),
  dataNodeStorageSize: storageSize,
  serverSpecCode: code.optional(),
  dataNodeStorageType2Code: code.optional(),
  dataNodeStorageInfraResourceDetailTypeCode: code.optional(),
});
export type CreateKvmClusterRequest = z.input<typeof CreateKvmClusterRequestSchema>;

/** C8 body: brokers to ADD, not the target total (§5.8, §6 #8). */
export const AddBrokersRequestSchema = z.strictObject({ newBrokerNodeCount: wireInt.pipe(z.number().min(1).max(10)) });
export type AddBrokersRequest = z.input<typeof AddBrokersRequestSchema>;

/** C20/C21 body; the cluster id goes in the body, not the path (§5.15). Key order is the seed's. */
export const UpgradeRequestSchema = z.strictObject({
  serviceGroupInstanceNo: wireInt,
  upgradeKafkaVersionCode: wireInt,
  upgradeConfigGroupNo: wireInt,
});
export type UpgradeRequest = z.input<typeof UpgradeRequestSchema>;

/** C15 body (§5.13). */
export const ResetPasswordRequestSchema = z.strictObject({ kafkaManagerUserPassword: managerPassword });
export type ResetPasswordRequest = z.input<typeof ResetPasswordRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Node spec (C9/C10, §5.9) and public access (C16-C19, C25, §5.14, §5.11).

/** C9 body: only the code(s) to change; at least one (§5.9 [DOC]; we never send an unchanged one). */
export const ChangeSpecRequestSchema = z
  .strictObject({ managerNodeProductCode: code.optional(), brokerNodeProductCode: code.optional() })
  .refine((b) => b.managerNodeProductCode !== undefined || b.brokerNodeProductCode !== undefined, {
    message: 'give managerNodeProductCode, brokerNodeProductCode or both',
  });
export type ChangeSpecRequest = z.input<typeof ChangeSpecRequestSchema>;

/** C9 `result` (§5.9): `{isAllPossible: true}` on success. */
export const ChangeSpecResultSchema = z.looseObject({ isAllPossible: bool });

/** C10 body (§5.9): the OS image code, required. */
export const NodeProductsRequestSchema = z.strictObject({ softwareProductCode: code });

/** A C10 item ([SDK] `ProductListForCreation`), the fields a spec change decides on. */
export interface NodeProduct {
  productCode: string;
  productName?: string;
  /** false: the cloud will not change to it (a downgrade, [3P]). */
  isChangeSpec?: boolean;
  /** The cluster's current product. */
  isSelected?: boolean;
  /** A String in [SDK]. */
  cpuCount?: string;
  /** An Integer in [SDK] `ProductListForCreation`, a String in C27's list (§5.17): kept as sent. */
  memorySize?: number | string;
}
const NodeProductSchema = z
  .looseObject({
    productCode: z.string(),
    productName: str,
    isChangeSpec: bool,
    isSelected: bool,
    cpuCount: z.union([z.string(), z.number()]).nullish(),
    memorySize: z.union([z.number(), z.string()]).nullish(),
  })
  .transform((p): NodeProduct => {
    const out: NodeProduct = { productCode: p.productCode };
    if (p.productName !== null && p.productName !== undefined) out.productName = p.productName;
    if (p.isChangeSpec !== null && p.isChangeSpec !== undefined) out.isChangeSpec = p.isChangeSpec;
    if (p.isSelected !== null && p.isSelected !== undefined) out.isSelected = p.isSelected;
    if (p.cpuCount !== null && p.cpuCount !== undefined) out.cpuCount = String(p.cpuCount);
    if (p.memorySize !== null && p.memorySize !== undefined) out.memorySize = p.memorySize;
    return out;
  });
/** C10 `result`; [3P]: both lists come back empty on G3 clusters. */
export const NodeProductsSchema = z.looseObject({
  managerNodeProductList: list(NodeProductSchema),
  brokerNodeProductList: list(NodeProductSchema),
});

/** C16 body (§5.14): the load balancer number is an Integer. */
export const EnablePublicEndpointRequestSchema = z.strictObject({ loadBalancerInstanceNo: wireInt });

/** A C18 item: what the operator needs to pick a load balancer for C16. */
export interface LoadBalancerCandidate {
  /** [SDK] `LoadBalancerInstance.instanceNo` (int32), as a string; C16 takes it as `loadBalancerInstanceNo`. */
  loadBalancerInstanceNo: string;
  loadBalancerName: string;
  loadBalancerDomain?: string;
  loadBalancerIp?: string;
  instanceStatusCode?: string;
  layerTypeCode?: string;
  /** [SDK] `disable`, meaning undocumented; passed through. */
  disable?: boolean;
}
const LoadBalancerSchema = z
  .looseObject({
    // [SDK] names the number `instanceNo`; the load balancer service's own API says
    // `loadBalancerInstanceNo`. Either is read.
    instanceNo: optId,
    loadBalancerInstanceNo: optId,
    loadBalancerName: str,
    loadBalancerDomain: str,
    loadBalancerIp: str,
    instanceStatusCode: str,
    layerTypeCode: str,
    disable: bool,
  })
  .refine((l) => (l.instanceNo ?? l.loadBalancerInstanceNo) !== undefined && (l.instanceNo ?? l.loadBalancerInstanceNo) !== null, {
    message: 'a load balancer without instanceNo',
  })
  .transform((l): LoadBalancerCandidate => {
    const out: LoadBalancerCandidate = {
      loadBalancerInstanceNo: l.instanceNo ?? l.loadBalancerInstanceNo ?? '',
      loadBalancerName: l.loadBalancerName ?? '',
    };
    if (l.loadBalancerDomain) out.loadBalancerDomain = l.loadBalancerDomain;
    if (l.loadBalancerIp) out.loadBalancerIp = l.loadBalancerIp;
    if (l.instanceStatusCode) out.instanceStatusCode = l.instanceStatusCode;
    if (l.layerTypeCode) out.layerTypeCode = l.layerTypeCode;
    if (l.disable !== null && l.disable !== undefined) out.disable = l.disable;
    return out;
  });
/** C18 `result` ([SDK] `GetLoadBalancerListsResponseVo`: `{responses[], returnCode, userRequestId}`). */
export const LoadBalancerListSchema = z.looseObject({ responses: list(LoadBalancerSchema) });

/** C25 `result` ([SDK] `GetCertFileResponseVo`). */
export const CertificateSchema = z.looseObject({ certification: str });
