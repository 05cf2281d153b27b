import { describe, expect, it } from 'vitest';
import { kstatusConditions, setCondition } from '../../../src/runtime/conditions.ts';

const t0 = new Date('2026-11-22T10:00:00.123Z');
const t1 = new Date('2026-11-22T11:00:00Z');

describe('conditions', () => {
  it('keeps lastTransitionTime while the status does not change', () => {
    const a = setCondition([], { type: 'Ready', status: 'False', reason: 'Creating', message: 'x' }, 1, t0);
    expect(a[0]!.lastTransitionTime).toBe('2026-11-22T10:00:00Z');
    const b = setCondition(a, { type: 'Ready', status: 'False', reason: 'Still', message: 'y' }, 2, t1);
    expect(b[0]).toMatchObject({ lastTransitionTime: '2026-11-22T10:00:00Z', reason: 'Still', observedGeneration: 2 });
    const c = setCondition(b, { type: 'Ready', status: 'True', reason: 'Running', message: '' }, 2, t1);
    expect(c[0]!.lastTransitionTime).toBe('2026-11-22T11:00:00Z');
  });

  it('sets Ready, Reconciling and Stalled together, in kstatus order', () => {
    const stalled = kstatusConditions([], { state: 'stalled', reason: 'CredentialsInvalid', message: 'bad key' }, 3, t0);
    expect(stalled.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'False', 'CredentialsInvalid'],
      ['Reconciling', 'False', 'CredentialsInvalid'],
      ['Stalled', 'True', 'CredentialsInvalid'],
    ]);
    const ready = kstatusConditions(stalled, { state: 'ready', reason: 'Running', message: 'ok' }, 4, t1);
    expect(ready.map((c) => [c.type, c.status])).toEqual([
      ['Ready', 'True'],
      ['Reconciling', 'False'],
      ['Stalled', 'False'],
    ]);
    expect(ready.every((c) => c.observedGeneration === 4)).toBe(true);
  });

  it('recomputing the same state yields identical conditions (no status churn)', () => {
    const a = kstatusConditions([], { state: 'reconciling', reason: 'Creating', message: 'm' }, 1, t0);
    const b = kstatusConditions(a, { state: 'reconciling', reason: 'Creating', message: 'm' }, 1, t1);
    expect(b).toEqual(a);
  });
});
