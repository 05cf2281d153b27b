// The operator's alert rules, written once and rendered twice: as a PrometheusRule for kustomize
// users (deploy/prometheus/alerts.yaml, fixed selector and default thresholds) and as the Helm
// chart's templates/prometheusrule.yaml (selector from the release, thresholds from values.yaml).
// test/unit/generated.test.ts fails when either copy is stale; test/unit/monitoring/alerts.test.ts
// checks the rules (exported metrics only, runbook anchors that exist) and
// test/integration/deploy/monitoring.test.ts that `helm template` renders the same rules.
import { Document, isScalar, stringify, visit } from 'yaml';

/** Where each alert's runbook lives: a heading of docs/operations.md (GitHub anchor slug). */
export const runbookBaseUrl = 'https://github.com/cloud-data-operator/cloud-data-operator/blob/main/docs/operations.md';

/** A threshold: its value for kustomize users and the chart value that sets it. */
interface Threshold {
  value: string | number;
  /** Key under `prometheusRule` in values.yaml. */
  helmValue: string;
}

export const thresholds = {
  reconcileErrorRate: { value: 0.05, helmValue: 'reconcileErrorRate' },
  stalledFor: { value: '1h', helmValue: 'stalledFor' },
  stuckInPhaseSeconds: { value: 10800, helmValue: 'stuckInPhaseSeconds' },
  cloudErrorRatio: { value: 0.1, helmValue: 'cloudErrorRatio' },
  cloudThrottledRate: { value: 1, helmValue: 'cloudThrottledRate' },
  workqueueDepth: { value: 50, helmValue: 'workqueueDepth' },
  timeToReadySeconds: { value: 7200, helmValue: 'timeToReadySeconds' },
} satisfies Record<string, Threshold>;

type ThresholdName = keyof typeof thresholds;

/**
 * Text with holes: `⟪sel⟫` the scrape selector, `⟪t:name⟫` a threshold, `⟪ns⟫` the operator's
 * namespace, `⟪lease⟫` its Lease. Prometheus templates (`{{ $labels.x }}`) are written as is.
 */
type Text = string;

export interface AlertRule {
  alert: string;
  expr: Text;
  for: Text;
  severity: 'critical' | 'warning' | 'info';
  summary: Text;
  description: Text;
  /** The heading in docs/operations.md, as its GitHub anchor. */
  runbook: string;
}

const t = (name: ThresholdName) => `⟪t:${name}⟫`;

