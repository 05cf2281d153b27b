// The identity and teardown steps every kind carries out the same way (architecture §3):
// crash-safe create, adoption of our own interrupted create, and releasing the finalizer.
import type { Logger } from 'pino';
import { classify, TransientError } from '../../runtime/errors.ts';
import type { EventRecorder } from '../../runtime/events.ts';
import { removeFinalizer } from '../../runtime/finalizer.ts';
import type { KubeClient, ResourceType } from '../../runtime/kube.ts';
import { kubeObjectSchema, type KubeObject } from '../../runtime/object.ts';
import { removeConnectionInfo } from './connection-info.ts';
import { annotate } from './reconcile.ts';
import { annotations, finalizerName } from './schema.ts';

/** Suffix of the create-requested annotation once the cloud accepted a create that returned no id. */
export const acceptedMarker = 'accepted';

export function createAccepted(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[annotations.createRequested]?.endsWith(` ${acceptedMarker}`) ?? false;
}

export interface LifecycleDeps {
  kube: KubeClient;
  recorder: EventRecorder;
  rt: ResourceType;
}

/**
 * Crash-safe create: the intent annotation is written before the call and the id annotation right
 * after it, so a restart that finds intent but no id looks the name up and adopts its own cluster
 * instead of creating a second one. `call` returns the new id, or undefined when the API returns
 * none (CDSS G3): the id is then found by name on the next pass, exactly as after a crash.
 */
export async function createCrashSafe(
  d: LifecycleDeps,
  obj: KubeObject,
  clusterName: string,
  call: () => Promise<string | undefined>,
  log: Logger,
  /** Recognises the cloud's "that name is taken" answer, where it has one. */
  nameTaken: (err: unknown) => boolean = () => false,
): Promise<{ obj: KubeObject; clusterId: string | undefined }> {
  // The plan was made from the cache. Before the one call that must never happen twice, read the
  // object itself: a cache lagging behind our own earlier intent or id annotation must not send a
  // second create.
  const fresh = await readFresh(d, obj);
  if (
    fresh.metadata.annotations?.[annotations.clusterId] !== undefined ||
    (fresh.metadata.annotations?.[annotations.createRequested] !== undefined) !==
      (obj.metadata.annotations?.[annotations.createRequested] !== undefined)
  ) {
    throw new TransientError('StaleCache', 'the cached object is behind the API server; planning again from fresh data');
  }
  // An intent from an earlier pass means an earlier create of ours may have landed.
  const earlierIntent = obj.metadata.annotations?.[annotations.createRequested] !== undefined;
  let current = await annotate(d.kube, d.rt, obj, { [annotations.createRequested]: `${clusterName}@${new Date().toISOString()}` });
  let id: string | undefined;
  try {
    id = await call();
  } catch (err) {
    if (classify(err) === 'transient') throw err; // outcome unknown: keep the intent for the lookup
    if (earlierIntent && nameTaken(err)) {
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
    if (!earlierIntent) await annotate(d.kube, d.rt, current, { [annotations.createRequested]: null });
    throw err;
  }
  // No id returned (CDSS G3): mark the create accepted, so a lookup that does not list the new
  // cluster yet makes the plan wait instead of sending a second create.
  current = await annotate(
    d.kube,
    d.rt,
    current,
    id !== undefined
      ? { [annotations.clusterId]: id }
      : { [annotations.createRequested]: `${clusterName}@${new Date().toISOString()} ${acceptedMarker}` },
  );
  log.info({ clusterId: id, clusterName }, 'cloud cluster create accepted');
  await d.recorder.record(d.rt, current, {
    type: 'Normal',
    reason: 'CreateRequested',
    action: 'Create',
    note: `creating cloud cluster ${clusterName}${id ? ` (${id})` : ''}`,
  });
  return { obj: current, clusterId: id };
}

async function readFresh(d: LifecycleDeps, obj: KubeObject): Promise<KubeObject> {
  const raw: unknown = await d.kube.customObjects.getNamespacedCustomObject({
    group: d.rt.group,
    version: d.rt.version,
    plural: d.rt.plural,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
  });
  return kubeObjectSchema.parse(raw);
}

/** Records the id of our own interrupted create, found by name. */
export async function adoptOwn(d: LifecycleDeps, obj: KubeObject, clusterId: string): Promise<KubeObject> {
  const updated = await annotate(d.kube, d.rt, obj, { [annotations.clusterId]: clusterId });
  await d.recorder.record(d.rt, obj, {
    type: 'Normal',
    reason: 'Adopted',
    action: 'Adopt',
    note: `recovered cluster ${clusterId} from an interrupted create`,
  });
  return updated;
}

/** The last step of a deletion: the connection-info ConfigMap goes, then our finalizer. */
export async function releaseFinalizer(
  d: LifecycleDeps,
  obj: KubeObject,
  connectionConfigMap: string | undefined,
  message: string,
): Promise<void> {
  if (connectionConfigMap) await removeConnectionInfo(d.kube, obj, connectionConfigMap);
  await removeFinalizer(d.kube, d.rt, obj, finalizerName);
  await d.recorder.record(d.rt, obj, { type: 'Normal', reason: 'Deleted', action: 'Delete', note: message });
}
