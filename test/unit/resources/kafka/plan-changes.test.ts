// The in-place changes of a running KafkaCluster (plan-changes.ts), each decision whole: the node
// spec (C9 against C10), public access (C16/C17 brokers, C19 manager) and what ObserveOnly reports
// as drift. The plan tables (plan.test.ts) cover their order among the other changes.
import { describe, expect, it } from 'vitest';
import { driftOf, nodeSpecChange, publicAccessChanges } from '../../../../src/resources/kafka/plan-changes.ts';
import type { CdssObservation, PlanInput } from '../../../../src/resources/kafka/plan.ts';
import { kafkaSpecSchema, type KafkaSpec } from '../../../../src/resources/kafka/schema.ts';

const SMALL = 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002';
const BIG = 'SVR.VCDSS.STAND.C008.M032.NET.SSD.B050.G002';
const HUGE = 'SVR.VCDSS.STAND.C016.M064.NET.SSD.B050.G002';

function spec(
  o: { manager?: string; broker?: string; publicAccess?: unknown; brokerCount?: number; kafkaVersionCode?: number } = {},
): KafkaSpec {
  return kafkaSpecSchema.parse({
    kafkaVersionCode: o.kafkaVersionCode ?? 3903006,
    configGroupNo: 170,
    softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
    vpcNo: 1001,
    manager: { userName: 'admin', passwordSecretRef: { name: 'm', key: 'p' }, nodeProductCode: o.manager ?? SMALL, subnetNo: 1 },
    broker: { nodeProductCode: o.broker ?? SMALL, subnetNo: 2, storageSizeGB: 100 },
    brokerCount: o.brokerCount ?? 3,
    ...(o.publicAccess ? { publicAccess: o.publicAccess } : {}),
  });
}

function seen(over: Partial<CdssObservation> = {}): CdssObservation {
  return {
    status: 'running',
    kafkaVersionCode: '3903006',
    configGroupNo: 170,
    brokerCount: 3,
    managerNodeProductCode: SMALL,
    brokerNodeProductCode: SMALL,
    ...over,
  };
}

const planNodeSpec = (s: KafkaSpec, o: CdssObservation) => nodeSpecChange(s, o)?.plan;
const planPublicAccess = (s: KafkaSpec, o: CdssObservation) => publicAccessChanges(s, o)[0]?.plan;

describe('node spec (§5.9)', () => {
  it('is listed as a change from the codes CDSS reports to the spec’s, naming only the roles that change', () => {
    const c = nodeSpecChange(spec({ broker: BIG }), seen({ specChangeAllowed: { manager: [], broker: [BIG] } }));
    expect(c).toMatchObject({ action: 'ChangeNodeSpec', from: `brokers ${SMALL}`, to: `brokers ${BIG}` });
  });

  it('nothing to change, or a code CDSS does not report: no plan', () => {
    expect(planNodeSpec(spec(), seen())).toBeUndefined();
    expect(planNodeSpec(spec({ broker: BIG }), seen({ brokerNodeProductCode: undefined }))).toBeUndefined();
  });

  it('only the changed code is sent, and the message names each change', () => {
    const allowed = { manager: [BIG], broker: [BIG, HUGE] };
    expect(planNodeSpec(spec({ broker: BIG }), seen({ specChangeAllowed: allowed }))).toEqual({
      action: { type: 'ChangeNodeSpec', brokerNodeProductCode: BIG },
      phase: 'Scaling',
      state: { state: 'reconciling', reason: 'ChangingNodeSpec', message: `changing the node spec: brokers → ${BIG}` },
      cadence: 'busy',
    });
    expect(planNodeSpec(spec({ manager: BIG }), seen({ specChangeAllowed: allowed }))?.action).toEqual({
      type: 'ChangeNodeSpec',
      managerNodeProductCode: BIG,
    });
    expect(planNodeSpec(spec({ manager: BIG, broker: HUGE }), seen({ specChangeAllowed: allowed }))?.state.message).toBe(
      `changing the node spec: manager → ${BIG}, brokers → ${HUGE}`,
    );
  });

  it('a target CDSS does not offer stalls, listing what it offers per role (none when it lists nothing)', () => {
    const p = planNodeSpec(spec({ manager: HUGE, broker: HUGE }), seen({ specChangeAllowed: { manager: [BIG], broker: [] } }));
    expect(p).toEqual({
      action: { type: 'Stall' },
      phase: 'Running',
      state: {
        state: 'stalled',
        reason: 'NodeSpecChangeNotAllowed',
        message:
          `CDSS does not allow changing the manager to ${HUGE} (allowed: ${BIG}), nor the brokers to ${HUGE} (allowed: none); ` +
          'set spec.manager.nodeProductCode / spec.broker.nodeProductCode to an allowed product or back to the current one ' +
          '(CDSS refuses downgrades; G3 clusters list none)',
      },
      cadence: 'never',
    });
    // Not looked up at all reads as nothing allowed.
    expect(planNodeSpec(spec({ broker: BIG }), seen())?.state.reason).toBe('NodeSpecChangeNotAllowed');
  });
});

