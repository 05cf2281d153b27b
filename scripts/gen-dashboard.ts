// The operator's Grafana dashboard (Grafana 10/11 JSON model), built here and written by
// `npm run generate` to deploy/grafana/cloud-data-operator.json and to the Helm chart's
// dashboards/ folder (the chart's opt-in ConfigMap reads it; a chart cannot read files outside
// its directory). test/unit/generated.test.ts fails when a copy is stale;
// test/unit/monitoring/dashboard.test.ts checks that every query uses metrics the operator exports.

/** The scrape job(s), the resources' namespaces and kinds the panels filter on (template variables). */
const sel = 'job=~"$job"';
const resSel = `${sel}, kind=~"$kind", resource_namespace=~"$namespace"`;
/** Controller and queue metrics are labelled with the controller: the kind in lower case. */
const ctlSel = `${sel}, controller=~"(?i)$kind"`;
const queueSel = `${sel}, name=~"(?i)$kind"`;

const datasource = { type: 'prometheus', uid: '${datasource}' };

interface Target {
  expr: string;
  legend: string;
  instant?: boolean;
}

interface PanelSpec {
  title: string;
  description: string;
  type: 'timeseries' | 'stat' | 'bargauge' | 'state-timeline';
  unit: string;
  targets: Target[];
  /** Grid width (of 24); height is 8. */
  w?: number;
  stack?: boolean;
}

interface Row {
  title: string;
  panels: PanelSpec[];
}

const q = (p: number, expr: string) => `histogram_quantile(${p}, ${expr})`;

