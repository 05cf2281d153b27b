// The Grafana dashboard shipped in deploy/grafana (and, the same file, in the Helm chart): valid
// JSON of Grafana's model, unique panel ids, the datasource as a variable, and every query reading
// only metrics the operator exports.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportedMetricNames, prometheusSeries, promqlMetricNames } from '../../support/metric-names.ts';

const root = new URL('../../../', import.meta.url);

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ expr: string; refId: string; datasource?: { uid: string } }>;
  panels?: Panel[];
}

interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query: unknown }> };
}

const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const file = read('deploy/grafana/cloud-data-operator.json');
const dashboard = JSON.parse(file) as Dashboard;
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const queries = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
const variableQueries = dashboard.templating.list
  .filter((v) => v.type === 'query')
  // label_values(<selector>, <label>): the selector is PromQL, the label is not a metric.
  .map((v) => ({
    panel: `variable ${v.name}`,
    expr: String((v.query as { query: string }).query).replace(/^label_values\((.*),\s*\w+\)$/, '$1'),
  }));

let exported: Set<string>;
beforeAll(async () => {
  exported = await exportedMetricNames();
});

describe('the Grafana dashboard', () => {
  it('is JSON of a Grafana 10+ dashboard, the same in the chart', () => {
    expect(dashboard.uid).toBe('cloud-data-operator');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(read('deploy/helm/cloud-data-operator/dashboards/cloud-data-operator.json')).toBe(file);
  });

  it('has unique panel ids, and panels that fit the 24-column grid without overlapping', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of panels) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
  });

  it('takes its datasource from the ${datasource} variable, and offers namespace and kind variables', () => {
    const names = dashboard.templating.list.map((v) => v.name);
    expect(names).toEqual(expect.arrayContaining(['datasource', 'namespace', 'kind']));
    expect(dashboard.templating.list.find((v) => v.name === 'datasource')?.type).toBe('datasource');
    for (const p of panels.filter((x) => x.type !== 'row')) {
      expect(p.datasource?.uid, p.title).toBe('${datasource}');
      for (const t of p.targets ?? []) expect(t.datasource?.uid, p.title).toBe('${datasource}');
    }
  });

  it('has the panels operators need', () => {
    const exprs = queries.map((q) => q.expr).join('\n');
    for (const metric of [
      'cdo_resources',
      'cdo_resource_time_to_ready_seconds_bucket',
      'cdo_resource_phase_duration_seconds_bucket',
      'controller_runtime_reconcile_total',
      'controller_runtime_reconcile_errors_total',
      'controller_runtime_reconcile_time_seconds_bucket',
      'workqueue_depth',
      'cdo_cloud_requests_total',
      'cdo_cloud_request_duration_seconds_bucket',
      'leader_election_master_status',
      'process_resident_memory_bytes',
    ])
      expect(exprs).toContain(metric);
  });

  it('queries only metrics the operator exports (or Prometheus makes for every target)', () => {
    expect(queries.length).toBeGreaterThan(15);
    const unknown = [...queries, ...variableQueries].flatMap((q) =>
      promqlMetricNames(q.expr)
        .filter((m) => !exported.has(m) && !prometheusSeries.has(m))
        .map((m) => `${q.panel}: ${m}`),
    );
    expect(unknown).toEqual([]);
  });
});

describe('promqlMetricNames', () => {
  it('finds metric names, not functions, labels, keywords, variables or durations', () => {
    expect(
      promqlMetricNames(
        'histogram_quantile(0.95, sum by (kind, le) (rate(cdo_x_bucket{job=~"$job", kind=~"(?i)$kind"}[$__rate_interval]))) / on (kind) group_left sum without (pod) (b_total offset 5m) > bool 1e3 or vector(0)',
      ).sort(),
    ).toEqual(['b_total', 'cdo_x_bucket']);
  });
});

describe('the registry the check compares with', () => {
  it("is the app's: controller, cloud, state and default process metrics, histograms with their series", () => {
    for (const name of [
      'controller_runtime_reconcile_total',
      'cdo_cloud_requests_total',
      'cdo_resources',
      'cdo_resource_time_to_ready_seconds_bucket',
      'cdo_resource_phase_duration_seconds_count',
      'cdo_resource_longest_in_phase_seconds',
      'process_resident_memory_bytes',
    ])
      expect(exported.has(name), name).toBe(true);
    expect(exported.has('cdo_resources_bucket')).toBe(false);
  });
});
