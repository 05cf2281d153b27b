import { describe, expect, it } from 'vitest';
import { mergePatchDiff, normalize } from '../../../src/runtime/status.ts';

describe('mergePatchDiff (RFC 7386)', () => {
  it('is undefined when nothing changed', () => {
    expect(mergePatchDiff({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } })).toBeUndefined();
  });

  it('sends only what changed, nulls for removed fields, whole arrays', () => {
    const from = { phase: 'Creating', endpoints: { hue: 'h', nn: 'n' }, conditions: [{ type: 'Ready' }], gone: 1 };
    const to = { phase: 'Running', endpoints: { hue: 'h' }, conditions: [{ type: 'Ready' }, { type: 'Stalled' }] };
    expect(mergePatchDiff(from, to)).toEqual({
      phase: 'Running',
      endpoints: { nn: null },
      conditions: [{ type: 'Ready' }, { type: 'Stalled' }],
      gone: null,
    });
  });

  it('treats undefined like an absent field once normalized', () => {
    expect(mergePatchDiff(normalize({ a: 1 }), normalize({ a: 1, b: undefined }))).toBeUndefined();
  });
});
