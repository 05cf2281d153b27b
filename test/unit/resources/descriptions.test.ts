// `kubectl explain` has something to say about every field: each generated CRD's openAPIV3Schema
// gives a description to spec, status and every property under them (objects and leaves, array
// items' properties, map values' properties). A field added without .describe() fails here, named
// by its path.
import { describe, expect, it } from 'vitest';
import { crds } from '../../../src/resources/crds.ts';

type Node = {
  description?: string;
  properties?: Record<string, Node>;
  items?: Node;
  additionalProperties?: Node | boolean;
};

/** The paths under `node` whose schema has no description (or an empty one). */
function undescribed(node: Node, path: string): string[] {
  const out: string[] = [];
  if (!node.description?.trim()) out.push(path);
  for (const [key, child] of Object.entries(node.properties ?? {})) out.push(...undescribed(child, `${path}.${key}`));
  // An array's own description says what the list is; its items' properties are fields in their own right.
  if (node.items) out.push(...undescribed(node.items, `${path}[]`).filter((p) => p !== `${path}[]`));
  if (typeof node.additionalProperties === 'object')
    out.push(...undescribed(node.additionalProperties, `${path}{}`).filter((p) => p !== `${path}{}`));
  return out;
}

describe('field descriptions (kubectl explain)', () => {
  it('finds a missing description, wherever it is', () => {
    const schema: Node = {
      description: 'x',
      properties: {
        a: { description: 'a', properties: { b: {} } },
        list: { description: 'l', items: { properties: { c: { description: '' }, d: { description: 'd' } } } },
      },
    };
    expect(undescribed(schema, 'spec')).toEqual(['spec.a.b', 'spec.list[].c']);
  });

  it.each(crds().map(({ file, crd }) => [file, crd] as const))('%s describes every object and field of spec and status', (_file, crd) => {
    const version = (crd as { spec: { versions: Array<{ schema: { openAPIV3Schema: Node } }> } }).spec.versions[0]!;
    const root = version.schema.openAPIV3Schema;
    expect(root.description).toBeTruthy();
    const missing = ['spec', 'status'].flatMap((field) => undescribed(root.properties![field]!, field));
    expect(missing).toEqual([]);
    // The walk reaches deep: conditions' fields are among those it checked.
    expect(root.properties!['status']!.properties!['conditions']!.items!.properties!['reason']!.description).toMatch(/stable/);
  });
});
