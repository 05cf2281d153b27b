// The HadoopEcoCluster state machine as a specification: every cloud status (spec
// kakaocloud-hadoop-eco-api.md §3.1/§3.2) × spec change × resource flags → the one action to take,
// the phase, the kstatus state and how soon to look again.
import { describe, expect, it } from 'vitest';
import { waits, type WaitRow } from '../../../support/plan-tables.ts';
import { hadoopEcoLifecycle } from '../../../../src/clouds/kakaocloud/status.ts';
import type { ClusterDetail } from '../../../../src/clouds/kakaocloud/types.ts';
import type { CloudRef } from '../../../../src/clouds/lifecycle.ts';
import type { Cadence, Phase } from '../../../../src/resources/core/plan.ts';
import { plan, type Action, type Plan, type PlanInput } from '../../../../src/resources/hadoop-eco/plan.ts';
import { hadoopEcoSpecSchema, type HadoopEcoSpec } from '../../../../src/resources/hadoop-eco/schema.ts';

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

const CLUSTER_ID = 'c-0001';
const NAME = 'analytics';
const RUNNING_AT = Date.UTC(2025, 0, 2, 3, 4, 5);

type UserTaskPolicy = 'never' | 'onSuccess' | 'always';

interface SpecOptions {
  workerCount?: number;
  replication?: number;
  deletionPolicy?: 'Delete' | 'Retain';
  managementPolicy?: 'Manage' | 'ObserveOnly';
  clusterId?: string;
  job?: UserTaskPolicy;
}

function spec(o: SpecOptions = {}): HadoopEcoSpec {
  return hadoopEcoSpecSchema.parse({
    clusterType: 'hadoop',
    clusterVersion: 'hde-2.0.1',
    keyPairName: 'kp',
    master: { flavorName: 'm2a.xlarge', volumeSize: 50 },
    worker: { flavorName: 'm2a.xlarge', volumeSize: 100 },
    workerCount: o.workerCount ?? 3,
    vpcId: 'vpc-1',
    subnetId: 'subnet-1',
    securityGroupName: 'sg-analytics',
    hdfs: { replication: o.replication ?? 2, blockSizeMB: 128 },
    ...(o.deletionPolicy ? { deletionPolicy: o.deletionPolicy } : {}),
    ...(o.managementPolicy ? { managementPolicy: o.managementPolicy } : {}),
    ...(o.clusterId ? { clusterId: o.clusterId } : {}),
    ...(o.job ? { userTask: { type: 'hive', terminationPolicy: o.job, hiveQuery: 'select 1' } } : {}),
  });
}

/** A cloud GET response: Running with 3 workers, replication 2, scalable, unless told otherwise. */
function detail(over: Partial<ClusterDetail> = {}): ClusterDetail {
  return {
    id: CLUSTER_ID,
    name: NAME,
    status: 'Running',
    clusterType: 'hadoop',
    isScalable: true,
    masterCnt: 1,
    workerCnt: 3,
    nodeCnt: 4,
    runningAt: RUNNING_AT,
    config: { hdfsReplication: 2, hdfsBlockSize: 128 },
    ...over,
  };
}

/** How a tombstone looks: counts 0, not scalable (spec §3.1). */
function terminated(status: string, over: Partial<ClusterDetail> = {}): ClusterDetail {
  return detail({ status, isScalable: false, masterCnt: 0, workerCnt: 0, nodeCnt: 0, ...over });
}

/** A same-name cluster as the lookup reports it (Initializing), in the shared lifecycle words. */
function summary(id: string): CloudRef {
  return { id, lifecycle: hadoopEcoLifecycle({ status: 'Initializing' }) };
}

/** A Manage cluster we know (id c-0001), observed Running with 3 workers, spec asking for 3. */
function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    spec: spec(),
    clusterName: NAME,
    deleting: false,
    paused: false,
    clusterId: CLUSTER_ID,
    createRequested: false,
    observed: detail(),
    deleteSent: false,
    ...over,
  };
}

interface Expected {
  action: Action;
  phase: Phase;
  state: 'ready' | 'reconciling' | 'stalled';
  reason: string;
  cadence: Cadence;
}

function expectPlan(p: Plan, e: Expected): void {
  expect({ action: p.action, phase: p.phase, state: p.state.state, reason: p.state.reason, cadence: p.cadence }).toEqual(e);
  expect(p.state.message).not.toBe('');
}

const WAIT: Action = { type: 'Wait' };
const DONE: Action = { type: 'Done' };
const STALL: Action = { type: 'Stall' };
const RELEASE: Action = { type: 'ReleaseFinalizer' };
const MUTATIONS = ['Create', 'Adopt', 'ScaleOut', 'ScaleIn', 'Delete'] as const;
const isMutation = (a: Action) => (MUTATIONS as readonly string[]).includes(a.type);

