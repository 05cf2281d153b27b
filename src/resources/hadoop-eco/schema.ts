// HadoopEcoCluster (kakaocloud.cdo.dev/v1alpha1): the single source of the kind's TypeScript
// types, its runtime validation and its CRD (crds/ is generated from this file). Field names are
// the user's words; request.ts maps them to the cloud's (spec kakaocloud-hadoop-eco-api.md §2.1).
import { z } from 'zod';
import { HADOOP_ECO_REGIONS } from '../../clouds/kakaocloud/regions.ts';
import { immutable } from '../../runtime/crd.ts';
import { column, kindResource, managedCrd } from '../core/crd.ts';
import { connectionInfoSchema } from '../core/connection-info.ts';
import { changeSafety, commonStatus, deletionPolicy, managementPolicy, secretKeyRef } from '../core/schema.ts';

export type HadoopEcoSpec = z.output<typeof hadoopEcoSpecSchema>;
export type HadoopEcoStatus = z.output<typeof hadoopEcoStatusSchema>;

export const hadoopEcoResource = kindResource('kakaocloud.cdo.dev', 'HadoopEcoCluster');

const recreate = 'Hadoop Eco cannot change it on an existing cluster; create a new HadoopEcoCluster instead';
const fixed = <T extends z.ZodType>(schema: T, what: string) => immutable(schema, what, recreate);
const gb = (what: string) => z.number().int().min(1).describe(`${what} volume size in GB.`);
const url = z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL');

// Spec §2.1 leaves name rules undocumented; VMs are named HadoopWRK-{name}-{n}, so keep names to
// lowercase letters, digits and hyphens, letter first, short enough for a hostname (spec §2.1 [INF]).
export const clusterNamePattern = '^[a-z][a-z0-9-]{1,48}[a-z0-9]$';

const nodeGroup = (role: string) =>
  z.object({
    flavorName: z.string().min(1).describe(`Instance type of the ${role} nodes, e.g. m2a.xlarge.`),
    volumeSize: gb(role),
  });

const configuration = z.object({
  classification: z
    .string()
    .min(1)
    .describe('Configuration file without extension (core-site, hive-site, spark-defaults, hadoop-env, user-env:<user> …).'),
  properties: z
    .record(z.string(), z.union([z.string(), z.number().int()]))
    .describe('Key/value pairs for that file; values are strings or integers, as the cloud takes them.'),
});

const userTask = z
  .object({
    type: z.enum(['hive', 'spark']).describe('The job to run once the cluster is installed.'),
    terminationPolicy: z
      .enum(['never', 'onSuccess', 'always'])
      .describe('After the job: keep the cluster, end it if the job succeeded, or always end it.'),
    fileUrl: url.optional().describe('Hive: Object Storage URL of a query file. Spark: URL of the application jar.'),
    hiveQuery: z.string().min(1).optional().describe('Hive: the query text.'),
    deployMode: z.enum(['cluster', 'client']).optional().describe('Spark only: spark-submit deploy mode.'),
    execOptions: z.string().optional().describe('Hive CLI options or spark-submit options.'),
    execParameters: z.string().optional().describe('Spark only: application arguments.'),
    logBucketName: z.string().min(1).optional().describe('Object Storage bucket for job logs (<bucket>/HadoopEco/<clusterName>).'),
  })
  .describe('Run a Hive or Spark job after installation (a job cluster).')
  .meta({
    'x-kubernetes-validations': [
      { rule: "self.type != 'spark' || has(self.fileUrl)", message: 'a spark userTask needs fileUrl (the application jar)' },
      {
        rule: "self.type != 'hive' || has(self.fileUrl) != has(self.hiveQuery)",
        message: 'a hive userTask needs exactly one of hiveQuery and fileUrl',
      },
      {
        rule: "self.type == 'spark' || (!has(self.deployMode) && !has(self.execParameters))",
        message: 'deployMode and execParameters apply to spark jobs only',
      },
    ],
  });

