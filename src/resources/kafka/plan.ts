// The KafkaCluster state machine, as one pure function (the same shape as HadoopEcoCluster's):
// (what the resource asks, what CDSS reports) → the one thing to do now and how to describe the
// cluster meanwhile. Identity and deletion are the core's shared decisions (core/plan.ts); this
// file holds the table for an observed cluster, and plan-changes.ts the in-place changes of a
// running one. Unit-tested over every CDSS status × spec change.
import { cdssLifecycle } from '../../clouds/ncloud/status.ts';
import type { CloudLifecycle } from '../../clouds/lifecycle.ts';
import { planChanges, type Candidate, type DisruptionTable } from '../core/changes.ts';
import { planManaged, type ManagedPlanInput } from '../core/managed-plan.ts';
import type { PhaseOf } from '../core/phases.ts';
import { act, done, drifted, stall, wait, type CoreAction, type Plan as PlanOf } from '../core/plan.ts';
import { driftOf, groupMismatch, nodeSpecChange, publicAccessChanges, type ChangeType } from './plan-changes.ts';
import type { KafkaSpec } from './schema.ts';

/** A load balancer CDSS offers for the broker public endpoint (C18). */
export interface LoadBalancerChoice {
  loadBalancerInstanceNo: string;
  name?: string | undefined;
}

/** What the reconciler observed of the cloud cluster, in the plan's terms. */
export interface CdssObservation {
  status: string;
  kafkaVersionCode: string | undefined;
  configGroupNo: number | undefined;
  brokerCount: number | undefined;
  managerNodeProductCode?: string | undefined;
  brokerNodeProductCode?: string | undefined;
  /** C10: the node products CDSS allows changing to, per role; looked up only when the spec asks for another. */
  specChangeAllowed?: { manager: string[]; broker: string[] } | undefined;
  /** C13: whether the brokers have a public endpoint (its list is not empty, §6 #14); undefined when not known. */
  brokerPublicEndpoint?: boolean | undefined;
  /** C18: candidates, looked up only to choose one when the spec names none. */
  loadBalancers?: LoadBalancerChoice[] | undefined;
  /** C4 `isUsePublicDomain`, looked up only when spec.publicAccess.manager is set. */
  managerPublicDomain?: boolean | undefined;
}

/**
 * The config group the spec means, resolved once for the whole plan: spec.configGroupNo, or the
 * KafkaConfigGroup spec.configGroupRef names. Every decision about the group reads this.
 */
export type ResolvedConfigGroup =
  | {
      configGroupNo: number;
      /**
       * The kafkaVersionCode the group was made for, when known; null when CDSS lists no group of
       * that number for any version (it does not exist); undefined when not looked up.
       */
      madeFor?: string | null | undefined;
    }
  /** A referenced KafkaConfigGroup that cannot be used yet: missing, not Ready, or for another version. */
  | { configGroupNo?: undefined; pending: string };

export type Action =
  | CoreAction
  | { type: 'AddBrokers'; count: number }
  | { type: 'Upgrade'; kafkaVersionCode: number; configGroupNo: number }
  | { type: 'ApplyConfigGroup'; configGroupNo: number; kafkaVersionCode: string }
  | { type: 'ChangeNodeSpec'; managerNodeProductCode?: string; brokerNodeProductCode?: string }
  | { type: 'EnableBrokerPublicEndpoint'; loadBalancerInstanceNo: string }
  | { type: 'DisableBrokerPublicEndpoint' }
  | { type: 'SetManagerPublicDomain'; enabled: boolean }
  | { type: 'ResetPassword' };

export type Plan = PlanOf<Action>;

type ChangeName = Exclude<Action['type'], CoreAction['type']> | 'RemoveBrokers';

/**
 * What each change does to the people using the cluster (docs/changing-safely.md mirrors this).
 * CDSS publishes no duration for any of them (spec §3, "no SLA is published"), so none is held
 * back for time: a disruptive change starts anywhere inside the window.
 */
