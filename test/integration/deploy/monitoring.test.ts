// The alert rules and the Grafana dashboard as both installs ship them: the Helm chart renders
// the same PrometheusRule as deploy/prometheus (thresholds still set by values), its opt-in
// ConfigMap holds the same dashboard as deploy/grafana, and both kustomizations build.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { helmTemplate, kustomize, parseManifests, repoRoot, type Manifest } from './deploy-support.ts';

const OPERATOR_NS = 'cloud-data-operator-system';
const RELEASE = 'cloud-data-operator';

interface Rule {
  alert: string;
  expr: string;
  for: string;
  annotations: Record<string, string>;
}
type RuleSpec = { groups: Array<{ name: string; rules: Rule[] }> };

const find = (ms: Manifest[], kind: string) => ms.filter((m) => m.kind === kind);
const readRepo = (path: string) => readFile(join(repoRoot, path), 'utf8');

describe('PrometheusRule', () => {
  it('the chart renders no rule by default, and with prometheusRule.enabled exactly the rules of deploy/prometheus/alerts.yaml', async () => {
    expect(find(parseManifests(await helmTemplate({}, OPERATOR_NS, RELEASE)), 'PrometheusRule')).toEqual([]);
    const rendered = find(
      parseManifests(await helmTemplate({ prometheusRule: { enabled: true } }, OPERATOR_NS, RELEASE)),
      'PrometheusRule',
    );
    expect(rendered).toHaveLength(1);
    const file = parse(await readRepo('deploy/prometheus/alerts.yaml')) as Manifest & { spec: RuleSpec };
    expect(rendered[0]!['spec']).toEqual(file.spec);
    expect(file.spec.groups[0]!.rules.length).toBeGreaterThanOrEqual(10);
  });

  it('kubectl kustomize deploy/prometheus builds that file', async () => {
    const built = parseManifests(await kustomize('deploy/prometheus'));
    const file = parse(await readRepo('deploy/prometheus/alerts.yaml')) as Manifest;
    expect(built).toEqual([file]);
  });

  it('thresholds, the runbook base, the selector and labels follow the release and its values', async () => {
    const [rule] = find(
      parseManifests(
        await helmTemplate(
          {
            prometheusRule: {
              enabled: true,
              labels: { release: 'kube-prometheus' },
              reconcileErrorRate: 0.5,
              stalledFor: '3h',
              stuckInPhaseSeconds: 600,
              cloudErrorRatio: 0.25,
              cloudThrottledRate: 7,
              workqueueDepth: 9,
              timeToReadySeconds: 42,
              runbookBaseUrl: 'https://wiki.example/ops',
            },
          },
          'ops',
          'cdo',
        ),
      ),
      'PrometheusRule',
    );
    expect(rule!.metadata.labels?.['release']).toBe('kube-prometheus');
    const rules = Object.fromEntries((rule!['spec'] as RuleSpec).groups[0]!.rules.map((r) => [r.alert, r]));
    expect(rules['CloudDataOperatorReconcileErrors']!.expr).toMatch(/\) > 0\.5$/);
    expect(rules['CloudDataOperatorResourcesStalled']!.for).toBe('3h');
    expect(rules['CloudDataOperatorResourcesStalled']!.annotations['description']).toContain('for 3h');
    expect(rules['CloudDataOperatorResourceStuckInPhase']!.expr).toMatch(/> 600$/);
    expect(rules['CloudDataOperatorCloudErrors']!.expr).toMatch(/> 0\.25$/);
    expect(rules['CloudDataOperatorCloudThrottled']!.expr).toMatch(/> 7$/);
    expect(rules['CloudDataOperatorWorkqueueBacklog']!.expr).toMatch(/> 9$/);
    expect(rules['CloudDataOperatorSlowTimeToReady']!.expr).toMatch(/> 42$/);
    expect(rules['CloudDataOperatorNoLeader']!.expr).toContain('{job="cdo-cloud-data-operator-metrics", namespace="ops"}');
    expect(rules['CloudDataOperatorNoLeader']!.annotations['description']).toContain('Lease cdo-cloud-data-operator');
    expect(rules['CloudDataOperatorDown']!.annotations['runbook_url']).toBe('https://wiki.example/ops#clouddataoperatordown');
    // Prometheus's own templates reach Prometheus untouched.
    expect(rules['CloudDataOperatorReconcileErrors']!.annotations['summary']).toBe('{{ $labels.controller }} reconciles keep failing');
  });
});

describe('Grafana dashboard ConfigMap', () => {
  it('the chart renders none by default; enabled, one labelled for the Grafana sidecar holding deploy/grafana/cloud-data-operator.json', async () => {
    expect(find(parseManifests(await helmTemplate()), 'ConfigMap')).toEqual([]);
    const dashboard = await readRepo('deploy/grafana/cloud-data-operator.json');
    const [cm] = find(
      parseManifests(
        await helmTemplate({ grafanaDashboard: { enabled: true, namespace: 'monitoring', annotations: { grafana_folder: 'Operators' } } }),
      ),
      'ConfigMap',
    );
    expect(cm!.metadata.namespace).toBe('monitoring');
    expect(cm!.metadata.labels?.['grafana_dashboard']).toBe('1');
    expect((cm!.metadata as { annotations?: Record<string, string> }).annotations).toEqual({ grafana_folder: 'Operators' });
    const data = (cm as unknown as { data: Record<string, string> }).data;
    expect(JSON.parse(data['cloud-data-operator.json']!)).toEqual(JSON.parse(dashboard));
  });

  it('kubectl kustomize deploy/grafana builds the same ConfigMap for kustomize users', async () => {
    const [cm, ...rest] = parseManifests(await kustomize('deploy/grafana'));
    expect(rest).toEqual([]);
    expect(cm!.kind).toBe('ConfigMap');
    expect(cm!.metadata).toMatchObject({
      name: 'cloud-data-operator-dashboard',
      namespace: OPERATOR_NS,
      labels: { grafana_dashboard: '1' },
    });
    const data = (cm as unknown as { data: Record<string, string> }).data;
    expect(JSON.parse(data['cloud-data-operator.json']!)).toEqual(JSON.parse(await readRepo('deploy/grafana/cloud-data-operator.json')));
  });
});
