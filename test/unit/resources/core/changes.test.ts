// Safe changes as a table: every kind's in-place change × maintenance window (none, open, closed)
// × changePolicy (Automatic, Manual without and with the approval) → does it start now, and what
// does status.pendingChanges say it waits for. Driven through each kind's real plan, with the clock
// passed in. Then the gate's own rules: ids, approvals made stale by an edit, order, messages.
import { describe, expect, it } from 'vitest';
import { changeId, parseApprovals, planChanges, type ChangeGate, type PendingChange } from '../../../../src/resources/core/changes.ts';
import { act, done, stall, wait, type Plan } from '../../../../src/resources/core/plan.ts';
import { requeueSeconds } from '../../../../src/resources/core/cadence.ts';
import type { MaintenanceWindow } from '../../../../src/resources/core/window.ts';
import * as hadoop from '../../../../src/resources/hadoop-eco/plan.ts';
import { hadoopEcoSpecSchema } from '../../../../src/resources/hadoop-eco/schema.ts';
import * as kafka from '../../../../src/resources/kafka/plan.ts';
import { kafkaSpecSchema } from '../../../../src/resources/kafka/schema.ts';
import * as group from '../../../../src/resources/kafka-config-group/plan.ts';
import { configGroupSpecSchema } from '../../../../src/resources/kafka-config-group/schema.ts';
import { hecSpec } from '../../../support/hadoop-eco.ts';
import { kafkaSpec as sampleKafkaSpec } from '../../../support/kafka.ts';

// 2026-12-05 is a Saturday; the window is Saturdays 02:00-06:00 UTC.
const window: MaintenanceWindow = { days: ['Saturday'], start: '02:00', duration: '4h', timeZone: 'UTC' };
const OPEN = new Date('2026-12-05T03:00:00Z');
const CLOSED = new Date('2026-12-02T12:00:00Z');
const NEXT = '2026-12-05T02:00:00.000Z';

type WindowCase = 'none' | 'open' | 'closed';
type PolicyCase = 'Automatic' | 'Manual' | 'Manual+approved';

function gateFor(w: WindowCase, p: PolicyCase, approve: (id: string) => string[] = (id) => [id]): (id: string) => ChangeGate {
  return (id) => ({
    now: w === 'open' ? OPEN : CLOSED,
    policy: p === 'Automatic' ? 'Automatic' : 'Manual',
    window: w === 'none' ? undefined : window,
    approvals: p === 'Manual+approved' ? approve(id) : [],
    generation: 7,
    previous: [],
  });
}

// ----- each kind's plan, set up to want exactly one change ---------------------------------------

const hadoopSpec = (workerCount: number) => hadoopEcoSpecSchema.parse(hecSpec({ workerCount }));

function hadoopPlan(workerCount: number) {
  return (gate: ChangeGate | undefined) =>
    hadoop.plan({
      spec: hadoopSpec(workerCount),
      clusterName: 'analytics',
      deleting: false,
      paused: false,
      clusterId: 'c-1',
      createRequested: false,
      deleteSent: false,
      observed: {
        id: 'c-1',
        name: 'analytics',
        status: 'Running',
        isScalable: true,
        workerCnt: 3,
        config: { hdfsReplication: 2 },
      },
      gate,
    });
}

const SMALL = 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002';
const BIG = 'SVR.VCDSS.STAND.C008.M032.NET.SSD.B050.G002';
// The shared sample, on the version and group the observation below reports.
const kafkaSpec = (over: Record<string, unknown> = {}) =>
  kafkaSpecSchema.parse(sampleKafkaSpec({ kafkaVersionCode: 3903006, configGroupNo: 170, ...over }));

function kafkaPlan(over: Record<string, unknown>, observed: Partial<kafka.CdssObservation> = {}, input: Partial<kafka.PlanInput> = {}) {
  return (gate: ChangeGate | undefined) => {
    const spec = kafkaSpec(over);
    return kafka.plan({
      spec,
      configGroup: { configGroupNo: spec.configGroupNo!, madeFor: String(spec.kafkaVersionCode) },
      clusterName: 'events',
      deleting: false,
      paused: false,
      clusterId: '3432149',
      createRequested: false,
      deleteSent: false,
      upgradeInFlight: false,
      passwordChanged: false,
      observed: {
        status: 'running',
        kafkaVersionCode: '3903006',
        configGroupNo: 170,
        brokerCount: 3,
        managerNodeProductCode: SMALL,
        brokerNodeProductCode: SMALL,
        specChangeAllowed: { manager: [BIG], broker: [BIG] },
        brokerPublicEndpoint: false,
        managerPublicDomain: false,
        ...observed,
      },
      gate,
      ...input,
    });
  };
}

