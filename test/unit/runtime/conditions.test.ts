import { describe, expect, it } from 'vitest';
import { findCondition, kstatusConditions, nowRfc3339, setCondition } from '../../../src/runtime/conditions.ts';

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

describe('condition order (kstatus first, then the rest alphabetically)', () => {
  const input = (type: string) => ({ type, status: 'True' as const, reason: 'R', message: '' });

  it('keeps Ready, Reconciling, Stalled first, in that order, then other types alphabetically, whatever order they are set in', () => {
    let list = setCondition([], input('Stalled'), 1, t0);
    for (const type of ['Healthy', 'Reconciling', 'Available', 'Ready', 'Degraded']) list = setCondition(list, input(type), 1, t0);
    expect(list.map((c) => c.type)).toEqual(['Ready', 'Reconciling', 'Stalled', 'Available', 'Degraded', 'Healthy']);
  });

  it('puts a condition set on a list in reverse order where it belongs', () => {
    const reversed = ['Zeta', 'Healthy', 'Stalled', 'Reconciling', 'Ready'].map((type) => ({ ...input(type), lastTransitionTime: 'x' }));
    expect(setCondition(reversed, input('Alpha'), 1, t0).map((c) => c.type)).toEqual([
      'Ready',
      'Reconciling',
      'Stalled',
      'Alpha',
      'Healthy',
      'Zeta',
    ]);
  });

  it('replaces a condition of the same type in place rather than adding a second one', () => {
    const list = kstatusConditions([], { state: 'ready', reason: 'Running', message: 'ok' }, 1, t0);
    const again = setCondition(list, { type: 'Reconciling', status: 'True', reason: 'Scaling', message: 'adding 2' }, 2, t1);
    expect(again.map((c) => [c.type, c.status])).toEqual([
      ['Ready', 'True'],
      ['Reconciling', 'True'],
      ['Stalled', 'False'],
    ]);
  });
});

describe('setCondition', () => {
  it('leaves observedGeneration out when the generation is unknown', () => {
    const [c] = setCondition([], { type: 'Ready', status: 'True', reason: 'Running', message: '' }, undefined, t0);
    expect(c).toStrictEqual({ type: 'Ready', status: 'True', reason: 'Running', message: '', lastTransitionTime: '2026-11-22T10:00:00Z' });
  });
});

describe('nowRfc3339', () => {
  it('drops the milliseconds of a timestamp (Kubernetes keeps seconds)', () => {
    expect(nowRfc3339(new Date('2026-11-22T10:00:00.999Z'))).toBe('2026-11-22T10:00:00Z');
    expect(nowRfc3339(new Date('2026-11-22T10:00:00.000Z'))).toBe('2026-11-22T10:00:00Z');
  });
});

describe('kstatusConditions: the three conditions of each state', () => {
  const table = (state: 'ready' | 'reconciling' | 'stalled') =>
    kstatusConditions([], { state, reason: 'Why', message: 'what happened' }, 1, t0).map((c) => [c.type, c.status, c.reason, c.message]);

  it('ready: Ready True with the reason; Reconciling and Stalled False as Reconciled', () => {
    expect(table('ready')).toEqual([
      ['Ready', 'True', 'Why', 'what happened'],
      ['Reconciling', 'False', 'Reconciled', ''],
      ['Stalled', 'False', 'Reconciled', ''],
    ]);
  });

  it('reconciling: Reconciling True with the reason; Ready False with it too; Stalled False as Progressing', () => {
    expect(table('reconciling')).toEqual([
      ['Ready', 'False', 'Why', 'what happened'],
      ['Reconciling', 'True', 'Why', 'what happened'],
      ['Stalled', 'False', 'Progressing', ''],
    ]);
  });

  it('stalled: Stalled True with the reason; Ready and Reconciling False with it, the message only once', () => {
    expect(table('stalled')).toEqual([
      ['Ready', 'False', 'Why', 'what happened'],
      ['Reconciling', 'False', 'Why', ''],
      ['Stalled', 'True', 'Why', 'what happened'],
    ]);
  });

  it('keeps other conditions, after the three', () => {
    const healthy = setCondition([], { type: 'Healthy', status: 'True', reason: 'AllGreen', message: '' }, 1, t0);
    const out = kstatusConditions(healthy, { state: 'ready', reason: 'Running', message: '' }, 2, t1);
    expect(out.map((c) => c.type)).toEqual(['Ready', 'Reconciling', 'Stalled', 'Healthy']);
    expect(out[3]).toEqual(healthy[0]);
  });
});

describe('findCondition', () => {
  const list = kstatusConditions([], { state: 'reconciling', reason: 'Creating', message: 'm' }, 1, t0);

  it('finds a condition by type', () => {
    expect(findCondition(list, 'Reconciling')).toMatchObject({ type: 'Reconciling', status: 'True', reason: 'Creating' });
    expect(findCondition(list, 'Stalled')).toMatchObject({ type: 'Stalled', status: 'False' });
  });

  it('is undefined for a type that is not there, and for an object without conditions', () => {
    expect(findCondition(list, 'Healthy')).toBeUndefined();
    expect(findCondition(undefined, 'Ready')).toBeUndefined();
  });
});
