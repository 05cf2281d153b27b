// The chart's values have one source of truth, src/deploy/helm-values.ts: values.yaml (the
// defaults) parses with it, holds every value it describes and no other, and every value in the
// generated values.schema.json has a description and refuses keys it does not know. Helm itself
// applying the schema is test/integration/deploy/chart.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPLICAS_WITHOUT_ELECTION, chartValues, chartValuesJsonSchema } from '../../../src/deploy/helm-values.ts';

const valuesYaml = parse(readFileSync(new URL('../../../deploy/helm/cloud-data-operator/values.yaml', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  required?: string[];
}

/**
 * Every object schema under `s` with a fixed set of properties, by its path in the values; the
 * Kubernetes types passed through verbatim (affinity, tolerations, valueFrom) have none.
 */
function ownedObjects(s: JsonSchema, path = ''): Array<[string, JsonSchema]> {
  const here: Array<[string, JsonSchema]> = Object.keys(s.properties ?? {}).length ? [[path || '(top)', s]] : [];
  const below = Object.entries(s.properties ?? {}).flatMap(([k, v]) => ownedObjects(v, path ? `${path}.${k}` : k));
  const items = s.items ? ownedObjects(s.items, `${path}[]`) : [];
  return [...here, ...below, ...items];
}

const clone = () => structuredClone(valuesYaml) as any;

describe('chart values schema (src/deploy/helm-values.ts)', () => {
  it('values.yaml parses with it', () => {
    const result = chartValues.safeParse(valuesYaml);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('values.yaml sets every value the schema requires, and the schema describes every value of values.yaml', () => {
    const schema = chartValuesJsonSchema() as JsonSchema;
    const walk = (s: JsonSchema, v: unknown, path: string): string[] => {
      if (!s.properties || typeof v !== 'object' || v === null || Array.isArray(v)) return [];
      const want = Object.keys(s.properties).sort();
      const got = Object.keys(v).sort();
      const diff = [
        ...want.filter((k) => !got.includes(k) && s.required?.includes(k)).map((k) => `${path}${k} missing from values.yaml`),
        ...got.filter((k) => !want.includes(k)).map((k) => `${path}${k} not in the schema`),
      ];
      return [...diff, ...want.flatMap((k) => walk(s.properties![k]!, (v as Record<string, unknown>)[k], `${path}${k}.`))];
    };
    expect(walk(schema, valuesYaml, '')).toEqual([]);
    // The only optional section values.yaml leaves out is `global`, which Helm fills for a chart
    // used as a dependency of another.
    const top = Object.keys(schema.properties ?? {}).filter((k) => !schema.required?.includes(k));
    expect(top).toEqual(['global']);
    expect(Object.keys(valuesYaml)).not.toContain('global');
  });

  it('every value has a description, and every object the chart owns refuses unknown keys', () => {
    const schema = chartValuesJsonSchema() as JsonSchema;
    const objects = ownedObjects(schema);
    expect(objects.length).toBeGreaterThan(10);
    for (const [path, s] of objects) {
      expect(s.additionalProperties, `${path}: additionalProperties`).toBe(false);
      for (const [k, v] of Object.entries(s.properties!)) expect(v.description ?? '', `${path}.${k} has no description`).not.toBe('');
    }
  });

  it('refuses a misspelt key, a wrong type and a value out of its set, naming the path', () => {
    const issues = (v: unknown) => chartValues.safeParse(v).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(issues({ ...clone(), replicasCount: 2 })).toEqual(['']);
    expect(issues({ ...clone(), replicaCount: 'two' })).toEqual(['replicaCount']);
    const v = clone();
    v.image.tagg = '1.0';
    v.logLevel = 'verbose';
    v.defaultCredentials.ncloud = 'no-slash';
    v.endpoints.kakaocloud = { 'kr-central-2': 'not a url' };
    expect(issues(v).sort()).toEqual(['defaultCredentials.ncloud', 'endpoints.kakaocloud.kr-central-2', 'image', 'logLevel']);
  });

  it('refuses more than one replica without leader election, in zod and in the JSON Schema Helm reads', () => {
    const v = clone();
    v.leaderElection.enabled = false;
    expect(chartValues.safeParse(v).error?.issues).toEqual([
      expect.objectContaining({ path: ['replicaCount'], message: REPLICAS_WITHOUT_ELECTION }),
    ]);
    v.replicaCount = 1;
    expect(chartValues.safeParse(v).success).toBe(true);
    const json = chartValuesJsonSchema() as { if: unknown; then: unknown };
    expect(json.if).toEqual({ properties: { leaderElection: { properties: { enabled: { const: false } } } } });
    expect(json.then).toEqual({ properties: { replicaCount: { maximum: 1, description: REPLICAS_WITHOUT_ELECTION } } });
  });

  it('refuses a certificate or metrics readers with plain-HTTP metrics (the templates would ignore them), in zod', () => {
    const v = clone();
    v.metrics.secure = false;
    expect(chartValues.safeParse(v).success).toBe(true);
    v.metrics.certSecret = 'metrics-tls';
    v.metrics.readerServiceAccounts = [{ name: 'prometheus-k8s', namespace: 'monitoring' }];
    expect(chartValues.safeParse(v).error?.issues.map((i) => i.path.join('.'))).toEqual([
      'metrics.certSecret',
      'metrics.readerServiceAccounts',
    ]);
    v.metrics.secure = true;
    expect(chartValues.safeParse(v).success).toBe(true);
  });

  it('is draft 7 (every Helm 3 and 4 validates it)', () => {
    expect(chartValuesJsonSchema()['$schema']).toBe('http://json-schema.org/draft-07/schema#');
  });
});