function groupPlan(over: Record<string, unknown>) {
  return (gate: ChangeGate | undefined) =>
    group.plan({
      spec: configGroupSpecSchema.parse({ kafkaVersionCode: 3903006, ...over }),
      clusterName: 'orders-cfg',
      deleting: false,
      paused: false,
      clusterId: '170',
      createRequested: false,
      deleteSent: false,
      appliedConfig: undefined,
      observed: {
        status: 'present',
        kafkaVersionCode: '3903006',
        description: 'old',
        settings: { 'log.retention.hours': { value: '168', custom: false, modifiable: true } },
        managedKeys: [],
        usedBy: [],
      },
      gate,
    });
}

/** Every in-place change of every kind, as its plan wants it; the table's disruption class comes from the kind. */
const changes: Array<[kind: string, action: string, planWith: (gate: ChangeGate | undefined) => Plan<{ type: string }>]> = [
  ['HadoopEcoCluster', 'ScaleOut', hadoopPlan(5)],
  ['HadoopEcoCluster', 'ScaleIn', hadoopPlan(2)],
  ['KafkaCluster', 'AddBrokers', kafkaPlan({ brokerCount: 4 })],
  ['KafkaCluster', 'Upgrade', kafkaPlan({ kafkaVersionCode: 4003006, configGroupNo: 180 })],
  ['KafkaCluster', 'ApplyConfigGroup', kafkaPlan({ configGroupNo: 171 })],
  ['KafkaCluster', 'ChangeNodeSpec', kafkaPlan({ broker: { nodeProductCode: BIG, subnetNo: 2, storageSizeGB: 100 } })],
  ['KafkaCluster', 'EnableBrokerPublicEndpoint', kafkaPlan({ publicAccess: { brokers: { enabled: true, loadBalancerInstanceNo: '9' } } })],
  [
    'KafkaCluster',
    'DisableBrokerPublicEndpoint',
    kafkaPlan({ publicAccess: { brokers: { enabled: false } } }, { brokerPublicEndpoint: true }),
  ],
  ['KafkaCluster', 'SetManagerPublicDomain', kafkaPlan({ publicAccess: { manager: { enabled: true } } })],
  ['KafkaCluster', 'ResetPassword', kafkaPlan({}, {}, { passwordChanged: true })],
  ['KafkaConfigGroup', 'SetDescription', groupPlan({ description: 'orders' })],
  ['KafkaConfigGroup', 'SetConfig', groupPlan({ config: { 'log.retention.hours': 24 } })],
];

/** The expected answer, written out: [window, policy] → what a disruptive change waits for ('Nothing' = starts now). */
const disruptiveTable: Array<[WindowCase, PolicyCase, PendingChange['waitingFor']]> = [
  ['none', 'Automatic', 'Nothing'],
  ['open', 'Automatic', 'Nothing'],
  ['closed', 'Automatic', 'MaintenanceWindow'],
  ['none', 'Manual', 'Approval'],
  ['open', 'Manual', 'Approval'],
  ['closed', 'Manual', 'Approval'],
  ['none', 'Manual+approved', 'Nothing'],
  ['open', 'Manual+approved', 'Nothing'],
  ['closed', 'Manual+approved', 'MaintenanceWindow'],
];

const disruptive = new Set(['ScaleIn', 'Upgrade', 'ApplyConfigGroup', 'ChangeNodeSpec']);
const tables: Record<string, Record<string, { disruption: string }>> = {
  HadoopEcoCluster: hadoop.disruptions,
  KafkaCluster: kafka.disruptions,
  KafkaConfigGroup: group.disruptions,
};

