// The Helm chart's values (deploy/helm/cloud-data-operator/values.yaml), as one zod schema: the
// chart's values.schema.json is generated from it (`npm run generate`), so Helm refuses a typo or
// a wrong type at `helm install`/`template`/`lint` with the path of the bad value, and a unit
// test parses values.yaml with it, so the defaults and the schema cannot drift apart.
//
// One strict object per section (a misspelt key is an error, not silently ignored); Kubernetes
// types the chart passes through verbatim (affinity, tolerations) stay open. To add a value: add
// it here with a description, add its default to values.yaml, run `npm run generate`.
import { z } from 'zod';
import { configSchema } from '../config.ts';

const stringMap = (what: string) => z.record(z.string(), z.string()).describe(what);
/** A Kubernetes quantity: `500m`, `128Mi`, or a plain number. */
const quantity = z.union([z.string().regex(/^[0-9.]+[a-zA-Z]*$/), z.number().nonnegative()]);
const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
/** `namespace/name` of a Secret, or empty for none. */
const secretRef = z.union([z.literal(''), z.string().regex(/^[a-z0-9-]+[/][a-z0-9.-]+$/)]);
/** A Prometheus duration: 30s, 1m, 1h30m. */
const promDuration = z.string().regex(/^([0-9]+(ms|s|m|h|d|w|y))+$/);
/** The probes' port (CDO_HTTP_PORT's default, which the Deployment keeps); the metrics port must differ. */
const PROBE_PORT = configSchema.shape.CDO_HTTP_PORT.parse(undefined);
const endpointMap = (example: string) =>
  z.record(z.string().min(1), z.url({ protocol: /^https?$/ })).describe(`Per-region endpoint overrides, region: URL (e.g. ${example}).`);

export const imageValues = z
  .strictObject({
    repository: z.string().min(1).describe('Operator image repository.'),
    tag: z.string().describe("Image tag; empty means the chart's appVersion."),
    pullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).describe('Image pull policy.'),
  })
  .describe('The operator image.');

export const leaderElectionValues = z
  .strictObject({
    enabled: z
      .boolean()
      .describe('Leader election (CDO_LEADER_ELECT): one replica reconciles, the others wait. Required when replicaCount > 1.'),
  })
  .describe('Leader election through a Lease in the release namespace.');

export const defaultCredentialsValues = z
  .strictObject({
    kakaocloud: secretRef.describe(
      'namespace/name of a Secret (credentialId, credentialSecret) used by KakaoCloud resources that reference none; empty for none.',
    ),
    ncloud: secretRef.describe(
      'namespace/name of a Secret (accessKey, secretKey) used by NAVER Cloud resources that reference none; empty for none.',
    ),
  })
  .describe('Opt-in operator-wide default credentials. With watchNamespaces set, the Secret must be in one of them.');

export const endpointsValues = z
  .strictObject({
    kakaocloud: endpointMap('kr-central-2: https://hadoop-eco.kr-central-2.kakaocloud.com').describe(
      'KakaoCloud Hadoop Eco endpoints per region (CDO_KAKAOCLOUD_ENDPOINTS); empty uses the public ones.',
    ),
    ncloud: endpointMap('KR: https://clouddatastreamingservice.apigw.ntruss.com/api/v1').describe(
      'NAVER Cloud CDSS endpoints per region (CDO_NCLOUD_ENDPOINTS); empty uses the public ones.',
    ),
    ncloudSite: z
      .enum(configSchema.shape.CDO_NCLOUD_SITE.unwrap().options)
      .describe('NAVER Cloud site: public, gov or fin (CDO_NCLOUD_SITE).'),
  })
  .describe('Cloud API endpoints.');

export const resourcesValues = z
  .strictObject({
    requests: z.record(z.string(), quantity).optional().describe('Container resource requests (cpu, memory).'),
    limits: z.record(z.string(), quantity).optional().describe('Container resource limits (cpu, memory).'),
  })
  .describe("The operator container's resource requests and limits.");

