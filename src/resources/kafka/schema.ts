// KafkaCluster (ncloud.cdo.dev/v1alpha1): the single source of the kind's TypeScript types, its
// runtime validation and its CRD. Field names are the user's words; request.ts maps them to the
// CDSS API's (spec ncloud-cdss-api.md §5.2, §5.3).
import { z } from 'zod';
import { immutable, withRules } from '../../runtime/crd.ts';
import { column, kindResource, managedCrd } from '../core/crd.ts';
import { connectionInfoSchema } from '../core/connection-info.ts';
import { changeSafety, commonStatus, deletionPolicy, managementPolicy, secretKeyRef } from '../core/schema.ts';
import { CDSS_REGIONS, regionsBySite } from '../../clouds/ncloud/regions.ts';

export type KafkaSpec = z.output<typeof kafkaSpecSchema>;
export type KafkaStatus = z.output<typeof kafkaStatusSchema>;

export const kafkaResource = kindResource('ncloud.cdo.dev', 'KafkaCluster');

const recreate = 'CDSS cannot change it on an existing cluster; create a new KafkaCluster instead';
const fixed = <T extends z.ZodType>(schema: T, what: string) => immutable(schema, what, recreate);

// spec §5.2: 3-15 characters, lowercase letter first, lowercase letters, digits and single
// hyphens, ending in a letter or digit (the docs' rule; Terraform's regex misses the double hyphen).
// The API server's regex engine (RE2) has no lookahead, so "no double hyphen" is a separate rule.
export const cdssNamePattern = '^[a-z][a-z0-9-]{1,13}[a-z0-9]$';
const nameRule = 'must be 3-15 lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit';
const cdssName = z
  .string()
  .regex(new RegExp(cdssNamePattern), nameRule)
  .refine((s) => !s.includes('--'), nameRule)
  .meta({ 'x-kubernetes-validations': [{ rule: "!self.contains('--')", message: `no double hyphens: ${nameRule}` }] });

// The manager login follows the cluster name rule (§5.2), enforced at admission like the name.
const managerUserName = cdssName;

// §1: every region of every site. Admission cannot know the operator's site (CDO_NCLOUD_SITE), so
// it accepts the union and says which region belongs to which site; a region the configured site
// does not serve ends Stalled UnknownRegion (clouds/ncloud/regions.ts) before any cloud call.
const regionSchema = withRules(z.enum(CDSS_REGIONS), [
  {
    rule: `self in [${CDSS_REGIONS.map((r) => `'${r}'`).join(', ')}]`,
    message: `region must be a CDSS region. ${regionsBySite}`,
  },
]);

// §5.14: public access is two independent switches. An absent part is left as CDSS has it (and,
// for the manager, not even looked up: that costs a cluster-list call per poll).
const publicAccessSchema = z
  .object({
    brokers: z
      .object({
        enabled: z.boolean().describe('Whether the brokers have a public endpoint (through a load balancer).'),
        loadBalancerInstanceNo: z
          .string()
          .regex(/^\d+$/, 'must be a load balancer instance number')
          .optional()
          .describe(
            'The load balancer that carries the public endpoint. When omitted and CDSS offers exactly one candidate, that one is used; ' +
              'otherwise the resource stalls listing the candidates. Used only when enabling.',
          ),
      })
      .optional()
      .describe('Broker public endpoint (CDSS enableBrokerNodePublicEndpoint / disableBrokerNodePublicEndpoint).'),
    manager: z
      .object({ enabled: z.boolean().describe('Whether the manager (CMAK) UI has a public domain.') })
      .optional()
      .describe('Manager (CMAK) public domain (CDSS enablePublicDomain / disablePublicDomain).'),
  })
  .optional()
  .describe('Public (internet) access. Leave a part out to leave it as it is in CDSS.');

/** NAVER Cloud regions with a CDSS endpoint (spec §1); shared by every ncloud.cdo.dev kind. */
export const cdssRegion = regionSchema;

