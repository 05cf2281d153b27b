// Generates a CustomResourceDefinition from zod schemas, so a resource's zod schema is the one
// source of its TypeScript type, its runtime validation and its admission schema. zod's JSON
// Schema output is close to OpenAPI v3; this turns it into a Kubernetes *structural* schema:
// no `additionalProperties: false`, string-or-integer unions as `x-kubernetes-int-or-string`, other
// scalar unions (with booleans) as `x-kubernetes-preserve-unknown-fields`,
// no JavaScript safe-integer bounds. CEL rules and list types ride along as zod `.meta()`.
import { z } from 'zod';

type Json = Record<string, unknown>;

const scalarTypes = new Set(['string', 'integer', 'number', 'boolean']);

function clean(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(clean);
  if (typeof node !== 'object' || node === null) return node;
  const n = { ...(node as Json) };
  delete n['$schema'];
  if (n['additionalProperties'] === false) delete n['additionalProperties'];
  if (n['maximum'] === Number.MAX_SAFE_INTEGER) delete n['maximum'];
  if (n['minimum'] === Number.MIN_SAFE_INTEGER) delete n['minimum'];
  const variants = (n['anyOf'] ?? n['oneOf']) as Json[] | undefined;
  if (variants) {
    const types = new Set(variants.map((v) => v['type']));
    if (variants.length === 2 && types.has('string') && (types.has('integer') || types.has('number'))) {
      delete n['anyOf'];
      delete n['oneOf'];
      n['x-kubernetes-int-or-string'] = true;
    } else if (types.has('boolean') && [...types].every((t) => typeof t === 'string' && scalarTypes.has(t))) {
      // A structural schema has no scalar union beyond int-or-string, and the API server's CEL
      // cannot type such a value either (it refuses the CRD). So the value is kept as given, as
      // Strimzi's Kafka `config` is, and the operator's own parse of the spec (zod) refuses a
      // list or an object with a Stalled InvalidSpec naming the field, before any cloud call.
      delete n['anyOf'];
      delete n['oneOf'];
      n['x-kubernetes-preserve-unknown-fields'] = true;
    }
  }
  for (const [k, v] of Object.entries(n)) if (typeof v === 'object') n[k] = clean(v);
  return n;
}

export function structuralSchema(schema: z.ZodType): Json {
  return clean(z.toJSONSchema(schema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'throw' })) as Json;
}

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface CrdDefinition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  description: string;
  spec: z.ZodType;
  status: z.ZodType;
  /** Rules on the whole object (they may read `self.metadata.name`). */
  validations?: Array<{ rule: string; message: string }>;
  printerColumns: PrinterColumn[];
  scale?: { specReplicasPath: string; statusReplicasPath: string };
}

export function customResourceDefinition(def: CrdDefinition): Json {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.plural}.${def.group}` },
    spec: {
      group: def.group,
      scope: 'Namespaced',
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        shortNames: def.shortNames,
        categories: def.categories,
      },
      versions: [
        {
          name: def.version,
          served: true,
          storage: true,
          subresources: { status: {}, ...(def.scale ? { scale: def.scale } : {}) },
          additionalPrinterColumns: def.printerColumns,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: def.description,
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: structuralSchema(def.spec),
                status: structuralSchema(def.status),
              },
              ...(def.validations?.length ? { 'x-kubernetes-validations': def.validations } : {}),
            },
          },
        },
      ],
    },
  };
}

export interface CelRule {
  rule: string;
  message: string;
}

/**
 * Adds CEL rules to a schema, keeping the ones it has. (A second `.meta()` with the same key
 * replaces the first, which silently dropped rules before this helper existed.)
 */
export function withRules<T extends z.ZodType>(schema: T, rules: CelRule[]): T {
  const meta = schema.meta() ?? {};
  const existing = (meta['x-kubernetes-validations'] ?? []) as CelRule[];
  return schema.meta({ ...meta, 'x-kubernetes-validations': [...existing, ...rules] });
}

/** Makes a field immutable (a transition rule: it runs only on update), keeping its other rules. */
export function immutable<T extends z.ZodType>(schema: T, what: string, instead: string): T {
  return withRules(schema, [{ rule: 'self == oldSelf', message: `${what} is immutable: ${instead}` }]);
}
