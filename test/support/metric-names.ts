// The metric names the operator exports, from a manager built exactly as the app builds it, and
// the metric names a PromQL expression reads: for the dashboard and alert checks.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { buildManager } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { registerResourceControllers } from '../../src/resources/index.ts';

/** A kubeconfig for an API server nobody listens on: building a manager connects to nothing. */
function offlineKubeconfig(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cdo-metrics-')), 'kubeconfig');
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:9' } }],
      users: [{ name: 'u', user: { token: 'placeholder' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  return path;
}

const suffixes: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] };

/**
 * The registry of a manager built by the app's own buildManager with every kind registered, from
 * the given settings, against an API server nobody listens on (building connects to nothing).
 */
export async function offlineManagerMetrics(env: Record<string, string> = {}) {
  const previous = process.env['KUBECONFIG'];
  process.env['KUBECONFIG'] = offlineKubeconfig();
  try {
    const config = loadConfig({ POD_NAMESPACE: 'cloud-data-operator-system', POD_NAME: 'cdo-0', ...env }, []);
    const manager = buildManager(config, pino({ level: 'silent' }), registerResourceControllers);
    return await manager.metrics.registry.getMetricsAsJSON();
  } finally {
    if (previous === undefined) delete process.env['KUBECONFIG'];
    else process.env['KUBECONFIG'] = previous;
  }
}

/** Every series name the operator's /metrics can serve, histograms with their _bucket/_sum/_count. */
export async function exportedMetricNames(): Promise<Set<string>> {
  const metrics = await offlineManagerMetrics();
  return new Set(metrics.flatMap((m) => (suffixes[m.type] ?? ['']).map((s) => `${m.name}${s}`)));
}

/** Series Prometheus makes itself for every target, not the operator. */
export const prometheusSeries = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

const keywords = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'atan2',
]);

/**
 * The metric names an expression reads. Strings, label matchers, ranges, grouping label lists,
 * Grafana variables and numbers are removed; a name followed by `(` is a function; keywords go.
 */
export function promqlMetricNames(expr: string): string[] {
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""') // string literals
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ') // Grafana variables ($job, ${datasource}, $__rate_interval)
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // range and subquery selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // label lists
  const names = new Set<string>();
  for (const m of text.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = m;
    if (call || !name || keywords.has(name)) continue;
    if (/^(inf|nan)$/i.test(name)) continue;
    // A duration or number suffix (5m, 1e3) is preceded by a digit: not a name.
    const before = text[(m.index ?? 0) - 1];
    if (before !== undefined && /[0-9.]/.test(before)) continue;
    names.add(name);
  }
  return [...names];
}
