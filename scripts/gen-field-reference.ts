// Generates docs/reference.md: every field of `spec` and `status` of every kind, read from the
// CRDs the operator installs (crds() builds them from the zod schemas), so the reference can never
// drift from what the API server enforces. test/unit/generated.test.ts fails when the checked-in
// file is stale; run `npm run generate` after changing a schema.
import { crds } from '../src/resources/crds.ts';

type Json = Record<string, unknown>;

interface Rule {
  rule: string;
  message?: string;
}

interface Row {
  path: string;
  type: string;
  required: boolean;
  default?: unknown;
  constraints: string[];
  description: string;
}

/** A code span that survives any content, including backticks, inside a table cell. */
function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** Table cells may not hold pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Prose outside code spans: `<user>` would otherwise be read as an HTML tag. */
function prose(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function json(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function typeOf(schema: Json): string {
  if (schema['x-kubernetes-int-or-string'] === true) return 'int-or-string';
  const type = schema['type'];
  if (type === 'array') {
    const items = (schema['items'] ?? {}) as Json;
    return `array of ${typeOf(items)}`;
  }
  if (type === 'object' && typeof schema['additionalProperties'] === 'object' && !schema['properties']) {
    return `map of string to ${typeOf(schema['additionalProperties'] as Json)}`;
  }
  return typeof type === 'string' ? type : 'any';
}

function rules(schema: Json): Rule[] {
  return (schema['x-kubernetes-validations'] ?? []) as Rule[];
}

function ruleText(r: Rule): string {
  return `rule ${code(r.rule)}${r.message ? `: “${prose(r.message)}”` : ''}`;
}

function constraintsOf(schema: Json): string[] {
  const out: string[] = [];
  const enumValues = schema['enum'] as unknown[] | undefined;
  if (enumValues) out.push(`one of ${enumValues.map((v) => code(json(v))).join(', ')}`);
  const bounds: Array<[string, string]> = [
    ['minimum', 'minimum'],
    ['maximum', 'maximum'],
    ['exclusiveMinimum', 'greater than'],
    ['exclusiveMaximum', 'less than'],
    ['multipleOf', 'multiple of'],
    ['minLength', 'min length'],
    ['maxLength', 'max length'],
    ['minItems', 'min items'],
    ['maxItems', 'max items'],
    ['minProperties', 'min properties'],
    ['maxProperties', 'max properties'],
  ];
  for (const [key, label] of bounds) {
    const v = schema[key];
    if (typeof v === 'number') out.push(`${label} ${v}`);
  }
  if (typeof schema['pattern'] === 'string') out.push(`pattern ${code(schema['pattern'])}`);
  if (typeof schema['format'] === 'string') out.push(`format ${code(schema['format'])}`);
  if (schema['x-kubernetes-int-or-string'] === true) out.push('integer or string');
  const listType = schema['x-kubernetes-list-type'];
  if (typeof listType === 'string') {
    const keys = schema['x-kubernetes-list-map-keys'] as string[] | undefined;
    out.push(`list type ${code(listType)}${keys ? ` keyed by ${keys.map(code).join(', ')}` : ''}`);
  }
  for (const r of rules(schema)) out.push(ruleText(r));
  return out;
}

/** Depth-first: a field, then its children (object properties, array items, map values). */
function walk(schema: Json, path: string, required: boolean, rows: Row[], withRules = true): void {
  rows.push({
    path,
    type: typeOf(schema),
    required,
    default: schema['default'],
    constraints: withRules ? constraintsOf(schema) : constraintsOf({ ...schema, 'x-kubernetes-validations': [] }),
    description: typeof schema['description'] === 'string' ? schema['description'] : '',
  });
  children(schema, path, rows);
}

function children(schema: Json, path: string, rows: Row[]): void {
  const properties = schema['properties'] as Record<string, Json> | undefined;
  if (properties) {
    const req = new Set((schema['required'] ?? []) as string[]);
    for (const [name, child] of Object.entries(properties)) walk(child, `${path}.${name}`, req.has(name), rows);
  }
  const items = schema['items'] as Json | undefined;
  if (schema['type'] === 'array' && items && (items['properties'] || items['items'] || rules(items).length)) {
    // Element constraints other than its own children show on the array row via the element type.
    const elementRules = constraintsOf(items);
    if (elementRules.length && !items['properties']) {
      walk(items, `${path}[]`, true, rows);
    } else {
      if (elementRules.length)
        rows.push({
          path: `${path}[]`,
          type: typeOf(items),
          required: true,
          constraints: elementRules,
          description: typeof items['description'] === 'string' ? items['description'] : '',
        });
      children(items, `${path}[]`, rows);
    }
  }
  const values = schema['additionalProperties'];
  if (typeof values === 'object' && values !== null) {
    const v = values as Json;
    if (v['properties'] || constraintsOf(v).length) walk(v, `${path}.<key>`, false, rows);
  }
}

function table(rows: Row[]): string[] {
  return [
    '| field | type | required | default | constraints | description |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const cells = [
        code(r.path),
        r.type,
        r.required ? 'required' : 'optional',
        r.default === undefined ? '' : code(json(r.default)),
        cell(r.constraints.join('; ')),
        cell(prose(r.description)),
      ];
      return `| ${cells.join(' | ')} |`.replace(/ {2}\|/g, ' |');
    }),
  ];
}