export const hadoopEcoSpecSchema = z
  .object({
    clusterName: fixed(z.string().regex(new RegExp(clusterNamePattern)), 'clusterName')
      .optional()
      .describe('Name of the cloud cluster; defaults to metadata.name. Lowercase letters, digits and hyphens, 3-50 characters.'),
    region: fixed(z.enum(HADOOP_ECO_REGIONS), 'region')
      .default('kr-central-2')
      .describe('KakaoCloud region; its endpoint is operator configuration.'),
    credentialsSecretRef: z
      .object({
        name: z.string().min(1).describe('Secret in this namespace with keys credentialId and credentialSecret (a KakaoCloud access key).'),
      })
      .optional()
      .describe('Cloud credentials; when omitted, the operator-wide default credentials (if configured) are used.'),
    clusterId: fixed(z.string().min(1), 'clusterId').optional().describe('Adopt this existing cloud cluster instead of creating one.'),
    deletionPolicy,
    managementPolicy,
    ...changeSafety,
    connectionInfo: connectionInfoSchema,
    clusterType: fixed(z.string().regex(/^[a-z]+$/), 'clusterType').describe('hadoop (Core Hadoop), hbase, trino or dataflow.'),
    clusterVersion: fixed(z.string().regex(/^hde-\d+\.\d+\.\d+$/), 'clusterVersion').describe('Hadoop Eco version, e.g. hde-2.0.1.'),
    highAvailability: fixed(z.boolean(), 'highAvailability')
      .default(false)
      .describe('true: 3 master nodes (HDFS and YARN in HA); false: 1 master.'),
    keyPairName: fixed(z.string().min(1), 'keyPairName').describe('Existing key pair for the cluster VMs.'),
    master: fixed(nodeGroup('master'), 'master').describe('Master nodes.'),
    worker: fixed(nodeGroup('worker'), 'worker').describe('Worker nodes (their number is workerCount).'),
    workerCount: z
      .number()
      .int()
      .min(1)
      .describe('Number of worker nodes. Changing it scales the cluster out or in (never below hdfs.replication).'),
    monitoring: fixed(z.boolean(), 'monitoring').default(false).describe('Install the monitoring agent.'),
    vpcId: fixed(z.string().min(1), 'vpcId').describe('VPC to install into.'),
    subnetId: fixed(z.string().min(1), 'subnetId').describe('Subnet (it decides the availability zone).'),
    securityGroupIds: fixed(z.array(z.string().min(1)).min(1), 'securityGroupIds')
      .optional()
      .describe('Existing security groups to use (exactly one of securityGroupIds and securityGroupName).'),
    securityGroupName: fixed(z.string().min(1), 'securityGroupName')
      .optional()
      .describe('Name of a security group the cloud creates for the cluster.'),
    adminAccount: fixed(
      z.object({
        userId: z.string().min(1).optional().describe('Hue/Superset admin user; the IAM account when omitted.'),
        passwordSecretRef: secretKeyRef('the Hue/Superset admin password').optional(),
      }),
      'adminAccount',
    )
      .optional()
      .describe('Hue/Superset admin account. Without it the cloud uses the IAM account and its password.'),
    hdfs: fixed(
      z.object({
        replication: z.number().int().min(1).describe('HDFS replication factor (at most workerCount).'),
        blockSizeMB: z.number().int().min(1).describe('HDFS block size in MB, e.g. 128.'),
      }),
      'hdfs',
    ).describe('HDFS settings, fixed at creation.'),
    configurations: fixed(z.array(configuration).min(1), 'configurations')
      .optional()
      .describe('Cluster configuration overrides; the operator sends them as the Base64 configText the cloud expects.'),
    configFileUrl: fixed(url, 'configFileUrl')
      .optional()
      .describe('Object Storage URL of a configuration JSON file (instead of configurations).'),
    userScript: fixed(
      z
        .object({
          inline: z
            .string()
            .min(1)
            .optional()
            .describe('Bash script run on every VM when it is created (plain text; the operator Base64-encodes it).'),
          fileUrl: url.optional().describe('Object Storage URL of the script.'),
        })
        .meta({
          'x-kubernetes-validations': [
            { rule: 'has(self.inline) != has(self.fileUrl)', message: 'userScript needs exactly one of inline and fileUrl' },
          ],
        }),
      'userScript',
    )
      .optional()
      .describe('A bootstrap script run on every VM when it is created: exactly one of inline and fileUrl.'),
    userTask: fixed(userTask, 'userTask').optional(),
    hiveMetastore: fixed(
      z
        .object({
          mysql: z
            .object({
              objectId: z.string().min(1).describe('KakaoCloud MySQL instance id.'),
              databaseName: z.string().min(1).describe('The metastore database; it must exist already.'),
              userId: z.string().min(1).describe('MySQL user the Hive metastore connects as.'),
              passwordSecretRef: secretKeyRef('the MySQL password'),
            })
            .optional()
            .describe('External MySQL as the Hive metastore.'),
          dataCatalog: z
            .object({ catalogId: z.string().min(1).describe('KakaoCloud Data Catalog id.') })
            .optional()
            .describe('KakaoCloud Data Catalog as the Hive metastore.'),
        })
        .meta({
          'x-kubernetes-validations': [
            { rule: 'has(self.mysql) != has(self.dataCatalog)', message: 'hiveMetastore needs exactly one of mysql and dataCatalog' },
          ],
        }),
      'hiveMetastore',
    )
      .optional()
      .describe('An external Hive metastore: exactly one of mysql and dataCatalog. Without it the cluster keeps its own.'),
    redis: fixed(
      z.object({
        objectId: z.string().min(1).describe('KakaoCloud Redis instance id (Superset cache and Celery broker).'),
        celeryDbIndex: z.number().int().min(0).max(15).optional().describe('Redis DB for Superset Celery (cloud default 0).'),
        resultsDbIndex: z.number().int().min(0).max(15).optional().describe('Redis DB for Superset results (cloud default 1).'),
      }),
      'redis',
    )
      .optional()
      .describe('KakaoCloud Redis for Superset (its cache and Celery broker); for cluster types with Superset.'),
  })
  .describe('The Hadoop Eco cluster this resource asks for. Most fields are fixed at creation; workerCount scales it.')
  .meta({
    'x-kubernetes-validations': [
      {
        rule: 'self.hdfs.replication <= self.workerCount',
        message: 'workerCount must be at least hdfs.replication: HDFS cannot keep its replicas on fewer workers',
      },
      {
        rule: 'has(self.securityGroupIds) != has(self.securityGroupName)',
        message: 'set exactly one of securityGroupIds (existing groups) and securityGroupName (a group the cloud creates)',
      },
      { rule: '!(has(self.configurations) && has(self.configFileUrl))', message: 'set at most one of configurations and configFileUrl' },
      // Optional immutable fields may not appear or disappear after creation either.
      ...(
        [
          'clusterName',
          'clusterId',
          'securityGroupIds',
          'securityGroupName',
          'adminAccount',
          'configurations',
          'configFileUrl',
          'userScript',
          'userTask',
          'hiveMetastore',
          'redis',
        ] as const
      ).map((f) => ({
        rule: `has(self.${f}) == has(oldSelf.${f})`,
        message: `${f} cannot be added or removed after creation: ${recreate}`,
      })),
    ],
  });