/** A NAVER Cloud API key in a Secret; shared by every ncloud.cdo.dev kind. */
export const cdssCredentialsRef = z
  .object({ name: z.string().min(1).describe('Secret in this namespace with keys accessKey and secretKey (a NAVER Cloud API key).') })
  .optional()
  .describe('Cloud credentials; when omitted, the operator-wide default credentials (if configured) are used.');

export const kafkaSpecSchema = z
  .object({
    clusterName: fixed(cdssName, 'clusterName')
      .optional()
      .describe('Name of the CDSS cluster; defaults to metadata.name. 3-15 lowercase letters, digits and single hyphens, letter first.'),
    region: fixed(cdssRegion, 'region').default('KR').describe(`NAVER Cloud region. ${regionsBySite}`),
    credentialsSecretRef: cdssCredentialsRef,
    clusterId: fixed(z.string().regex(/^\d+$/), 'clusterId')
      .optional()
      .describe('Adopt this existing cluster (its serviceGroupInstanceNo) instead of creating one.'),
    deletionPolicy,
    managementPolicy,
    ...changeSafety,
    connectionInfo: connectionInfoSchema,
    kafkaVersionCode: z
      .number()
      .int()
      .min(1)
      .describe('Kafka version code from the CDSS version list (e.g. 3903006). Raising it runs a rolling upgrade; it can never go down.')
      .meta({
        'x-kubernetes-validations': [
          {
            rule: 'self >= oldSelf',
            message: 'kafkaVersionCode may only grow: CDSS upgrades forward only (downgrade needs a new cluster)',
          },
        ],
      }),
    configGroupNo: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'Kafka config group by CDSS number, one made for kafkaVersionCode (CDSS ties a group to one version); or set configGroupRef. ' +
          'Changing it alone applies the group in place (CDSS restarts the brokers); changed together with kafkaVersionCode it is ' +
          'the rolling upgrade’s target group.',
      ),
    configGroupRef: z
      .object({ name: z.string().min(1).describe('Name of a KafkaConfigGroup in this namespace.') })
      .optional()
      .describe(
        'Kafka config group by KafkaConfigGroup resource (alternative to configGroupNo). The cluster waits until the group is Ready ' +
          'and made for the version the cluster needs; pointing at another group is a change like configGroupNo’s.',
      ),
    softwareProductCode: fixed(z.string().min(1), 'softwareProductCode').describe(
      'OS image code (getOsProductList), e.g. SW.VCDSS.OS.LNX64.CNTOS.0708.B050.',
    ),
    vpcNo: fixed(z.number().int().min(1), 'vpcNo').describe('VPC number.'),
    vpcName: fixed(z.string().min(1), 'vpcName').optional().describe('VPC name (G3 servers only).'),
    serverGeneration: fixed(z.enum(['G2', 'G3']), 'serverGeneration')
      .default('G2')
      .describe('G2 servers, or G3 (KVM) servers, which use a different create API.'),
    serverSpecCode: fixed(z.string().min(1), 'serverSpecCode').optional().describe('G3 only: server spec code, e.g. cdss.s2-g3.'),
    manager: z
      .object({
        userName: fixed(managerUserName, 'manager.userName').describe(
          'Kafka manager (CMAK) login: 3-15 lowercase letters, digits and single hyphens, letter first (the cluster name rule, §5.2).',
        ),
        passwordSecretRef: fixed(secretKeyRef('the Kafka manager (CMAK) password'), 'manager.passwordSecretRef'),
        nodeProductCode: z
          .string()
          .min(1)
          .describe('Manager node server type (getNodeProductList). Changing it changes the node spec in place, if CDSS allows it.'),
        subnetNo: fixed(z.number().int().min(1), 'manager.subnetNo').describe('Subnet number of the manager node (in vpcNo).'),
        subnetName: fixed(z.string().min(1), 'manager.subnetName').optional().describe('G3 only.'),
      })
      .describe(
        'The manager (CMAK) node. Changing the referenced password Secret resets the password in the cloud; nodeProductCode may change.',
      ),
    broker: z
      .object({
        nodeProductCode: z
          .string()
          .min(1)
          .describe('Broker node server type. Changing it changes the node spec of every broker in place, if CDSS allows it.'),
        subnetNo: fixed(z.number().int().min(1), 'broker.subnetNo').describe('Subnet number of the broker nodes (in vpcNo).'),
        subnetName: fixed(z.string().min(1), 'broker.subnetName').optional().describe('G3 only.'),
        storageSizeGB: fixed(z.number().int().min(100).max(2000).multipleOf(10), 'broker.storageSizeGB').describe(
          'Storage per broker in GB: 100-2000 in steps of 10. CDSS has no storage resize (§5.9), so it is immutable.',
        ),
      })
      .describe('Broker nodes (their number is brokerCount).'),
    publicAccess: publicAccessSchema,
    brokerCount: z
      .number()
      .int()
      .min(3)
      .max(10)
      .describe('Number of brokers, 3-10. Raising it adds brokers; CDSS cannot remove brokers.')
      .meta({
        'x-kubernetes-validations': [
          {
            rule: 'self >= oldSelf',
            message: 'brokerCount may only grow: CDSS has no broker removal (a smaller cluster needs a new KafkaCluster)',
          },
        ],
      }),
  })
  .refine((s) => (s.configGroupNo === undefined) !== (s.configGroupRef === undefined), {
    message: 'set exactly one of configGroupNo and configGroupRef',
  })
  .meta({
    'x-kubernetes-validations': [
      { rule: 'has(self.configGroupNo) != has(self.configGroupRef)', message: 'set exactly one of configGroupNo and configGroupRef' },
      {
        rule: "self.serverGeneration != 'G3' || (has(self.vpcName) && has(self.serverSpecCode) && has(self.manager.subnetName) && has(self.broker.subnetName))",
        message: 'G3 servers need vpcName, serverSpecCode, manager.subnetName and broker.subnetName',
      },
      ...(['clusterName', 'clusterId', 'vpcName', 'serverSpecCode', 'manager.subnetName', 'broker.subnetName'] as const).map((f) => ({
        rule: `has(self.${f}) == has(oldSelf.${f})`,
        message: `${f} cannot be added or removed after creation: ${recreate}`,
      })),
    ],
  })
  .describe('The CDSS Kafka cluster this resource asks for. brokerCount grows it; a new kafkaVersionCode upgrades it in place.');

