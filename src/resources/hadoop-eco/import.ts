// The cloud's answer → a HadoopEcoCluster spec that adopts the cluster (`kubectl cdo import`): the
// inverse of request.ts, field for field, from GET /v2/hadoop-eco/clusters/{id} (spec
// kakaocloud-hadoop-eco-api.md §2.2). Pure, and checked against the kind's own zod schema, so a
// manifest it prints is one the operator accepts.
//
// What the cloud never returns (spec §2.2 notes) cannot be imported: passwords become Secret
// references to fill in, and the user script is left out (it only runs when a VM is created,
// which an adopted cluster already was).
import type { z } from 'zod';
import type { ClusterDetail } from '../../clouds/kakaocloud/types.ts';
import type { HadoopEcoRegion } from '../../clouds/kakaocloud/regions.ts';
import {
  ImportMappingError,
  adoptingFields,
  passwordToFill,
  type ImportOptions,
  type ImportedSpec,
  type SecretToFill,
} from '../core/import.ts';
import { hadoopEcoSpecSchema } from './schema.ts';

type SpecInput = z.input<typeof hadoopEcoSpecSchema>;

export type HadoopEcoImportOptions = ImportOptions<HadoopEcoRegion>;

const defined = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/**
 * The configurations the cloud holds as configText: Base64 of `{"configurations": [...]}` (what
 * request.ts configText sends). Undefined when absent; an error message when it is not that shape.
 */
export function configurationsOf(configText: string | null | undefined): SpecInput['configurations'] | string {
  if (!configText) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(configText, 'base64').toString('utf8')) as { configurations?: unknown };
    const checked = hadoopEcoSpecSchema.shape.configurations.safeParse(parsed.configurations);
    if (checked.success && checked.data) return parsed.configurations as SpecInput['configurations'];
  } catch {
    // not JSON: reported below
  }
  return 'the cloud holds a configText that is not a {"configurations": [...]} JSON document';
}

export function importHadoopEcoSpec(detail: ClusterDetail, opts: HadoopEcoImportOptions): ImportedSpec<SpecInput> {
  const notes: string[] = [];
  const secrets: SecretToFill[] = [];
  const fill = (path: string, suffix: string, what: string) => passwordToFill(secrets, opts.resourceName, path, suffix, what);
  const master = detail.masterInfo?.[0];
  const worker = detail.workerInfo?.[0];
  const config = detail.config;
  const configurations = configurationsOf(config?.configText);
  if (typeof configurations === 'string') notes.push(`configurations left out: ${configurations}`);
  const task = detail.userTask;
  const mysql = detail.hiveDbInfo;
  const redis = detail.redisInfo;
  const spec: SpecInput = {
    ...adoptingFields(detail.id, detail.name, opts),
    clusterType: detail.clusterType ?? '',
    clusterVersion: detail.clusterVersion ?? '',
    highAvailability: detail.isHa ?? false,
    keyPairName: detail.keypairName ?? '',
    master: { flavorName: master?.flavorName ?? '', volumeSize: master?.volumeSize ?? 0 },
    worker: { flavorName: worker?.flavorName ?? '', volumeSize: worker?.volumeSize ?? 0 },
    workerCount: detail.workerCnt ?? 0,
    monitoring: detail.monitoring ?? false,
    vpcId: detail.vpcId ?? '',
    subnetId: detail.subnetId ?? '',
    // A cluster created with securityGroupName reports the group the cloud made for it: the ids
    // are what the cluster uses now, and the one of the pair the cloud can tell.
    securityGroupIds: detail.securityGroupIds ?? [],
    ...(detail.adminInfo?.userId
      ? {
          adminAccount: {
            userId: detail.adminInfo.userId,
            passwordSecretRef: fill('adminAccount.passwordSecretRef', 'admin', 'the Hue/Superset admin password'),
          },
        }
      : {}),
    hdfs: { replication: config?.hdfsReplication ?? 0, blockSizeMB: config?.hdfsBlockSize ?? 0 },
    ...(configurations && typeof configurations !== 'string' ? { configurations } : {}),
    ...(config?.configFileUrl ? { configFileUrl: config.configFileUrl } : {}),
    ...(task?.type
      ? {
          userTask: {
            type: task.type as 'hive' | 'spark',
            terminationPolicy: (task.terminationPolicy ?? '') as 'never',
            ...(task.fileUrl ? { fileUrl: task.fileUrl } : {}),
            ...(task.hiveQuery ? { hiveQuery: task.hiveQuery } : {}),
            ...(task.deployMode ? { deployMode: task.deployMode as 'cluster' | 'client' } : {}),
            ...(defined(task.execOpts) ? { execOptions: task.execOpts } : {}),
            ...(defined(task.execParams) ? { execParameters: task.execParams } : {}),
            ...(task.logBucketName ? { logBucketName: task.logBucketName } : {}),
          },
        }
      : {}),
    ...(mysql?.objectId
      ? {
          hiveMetastore: {
            mysql: {
              objectId: mysql.objectId,
              databaseName: mysql.dbName ?? '',
              userId: mysql.userId ?? '',
              passwordSecretRef: fill('hiveMetastore.mysql.passwordSecretRef', 'metastore', 'the Hive metastore MySQL password'),
            },
          },
        }
      : detail.dataCatalogInfo?.catalogId
        ? { hiveMetastore: { dataCatalog: { catalogId: detail.dataCatalogInfo.catalogId } } }
        : {}),
    ...(redis?.objectId
      ? {
          redis: {
            objectId: redis.objectId,
            ...(defined(redis.dbIdSupersetCelery) ? { celeryDbIndex: redis.dbIdSupersetCelery } : {}),
            ...(defined(redis.dbIdSupersetResults) ? { resultsDbIndex: redis.dbIdSupersetResults } : {}),
          },
        }
      : {}),
  };
  notes.push('userScript is not imported: the cloud never returns it, and it runs only when a VM is created.');
  const checked = hadoopEcoSpecSchema.safeParse(spec);
  if (!checked.success) throw new ImportMappingError('HadoopEcoCluster', detail.id, checked.error);
  return { spec, secrets, notes };
}
