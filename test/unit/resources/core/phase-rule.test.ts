// The phase never contradicts the conditions (core/phases.ts), shown over every plan outcome of
// every kind: each kind's plan is run over the product of what the core and the kind read (the
// resource's flags and policies, what it knows of its cloud object, every cloud status word, spec
// changes, the change gate, the phase before), together with the plans the reconciler makes itself
// (a stall from any phase, a paused preview, a paused deletion, an invalid spec). Every plan must
// keep the rule, and so must the status each kind builds from it.
import { describe, expect, it } from 'vitest';
import type { ClusterDetail } from '../../../../src/clouds/kakaocloud/types.ts';
import { hadoopEcoLifecycle } from '../../../../src/clouds/kakaocloud/status.ts';
import { cdssLifecycle } from '../../../../src/clouds/ncloud/status.ts';
import type { CloudRef } from '../../../../src/clouds/lifecycle.ts';
import type { ChangeGate } from '../../../../src/resources/core/changes.ts';
import type { ManagedPlanInput, PlannedSpec } from '../../../../src/resources/core/managed-plan.ts';
import {
  consistentPhase,
  consistentPlan,
  phaseAllowed,
  phasesByState,
  phaseViolations,
  stalledPhase,
  type PhasedStatus,
} from '../../../../src/resources/core/phases.ts';
import { pausedDeletionPlan, pausedPlan, previewPlan, stalledFrom, type Phase, type Plan } from '../../../../src/resources/core/plan.ts';
import { phase as phaseSchema } from '../../../../src/resources/core/schema.ts';
import { coreStatus } from '../../../../src/resources/core/status.ts';
import { plan as hadoopPlan, type PlanInput as HadoopInput } from '../../../../src/resources/hadoop-eco/plan.ts';
import { hadoopEcoSpecSchema } from '../../../../src/resources/hadoop-eco/schema.ts';
import { buildStatus as hadoopStatus } from '../../../../src/resources/hadoop-eco/status.ts';
import {
  plan as groupPlan,
  type ConfigGroupObservation,
  type PlanInput as GroupInput,
} from '../../../../src/resources/kafka-config-group/plan.ts';
import { configGroupSpecSchema, configGroupWords } from '../../../../src/resources/kafka-config-group/schema.ts';
import { buildConfigGroupStatus } from '../../../../src/resources/kafka-config-group/status.ts';
import { plan as kafkaPlan, type CdssObservation, type PlanInput as KafkaInput } from '../../../../src/resources/kafka/plan.ts';
import { kafkaSpecSchema } from '../../../../src/resources/kafka/schema.ts';
import { buildKafkaStatus } from '../../../../src/resources/kafka/status.ts';

const phases = phaseSchema.options;
const NOW = new Date('2026-12-01T10:00:00Z');

/** Every combination of the values of each key. */
function product<T extends Record<string, readonly unknown[]>>(dims: T): Array<{ [K in keyof T]: T[K][number] }> {
  let out: Array<Record<string, unknown>> = [{}];
  for (const [key, values] of Object.entries(dims)) out = out.flatMap((o) => values.map((v) => ({ ...o, [key]: v })));
  return out as Array<{ [K in keyof T]: T[K][number] }>;
}

/** The change gate variants: none, a window that is closed now, changePolicy Manual without approval. */
const gates: Array<ChangeGate | undefined> = [
  undefined,
  { now: NOW, policy: 'Automatic', approvals: [], generation: 2, previous: [] },
  {
    now: NOW,
    policy: 'Automatic',
    // 2026-12-01 is a Tuesday: a Saturday window is closed.
    window: { timeZone: 'UTC', days: ['Saturday'], start: '02:00', duration: '2h' },
    approvals: [],
    generation: 2,
    previous: [],
  },
  { now: NOW, policy: 'Manual', approvals: ['x-000000'], generation: 2, previous: [] },
];

/**
 * What the core reads, in every combination that reaches a different branch: pause, deletion, the
 * policies, identity (nothing, an interrupted create with 0/1/2 same-name clusters or an accepted
 * create, a known id, an adopted id), the cloud's answer, a delete already sent, the last phase.
 * `spec` gives the kind's spec for the policies; `variant` is the kind's first variant here.
 */
