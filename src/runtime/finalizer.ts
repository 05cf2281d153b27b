// Adds and removes one finalizer with a JSON Patch whose `test` op pins what we saw, so a
// finalizer another controller added or removed in between is never clobbered: the patch fails
// with 422 instead, and the reconcile runs again on fresh data (kube-rs does the same).
import { objectPath, type KubeClient, type ResourceType } from './kube.ts';
import { kubeObjectSchema, type KubeObject } from './object.ts';

type JsonPatchOp = { op: 'test' | 'add' | 'remove'; path: string; value?: unknown };

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return obj.metadata.finalizers?.includes(finalizer) ?? false;
}

export function addFinalizerOps(obj: KubeObject, finalizer: string): JsonPatchOp[] | undefined {
  if (hasFinalizer(obj, finalizer)) return undefined;
  const current = obj.metadata.finalizers;
  if (!current || current.length === 0) {
    // `test … null` passes when the field is absent; an empty list is tested as it is.
    return [
      { op: 'test', path: '/metadata/finalizers', value: current ?? null },
      { op: 'add', path: '/metadata/finalizers', value: [finalizer] },
    ];
  }
  return [
    { op: 'test', path: '/metadata/finalizers', value: current },
    { op: 'add', path: '/metadata/finalizers/-', value: finalizer },
  ];
}

export function removeFinalizerOps(obj: KubeObject, finalizer: string): JsonPatchOp[] | undefined {
  const i = obj.metadata.finalizers?.indexOf(finalizer) ?? -1;
  if (i < 0) return undefined;
  return [
    { op: 'test', path: `/metadata/finalizers/${i}`, value: finalizer },
    { op: 'remove', path: `/metadata/finalizers/${i}` },
  ];
}

async function patch(client: KubeClient, rt: ResourceType, obj: KubeObject, body: JsonPatchOp[]): Promise<KubeObject> {
  const updated = await client.patch(objectPath(rt, obj.metadata.namespace ?? '', obj.metadata.name), 'json', body);
  return kubeObjectSchema.parse(updated);
}

/** Returns the updated object, or the same one when the finalizer was already there (no write). */
export async function addFinalizer(client: KubeClient, rt: ResourceType, obj: KubeObject, finalizer: string): Promise<KubeObject> {
  const ops = addFinalizerOps(obj, finalizer);
  return ops ? patch(client, rt, obj, ops) : obj;
}

/** Returns the updated object, or the same one when the finalizer was not there (no write). */
export async function removeFinalizer(client: KubeClient, rt: ResourceType, obj: KubeObject, finalizer: string): Promise<KubeObject> {
  const ops = removeFinalizerOps(obj, finalizer);
  return ops ? patch(client, rt, obj, ops) : obj;
}
