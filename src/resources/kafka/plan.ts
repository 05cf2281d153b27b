// The KafkaCluster state machine, as one pure function (the same shape as HadoopEcoCluster's):
// (what the resource asks, what CDSS reports) → the one thing to do now and how to describe the
// cluster meanwhile. Unit-tested over every CDSS status × spec change.
import { classifyClusterStatus } from '../../clouds/ncloud/status.ts';
import { act, pausedPlan, release, stall, wait, type Cadence, type Phase, type Plan as PlanOf } from '../common/plan.ts';
import type { KafkaSpec } from './schema.ts';

export type { Cadence, Phase };

/** What the reconciler observed of the cloud cluster, in the plan's terms. */
export interface CdssObservation {
  status: string;
  kafkaVersionCode: string | undefined;
  configGroupNo: number | undefined;
  brokerCount: number | undefined;
}

export type Action =
  | { type: 'Create' }
  | { type: 'Adopt'; clusterId: string }
  | { type: 'AddBrokers'; count: number }
  | { type: 'Upgrade'; kafkaVersionCode: number; configGroupNo: number }
  | { type: 'ResetPassword' }
  | { type: 'Delete' }
  | { type: 'ReleaseFinalizer' }
  | { type: 'Wait' }
  | { type: 'Done' }
  | { type: 'Stall' };

export type Plan = PlanOf<Action>;

export interface PlanInput {
  spec: KafkaSpec;
  clusterName: string;
  deleting: boolean;
  paused: boolean;
  clusterId: string | undefined;
  createRequested: boolean;
  /** getCluster: the cluster, null when CDSS does not know the id, undefined when not looked up. */
  observed: CdssObservation | null | undefined;
  /** Clusters with our exact name, looked up only to recover an interrupted create. */
  sameName?: Array<{ clusterId: string; status: string }> | undefined;
  deleteSent: boolean;
  /** The cloud accepted our create but returned no id (G3): it must be found by name, not re-created. */
  createAccepted?: boolean;
  /** A rolling upgrade we started and have not yet seen finish. */
  upgradeInFlight: boolean;
  /** The manager password Secret differs from the one last applied. */
  passwordChanged: boolean;
}

const live = (s: string) => !['return', 'deleting'].includes(classifyClusterStatus(s));

export function plan(input: PlanInput): Plan {
  const { spec, observed, clusterId } = input;
  if (input.paused) return pausedPlan();
  if (input.deleting) return planDeletion(input);

  if (clusterId === undefined) {
    if (spec.managementPolicy !== 'Manage')
      return stall(
        'Pending',
        'ClusterIdRequired',
        'managementPolicy ObserveOnly never creates a cluster: re-create this resource with spec.clusterId set to the cluster to observe',
      );
    if (input.createRequested) {
      const mine = (input.sameName ?? []).filter((c) => live(c.status));
      if (mine.length === 1)
        return act(
          { type: 'Adopt', clusterId: mine[0]!.clusterId },
          'Creating',
          'Creating',
          `recovering the interrupted create of ${input.clusterName}`,
        );
      if (mine.length > 1)
        return stall(
          'Failed',
          'AmbiguousCluster',
          `${mine.length} live clusters are named ${input.clusterName}; re-create this resource with spec.clusterId set to the one it should manage`,
        );
      if (input.createAccepted)
        return wait('Creating', 'FindingCluster', `CDSS accepted the create of ${input.clusterName}; waiting for it to be listed`);
    }
    return act({ type: 'Create' }, 'Creating', 'Creating', `creating cluster ${input.clusterName}`);
  }

  if (observed === null) {
    if (spec.clusterId !== undefined) return stall('Failed', 'ClusterNotFound', `spec.clusterId ${clusterId} does not exist in CDSS`);
    return stall(
      'Failed',
      'ClusterGone',
      `CDSS cluster ${clusterId} no longer exists; delete and re-apply this KafkaCluster to create a new one`,
    );
  }
  if (observed === undefined) return wait('Pending', 'Observing', 'waiting to observe the cluster');

  switch (classifyClusterStatus(observed.status)) {
    case 'creating':
      return wait('Creating', 'CloudBusy', 'CDSS reports creating');
    case 'changing':
      return input.upgradeInFlight
        ? wait('Upgrading', 'Upgrading', 'rolling upgrade in progress (CDSS reports changing)')
        : wait('Scaling', 'CloudBusy', 'CDSS reports changing');
    case 'running':
      return planRunning(input, observed);
    case 'error':
      return stall(
        'Failed',
        'ClusterError',
        'CDSS reports the cluster in error; check it in the NAVER Cloud console. Deleting this resource deletes the cluster (deletionPolicy permitting)',
      );
    case 'deleting':
    case 'return':
      return stall(
        'Failed',
        'ClusterDeletedOutside',
        `the cluster was deleted outside the operator (CDSS reports ${observed.status}). The operator does not recreate it on its own: delete and re-apply this KafkaCluster to create a new one`,
      );
    case 'unknown':
      return wait('Pending', 'CloudBusy', `CDSS reports an unknown status ${observed.status}`);
  }
}