export const kafkaStatusSchema = z
  .object({
    ...commonStatus,
    cloudStatus: z
      .string()
      .optional()
      .describe("The cloud's own status word, verbatim (creating, changing, running, error, deleting, return)."),
    brokerCount: z.number().int().optional().describe('Brokers the cloud reports (the scale subresource reads it).'),
    kafkaVersion: z
      .object({
        code: z.string().optional().describe('The Kafka version code CDSS reports (kafkaVersionCode, e.g. 3903006).'),
        name: z.string().optional().describe('Its name (e.g. 3.9.0), from the CDSS version list.'),
      })
      .optional()
      .describe('The Kafka version the cluster runs, as CDSS reports it.'),
    configGroupNo: z.number().int().optional().describe('The config group the cluster uses, as CDSS reports it.'),
    health: z
      .object({
        broker: z.string().optional().describe('Colour of the brokers.'),
        zookeeper: z.string().optional().describe('Colour of ZooKeeper.'),
        manager: z.string().optional().describe('Colour of the manager (CMAK).'),
      })
      .optional()
      .describe('Health colours the cloud reports: green, yellow, orange (changing), red, gray.'),
    bootstrapServers: z
      .object({
        plaintext: z.string().optional().describe('host:9092,… for PLAINTEXT clients.'),
        tls: z.string().optional().describe('host:9093,… for TLS clients.'),
        publicPlaintext: z.string().optional().describe('host:port,… for PLAINTEXT clients through the public endpoint, when it is on.'),
        publicTls: z.string().optional().describe('host:port,… for TLS clients through the public endpoint, when it is on.'),
      })
      .optional()
      .describe('Bootstrap servers per listener, as CDSS lists them (empty listeners left out).'),
    zookeeper: z.string().optional().describe('ZooKeeper connect string.'),
    upgrade: z
      .object({
        fromVersionCode: z.string().optional().describe('The version code before the upgrade.'),
        toVersionCode: z.string().describe('The version code being upgraded to.'),
        toConfigGroupNo: z.number().int().describe('The config group sent with the upgrade (one made for the new version).'),
        startedAt: z.string().describe('When the operator started the upgrade (RFC 3339).'),
        brokersUpgraded: z.number().int().optional().describe('Brokers upgraded so far, as CDSS reports.'),
        brokersTotal: z.number().int().optional().describe('Brokers to upgrade in all.'),
      })
      .optional()
      .describe('Progress of a rolling upgrade while it runs.'),
    change: z
      .object({
        type: z
          .enum([
            'ApplyConfigGroup',
            'ChangeNodeSpec',
            'EnableBrokerPublicEndpoint',
            'DisableBrokerPublicEndpoint',
            'SetManagerPublicDomain',
          ])
          .describe('Which change: the action the operator sent.'),
        target: z.string().describe('What it changes to, in words (a config group number, node product codes, on or off).'),
        startedAt: z.string().describe('When the operator sent it (RFC 3339).'),
      })
      .optional()
      .describe('A change other than an upgrade that the operator asked CDSS for and has not yet seen finish.'),
    publicAccess: z
      .object({
        brokers: z
          .object({
            enabled: z.boolean().describe('Whether CDSS lists public broker endpoints.'),
            listenerPorts: z
              .array(z.string())
              .optional()
              .describe('Public listener ports, PLAINTEXT (publicEndpointBrokerNodeListenerPortList).'),
            tlsListenerPorts: z
              .array(z.string())
              .optional()
              .describe('Public listener ports, TLS (publicEndpointBrokerTlsNodeListenerPortList).'),
          })
          .optional()
          .describe('The broker public endpoint as CDSS reports it.'),
        manager: z
          .object({
            enabled: z.boolean().describe('Whether CDSS reports the manager public domain on.'),
            domain: z.string().optional().describe('The manager (CMAK) public domain.'),
          })
          .optional()
          .describe('Reported only when spec.publicAccess.manager is set (it costs a cluster-list call).'),
      })
      .optional()
      .describe('Public access as CDSS reports it; the public bootstrap servers are in bootstrapServers.'),
    hostsEntries: z
      .object({
        plaintext: z.array(z.string()).optional().describe('/etc/hosts lines for the brokers (localDnsList, private IP hostname format).'),
        tls: z.array(z.string()).optional().describe('/etc/hosts lines for TLS clients (localDnsTlsList, public IP hostname format).'),
      })
      .optional()
      .describe('Hosts-file lines CDSS gives for reaching the brokers by name.'),
    tls: z
      .object({
        clusterId: z.string().describe('The cluster the certificate was fetched for.'),
        caCertificate: z.string().optional().describe('PEM of the CA that signed the brokers’ TLS certificates (public data).'),
        checkedAt: z.string().describe('When CDSS was last asked for it.'),
      })
      .optional()
      .describe(
        'The cluster’s TLS CA certificate (downloadCertificate), fetched once per cluster; also in the connection-info ConfigMap as ca.crt.',
      ),
    managerPasswordHash: z
      .string()
      .optional()
      .describe('Salted hash of the manager password last applied (never the password), to notice a changed Secret.'),
  })
  .describe('What the operator last observed of the CDSS cluster, and the conditions of this resource.');

export const kafkaCrd = managedCrd({
  resource: kafkaResource,
  schemas: { spec: kafkaSpecSchema, status: kafkaStatusSchema },
  shortNames: ['nkafka'],
  description: 'A NAVER Cloud Data Streaming Service (managed Kafka) cluster, created, grown, upgraded and deleted by cloud-data-operator.',
  name: {
    valid: (name) => `(${name}.matches('${cdssNamePattern}') && !${name}.contains('--'))`,
    rule: 'CDSS cluster name (3-15 lowercase letters, digits and single hyphens, letter first)',
  },
  replicas: 'brokerCount',
  columns: {
    what: [column('Version', '.status.kafkaVersion.name'), column('Brokers', '.status.brokerCount', 'integer')],
    where: [column('Bootstrap', '.status.bootstrapServers.plaintext')],
  },
});
