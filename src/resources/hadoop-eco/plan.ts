// The HadoopEcoCluster state machine, as one pure function: (what the resource asks, what the
// cloud reports) → the one thing to do now, and how to describe the cluster meanwhile. No I/O:
// the reconciler gathers the inputs and carries out the decision. Unit-tested over every cloud
// status × spec change (test/unit/resources/hadoop-eco/plan.test.ts).
import { classifyClusterStatus } from '../../clouds/kakaocloud/status.ts';
import type { ClusterDetail, ClusterSummary } from '../../clouds/kakaocloud/types.ts';
import { act, pausedPlan, release, stall, wait, type Cadence, type Phase, type Plan as PlanOf } from '../common/plan.ts';
import type { HadoopEcoSpec } from './schema.ts';

export type { Cadence, Phase };

export type Action =
  | { type: 'Create' }
  | { type: 'Adopt'; clusterId: string }
  | { type: 'ScaleOut'; count: number }
  | { type: 'ScaleIn'; count: number }
  | { type: 'Delete' }
  | { type: 'ReleaseFinalizer' }
  | { type: 'Wait' }
  | { type: 'Done' }
  | { type: 'Stall' };

export type Plan = PlanOf<Action>;

export interface PlanInput {
  spec: HadoopEcoSpec;
  clusterName: string;
  deleting: boolean;
  paused: boolean;
  /** The cloud id we know (spec.clusterId, the id annotation or status). */
  clusterId: string | undefined;
  /** The create-requested annotation is present (a create may have been sent). */
  createRequested: boolean;
  /** GET of clusterId: the detail, null on 404, undefined when there was no id to look up. */
  observed: ClusterDetail | null | undefined;
  /** Live clusters with our exact name, looked up only to recover an interrupted create. */
  sameName?: ClusterSummary[] | undefined;
  /** Whether we sent a delete for this cluster (status phase was Deleting). */
  deleteSent: boolean;
}

export function plan(input: PlanInput): Plan {
  const { spec, observed, clusterId } = input;
  const manage = spec.managementPolicy === 'Manage';

  if (input.paused) return pausedPlan();

  if (input.deleting) return planDeletion(input);

  // No cloud cluster known yet.
  if (clusterId === undefined) {
    if (!manage)
      return stall(
        'Pending',
        'ClusterIdRequired',
        'managementPolicy ObserveOnly never creates a cluster: re-create this resource with spec.clusterId set to the cluster to observe',
      );
    if (input.createRequested) {
      const live = input.sameName ?? [];
      if (live.length === 1)
        return act(
          { type: 'Adopt', clusterId: live[0]!.id },
          'Creating',
          'Creating',
          `recovering the interrupted create of ${input.clusterName}`,
        );
      if (live.length > 1) {
        return stall(
          'Failed',
          'AmbiguousCluster',
          `${live.length} live clusters are named ${input.clusterName}; re-create this resource with spec.clusterId set to the one it should manage`,
        );
      }
    }
    return act({ type: 'Create' }, 'Creating', 'Creating', `creating cluster ${input.clusterName}`);
  }

  if (observed === null) {
    if (spec.clusterId !== undefined) return stall('Failed', 'ClusterNotFound', `spec.clusterId ${clusterId} does not exist in the cloud`);
    return stall(
      'Failed',
      'ClusterGone',
      `cloud cluster ${clusterId} no longer exists; delete and re-apply this HadoopEcoCluster to create a new one`,
    );
  }
  if (observed === undefined) return wait('Pending', 'Observing', 'waiting to observe the cluster');

  const cloud = classifyClusterStatus(observed.status);
  switch (cloud.kind) {
    case 'in-progress':
      return wait(observed.runningAt ? 'Running' : 'Creating', 'CloudBusy', `the cloud reports ${observed.status}`);
    case 'terminating':
      return wait('Deleting', 'Terminating', `the cloud reports ${observed.status}`);
    case 'terminated':
      return planTerminated(input, observed, cloud.terminatedBy);
    case 'running':
      return planRunning(input, observed);
  }
}