function planRunning(input: PlanInput, o: CdssObservation): Plan {
  const { spec } = input;
  const manage = spec.managementPolicy === 'Manage';
  const brokers = o.brokerCount;
  if (brokers === undefined || o.kafkaVersionCode === undefined)
    return wait('Running', 'Observing', 'CDSS did not report the broker count or version');
  const wantedVersion = String(spec.kafkaVersionCode);
  const drift: string[] = [];
  if (spec.brokerCount !== brokers) drift.push(`spec asks for ${spec.brokerCount} brokers, CDSS has ${brokers}`);
  if (wantedVersion !== o.kafkaVersionCode) drift.push(`spec asks for Kafka version ${wantedVersion}, CDSS runs ${o.kafkaVersionCode}`);
  else if (o.configGroupNo !== undefined && spec.configGroupNo !== o.configGroupNo)
    drift.push(`spec asks for config group ${spec.configGroupNo}, CDSS uses ${o.configGroupNo}`);

  if (!manage) {
    if (drift.length)
      return {
        action: { type: 'Done' },
        phase: 'Running',
        state: { state: 'reconciling', reason: 'Drifted', message: `${drift.join('; ')}; ObserveOnly changes nothing` },
        cadence: 'steady',
      };
    return ready(brokers, o);
  }
  // One change per pass, only from running, in a fixed order: brokers, version, password.
  if (spec.brokerCount > brokers) {
    return act(
      { type: 'AddBrokers', count: spec.brokerCount - brokers },
      'Scaling',
      'AddingBrokers',
      `adding ${spec.brokerCount - brokers} brokers (${brokers} → ${spec.brokerCount})`,
    );
  }
  if (spec.brokerCount < brokers)
    return stall(
      'Running',
      'BrokerRemovalUnsupported',
      `spec asks for ${spec.brokerCount} brokers but CDSS has ${brokers} and cannot remove brokers`,
    );
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
  return {
    action: { type: 'Done' },
    phase: 'Running',
    state: { state: 'ready', reason: 'Running', message: `running Kafka ${o.kafkaVersionCode} with ${brokers} brokers` },
    cadence: 'steady',
  };
}

function planDeletion(input: PlanInput): Plan {
  const { spec, observed, clusterId } = input;
  if (spec.managementPolicy !== 'Manage') return release('ObserveOnly: the CDSS cluster is left alone');
  if (spec.deletionPolicy === 'Retain') return release('deletionPolicy Retain: the CDSS cluster keeps running');
  if (clusterId === undefined) {
    if (!input.createRequested) return release('no CDSS cluster was created');
    const mine = (input.sameName ?? []).filter((c) => live(c.status));
    if (mine.length === 1)
      return act(
        { type: 'Adopt', clusterId: mine[0]!.clusterId },
        'Deleting',
        'Deleting',
        'found the cluster of an interrupted create; deleting it',
      );
    if (mine.length === 0 && input.createAccepted)
      return wait('Deleting', 'FindingCluster', 'CDSS accepted a create that is not listed yet; deleting it once it is');
    if (mine.length === 0) return release('no CDSS cluster was created');
    return stall(
      'Deleting',
      'AmbiguousCluster',
      `${mine.length} live clusters are named ${input.clusterName}; delete the right one by hand, then remove the finalizer`,
    );
  }
  if (observed === null) return release('the CDSS cluster is gone');
  if (observed === undefined) return wait('Deleting', 'Observing', 'waiting to observe the cluster before deleting it');
  const cloud = classifyClusterStatus(observed.status);
  if (cloud === 'return') return release('CDSS reports the cluster returned (deleted)');
  if (cloud === 'deleting') return wait('Deleting', 'Deleting', 'CDSS reports deleting');
  if (input.deleteSent && (cloud === 'running' || cloud === 'error'))
    return wait('Deleting', 'Deleting', 'delete sent; waiting for CDSS to start deleting');
  // spec §7: whether CDSS accepts a delete in `error` is unknown; try, and surface a refusal.
  if (cloud === 'running' || cloud === 'error')
    return act({ type: 'Delete' }, 'Deleting', 'Deleting', `deleting CDSS cluster ${clusterId}`);
  return wait('Deleting', 'Deleting', `deleting once CDSS finishes ${observed.status}`);
}