const rows: Row[] = [
  {
    title: 'Resources',
    panels: [
      {
        title: 'Resources by state',
        description:
          'Resources of the selected kinds and namespaces, by state. Each resource is in exactly one state (Paused, Stalled, Ready, else Reconciling), so the states add up to the total. Reported by the leader only.',
        type: 'stat',
        unit: 'short',
        w: 8,
        targets: [{ expr: `sum by (state) (cdo_resources{${resSel}})`, legend: '{{state}}', instant: true }],
      },
      {
        title: 'Resources by state over time',
        description: 'The same counts over time, stacked.',
        type: 'timeseries',
        unit: 'short',
        w: 8,
        stack: true,
        targets: [{ expr: `sum by (state) (cdo_resources{${resSel}})`, legend: '{{state}}' }],
      },
      {
        title: 'Stalled resources by kind and namespace',
        description: 'Resources whose progress needs a human. Their Stalled condition says why (docs/operations.md, Stalled reasons).',
        type: 'timeseries',
        unit: 'short',
        w: 8,
        targets: [
          {
            expr: `sum by (kind, resource_namespace) (cdo_resources{${resSel}, state="Stalled"}) > 0`,
            legend: '{{kind}} {{resource_namespace}}',
          },
        ],
      },
      {
        title: 'Time from creation to first Ready',
        description:
          "p50 and p95 of the time from a resource's creation to its first Ready, over the last 6 hours, per kind. Observed once per resource, by the leader that sees it become Ready.",
        type: 'timeseries',
        unit: 's',
        w: 8,
        targets: [
          {
            expr: q(0.5, `sum by (kind, le) (rate(cdo_resource_time_to_ready_seconds_bucket{${sel}, kind=~"$kind"}[6h]))`),
            legend: 'p50 {{kind}}',
          },
          {
            expr: q(0.95, `sum by (kind, le) (rate(cdo_resource_time_to_ready_seconds_bucket{${sel}, kind=~"$kind"}[6h]))`),
            legend: 'p95 {{kind}}',
          },
        ],
      },
      {
        title: 'Time spent in each phase (p95)',
        description: 'p95 of the time resources spent in a phase before leaving it, over the last 6 hours, per kind and phase.',
        type: 'timeseries',
        unit: 's',
        w: 8,
        targets: [
          {
            expr: q(0.95, `sum by (kind, phase, le) (rate(cdo_resource_phase_duration_seconds_bucket{${sel}, kind=~"$kind"}[6h]))`),
            legend: '{{kind}} {{phase}}',
          },
        ],
      },
      {
        title: 'Longest current stay in a phase',
        description:
          'The longest time any resource has been in its current phase, per kind and transitional phase (counted from when the leading process first saw it there).',
        type: 'timeseries',
        unit: 's',
        w: 8,
        targets: [
          {
            expr: `max by (kind, phase) (cdo_resource_longest_in_phase_seconds{${sel}, kind=~"$kind", phase=~"Pending|Creating|Scaling|Upgrading|Deleting"})`,
            legend: '{{kind}} {{phase}}',
          },
        ],
      },
    ],
  },
  {
    title: 'Reconciles',
    panels: [
      {
        title: 'Reconcile rate by result',
        description: 'Reconciles per second, per controller and result.',
        type: 'timeseries',
        unit: 'ops',
        w: 8,
        stack: true,
        targets: [
          {
            expr: `sum by (controller, result) (rate(controller_runtime_reconcile_total{${ctlSel}}[$__rate_interval]))`,
            legend: '{{controller}} {{result}}',
          },
        ],
      },
      {
        title: 'Reconcile errors',
        description: 'Failed reconciles per second (all), and those that need a human (terminal).',
        type: 'timeseries',
        unit: 'ops',
        w: 8,
        targets: [
          {
            expr: `sum by (controller) (rate(controller_runtime_reconcile_errors_total{${ctlSel}}[$__rate_interval]))`,
            legend: 'errors {{controller}}',
          },
          {
            expr: `sum by (controller) (rate(controller_runtime_terminal_reconcile_errors_total{${ctlSel}}[$__rate_interval]))`,
            legend: 'terminal {{controller}}',
          },
        ],
      },
      {
        title: 'Reconcile latency',
        description:
          'p50 and p99 of one reconcile, per controller. Most are one cloud GET and a status diff: a slow p99 points at the cloud.',
        type: 'timeseries',
        unit: 's',
        w: 8,
        targets: [
          {
            expr: q(0.5, `sum by (controller, le) (rate(controller_runtime_reconcile_time_seconds_bucket{${ctlSel}}[$__rate_interval]))`),
            legend: 'p50 {{controller}}',
          },
          {
            expr: q(0.99, `sum by (controller, le) (rate(controller_runtime_reconcile_time_seconds_bucket{${ctlSel}}[$__rate_interval]))`),
            legend: 'p99 {{controller}}',
          },
        ],
      },
      {
        title: 'Work queue depth',
        description: 'Resources waiting for a reconcile, per controller. A queue that keeps growing means reconciles cannot keep up.',
        type: 'timeseries',
        unit: 'short',
        w: 8,
        targets: [{ expr: `sum by (name) (workqueue_depth{${queueSel}})`, legend: '{{name}}' }],
      },
      {
        title: 'Longest running reconcile',
        description: 'How long the longest reconcile in progress has been running, per controller (stuck work shows here).',
        type: 'timeseries',
        unit: 's',
        w: 8,
        targets: [{ expr: `max by (name) (workqueue_longest_running_processor_seconds{${queueSel}})`, legend: '{{name}}' }],
      },
      {
        title: 'Time waiting in the queue (p95)',
        description: 'p95 of the time a resource waits in the queue before a worker takes it.',
        type: 'timeseries',
        unit: 's',
        w: 8,
        targets: [
          {
            expr: q(0.95, `sum by (name, le) (rate(workqueue_queue_duration_seconds_bucket{${queueSel}}[$__rate_interval]))`),
            legend: '{{name}}',
          },
        ],
      },
    ],
  },
  {
    title: 'Cloud APIs',
    panels: [
      {
        title: 'Cloud API requests',
        description: 'HTTP attempts per second to each cloud API, per operation and status code (retries included).',
        type: 'timeseries',
        unit: 'reqps',
        w: 6,
        stack: true,
        targets: [
          {
            expr: `sum by (cloud, operation, code) (rate(cdo_cloud_requests_total{${sel}}[$__rate_interval]))`,
            legend: '{{cloud}} {{operation}} {{code}}',
          },
        ],
      },
      {
        title: 'Cloud API error ratio',
        description: 'Share of requests to each cloud answered 5xx or not at all (error, timeout). Retried with backoff.',
        type: 'timeseries',
        unit: 'percentunit',
        w: 6,
        targets: [
          {
            expr: `sum by (cloud) (rate(cdo_cloud_requests_total{${sel}, code=~"5..|error|timeout"}[$__rate_interval])) / sum by (cloud) (rate(cdo_cloud_requests_total{${sel}}[$__rate_interval]))`,
            legend: '{{cloud}}',
          },
        ],
      },
      {
        title: 'Cloud API throttling',
        description: 'Requests per second delayed by the per-credential rate limiter or answered 429 by the cloud.',
        type: 'timeseries',
        unit: 'reqps',
        w: 6,
        targets: [{ expr: `sum by (cloud) (rate(cdo_cloud_throttled_total{${sel}}[$__rate_interval]))`, legend: '{{cloud}}' }],
      },
      {
        title: 'Cloud API latency (p95)',
        description: 'p95 of one HTTP attempt, body included, per cloud and operation.',
        type: 'timeseries',
        unit: 's',
        w: 6,
        targets: [
          {
            expr: q(0.95, `sum by (cloud, operation, le) (rate(cdo_cloud_request_duration_seconds_bucket{${sel}}[$__rate_interval]))`),
            legend: '{{cloud}} {{operation}}',
          },
        ],
      },
    ],
  },
  {
    title: 'Operator',
    panels: [
      {
        title: 'Leader',
        description: 'leader_election_master_status per pod: exactly one line at 1. A change of pod marks a failover.',
        type: 'timeseries',
        unit: 'short',
        w: 6,
        targets: [{ expr: `max by (pod) (leader_election_master_status{${sel}})`, legend: '{{pod}}' }],
      },
      {
        title: 'Pods up',
        description: "Scraped operator pods that answered (Prometheus's own up series).",
        type: 'stat',
        unit: 'short',
        w: 6,
        targets: [{ expr: `sum(up{${sel}})`, legend: 'up', instant: true }],
      },
      {
        title: 'Memory',
        description: 'Resident memory and V8 heap in use, per pod.',
        type: 'timeseries',
        unit: 'bytes',
        w: 6,
        targets: [
          { expr: `max by (pod) (process_resident_memory_bytes{${sel}})`, legend: 'rss {{pod}}' },
          { expr: `max by (pod) (nodejs_heap_size_used_bytes{${sel}})`, legend: 'heap {{pod}}' },
        ],
      },
      {
        title: 'Event loop lag (p99)',
        description: 'How late the event loop runs, per pod: a busy or CPU-starved process shows here first.',
        type: 'timeseries',
        unit: 's',
        w: 6,
        targets: [{ expr: `max by (pod) (nodejs_eventloop_lag_p99_seconds{${sel}})`, legend: '{{pod}}' }],
      },
      {
        title: 'Kubernetes API requests',
        description: 'Requests per second to the Kubernetes API server, per method and status code.',
        type: 'timeseries',
        unit: 'reqps',
        w: 12,
        targets: [
          { expr: `sum by (method, code) (rate(rest_client_requests_total{${sel}}[$__rate_interval]))`, legend: '{{method}} {{code}}' },
        ],
      },
      {
        title: 'Watch restarts',
        description:
          'Watch streams (re)started per resource and reason; `idle` means the watchdog cut a silent connection, `expired` a re-LIST after 410 Gone.',
        type: 'timeseries',
        unit: 'short',
        w: 12,
        targets: [
          {
            expr: `sum by (resource, reason) (increase(cdo_watch_restarts_total{${sel}}[$__rate_interval]))`,
            legend: '{{resource}} {{reason}}',
          },
        ],
      },
    ],
  },
];