// Every observation the reconciler can hand to plan() for a known cluster id.
interface Observation {
  label: string;
  observed: ClusterDetail | null | undefined;
}
const observations: Observation[] = [
  { label: 'Initializing', observed: detail({ status: 'Initializing', isScalable: false, workerCnt: 0, runningAt: null }) },
  { label: 'Pending', observed: detail({ status: 'Pending', isScalable: false, runningAt: null }) },
  { label: 'Processing', observed: detail({ status: 'Processing', isScalable: false }) },
  { label: 'Rebooting (unknown word)', observed: detail({ status: 'Rebooting', isScalable: false }) },
  { label: 'Running, isScalable true', observed: detail({ status: 'Running', isScalable: true }) },
  { label: 'Running, isScalable false', observed: detail({ status: 'Running', isScalable: false }) },
  { label: 'Terminating', observed: detail({ status: 'Terminating', isScalable: false }) },
  { label: 'Terminated(User)', observed: terminated('Terminated(User)') },
  { label: 'Terminated(User Command)', observed: terminated('Terminated(User Command)') },
  { label: 'Terminated(UserCommand)', observed: terminated('Terminated(UserCommand)') },
  { label: 'Terminated(Error)', observed: terminated('Terminated(Error)') },
  { label: '404 (null)', observed: null },
  { label: 'not observed (undefined)', observed: undefined },
];
const obs = (label: string): ClusterDetail | null | undefined => {
  const o = observations.find((x) => x.label.startsWith(label));
  if (!o) throw new Error(`no observation ${label}`);
  return o.observed;
};

// ---------------------------------------------------------------------------------------------
// Every cloud status, Manage, spec unchanged (workerCount equals the cloud's 3)
// ---------------------------------------------------------------------------------------------