describe('every change × window × policy', () => {
  it('the disruptive changes are exactly ScaleIn, Upgrade, ApplyConfigGroup and ChangeNodeSpec', () => {
    const classed = Object.values(tables).flatMap((t) =>
      Object.entries(t)
        .filter(([, r]) => r.disruption !== 'None')
        .map(([a]) => a),
    );
    expect(classed.sort()).toEqual([...disruptive, 'RemoveBrokers'].sort());
  });

  for (const [kind, action, planWith] of changes) {
    describe(`${kind} ${action}`, () => {
      it.each(disruptiveTable)('window %s, %s', (w, p, expectedIfDisruptive) => {
        // The change's id, from a first look: the gate names the change it holds by it.
        const id = planWith(gateFor(w, p)('')).changes!.pending[0]!.id;
        const plan = planWith(gateFor(w, p)(id));
        const waits = disruptive.has(action) ? expectedIfDisruptive : 'Nothing';
        expect(plan.changes?.pending).toEqual([
          expect.objectContaining({ id, action, waitingFor: waits, disruption: tables[kind]![action]!.disruption }),
        ]);
        if (waits === 'Nothing') {
          expect(plan.action.type).toBe(action);
        } else {
          expect(plan.action.type).toBe('Done');
          expect(plan.state.state).toBe('ready');
          expect(plan.state.message).toContain(`${action} ${id} waits for ${waits === 'Approval' ? 'approval' : 'the maintenance window'}`);
        }
        // A change held by a closed window says when it opens, also while it waits for approval.
        expect(plan.changes?.nextWindow?.toISOString()).toBe(waits !== 'Nothing' && w === 'closed' ? NEXT : undefined);
      });
    });
  }
});

describe('the gate', () => {
  const closedAutomatic = gateFor('closed', 'Automatic')('');

  it('a change that disturbs nobody goes ahead while a disruptive one before it waits', () => {
    // Upgrade comes before public access in the fixed order; it waits, the endpoint is enabled now.
    const p = kafkaPlan({
      kafkaVersionCode: 4003006,
      configGroupNo: 180,
      publicAccess: { brokers: { enabled: true, loadBalancerInstanceNo: '9' } },
    })(closedAutomatic);
    expect(p.action).toEqual({ type: 'EnableBrokerPublicEndpoint', loadBalancerInstanceNo: '9' });
    expect(p.changes?.pending.map((c) => [c.action, c.waitingFor])).toEqual([
      ['Upgrade', 'MaintenanceWindow'],
      ['EnableBrokerPublicEndpoint', 'Nothing'],
    ]);
  });

  it('what comes after the change that starts waits for the cloud, naming it', () => {
    const p = kafkaPlan({ brokerCount: 4, publicAccess: { manager: { enabled: true } } })(closedAutomatic);
    expect(p.action.type).toBe('AddBrokers');
    const [first, second] = p.changes!.pending;
    expect(second).toMatchObject({
      action: 'SetManagerPublicDomain',
      waitingFor: 'Cloud',
      message: `after ${first!.id}: adding 1 brokers (3 → 4)`,
    });
  });

  it('a change that cannot be made as asked holds what comes after it, and says Fix', () => {
    const p = kafkaPlan({ publicAccess: { manager: { enabled: true } } }, { brokerCount: 4 })(closedAutomatic);
    expect(p.action.type).toBe('Stall');
    expect(p.changes?.pending.map((c) => [c.action, c.disruption, c.waitingFor])).toEqual([
      ['RemoveBrokers', 'Destructive', 'Fix'],
      ['SetManagerPublicDomain', 'None', 'Fix'],
    ]);
  });

  it('a stall is reported even when the change it blocks would wait for the window', () => {
    const p = kafkaPlan(
      { kafkaVersionCode: 4003006, configGroupNo: 180 },
      {},
      { configGroup: { configGroupNo: 180, madeFor: '3903006' } },
    )(closedAutomatic);
    expect(p.state).toMatchObject({ state: 'stalled', reason: 'ConfigGroupVersionMismatch' });
    expect(p.changes?.pending[0]).toMatchObject({ action: 'Upgrade', waitingFor: 'Fix' });
  });

  it('while the cloud works, every change is listed and none starts; held ones still say what holds them', () => {
    const p = kafkaPlan({ brokerCount: 4, configGroupNo: 171 }, { status: 'changing' })(gateFor('closed', 'Automatic')(''));
    expect(p.action.type).toBe('Wait');
    expect(p.changes?.pending.map((c) => [c.action, c.waitingFor])).toEqual([
      ['AddBrokers', 'Cloud'],
      ['ApplyConfigGroup', 'MaintenanceWindow'],
    ]);
  });

  it('ObserveOnly lists nothing: it changes nothing', () => {
    expect(kafkaPlan({ brokerCount: 4, managementPolicy: 'ObserveOnly' })(closedAutomatic).changes).toBeUndefined();
  });
});

