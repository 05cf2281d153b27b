// The plan vocabulary every kind speaks (core/plan.ts): what each builder means for kstatus and for
// how soon the resource is looked at again, and which phase a stall reports.
import { describe, expect, it } from 'vitest';
import {
  act,
  done,
  drifted,
  pausedPlan,
  release,
  stall,
  stalledFrom,
  wait,
  type Phase,
  type Plan,
} from '../../../../src/resources/core/plan.ts';

describe('plan builders', () => {
  const table: Array<[string, Plan<{ type: string }>, string, string, Plan<{ type: string }>['cadence']]> = [
    ['waiting on a busy cloud is reconciling and looks again soon', wait('Creating', 'CloudBusy', 'm'), 'Wait', 'reconciling', 'busy'],
    ['a wait may ask for the slow cadence', wait('Running', 'CloudBusy', 'm', 'steady'), 'Wait', 'reconciling', 'steady'],
    [
      'an action is reconciling and looks again soon',
      act({ type: 'ScaleOut' }, 'Scaling', 'ScalingOut', 'm'),
      'ScaleOut',
      'reconciling',
      'busy',
    ],
    ['a stall needs a human: stalled, and only a change can help', stall('Failed', 'ClusterGone', 'm'), 'Stall', 'stalled', 'never'],
    ['done is ready and polled slowly for drift', done('Running', 'Running', 'm'), 'Done', 'ready', 'steady'],
    ['a done that ends for good is never polled', done('Completed', 'JobCompleted', 'm', 'never'), 'Done', 'ready', 'never'],
    ['drift under ObserveOnly is not ready, and polled slowly', drifted('m'), 'Done', 'reconciling', 'steady'],
    ['releasing the finalizer ends the resource: nothing to look at again', release('m'), 'ReleaseFinalizer', 'reconciling', 'never'],
    ['paused waits for the annotation to go: no polling', pausedPlan(), 'Done', 'reconciling', 'never'],
  ];
  it.each(table)('%s', (_why, plan, action, state, cadence) => {
    expect(plan.action.type).toBe(action);
    expect(plan.state.state).toBe(state);
    expect(plan.cadence).toBe(cadence);
  });

  it('carries the phase, the reason and the message it was given', () => {
    expect(wait('Creating', 'CloudBusy', 'the cloud provisions')).toMatchObject({
      phase: 'Creating',
      state: { reason: 'CloudBusy', message: 'the cloud provisions' },
    });
    expect(act({ type: 'Adopt', clusterId: 'c-1' }, 'Creating', 'Adopting', 'found')).toMatchObject({
      action: { type: 'Adopt', clusterId: 'c-1' },
      phase: 'Creating',
      state: { reason: 'Adopting', message: 'found' },
    });
  });

  it('drift, release and pause report the phase the cluster is in', () => {
    expect(drifted('workerCount differs')).toMatchObject({
      phase: 'Running',
      state: { reason: 'Drifted', message: 'workerCount differs' },
    });
    expect(release('gone')).toMatchObject({ phase: 'Deleting', state: { reason: 'Deleting', message: 'gone' } });
    expect(pausedPlan()).toMatchObject({ phase: 'Paused', state: { reason: 'Paused' } });
  });
});

describe('stalledFrom', () => {
  const table: Array<[string, Phase | undefined, boolean | undefined, Phase]> = [
    ['a running cluster that stalls is still running', 'Running', undefined, 'Running'],
    ['a completed job cluster stays completed', 'Completed', undefined, 'Completed'],
    // Work under way is never Stalled (phases.ts): the phase says where the cluster stands without it.
    ['a stall while creating is Pending: no cluster runs yet', 'Creating', undefined, 'Pending'],
    ['a stall while scaling is Running: the cluster runs as it was', 'Scaling', false, 'Running'],
    ['a stall while upgrading is Running: the cluster runs as it was', 'Upgrading', false, 'Running'],
    ['a stall while paused (an invalid spec) is Running, never Paused', 'Paused', false, 'Running'],
    ['a failed cluster stays failed', 'Failed', undefined, 'Failed'],
    ['a resource with no phase yet is Pending', undefined, undefined, 'Pending'],
    ['a stall while deleting is Deleting, whatever the phase before', 'Running', true, 'Deleting'],
    ['a stall while deleting a resource with no phase yet is Deleting', undefined, true, 'Deleting'],
  ];
  it.each(table)('%s', (_why, previous, deleting, expected) => {
    const plan = deleting === undefined ? stalledFrom(previous, 'R', 'm') : stalledFrom(previous, 'R', 'm', deleting);
    expect(plan.phase).toBe(expected);
  });

  it('is a stall with the reason and message given', () => {
    expect(stalledFrom('Running', 'CredentialsInvalid', 'HTTP 401')).toEqual({
      action: { type: 'Stall' },
      phase: 'Running',
      state: { state: 'stalled', reason: 'CredentialsInvalid', message: 'HTTP 401' },
      cadence: 'never',
    });
  });
});
