// The KafkaCluster state machine as a specification: every CDSS status (spec ncloud-cdss-api.md
// §4) × spec change (brokers §5.8, version and config group §5.15, manager password §5.13) ×
// resource flags → the one action to take, the phase, the kstatus state and how soon to look again.
import type { CloudRef } from '../../../../src/clouds/lifecycle.ts';
import { cdssLifecycle } from '../../../../src/clouds/ncloud/status.ts';
import { describe, expect, it } from 'vitest';
import { waits, type WaitRow } from '../../../support/plan-tables.ts';
import type { Cadence, Phase } from '../../../../src/resources/core/plan.ts';
import { plan, type Action, type CdssObservation, type Plan, type PlanInput } from '../../../../src/resources/kafka/plan.ts';
import { kafkaSpecSchema, type KafkaSpec } from '../../../../src/resources/kafka/schema.ts';

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

const CLUSTER_ID = '3432149';
const NAME = 'events';
const VERSION = 3903006; // what CDSS runs, unless told otherwise
const HIGHER = 4003006;
const LOWER = 2823006;
const GROUP = 170;
const OTHER_GROUP = 171;

interface SpecOptions {
  brokerCount?: number;
  kafkaVersionCode?: number;
  configGroupNo?: number;
  deletionPolicy?: 'Delete' | 'Retain';
  managementPolicy?: 'Manage' | 'ObserveOnly';
  clusterId?: string | undefined;
}