export const podDisruptionBudgetValues = z
  .strictObject({
    enabled: z.boolean().describe('Render a PodDisruptionBudget.'),
    minAvailable: z
      .union([z.int().nonnegative(), z.string().regex(/^[0-9]+%$/)])
      .describe('Pods that must stay available during a voluntary disruption (a number or a percentage).'),
  })
  .describe('PodDisruptionBudget of the operator pods.');

export const serviceAccountValues = z
  .strictObject({ annotations: stringMap('Annotations of the ServiceAccount (e.g. for workload identity).') })
  .describe("The operator's ServiceAccount.");

export const serviceMonitorValues = z
  .strictObject({
    enabled: z.boolean().describe('Render a Prometheus Operator ServiceMonitor (needs the monitoring.coreos.com/v1 CRDs).'),
    interval: promDuration.describe('Scrape interval, a Prometheus duration (30s, 1m).'),
    labels: stringMap('Extra labels of the ServiceMonitor (e.g. the label your Prometheus selects).'),
  })
  .describe('Prometheus Operator ServiceMonitor scraping /metrics.');

export const prometheusRuleValues = z
  .strictObject({
    enabled: z.boolean().describe("Render a PrometheusRule with the operator's alerts (needs the monitoring.coreos.com/v1 CRDs)."),
    labels: stringMap('Extra labels of the PrometheusRule.'),
    reconcileErrorRate: z
      .number()
      .positive()
      .describe('Reconcile errors per second, per controller, sustained for 15 minutes, that fire an alert.'),
    stalledFor: promDuration.describe('How long resources may stay Stalled before CloudDataOperatorResourcesStalled fires.'),
    stuckInPhaseSeconds: z
      .number()
      .positive()
      .describe('Seconds a resource may stay in Pending, Creating, Scaling, Upgrading or Deleting before an alert.'),
    cloudErrorRatio: z
      .number()
      .positive()
      .max(1)
      .describe('Share of cloud API requests answered 5xx or not at all (0.1 = 10%), sustained for 15 minutes.'),
    cloudThrottledRate: z
      .number()
      .positive()
      .describe('Cloud requests per second delayed by the rate limiter or answered 429, sustained for 30 minutes.'),
    workqueueDepth: z.number().positive().describe("Resources waiting in a controller's work queue, sustained for 30 minutes."),
    timeToReadySeconds: z.number().positive().describe('p95 of the time from creation to first Ready, in seconds, over 6 hours.'),
    runbookBaseUrl: z
      .url({ protocol: /^https?$/ })
      .describe('Where the alerts\' runbook_url point (+ "#<alert name in lower case>"): a copy of docs/operations.md.'),
  })
  .describe('Prometheus Operator alert rules (the same rules as deploy/prometheus/alerts.yaml).');

export const grafanaDashboardValues = z
  .strictObject({
    enabled: z.boolean().describe('Render a ConfigMap holding the Grafana dashboard, for the Grafana sidecar.'),
    namespace: z.union([z.literal(''), dnsLabel]).describe('Namespace of the ConfigMap; empty for the release namespace.'),
    labels: stringMap('Labels of the ConfigMap (the label your Grafana sidecar selects; kube-prometheus-stack: grafana_dashboard: "1").'),
    annotations: stringMap("Annotations of the ConfigMap (e.g. the sidecar's folder annotation)."),
  })
  .describe('The Grafana dashboard as a ConfigMap (deploy/grafana/cloud-data-operator.json).');

const PLAIN_IGNORES = 'with metrics.secure=false /metrics is plain HTTP: no certificate is served and no reader is bound';