function coreInputs<S extends PlannedSpec, O>(
  specOf: (policies: PlannedSpec) => S,
  observations: O[],
  sameNameLifecycle: (status: 'creating') => CloudRef['lifecycle'],
): Array<ManagedPlanInput<S, O>> {
  const live = (id: string): CloudRef => ({ id, lifecycle: sameNameLifecycle('creating') });
  const identities = [
    { clusterId: undefined, createRequested: false },
    { clusterId: undefined, createRequested: true, sameName: [] },
    { clusterId: undefined, createRequested: true, sameName: [live('a')] },
    { clusterId: undefined, createRequested: true, sameName: [live('a'), live('b')] },
    { clusterId: undefined, createRequested: true, sameName: [], createAccepted: true },
    { clusterId: 'id-1', createRequested: true },
    { clusterId: 'id-1', createRequested: false, adopting: true },
  ];
  const out: Array<ManagedPlanInput<S, O>> = [];
  for (const c of product({
    paused: [false, true],
    deleting: [false, true],
    managementPolicy: ['Manage', 'ObserveOnly'] as const,
    deletionPolicy: ['Delete', 'Retain'] as const,
    identity: identities,
    deleteSent: [false, true],
    previousPhase: [undefined, 'Scaling', 'Completed'] as Array<Phase | undefined>,
  })) {
    const spec = specOf({ managementPolicy: c.managementPolicy, deletionPolicy: c.deletionPolicy });
    const observed: Array<O | null | undefined> = c.identity.clusterId === undefined ? [undefined] : [null, undefined, ...observations];
    for (const o of observed) {
      out.push({
        spec,
        clusterName: 'name-1',
        deleting: c.deleting,
        paused: c.paused,
        deleteSent: c.deleteSent,
        previousPhase: c.previousPhase,
        observed: o,
        ...c.identity,
      });
    }
  }
  return out;
}

/**
 * The kind's own table: every spec variant × every observation of a cluster it knows, managed or
 * observed only, under every change gate (the core's flags are swept by coreInputs).
 */
function observedInputs<S extends PlannedSpec, O>(
  specOf: (policies: PlannedSpec) => S,
  observations: O[],
  gateList: Array<ChangeGate | undefined>,
): Array<ManagedPlanInput<S, O>> {
  return product({ managementPolicy: ['Manage', 'ObserveOnly'] as const, observed: observations, gate: gateList }).map((c) => ({
    spec: specOf({ managementPolicy: c.managementPolicy, deletionPolicy: 'Delete' }),
    clusterName: 'name-1',
    deleting: false,
    paused: false,
    deleteSent: false,
    clusterId: 'id-1',
    createRequested: true,
    observed: c.observed,
    gate: c.gate,
  }));
}

/** Each plan outcome once (the same decision from many inputs is checked once). */
function distinct(plans: Array<Plan<{ type: string }>>): Array<Plan<{ type: string }>> {
  const seen = new Map<string, Plan<{ type: string }>>();
  for (const p of plans) seen.set(`${p.action.type}|${p.phase}|${p.state.state}|${p.state.reason}`, p);
  return [...seen.values()];
}

// ---------------------------------------------------------------------------------------------
// The kinds' inputs

const hecSpec = (policies: PlannedSpec, workerCount: number, job: boolean) =>
  hadoopEcoSpecSchema.parse({
    clusterType: 'hadoop',
    clusterVersion: 'hde-2.0.1',
    keyPairName: 'kp',
    master: { flavorName: 'm2a.xlarge', volumeSize: 50 },
    worker: { flavorName: 'm2a.xlarge', volumeSize: 100 },
    workerCount,
    vpcId: 'vpc-1',
    subnetId: 'subnet-1',
    securityGroupName: 'sg',
    hdfs: { replication: 2, blockSizeMB: 128 },
    ...policies,
    ...(job ? { userTask: { type: 'hive', terminationPolicy: 'onSuccess', hiveQuery: 'select 1' } } : {}),
  });

