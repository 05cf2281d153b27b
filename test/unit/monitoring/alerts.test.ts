// The alert rules shipped for kustomize users (deploy/prometheus/alerts.yaml; the chart renders the
// same, see test/integration/deploy/monitoring.test.ts): every rule reads only metrics the
// operator exports, and its runbook_url points at a heading of docs/operations.md that exists.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { runbookBaseUrl } from '../../../scripts/gen-alerts.ts';
import { anchorsOf } from '../../support/markdown.ts';
import { exportedMetricNames, prometheusSeries, promqlMetricNames } from '../../support/metric-names.ts';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; description: string; runbook_url: string };
}

const file = parse(read('deploy/prometheus/alerts.yaml')) as {
  apiVersion: string;
  kind: string;
  spec: { groups: Array<{ name: string; rules: Rule[] }> };
};
const rules = file.spec.groups.flatMap((g) => g.rules);

let exported: Set<string>;
beforeAll(async () => {
  exported = await exportedMetricNames();
});

describe('the alert rules', () => {
  it('are a PrometheusRule with the alerts operators need', () => {
    expect(file.kind).toBe('PrometheusRule');
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'CloudDataOperatorDown',
        'CloudDataOperatorNoLeader',
        'CloudDataOperatorReconcileErrors',
        'CloudDataOperatorResourcesStalled',
        'CloudDataOperatorResourceStuckInPhase',
        'CloudDataOperatorCloudErrors',
        'CloudDataOperatorCloudThrottled',
        'CloudDataOperatorWorkqueueBacklog',
        'CloudDataOperatorSlowTimeToReady',
      ]),
    );
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it('each has a severity, a summary, a description and a runbook_url', () => {
    for (const r of rules) {
      expect(['critical', 'warning', 'info'], r.alert).toContain(r.labels.severity);
      expect(r.annotations.summary, r.alert).toBeTruthy();
      expect(r.annotations.description, r.alert).toBeTruthy();
      expect(r.annotations.runbook_url, r.alert).toMatch(new RegExp(`^${runbookBaseUrl.replace(/[.]/g, '\\.')}#[a-z0-9-]+$`));
    }
  });

  it('each runbook_url anchor is a heading of docs/operations.md', () => {
    const anchors = anchorsOf(read('docs/operations.md'));
    const missing = rules.map((r) => r.annotations.runbook_url.split('#')[1]).filter((a) => !anchors.has(a ?? ''));
    expect(missing).toEqual([]);
    expect(anchors.has('operator-unhealthy')).toBe(true);
  });

  it('read only metrics the operator exports (or Prometheus makes for every target)', () => {
    const unknown = rules.flatMap((r) =>
      promqlMetricNames(r.expr)
        .filter((m) => !exported.has(m) && !prometheusSeries.has(m))
        .map((m) => `${r.alert}: ${m}`),
    );
    expect(unknown).toEqual([]);
    // Every rule reads at least one metric, and the selector of the install.
    for (const r of rules) {
      expect(promqlMetricNames(r.expr).length, r.alert).toBeGreaterThan(0);
      expect(r.expr, r.alert).toContain('job="cloud-data-operator-metrics", namespace="cloud-data-operator-system"');
    }
  });
});

describe('githubAnchors', () => {
  it('slugs headings the way GitHub does', () => {
    const md =
      '# Operating clusters\n## What the cloud applied: the `SpecApplied` condition\n```\n# not a heading\n```\n## Pause\n## Pause\n### CloudDataOperatorDown\n';
    expect([...anchorsOf(md)]).toEqual([
      'operating-clusters',
      'what-the-cloud-applied-the-specapplied-condition',
      'pause',
      'pause-1',
      'clouddataoperatordown',
    ]);
  });
});
