// The decisions every kind makes the same way, over the shared lifecycle words of
// clouds/lifecycle.ts: identity (create, recover our own interrupted create, a cluster that
// vanished) and deletion (delete once, from a stable state; release the finalizer only on proof of
// absence). A kind's plan.ts adds only its table for an observed cluster. Pure: unit-tested
// through each kind's plan tables.
import { isLive, type CloudLifecycle, type CloudRef } from '../../clouds/lifecycle.ts';
import { carriedChanges, type ChangeGate } from './changes.ts';
import { clusterWords, type CloudObjectWords } from './crd.ts';
import { act, done, pausedDeletionPlan, pausedPlan, release, stall, wait, type CoreAction, type Phase, type Plan } from './plan.ts';

/** The spec fields the shared decisions read. */
export interface PlannedSpec {
  managementPolicy: 'Manage' | 'ObserveOnly';
  deletionPolicy: 'Delete' | 'Retain';
}

/** What the core knows before a kind's own table speaks: the resource's flags and the cloud's answers. */
export interface ManagedPlanInput<Spec extends PlannedSpec, Observed> {
  spec: Spec;
  clusterName: string;
  /** How the kind names what it manages (default: a cluster, spec.clusterName / spec.clusterId). */
  words?: CloudObjectWords | undefined;
  /** The id comes from the spec (adoption), not from a create of ours. */
  adopting?: boolean | undefined;
  deleting: boolean;
  paused: boolean;
  /** The cloud id we know (spec.clusterId, the id annotation or status). */
  clusterId: string | undefined;
  /** The create-requested annotation is present (a create may have been sent). */
  createRequested: boolean;
  /** The cloud accepted our create without returning an id (CDSS G3): find it by name, never create again. */
  createAccepted?: boolean | undefined;
  /** The cluster of clusterId; null on proof that it does not exist; undefined when not looked up. */
  observed: Observed | null | undefined;
  /** Clusters with our exact name, looked up only to recover an interrupted create. */
  sameName?: CloudRef[] | undefined;
  /** Whether we sent a delete for this cluster (status.deleteRequestedAt). */
  deleteSent: boolean;
  /** The phase the last status reported. */
  previousPhase?: Phase | undefined;
  /** Which in-place changes may start now (changes.ts); without it every change may. */
  gate?: ChangeGate | undefined;
}

/** What a kind tells the shared decisions about its cloud. Its observation carries the cloud's own status word. */
export interface KindRules<I, A extends { type: string }, O extends { status: string }> {
  /** A reason the cloud object cannot be deleted yet (a config group in use), named in a Stalled condition. */
  deletionBlocked?(observed: O): string | undefined;
  /** How the cloud is named in messages: "Hadoop Eco", "CDSS". */
  cloud: string;
  /** The resource kind, for messages: "HadoopEcoCluster". */
  kind: string;
  lifecycle(observed: O): CloudLifecycle;
  /** The kind's table for an observed cluster while the resource is not being deleted. */
  planObserved(input: I, observed: O, lifecycle: CloudLifecycle): Plan<A>;
}

export function planManaged<
  S extends PlannedSpec,
  O extends { status: string },
  I extends ManagedPlanInput<S, O>,
  A extends { type: string },
>(input: I, rules: KindRules<I, A, O>): Plan<A | CoreAction> {
  if (input.paused) return input.deleting ? pausedDeletionPlan() : pausedPlan();
  if (input.deleting) return planDeletion(input, rules);
  if (input.clusterId === undefined) return planIdentity(input, rules);
  if (input.observed === null) {
    // A cluster that completed what it was for (a job cluster) may later vanish from the cloud
    // altogether, once its tombstone expires: that is the end it was made for, not a loss.
    if (input.previousPhase === 'Completed')
      return done('Completed', 'Completed', `the cluster completed; ${rules.cloud} has since removed it`, 'never');
    const { noun, idField } = wordsOf(input);
    if (input.adopting) {
      return stall('Failed', 'ClusterNotFound', `spec.${idField} ${input.clusterId} does not exist in ${rules.cloud}`);
    }
    return stall(
      'Failed',
      'ClusterGone',
      `${rules.cloud} ${noun} ${input.clusterId} no longer exists; delete and re-apply this ${rules.kind} to create a new one`,
    );
  }
  if (input.observed === undefined) return wait('Pending', 'Observing', `waiting to observe the ${wordsOf(input).noun}`);
  const lifecycle = rules.lifecycle(input.observed);
  const plan = rules.planObserved(input, input.observed, lifecycle);
  // A running (or changing) cluster's plan lists its changes; one that could not (the cloud did not
  // report what they are compared with) keeps the last list, so nothing listed is taken for
  // finished. Every kind, here once.
  const listing = input.spec.managementPolicy === 'Manage' && (lifecycle === 'running' || lifecycle === 'changing');
  if (!listing || plan.changes || !input.gate) return plan;
  return {
    ...plan,
    changes: carriedChanges({ pendingChanges: [...input.gate.previous], approvalsUsed: input.gate.used && [...input.gate.used] }),
  };
}