export const vmSchema = z
  .object({
    name: z.string().describe('VM name as the cloud gives it (HadoopMST-<cluster>-<n>, HadoopWRK-<cluster>-<n>).'),
    role: z.enum(['master', 'worker']).describe('master or worker.'),
    status: z.string().describe("The VM's status in the cloud's words (e.g. Running)."),
    flavor: z.string().optional().describe('Instance type of the VM.'),
    privateIp: z.string().optional().describe('Private IP address of the VM in the VPC.'),
  })
  .describe('One VM of the cluster.');

export const hadoopEcoStatusSchema = z
  .object({
    ...commonStatus,
    cloudStatus: z.string().optional().describe("The cloud's own status word, verbatim (Initializing, Running, Terminated(User) …)."),
    masterCount: z.number().int().optional().describe('Master nodes the cloud reports (1, or 3 with highAvailability; 0 once terminated).'),
    workerCount: z.number().int().optional().describe('Workers the cloud reports (the scale subresource reads it).'),
    nodeCount: z.number().int().optional().describe('All nodes the cloud reports (masters + workers).'),
    scalable: z.boolean().optional().describe('Whether the cloud accepts a scale operation now.'),
    url: z.string().optional().describe('The most useful web UI: Hue, Superset, Trino or the NameNode, in that order.'),
    endpoints: z
      .object({
        nameNode: z.string().optional().describe('HDFS NameNode web UI.'),
        resourceManager: z.string().optional().describe('YARN ResourceManager web UI.'),
        hue: z.string().optional().describe('Hue web UI.'),
        hmaster: z.string().optional().describe('HBase HMaster web UI (hbase clusters).'),
        trino: z.string().optional().describe('Trino web UI (trino clusters).'),
        druid: z.string().optional().describe('Druid web UI (dataflow clusters).'),
        superset: z.string().optional().describe('Superset web UI (dataflow clusters).'),
      })
      .optional()
      .describe('Every service URL the cloud reports.'),
    vms: z.array(vmSchema).optional().describe('The cluster VMs as the cloud lists them.'),
    createdAt: z.string().optional().describe('When the cloud created the cluster.'),
    runningAt: z.string().optional().describe('When the cluster first became Running.'),
    apiKeyStatus: z
      .string()
      .optional()
      .describe(
        "The cloud's Open API key state for this cluster, as KakaoCloud reports it. An Open API key lets a terminated job " +
          'cluster run its Hive or Spark job again under the same id (re-run API); the operator never issues or uses one. ' +
          'impossible: not eligible (not a job cluster, not terminated by the user or its job, or its metastore changed); ' +
          'nothing to do. possible: a key can be issued in the KakaoCloud console if you want to re-run the job. ' +
          'applied: a key is issued (with its own security group); re-runs bring the same cluster back, which the operator ' +
          'then reports as running again.',
      ),
    job: z
      .object({
        result: z
          .string()
          .optional()
          .describe(
            'How the job ended, as far as the cluster shows (the API has no job result): Succeeded (terminationPolicy onSuccess ' +
              'and the cluster ended itself), Finished (terminationPolicy always: it ran and the cluster ended), Failed (the ' +
              'cluster failed or was ended another way).',
          ),
        logUrl: z.string().optional().describe('Object Storage location of the job log (in userTask.logBucketName).'),
      })
      .optional()
      .describe('For job clusters: how the job ended and where its log is.'),
  })
  .describe('What the operator last observed of the Hadoop Eco cluster, and the conditions of this resource.');

export const hadoopEcoCrd = managedCrd({
  resource: hadoopEcoResource,
  schemas: { spec: hadoopEcoSpecSchema, status: hadoopEcoStatusSchema },
  shortNames: ['hec'],
  description: 'A KakaoCloud Hadoop Eco cluster, created, scaled and deleted by cloud-data-operator.',
  name: {
    valid: (name) => `${name}.matches('${clusterNamePattern}')`,
    rule: 'Hadoop Eco cluster name (lowercase letters, digits and hyphens, 3-50 characters)',
  },
  replicas: 'workerCount',
  columns: {
    what: [
      column('Type', '.spec.clusterType'),
      column('Version', '.spec.clusterVersion'),
      column('Workers', '.status.workerCount', 'integer'),
    ],
    where: [column('URL', '.status.url')],
  },
});