function kindSection(crd: Json): string[] {
  const spec = crd['spec'] as Json;
  const names = spec['names'] as Json;
  const version = (spec['versions'] as Json[])[0] as Json;
  const root = ((version['schema'] as Json)['openAPIV3Schema'] ?? {}) as Json;
  const props = root['properties'] as Record<string, Json>;
  const requiredRoot = new Set((root['required'] ?? []) as string[]);
  const subresources = (version['subresources'] ?? {}) as Json;
  const scale = subresources['scale'] as Json | undefined;
  const kind = String(names['kind']);
  const lines: string[] = [
    `## ${kind}`,
    '',
    `${typeof root['description'] === 'string' ? root['description'] : ''}`,
    '',
    `- API version: ${code(`${String(spec['group'])}/${String(version['name'])}`)}, namespaced`,
    `- plural ${code(String(names['plural']))}, short names ${((names['shortNames'] ?? []) as string[]).map(code).join(', ')}, categories ${((names['categories'] ?? []) as string[]).map(code).join(', ')}`,
    `- subresources: ${code('status')}${scale ? `, ${code('scale')} (${code(String(scale['specReplicasPath']))} / ${code(String(scale['statusReplicasPath']))})` : ''}`,
  ];
  const objectRules = rules(root);
  if (objectRules.length) {
    lines.push('', 'Rules on the whole object:', '', ...objectRules.map((r) => `- ${ruleText(r)}`));
  }
  for (const part of ['spec', 'status'] as const) {
    const schema = props[part];
    if (!schema) continue;
    const rows: Row[] = [];
    walk(schema, part, requiredRoot.has(part), rows, false);
    lines.push('', `### ${kind} ${part}`, '');
    const partRules = rules(schema);
    if (partRules.length) lines.push(`Rules on \`${part}\`:`, '', ...partRules.map((r) => `- ${ruleText(r)}`), '');
    lines.push(...table(rows));
  }
  return lines;
}

export function fieldReferenceMarkdown(): string {
  const all = crds();
  return [
    '# Field reference',
    '',
    '<!-- Generated by `npm run generate` from src/resources/*/schema.ts; do not edit by hand. -->',
    '',
    'Every field of every kind, exactly as the installed CRDs (`crds/`) declare them, so the API server',
    'enforces everything listed here at admission. `required` means required whenever the enclosing',
    'object is present. Rules are CEL (`x-kubernetes-validations`); `oldSelf` rules apply on update',
    'only (for example `self == oldSelf` makes a field immutable). `a[]` is an element of the list',
    '`a`; `m.<key>` is a value of the map `m`. The operator writes `status`; never set it yourself.',
    '',
    `Kinds: ${all
      .map(({ crd }) => String(((crd['spec'] as Json)['names'] as Json)['kind']))
      .map((k) => `[${k}](#${k.toLowerCase()})`)
      .join(', ')}.`,
    '',
    ...all.flatMap(({ crd }) => [...kindSection(crd), '']),
  ].join('\n');
}