/** No cloud id yet: create, or recover the cluster of our own interrupted create (never a stranger's). */
function planIdentity<S extends PlannedSpec, O>(input: ManagedPlanInput<S, O>, rules: { cloud: string }): Plan<CoreAction> {
  const { noun, idField } = wordsOf(input);
  if (input.spec.managementPolicy !== 'Manage') {
    return stall(
      'Pending',
      'ClusterIdRequired',
      `managementPolicy ObserveOnly never creates a ${noun}: re-create this resource with spec.${idField} set to the ${noun} to observe`,
    );
  }
  if (input.createRequested) {
    const mine = (input.sameName ?? []).filter((c) => isLive(c.lifecycle));
    if (mine.length === 1) {
      return act(
        { type: 'Adopt', clusterId: mine[0]!.id },
        'Creating',
        'Creating',
        `recovering the interrupted create of ${input.clusterName}`,
      );
    }
    if (mine.length > 1) {
      return stall(
        'Failed',
        'AmbiguousCluster',
        `${mine.length} live ${noun}s are named ${input.clusterName}; re-create this resource with spec.${idField} set to the one it should manage`,
      );
    }
    if (input.createAccepted) {
      return wait('Creating', 'FindingCluster', `${rules.cloud} accepted the create of ${input.clusterName}; waiting for it to be listed`);
    }
  }
  return act({ type: 'Create' }, 'Creating', 'Creating', `creating ${noun} ${input.clusterName}`);
}

function wordsOf(input: { words?: CloudObjectWords | undefined }): CloudObjectWords {
  return input.words ?? clusterWords;
}

/**
 * Deletion: the cloud cluster is deleted once, from a stable state, and the finalizer goes only on
 * proof that it is gone (a confirmed absence or a tombstone), or when the policies leave it alone.
 */
function planDeletion<S extends PlannedSpec, O extends { status: string }, I extends ManagedPlanInput<S, O>>(
  input: I,
  rules: KindRules<I, { type: string }, O>,
): Plan<CoreAction> {
  const { spec, observed, clusterId } = input;
  const { noun } = wordsOf(input);
  const cloud = rules.cloud;
  if (spec.managementPolicy !== 'Manage') return release(`ObserveOnly: the ${cloud} ${noun} is left alone`);
  if (spec.deletionPolicy === 'Retain') return release(`deletionPolicy Retain: the ${cloud} ${noun} stays`);
  if (clusterId === undefined) {
    if (!input.createRequested) return release(`no ${cloud} ${noun} was created`);
    // A create may be in flight or may have landed: find it before letting go.
    const mine = (input.sameName ?? []).filter((c) => isLive(c.lifecycle));
    if (mine.length === 1) {
      return act(
        { type: 'Adopt', clusterId: mine[0]!.id },
        'Deleting',
        'Deleting',
        `found the ${noun} of an interrupted create; deleting it`,
      );
    }
    if (mine.length > 1) {
      return stall(
        'Deleting',
        'AmbiguousCluster',
        `${mine.length} live ${noun}s are named ${input.clusterName}; delete the right one by hand, then remove the finalizer`,
      );
    }
    if (input.createAccepted)
      return wait('Deleting', 'FindingCluster', `${cloud} accepted a create that is not listed yet; deleting it once it is`);
    return release(`no ${cloud} ${noun} was created`);
  }
  if (observed === null) return release(`the ${cloud} ${noun} is gone`);
  // Only a confirmed absence or a tombstone proves the cluster gone; an unobserved one is never released.
  if (observed === undefined) return wait('Deleting', 'Observing', `waiting to observe the ${noun} before deleting it`);
  const lifecycle = rules.lifecycle(observed);
  const word = observed.status;
  switch (lifecycle) {
    case 'deleted':
      return release(`${cloud} reports the ${noun} ${word}`);
    case 'deleting':
      return wait('Deleting', 'Deleting', `${cloud} reports ${word}`);
    case 'running':
    case 'failed': {
      const blocked = rules.deletionBlocked?.(observed);
      if (blocked !== undefined) return stallWithCadence(stall('Deleting', 'DeletionBlocked', blocked), 'steady');
      if (input.deleteSent) return wait('Deleting', 'Deleting', `delete sent; waiting for ${cloud} to start deleting`);
      // spec §7 (CDSS): whether a delete is accepted in `error` is unknown; try, and surface a refusal.
      return act({ type: 'Delete' }, 'Deleting', 'Deleting', `deleting ${cloud} ${noun} ${clusterId}`);
    }
    case 'creating':
    case 'changing':
    case 'unknown':
      return wait('Deleting', 'Deleting', `deleting once ${cloud} finishes ${word}`);
  }
}

/** A stall that only the world can lift (not a spec change): looked at again at `cadence`. */
function stallWithCadence<A extends { type: string }>(plan: Plan<A>, cadence: Plan<A>['cadence']): Plan<A> {
  return { ...plan, cadence };
}
