import { describe, expect, it } from 'vitest';
import { addFinalizerOps, removeFinalizerOps } from '../../../src/runtime/finalizer.ts';
import type { KubeObject } from '../../../src/runtime/object.ts';

const obj = (finalizers?: string[]): KubeObject => ({
  metadata: { name: 'w', uid: 'u', resourceVersion: '1', ...(finalizers ? { finalizers } : {}) },
});

describe('finalizer patches', () => {
  it('adds to an absent list with a test that it is still absent', () => {
    expect(addFinalizerOps(obj(), 'cdo.dev/f')).toEqual([
      { op: 'test', path: '/metadata/finalizers', value: null },
      { op: 'add', path: '/metadata/finalizers', value: ['cdo.dev/f'] },
    ]);
  });

  it('appends to a foreign list only if that list is unchanged', () => {
    expect(addFinalizerOps(obj(['x.io/keep']), 'cdo.dev/f')).toEqual([
      { op: 'test', path: '/metadata/finalizers', value: ['x.io/keep'] },
      { op: 'add', path: '/metadata/finalizers/-', value: 'cdo.dev/f' },
    ]);
  });

  it('removes by index, testing the index still holds ours', () => {
    expect(removeFinalizerOps(obj(['x.io/keep', 'cdo.dev/f']), 'cdo.dev/f')).toEqual([
      { op: 'test', path: '/metadata/finalizers/1', value: 'cdo.dev/f' },
      { op: 'remove', path: '/metadata/finalizers/1' },
    ]);
  });

  it('makes no patch when there is nothing to do', () => {
    expect(addFinalizerOps(obj(['cdo.dev/f']), 'cdo.dev/f')).toBeUndefined();
    expect(removeFinalizerOps(obj(['x.io/keep']), 'cdo.dev/f')).toBeUndefined();
  });
});
