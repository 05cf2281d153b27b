import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { immutable, structuralSchema, withRules } from '../../../src/runtime/crd.ts';

describe('zod → CRD schema', () => {
  it('keeps every CEL rule when a field gets several (immutability on top of its own rules)', () => {
    const field = immutable(withRules(z.string(), [{ rule: "!self.contains('--')", message: 'no double hyphens' }]), 'name', 'recreate it');
    expect(structuralSchema(field)['x-kubernetes-validations']).toEqual([
      { rule: "!self.contains('--')", message: 'no double hyphens' },
      { rule: 'self == oldSelf', message: 'name is immutable: recreate it' },
    ]);
  });

  it('emits string-or-integer unions as x-kubernetes-int-or-string and drops non-structural parts', () => {
    const s = structuralSchema(z.strictObject({ v: z.record(z.string(), z.union([z.string(), z.number().int()])), n: z.number().int() }));
    expect(s['additionalProperties']).toBeUndefined();
    const props = s['properties'] as any;
    expect(props.v.additionalProperties).toEqual({ 'x-kubernetes-int-or-string': true });
    expect(props.n.maximum).toBeUndefined();
  });

  it('keeps a scalar union with booleans as given (no structural type for it), and leaves other unions alone', () => {
    const s = structuralSchema(z.object({ c: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) }));
    expect((s['properties'] as any).c.additionalProperties).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
    const o = structuralSchema(z.object({ u: z.union([z.string(), z.object({ a: z.string() })]) }));
    expect((o['properties'] as any).u['x-kubernetes-preserve-unknown-fields']).toBeUndefined();
  });
});
