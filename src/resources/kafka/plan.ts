// The KafkaCluster state machine, as one pure function (the same shape as HadoopEcoCluster's):
// (what the resource asks, what CDSS reports) → the one thing to do now and how to describe the
// cluster meanwhile. Identity and deletion are the core's shared decisions (core/plan.ts); this
// file holds the table for an observed cluster. Unit-tested over every CDSS status × spec change.
import { cdssLifecycle } from '../../clouds/ncloud/status.ts';
import type { CloudLifecycle } from '../../clouds/lifecycle.ts';
import { planManaged, type ManagedPlanInput } from '../core/managed-plan.ts';
import { act, done, drifted, stall, wait, type CoreAction, type Plan as PlanOf } from '../core/plan.ts';
import type { KafkaSpec } from './schema.ts';

/** What the reconciler observed of the cloud cluster, in the plan's terms. */
export interface CdssObservation {
  status: string;
  kafkaVersionCode: string | undefined;
  configGroupNo: number | undefined;
  brokerCount: number | undefined;
}

export type Action =
  | CoreAction
  | { type: 'AddBrokers'; count: number }
  | { type: 'Upgrade'; kafkaVersionCode: number; configGroupNo: number }
  | { type: 'ResetPassword' };

export type Plan = PlanOf<Action>;

export interface PlanInput extends ManagedPlanInput<KafkaSpec, CdssObservation> {
  /** A rolling upgrade we started and have not yet seen finish. */
  upgradeInFlight: boolean;
  /** The manager password Secret differs from the one last applied. */
  passwordChanged: boolean;
}

export function plan(input: PlanInput): Plan {
  return planManaged(input, {
    cloud: 'CDSS',
    kind: 'KafkaCluster',
    lifecycle: (o: CdssObservation) => cdssLifecycle(o.status),
    planObserved,
  });
}

function planObserved(input: PlanInput, observed: CdssObservation, lifecycle: CloudLifecycle): Plan {
  switch (lifecycle) {
    case 'creating':
      return wait('Creating', 'CloudBusy', 'CDSS reports creating');
    case 'changing':
      return input.upgradeInFlight
        ? wait('Upgrading', 'Upgrading', 'rolling upgrade in progress (CDSS reports changing)')
        : wait('Scaling', 'CloudBusy', 'CDSS reports changing');
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
  const { spec } = input;
  const brokers = o.brokerCount;
  if (brokers === undefined || o.kafkaVersionCode === undefined)
    return wait('Running', 'Observing', 'CDSS did not report the broker count or version');
  const wantedVersion = String(spec.kafkaVersionCode);
  const drift: string[] = [];
  if (spec.brokerCount !== brokers) drift.push(`spec asks for ${spec.brokerCount} brokers, CDSS has ${brokers}`);
  if (wantedVersion !== o.kafkaVersionCode) drift.push(`spec asks for Kafka version ${wantedVersion}, CDSS runs ${o.kafkaVersionCode}`);
  else if (o.configGroupNo !== undefined && spec.configGroupNo !== o.configGroupNo) {
    drift.push(`spec asks for config group ${spec.configGroupNo}, CDSS uses ${o.configGroupNo}`);
  }
  if (spec.managementPolicy !== 'Manage')
    return drift.length ? drifted(`${drift.join('; ')}; ObserveOnly changes nothing`) : ready(brokers, o);
  // One change per pass, only from running, in a fixed order: brokers, version, password.
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
  if (wantedVersion !== o.kafkaVersionCode) {
    // Forward or not is CDSS's call (it answers 10153), not a parse of version codes (spec §5.10).
    return act(
      { type: 'Upgrade', kafkaVersionCode: spec.kafkaVersionCode, configGroupNo: spec.configGroupNo },
      'Upgrading',
      'Upgrading',
      `rolling upgrade from ${o.kafkaVersionCode} to ${wantedVersion} (config group ${spec.configGroupNo})`,
    );
  }
  if (o.configGroupNo !== undefined && spec.configGroupNo !== o.configGroupNo) {
    return stall(
      'Running',
      'ConfigGroupMismatch',
      `CDSS uses config group ${o.configGroupNo} but spec asks for ${spec.configGroupNo}; a config group changes only with a version upgrade`,
    );
  }
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
