// What the informer caches leave out of the objects they keep. Two fields take more memory than
// everything the operator reads, and nothing in it reads them: metadata.managedFields (server-side
// apply's bookkeeping, one entry per field manager) and the kubectl.kubernetes.io/last-applied-configuration
// annotation (a second copy of the whole object, as JSON, on every object `kubectl apply` wrote).
// Safe because nothing writes a cached object back whole: writes are patches of the fields they
// change, and the one replace (connection-info.ts's ConfigMap) sends an object it has just read.
// Objects held for their identity alone (metadata-only informers, objects read on demand) keep
// less still: identityOf.
import type { KubeObject } from './object.ts';

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** `obj` without managedFields and the last-applied annotation; `obj` itself when it has neither. */
export function trimForCache(obj: KubeObject): KubeObject {
  const { managedFields, annotations, ...rest } = obj.metadata;
  const lastApplied = annotations !== undefined && lastAppliedAnnotation in annotations;
  if (managedFields === undefined && !lastApplied) return obj;
  const metadata: KubeObject['metadata'] = rest;
  if (annotations !== undefined) {
    const { [lastAppliedAnnotation]: _dropped, ...kept } = annotations;
    metadata.annotations = kept;
  }
  return { ...obj, metadata };
}

/** An object's identity alone (name, namespace, uid, resourceVersion): what says it exists and when it changed. */
export function identityOf(metadata: KubeObject['metadata']): KubeObject {
  const { name, namespace, uid, resourceVersion } = metadata;
  return { metadata: { name, ...(namespace !== undefined ? { namespace } : {}), uid, resourceVersion } };
}