export const disruptions: DisruptionTable<ChangeName> = {
  AddBrokers: {
    disruption: 'None',
    why: 'new brokers join; existing partitions stay where they are (nothing rebalances them)',
    source: 'ncloud-cdss-api §5.8 (C8 adds brokers; existing partitions are not rebalanced [INF])',
  },
  RemoveBrokers: {
    disruption: 'Destructive',
    why: 'CDSS cannot remove brokers; the only way is deleting the cluster',
    source: 'ncloud-cdss-api §5.8 (scale-in is impossible; [TF] refuses it)',
  },
  Upgrade: {
    disruption: 'RollingRestart',
    why: 'brokers restart one by one on the new version; CDSS warns of possible data loss and brief interruptions',
    source: 'ncloud-cdss-api §5.15 (rules [DOC]); seed 000: "롤링 업그레이드 중 데이터 유실이나 간헐적인 순단이 발생할 수 있습니다"',
  },
  ApplyConfigGroup: {
    disruption: 'Restart',
    why: 'CDSS restarts the cluster to apply the group',
    source: 'ncloud-cdss-api §5.18 G7 ("the cluster restarts after application" [DOC])',
  },
  ChangeNodeSpec: {
    disruption: 'Restart',
    why: 'the manager and/or broker servers move to another server product, which restarts them',
    source: 'ncloud-cdss-api §5.9 C9 (server spec change; no document says it keeps the servers up, so a restart is assumed [INF])',
  },
  EnableBrokerPublicEndpoint: {
    disruption: 'None',
    why: 'adds a public listener through a load balancer; private listeners are untouched, and CDSS documents no broker restart [INF]',
    source: 'ncloud-cdss-api §5.14 C16',
  },
  DisableBrokerPublicEndpoint: {
    disruption: 'None',
    why: 'removes the public listener (clients using it lose it, as the spec asks); private listeners are untouched',
    source: 'ncloud-cdss-api §5.14 C17',
  },
  SetManagerPublicDomain: {
    disruption: 'None',
    why: 'switches public access to the manager UI (CMAK) only',
    source: 'ncloud-cdss-api §5.14 C19',
  },
  ResetPassword: {
    disruption: 'None',
    why: 'the manager UI (CMAK) password; Kafka clients do not use it',
    source: 'ncloud-cdss-api §5.13 C15',
  },
};

export interface PlanInput extends ManagedPlanInput<KafkaSpec, CdssObservation> {
  /** The config group the spec asks for (see ResolvedConfigGroup). */
  configGroup: ResolvedConfigGroup;
  /** A rolling upgrade we started and have not yet seen finish. */
  upgradeInFlight: boolean;
  /** Another change we started and have not yet seen finish (status.change). */
  changeInFlight?: ChangeType | undefined;
  /** The manager password Secret differs from the one last applied. */
  passwordChanged: boolean;
}

export function plan(input: PlanInput): Plan {
  const p = planManaged(input, {
    cloud: 'CDSS',
    kind: 'KafkaCluster',
    lifecycle: (o: CdssObservation) => cdssLifecycle(o.status),
    planObserved,
  });
  if (p.action.type !== 'Create') return p;
  if (input.configGroup.configGroupNo === undefined) return waitForGroup(input.configGroup.pending, 'Pending');
  // §5.2: a cluster's config group must be one made for its version; CDSS would refuse the create.
  return groupMismatch(input.configGroup, String(input.spec.kafkaVersionCode), 'Pending') ?? p;
}

/** The referenced KafkaConfigGroup is not usable yet; its change re-reconciles this cluster at once. */
function waitForGroup(why: string, phase: PhaseOf<'reconciling'>): Plan {
  return wait(phase, 'WaitingForConfigGroup', why, 'steady');
}

/** While CDSS reports changing: what we are waiting for, if it is our own change. */
function planChanging(input: PlanInput): Plan {
  if (input.upgradeInFlight) return wait('Upgrading', 'Upgrading', 'rolling upgrade in progress (CDSS reports changing)');
  switch (input.changeInFlight) {
    case 'ApplyConfigGroup':
      // §5.18 G7: "the cluster restarts after application".
      return wait('Upgrading', 'RestartingBrokers', 'CDSS restarts the brokers to apply the config group (CDSS reports changing)');
    case 'ChangeNodeSpec':
      return wait('Scaling', 'ChangingNodeSpec', 'CDSS changes the node spec (CDSS reports changing)');
    case 'EnableBrokerPublicEndpoint':
    case 'DisableBrokerPublicEndpoint':
    case 'SetManagerPublicDomain':
      return wait('Running', 'ChangingPublicAccess', 'CDSS changes the public access (CDSS reports changing)');
    case undefined:
      return wait('Scaling', 'CloudBusy', 'CDSS reports changing');
  }
}

function planObserved(input: PlanInput, observed: CdssObservation, lifecycle: CloudLifecycle): Plan {
  switch (lifecycle) {
    case 'creating':
      return wait('Creating', 'CloudBusy', 'CDSS reports creating');
    case 'changing': {
      const busy = planChanging(input);
      const known = observed.brokerCount !== undefined && observed.kafkaVersionCode !== undefined;
      if (input.spec.managementPolicy !== 'Manage' || !known) return busy;
      return planChanges(changesOf(input, observed, observed.brokerCount!), disruptions, input.gate, busy, busy);
    }
    case 'running':
      return planRunning(input, observed);
    case 'failed':
      return stall(
        'Failed',
        'ClusterError',
        'CDSS reports the cluster in error; check it in the NAVER Cloud console. Deleting this resource deletes the cluster (deletionPolicy permitting)',
      );
    case 'deleting':
    case 'deleted':
      return stall(
        'Failed',
        'ClusterDeletedOutside',
        `the cluster was deleted outside the operator (CDSS reports ${observed.status}). ` +
          'The operator does not recreate it on its own: delete and re-apply this KafkaCluster to create a new one',
      );
    case 'unknown':
      return wait('Pending', 'CloudBusy', `CDSS reports an unknown status ${observed.status}`);
  }
}

