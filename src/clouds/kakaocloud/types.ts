// Wire types of the Hadoop Eco Open API (spec kakaocloud-hadoop-eco-api.md §2). The request is
// strict, so a typo in the operator never reaches the cloud as a silently ignored field; the
// responses are loose, because the service is undocumented beyond examples and grows fields.
import { z } from 'zod';

// RFC 4648 standard alphabet with padding, no line breaks (spec §5 "Base64 rules").
const base64 = z
  .string()
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'must be standard Base64 without line breaks');
const gb = z.number().int().positive();

export const CreateClusterRequestSchema = z
  .strictObject({
    name: z.string().min(1),
    clusterType: z.string().min(1),
    clusterVersion: z.string().min(1),
    isHa: z.boolean(),
    keypairName: z.string().min(1),
    masterFlavorName: z.string().min(1),
    masterVolumeSize: gb,
    workerCnt: z.number().int().positive(),
    workerFlavorName: z.string().min(1),
    workerVolumeSize: gb,
    monitoring: z.boolean(),
    securityGroupIds: z.array(z.string().min(1)).min(1).optional(),
    securityGroupName: z.string().min(1).optional(),
    vpcId: z.string().min(1),
    subnetId: z.string().min(1),
    adminInfo: z.strictObject({ userId: z.string().min(1).optional(), userPw: base64.optional() }).optional(),
    // spec §5 #1/#3: `configFileUrl` and `hdfsBlockSize` (the GET response's names), not the field
    // table's `fileUrl` / `BlockSize`.
    config: z.strictObject({
      hdfsReplication: z.number().int().positive(),
      hdfsBlockSize: z.number().int().positive(),
      configText: base64.optional(),
      configFileUrl: z.string().min(1).optional(),
      userScript: base64.optional(),
      userScriptFileUrl: z.string().min(1).optional(),
    }),
    userTask: z
      .strictObject({
        type: z.enum(['hive', 'spark']),
        terminationPolicy: z.enum(['never', 'onSuccess', 'always']),
        fileUrl: z.string().min(1).optional(),
        hiveQuery: z.string().min(1).optional(),
        deployMode: z.enum(['cluster', 'client']).optional(),
        execOpts: z.string().optional(),
        execParams: z.string().optional(),
        logBucketName: z.string().min(1).optional(),
      })
      .optional(),
    hiveDbInfo: z
      .strictObject({ objectId: z.string().min(1), dbName: z.string().min(1), userId: z.string().min(1), userPw: base64 })
      .optional(),
    // spec §5 #2: `dataCatalogInfo` (heading, table and response), not example 1's `dataCatalog`.
    dataCatalogInfo: z.strictObject({ catalogId: z.string().min(1) }).optional(),
    redisInfo: z
      .strictObject({
        objectId: z.string().min(1),
        dbIdSupersetCelery: z.number().int().min(0).max(15).optional(),
        dbIdSupersetResults: z.number().int().min(0).max(15).optional(),
      })
      .optional(),
  })
  // spec §7 "client-side validation before create".
  .superRefine((req, ctx) => {
    if ((req.securityGroupIds === undefined) === (req.securityGroupName === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['securityGroupIds'],
        message: 'exactly one of securityGroupIds and securityGroupName must be set',
      });
    }
    if (req.workerCnt < req.config.hdfsReplication) {
      ctx.addIssue({ code: 'custom', path: ['workerCnt'], message: 'workerCnt must be at least config.hdfsReplication' });
    }
    if (req.hiveDbInfo !== undefined && req.dataCatalogInfo !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['dataCatalogInfo'], message: 'at most one of hiveDbInfo and dataCatalogInfo may be set' });
    }
  });
export type CreateClusterRequest = z.infer<typeof CreateClusterRequestSchema>;

// Responses: anything beyond the identifying fields may be missing or null on some cluster
// state (a tombstone, a type without a given UI) or API version.
const str = z.string().nullish();
const num = z.number().nullish();
const bool = z.boolean().nullish();

export const ClusterActionResponseSchema = z.looseObject({ id: z.string(), name: str, status: str });
export type ClusterActionResponse = z.infer<typeof ClusterActionResponseSchema>;

