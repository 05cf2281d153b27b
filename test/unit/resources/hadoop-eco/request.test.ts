// HadoopEcoCluster spec → the body of POST /v2/hadoop-eco/clusters (spec kakaocloud-hadoop-eco-api.md
// §2.1), field by field for what the seed's three examples (test/contract/hadoop-eco) do not show:
// Spark parameters, Redis, admin accounts without a password, the MySQL metastore password.
import { describe, expect, it } from 'vitest';
import { CreateClusterRequestSchema } from '../../../../src/clouds/kakaocloud/types.ts';
import { base64, buildCreateRequest } from '../../../../src/resources/hadoop-eco/request.ts';
import { hadoopEcoSpecSchema, type HadoopEcoSpec } from '../../../../src/resources/hadoop-eco/schema.ts';

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

function spec(over: Record<string, unknown> = {}): HadoopEcoSpec {
  return hadoopEcoSpecSchema.parse({
    clusterType: 'hadoop',
    clusterVersion: 'hde-2.0.1',
    keyPairName: 'kp',
    master: { flavorName: 'm2a.xlarge', volumeSize: 50 },
    worker: { flavorName: 'm2a.xlarge', volumeSize: 100 },
    workerCount: 2,
    vpcId: 'vpc-1',
    subnetId: 'subnet-1',
    securityGroupName: 'sg-analytics',
    hdfs: { replication: 2, blockSizeMB: 128 },
    ...over,
  });
}

const sparkTask = {
  type: 'spark',
  terminationPolicy: 'onSuccess',
  fileUrl: 'https://objectstorage.kr-central-2.kakaocloud.com/v1/p/bucket/job.jar',
  deployMode: 'cluster',
};

describe('buildCreateRequest: userTask', () => {
  it('sends Spark application arguments as execParams, next to the spark-submit options', () => {
    const body = buildCreateRequest(
      spec({ userTask: { ...sparkTask, execOptions: '--class org.example.Main', execParameters: 's3a://in s3a://out' } }),
      'analytics',
      {},
    );
    expect(body.userTask).toEqual({
      type: 'spark',
      terminationPolicy: 'onSuccess',
      fileUrl: sparkTask.fileUrl,
      deployMode: 'cluster',
      execOpts: '--class org.example.Main',
      execParams: 's3a://in s3a://out',
    });
    expect(CreateClusterRequestSchema.safeParse(body).success).toBe(true);
  });

  it('sends execParams that are set but empty as they are', () => {
    expect(buildCreateRequest(spec({ userTask: { ...sparkTask, execParameters: '' } }), 'analytics', {}).userTask?.execParams).toBe('');
  });

  it('leaves execOpts and execParams out when the spec has neither', () => {
    const task = buildCreateRequest(spec({ userTask: sparkTask }), 'analytics', {}).userTask;
    expect(task).not.toHaveProperty('execOpts');
    expect(task).not.toHaveProperty('execParams');
  });
});

describe('buildCreateRequest: redisInfo (Superset cache and Celery broker)', () => {
  it('sends the Redis instance and both DB indices, 0 included', () => {
    const body = buildCreateRequest(
      spec({ clusterType: 'dataflow', redis: { objectId: 'redis-1', celeryDbIndex: 0, resultsDbIndex: 15 } }),
      'analytics',
      {},
    );
    expect(body.redisInfo).toEqual({ objectId: 'redis-1', dbIdSupersetCelery: 0, dbIdSupersetResults: 15 });
    expect(CreateClusterRequestSchema.safeParse(body).success).toBe(true);
  });

  it('leaves a DB index out when the spec has none, so the cloud uses its default', () => {
    expect(buildCreateRequest(spec({ redis: { objectId: 'redis-1', resultsDbIndex: 3 } }), 'analytics', {}).redisInfo).toStrictEqual({
      objectId: 'redis-1',
      dbIdSupersetResults: 3,
    });
    expect(buildCreateRequest(spec({ redis: { objectId: 'redis-1', celeryDbIndex: 2 } }), 'analytics', {}).redisInfo).toStrictEqual({
      objectId: 'redis-1',
      dbIdSupersetCelery: 2,
    });
  });

  it('has no redisInfo without spec.redis', () => {
    expect(buildCreateRequest(spec(), 'analytics', {})).not.toHaveProperty('redisInfo');
  });
});

describe('buildCreateRequest: adminInfo', () => {
  it('sends an admin user without a password as the user alone (the cloud keeps the IAM password)', () => {
    const body = buildCreateRequest(spec({ adminAccount: { userId: 'hue-admin' } }), 'analytics', {});
    expect(body.adminInfo).toStrictEqual({ userId: 'hue-admin' });
    expect(CreateClusterRequestSchema.safeParse(body).success).toBe(true);
  });

  it('sends a password without a user as the Base64 password alone', () => {
    const body = buildCreateRequest(spec({ adminAccount: { passwordSecretRef: { name: 's', key: 'k' } } }), 'analytics', {
      adminPassword: 'Hue-Admin1!',
    });
    expect(body.adminInfo).toStrictEqual({ userPw: base64('Hue-Admin1!') });
    expect(decode(body.adminInfo!.userPw!)).toBe('Hue-Admin1!');
  });

  it('has no adminInfo without spec.adminAccount, even when a password is at hand', () => {
    expect(buildCreateRequest(spec(), 'analytics', { adminPassword: 'x' })).not.toHaveProperty('adminInfo');
  });
});

describe('buildCreateRequest: hiveDbInfo (external MySQL metastore)', () => {
  const mysql = { objectId: 'mysql-1', databaseName: 'metastore', userId: 'hive', passwordSecretRef: { name: 'db', key: 'password' } };

  it('sends the instance, database, user and the Base64 password', () => {
    const body = buildCreateRequest(spec({ hiveMetastore: { mysql } }), 'analytics', { mysqlPassword: 'p@ss wörd' });
    expect(body.hiveDbInfo).toEqual({ objectId: 'mysql-1', dbName: 'metastore', userId: 'hive', userPw: base64('p@ss wörd') });
    expect(decode(body.hiveDbInfo!.userPw)).toBe('p@ss wörd');
    expect(body).not.toHaveProperty('dataCatalogInfo');
  });

  it('sends an empty password when none is given, still valid Base64', () => {
    const body = buildCreateRequest(spec({ hiveMetastore: { mysql } }), 'analytics', {});
    expect(body.hiveDbInfo?.userPw).toBe('');
    expect(CreateClusterRequestSchema.safeParse(body).success).toBe(true);
  });
});

describe('base64', () => {
  it('encodes UTF-8 text, padded, without a trailing newline', () => {
    expect(base64('hello')).toBe('aGVsbG8=');
    expect(base64('비밀')).toBe('67mE67CA');
  });
});