function planRunning(input: PlanInput, o: CdssObservation): Plan {
  const brokers = o.brokerCount;
  if (brokers === undefined || o.kafkaVersionCode === undefined)
    return wait('Running', 'Observing', 'CDSS did not report the broker count or version');
  if (input.spec.managementPolicy !== 'Manage') {
    const drift = driftOf(input, o, brokers);
    return drift.length ? drifted(`${drift.join('; ')}; ObserveOnly changes nothing`) : ready(brokers, o);
  }
  return planChanges(changesOf(input, o, brokers), disruptions, input.gate, ready(brokers, o));
}

/**
 * Every change the spec asks of a running cluster, in a fixed order: brokers, version, config
 * group, node spec, public access, password. Each comes with the plan that makes it, or the stall
 * or wait that says why it cannot be made as asked (which holds the ones after it).
 */
function changesOf(input: PlanInput, o: CdssObservation, brokers: number): Candidate<Action>[] {
  const { spec, configGroup } = input;
  const out: Candidate<Action>[] = [];
  const brokerChange = { from: `${brokers} brokers`, to: `${spec.brokerCount} brokers` };
  if (spec.brokerCount > brokers) {
    const count = spec.brokerCount - brokers;
    const plan = act<Action>(
      { type: 'AddBrokers', count },
      'Scaling',
      'AddingBrokers',
      `adding ${count} brokers (${brokers} → ${spec.brokerCount})`,
    );
    out.push({ action: 'AddBrokers', ...brokerChange, plan });
  } else if (spec.brokerCount < brokers) {
    const plan = stall(
      'Running',
      'BrokerRemovalUnsupported',
      `spec asks for ${spec.brokerCount} brokers but CDSS has ${brokers} and cannot remove brokers`,
    );
    out.push({ action: 'RemoveBrokers', ...brokerChange, plan });
  }
  const wantedVersion = String(spec.kafkaVersionCode);
  const group = configGroup.configGroupNo;
  if (wantedVersion !== o.kafkaVersionCode) {
    const to = `Kafka ${wantedVersion}${group !== undefined ? ` (config group ${group})` : ''}`;
    const change = { action: 'Upgrade', from: `Kafka ${o.kafkaVersionCode}`, to };
    if (group === undefined) out.push({ ...change, plan: waitForGroup(configGroup.pending, 'Running') });
    else {
      // §5.15: the upgrade's target group must be one made for the target version.
      // Forward or not is CDSS's call (it answers 10153), not a parse of version codes (spec §5.10).
      const plan =
        groupMismatch({ ...configGroup, configGroupNo: group }, wantedVersion, 'Running') ??
        act<Action>(
          { type: 'Upgrade', kafkaVersionCode: spec.kafkaVersionCode, configGroupNo: group },
          'Upgrading',
          'Upgrading',
          `rolling upgrade from ${o.kafkaVersionCode} to ${wantedVersion} (config group ${group})`,
        );
      out.push({ ...change, plan });
    }
  } else if (group === undefined) {
    const pending = configGroup as { pending: string };
    out.push({
      action: 'ApplyConfigGroup',
      from: `config group ${o.configGroupNo ?? 'unknown'}`,
      to: 'a config group not usable yet',
      plan: waitForGroup(pending.pending, 'Running'),
    });
  } else if (o.configGroupNo !== undefined && group !== o.configGroupNo) {
    // §5.18 G7: applied in place; CDSS restarts the cluster.
    const plan =
      groupMismatch({ ...configGroup, configGroupNo: group }, wantedVersion, 'Running') ??
      act<Action>(
        { type: 'ApplyConfigGroup', configGroupNo: group, kafkaVersionCode: wantedVersion },
        'Upgrading',
        'ApplyingConfigGroup',
        `applying config group ${group} in place of ${o.configGroupNo}; CDSS restarts the brokers`,
      );
    out.push({ action: 'ApplyConfigGroup', from: `config group ${o.configGroupNo}`, to: `config group ${group}`, plan });
  }
  const nodeSpec = nodeSpecChange(spec, o);
  if (nodeSpec) out.push(nodeSpec);
  out.push(...publicAccessChanges(spec, o));
  if (input.passwordChanged) {
    const plan = act<Action>(
      { type: 'ResetPassword' },
      'Running',
      'ResettingPassword',
      'the manager password Secret changed; resetting the password in CDSS',
    );
    out.push({
      action: 'ResetPassword',
      from: 'the password last applied',
      to: `the password in Secret ${spec.manager.passwordSecretRef.name}`,
      plan,
    });
  }
  return out;
}

function ready(brokers: number, o: CdssObservation): Plan {
  return done('Running', 'Running', `running Kafka ${o.kafkaVersionCode} with ${brokers} brokers`);
}