function panelJson(p: PanelSpec, id: number, x: number, y: number) {
  return {
    id,
    type: p.type,
    title: p.title,
    description: p.description,
    datasource,
    gridPos: { h: 8, w: p.w ?? 8, x, y },
    fieldConfig: {
      defaults: {
        unit: p.unit,
        ...(p.type === 'timeseries'
          ? { custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: p.stack ? 30 : 0, stacking: { mode: p.stack ? 'normal' : 'none' } } }
          : {}),
      },
      overrides: [],
    },
    options:
      p.type === 'stat'
        ? {
            reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
            colorMode: 'value',
            graphMode: 'none',
            textMode: 'value_and_name',
          }
        : { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets: p.targets.map((t, i) => ({
      datasource,
      refId: String.fromCharCode(65 + i),
      expr: t.expr,
      legendFormat: t.legend,
      ...(t.instant ? { instant: true, range: false } : { range: true }),
    })),
  };
}

function variable(name: string, label: string, query: string) {
  return {
    name,
    label,
    type: 'query',
    datasource,
    query: { query, refId: `${name}-var` },
    definition: query,
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    sort: 1,
  };
}

export function dashboard(): Record<string, unknown> {
  const panels: unknown[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    for (const p of row.panels) {
      const w = p.w ?? 8;
      if (x + w > 24) {
        x = 0;
        y += 8;
      }
      panels.push(panelJson(p, id++, x, y));
      x += w;
    }
    y += 8;
  }
  return {
    __inputs: [],
    title: 'Cloud Data Operator',
    uid: 'cloud-data-operator',
    description:
      'Resources by state, time to Ready, phases, reconciles, cloud API calls and the operator process (docs/metrics-and-alerts.md).',
    tags: ['cloud-data-operator', 'kubernetes', 'operator'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-24h', to: 'now' },
    refresh: '1m',
    timezone: 'browser',
    annotations: { list: [] },
    links: [],
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, refresh: 1, regex: '' },
        variable('job', 'Job', 'label_values(controller_runtime_reconcile_total, job)'),
        variable('namespace', 'Namespace', 'label_values(cdo_resources{job=~"$job"}, resource_namespace)'),
        variable('kind', 'Kind', 'label_values(cdo_resources{job=~"$job"}, kind)'),
      ],
    },
    panels,
  };
}

export function dashboardJson(): string {
  return `${JSON.stringify(dashboard(), null, 2)}\n`;
}