function spec(o: SpecOptions = {}): KafkaSpec {
  return kafkaSpecSchema.parse({
    kafkaVersionCode: o.kafkaVersionCode ?? VERSION,
    configGroupNo: o.configGroupNo ?? GROUP,
    softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
    vpcNo: 1001,
    manager: {
      userName: 'admin',
      passwordSecretRef: { name: 'kafka-manager', key: 'password' },
      nodeProductCode: 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002',
      subnetNo: 2001,
    },
    broker: { nodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002', subnetNo: 2002, storageSizeGB: 100 },
    brokerCount: o.brokerCount ?? 3,
    ...(o.deletionPolicy ? { deletionPolicy: o.deletionPolicy } : {}),
    ...(o.managementPolicy ? { managementPolicy: o.managementPolicy } : {}),
    ...(o.clusterId ? { clusterId: o.clusterId } : {}),
  });
}

/** What the reconciler hands plan() for getCluster: running, 3 brokers, VERSION, GROUP unless told otherwise. */
function observed(over: Partial<CdssObservation> = {}): CdssObservation {
  return { status: 'running', kafkaVersionCode: String(VERSION), configGroupNo: GROUP, brokerCount: 3, ...over };
}

/** A Manage cluster we know, observed running and matching the spec. */
function input(over: Partial<PlanInput> = {}): PlanInput {
  const s = over.spec ?? spec();
  return {
    spec: s,
    configGroup: { configGroupNo: s.configGroupNo! },
    clusterName: NAME,
    deleting: false,
    paused: false,
    clusterId: CLUSTER_ID,
    createRequested: false,
    observed: observed(),
    deleteSent: false,
    upgradeInFlight: false,
    passwordChanged: false,
    ...over,
  };
}

/** A same-name cluster as the lookup reports it, its CDSS status read through the shared lifecycle words. */
const named = (id: string, status = 'creating'): CloudRef => ({ id, lifecycle: cdssLifecycle(status) });

interface Expected {
  action: Action;
  phase: Phase;
  state: 'ready' | 'reconciling' | 'stalled';
  reason: string;
  cadence: Cadence;
}

const summarize = (p: Plan): Expected => ({
  action: p.action,
  phase: p.phase,
  state: p.state.state,
  reason: p.state.reason,
  cadence: p.cadence,
});

function expectPlan(p: Plan, e: Expected): void {
  expect(summarize(p)).toEqual(e);
  expect(p.state.message).not.toBe('');
}

const WAIT: Action = { type: 'Wait' };
const DONE: Action = { type: 'Done' };
const STALL: Action = { type: 'Stall' };
const RELEASE: Action = { type: 'ReleaseFinalizer' };
const DELETE: Action = { type: 'Delete' };
const ACTIONS = [
  'Create',
  'Adopt',
  'AddBrokers',
  'Upgrade',
  'ApplyConfigGroup',
  'ResetPassword',
  'Delete',
  'ReleaseFinalizer',
  'Wait',
  'Done',
  'Stall',
];
const CHANGES = [
  'AddBrokers',
  'Upgrade',
  'ApplyConfigGroup',
  'ChangeNodeSpec',
  'EnableBrokerPublicEndpoint',
  'DisableBrokerPublicEndpoint',
  'SetManagerPublicDomain',
  'ResetPassword',
];
const CLOUD_MUTATIONS = ['Create', 'Adopt', 'Delete', ...CHANGES];

const ready: Expected = { action: DONE, phase: 'Running', state: 'ready', reason: 'Running', cadence: 'steady' };

// Every observation the reconciler can hand plan() for a known cluster id.
interface Observation {
  label: string;
  observed: CdssObservation | null | undefined;
  upgradeInFlight?: boolean;
}
const observations: Observation[] = [
  { label: 'creating', observed: observed({ status: 'creating' }) },
  { label: 'changing, no upgrade in flight', observed: observed({ status: 'changing' }) },
  { label: 'changing, upgrade in flight', observed: observed({ status: 'changing' }), upgradeInFlight: true },
  { label: 'running', observed: observed() },
  { label: 'running without brokerCount', observed: observed({ brokerCount: undefined }) },
  { label: 'running without version', observed: observed({ kafkaVersionCode: undefined }) },
  { label: 'error', observed: observed({ status: 'error' }) },
  { label: 'deleting', observed: observed({ status: 'deleting' }) },
  { label: 'return', observed: observed({ status: 'return' }) },
  { label: 'rebooting (unknown word)', observed: observed({ status: 'rebooting' }) },
  { label: 'null (CDSS does not know the id)', observed: null },
  { label: 'undefined (not observed)', observed: undefined },
];
const obs = (label: string): Observation => {
  const o = observations.find((x) => x.label.startsWith(label));
  if (!o) throw new Error(`no observation ${label}`);
  return o;
};
const at = (label: string): Partial<PlanInput> => {
  const o = obs(label);
  return { observed: o.observed, upgradeInFlight: o.upgradeInFlight ?? false };
};

// Every spec change relative to the observed cluster (3 brokers, VERSION, GROUP).
interface Change {
  label: string;
  spec: SpecOptions;
  passwordChanged?: boolean;
}
const changes: Change[] = [
  { label: 'nothing', spec: {} },
  { label: 'brokers higher', spec: { brokerCount: 5 } },
  { label: 'version higher', spec: { kafkaVersionCode: HIGHER, configGroupNo: OTHER_GROUP } },
  { label: 'version lower', spec: { kafkaVersionCode: LOWER, configGroupNo: OTHER_GROUP } },
  { label: 'version higher, same config group', spec: { kafkaVersionCode: HIGHER } },
  { label: 'config group different, same version', spec: { configGroupNo: OTHER_GROUP } },
  { label: 'password changed', spec: {}, passwordChanged: true },
  { label: 'everything at once', spec: { brokerCount: 5, kafkaVersionCode: HIGHER, configGroupNo: OTHER_GROUP }, passwordChanged: true },
];

// ---------------------------------------------------------------------------------------------
// Every CDSS status, Manage, spec unchanged
// ---------------------------------------------------------------------------------------------

describe('plan: every CDSS status, Manage, spec matching the cluster', () => {
  const table: Array<[string, Expected]> = [
    ['creating', { action: WAIT, phase: 'Creating', state: 'reconciling', reason: 'CloudBusy', cadence: 'busy' }],
    ['changing, no upgrade', { action: WAIT, phase: 'Scaling', state: 'reconciling', reason: 'CloudBusy', cadence: 'busy' }],
    ['changing, upgrade', { action: WAIT, phase: 'Upgrading', state: 'reconciling', reason: 'Upgrading', cadence: 'busy' }],
    ['running', ready],
    ['running without brokerCount', { action: WAIT, phase: 'Running', state: 'reconciling', reason: 'Observing', cadence: 'busy' }],
    ['running without version', { action: WAIT, phase: 'Running', state: 'reconciling', reason: 'Observing', cadence: 'busy' }],
    ['error', { action: STALL, phase: 'Failed', state: 'stalled', reason: 'ClusterError', cadence: 'never' }],
    ['deleting', { action: STALL, phase: 'Failed', state: 'stalled', reason: 'ClusterDeletedOutside', cadence: 'never' }],
    ['return', { action: STALL, phase: 'Failed', state: 'stalled', reason: 'ClusterDeletedOutside', cadence: 'never' }],
    ['rebooting', { action: WAIT, phase: 'Pending', state: 'reconciling', reason: 'CloudBusy', cadence: 'busy' }],
    ['null', { action: STALL, phase: 'Failed', state: 'stalled', reason: 'ClusterGone', cadence: 'never' }],
    ['undefined', { action: WAIT, phase: 'Pending', state: 'reconciling', reason: 'Observing', cadence: 'busy' }],
  ];

  it('the table covers every observation', () => {
    expect(table).toHaveLength(observations.length);
  });

  it.each(table)('%s', (label, expected) => {
    expectPlan(plan(input(at(label))), expected);
  });

  it('an unknown status word is named in the message', () => {
    expect(plan(input(at('rebooting'))).state.message).toContain('rebooting');
  });

  it.each(['deleting', 'return'])('a cluster %s outside the operator is reported, never recreated', (status) => {
    const p = plan(input(at(status)));
    expect(p.action.type).not.toBe('Create');
    expect(p.state.message).toContain(status);
  });

  it('null for a cluster adopted through spec.clusterId says the id does not exist (ClusterNotFound)', () => {
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
// Spec changes on a running cluster
// ---------------------------------------------------------------------------------------------

describe('plan: spec changes on a running cluster (CDSS runs 3 brokers, VERSION, config group 170)', () => {
  const addBrokers = (count: number): Expected => ({
    action: { type: 'AddBrokers', count },
    phase: 'Scaling',
    state: 'reconciling',
    reason: 'AddingBrokers',
    cadence: 'busy',
  });
  const upgrade = (kafkaVersionCode: number, configGroupNo: number): Expected => ({
    action: { type: 'Upgrade', kafkaVersionCode, configGroupNo },
    phase: 'Upgrading',
    state: 'reconciling',
    reason: 'Upgrading',
    cadence: 'busy',
  });
  const noRemoval: Expected = { action: STALL, phase: 'Running', state: 'stalled', reason: 'BrokerRemovalUnsupported', cadence: 'never' };
  const applyGroup = (configGroupNo: number): Expected => ({
    action: { type: 'ApplyConfigGroup', configGroupNo, kafkaVersionCode: String(VERSION) },
    phase: 'Upgrading',
    state: 'reconciling',
    reason: 'ApplyingConfigGroup',
    cadence: 'busy',
  });
  const resetPassword: Expected = {
    action: { type: 'ResetPassword' },
    phase: 'Running',
    state: 'reconciling',
    reason: 'ResettingPassword',
    cadence: 'busy',
  };

  const table: Array<[string, SpecOptions, CdssObservation, boolean, Expected]> = [
    ['all equal', {}, observed(), false, ready],
    ['brokers higher by 2: adds the delta', { brokerCount: 5 }, observed(), false, addBrokers(2)],
    ['brokers higher by 1: adds the delta', { brokerCount: 4 }, observed(), false, addBrokers(1)],
    ['brokers lower: never removes brokers', { brokerCount: 3 }, observed({ brokerCount: 5 }), false, noRemoval],
    [
      'version higher: upgrade with spec version and config group',
      { kafkaVersionCode: HIGHER, configGroupNo: OTHER_GROUP },
      observed(),
      false,
      upgrade(HIGHER, OTHER_GROUP),
    ],
    [
      'version higher, config group unchanged: still sent, with the spec group',
      { kafkaVersionCode: HIGHER },
      observed(),
      false,
      upgrade(HIGHER, GROUP),
    ],
    [
      'version lower: sent all the same, CDSS judges (10153)',
      { kafkaVersionCode: LOWER, configGroupNo: OTHER_GROUP },
      observed(),
      false,
      upgrade(LOWER, OTHER_GROUP),
    ],
    [
      'config group different at the same version: applied in place',
      { configGroupNo: OTHER_GROUP },
      observed(),
      false,
      applyGroup(OTHER_GROUP),
    ],
    ['config group not reported by CDSS', { configGroupNo: OTHER_GROUP }, observed({ configGroupNo: undefined }), false, ready],
    ['password changed', {}, observed(), true, resetPassword],
    // Fixed order, one mutation per pass: brokers → version → password.
    [
      'brokers higher + version higher + password changed: brokers first',
      { brokerCount: 6, kafkaVersionCode: HIGHER, configGroupNo: OTHER_GROUP },
      observed(),
      true,
      addBrokers(3),
    ],
    ['brokers higher + version higher: brokers first', { brokerCount: 4, kafkaVersionCode: HIGHER }, observed(), false, addBrokers(1)],
    ['brokers higher + password changed: brokers first', { brokerCount: 4 }, observed(), true, addBrokers(1)],
    [
      'version higher + password changed: version first',
      { kafkaVersionCode: HIGHER, configGroupNo: OTHER_GROUP },
      observed(),
      true,
      upgrade(HIGHER, OTHER_GROUP),
    ],
    ['version lower + password changed: version first', { kafkaVersionCode: LOWER }, observed(), true, upgrade(LOWER, GROUP)],
    [
      'brokers lower + version higher: the stall comes first, nothing is sent',
      { brokerCount: 3, kafkaVersionCode: HIGHER },
      observed({ brokerCount: 4 }),
      true,
      noRemoval,
    ],
    [
      'config group different + password changed: the group first',
      { configGroupNo: OTHER_GROUP },
      observed(),
      true,
      applyGroup(OTHER_GROUP),
    ],
  ];
  it.each(table)('%s', (_label, s, o, passwordChanged, expected) => {
    expectPlan(plan(input({ spec: spec(s), observed: o, passwordChanged })), expected);
  });

  it('Upgrade is emitted for any version mismatch, never parsing codes for "forward"', () => {
    for (const wanted of [1, LOWER, VERSION - 1, VERSION + 1, HIGHER, 9999999]) {
      expect(plan(input({ spec: spec({ kafkaVersionCode: wanted, configGroupNo: 7 }) })).action).toEqual({
        type: 'Upgrade',
        kafkaVersionCode: wanted,
        configGroupNo: 7,
      });
    }
  });

  it('the version is compared with the string code CDSS reports', () => {
    expectPlan(plan(input({ observed: observed({ kafkaVersionCode: '3903006' }) })), ready);
  });

  it('AddBrokers count is wanted − current for every pair in 3..10', () => {
    for (let current = 3; current <= 9; current++) {
      for (let wanted = current + 1; wanted <= 10; wanted++) {
        expect(plan(input({ spec: spec({ brokerCount: wanted }), observed: observed({ brokerCount: current }) })).action).toEqual({
          type: 'AddBrokers',
          count: wanted - current,
        });
      }
    }
  });

  it('never removes brokers, for every pair in 3..10', () => {
    for (let current = 4; current <= 10; current++) {
      for (let wanted = 3; wanted < current; wanted++) {
        const p = plan(input({ spec: spec({ brokerCount: wanted }), observed: observed({ brokerCount: current }) }));
        expectPlan(p, noRemoval);
        expect(p.state.message).toContain(String(current));
      }
    }
  });

  const notRunning = observations.filter((o) => o.label !== 'running');
  it.each(notRunning.map((o) => [o.label] as const))('%s: no spec change mutates (one mutation only from running)', (label) => {
    const base = summarize(plan(input(at(label))));
    for (const c of changes) {
      const p = plan(input({ ...at(label), spec: spec(c.spec), passwordChanged: c.passwordChanged ?? false }));
      expect(CHANGES).not.toContain(p.action.type);
      expect(summarize(p)).toEqual(base);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// managementPolicy ObserveOnly
// ---------------------------------------------------------------------------------------------

describe('plan: managementPolicy ObserveOnly never mutates the cloud', () => {
  const observeOnly = (o: SpecOptions = {}) => spec({ managementPolicy: 'ObserveOnly', clusterId: CLUSTER_ID, ...o });
  const drifted: Expected = { action: DONE, phase: 'Running', state: 'reconciling', reason: 'Drifted', cadence: 'steady' };

  it.each(changes.filter((c) => c.label !== 'nothing' && c.label !== 'password changed').map((c) => [c.label, c] as const))(
    '%s differing from the cloud is Drifted, not applied',
    (_label, c) => {
      expectPlan(plan(input({ spec: observeOnly(c.spec), passwordChanged: c.passwordChanged ?? false })), drifted);
    },
  );

  it('fewer brokers than CDSS has is Drifted, not a stall', () => {
    expectPlan(plan(input({ spec: observeOnly(), observed: observed({ brokerCount: 5 }) })), drifted);
  });

  it('a running cluster matching the spec is Ready, even with a changed password Secret', () => {
    expectPlan(plan(input({ spec: observeOnly() })), ready);
    expectPlan(plan(input({ spec: observeOnly(), passwordChanged: true })), ready);
  });

  it('without a cluster id it asks for spec.clusterId instead of creating (even with a create intent and a same-name cluster)', () => {
    const expected: Expected = { action: STALL, phase: 'Pending', state: 'stalled', reason: 'ClusterIdRequired', cadence: 'never' };
    const s = spec({ managementPolicy: 'ObserveOnly' });
    expectPlan(plan(input({ spec: s, clusterId: undefined, observed: undefined })), expected);
    expectPlan(
      plan(input({ spec: s, clusterId: undefined, observed: undefined, createRequested: true, sameName: [named('9')] })),
      expected,
    );
  });

  it.each(observations.map((o) => [o.label] as const))('%s: no cloud mutation for any spec change', (label) => {
    for (const c of changes) {
      const p = plan(input({ ...at(label), spec: observeOnly(c.spec), passwordChanged: c.passwordChanged ?? false }));
      expect(CLOUD_MUTATIONS).not.toContain(p.action.type);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// paused
// ---------------------------------------------------------------------------------------------

describe('plan: paused', () => {
  const paused: Expected = { action: DONE, phase: 'Paused', state: 'reconciling', reason: 'Paused', cadence: 'never' };

  it.each(observations.map((o) => [o.label] as const))('%s: Done with phase Paused (Deleting once deleted), whatever the spec', (label) => {
    for (const deleting of [false, true]) {
      for (const c of changes) {
        expectPlan(
          plan(input({ ...at(label), paused: true, deleting, spec: spec(c.spec), passwordChanged: c.passwordChanged ?? false })),
          deleting ? { ...paused, phase: 'Deleting' } : paused,
        );
      }
    }
  });

  it('paused without a cluster id does not create or adopt one', () => {
    expectPlan(plan(input({ paused: true, clusterId: undefined, observed: undefined })), paused);
    expectPlan(
      plan(input({ paused: true, clusterId: undefined, observed: undefined, createRequested: true, sameName: [named('7')] })),
      paused,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Deletion
// ---------------------------------------------------------------------------------------------

describe('plan: deletion with deletionPolicy Delete', () => {
  const deleting = (over: Partial<PlanInput>) => plan(input({ deleting: true, ...over }));
  const waitDeleting: Expected = { action: WAIT, phase: 'Deleting', state: 'reconciling', reason: 'Deleting', cadence: 'busy' };
  const release: Expected = { action: RELEASE, phase: 'Deleting', state: 'reconciling', reason: 'Deleting', cadence: 'never' };
  const sendDelete: Expected = { action: DELETE, phase: 'Deleting', state: 'reconciling', reason: 'Deleting', cadence: 'busy' };
  const observing: Expected = { action: WAIT, phase: 'Deleting', state: 'reconciling', reason: 'Observing', cadence: 'busy' };

  const table: Array<[string, Expected]> = [
    ['creating', waitDeleting],
    ['changing, no upgrade', waitDeleting],
    ['changing, upgrade', waitDeleting],
    ['running', sendDelete],
    ['running without brokerCount', sendDelete],
    ['running without version', sendDelete],
    ['error', sendDelete],
    ['deleting', waitDeleting],
    ['return', release],
    ['rebooting', waitDeleting],
    ['null', release],
    // Never let go of a cluster nobody has looked at: it may still be running.
    ['undefined', observing],
  ];

  it('the table covers every observation', () => {
    expect(table).toHaveLength(observations.length);
  });

  it.each(table)('%s, delete not sent yet', (label, expected) => {
    expectPlan(deleting(at(label)), expected);
  });

  // `error` is left out: whether CDSS accepts a delete there is unknown (§7), so a retry is allowed.
  it.each(
    table.filter(([label]) => label !== 'error').map(([label, e]) => [label, e.action.type === 'Delete' ? waitDeleting : e] as const),
  )('%s, delete already sent: never a second Delete', (label, expected) => {
    expectPlan(deleting({ ...at(label), deleteSent: true }), expected);
  });

  it('a spec change during deletion mutates nothing but the Delete', () => {
    for (const c of changes) {
      expect(deleting({ spec: spec(c.spec), passwordChanged: c.passwordChanged ?? false }).action).toEqual(DELETE);
    }
  });

  it('a cluster adopted through spec.clusterId is deleted too (deletionPolicy governs it)', () => {
    expect(deleting({ spec: spec({ clusterId: CLUSTER_ID }) }).action).toEqual(DELETE);
  });

  it('nothing created and no create intent: releases at once', () => {
    expectPlan(deleting({ clusterId: undefined, observed: undefined }), release);
  });

  it('create intent, no id: releases when no same-name cluster is live, adopts one to delete it, stalls on two', () => {
    const noId = { clusterId: undefined, observed: undefined, createRequested: true };
    expectPlan(deleting({ ...noId, sameName: [] }), release);
    expectPlan(deleting({ ...noId, sameName: [named('7', 'return')] }), release);
    expectPlan(deleting({ ...noId, sameName: [named('7', 'running')] }), {
      action: { type: 'Adopt', clusterId: '7' },
      phase: 'Deleting',
      state: 'reconciling',
      reason: 'Deleting',
      cadence: 'busy',
    });
    expectPlan(deleting({ ...noId, sameName: [named('7', 'running'), named('6', 'return')] }), {
      action: { type: 'Adopt', clusterId: '7' },
      phase: 'Deleting',
      state: 'reconciling',
      reason: 'Deleting',
      cadence: 'busy',
    });
    expectPlan(deleting({ ...noId, sameName: [named('7', 'running'), named('8', 'creating')] }), {
      action: STALL,
      phase: 'Deleting',
      state: 'stalled',
      reason: 'AmbiguousCluster',
      cadence: 'never',
    });
  });
});

describe('plan: deletion that leaves the CDSS cluster alone', () => {
  const release: Expected = { action: RELEASE, phase: 'Deleting', state: 'reconciling', reason: 'Deleting', cadence: 'never' };
  const cases: Array<[string, KafkaSpec]> = [
    ['deletionPolicy Retain', spec({ deletionPolicy: 'Retain' })],
    ['managementPolicy ObserveOnly', spec({ managementPolicy: 'ObserveOnly', clusterId: CLUSTER_ID })],
    ['ObserveOnly with deletionPolicy Delete', spec({ managementPolicy: 'ObserveOnly', deletionPolicy: 'Delete', clusterId: CLUSTER_ID })],
  ];
  for (const [label, s] of cases) {
    it.each(observations.map((o) => [o.label] as const))(`${label}, %s: ReleaseFinalizer without Delete`, (obsLabel) => {
      for (const deleteSent of [false, true]) {
        expectPlan(plan(input({ ...at(obsLabel), spec: s, deleting: true, deleteSent })), release);
      }
    });
  }

  it('Retain with a create intent and a live same-name cluster still just lets go', () => {
    expectPlan(
      plan(
        input({
          spec: spec({ deletionPolicy: 'Retain' }),
          deleting: true,
          clusterId: undefined,
          observed: undefined,
          createRequested: true,
          sameName: [named('7')],
        }),
      ),
      release,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Create and recovery of an interrupted create (§6 #7: no idempotency token)
// ---------------------------------------------------------------------------------------------

describe('plan: create and recovery of an interrupted create', () => {
  const noId = { clusterId: undefined, observed: undefined } as const;
  const create: Expected = { action: { type: 'Create' }, phase: 'Creating', state: 'reconciling', reason: 'Creating', cadence: 'busy' };
  const adopt = (clusterId: string): Expected => ({
    action: { type: 'Adopt', clusterId },
    phase: 'Creating',
    state: 'reconciling',
    reason: 'Creating',
    cadence: 'busy',
  });
  const ambiguous: Expected = { action: STALL, phase: 'Failed', state: 'stalled', reason: 'AmbiguousCluster', cadence: 'never' };

  const table: Array<[string, boolean, CloudRef[] | undefined, Expected]> = [
    ['no create intent', false, undefined, create],
    ['no create intent, a same-name cluster exists (never adopt a stranger by name)', false, [named('42')], create],
    ['create intent, no same-name cluster', true, [], create],
    ['create intent, lookup absent', true, undefined, create],
    ['create intent, one live same-name cluster', true, [named('42')], adopt('42')],
    ['create intent, one running same-name cluster', true, [named('42', 'running')], adopt('42')],
    ['create intent, only a returned same-name cluster', true, [named('42', 'return')], create],
    ['create intent, two returned same-name clusters', true, [named('41', 'return'), named('42', 'return')], create],
    ['create intent, one live and one returned', true, [named('41', 'return'), named('42', 'creating')], adopt('42')],
    ['create intent, two live same-name clusters', true, [named('41', 'creating'), named('42', 'running')], ambiguous],
  ];
  it.each(table)('%s', (_label, createRequested, sameName, expected) => {
    const p = plan(input({ ...noId, createRequested, sameName }));
    expectPlan(p, expected);
    if (expected.reason === 'AmbiguousCluster') expect(p.state.message).toContain(NAME);
  });

  it('spec.clusterId adopts the given cluster: observed and reported, never created', () => {
    const s = spec({ clusterId: CLUSTER_ID });
    expectPlan(plan(input({ spec: s })), ready);
    expectPlan(plan(input({ spec: s, observed: undefined })), {
      action: WAIT,
      phase: 'Pending',
      state: 'reconciling',
      reason: 'Observing',
      cadence: 'busy',
    });
    for (const o of observations) expect(plan(input({ spec: s, ...at(o.label) })).action.type).not.toBe('Create');
  });

  it('a known id ignores same-name clusters', () => {
    expectPlan(plan(input({ createRequested: true, sameName: [named('41'), named('42')] })), ready);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: the whole cross product
// ---------------------------------------------------------------------------------------------

describe('plan: invariants over every combination', () => {
  const idSources = ['none', 'annotation', 'spec.clusterId'] as const;
  const intents: Array<{ createRequested: boolean; sameName: CloudRef[] | undefined }> = [
    { createRequested: false, sameName: undefined },
    { createRequested: true, sameName: [] },
    { createRequested: true, sameName: [named('7')] },
    { createRequested: true, sameName: [named('7'), named('8', 'running')] },
    { createRequested: true, sameName: [named('7', 'return')] },
    { createRequested: true, sameName: [named('7', 'return'), named('8')] },
  ];
  const brokerPairs: Array<[number, number | undefined]> = [
    [3, 3],
    [5, 3],
    [3, 5],
    [10, 3],
    [4, undefined],
  ];

  interface Combo {
    label: string;
    input: PlanInput;
  }
  function* combos(): Generator<Combo> {
    for (const idSource of idSources) {
      for (const o of idSource === 'none' ? observations.filter((x) => x.observed === undefined) : observations) {
        for (const [wanted, current] of brokerPairs) {
          for (const [kafkaVersionCode, configGroupNo] of [
            [VERSION, GROUP],
            [VERSION, OTHER_GROUP],
            [HIGHER, OTHER_GROUP],
            [LOWER, GROUP],
          ] as const) {
            for (const managementPolicy of ['Manage', 'ObserveOnly'] as const) {
              for (const deletionPolicy of ['Delete', 'Retain'] as const) {
                const s = spec({
                  brokerCount: wanted,
                  kafkaVersionCode,
                  configGroupNo,
                  managementPolicy,
                  deletionPolicy,
                  clusterId: idSource === 'spec.clusterId' ? CLUSTER_ID : undefined,
                });
                const seen = o.observed
                  ? { ...o.observed, brokerCount: o.observed.brokerCount === undefined ? undefined : current }
                  : o.observed;
                for (const deleting of [false, true]) {
                  for (const paused of [false, true]) {
                    for (const intent of intents) {
                      for (const deleteSent of [false, true]) {
                        for (const passwordChanged of [false, true]) {
                          yield {
                            label: JSON.stringify({
                              idSource,
                              status: o.label,
                              wanted,
                              current,
                              kafkaVersionCode,
                              configGroupNo,
                              managementPolicy,
                              deletionPolicy,
                              deleting,
                              paused,
                              intent,
                              deleteSent,
                              passwordChanged,
                            }),
                            input: {
                              spec: s,
                              configGroup: { configGroupNo: s.configGroupNo! },
                              clusterName: NAME,
                              deleting,
                              paused,
                              clusterId: idSource === 'none' ? undefined : CLUSTER_ID,
                              observed: seen,
                              deleteSent,
                              upgradeInFlight: o.upgradeInFlight ?? false,
                              passwordChanged,
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
  }

  /** Every broken rule for one combination; empty when the plan is sound. */
  function violations({ input: i }: Combo, p: Plan): string[] {
    const out: string[] = [];
    const a = p.action;
    const manage = i.spec.managementPolicy === 'Manage';
    const o = i.observed ?? undefined;
    if (!ACTIONS.includes(a.type)) out.push(`unknown action ${a.type}`);
    if (!['busy', 'steady', 'never'].includes(p.cadence)) out.push(`unknown cadence ${p.cadence}`);
    if (!['ready', 'reconciling', 'stalled'].includes(p.state.state)) out.push(`unknown state ${p.state.state}`);
    if (i.clusterId !== undefined && a.type === 'Create') out.push('Create with a known clusterId');
    if (i.clusterId !== undefined && a.type === 'Adopt') out.push('Adopt with a known clusterId');
    if (!manage && CLOUD_MUTATIONS.includes(a.type)) out.push(`${a.type} under ObserveOnly`);
    if (i.paused && (a.type !== 'Done' || p.phase !== (i.deleting ? 'Deleting' : 'Paused')))
      out.push('paused but not Done/Paused (Deleting when deleted)');
    if (!i.deleting && a.type === 'ReleaseFinalizer') out.push('ReleaseFinalizer while not deleting');
    if (i.deleting && ['Create', ...CHANGES].includes(a.type)) out.push(`${a.type} while deleting`);
    if (!i.deleting && a.type === 'Delete') out.push('Delete while not deleting');
    if (i.spec.deletionPolicy === 'Retain' && a.type === 'Delete') out.push('Delete under Retain');
    if (
      i.deleting &&
      manage &&
      i.spec.deletionPolicy === 'Delete' &&
      i.clusterId !== undefined &&
      i.observed === undefined &&
      a.type === 'ReleaseFinalizer'
    )
      out.push('released an unobserved cluster');
    if ((a.type === 'Stall') !== (p.state.state === 'stalled')) out.push('Stall and stalled disagree');
    if (p.state.state === 'ready' && a.type !== 'Done') out.push('ready with a pending action');
    if (a.type === 'Stall' && p.cadence !== 'never') out.push('Stall that polls');
    if (a.type === 'Wait' && p.cadence !== 'busy') out.push('Wait that does not poll');
    if (p.state.message === '') out.push('empty message');
    if (CHANGES.includes(a.type) && o?.status !== 'running') out.push(`${a.type} from ${o?.status ?? 'nothing'}`);
    if (a.type === 'AddBrokers') {
      const current = o?.brokerCount ?? NaN;
      if (!Number.isInteger(a.count) || a.count <= 0) out.push(`non-positive count ${a.count}`);
      if (a.count !== i.spec.brokerCount - current) out.push('AddBrokers count is not wanted − current');
    }
    if (a.type === 'Upgrade') {
      if (a.kafkaVersionCode !== i.spec.kafkaVersionCode || a.configGroupNo !== i.configGroup.configGroupNo)
        out.push('Upgrade without the spec version and config group');
      if (o?.brokerCount !== undefined && i.spec.brokerCount !== o.brokerCount) out.push('Upgrade before the brokers match');
    }
    if (a.type === 'ApplyConfigGroup') {
      if (a.configGroupNo !== i.configGroup.configGroupNo || a.configGroupNo === o?.configGroupNo)
        out.push('ApplyConfigGroup of no new group');
      if (o?.kafkaVersionCode !== String(i.spec.kafkaVersionCode)) out.push('ApplyConfigGroup before the version matches');
    }
    if (a.type === 'ResetPassword') {
      if (!i.passwordChanged) out.push('ResetPassword without a changed password');
      if (o?.brokerCount !== i.spec.brokerCount || o?.kafkaVersionCode !== String(i.spec.kafkaVersionCode))
        out.push('ResetPassword before brokers and version match');
    }
    if (a.type === 'Delete' && (!o || !['running', 'error'].includes(o.status))) out.push(`Delete from ${o?.status ?? 'nothing'}`);
    if (a.type === 'Delete' && i.deleteSent && o?.status === 'running') out.push('second Delete from running');
    return out;
  }

  it('every action is one of the closed union, Create never appears with a known clusterId, ObserveOnly never mutates, Retain never deletes', () => {
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
    // The sweep really reaches every branch of the union.
    expect([...seen].sort()).toEqual([...ACTIONS].sort());
    expect(n).toBeGreaterThan(100_000);
  });

  it('is pure: the same input gives the same plan and the input is not modified', () => {
    let k = 0;
    for (const c of combos()) {
      if (k++ % 211 !== 0) continue;
      const before = structuredClone(c.input);
      expect(plan(c.input)).toEqual(plan(structuredClone(c.input)));
      expect(c.input).toEqual(before);
    }
  });
});

describe('deleting a cluster in error', () => {
  it('sends one delete, then waits instead of repeating it', async () => {
    const { plan } = await import('../../../../src/resources/kafka/plan.ts');
    const { kafkaSpecSchema } = await import('../../../../src/resources/kafka/schema.ts');
    const spec = kafkaSpecSchema.parse({
      kafkaVersionCode: 3713006,
      configGroupNo: 171,
      softwareProductCode: 'sw',
      vpcNo: 1,
      brokerCount: 3,
      manager: { userName: 'admin', passwordSecretRef: { name: 's', key: 'k' }, nodeProductCode: 'p', subnetNo: 1 },
      broker: { nodeProductCode: 'p', subnetNo: 2, storageSizeGB: 100 },
    });
    const base = {
      spec,
      clusterName: 'c',
      deleting: true,
      paused: false,
      clusterId: '1',
      createRequested: true,
      upgradeInFlight: false,
      configGroup: { configGroupNo: 171 },
      passwordChanged: false,
    };
    const observed = { status: 'error', kafkaVersionCode: '3713006', configGroupNo: 171, brokerCount: 3 };
    expect(plan({ ...base, observed, deleteSent: false }).action.type).toBe('Delete');
    expect(plan({ ...base, observed, deleteSent: true }).action.type).toBe('Wait');
  });
});

describe('a create CDSS accepted without returning an id (G3)', () => {
  it('waits for the cluster to be listed instead of creating it again, and never releases it unseen', async () => {
    const { plan } = await import('../../../../src/resources/kafka/plan.ts');
    const { kafkaSpecSchema } = await import('../../../../src/resources/kafka/schema.ts');
    const spec = kafkaSpecSchema.parse({
      kafkaVersionCode: 3713006,
      configGroupNo: 171,
      softwareProductCode: 'sw',
      vpcNo: 1,
      brokerCount: 3,
      serverGeneration: 'G3',
      vpcName: 'v',
      serverSpecCode: 's',
      manager: { userName: 'admin', passwordSecretRef: { name: 's', key: 'k' }, nodeProductCode: 'p', subnetNo: 1, subnetName: 'm' },
      broker: { nodeProductCode: 'p', subnetNo: 2, subnetName: 'b', storageSizeGB: 100 },
    });
    const base = {
      spec,
      clusterName: 'c',
      paused: false,
      clusterId: undefined,
      createRequested: true,
      observed: undefined,
      sameName: [],
      deleteSent: false,
      upgradeInFlight: false,
      configGroup: { configGroupNo: 171 },
      passwordChanged: false,
    };
    expect(plan({ ...base, deleting: false, createAccepted: true })).toMatchObject({
      action: { type: 'Wait' },
      state: { reason: 'FindingCluster' },
    });
    expect(plan({ ...base, deleting: false, createAccepted: false }).action.type).toBe('Create');
    // Deleting a create CDSS accepted but does not list yet: find it first, reported as Deleting.
    expect(plan({ ...base, deleting: true, createAccepted: true })).toMatchObject({
      action: { type: 'Wait' },
      phase: 'Deleting',
      state: { reason: 'FindingCluster' },
    });
    expect(plan({ ...base, deleting: true, createAccepted: true, sameName: [named('9', 'creating')] })).toMatchObject({
      action: { type: 'Adopt', clusterId: '9' },
    });
  });
});

describe('CDSS status words', () => {
  it('are read case- and space-insensitively, as the spec advises (§4.1)', async () => {
    const { plan } = await import('../../../../src/resources/kafka/plan.ts');
    const { kafkaSpecSchema } = await import('../../../../src/resources/kafka/schema.ts');
    const spec = kafkaSpecSchema.parse({
      kafkaVersionCode: 3713006,
      configGroupNo: 171,
      softwareProductCode: 'sw',
      vpcNo: 1,
      brokerCount: 3,
      manager: { userName: 'admin', passwordSecretRef: { name: 's', key: 'k' }, nodeProductCode: 'p', subnetNo: 1 },
      broker: { nodeProductCode: 'p', subnetNo: 2, storageSizeGB: 100 },
    });
    const base = {
      spec,
      clusterName: 'c',
      deleting: false,
      paused: false,
      clusterId: '1',
      createRequested: true,
      deleteSent: false,
      upgradeInFlight: false,
      configGroup: { configGroupNo: 171 },
      passwordChanged: false,
    };
    const observed = (status: string) => ({ status, kafkaVersionCode: '3713006', configGroupNo: 171, brokerCount: 3 });
    expect(plan({ ...base, observed: observed(' Running ') }).state).toMatchObject({ state: 'ready', reason: 'Running' });
    expect(plan({ ...base, deleting: true, observed: observed('RETURN') }).action.type).toBe('ReleaseFinalizer');
  });
});

describe('plan: cases that no table held before', () => {
  it('never adopts a same-name cluster that is being deleted or returned: it creates its own', () => {
    for (const status of ['deleting', 'return']) {
      expectPlan(plan(input({ clusterId: undefined, observed: undefined, createRequested: true, sameName: [named('9', status)] })), {
        action: { type: 'Create' },
        phase: 'Creating',
        state: 'reconciling',
        reason: 'Creating',
        cadence: 'busy',
      });
    }
  });

  it('several live same-name clusters while deleting after an accepted create: AmbiguousCluster, nothing deleted or released', () => {
    const p = plan(
      input({
        deleting: true,
        clusterId: undefined,
        observed: undefined,
        createRequested: true,
        createAccepted: true,
        sameName: [named('7', 'running'), named('8', 'creating')],
      }),
    );
    expectPlan(p, { action: STALL, phase: 'Deleting', state: 'stalled', reason: 'AmbiguousCluster', cadence: 'never' });
    expect(p.state.message).toContain('2 live clusters are named');
  });

  it('ObserveOnly when CDSS reports no config group: Ready, no config-group drift', () => {
    const s = spec({ managementPolicy: 'ObserveOnly', clusterId: CLUSTER_ID });
    expectPlan(plan(input({ spec: s, observed: observed({ configGroupNo: undefined }) })), ready);
  });

  it('every wait says which phase the cluster is in and why', () => {
    const rows: Array<[string, Partial<PlanInput>, Phase, string]> = [
      ['creating', { observed: observed({ status: 'creating' }) }, 'Creating', 'CloudBusy'],
      ['changing', { observed: observed({ status: 'changing' }) }, 'Scaling', 'CloudBusy'],
      ['changing during our upgrade', { observed: observed({ status: 'changing' }), upgradeInFlight: true }, 'Upgrading', 'Upgrading'],
      ['an unknown word', { observed: observed({ status: 'suspended' }) }, 'Pending', 'CloudBusy'],
      ['running without a broker count', { observed: observed({ brokerCount: undefined }) }, 'Running', 'Observing'],
      ['not observed yet', { observed: undefined }, 'Pending', 'Observing'],
      [
        'an accepted create not listed yet',
        { clusterId: undefined, observed: undefined, createRequested: true, createAccepted: true, sameName: [] },
        'Creating',
        'FindingCluster',
      ],
      ['deleting: not observed yet', { deleting: true, observed: undefined }, 'Deleting', 'Observing'],
      ['deleting: CDSS deletes', { deleting: true, observed: observed({ status: 'deleting' }) }, 'Deleting', 'Deleting'],
      ['deleting: delete sent', { deleting: true, deleteSent: true }, 'Deleting', 'Deleting'],
      ['deleting: CDSS busy', { deleting: true, observed: observed({ status: 'changing' }) }, 'Deleting', 'Deleting'],
    ];
    const { actual, expected } = waits(
      rows.map(([label, over, phase, reason]): WaitRow<PlanInput> => [label, input(over), phase, reason]),
      plan,
    );
    expect(actual).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// The config group: in place, as the upgrade's target, and before a create (§5.2, §5.15, §5.18)
// ---------------------------------------------------------------------------------------------

describe('plan: the config group, resolved once (configGroup input), checked against the version it must serve', () => {
  const mismatch = (phase: Phase): Expected => ({
    action: STALL,
    phase,
    state: 'stalled',
    reason: 'ConfigGroupVersionMismatch',
    cadence: 'never',
  });
  const upgrade: Expected = {
    action: { type: 'Upgrade', kafkaVersionCode: HIGHER, configGroupNo: OTHER_GROUP },
    phase: 'Upgrading',
    state: 'reconciling',
    reason: 'Upgrading',
    cadence: 'busy',
  };
  const apply: Expected = {
    action: { type: 'ApplyConfigGroup', configGroupNo: OTHER_GROUP, kafkaVersionCode: String(VERSION) },
    phase: 'Upgrading',
    state: 'reconciling',
    reason: 'ApplyingConfigGroup',
    cadence: 'busy',
  };
  const create: Expected = { action: { type: 'Create' }, phase: 'Creating', state: 'reconciling', reason: 'Creating', cadence: 'busy' };
  const noCluster = { clusterId: undefined, observed: undefined };

  const table: Array<[string, Partial<PlanInput>, SpecOptions, PlanInput['configGroup'], Expected]> = [
    // The dead end this fixes: a version raised with the old group stalls; pointing at a group of the new version upgrades.
    [
      'upgrade with a group made for the running version: stalls, nothing sent',
      {},
      { kafkaVersionCode: HIGHER },
      { configGroupNo: GROUP, madeFor: String(VERSION) },
      mismatch('Running'),
    ],
    [
      'upgrade with a group made for the target version: upgrades to it',
      {},
      { kafkaVersionCode: HIGHER, configGroupNo: OTHER_GROUP },
      { configGroupNo: OTHER_GROUP, madeFor: String(HIGHER) },
      upgrade,
    ],
    [
      'upgrade with a group CDSS does not list for the target: stalls',
      {},
      { kafkaVersionCode: HIGHER, configGroupNo: OTHER_GROUP },
      { configGroupNo: OTHER_GROUP, madeFor: null },
      mismatch('Running'),
    ],
    [
      'upgrade with a group of unknown origin: sent, CDSS judges',
      {},
      { kafkaVersionCode: HIGHER, configGroupNo: OTHER_GROUP },
      { configGroupNo: OTHER_GROUP },
      upgrade,
    ],
    [
      'another group at the same version, made for it: applied in place',
      {},
      { configGroupNo: OTHER_GROUP },
      { configGroupNo: OTHER_GROUP, madeFor: String(VERSION) },
      apply,
    ],
    [
      'another group at the same version, made for another: stalls',
      {},
      { configGroupNo: OTHER_GROUP },
      { configGroupNo: OTHER_GROUP, madeFor: String(HIGHER) },
      mismatch('Running'),
    ],
    ['the group CDSS already uses, whatever its origin: nothing to do', {}, {}, { configGroupNo: GROUP, madeFor: null }, ready],
    [
      'before a create, a group made for the spec version: created',
      noCluster,
      {},
      { configGroupNo: GROUP, madeFor: String(VERSION) },
      create,
    ],
    [
      'before a create, a group made for another version: stalls, no create',
      noCluster,
      {},
      { configGroupNo: GROUP, madeFor: String(LOWER) },
      mismatch('Pending'),
    ],
    [
      'before a create, a group CDSS does not list: stalls, no create',
      noCluster,
      {},
      { configGroupNo: GROUP, madeFor: null },
      mismatch('Pending'),
    ],
    [
      'the group resolved, not spec.configGroupNo, is what the plan uses',
      {},
      { configGroupNo: GROUP },
      { configGroupNo: OTHER_GROUP, madeFor: String(VERSION) },
      apply,
    ],
  ];
  it.each(table)('%s', (_label, over, s, configGroup, expected) => {
    expectPlan(plan(input({ ...over, spec: spec(s), configGroup })), expected);
  });

  it('the stall names the group, the version it was made for and the version it must serve', () => {
    const p = plan(input({ spec: spec({ kafkaVersionCode: HIGHER }), configGroup: { configGroupNo: GROUP, madeFor: String(VERSION) } }));
    expect(p.state.message).toMatch(
      new RegExp(`config group ${GROUP} was made for Kafka version ${VERSION}.*${HIGHER}.*spec.configGroupNo`),
    );
  });

  it('a mismatched group does not stop a deletion', () => {
    expect(plan(input({ deleting: true, configGroup: { configGroupNo: GROUP, madeFor: null } })).action).toEqual(DELETE);
  });
});

// ---------------------------------------------------------------------------------------------
// Node spec (C9, checked against C10, §5.9)
// ---------------------------------------------------------------------------------------------

describe('plan: node spec changes on a running cluster', () => {
  const M = 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002'; // the spec's manager product
  const B = 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002'; // the spec's broker product
  const OLD_M = 'SVR.VCDSS.STAND.C002.M004.NET.SSD.B050.G002';
  const OLD_B = 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002';
  const change = (codes: { managerNodeProductCode?: string; brokerNodeProductCode?: string }): Expected => ({
    action: { type: 'ChangeNodeSpec', ...codes },
    phase: 'Scaling',
    state: 'reconciling',
    reason: 'ChangingNodeSpec',
    cadence: 'busy',
  });
  const refused: Expected = { action: STALL, phase: 'Running', state: 'stalled', reason: 'NodeSpecChangeNotAllowed', cadence: 'never' };
  const allowed = { manager: [M], broker: [B] };

  const table: Array<[string, Partial<CdssObservation>, Expected]> = [
    ['both as the spec asks: nothing to do', { managerNodeProductCode: M, brokerNodeProductCode: B }, ready],
    ['products CDSS does not report: nothing to compare, nothing sent', {}, ready],
    [
      'the broker product differs and CDSS allows it: only the broker code is sent',
      { managerNodeProductCode: M, brokerNodeProductCode: OLD_B, specChangeAllowed: allowed },
      change({ brokerNodeProductCode: B }),
    ],
    [
      'the manager product differs and CDSS allows it: only the manager code is sent',
      { managerNodeProductCode: OLD_M, brokerNodeProductCode: B, specChangeAllowed: allowed },
      change({ managerNodeProductCode: M }),
    ],
    [
      'both differ and both are allowed: one call with both',
      { managerNodeProductCode: OLD_M, brokerNodeProductCode: OLD_B, specChangeAllowed: allowed },
      change({ managerNodeProductCode: M, brokerNodeProductCode: B }),
    ],
    [
      'the target is not one CDSS allows (a downgrade): stalls, nothing sent',
      { managerNodeProductCode: M, brokerNodeProductCode: OLD_B, specChangeAllowed: { manager: [], broker: ['OTHER'] } },
      refused,
    ],
    [
      'one of two targets refused: stalls, the allowed one is not sent alone',
      { managerNodeProductCode: OLD_M, brokerNodeProductCode: OLD_B, specChangeAllowed: { manager: [M], broker: [] } },
      refused,
    ],
    [
      'CDSS lists nothing (G3 clusters, [3P]): stalls',
      { managerNodeProductCode: M, brokerNodeProductCode: OLD_B, specChangeAllowed: { manager: [], broker: [] } },
      refused,
    ],
    ['the allowed list was not looked up: stalls rather than guess', { managerNodeProductCode: M, brokerNodeProductCode: OLD_B }, refused],
  ];
  it.each(table)('%s', (_label, o, expected) => {
    expectPlan(plan(input({ observed: observed(o) })), expected);
  });

  it('the stall lists what CDSS allows for each refused role', () => {
    const p = plan(
      input({
        observed: observed({
          managerNodeProductCode: OLD_M,
          brokerNodeProductCode: OLD_B,
          specChangeAllowed: { manager: ['X1', 'X2'], broker: [] },
        }),
      }),
    );
    expect(p.state.message).toContain(`the manager to ${M} (allowed: X1, X2)`);
    expect(p.state.message).toContain(`the brokers to ${B} (allowed: none)`);
  });

  it('comes after brokers, version and config group, before the password', () => {
    const o = { managerNodeProductCode: OLD_M, brokerNodeProductCode: B, specChangeAllowed: allowed };
    expect(plan(input({ spec: spec({ brokerCount: 4 }), observed: observed(o) })).action.type).toBe('AddBrokers');
    expect(plan(input({ spec: spec({ configGroupNo: OTHER_GROUP }), observed: observed(o) })).action.type).toBe('ApplyConfigGroup');
    expect(plan(input({ observed: observed(o), passwordChanged: true })).action.type).toBe('ChangeNodeSpec');
  });

  it('ObserveOnly reports a different product as Drifted', () => {
    const p = plan(
      input({
        spec: spec({ managementPolicy: 'ObserveOnly', clusterId: CLUSTER_ID }),
        observed: observed({ brokerNodeProductCode: OLD_B }),
      }),
    );
    expect(p.state).toMatchObject({ state: 'reconciling', reason: 'Drifted' });
    expect(p.state.message).toContain(OLD_B);
  });
});

// ---------------------------------------------------------------------------------------------
// Public access (C16-C19, §5.14)
// ---------------------------------------------------------------------------------------------

describe('plan: public access on a running cluster', () => {
  const withAccess = (publicAccess: Record<string, unknown>, o: SpecOptions = {}) => kafkaSpecSchema.parse({ ...spec(o), publicAccess });
  const changing = (action: Action): Expected => ({
    action,
    phase: 'Running',
    state: 'reconciling',
    reason: 'ChangingPublicAccess',
    cadence: 'busy',
  });
  const needLb: Expected = { action: STALL, phase: 'Running', state: 'stalled', reason: 'LoadBalancerRequired', cadence: 'never' };
  const lb = (no: string, name?: string) => ({ loadBalancerInstanceNo: no, name });

  const table: Array<[string, Record<string, unknown>, Partial<CdssObservation>, Expected]> = [
    ['no publicAccess in the spec: left as CDSS has it, on or off', {}, { brokerPublicEndpoint: true, managerPublicDomain: true }, ready],
    ['brokers on, CDSS has them on: nothing to do', { brokers: { enabled: true } }, { brokerPublicEndpoint: true }, ready],
    [
      'brokers on with a named load balancer: enabled through it',
      { brokers: { enabled: true, loadBalancerInstanceNo: '77' } },
      { brokerPublicEndpoint: false },
      changing({ type: 'EnableBrokerPublicEndpoint', loadBalancerInstanceNo: '77' }),
    ],
    [
      'brokers on, none named, one candidate: that one',
      { brokers: { enabled: true } },
      { brokerPublicEndpoint: false, loadBalancers: [lb('55', 'lb-a')] },
      changing({ type: 'EnableBrokerPublicEndpoint', loadBalancerInstanceNo: '55' }),
    ],
    [
      'brokers on, none named, no candidate: stalls',
      { brokers: { enabled: true } },
      { brokerPublicEndpoint: false, loadBalancers: [] },
      needLb,
    ],
    [
      'brokers on, none named, two candidates: stalls rather than guess',
      { brokers: { enabled: true } },
      { brokerPublicEndpoint: false, loadBalancers: [lb('55'), lb('56')] },
      needLb,
    ],
    [
      'brokers off, CDSS has them on: disabled',
      { brokers: { enabled: false } },
      { brokerPublicEndpoint: true },
      changing({ type: 'DisableBrokerPublicEndpoint' }),
    ],
    [
      'brokers off, CDSS has them off: nothing to do',
      { brokers: { enabled: false, loadBalancerInstanceNo: '77' } },
      { brokerPublicEndpoint: false },
      ready,
    ],
    ['brokers on but CDSS endpoints not known: nothing sent', { brokers: { enabled: true, loadBalancerInstanceNo: '77' } }, {}, ready],
    [
      'manager on, CDSS has it off: enabled',
      { manager: { enabled: true } },
      { managerPublicDomain: false },
      changing({ type: 'SetManagerPublicDomain', enabled: true }),
    ],
    [
      'manager off, CDSS has it on: disabled',
      { manager: { enabled: false } },
      { managerPublicDomain: true },
      changing({ type: 'SetManagerPublicDomain', enabled: false }),
    ],
    ['manager on, not looked up: nothing sent', { manager: { enabled: true } }, {}, ready],
    [
      'both to change: brokers first (one change per pass)',
      { brokers: { enabled: false }, manager: { enabled: true } },
      { brokerPublicEndpoint: true, managerPublicDomain: false },
      changing({ type: 'DisableBrokerPublicEndpoint' }),
    ],
  ];
  it.each(table)('%s', (_label, access, o, expected) => {
    expectPlan(plan(input({ spec: withAccess(access), observed: observed(o) })), expected);
  });

  it('the stall lists the candidates by number and name', () => {
    const p = plan(
      input({
        spec: withAccess({ brokers: { enabled: true } }),
        observed: observed({ brokerPublicEndpoint: false, loadBalancers: [lb('55', 'lb-a'), lb('56')] }),
      }),
    );
    expect(p.state.message).toContain('55 (lb-a), 56');
    expect(p.state.message).toContain('spec.publicAccess.brokers.loadBalancerInstanceNo');
  });

  it('comes after the node spec and before the password', () => {
    const s = withAccess({ brokers: { enabled: false } });
    expect(plan(input({ spec: s, observed: observed({ brokerPublicEndpoint: true }), passwordChanged: true })).action.type).toBe(
      'DisableBrokerPublicEndpoint',
    );
    const o = observed({
      brokerPublicEndpoint: true,
      brokerNodeProductCode: 'OLD',
      specChangeAllowed: { manager: [], broker: [s.broker.nodeProductCode] },
    });
    expect(plan(input({ spec: s, observed: o })).action.type).toBe('ChangeNodeSpec');
  });

  it('ObserveOnly reports it as Drifted, never switches it', () => {
    const s = withAccess(
      { brokers: { enabled: true }, manager: { enabled: false } },
      { managementPolicy: 'ObserveOnly', clusterId: CLUSTER_ID },
    );
    const p = plan(input({ spec: s, observed: observed({ brokerPublicEndpoint: false, managerPublicDomain: true }) }));
    expect(p.state.reason).toBe('Drifted');
    expect(p.state.message).toMatch(/broker public endpoint on, CDSS has it off.*manager public domain off, CDSS has it on/);
  });
});

// ---------------------------------------------------------------------------------------------
// What CDSS's `changing` means while one of our changes is in flight
// ---------------------------------------------------------------------------------------------

describe('plan: CDSS changing after a change of ours names it', () => {
  const table: Array<[string, Partial<PlanInput>, Phase, string]> = [
    ['a rolling upgrade', { upgradeInFlight: true }, 'Upgrading', 'Upgrading'],
    ['a config group applied in place: the brokers restart', { changeInFlight: 'ApplyConfigGroup' }, 'Upgrading', 'RestartingBrokers'],
    ['a node spec change', { changeInFlight: 'ChangeNodeSpec' }, 'Scaling', 'ChangingNodeSpec'],
    ['the broker public endpoint switched on', { changeInFlight: 'EnableBrokerPublicEndpoint' }, 'Running', 'ChangingPublicAccess'],
    ['the broker public endpoint switched off', { changeInFlight: 'DisableBrokerPublicEndpoint' }, 'Running', 'ChangingPublicAccess'],
    ['the manager public domain', { changeInFlight: 'SetManagerPublicDomain' }, 'Running', 'ChangingPublicAccess'],
    ['nothing of ours (brokers added, or someone else)', {}, 'Scaling', 'CloudBusy'],
  ];
  it.each(table)('%s', (_label, over, phase, reason) => {
    const p = plan(input({ ...over, observed: observed({ status: 'changing' }) }));
    expect({ action: p.action, phase: p.phase, reason: p.state.reason, cadence: p.cadence }).toEqual({
      action: WAIT,
      phase,
      reason,
      cadence: 'busy',
    });
  });

  it('a change in flight does not hold up the plan once CDSS runs again', () => {
    expectPlan(plan(input({ changeInFlight: 'ApplyConfigGroup' })), ready);
  });
});

describe('plan: a config group named by configGroupRef that cannot be used yet', () => {
  const pending = { pending: 'waiting for KafkaConfigGroup orders-cfg to be Ready (Creating: m)' };

  it('no create is sent: Pending, WaitingForConfigGroup, with the group’s reason, looked at again steadily', () => {
    const p = plan(input({ clusterId: undefined, createRequested: false, observed: undefined, configGroup: pending }));
    expect(p.action).toEqual({ type: 'Wait' });
    expect(p.phase).toBe('Pending');
    expect(p.state).toEqual({ state: 'reconciling', reason: 'WaitingForConfigGroup', message: pending.pending });
    expect(p.cadence).toBe('steady');
  });

  it('a running cluster neither upgrades nor applies a group: it waits for the one the spec names', () => {
    const p = plan(input({ spec: spec({ kafkaVersionCode: HIGHER }), configGroup: pending }));
    expect(p.action).toEqual({ type: 'Wait' });
    expect(p.state).toMatchObject({ reason: 'WaitingForConfigGroup' });
  });

  it('brokers are still added first (one change per pass, in the fixed order)', () => {
    expect(plan(input({ spec: spec({ brokerCount: 4 }), configGroup: pending })).action).toEqual({ type: 'AddBrokers', count: 1 });
  });

  it('ObserveOnly reports the wait among what differs', () => {
    const p = plan(input({ spec: spec({ managementPolicy: 'ObserveOnly' }), configGroup: pending }));
    expect(p.state).toMatchObject({ reason: 'Drifted' });
    expect(p.state.message).toContain(pending.pending);
  });

  it('a deletion never needs the group', () => {
    expect(plan(input({ deleting: true, configGroup: pending })).action).toEqual({ type: 'Delete' });
  });
});