describe('plan: every cloud status, Manage, spec workerCount equal to the cloud', () => {
  const table: Array<[string, Expected]> = [
    ['Initializing', { action: WAIT, phase: 'Creating', state: 'reconciling', reason: 'CloudBusy', cadence: 'busy' }],
    ['Pending', { action: WAIT, phase: 'Creating', state: 'reconciling', reason: 'CloudBusy', cadence: 'busy' }],
    // Processing and unknown words after runningAt: the cluster has been up, so it is Running (busy).
    ['Processing', { action: WAIT, phase: 'Running', state: 'reconciling', reason: 'CloudBusy', cadence: 'busy' }],
    ['Rebooting', { action: WAIT, phase: 'Running', state: 'reconciling', reason: 'CloudBusy', cadence: 'busy' }],
    ['Running, isScalable true', { action: DONE, phase: 'Running', state: 'ready', reason: 'Running', cadence: 'steady' }],
    ['Running, isScalable false', { action: DONE, phase: 'Running', state: 'ready', reason: 'Running', cadence: 'steady' }],
    ['Terminating', { action: WAIT, phase: 'Deleting', state: 'reconciling', reason: 'Terminating', cadence: 'busy' }],
    ['Terminated(User)', { action: STALL, phase: 'Failed', state: 'stalled', reason: 'ClusterTerminatedOutside', cadence: 'never' }],
    // Not a job cluster: ending by "user command" is still an end the operator did not ask for.
    [
      'Terminated(User Command)',
      { action: STALL, phase: 'Failed', state: 'stalled', reason: 'ClusterTerminatedOutside', cadence: 'never' },
    ],
    ['Terminated(UserCommand)', { action: STALL, phase: 'Failed', state: 'stalled', reason: 'ClusterTerminatedOutside', cadence: 'never' }],
    ['Terminated(Error)', { action: STALL, phase: 'Failed', state: 'stalled', reason: 'ClusterFailed', cadence: 'never' }],
    ['404', { action: STALL, phase: 'Failed', state: 'stalled', reason: 'ClusterGone', cadence: 'never' }],
    ['not observed', { action: WAIT, phase: 'Pending', state: 'reconciling', reason: 'Observing', cadence: 'busy' }],
  ];
  it.each(table)('%s', (label, expected) => {
    expectPlan(plan(input({ observed: obs(label) })), expected);
  });

  it('an in-progress status before the cluster ever ran is Creating, after it ran is Running', () => {
    expect(plan(input({ observed: detail({ status: 'Initializing', runningAt: null }) })).phase).toBe('Creating');
    expect(plan(input({ observed: detail({ status: 'Initializing', runningAt: RUNNING_AT }) })).phase).toBe('Running');
  });

  it('a cluster terminated outside the operator is reported, never recreated', () => {
    for (const status of ['Terminated(User)', 'Terminated(Error)', 'Terminated']) {
      const p = plan(input({ observed: terminated(status) }));
      expect(p.action.type).toBe('Stall');
      expect(p.phase).toBe('Failed');
      expect(p.state.message).toContain(status);
    }
  });

  it('a 404 for a cluster adopted through spec.clusterId says the id does not exist (ClusterNotFound)', () => {
    expectPlan(plan(input({ spec: spec({ clusterId: CLUSTER_ID }), adopting: true, observed: null })), {
      action: STALL,
      phase: 'Failed',
      state: 'stalled',
      reason: 'ClusterNotFound',
      cadence: 'never',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Spec change: workerCount equal / higher / lower / lower than replication
// ---------------------------------------------------------------------------------------------

describe('plan: scaling a Running cluster (cloud has 3 workers, hdfsReplication 2)', () => {
  const table: Array<[string, number, boolean, Expected]> = [
    ['equal, scalable', 3, true, { action: DONE, phase: 'Running', state: 'ready', reason: 'Running', cadence: 'steady' }],
    ['equal, not scalable', 3, false, { action: DONE, phase: 'Running', state: 'ready', reason: 'Running', cadence: 'steady' }],
    [
      'higher by 2: scales out by the delta',
      5,
      true,
      { action: { type: 'ScaleOut', count: 2 }, phase: 'Scaling', state: 'reconciling', reason: 'ScalingOut', cadence: 'busy' },
    ],
    [
      'higher by 1: scales out by the delta',
      4,
      true,
      { action: { type: 'ScaleOut', count: 1 }, phase: 'Scaling', state: 'reconciling', reason: 'ScalingOut', cadence: 'busy' },
    ],
    [
      'higher while isScalable is false: waits',
      5,
      false,
      { action: WAIT, phase: 'Scaling', state: 'reconciling', reason: 'CloudBusy', cadence: 'busy' },
    ],
    [
      'lower down to replication: scales in by the delta',
      2,
      true,
      { action: { type: 'ScaleIn', count: 1 }, phase: 'Scaling', state: 'reconciling', reason: 'ScalingIn', cadence: 'busy' },
    ],
    [
      'lower while isScalable is false: waits',
      2,
      false,
      { action: WAIT, phase: 'Scaling', state: 'reconciling', reason: 'CloudBusy', cadence: 'busy' },
    ],
    [
      'lower than replication: stalls and keeps the workers',
      1,
      true,
      { action: STALL, phase: 'Running', state: 'stalled', reason: 'BelowReplication', cadence: 'never' },
    ],
  ];
  it.each(table)('workerCount %s', (_label, workerCount, isScalable, expected) => {
    expectPlan(
      plan(input({ spec: spec({ workerCount, replication: Math.min(2, workerCount) }), observed: detail({ isScalable }) })),
      expected,
    );
  });

  it('scales in when workerCount drops, never below hdfsReplication', () => {
    const from6 = (workerCount: number) =>
      plan(input({ spec: spec({ workerCount, replication: 1 }), observed: detail({ workerCnt: 6, config: { hdfsReplication: 3 } }) }))
        .action;
    expect(from6(5)).toEqual({ type: 'ScaleIn', count: 1 });
    expect(from6(3)).toEqual({ type: 'ScaleIn', count: 3 });
    expect(from6(2)).toEqual(STALL);
    expect(from6(1)).toEqual(STALL);
  });

  it("the cloud's hdfsReplication wins over the spec's, and the spec's is used when the cloud does not say", () => {
    // Cloud says 3, spec says 1: 2 workers would be below the cloud's replication.
    expect(
      plan(input({ spec: spec({ workerCount: 2, replication: 1 }), observed: detail({ workerCnt: 4, config: { hdfsReplication: 3 } }) }))
        .action,
    ).toEqual(STALL);
    // No config in the response: the spec's replication 3 applies.
    expect(
      plan(input({ spec: spec({ workerCount: 2, replication: 3 }), observed: detail({ workerCnt: 4, config: null }) })).action,
    ).toEqual(STALL);
    expect(
      plan(input({ spec: spec({ workerCount: 3, replication: 3 }), observed: detail({ workerCnt: 4, config: null }) })).action,
    ).toEqual({ type: 'ScaleIn', count: 1 });
  });

  it('scale-out count is wanted − current for any pair', () => {
    for (let current = 1; current <= 6; current++) {
      for (let wanted = current + 1; wanted <= 9; wanted++) {
        expect(
          plan(input({ spec: spec({ workerCount: wanted, replication: 1 }), observed: detail({ workerCnt: current }) })).action,
        ).toEqual({ type: 'ScaleOut', count: wanted - current });
      }
    }
  });

  const notRunning = observations.filter((o) => !o.label.startsWith('Running'));
  it.each(notRunning.map((o) => [o.label, o.observed] as const))(
    '%s: a workerCount change does not scale (one mutation only from a stable state)',
    (_label, observed) => {
      const base = plan(input({ observed }));
      for (const workerCount of [5, 2, 1]) {
        const p = plan(input({ spec: spec({ workerCount, replication: Math.min(2, workerCount) }), observed }));
        expect(p.action.type).not.toMatch(/^Scale/);
        expect({ action: p.action, phase: p.phase, state: p.state.state, reason: p.state.reason, cadence: p.cadence }).toEqual({
          action: base.action,
          phase: base.phase,
          state: base.state.state,
          reason: base.state.reason,
          cadence: base.cadence,
        });
      }
    },
  );
});

// ---------------------------------------------------------------------------------------------
// managementPolicy ObserveOnly
// ---------------------------------------------------------------------------------------------

describe('plan: managementPolicy ObserveOnly never mutates the cloud', () => {
  const observeOnly = (workerCount = 3) =>
    spec({ managementPolicy: 'ObserveOnly', clusterId: CLUSTER_ID, workerCount, replication: Math.min(2, workerCount) });

  it.each([5, 2, 1])('workerCount %i differing from the cloud is reported as Drifted, not scaled', (workerCount) => {
    expectPlan(plan(input({ spec: observeOnly(workerCount) })), {
      action: DONE,
      phase: 'Running',
      state: 'reconciling',
      reason: 'Drifted',
      cadence: 'steady',
    });
  });

  it('a Running cluster matching the spec is Ready', () => {
    expectPlan(plan(input({ spec: observeOnly() })), {
      action: DONE,
      phase: 'Running',
      state: 'ready',
      reason: 'Running',
      cadence: 'steady',
    });
  });

  it('without a cluster id it asks for spec.clusterId instead of creating (even with a create intent and a same-name cluster)', () => {
    const expected: Expected = { action: STALL, phase: 'Pending', state: 'stalled', reason: 'ClusterIdRequired', cadence: 'never' };
    const s = spec({ managementPolicy: 'ObserveOnly' });
    expectPlan(plan(input({ spec: s, clusterId: undefined, observed: undefined })), expected);
    expectPlan(
      plan(input({ spec: s, clusterId: undefined, observed: undefined, createRequested: true, sameName: [summary('c-9')] })),
      expected,
    );
  });

  it.each(observations.map((o) => [o.label, o.observed] as const))(
    '%s: no Create, Scale or Delete for any workerCount',
    (_label, observed) => {
      for (const workerCount of [3, 5, 2, 1]) {
        const p = plan(input({ spec: observeOnly(workerCount), observed }));
        expect(['Create', 'ScaleOut', 'ScaleIn', 'Delete']).not.toContain(p.action.type);
      }
    },
  );
});

// ---------------------------------------------------------------------------------------------
// paused
// ---------------------------------------------------------------------------------------------

describe('plan: paused', () => {
  it.each(observations.map((o) => [o.label, o.observed] as const))(
    '%s: Done with phase Paused (Deleting once deleted) and no cloud action, whatever the spec',
    (_label, observed) => {
      for (const deleting of [false, true]) {
        for (const workerCount of [3, 5, 1]) {
          expectPlan(plan(input({ paused: true, deleting, observed, spec: spec({ workerCount, replication: 1 }) })), {
            action: DONE,
            phase: deleting ? 'Deleting' : 'Paused',
            state: 'reconciling',
            reason: 'Paused',
            cadence: 'never',
          });
        }
      }
    },
  );

  it('paused without a cluster id does not create one', () => {
    expect(plan(input({ paused: true, clusterId: undefined, observed: undefined })).action).toEqual(DONE);
  });
});

// ---------------------------------------------------------------------------------------------
// Job clusters (userTask.terminationPolicy, spec §3.4)
// ---------------------------------------------------------------------------------------------

describe('plan: job clusters', () => {
  const completed: Expected = { action: DONE, phase: 'Completed', state: 'ready', reason: 'JobCompleted', cadence: 'never' };
  const outside: Expected = { action: STALL, phase: 'Failed', state: 'stalled', reason: 'ClusterTerminatedOutside', cadence: 'never' };
  const failed: Expected = { action: STALL, phase: 'Failed', state: 'stalled', reason: 'ClusterFailed', cadence: 'never' };
  const table: Array<[UserTaskPolicy, string, Expected]> = [
    ['onSuccess', 'Terminated(User Command)', completed],
    ['onSuccess', 'Terminated(UserCommand)', completed],
    ['always', 'Terminated(User Command)', completed],
    ['always', 'Terminated(UserCommand)', completed],
    // `never` does not end the cluster itself, so such an end is not the job's.
    ['never', 'Terminated(User Command)', outside],
    ['never', 'Terminated(UserCommand)', outside],
    ['onSuccess', 'Terminated(User)', outside],
    ['always', 'Terminated(User)', outside],
    ['never', 'Terminated(User)', outside],
    ['onSuccess', 'Terminated(Error)', failed],
    ['always', 'Terminated(Error)', failed],
    ['never', 'Terminated(Error)', failed],
  ];
  it.each(table)('terminationPolicy %s, cloud %s', (job, status, expected) => {
    const p = plan(input({ spec: spec({ job }), observed: terminated(status) }));
    expectPlan(p, expected);
    expect(p.action.type).not.toBe('Create');
  });

  it.each(['Pending', 'Processing'])('a job cluster in %s waits for the job', (status) => {
    expect(plan(input({ spec: spec({ job: 'always' }), observed: detail({ status, isScalable: false }) })).action).toEqual(WAIT);
  });

  it('a completed job cluster is never recreated, whatever workerCount asks', () => {
    for (const workerCount of [3, 5, 1]) {
      const p = plan(
        input({ spec: spec({ job: 'onSuccess', workerCount, replication: 1 }), observed: terminated('Terminated(User Command)') }),
      );
      expect(p.phase).toBe('Completed');
      expect(isMutation(p.action)).toBe(false);
    }
  });

  it('deleting a completed job cluster releases the finalizer without deleting the tombstone', () => {
    expectPlan(plan(input({ spec: spec({ job: 'always' }), deleting: true, observed: terminated('Terminated(User Command)') })), {
      action: RELEASE,
      phase: 'Deleting',
      state: 'reconciling',
      reason: 'Deleting',
      cadence: 'never',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Deletion
// ---------------------------------------------------------------------------------------------

describe('plan: deletion with deletionPolicy Delete', () => {
  const deleting = (over: Partial<PlanInput>) => plan(input({ deleting: true, ...over }));
  const waitDeleting: Expected = { action: WAIT, phase: 'Deleting', state: 'reconciling', reason: 'Deleting', cadence: 'busy' };
  const release: Expected = { action: RELEASE, phase: 'Deleting', state: 'reconciling', reason: 'Deleting', cadence: 'never' };
  const sendDelete: Expected = { action: { type: 'Delete' }, phase: 'Deleting', state: 'reconciling', reason: 'Deleting', cadence: 'busy' };

  const table: Array<[string, Expected]> = [
    ['Initializing', waitDeleting],
    ['Pending', waitDeleting],
    ['Processing', waitDeleting],
    ['Rebooting', waitDeleting],
    ['Running, isScalable true', sendDelete],
    ['Running, isScalable false', sendDelete],
    ['Terminating', waitDeleting],
    ['Terminated(User)', release],
    ['Terminated(User Command)', release],
    ['Terminated(UserCommand)', release],
    ['Terminated(Error)', release],
    ['404', release],
  ];
  it.each(table)('%s, delete not sent yet', (label, expected) => {
    expectPlan(deleting({ observed: obs(label) }), expected);
  });

  it.each(table.map(([label, e]) => [label, e.action.type === 'Delete' ? waitDeleting : e] as const))(
    '%s, delete already sent: never a second Delete',
    (label, expected) => {
      expectPlan(deleting({ observed: obs(label), deleteSent: true }), expected);
    },
  );

  it('a spec change during deletion does not scale', () => {
    for (const workerCount of [5, 2, 1]) {
      expect(deleting({ spec: spec({ workerCount, replication: 1 }) }).action).toEqual({ type: 'Delete' });
    }
  });

  it('a cluster adopted through spec.clusterId is deleted too (deletionPolicy governs it)', () => {
    expect(deleting({ spec: spec({ clusterId: CLUSTER_ID }) }).action).toEqual({ type: 'Delete' });
  });

  it('nothing created and no create intent: releases at once', () => {
    expectPlan(deleting({ clusterId: undefined, observed: undefined }), release);
  });

  it('create intent, no id: releases when no same-name cluster is live, adopts one, stalls on two', () => {
    const noId = { clusterId: undefined, observed: undefined, createRequested: true };
    expectPlan(deleting({ ...noId, sameName: [] }), release);
    expectPlan(deleting({ ...noId, sameName: [summary('c-7')] }), {
      action: { type: 'Adopt', clusterId: 'c-7' },
      phase: 'Deleting',
      state: 'reconciling',
      reason: 'Deleting',
      cadence: 'busy',
    });
    expectPlan(deleting({ ...noId, sameName: [summary('c-7'), summary('c-8')] }), {
      action: STALL,
      phase: 'Deleting',
      state: 'stalled',
      reason: 'AmbiguousCluster',
      cadence: 'never',
    });
  });
});

describe('plan: deletion that leaves the cloud cluster alone', () => {
  const release: Expected = { action: RELEASE, phase: 'Deleting', state: 'reconciling', reason: 'Deleting', cadence: 'never' };
  const cases: Array<[string, HadoopEcoSpec]> = [
    ['deletionPolicy Retain', spec({ deletionPolicy: 'Retain' })],
    ['managementPolicy ObserveOnly', spec({ managementPolicy: 'ObserveOnly', clusterId: CLUSTER_ID })],
    ['ObserveOnly with deletionPolicy Delete', spec({ managementPolicy: 'ObserveOnly', deletionPolicy: 'Delete', clusterId: CLUSTER_ID })],
  ];
  for (const [label, s] of cases) {
    it.each(observations.map((o) => [o.label, o.observed] as const))(`${label}, %s: ReleaseFinalizer without Delete`, (_l, observed) => {
      for (const deleteSent of [false, true]) {
        expectPlan(plan(input({ spec: s, deleting: true, observed, deleteSent })), release);
      }
    });
  }

  it('Retain with a create intent and a same-name cluster still just lets go', () => {
    expectPlan(
      plan(
        input({
          spec: spec({ deletionPolicy: 'Retain' }),
          deleting: true,
          clusterId: undefined,
          observed: undefined,
          createRequested: true,
          sameName: [summary('c-7')],
        }),
      ),
      release,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Create and crash recovery
// ---------------------------------------------------------------------------------------------

describe('plan: create and recovery of an interrupted create', () => {
  const noId = { clusterId: undefined, observed: undefined } as const;
  const create: Expected = { action: { type: 'Create' }, phase: 'Creating', state: 'reconciling', reason: 'Creating', cadence: 'busy' };

  it('no id and no create intent → Create', () => {
    expectPlan(plan(input(noId)), create);
  });

  it('create intent and no live same-name cluster → Create again', () => {
    expectPlan(plan(input({ ...noId, createRequested: true, sameName: [] })), create);
  });

  it('create intent and one live same-name cluster → Adopt it, not a second Create', () => {
    expectPlan(plan(input({ ...noId, createRequested: true, sameName: [summary('c-42')] })), {
      action: { type: 'Adopt', clusterId: 'c-42' },
      phase: 'Creating',
      state: 'reconciling',
      reason: 'Creating',
      cadence: 'busy',
    });
  });

  it('create intent and two live same-name clusters → Stall AmbiguousCluster', () => {
    const p = plan(input({ ...noId, createRequested: true, sameName: [summary('c-1'), summary('c-2')] }));
    expectPlan(p, { action: STALL, phase: 'Failed', state: 'stalled', reason: 'AmbiguousCluster', cadence: 'never' });
    expect(p.state.message).toContain(NAME);
  });

  it('same-name clusters are ignored without a create intent (never adopt a stranger by name)', () => {
    expectPlan(plan(input({ ...noId, createRequested: false, sameName: [summary('c-42')] })), create);
  });

  it('spec.clusterId adopts the given cluster: observed and reported, never created', () => {
    const s = spec({ clusterId: CLUSTER_ID });
    expectPlan(plan(input({ spec: s })), { action: DONE, phase: 'Running', state: 'ready', reason: 'Running', cadence: 'steady' });
    expectPlan(plan(input({ spec: s, observed: undefined })), {
      action: WAIT,
      phase: 'Pending',
      state: 'reconciling',
      reason: 'Observing',
      cadence: 'busy',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Property: the whole cross product
// ---------------------------------------------------------------------------------------------

describe('plan: invariants over every combination', () => {
  const ACTIONS = ['Create', 'Adopt', 'ScaleOut', 'ScaleIn', 'Delete', 'ReleaseFinalizer', 'Wait', 'Done', 'Stall'];
  const idSources = ['none', 'annotation', 'spec.clusterId'] as const;
  const intents: Array<{ createRequested: boolean; sameName: CloudRef[] | undefined }> = [
    { createRequested: false, sameName: undefined },
    { createRequested: true, sameName: [] },
    { createRequested: true, sameName: [summary('c-7')] },
    { createRequested: true, sameName: [summary('c-7'), summary('c-8')] },
  ];

  interface Combo {
    label: string;
    input: PlanInput;
  }
  function* combos(): Generator<Combo> {
    for (const idSource of idSources) {
      for (const o of idSource === 'none' ? observations.filter((x) => x.observed === undefined) : observations) {
        for (const workerCount of [3, 5, 2, 1]) {
          for (const managementPolicy of ['Manage', 'ObserveOnly'] as const) {
            for (const deletionPolicy of ['Delete', 'Retain'] as const) {
              for (const job of [undefined, 'never', 'onSuccess', 'always'] as const) {
                const s = spec({
                  workerCount,
                  replication: Math.min(2, workerCount),
                  managementPolicy,
                  deletionPolicy,
                  job,
                  clusterId: idSource === 'spec.clusterId' ? CLUSTER_ID : undefined,
                });
                for (const deleting of [false, true]) {
                  for (const paused of [false, true]) {
                    for (const intent of intents) {
                      for (const deleteSent of [false, true]) {
                        yield {
                          label: JSON.stringify({
                            idSource,
                            status: o.label,
                            workerCount,
                            managementPolicy,
                            deletionPolicy,
                            job,
                            deleting,
                            paused,
                            intent: intent.sameName?.length ?? 'none',
                            deleteSent,
                          }),
                          input: {
                            spec: s,
                            clusterName: NAME,
                            deleting,
                            paused,
                            clusterId: idSource === 'none' ? undefined : CLUSTER_ID,
                            observed: o.observed,
                            deleteSent,
                            ...intent,
                          },
                        };
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /** Every broken rule for one combination; empty when the plan is sound. */
  function violations({ input: i }: Combo, p: Plan): string[] {
    const out: string[] = [];
    const a = p.action;
    const manage = i.spec.managementPolicy === 'Manage';
    if (!ACTIONS.includes(a.type)) out.push(`unknown action ${a.type}`);
    if (!['busy', 'steady', 'never'].includes(p.cadence)) out.push(`unknown cadence ${p.cadence}`);
    if (!['ready', 'reconciling', 'stalled'].includes(p.state.state)) out.push(`unknown state ${p.state.state}`);
    if (i.clusterId !== undefined && a.type === 'Create') out.push('Create with a known clusterId');
    if (i.clusterId !== undefined && a.type === 'Adopt') out.push('Adopt with a known clusterId');
    if (!manage && ['Create', 'ScaleOut', 'ScaleIn', 'Delete', 'Adopt'].includes(a.type)) out.push(`${a.type} under ObserveOnly`);
    if (i.paused && (a.type !== 'Done' || p.phase !== (i.deleting ? 'Deleting' : 'Paused')))
      out.push('paused but not Done/Paused (Deleting when deleted)');
    if (!i.deleting && a.type === 'ReleaseFinalizer') out.push('ReleaseFinalizer while not deleting');
    if (i.deleting && ['Create', 'ScaleOut', 'ScaleIn'].includes(a.type)) out.push(`${a.type} while deleting`);
    if (i.spec.deletionPolicy === 'Retain' && a.type === 'Delete') out.push('Delete under Retain');
    if ((a.type === 'Stall') !== (p.state.state === 'stalled')) out.push('Stall and stalled disagree');
    if (p.state.state === 'ready' && a.type !== 'Done') out.push('ready with a pending action');
    if (a.type === 'Stall' && p.cadence !== 'never') out.push('Stall that polls');
    if (a.type === 'Wait' && p.cadence !== 'busy') out.push('Wait that does not poll');
    if (p.state.message === '') out.push('empty message');
    const o = i.observed ?? undefined;
    if (a.type === 'ScaleOut' || a.type === 'ScaleIn') {
      if (!o || o.status !== 'Running' || o.isScalable !== true) out.push(`${a.type} from an unstable state`);
      const current = o?.workerCnt ?? 0;
      if (!Number.isInteger(a.count) || a.count <= 0) out.push(`non-positive count ${a.count}`);
      if (a.type === 'ScaleOut' && a.count !== i.spec.workerCount - current) out.push('ScaleOut count is not wanted − current');
      if (a.type === 'ScaleIn') {
        if (a.count !== current - i.spec.workerCount) out.push('ScaleIn count is not current − wanted');
        const replication = o?.config?.hdfsReplication ?? i.spec.hdfs.replication;
        if (current - a.count < replication) out.push('ScaleIn below replication');
      }
    }
    if (a.type === 'Delete' && (!o || o.status !== 'Running' || i.deleteSent)) out.push('Delete from a non-Running state or twice');
    return out;
  }

  it('every action is one of the closed union, Create never appears with a known clusterId, and the other rules hold', () => {
    let n = 0;
    const broken: string[] = [];
    const seen = new Set<string>();
    for (const c of combos()) {
      n++;
      const p = plan(c.input);
      seen.add(p.action.type);
      for (const v of violations(c, p)) if (broken.length < 20) broken.push(`${v}: ${c.label}`);
    }
    expect(broken).toEqual([]);
    // The tables really reach every branch of the union.
    expect([...seen].sort()).toEqual([...ACTIONS].sort());
    expect(n).toBeGreaterThan(10_000);
  });

  it('is pure: the same input gives the same plan', () => {
    let k = 0;
    for (const c of combos()) {
      if (k++ % 97 !== 0) continue;
      const before = structuredClone(c.input);
      expect(plan(c.input)).toEqual(plan(structuredClone(c.input)));
      expect(c.input).toEqual(before);
    }
  });
});

describe('plan: cases that no table held before', () => {
  it('a Running cluster that reports no worker count is observed again, never scaled by the whole workerCount', () => {
    for (const workerCnt of [null, undefined]) {
      const p = plan(input({ spec: spec({ workerCount: 5, replication: 1 }), observed: detail({ workerCnt }) }));
      expectPlan(p, { action: WAIT, phase: 'Running', state: 'reconciling', reason: 'Observing', cadence: 'busy' });
    }
  });

  it('a Terminated(…) with a reason the documents do not list is a failure (spec §3.2)', () => {
    for (const status of ['Terminated(Maintenance)', 'Terminated(Quota Exceeded)', 'Terminated']) {
      expectPlan(plan(input({ observed: terminated(status) })), {
        action: STALL,
        phase: 'Failed',
        state: 'stalled',
        reason: 'ClusterFailed',
        cadence: 'never',
      });
    }
  });

  it('never adopts a same-name cluster that is being terminated: it creates its own', () => {
    const terminating: CloudRef = { id: 'c-9', lifecycle: hadoopEcoLifecycle({ status: 'Terminating' }) };
    const p = plan(input({ clusterId: undefined, observed: undefined, createRequested: true, sameName: [terminating] }));
    expect(p.action).toEqual({ type: 'Create' });
  });

  it('every wait says which phase the cluster is in and why', () => {
    const rows: Array<[string, Partial<PlanInput>, Phase, string]> = [
      ['provisioning', { observed: detail({ status: 'Initializing', runningAt: null }) }, 'Creating', 'CloudBusy'],
      ['busy after it ran', { observed: detail({ status: 'Processing' }) }, 'Running', 'CloudBusy'],
      ['terminating outside', { observed: detail({ status: 'Terminating' }) }, 'Deleting', 'Terminating'],
      [
        'a scale waiting for isScalable',
        { spec: spec({ workerCount: 5 }), observed: detail({ isScalable: false }) },
        'Scaling',
        'CloudBusy',
      ],
      ['no worker count', { observed: detail({ workerCnt: null }) }, 'Running', 'Observing'],
      ['not observed yet', { observed: undefined }, 'Pending', 'Observing'],
      ['deleting: not observed yet', { deleting: true, observed: undefined }, 'Deleting', 'Observing'],
      ['deleting: terminating', { deleting: true, observed: detail({ status: 'Terminating' }) }, 'Deleting', 'Deleting'],
      ['deleting: delete sent', { deleting: true, deleteSent: true }, 'Deleting', 'Deleting'],
      ['deleting: busy', { deleting: true, observed: detail({ status: 'Pending' }) }, 'Deleting', 'Deleting'],
    ];
    const { actual, expected } = waits(
      rows.map(([label, over, phase, reason]): WaitRow<PlanInput> => [label, input(over), phase, reason]),
      plan,
    );
    expect(actual).toEqual(expected);
  });
});

describe('plan: a completed job cluster that later vanishes', () => {
  it('stays Completed when its tombstone is gone (the cloud answers 404), and is never recreated', () => {
    const p = plan(input({ spec: spec({ job: 'onSuccess' }), observed: null, previousPhase: 'Completed' }));
    expectPlan(p, { action: DONE, phase: 'Completed', state: 'ready', reason: 'Completed', cadence: 'never' });
  });

  it('a cluster that was not completed and vanished is still ClusterGone', () => {
    const p = plan(input({ spec: spec({ job: 'onSuccess' }), observed: null, previousPhase: 'Running' }));
    expect(p.state.reason).toBe('ClusterGone');
  });
});