describe('a change under way', () => {
  const started: PendingChange = {
    id: 'si-1a2b3c',
    action: 'ScaleIn',
    from: '3 workers',
    to: '2 workers',
    disruption: 'DataMovement',
    waitingFor: 'Cloud',
    startedAt: '2026-12-05T05:59:00Z',
  };
  const busy: Plan<{ type: string }> = wait('Scaling', 'CloudBusy', 'Hadoop Eco reports Processing');
  const candidate = {
    action: 'ScaleIn',
    from: '3 workers',
    to: '2 workers',
    plan: act<{ type: string }>({ type: 'ScaleIn' }, 'Scaling', 'ScalingIn', 'x'),
  };

  it('is not held by the window that closed, nor by its approval leaving the annotation, while the cloud works', () => {
    const after = new Date('2026-12-05T06:30:00Z');
    for (const approvals of [[started.id], []]) {
      const gate: ChangeGate = { now: after, policy: 'Manual', window, approvals, generation: 7, previous: [started] };
      const p = planChanges([candidate], hadoop.disruptions, gate, done('Running', 'Running', 'ok'), busy);
      expect(p.action.type).toBe('Wait');
      expect(p.changes?.pending).toEqual([{ ...started, message: 'started 2026-12-05T05:59:00Z; waiting for the cloud to finish' }]);
      expect(p.changes?.nextWindow).toBeUndefined();
    }
  });

  it('while the cloud has not finished it (no busy status, the kind waits), the plan is its wait, never idle and Ready', () => {
    const gate: ChangeGate = { now: OPEN, policy: 'Automatic', approvals: [], generation: 7, previous: [started] };
    const cloudBusy: Plan<{ type: string }> = wait('Scaling', 'CloudBusy', 'scaling from 3 to 2 workers once the cloud allows it');
    const p = planChanges([{ ...candidate, plan: cloudBusy }], hadoop.disruptions, gate, done('Running', 'Running', 'ok'));
    expect(p.action.type).toBe('Wait');
    expect(p.state).toMatchObject({ state: 'reconciling', reason: 'CloudBusy' });
    expect(p.changes?.pending[0]).toMatchObject({ id: started.id, waitingFor: 'Cloud', startedAt: started.startedAt });
  });

  it('a change that cannot be made yet is never held: what blocks it shows, not the window', () => {
    const p = kafkaPlan(
      { configGroupNo: 171 },
      {},
      { configGroup: { pending: 'KafkaConfigGroup orders-cfg is not Ready yet' } },
    )(gateFor('closed', 'Manual')(''));
    expect(p.state).toMatchObject({ state: 'reconciling', reason: 'WaitingForConfigGroup' });
    expect(p.changes?.pending).toEqual([
      expect.objectContaining({ action: 'ApplyConfigGroup', waitingFor: 'Cloud', message: 'KafkaConfigGroup orders-cfg is not Ready yet' }),
    ]);
  });

  it('a plan made without the cloud’s numbers keeps the last list (nothing is taken for finished)', () => {
    const gate: ChangeGate = { now: OPEN, policy: 'Automatic', approvals: [], generation: 7, previous: [started] };
    const p = hadoop.plan({
      spec: hadoopSpec(2),
      clusterName: 'analytics',
      deleting: false,
      paused: false,
      clusterId: 'c-1',
      createRequested: false,
      deleteSent: false,
      observed: { id: 'c-1', name: 'analytics', status: 'Running', isScalable: true, workerCnt: null },
      gate,
    });
    expect(p.state.reason).toBe('Observing');
    expect(p.changes?.pending).toEqual([started]);
  });
});