export const alertRules: readonly AlertRule[] = [
  {
    alert: 'CloudDataOperatorDown',
    // `up` is Prometheus's own series per target; absent() also fires when no target is scraped.
    expr: 'absent(up{⟪sel⟫} == 1)',
    for: '10m',
    severity: 'critical',
    summary: 'No cloud-data-operator pod is up',
    description:
      'Prometheus has scraped no healthy cloud-data-operator pod in ⟪ns⟫ for 10 minutes: the operator is down, not Ready, or not scraped. Nothing is reconciled while it lasts.',
    runbook: 'clouddataoperatordown',
  },
  {
    alert: 'CloudDataOperatorNoLeader',
    expr: '(max(leader_election_master_status{⟪sel⟫}) or vector(0)) < 1',
    for: '5m',
    severity: 'critical',
    summary: 'No cloud-data-operator replica is leading',
    description: 'No replica has held the Lease for 5 minutes, so no resource is reconciled. Check the pods in ⟪ns⟫ and the Lease ⟪lease⟫.',
    runbook: 'clouddataoperatornoleader',
  },
  {
    alert: 'CloudDataOperatorReconcileErrors',
    expr: `sum by (controller) (rate(controller_runtime_reconcile_errors_total{⟪sel⟫}[15m])) > ${t('reconcileErrorRate')}`,
    for: '15m',
    severity: 'warning',
    summary: '{{ $labels.controller }} reconciles keep failing',
    description:
      "Reconciles of {{ $labels.controller }} have failed at {{ $value | humanize }}/s for 15 minutes (cloud API errors, throttling or missing credentials). See the resources' Ready condition and the operator's events.",
    runbook: 'clouddataoperatorreconcileerrors',
  },
  {
    alert: 'CloudDataOperatorTerminalErrors',
    // Terminal errors (invalid spec, missing Secret, refused by the cloud) leave a resource
    // Stalled until someone fixes it; retrying will not help.
    expr: 'sum by (controller) (increase(controller_runtime_terminal_reconcile_errors_total{⟪sel⟫}[30m])) > 0',
    for: '5m',
    severity: 'warning',
    summary: '{{ $labels.controller }} has resources that need a fix',
    description:
      'Some {{ $labels.controller }} resources failed with an error retrying cannot fix; `kubectl get cdo -A` and look for Stalled=True.',
    runbook: 'clouddataoperatorterminalerrors',
  },
  {
    alert: 'CloudDataOperatorResourcesStalled',
    expr: 'sum by (kind, resource_namespace) (cdo_resources{⟪sel⟫, state="Stalled"}) > 0',
    for: t('stalledFor'),
    severity: 'warning',
    summary: '{{ $value }} {{ $labels.kind }} resources in {{ $labels.resource_namespace }} are Stalled',
    description:
      'Resources of kind {{ $labels.kind }} in namespace {{ $labels.resource_namespace }} have been Stalled (progress needs a human) for ⟪t:stalledFor⟫. Their Stalled condition says why.',
    runbook: 'clouddataoperatorresourcesstalled',
  },
  {
    alert: 'CloudDataOperatorResourceStuckInPhase',
    // Transitional phases only: Running, Paused, Failed and Completed are where resources rest.
    expr: `max by (kind, phase) (cdo_resource_longest_in_phase_seconds{⟪sel⟫, phase=~"Pending|Creating|Scaling|Upgrading|Deleting"}) > ${t('stuckInPhaseSeconds')}`,
    for: '15m',
    severity: 'warning',
    summary: 'A {{ $labels.kind }} has been {{ $labels.phase }} for {{ $value | humanizeDuration }}',
    description:
      'At least one {{ $labels.kind }} resource has stayed in phase {{ $labels.phase }} longer than ⟪t:stuckInPhaseSeconds⟫ seconds (counted from when the leading operator process first saw it there).',
    runbook: 'clouddataoperatorresourcestuckinphase',
  },
  {
    alert: 'CloudDataOperatorCloudErrors',
    expr: `sum by (cloud) (rate(cdo_cloud_requests_total{⟪sel⟫, code=~"5..|error|timeout"}[15m])) / sum by (cloud) (rate(cdo_cloud_requests_total{⟪sel⟫}[15m])) > ${t('cloudErrorRatio')}`,
    for: '15m',
    severity: 'warning',
    summary: '{{ $labels.cloud }}: {{ $value | humanizePercentage }} of API requests fail',
    description:
      "Requests to {{ $labels.cloud }} answer 5xx or not at all (error, timeout). Operations are retried with backoff; check the cloud's status page and the egress path.",
    runbook: 'clouddataoperatorclouderrors',
  },
  {
    alert: 'CloudDataOperatorCloudThrottled',
    expr: `sum by (cloud) (rate(cdo_cloud_throttled_total{⟪sel⟫}[15m])) > ${t('cloudThrottledRate')}`,
    for: '30m',
    severity: 'info',
    summary: '{{ $labels.cloud }}: requests are being throttled',
    description:
      '{{ $value | humanize }} requests/s to {{ $labels.cloud }} are delayed by the per-credential rate limiter or answered 429 by the cloud. Status updates lag behind.',
    runbook: 'clouddataoperatorcloudthrottled',
  },
  {
    alert: 'CloudDataOperatorWorkqueueBacklog',
    expr: `sum by (name) (workqueue_depth{⟪sel⟫}) > ${t('workqueueDepth')}`,
    for: '30m',
    severity: 'warning',
    summary: 'Work queue {{ $labels.name }} holds {{ $value }} resources',
    description:
      'More than ⟪t:workqueueDepth⟫ resources of {{ $labels.name }} have waited for a reconcile for 30 minutes: reconciles cannot keep up (slow cloud, too few workers, a low queue rate) or workers are stuck.',
    runbook: 'clouddataoperatorworkqueuebacklog',
  },
  {
    alert: 'CloudDataOperatorSlowTimeToReady',
    expr: `histogram_quantile(0.95, sum by (kind, le) (rate(cdo_resource_time_to_ready_seconds_bucket{⟪sel⟫}[6h]))) > ${t('timeToReadySeconds')}`,
    for: '15m',
    severity: 'info',
    summary: '{{ $labels.kind }}: new resources take {{ $value | humanizeDuration }} to become Ready (p95)',
    description:
      'Over the last 6 hours, 5% of new {{ $labels.kind }} resources took longer than ⟪t:timeToReadySeconds⟫ seconds from creation to Ready. The cloud is slow to create clusters, or creates wait on Secrets, quotas or retries.',
    runbook: 'clouddataoperatorslowtimetoready',
  },
];

