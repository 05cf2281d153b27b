// The KafkaCluster state machine, as one pure function (the same shape as HadoopEcoCluster's):
// (what the resource asks, what CDSS reports) → the one thing to do now and how to describe the
// cluster meanwhile. Identity and deletion are the core's shared decisions (core/plan.ts); this
// file holds the table for an observed cluster, and plan-changes.ts the in-place changes of a
// running one. Unit-tested over every CDSS status × spec change.
import { cdssLifecycle } from '../../clouds/ncloud/status.ts';
import type { CloudLifecycle } from '../../clouds/lifecycle.ts';
import { planManaged, type ManagedPlanInput } from '../core/managed-plan.ts';
import { act, done, drifted, stall, wait, type CoreAction, type Phase, type Plan as PlanOf } from '../core/plan.ts';
import { driftOf, groupMismatch, planNodeSpec, planPublicAccess, type ChangeType } from './plan-changes.ts';
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
function waitForGroup(why: string, phase: Phase): Plan {
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
    case 'changing':
      return planChanging(input);
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
  const { spec, configGroup } = input;
  const brokers = o.brokerCount;
  if (brokers === undefined || o.kafkaVersionCode === undefined)
    return wait('Running', 'Observing', 'CDSS did not report the broker count or version');
  const wantedVersion = String(spec.kafkaVersionCode);
  if (spec.managementPolicy !== 'Manage') {
    const drift = driftOf(input, o, brokers);
    return drift.length ? drifted(`${drift.join('; ')}; ObserveOnly changes nothing`) : ready(brokers, o);
  }
  // One change per pass, only from running, in a fixed order: brokers, version, config group,
  // node spec, public access, password.
  if (spec.brokerCount > brokers) {
    const count = spec.brokerCount - brokers;
    return act({ type: 'AddBrokers', count }, 'Scaling', 'AddingBrokers', `adding ${count} brokers (${brokers} → ${spec.brokerCount})`);
  }
  if (spec.brokerCount < brokers) {
    return stall(
      'Running',
      'BrokerRemovalUnsupported',
      `spec asks for ${spec.brokerCount} brokers but CDSS has ${brokers} and cannot remove brokers`,
    );
  }
  if (configGroup.configGroupNo === undefined) return waitForGroup(configGroup.pending, 'Running');
  if (wantedVersion !== o.kafkaVersionCode) {
    // §5.15: the upgrade's target group must be one made for the target version.
    const mismatch = groupMismatch(configGroup, wantedVersion, 'Running');
    if (mismatch) return mismatch;
    // Forward or not is CDSS's call (it answers 10153), not a parse of version codes (spec §5.10).
    return act(
      { type: 'Upgrade', kafkaVersionCode: spec.kafkaVersionCode, configGroupNo: configGroup.configGroupNo },
      'Upgrading',
      'Upgrading',
      `rolling upgrade from ${o.kafkaVersionCode} to ${wantedVersion} (config group ${configGroup.configGroupNo})`,
    );
  } else if (o.configGroupNo !== undefined && configGroup.configGroupNo !== o.configGroupNo) {
    const mismatch = groupMismatch(configGroup, wantedVersion, 'Running');
    if (mismatch) return mismatch;
    // §5.18 G7: applied in place; CDSS restarts the cluster.
    return act(
      { type: 'ApplyConfigGroup', configGroupNo: configGroup.configGroupNo, kafkaVersionCode: wantedVersion },
      'Upgrading',
      'ApplyingConfigGroup',
      `applying config group ${configGroup.configGroupNo} in place of ${o.configGroupNo}; CDSS restarts the brokers`,
    );
  }
  const change = planNodeSpec(spec, o) ?? planPublicAccess(spec, o);
  if (change) return change;
  if (input.passwordChanged)
    return act(
      { type: 'ResetPassword' },
      'Running',
      'ResettingPassword',
      'the manager password Secret changed; resetting the password in CDSS',
    );
  return ready(brokers, o);
}

function ready(brokers: number, o: CdssObservation): Plan {
  return done('Running', 'Running', `running Kafka ${o.kafkaVersionCode} with ${brokers} brokers`);
}