describe('change ids and approvals', () => {
  const candidate = (to: string) => ({ action: 'ApplyConfigGroup', from: 'config group 170', to });

  it('an id is short, says the action, and depends on what the change is and the generation that asked for it', () => {
    const id = changeId(candidate('config group 171'), 7, []);
    expect(id).toMatch(/^acg-[0-9a-f]{6}$/);
    expect(changeId(candidate('config group 171'), 7, [])).toBe(id);
    expect(changeId(candidate('config group 172'), 7, [])).not.toBe(id);
    expect(changeId(candidate('config group 171'), 9, [])).not.toBe(id);
  });

  it('a change still planned keeps its id across unrelated edits (and its startedAt)', () => {
    const before = changeId(candidate('config group 171'), 7, []);
    const previous: PendingChange[] = [
      { id: before, ...candidate('config group 171'), disruption: 'Restart', waitingFor: 'Cloud', startedAt: '2026-12-05T03:00:00Z' },
    ];
    expect(changeId(candidate('config group 171'), 8, previous)).toBe(before);
    const p = planChanges<{ type: string }>(
      [{ ...candidate('config group 171'), plan: wait('Upgrading', 'RestartingBrokers', 'CDSS restarts the brokers') }],
      kafka.disruptions,
      { now: OPEN, policy: 'Automatic', approvals: [], generation: 8, previous },
      done('Running', 'Running', 'ok'),
    );
    expect(p.changes?.pending[0]).toMatchObject({ id: before, startedAt: '2026-12-05T03:00:00Z', waitingFor: 'Cloud' });
  });

  it('an edit that changes the plan makes the old approval match nothing: the new change waits for its own', () => {
    const apply = (to: string) => [
      { ...candidate(to), plan: act({ type: 'ApplyConfigGroup' }, 'Upgrading', 'ApplyingConfigGroup', 'apply') },
    ];
    const first = planChanges(
      apply('config group 171'),
      kafka.disruptions,
      { now: OPEN, policy: 'Manual', approvals: [], generation: 7, previous: [] },
      done('Running', 'Running', 'ok'),
    );
    const oldId = first.changes!.pending[0]!.id;
    const edited = planChanges(
      apply('config group 172'),
      kafka.disruptions,
      { now: OPEN, policy: 'Manual', approvals: [oldId], generation: 8, previous: first.changes!.pending },
      done('Running', 'Running', 'ok'),
    );
    expect(edited.action.type).toBe('Done');
    expect(edited.changes?.pending[0]?.id).not.toBe(oldId);
    expect(edited.changes?.pending[0]?.waitingFor).toBe('Approval');
    expect(edited.changes?.unmatchedApprovals).toEqual([oldId]);
  });

  it('an approval that started its change is used, not unmatched, while the annotation names it', () => {
    const started: PendingChange = {
      id: 'acg-1',
      ...candidate('config group 171'),
      disruption: 'Restart',
      waitingFor: 'Cloud',
      startedAt: 'x',
    };
    const gate = { now: OPEN, policy: 'Manual' as const, approvals: ['acg-1', 'typo'], generation: 8, previous: [started] };
    // The change finished: the kind lists nothing any more.
    const after = planChanges<{ type: string }>([], kafka.disruptions, gate, done('Running', 'Running', 'ok'));
    expect(after.changes).toMatchObject({ approvalsUsed: ['acg-1'], unmatchedApprovals: ['typo'] });
    // Remembered on later passes through status.approvalsUsed, forgotten once the annotation drops it.
    const later = planChanges<{ type: string }>(
      [],
      kafka.disruptions,
      { ...gate, previous: [], used: ['acg-1'] },
      done('Running', 'Running', 'ok'),
    );
    expect(later.changes?.approvalsUsed).toEqual(['acg-1']);
    const dropped = planChanges<{ type: string }>(
      [],
      kafka.disruptions,
      { ...gate, approvals: [], previous: [], used: ['acg-1'] },
      done('Running', 'Running', 'ok'),
    );
    expect(dropped.changes?.approvalsUsed).toBeUndefined();
  });

  it('an approval that started a change never starts the same change again when it comes back', () => {
    // The scale-in ran and left the list; someone scales back in the console: same change, same generation.
    const first = changeId(candidate('config group 171'), 7, []);
    const again = planChanges<{ type: string }>(
      [{ ...candidate('config group 171'), plan: act({ type: 'ApplyConfigGroup' }, 'Upgrading', 'ApplyingConfigGroup', 'apply') }],
      kafka.disruptions,
      { now: OPEN, policy: 'Manual', approvals: [first], generation: 7, previous: [], used: [first] },
      done('Running', 'Running', 'ok'),
    );
    expect(again.action.type).toBe('Done');
    expect(again.changes?.pending[0]).toMatchObject({ waitingFor: 'Approval' });
    expect(again.changes?.pending[0]?.id).not.toBe(first);
    expect(again.changes?.approvalsUsed).toEqual([first]);
  });

  it('the same change asked again after a revert needs a new approval', () => {
    const id7 = changeId(candidate('config group 171'), 7, []);
    // Reverted at generation 8 (no change listed), asked again at generation 9.
    expect(changeId(candidate('config group 171'), 9, [])).not.toBe(id7);
  });

  it('the annotation takes ids separated by commas or spaces', () => {
    expect(parseApprovals('acg-1a2b3c, u-4d5e6f  si-000000')).toEqual(['acg-1a2b3c', 'u-4d5e6f', 'si-000000']);
    expect(parseApprovals(undefined)).toEqual([]);
    expect(parseApprovals(' , ')).toEqual([]);
  });

  it('where the cloud says how long a change takes, it does not start too late to finish inside the window', () => {
    const timed = { ApplyConfigGroup: { ...kafka.disruptions.ApplyConfigGroup, minutes: 90 } };
    const apply = [
      {
        ...candidate('config group 171'),
        plan: act<{ type: string }>({ type: 'ApplyConfigGroup' }, 'Upgrading', 'ApplyingConfigGroup', 'apply'),
      },
    ];
    const at = (iso: string) =>
      planChanges(
        apply,
        timed,
        { now: new Date(iso), policy: 'Automatic', window, approvals: [], generation: 7, previous: [] },
        done('Running', 'Running', 'ok'),
      );
    // The window closes at 06:00: at 04:30 there are 90 minutes left, at 05:00 only 60.
    expect(at('2026-12-05T04:30:00Z').action.type).toBe('ApplyConfigGroup');
    const late = at('2026-12-05T05:00:00Z');
    expect(late.action.type).toBe('Done');
    expect(late.changes?.pending[0]).toMatchObject({
      waitingFor: 'MaintenanceWindow',
      message: expect.stringContaining('too late in the window open until 2026-12-05T06:00:00.000Z'),
    });
    expect(late.changes?.nextWindow?.toISOString()).toBe('2026-12-12T02:00:00.000Z');
  });

  it('a change the table does not know is a programming error, never silently let through', () => {
    expect(() =>
      planChanges<{ type: string }>(
        [{ action: 'Nope', to: 'x', plan: stall('Running', 'X', 'x') }],
        kafka.disruptions,
        undefined,
        done('Running', 'Running', 'ok'),
      ),
    ).toThrow('no disruption rule for Nope');
  });
});

describe('when to look again', () => {
  const cfg = { busySeconds: 15, steadySeconds: 300 };
  const held = (nextWindow: Date) => ({ ...done('Running', 'Running', 'ok'), changes: { pending: [], nextWindow } });

  it('one second after the window a change waits for opens, if that is sooner than the cadence', () => {
    const now = new Date('2026-12-05T01:58:00Z');
    expect(requeueSeconds(held(new Date('2026-12-05T02:00:00Z')), cfg, now, () => 0)).toBe(121);
    expect(requeueSeconds(held(new Date('2026-12-12T02:00:00Z')), cfg, now, () => 0)).toBe(300);
  });

  it('without a window, the cadence alone', () => {
    expect(requeueSeconds(done('Running', 'Running', 'ok'), cfg, new Date(), () => 0)).toBe(300);
    expect(requeueSeconds({ ...stall('Running', 'X', 'x') }, cfg, new Date())).toBeUndefined();
  });
});
