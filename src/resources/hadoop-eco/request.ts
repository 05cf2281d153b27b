// spec → the body of POST /v2/hadoop-eco/clusters (spec kakaocloud-hadoop-eco-api.md §2.1). Pure:
// the reconciler reads the Secrets and passes their values in. Choices between conflicting
// sources follow the spec's §5 and are noted where they are made.
import type { CreateClusterRequest } from '../../clouds/kakaocloud/types.ts';
import type { HadoopEcoSpec } from './schema.ts';

export interface CreateSecrets {
  adminPassword?: string | undefined;
  mysqlPassword?: string | undefined;
}

/** RFC 4648 Base64 of UTF-8 text, one line, with padding (spec §5 "Base64 rules"). */
export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * The configuration JSON as the seed builds it: pretty-printed with two spaces and a final newline
 * (the seed's example 1 configText decodes to exactly that), so our Base64 matches the cloud's
 * own examples byte for byte.
 */
export function configText(configurations: NonNullable<HadoopEcoSpec['configurations']>): string {
  return base64(`${JSON.stringify({ configurations }, null, 2)}\n`);
}

export function buildCreateRequest(spec: HadoopEcoSpec, clusterName: string, secrets: CreateSecrets): CreateClusterRequest {
  const admin = spec.adminAccount;
  const task = spec.userTask;
  const mysql = spec.hiveMetastore?.mysql;
  return {
    name: clusterName,
    clusterType: spec.clusterType,
    clusterVersion: spec.clusterVersion,
    isHa: spec.highAvailability,
    workerCnt: spec.workerCount,
    vpcId: spec.vpcId,
    subnetId: spec.subnetId,
    ...(spec.securityGroupIds ? { securityGroupIds: spec.securityGroupIds } : {}),
    ...(spec.securityGroupName ? { securityGroupName: spec.securityGroupName } : {}),
    keypairName: spec.keyPairName,
    monitoring: spec.monitoring,
    masterFlavorName: spec.master.flavorName,
    workerFlavorName: spec.worker.flavorName,
    masterVolumeSize: spec.master.volumeSize,
    workerVolumeSize: spec.worker.volumeSize,
    ...(admin
      ? {
          adminInfo: {
            ...(admin.userId ? { userId: admin.userId } : {}),
            // Passwords are encoded without the trailing newline `echo | base64` would add (spec §5).
            ...(secrets.adminPassword !== undefined ? { userPw: base64(secrets.adminPassword) } : {}),
          },
        }
      : {}),
    config: {
      hdfsReplication: spec.hdfs.replication,
      hdfsBlockSize: spec.hdfs.blockSizeMB, // spec §5 #3: not the field table's `BlockSize`
      ...(spec.configurations ? { configText: configText(spec.configurations) } : {}),
      // spec §5 #1: `configFileUrl` (example 3 and the GET response), not the table's `fileUrl`.
      ...(spec.configFileUrl ? { configFileUrl: spec.configFileUrl } : {}),
      ...(spec.userScript?.inline !== undefined ? { userScript: base64(spec.userScript.inline) } : {}),
      // spec §5 #4: example 2's `userScriptFileUrl`, absent from the field table.
      ...(spec.userScript?.fileUrl ? { userScriptFileUrl: spec.userScript.fileUrl } : {}),
    },
    ...(task
      ? {
          userTask: {
            type: task.type,
            terminationPolicy: task.terminationPolicy,
            ...(task.fileUrl ? { fileUrl: task.fileUrl } : {}),
            ...(task.hiveQuery ? { hiveQuery: task.hiveQuery } : {}),
            ...(task.deployMode ? { deployMode: task.deployMode } : {}),
            ...(task.execOptions !== undefined ? { execOpts: task.execOptions } : {}),
            ...(task.execParameters !== undefined ? { execParams: task.execParameters } : {}),
            ...(task.logBucketName ? { logBucketName: task.logBucketName } : {}),
          },
        }
      : {}),
    ...(mysql
      ? {
          hiveDbInfo: {
            objectId: mysql.objectId,
            dbName: mysql.databaseName,
            userId: mysql.userId,
            userPw: base64(secrets.mysqlPassword ?? ''),
          },
        }
      : {}),
    // spec §5 #2: `dataCatalogInfo` (heading, table, GET response), not example 1's `dataCatalog`.
    ...(spec.hiveMetastore?.dataCatalog ? { dataCatalogInfo: { catalogId: spec.hiveMetastore.dataCatalog.catalogId } } : {}),
    ...(spec.redis
      ? {
          redisInfo: {
            objectId: spec.redis.objectId,
            ...(spec.redis.celeryDbIndex !== undefined ? { dbIdSupersetCelery: spec.redis.celeryDbIndex } : {}),
            ...(spec.redis.resultsDbIndex !== undefined ? { dbIdSupersetResults: spec.redis.resultsDbIndex } : {}),
          },
        }
      : {}),
  };
}