const NodeGroupSchema = z.looseObject({ flavorId: str, flavorName: str, volumeSize: num });

export const ClusterDetailSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  owner: str,
  clusterType: str,
  clusterVersion: str,
  isHa: bool,
  isScalable: bool,
  apiKeyStatus: str,
  masterCnt: num,
  workerCnt: num,
  nodeCnt: num,
  vpcId: str,
  subnetId: str,
  securityGroupIds: z.array(z.string()).nullish(),
  keypairName: str,
  monitoring: bool,
  imageName: str,
  nameNodeUrl: str,
  resourceManagerUrl: str,
  hueUrl: str,
  hmasterUrl: str,
  trinoUrl: str,
  druidUrl: str,
  supersetUrl: str,
  createdAt: num,
  runningAt: num,
  elapsedTime: num,
  totalVmUptime: num,
  masterInfo: z.array(NodeGroupSchema).nullish(),
  workerInfo: z.array(NodeGroupSchema).nullish(),
  adminInfo: z.looseObject({ userId: str }).nullish(),
  config: z.looseObject({ hdfsBlockSize: num, hdfsReplication: num, configText: str, configFileUrl: str }).nullish(),
  userTask: z
    .looseObject({
      type: str,
      terminationPolicy: str,
      fileUrl: str,
      hiveQuery: str,
      deployMode: str,
      execOpts: str,
      execParams: str,
      logBucketName: str,
      logUrl: str,
    })
    .nullish(),
  hiveDbInfo: z.looseObject({ objectId: str, subnetId: str, name: str, host: str, port: num, dbName: str, userId: str }).nullish(),
  dataCatalogInfo: z
    .looseObject({ metastoreUri: str, catalogId: str, catalogName: str, vpcId: str, vpcName: str, subnetId: str, subnetName: str })
    .nullish(),
  redisInfo: z
    .looseObject({
      objectId: str,
      name: str,
      subnetId: str,
      primaryEndpoint: str,
      readEndpoint: str,
      clusterEnabled: bool,
      port: num,
      dbIdSupersetCelery: num,
      dbIdSupersetResults: num,
    })
    .nullish(),
});
export type ClusterDetail = z.infer<typeof ClusterDetailSchema>;

export const ClusterSummarySchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  owner: str,
  clusterType: str,
  clusterVersion: str,
  isScalable: bool,
  apiKeyStatus: str,
  masterCnt: num,
  workerCnt: num,
  nodeCnt: num,
  createdAt: num,
  runningAt: num,
  elapsedTime: num,
});
export type ClusterSummary = z.infer<typeof ClusterSummarySchema>;

export const VmSchema = z.looseObject({
  name: z.string(),
  instanceId: str,
  index: num,
  isMaster: bool,
  status: str,
  flavorName: str,
  ip: str,
  // spec §5 #11: omitted when the VM has no public IP.
  floatingIp: str,
  createdAt: num,
});
export type Vm = z.infer<typeof VmSchema>;

const SortInfoSchema = z.looseObject({ sorted: bool, unsorted: bool, empty: bool });

const pageMetaShape = {
  pageable: z
    .looseObject({ pageNumber: num, pageSize: num, sort: SortInfoSchema.nullish(), offset: num, paged: bool, unpaged: bool })
    .nullish(),
  totalPages: num,
  totalElements: num,
  last: bool,
  first: bool,
  empty: bool,
  numberOfElements: num,
  size: num,
  /** The current page, 0-based. */
  number: num,
  sort: SortInfoSchema.nullish(),
};
export const PageMetaSchema = z.looseObject(pageMetaShape);

/** Spring Data `Page` envelope (spec §2.3). */
export type Page<T> = z.infer<typeof PageMetaSchema> & { content: T[] };

/** A missing or null `content` reads as an empty page. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    ...pageMetaShape,
    content: z
      .array(item)
      .nullish()
      .transform((c): Array<z.output<T>> => c ?? []),
  });
}

export const ClusterPageSchema = pageSchema(ClusterSummarySchema);
export const VmPageSchema = pageSchema(VmSchema);
