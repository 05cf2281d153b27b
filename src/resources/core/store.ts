// The narrow interface through which the managed core writes to the API server: the object's
// annotations, its finalizer, its status, its connection-info ConfigMap and its Events. The
// operator uses the Kubernetes implementation below; the component tests use an in-memory one
// (test/support/memory-store.ts), so a kind's reconciler runs for real without a control plane.
import type { EventInput, EventRecorder } from '../../runtime/events.ts';
import { TransientError, httpStatusOf } from '../../runtime/errors.ts';
import { addFinalizer, hasFinalizer, removeFinalizer } from '../../runtime/finalizer.ts';
import { objectPath, type KubeClient, type ResourceType } from '../../runtime/kube.ts';
import { kubeObjectSchema, type KubeObject } from '../../runtime/object.ts';
import { writeStatus } from '../../runtime/status.ts';
import { removeConnectionInfo, syncConnectionInfo } from './connection-info.ts';

/** The one finalizer every kind holds while the operator manages a cloud cluster. */
export const finalizerName = 'cdo.dev/finalizer';

export interface ResourceStore {
  /** Sets (string) or removes (null) annotations; returns the updated object. */
  annotate(obj: KubeObject, values: Record<string, string | null>): Promise<KubeObject>;
  /**
   * Sets annotations on the object exactly as `obj` has it, holding the operator's finalizer in the
   * same write; a StaleCache TransientError, writing nothing, if the object moved since `obj`.
   */
  recordIntent(obj: KubeObject, values: Record<string, string>): Promise<KubeObject>;
  /** Adds the operator's finalizer if missing; returns the object as it is now. */
  addFinalizer(obj: KubeObject): Promise<KubeObject>;
  removeFinalizer(obj: KubeObject): Promise<void>;
  /** Writes status when it differs from the object's; returns whether it wrote. */
  writeStatus(obj: KubeObject, status: unknown): Promise<boolean>;
  /** Makes the ConfigMap `name` hold exactly `data`, owned by `obj`. */
  publish(obj: KubeObject, name: string, data: Record<string, string>): Promise<void>;
  /** Deletes the ConfigMap `name` if `obj` owns it. */
  unpublish(obj: KubeObject, name: string): Promise<void>;
  event(obj: KubeObject, event: EventInput): Promise<void>;
}

export function kubeStore(kube: KubeClient, rt: ResourceType, recorder: EventRecorder): ResourceStore {
  const pathOf = (obj: KubeObject) => objectPath(rt, obj.metadata.namespace ?? '', obj.metadata.name);
  return {
    async annotate(obj, values) {
      return kubeObjectSchema.parse(await kube.patch(pathOf(obj), 'merge', { metadata: { annotations: values } }));
    },
    async recordIntent(obj, values) {
      // A merge patch replaces the finalizer list whole and carries the resourceVersion planned
      // from: the API server refuses it (409) if anything, a finalizer or our own id, moved since.
      const finalizers = hasFinalizer(obj, finalizerName) ? undefined : [...(obj.metadata.finalizers ?? []), finalizerName];
      const metadata = { resourceVersion: obj.metadata.resourceVersion, annotations: values, ...(finalizers ? { finalizers } : {}) };
      try {
        return kubeObjectSchema.parse(await kube.patch(pathOf(obj), 'merge', { metadata }));
      } catch (err) {
        if (httpStatusOf(err) === 409) throw staleCache(err);
        throw err;
      }
    },
    addFinalizer: (obj) => addFinalizer(kube, rt, obj, finalizerName),
    async removeFinalizer(obj) {
      await removeFinalizer(kube, rt, obj, finalizerName);
    },
    async writeStatus(obj, status) {
      return (await writeStatus(kube, rt, obj, status)) !== undefined;
    },
    async publish(obj, name, data) {
      await syncConnectionInfo(kube, rt, obj, name, data);
    },
    unpublish: (obj, name) => removeConnectionInfo(kube, obj, name),
    event: (obj, e) => recorder.record(rt, obj, e),
  };
}

/** The cache the plan was made from is behind the API server: plan again, never act on it. */
export function staleCache(cause?: unknown): TransientError {
  return new TransientError('StaleCache', 'the cached object is behind the API server; planning again from fresh data', { cause });
}