function planRunning(input: PlanInput, observed: ClusterDetail): Plan {
  const { spec } = input;
  // A Running answer without a worker count cannot be scaled from: delta would be a guess.
  if (observed.workerCnt === null || observed.workerCnt === undefined)
    return wait('Running', 'Observing', 'the cloud did not report a worker count');
  const workers = observed.workerCnt;
  const wanted = spec.workerCount;
  if (wanted === workers) {
    return {
      action: { type: 'Done' },
      phase: 'Running',
      state: { state: 'ready', reason: 'Running', message: `cluster is Running with ${workers} workers` },
      cadence: 'steady',
    };
  }
  if (spec.managementPolicy !== 'Manage') {
    return {
      action: { type: 'Done' },
      phase: 'Running',
      state: {
        state: 'reconciling',
        reason: 'Drifted',
        message: `spec asks for ${wanted} workers, the cloud has ${workers}; ObserveOnly does not scale`,
      },
      cadence: 'steady',
    };
  }
  // Only from a stable cloud state: isScalable is the service's own answer (spec §3.2).
  if (observed.isScalable !== true)
    return wait('Scaling', 'CloudBusy', `scaling from ${workers} to ${wanted} workers once the cloud allows it (isScalable is false)`);
  if (wanted > workers)
    return act(
      { type: 'ScaleOut', count: wanted - workers },
      'Scaling',
      'ScalingOut',
      `adding ${wanted - workers} workers (${workers} → ${wanted})`,
    );
  // Never below hdfsReplication (admission enforces it too; the cloud's own replication wins).
  const replication = observed.config?.hdfsReplication ?? spec.hdfs.replication;
  if (wanted < replication)
    return stall(
      'Running',
      'BelowReplication',
      `workerCount ${wanted} is below hdfs replication ${replication}; the cluster keeps ${workers} workers`,
    );
  return act(
    { type: 'ScaleIn', count: workers - wanted },
    'Scaling',
    'ScalingIn',
    `removing ${workers - wanted} workers (${workers} → ${wanted})`,
  );
}

function planTerminated(input: PlanInput, observed: ClusterDetail, by: string | undefined): Plan {
  const task = input.spec.userTask;
  if (by === 'user-command' && task && task.terminationPolicy !== 'never') {
    // A job cluster that ended by its own policy has done what it was for; it is never recreated.
    return {
      action: { type: 'Done' },
      phase: 'Completed',
      state: {
        state: 'ready',
        reason: 'JobCompleted',
        message: `the job ran and the cluster ended itself (${observed.status}, terminationPolicy ${task.terminationPolicy})`,
      },
      cadence: 'never',
    };
  }
  if (by === 'error' || by === 'other') {
    return stall(
      'Failed',
      'ClusterFailed',
      `the cloud ended the cluster: ${observed.status}. Delete and re-apply this HadoopEcoCluster to create a new one`,
    );
  }
  return stall(
    'Failed',
    'ClusterTerminatedOutside',
    `cluster ${observed.name} was terminated outside the operator (${observed.status}). The operator does not recreate it on its own: delete and re-apply this HadoopEcoCluster to create a new one`,
  );
}

function planDeletion(input: PlanInput): Plan {
  const { spec, observed, clusterId } = input;
  if (spec.managementPolicy !== 'Manage') return release('ObserveOnly: the cloud cluster is left alone');
  if (spec.deletionPolicy === 'Retain') return release('deletionPolicy Retain: the cloud cluster keeps running');
  if (clusterId === undefined && !input.createRequested) return release('no cloud cluster was created');
  if (clusterId === undefined) {
    // A create may be in flight or may have landed: find it before letting go.
    const live = input.sameName ?? [];
    if (live.length === 1)
      return act(
        { type: 'Adopt', clusterId: live[0]!.id },
        'Deleting',
        'Deleting',
        'found the cluster of an interrupted create; deleting it',
      );
    if (live.length === 0) return release('no cloud cluster was created');
    return stall(
      'Deleting',
      'AmbiguousCluster',
      `${live.length} live clusters are named ${input.clusterName}; delete the right one by hand, then remove the finalizer`,
    );
  }
  if (observed === null) return release('the cloud cluster is gone (404)');
  // Only a 404 or a Terminated* status proves the cluster gone; an unobserved one is never released.
  if (observed === undefined) return wait('Deleting', 'Observing', 'waiting to observe the cluster before deleting it');
  const cloud = classifyClusterStatus(observed.status);
  if (cloud.kind === 'terminated') return release(`the cloud cluster is ${observed.status}`);
  if (cloud.kind === 'terminating') return wait('Deleting', 'Deleting', `the cloud reports ${observed.status}`);
  if (input.deleteSent && cloud.kind === 'running')
    return wait('Deleting', 'Deleting', 'delete sent; waiting for the cloud to start terminating');
  if (cloud.kind === 'in-progress') return wait('Deleting', 'Deleting', `deleting once the cloud finishes ${observed.status}`);
  return act({ type: 'Delete' }, 'Deleting', 'Deleting', `deleting cloud cluster ${observed.name}`);
}