describe('public access (§5.14)', () => {
  const on = { brokers: { enabled: true } };
  it('unknown state, or as the spec asks: no plan', () => {
    expect(planPublicAccess(spec({ publicAccess: on }), seen())).toBeUndefined();
    expect(planPublicAccess(spec({ publicAccess: on }), seen({ brokerPublicEndpoint: true }))).toBeUndefined();
    expect(planPublicAccess(spec(), seen({ brokerPublicEndpoint: true, managerPublicDomain: true }))).toBeUndefined();
  });

  it('off: disabled without a load balancer', () => {
    expect(planPublicAccess(spec({ publicAccess: { brokers: { enabled: false } } }), seen({ brokerPublicEndpoint: true }))).toEqual({
      action: { type: 'DisableBrokerPublicEndpoint' },
      phase: 'Running',
      state: { state: 'reconciling', reason: 'ChangingPublicAccess', message: 'disabling the broker public endpoint' },
      cadence: 'busy',
    });
  });

  it('on: the spec’s load balancer, else the only candidate', () => {
    const named = spec({ publicAccess: { brokers: { enabled: true, loadBalancerInstanceNo: '77' } } });
    expect(planPublicAccess(named, seen({ brokerPublicEndpoint: false, loadBalancers: [{ loadBalancerInstanceNo: '5' }] }))).toEqual({
      action: { type: 'EnableBrokerPublicEndpoint', loadBalancerInstanceNo: '77' },
      phase: 'Running',
      state: {
        state: 'reconciling',
        reason: 'ChangingPublicAccess',
        message: 'enabling the broker public endpoint through load balancer 77',
      },
      cadence: 'busy',
    });
    const only = planPublicAccess(
      spec({ publicAccess: on }),
      seen({ brokerPublicEndpoint: false, loadBalancers: [{ loadBalancerInstanceNo: '5' }] }),
    );
    expect(only?.action).toEqual({ type: 'EnableBrokerPublicEndpoint', loadBalancerInstanceNo: '5' });
  });

  it('on without a choice: stalls, saying there is none or listing the candidates', () => {
    const none = planPublicAccess(spec({ publicAccess: on }), seen({ brokerPublicEndpoint: false }));
    expect(none).toEqual({
      action: { type: 'Stall' },
      phase: 'Running',
      state: {
        state: 'stalled',
        reason: 'LoadBalancerRequired',
        message:
          'the broker public endpoint needs a load balancer and CDSS offers none for this cluster: create one in the cluster’s VPC, ' +
          'then set spec.publicAccess.brokers.loadBalancerInstanceNo',
      },
      cadence: 'never',
    });
    const two = planPublicAccess(
      spec({ publicAccess: on }),
      seen({
        brokerPublicEndpoint: false,
        loadBalancers: [{ loadBalancerInstanceNo: '5', name: 'edge' }, { loadBalancerInstanceNo: '6' }],
      }),
    );
    expect(two?.state.message).toBe(
      'the broker public endpoint needs a load balancer and CDSS offers 2: 5 (edge), 6; set spec.publicAccess.brokers.loadBalancerInstanceNo to one of them',
    );
  });

  it('the manager public domain, on and off, once the brokers are as asked', () => {
    const act = (enabled: boolean) =>
      planPublicAccess(spec({ publicAccess: { manager: { enabled } } }), seen({ managerPublicDomain: !enabled }));
    expect(act(true)).toEqual({
      action: { type: 'SetManagerPublicDomain', enabled: true },
      phase: 'Running',
      state: { state: 'reconciling', reason: 'ChangingPublicAccess', message: 'enabling the manager public domain' },
      cadence: 'busy',
    });
    expect(act(false)?.state.message).toBe('disabling the manager public domain');
    expect(planPublicAccess(spec({ publicAccess: { manager: { enabled: true } } }), seen())).toBeUndefined();
  });
});

describe('ObserveOnly drift', () => {
  const input = (s: KafkaSpec): PlanInput => ({
    spec: s,
    configGroup: { configGroupNo: 170 },
    clusterName: 'events',
    deleting: false,
    paused: false,
    clusterId: '1',
    createRequested: false,
    observed: undefined,
    deleteSent: false,
    upgradeInFlight: false,
    passwordChanged: false,
  });

  it('names every difference in a fixed order, and nothing when there is none or CDSS does not say', () => {
    expect(driftOf(input(spec()), seen(), 3)).toEqual([]);
    expect(driftOf(input(spec({ publicAccess: { brokers: { enabled: true }, manager: { enabled: true } } })), seen(), 3)).toEqual([]);
    const s = spec({
      brokerCount: 4,
      manager: BIG,
      broker: HUGE,
      publicAccess: { brokers: { enabled: true }, manager: { enabled: false } },
    });
    expect(driftOf(input(s), seen({ brokerPublicEndpoint: false, managerPublicDomain: true }), 3)).toEqual([
      'spec asks for 4 brokers, CDSS has 3',
      `spec asks for manager node ${BIG}, CDSS has ${SMALL}`,
      `spec asks for broker nodes ${HUGE}, CDSS has ${SMALL}`,
      'spec asks for the broker public endpoint on, CDSS has it off',
      'spec asks for the manager public domain off, CDSS has it on',
    ]);
  });

  it('the version first; the config group only when the version matches', () => {
    expect(driftOf(input(spec({ kafkaVersionCode: 4003006 })), seen({ configGroupNo: 171 }), 3)).toEqual([
      'spec asks for Kafka version 4003006, CDSS runs 3903006',
    ]);
    expect(driftOf(input(spec()), seen({ configGroupNo: 171 }), 3)).toEqual(['spec asks for config group 170, CDSS uses 171']);
    expect(driftOf({ ...input(spec()), configGroup: { pending: 'waiting for KafkaConfigGroup x' } }, seen(), 3)).toEqual([
      'waiting for KafkaConfigGroup x',
    ]);
  });
});