export const metricsValues = z
  .strictObject({
    secure: z
      .boolean()
      .describe(
        'true: /metrics over HTTPS, answering only callers the API server authenticates (TokenReview) and authorises to get /metrics (SubjectAccessReview). false: plain HTTP to anyone who can reach the port (CDO_METRICS_SECURE).',
      ),
    port: z
      .int()
      .min(1)
      .max(65535)
      .refine((p) => p !== PROBE_PORT, { message: `must differ from the probe port ${PROBE_PORT}` })
      // The refinement for zod, the same rule for Helm's JSON Schema check.
      .meta({ not: { const: PROBE_PORT } })
      .describe(`Port of /metrics (CDO_METRICS_PORT); not ${PROBE_PORT}, the probes' port.`),
    certSecret: z
      .union([z.literal(''), z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/)])
      .describe('A kubernetes.io/tls Secret in the release namespace whose certificate /metrics serves; empty: self-signed.'),
    readerServiceAccounts: z
      .array(
        z.strictObject({
          name: z.string().min(1).describe('ServiceAccount name (e.g. prometheus-k8s).'),
          namespace: dnsLabel.describe('Its namespace (e.g. monitoring).'),
        }),
      )
      .describe("ServiceAccounts bound to the metrics-reader ClusterRole, typically Prometheus's. With secure only."),
  })
  .superRefine((m, ctx) => {
    if (m.secure) return;
    if (m.certSecret) ctx.addIssue({ code: 'custom', path: ['certSecret'], message: PLAIN_IGNORES });
    if (m.readerServiceAccounts.length) ctx.addIssue({ code: 'custom', path: ['readerServiceAccounts'], message: PLAIN_IGNORES });
  })
  // The same rule for Helm's JSON Schema check: plain HTTP has no certificate and no readers.
  .meta({
    if: { properties: { secure: { const: false } } },
    then: {
      properties: {
        certSecret: { const: '', description: PLAIN_IGNORES },
        readerServiceAccounts: { maxItems: 0, description: PLAIN_IGNORES },
      },
    },
  })
  .describe('How /metrics is served and who may read it.');

export const tenantRolesValues = z
  .strictObject({
    enabled: z
      .boolean()
      .describe("ClusterRoles <fullname>-edit and -view that add the operator's kinds to the built-in edit/admin and view roles."),
  })
  .describe('Tenant roles, aggregated into the built-in edit/admin/view ClusterRoles (docs/credentials.md#tenant-roles).');

const cidr = z.string().regex(/^[0-9a-fA-F:.]+\/[0-9]{1,3}$/);
/** A NetworkPolicy peer or rule, passed through verbatim (the API server validates it). */
const networkPolicyObject = z.looseObject({});

export const networkPolicyValues = z
  .strictObject({
    enabled: z.boolean().describe("Render a NetworkPolicy for the operator's pods (needs a network plugin that enforces it)."),
    metricsFrom: z
      .array(networkPolicyObject)
      .describe('NetworkPolicy peers allowed to scrape the metrics port; [] leaves the metrics rule out (admits no one).'),
    egress: z
      .strictObject({
        apiServerCidrs: z.array(cidr).describe("The API server's addresses (CIDRs) for TCP 443/6443; set together with cloudCidrs."),
        cloudCidrs: z.array(cidr).describe("The cloud API gateways' ranges (CIDRs) for TCP 443; set together with apiServerCidrs."),
      })
      .describe('Egress destinations. Both empty: TCP 443/6443 to any address.'),
    extraIngress: z.array(networkPolicyObject).describe('More ingress rules (NetworkPolicyIngressRule objects), appended as they are.'),
    extraEgress: z.array(networkPolicyObject).describe('More egress rules (NetworkPolicyEgressRule objects), appended as they are.'),
  })
  .describe('Opt-in NetworkPolicy (docs/install.md#network-policy).');