/** How one rendering fills the holes. */
interface Fill {
  sel: string;
  ns: string;
  lease: string;
  threshold(name: ThresholdName): string;
  /** Prometheus's own `{{ … }}` templates, as this rendering must write them. */
  promTemplate(template: string): string;
  runbookUrl(anchor: string): string;
}

function fill(text: Text, f: Fill): string {
  return text
    .replace(/\{\{.*?\}\}/g, (m) => f.promTemplate(m))
    .replace(/⟪(\w+)(?::(\w+))?⟫/g, (_m, hole: string, name: string | undefined) => {
      if (hole === 't') return f.threshold(name as ThresholdName);
      if (hole === 'sel') return f.sel;
      if (hole === 'ns') return f.ns;
      if (hole === 'lease') return f.lease;
      throw new Error(`unknown hole ${hole}`);
    });
}

function groups(f: Fill) {
  return [
    {
      name: 'cloud-data-operator',
      rules: alertRules.map((r) => ({
        alert: r.alert,
        expr: fill(r.expr, f),
        for: fill(r.for, f),
        labels: { severity: r.severity },
        annotations: {
          summary: fill(r.summary, f),
          description: fill(r.description, f),
          runbook_url: f.runbookUrl(r.runbook),
        },
      })),
    },
  ];
}

const kustomizeNamespace = 'cloud-data-operator-system';

/** deploy/prometheus/alerts.yaml: what `helm template cloud-data-operator -n cloud-data-operator-system` renders with prometheusRule.enabled. */
export function kustomizeAlertsYaml(): string {
  const f: Fill = {
    sel: `job="cloud-data-operator-metrics", namespace="${kustomizeNamespace}"`,
    ns: kustomizeNamespace,
    lease: 'cloud-data-operator',
    threshold: (name) => String(thresholds[name].value),
    promTemplate: (m) => m,
    runbookUrl: (anchor) => `${runbookBaseUrl}#${anchor}`,
  };
  const rule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'cloud-data-operator', namespace: kustomizeNamespace, labels: { 'app.kubernetes.io/name': 'cloud-data-operator' } },
    spec: { groups: groups(f) },
  };
  return [
    '# Generated by `npm run generate` from scripts/gen-alerts.ts; do not edit by hand.',
    "# The operator's alerts for a kustomize install (the Helm chart renders the same rules with",
    '# prometheusRule.enabled). The selector job="cloud-data-operator-metrics" is what a',
    '# ServiceMonitor of the Service cloud-data-operator-metrics produces; runbooks: docs/operations.md.',
    stringify(rule, { lineWidth: 0 }),
  ].join('\n');
}

/** templates/prometheusrule.yaml of the chart: the same rules, the selector, names and thresholds from the release. */
export function helmPrometheusRuleTemplate(): string {
  const f: Fill = {
    // `{ {{- $sel -}} }`: `{{{` would open the action one brace early.
    sel: ' {{- $sel -}} ',
    ns: '{{ .Release.Namespace }}',
    lease: '{{ include "cdo.fullname" . }}',
    threshold: (name) => `{{ .Values.prometheusRule.${thresholds[name].helmValue} }}`,
    // Helm must print Prometheus's templates verbatim: `{{ "{{ $labels.x }}" }}`.
    promTemplate: (m) => `{{ ${JSON.stringify(m)} }}`,
    runbookUrl: (anchor) => `{{ .Values.prometheusRule.runbookBaseUrl }}#${anchor}`,
  };
  const doc = new Document({ spec: { groups: groups(f) } });
  // Every string with a Helm action becomes a literal block, so whatever the action prints
  // (quotes included) stays one YAML string.
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && node.value.includes('{{')) node.type = 'BLOCK_LITERAL';
    },
  });
  return [
    '{{- /* Generated by `npm run generate` from scripts/gen-alerts.ts; do not edit by hand. Runbooks: docs/operations.md. */}}',
    '{{- if .Values.prometheusRule.enabled }}',
    '{{- $job := printf "%s-metrics" (include "cdo.fullname" .) }}',
    '{{- $sel := printf "job=%q, namespace=%q" $job .Release.Namespace }}',
    'apiVersion: monitoring.coreos.com/v1',
    'kind: PrometheusRule',
    'metadata:',
    '  name: {{ include "cdo.fullname" . }}',
    '  namespace: {{ .Release.Namespace }}',
    '  labels:',
    '    {{- include "cdo.labels" . | nindent 4 }}',
    '    {{- with .Values.prometheusRule.labels }}',
    '    {{- toYaml . | nindent 4 }}',
    '    {{- end }}',
    doc.toString({ lineWidth: 0 }).trimEnd(),
    '{{- end }}',
    '',
  ].join('\n');
}