const hecWords = [
  'Initializing',
  'Creating',
  'Installing',
  'Running',
  'Pending',
  'Scaling',
  'Terminating',
  'Terminated(User)',
  'Terminated(User Command)',
  'Terminated(Error)',
  'Terminated',
  'Failed',
  'SomethingNew',
];

function hadoopInputs(): HadoopInput[] {
  const details: ClusterDetail[] = product({ status: hecWords, workerCnt: [3, 1, 5, undefined], isScalable: [true, false] }).map((d) => ({
    id: 'id-1',
    name: 'name-1',
    status: d.status,
    clusterType: 'hadoop',
    isScalable: d.isScalable,
    masterCnt: 1,
    workerCnt: d.workerCnt as number,
    nodeCnt: 4,
    runningAt: d.status === 'Running' || d.status.startsWith('Terminated') ? 1 : undefined,
    config: { hdfsReplication: 2, hdfsBlockSize: 128 },
  }));
  return [
    ...coreInputs(
      (p) => hecSpec(p, 3, false),
      details,
      () => hadoopEcoLifecycle({ status: 'Initializing' }),
    ),
    ...product({ workers: [3, 1, 5], job: [false, true] }).flatMap((v) =>
      observedInputs((p) => hecSpec(p, v.workers, v.job), details, gates),
    ),
  ];
}

const kafkaSpec = (policies: PlannedSpec, o: { brokerCount: number; kafkaVersionCode: number; brokerProduct: string }) =>
  kafkaSpecSchema.parse({
    kafkaVersionCode: o.kafkaVersionCode,
    configGroupNo: 170,
    softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
    vpcNo: 1001,
    manager: {
      userName: 'admin',
      passwordSecretRef: { name: 'cmak', key: 'password' },
      nodeProductCode: 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002',
      subnetNo: 2001,
    },
    broker: { nodeProductCode: o.brokerProduct, subnetNo: 2002, storageSizeGB: 100 },
    brokerCount: o.brokerCount,
    ...policies,
  });

const BROKER = 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002';
const BIGGER = 'SVR.VCDSS.STAND.C008.M032.NET.SSD.B050.G002';

function kafkaInputs(): KafkaInput[] {
  const observations: CdssObservation[] = product({
    status: ['creating', 'changing', 'running', 'error', 'deleting', 'return', 'somethingNew'],
    brokerCount: [3, 5, undefined],
    configGroupNo: [170, 171],
    allowed: [[BIGGER], []],
  }).map((o) => ({
    status: o.status,
    kafkaVersionCode: o.brokerCount === undefined ? undefined : '3903006',
    configGroupNo: o.configGroupNo,
    brokerCount: o.brokerCount,
    brokerNodeProductCode: BROKER,
    managerNodeProductCode: 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002',
    specChangeAllowed: { manager: [], broker: o.allowed },
  }));
  const extras = (v: { configGroup: object; inFlight: object; passwordChanged: boolean }) => ({
    configGroup: v.configGroup as KafkaInput['configGroup'],
    upgradeInFlight: false,
    passwordChanged: v.passwordChanged,
    ...(v.inFlight as Partial<KafkaInput>),
  });
  const first = { brokerCount: 3, kafkaVersionCode: 3903006, brokerProduct: BROKER };
  const core = coreInputs(
    (p) => kafkaSpec(p, first),
    observations,
    (s) => cdssLifecycle(s),
  ).map((i): KafkaInput => ({ ...i, ...extras({ configGroup: { configGroupNo: 170 }, inFlight: {}, passwordChanged: false }) }));
  const variants = product({
    brokerCount: [3, 4],
    kafkaVersionCode: [3903006, 4003006],
    brokerProduct: [BROKER, BIGGER],
    configGroup: [{ configGroupNo: 170 }, { configGroupNo: 170, madeFor: '2823006' }, { pending: 'the group is not Ready' }],
    inFlight: [{}, { upgradeInFlight: true }, { changeInFlight: 'ChangeNodeSpec' }, { changeInFlight: 'SetManagerPublicDomain' }],
    passwordChanged: [false, true],
  });
  const table = variants.flatMap((v) =>
    observedInputs((p) => kafkaSpec(p, v), observations, [gates[0], gates[2], gates[3]]).map((i): KafkaInput => ({ ...i, ...extras(v) })),
  );
  return [...core, ...table];
}