const chartValuesShape = z.strictObject({
  image: imageValues,
  imagePullSecrets: z
    .array(z.strictObject({ name: z.string().min(1).describe('Name of a pull Secret in the release namespace.') }))
    .describe('Pull Secrets for a private registry.'),
  replicaCount: z
    .int()
    .min(0)
    .max(100)
    .describe('Operator replicas. More than one needs leaderElection.enabled (one leads, the others are warm standbys).'),
  leaderElection: leaderElectionValues,
  watchNamespaces: z
    .array(dnsLabel)
    .describe(
      'Namespaces to watch. Empty: every namespace, with a ClusterRole. Otherwise a Role and RoleBinding in each (the namespaces must exist), no cluster-wide access to Secrets.',
    ),
  defaultCredentials: defaultCredentialsValues,
  endpoints: endpointsValues,
  logLevel: z.enum(configSchema.shape.CDO_LOG_LEVEL.unwrap().options).describe('Log level (CDO_LOG_LEVEL).'),
  extraEnv: z
    .array(
      z.strictObject({
        name: z.string().min(1).describe('Variable name, e.g. a CDO_* setting of docs/configuration.md.'),
        value: z.string().optional().describe('Its value (quote numbers and booleans).'),
        valueFrom: z.looseObject({}).optional().describe('A Kubernetes EnvVarSource (secretKeyRef, configMapKeyRef, fieldRef).'),
      }),
    )
    .describe('More CDO_* settings (docs/configuration.md), as container env entries.'),
  resources: resourcesValues,
  podAnnotations: stringMap('Annotations of the operator pods.'),
  podLabels: stringMap('Extra labels of the operator pods.'),
  nodeSelector: stringMap('Node selector of the operator pods.'),
  tolerations: z.array(z.looseObject({})).describe('Tolerations of the operator pods (Kubernetes Toleration objects).'),
  affinity: z.looseObject({}).describe('Affinity of the operator pods (a Kubernetes Affinity object).'),
  priorityClassName: z.string().describe('PriorityClass of the operator pods; empty for none.'),
  podDisruptionBudget: podDisruptionBudgetValues,
  serviceAccount: serviceAccountValues,
  tenantRoles: tenantRolesValues,
  networkPolicy: networkPolicyValues,
  metrics: metricsValues,
  serviceMonitor: serviceMonitorValues,
  prometheusRule: prometheusRuleValues,
  grafanaDashboard: grafanaDashboardValues,
  fullnameOverride: z.string().max(63).describe('Name of every object instead of <release>-cloud-data-operator.'),
  // Not in values.yaml: Helm passes it to a chart used as a dependency of another (an umbrella
  // chart), and a closed top level would refuse the whole install.
  global: z.looseObject({}).optional().describe("A parent chart's global values (when this chart is its dependency); unused."),
});

export const REPLICAS_WITHOUT_ELECTION =
  'replicaCount > 1 needs leaderElection.enabled: without it every replica would reconcile the same resources at once';

// The one rule across sections, twice: as a zod refinement (values.yaml and unit tests) and as
// JSON Schema if/then (what Helm checks), which zod cannot derive from a refinement. The
// template also `fail`s on it, for installs that skip schema validation.
export const chartValues = chartValuesShape
  .superRefine((v, ctx) => {
    if (v.replicaCount > 1 && !v.leaderElection.enabled)
      ctx.addIssue({ code: 'custom', path: ['replicaCount'], message: REPLICAS_WITHOUT_ELECTION });
  })
  .meta({
    if: { properties: { leaderElection: { properties: { enabled: { const: false } } } } },
    then: { properties: { replicaCount: { maximum: 1, description: REPLICAS_WITHOUT_ELECTION } } },
  });

export type ChartValues = z.infer<typeof chartValues>;

/** The chart's values.schema.json. Draft 7: every Helm 3 and 4 release validates it. */
export function chartValuesJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(chartValues, { target: 'draft-7', io: 'input', unrepresentable: 'throw' }),
    title: 'cloud-data-operator chart values',
    description: 'Generated by `npm run generate` from src/deploy/helm-values.ts; do not edit by hand.',
  };
}
