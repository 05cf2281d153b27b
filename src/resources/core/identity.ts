// Crash-safe identity (architecture §3), the one place that writes and reads the operator's own
// annotations: the create intent is recorded before the one non-idempotent call and the cloud id
// right after it, so a restart that finds intent but no id looks the name up and adopts its own
// cluster instead of creating a second one. The watch filter that ignores these annotations is
// built here too, from the same list.
import { ClusterNameTakenError } from '../../clouds/errors.ts';
import { specOrMetadataChangedExcept } from '../../runtime/controller.ts';
import { classify, TransientError } from '../../runtime/errors.ts';
import type { KubeObject } from '../../runtime/object.ts';
import { finalizerName, type ResourceStore } from './store.ts';
import { clusterWords, type CloudObjectWords } from './crd.ts';

export const identityAnnotations = {
  /** The cloud id of the cluster this resource manages. */
  clusterId: 'cdo.dev/cluster-id',
  /** `name@time` before a create call; `name@time accepted` once the cloud took a create that returned no id. */
  createRequested: 'cdo.dev/create-requested',
} as const;

/** Annotations only the operator writes: a change to them alone must not trigger a reconcile. */
export const ownAnnotations: readonly string[] = Object.values(identityAnnotations);

/**
 * The watch filter of every managed kind. The operator's own annotations and finalizer are not
 * changes: a pass that adds the finalizer and then has a create refused must not run again at
 * once and send the refused create a second time.
 */
export const managedWatchFilter = specOrMetadataChangedExcept({ annotations: ownAnnotations, finalizers: [finalizerName] });

const acceptedMarker = 'accepted';

const annotation = (obj: KubeObject, name: string) => obj.metadata.annotations?.[name];

export function hasCreateIntent(obj: KubeObject): boolean {
  return annotation(obj, identityAnnotations.createRequested) !== undefined;
}

/** The cloud took our create but returned no id (CDSS G3): the cluster must be found by name. */
export function createAccepted(obj: KubeObject): boolean {
  return annotation(obj, identityAnnotations.createRequested)?.endsWith(` ${acceptedMarker}`) ?? false;
}

/** The cloud id we know: spec.clusterId (adoption), else the id annotation, else status. */
export function knownClusterId(
  obj: KubeObject,
  specClusterId: string | undefined,
  statusClusterId: string | undefined,
): string | undefined {
  return specClusterId ?? annotation(obj, identityAnnotations.clusterId) ?? statusClusterId;
}

export interface CreateResult<Applied> {
  obj: KubeObject;
  clusterId: string | undefined;
  applied?: Applied | undefined;
}

/**
 * Sends the one create, at most once per intent. `call` returns the new id, or undefined when the
 * API returns none (CDSS G3): the id is then found by name on the next pass, as after a crash.
 */
export async function createOnce<Applied>(
  store: ResourceStore,
  obj: KubeObject,
  clusterName: string,
  call: () => Promise<{ id: string | undefined; applied?: Applied }>,
  noun: string,
  words: CloudObjectWords = clusterWords,
): Promise<CreateResult<Applied>> {
  // An intent from an earlier pass means an earlier create of ours may have landed.
  const earlierIntent = hasCreateIntent(obj);
  // The plan was made from the cache. The intent is written only onto the very object planned
  // from (its resourceVersion), so a cache lagging behind our own earlier intent or id cannot send
  // a second create; the finalizer rides on the same write, so whatever the create leaves in the
  // cloud, deleting this resource finds it.
  let current = await store.recordIntent(obj, { [identityAnnotations.createRequested]: `${clusterName}@${new Date().toISOString()}` });
  let result: { id: string | undefined; applied?: Applied };
  try {
    result = await call();
  } catch (err) {
    if (classify(err) === 'transient') throw err; // outcome unknown: keep the intent for the lookup
    const taken = err instanceof ClusterNameTakenError;
    if (earlierIntent && taken) {
      // Most likely our own earlier create, not yet listed when we looked: keep the intent and
      // look again soon, rather than forget it and strand (or later leak) our own cluster.
      throw new TransientError(
        'CreateMayHaveLanded',
        `the cloud says a cluster named ${clusterName} exists; an earlier create of ours may have landed, looking it up by name`,
        { cause: err },
      );
    }
    // A definite refusal of our first attempt created nothing: drop the intent so a later pass
    // cannot adopt a stranger's cluster by name.
    if (!earlierIntent) await store.annotate(current, { [identityAnnotations.createRequested]: null });
    if (taken) {
      throw new ClusterNameTakenError(
        clusterName,
        `a live ${noun} named ${clusterName} already exists (${err.message}); to adopt it, re-create this resource with spec.${words.idField} set to it; ` +
          `otherwise re-create it with another spec.${words.nameField}`,
      );
    }
    throw err;
  }
  // No id returned: mark the create accepted, so a lookup that does not list the new cluster yet
  // makes the plan wait instead of sending a second create.
  current = await store.annotate(
    current,
    result.id !== undefined
      ? { [identityAnnotations.clusterId]: result.id }
      : { [identityAnnotations.createRequested]: `${clusterName}@${new Date().toISOString()} ${acceptedMarker}` },
  );
  return { obj: current, clusterId: result.id, applied: result.applied };
}

/** Records the id of our own interrupted create, found by name. */
export function adoptOwn(store: ResourceStore, obj: KubeObject, clusterId: string): Promise<KubeObject> {
  return store.annotate(obj, { [identityAnnotations.clusterId]: clusterId });
}
