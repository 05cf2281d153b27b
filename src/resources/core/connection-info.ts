// The optional connection-info ConfigMap (spec.connectionInfo.configMapName): the endpoints an
// application needs (service URLs, bootstrap servers), in a ConfigMap it can mount. The operator
// owns it (ownerReference, so the garbage collector removes it with the resource), keeps it
// current, writes it only when its data changed, deletes it itself when the resource is finalized
// (so it goes even where no garbage collector runs), and never overwrites a ConfigMap it does not own.
import { z } from 'zod';
import { InvalidSpecError, httpStatusOf } from '../../runtime/errors.ts';
import { apiVersionOf, collectionPath, objectPath, type KubeClient, type ResourceType } from '../../runtime/kube.ts';
import type { KubeObject } from '../../runtime/object.ts';

export const connectionInfoSchema = z
  .object({
    configMapName: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a valid ConfigMap name')
      .describe('Name of a ConfigMap (same namespace) the operator writes the endpoints to, for applications to mount.'),
  })
  .optional()
  .describe('Publish the connection details in a ConfigMap owned by this resource.');

const configMaps: ResourceType = { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap' };

/** The parts of a ConfigMap this file reads; the rest is sent back as it came. */
interface ConfigMap {
  metadata?: { ownerReferences?: Array<{ uid?: string }> };
  data?: Record<string, string>;
}

const owned = (cm: ConfigMap, uid: string) => cm.metadata?.ownerReferences?.some((r) => r.uid === uid) ?? false;

function read(kube: KubeClient, namespace: string, name: string): Promise<ConfigMap | undefined> {
  return kube.getIfExists<ConfigMap>(objectPath(configMaps, namespace, name));
}

/** Creates or updates the ConfigMap so its data is exactly `data`; no write when it already is. */
export async function syncConnectionInfo(
  kube: KubeClient,
  rt: ResourceType,
  obj: KubeObject,
  name: string,
  data: Record<string, string>,
): Promise<boolean> {
  const namespace = obj.metadata.namespace ?? '';
  const current = await read(kube, namespace, name);
  const ownerReferences = [
    {
      apiVersion: apiVersionOf(rt),
      kind: rt.kind,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  const labels = { 'app.kubernetes.io/managed-by': 'cloud-data-operator' };
  if (!current) {
    await kube.create(collectionPath(configMaps, namespace), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, labels, ownerReferences },
      data,
    });
    return true;
  }
  if (!owned(current, obj.metadata.uid)) {
    throw new InvalidSpecError(
      'ConfigMapConflict',
      `ConfigMap ${namespace}/${name} exists and is not owned by this resource; choose another spec.connectionInfo.configMapName`,
    );
  }
  if (JSON.stringify(current.data ?? {}) === JSON.stringify(data)) return false;
  // A replace carrying the resourceVersion we read: a concurrent change makes it fail (409) and retry.
  await kube.replace(objectPath(configMaps, namespace, name), { ...current, data });
  return true;
}

/** Deletes the ConfigMap if this resource owns it. */
export async function removeConnectionInfo(kube: KubeClient, obj: KubeObject, name: string): Promise<void> {
  const namespace = obj.metadata.namespace ?? '';
  const current = await read(kube, namespace, name);
  if (!current || !owned(current, obj.metadata.uid)) return;
  try {
    await kube.delete(objectPath(configMaps, namespace, name));
  } catch (err) {
    if (httpStatusOf(err) !== 404) throw err;
  }
}

/** Sorted keys, no empty values: a stable form, so equal endpoints compare equal. */
export function connectionData(entries: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(entries)
      .filter((e): e is [string, string] => Boolean(e[1]))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
