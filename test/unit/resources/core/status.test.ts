// The status fields every kind reports the same way (core/status.ts).
import { describe, expect, it } from 'vitest';
import { wait, done } from '../../../../src/resources/core/plan.ts';
import { coreStatus } from '../../../../src/resources/core/status.ts';

const now = new Date('2026-02-03T04:05:06Z');
const base = { generation: 3, clusterId: 'c-1', clusterName: 'alpha', now };

describe('coreStatus', () => {
  it('takes phase and kstatus conditions from the plan, identity from the pass, at the generation observed', () => {
    const s = coreStatus({
      ...base,
      previous: {},
      plan: wait('Creating', 'CloudBusy', 'busy'),
      deleteRequestedAt: 'd',
      lastHandledReconcileAt: 'r',
    });
    expect(s).toMatchObject({
      observedGeneration: 3,
      phase: 'Creating',
      clusterId: 'c-1',
      clusterName: 'alpha',
      deleteRequestedAt: 'd',
      lastHandledReconcileAt: 'r',
    });
    expect(s.conditions?.map((c) => [c.type, c.status, c.reason, c.observedGeneration])).toEqual([
      ['Ready', 'False', 'CloudBusy', 3],
      ['Reconciling', 'True', 'CloudBusy', 3],
      ['Stalled', 'False', 'Progressing', 3],
    ]);
  });

  it('adds SpecApplied after the kstatus conditions when a comparison ran, and keeps the last one when none did', () => {
    const verified = coreStatus({
      ...base,
      previous: {},
      plan: done('Running', 'Running', 'ok'),
      verified: [{ field: 'f', spec: '1', cloud: '2' }],
    });
    expect(verified.conditions?.map((c) => c.type)).toEqual(['Ready', 'Reconciling', 'Stalled', 'SpecApplied']);
    expect(verified.conditions?.[3]).toMatchObject({ status: 'False', reason: 'CloudDiffers' });
    const later = coreStatus({ ...base, generation: 4, previous: verified, plan: wait('Scaling', 'ScalingOut', 'scaling') });
    expect(later.conditions?.find((c) => c.type === 'SpecApplied')).toEqual(verified.conditions?.[3]);
    const matched = coreStatus({ ...base, previous: verified, plan: done('Running', 'Running', 'ok'), verified: [] });
    expect(matched.conditions?.find((c) => c.type === 'SpecApplied')).toMatchObject({ status: 'True', reason: 'CloudMatchesSpec' });
  });
});
