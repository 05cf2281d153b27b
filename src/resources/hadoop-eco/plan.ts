// The HadoopEcoCluster state machine, as one pure function: (what the resource asks, what the
// cloud reports) → the one thing to do now, and how to describe the cluster meanwhile. Identity
// and deletion are the core's shared decisions (core/plan.ts); this file holds the table for an
// observed cluster. Unit-tested over every cloud status × spec change
// (test/unit/resources/hadoop-eco/plan.test.ts).
import { classifyClusterStatus, hadoopEcoLifecycle } from '../../clouds/kakaocloud/status.ts';
import type { ClusterDetail } from '../../clouds/kakaocloud/types.ts';
import type { CloudLifecycle } from '../../clouds/lifecycle.ts';
import { planChanges, type Candidate, type DisruptionTable } from '../core/changes.ts';
import { planManaged, type ManagedPlanInput } from '../core/managed-plan.ts';
import { act, done, drifted, stall, wait, type CoreAction, type Plan as PlanOf } from '../core/plan.ts';
import type { HadoopEcoSpec } from './schema.ts';

export type Action = CoreAction | { type: 'ScaleOut'; count: number } | { type: 'ScaleIn'; count: number };

/**
 * What each change does to the people using the cluster (docs/changing-safely.md mirrors this).
 * Neither KakaoCloud document gives a duration for a scale, so no change is held back for time.
 */
export const disruptions: DisruptionTable<'ScaleOut' | 'ScaleIn'> = {
  ScaleOut: {
    disruption: 'None',
    why: 'adds worker nodes of the same spec; running work is not touched',
    source: 'kakaocloud-hadoop-eco-api §2.6 (scale-out adds workers; flavor and volume are the worker spec)',
  },
  ScaleIn: {
    disruption: 'DataMovement',
    why: 'the service picks the workers to remove: their HDFS blocks are re-replicated and their YARN containers killed',
    source:
      'kakaocloud-hadoop-eco-api §2.7 (remaining workers ≥ hdfs.replication; the service chooses the nodes [INF]); seed 003 "클러스터 축소"',
  },
};

export type Plan = PlanOf<Action>;

export type PlanInput = ManagedPlanInput<HadoopEcoSpec, ClusterDetail>;

export function plan(input: PlanInput): Plan {
  return planManaged(input, { cloud: 'Hadoop Eco', kind: 'HadoopEcoCluster', lifecycle: hadoopEcoLifecycle, planObserved });
}

function planObserved(input: PlanInput, observed: ClusterDetail, lifecycle: CloudLifecycle): Plan {
  switch (lifecycle) {
    case 'running':
      return planRunning(input, observed);
    case 'deleted':
      return planTerminated(input, observed);
    case 'deleting':
      return wait('Deleting', 'Terminating', `Hadoop Eco reports ${observed.status}`);
    case 'changing': {
      const busy = wait('Running', 'CloudBusy', `Hadoop Eco reports ${observed.status}`);
      const workers = observed.workerCnt;
      if (input.spec.managementPolicy !== 'Manage' || workers == null) return busy;
      return planChanges(changesOf(input, observed, workers), disruptions, input.gate, busy, busy);
    }
    // Hadoop Eco has no failed-but-alive or unknown word: an unknown one is in progress (spec §3.2).
    case 'creating':
    case 'failed':
    case 'unknown':
      return wait('Creating', 'CloudBusy', `Hadoop Eco reports ${observed.status}`);
  }
}

function planRunning(input: PlanInput, observed: ClusterDetail): Plan {
  const { spec } = input;
  // A Running answer without a worker count cannot be scaled from: delta would be a guess.
  if (observed.workerCnt === null || observed.workerCnt === undefined)
    return wait('Running', 'Observing', 'Hadoop Eco did not report a worker count');
  const workers = observed.workerCnt;
  const wanted = spec.workerCount;
  if (wanted !== workers && spec.managementPolicy !== 'Manage')
    return drifted(`spec asks for ${wanted} workers, the cloud has ${workers}; ObserveOnly does not scale`);
  return planChanges(
    changesOf(input, observed, workers),
    disruptions,
    input.gate,
    done('Running', 'Running', `cluster is Running with ${workers} workers`),
  );
}

/** The one change a Hadoop Eco cluster can have: its worker count, out or in. */
function changesOf(input: PlanInput, observed: ClusterDetail, workers: number): Candidate<Action>[] {
  const wanted = input.spec.workerCount;
  if (wanted === workers) return [];
  const change = { action: wanted > workers ? 'ScaleOut' : 'ScaleIn', from: `${workers} workers`, to: `${wanted} workers` };
  // Only from a stable cloud state: isScalable is the service's own answer (spec §3.2).
  if (observed.isScalable !== true)
    return [
      {
        ...change,
        plan: wait('Scaling', 'CloudBusy', `scaling from ${workers} to ${wanted} workers once the cloud allows it (isScalable is false)`),
      },
    ];
  if (wanted > workers) {
    const plan = act<Action>(
      { type: 'ScaleOut', count: wanted - workers },
      'Scaling',
      'ScalingOut',
      `adding ${wanted - workers} workers (${workers} → ${wanted})`,
    );
    return [{ ...change, plan }];
  }
  // Never below hdfsReplication (admission enforces it too; the cloud's own replication wins).
  const replication = observed.config?.hdfsReplication ?? input.spec.hdfs.replication;
  if (wanted < replication) {
    const plan = stall(
      'Running',
      'BelowReplication',
      `workerCount ${wanted} is below hdfs replication ${replication}; the cluster keeps ${workers} workers`,
    );
    return [{ ...change, plan }];
  }
  const plan = act<Action>(
    { type: 'ScaleIn', count: workers - wanted },
    'Scaling',
    'ScalingIn',
    `removing ${workers - wanted} workers (${workers} → ${wanted})`,
  );
  return [{ ...change, plan }];
}

/** A tombstone: a job cluster that ended by its own policy is Completed, any other end is reported, never recreated. */
function planTerminated(input: PlanInput, observed: ClusterDetail): Plan {
  const task = input.spec.userTask;
  const by = classifyClusterStatus(observed.status).terminatedBy;
  if (by === 'user-command' && task && task.terminationPolicy !== 'never') {
    const message = `the job ran and the cluster ended itself (${observed.status}, terminationPolicy ${task.terminationPolicy})`;
    return done('Completed', 'JobCompleted', message, 'never');
  }
  // spec §3.2: every reason but the user's own (user, user command) is a failure, an unknown one too.
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
    `cluster ${observed.name} was terminated outside the operator (${observed.status}). ` +
      'The operator does not recreate it on its own: delete and re-apply this HadoopEcoCluster to create a new one',
  );
}