function groupInputs(): GroupInput[] {
  const setting = (value: string, modifiable = true) => ({ value, custom: true, modifiable });
  const observations: ConfigGroupObservation[] = product({
    kafkaVersionCode: ['3903006', '2823006'],
    retention: ['72', '24'],
    modifiable: [true, false],
    description: ['', 'orders'],
    usedBy: [[], [{ clusterName: 'events', clusterId: '1' }]],
  }).map((o) => ({
    status: 'present',
    kafkaVersionCode: o.kafkaVersionCode,
    description: o.description,
    settings: { 'log.retention.hours': setting(o.retention, o.modifiable) },
    managedKeys: ['log.retention.hours'],
    usedBy: o.usedBy,
  }));
  const specOf = (p: PlannedSpec) =>
    configGroupSpecSchema.parse({ kafkaVersionCode: 3903006, config: { 'log.retention.hours': 72 }, description: 'orders', ...p });
  const extras = { words: configGroupWords, appliedConfig: undefined };
  return [
    ...coreInputs(specOf, observations, (s) => cdssLifecycle(s)).map((i) => ({ ...i, ...extras })),
    ...[undefined, { 'log.retention.hours': '72' }].flatMap((applied) =>
      observedInputs(specOf, observations, [gates[0], gates[3]]).map((i) => ({ ...i, ...extras, appliedConfig: applied })),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// The plans, and the statuses each kind builds from them

interface Case {
  plan: Plan<{ type: string }>;
  deleting: boolean;
  paused: boolean;
}

/** A kind's plans, with the reconciler's own on top: a paused preview of each, and a stall from where each left off. */
function outcomes<I extends { deleting: boolean; paused: boolean }>(inputs: I[], plan: (i: I) => Plan<{ type: string }>): Case[] {
  const cases: Case[] = [];
  for (const i of inputs) {
    const p = plan(i);
    cases.push({ plan: p, deleting: i.deleting, paused: i.paused });
    if (!i.paused && !i.deleting) cases.push({ plan: previewPlan(p), deleting: false, paused: true });
    // A pass whose action failed and needs a human: the reconciler's stall, from the phase this plan showed.
    cases.push({ plan: stalledFrom(p.phase, 'CredentialsInvalid', 'HTTP 401', i.deleting), deleting: i.deleting, paused: i.paused });
  }
  return cases;
}

const reconcilerOwn: Case[] = [
  { plan: pausedPlan(), deleting: false, paused: true },
  { plan: pausedDeletionPlan(), deleting: true, paused: true },
  ...[...phases, undefined].flatMap((previous) =>
    [false, true].flatMap((deleting) =>
      [false, true].map((paused) => ({ plan: stalledFrom(previous, 'InvalidSpec', 'spec.x: bad', deleting), deleting, paused })),
    ),
  ),
];

const statusOf: Record<string, (c: Case) => PhasedStatus> = {
  HadoopEcoCluster: (c) =>
    hadoopStatus({
      previous: {},
      plan: c.plan,
      generation: 2,
      clusterId: 'id-1',
      clusterName: 'n',
      observed: undefined,
      vms: undefined,
      deleting: c.deleting,
      now: NOW,
    }),
  KafkaCluster: (c) =>
    buildKafkaStatus({
      previous: {},
      plan: c.plan,
      generation: 2,
      clusterId: 'id-1',
      clusterName: 'n',
      info: undefined,
      deleting: c.deleting,
      now: NOW,
    }),
  KafkaConfigGroup: (c) =>
    buildConfigGroupStatus({
      previous: {},
      plan: c.plan,
      generation: 2,
      clusterId: 'id-1',
      clusterName: 'n',
      observed: undefined,
      prep: undefined,
      applied: undefined,
      deleting: c.deleting,
      now: NOW,
    }),
};

const kinds: Array<[string, () => Case[]]> = [
  ['HadoopEcoCluster', () => outcomes(hadoopInputs(), hadoopPlan)],
  ['KafkaCluster', () => outcomes(kafkaInputs(), kafkaPlan)],
  ['KafkaConfigGroup', () => outcomes(groupInputs(), groupPlan)],
];

describe('the phase rule (core/phases.ts)', () => {
  it('gives every phase at least one state, and keeps work under way and Paused out of Stalled', () => {
    for (const p of phases) expect(Object.values(phasesByState).some((allowed) => (allowed as readonly Phase[]).includes(p))).toBe(true);
    for (const p of ['Creating', 'Scaling', 'Upgrading', 'Paused'] as const) expect(phaseAllowed('stalled', p)).toBe(false);
    expect(phasesByState.ready).toEqual(['Running', 'Completed']);
  });

  it('a stall from any phase lands on one a stall allows, and keeps the ones it allows', () => {
    for (const p of [...phases, undefined]) {
      const s = stalledPhase(p);
      expect(phaseAllowed('stalled', s)).toBe(true);
      if (p !== undefined && phaseAllowed('stalled', p)) expect(s).toBe(p);
    }
    expect([stalledPhase('Scaling'), stalledPhase('Upgrading'), stalledPhase('Creating')]).toEqual(['Running', 'Running', 'Pending']);
  });

  it('the status builder corrects a plan that breaks the rule (the reported case: Scaling while Stalled)', () => {
    const broken = {
      action: { type: 'Stall' },
      phase: 'Scaling' as Phase,
      state: { state: 'stalled' as const, reason: 'R', message: 'm' },
      cadence: 'never' as const,
    };
    const s = coreStatus({ previous: { phase: 'Scaling' }, plan: broken, generation: 1, clusterId: 'x', clusterName: 'n', now: NOW });
    expect(s.phase).toBe('Running');
    expect(phaseViolations(s)).toEqual([]);
    expect(consistentPlan(broken).phase).toBe('Running');
    // What the check reports on a status that breaks it, word for word enough to find the field.
    expect(phaseViolations({ ...s, phase: 'Scaling' })).toEqual([
      'phase Scaling contradicts Stalled=True (allowed: Pending, Running, Failed, Completed, Deleting)',
    ]);
    expect(phaseViolations(s, { deleting: true })).toEqual(['a resource being deleted shows phase Deleting, not Running']);
  });

  it('a resource being deleted is Deleting whatever its plan says, paused or stalled', () => {
    for (const state of ['reconciling', 'stalled'] as const)
      for (const p of phases) expect(consistentPhase(state, p, true)).toBe('Deleting');
  });

  it.each(kinds)('%s: every plan outcome, and the status built from it, keeps the rule', (kind, cases) => {
    // Many inputs reach the same decision: each (plan decision, deleting, paused) is checked once.
    const unique = new Map<string, Case>();
    for (const c of [...cases(), ...reconcilerOwn]) {
      const p = c.plan;
      unique.set(`${p.action.type}|${p.phase}|${p.state.state}|${p.state.reason}|${c.deleting}|${c.paused}`, c);
    }
    const all = [...unique.values()];
    // Enough of the table is reached to mean something: every kstatus state, and many decisions.
    const reached = distinct(all.map((c) => c.plan));
    expect(new Set(reached.map((p) => p.state.state))).toEqual(new Set(['ready', 'reconciling', 'stalled']));
    expect(reached.length).toBeGreaterThan(15);
    const broken: string[] = [];
    for (const c of all) {
      const where = `${c.plan.action.type} ${c.plan.phase} ${c.plan.state.state} ${c.plan.state.reason} (deleting ${c.deleting}, paused ${c.paused})`;
      // The plan itself keeps the rule (the builders' types make it so; a plan built by hand is checked here).
      if (!phaseAllowed(c.plan.state.state, c.plan.phase)) broken.push(`plan ${where}: phase not allowed`);
      if (c.deleting && c.plan.phase !== 'Deleting' && c.plan.action.type !== 'ReleaseFinalizer')
        broken.push(`plan ${where}: deleting but not Deleting`);
      const status = statusOf[kind]!(c);
      for (const v of phaseViolations(status, { deleting: c.deleting, paused: c.paused })) broken.push(`status of ${where}: ${v}`);
    }
    expect([...new Set(broken)]).toEqual([]);
  });
});
