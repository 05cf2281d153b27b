// Resources that reference other resources of the operator (a KafkaCluster naming its
// KafkaConfigGroup): the reference is read from the watch cache during a pass, and a change of the
// referenced object re-reconciles every resource naming it at once, so "waiting for the group to
// be Ready" ends when it is, not at the next slow poll. Secrets are one such reference
// (secret-watch.ts); this is the same rule for the operator's own kinds.
import type { ResourceCache } from '../../runtime/cache.ts';
import type { Controller } from '../../runtime/controller.ts';
import type { ResourceType } from '../../runtime/kube.ts';
import { keyOf, type KubeObject } from '../../runtime/object.ts';

/** A kind of object a resource may name in its spec, in its own namespace. */
export interface KindReference {
  resource: ResourceType;
  /** The names (same namespace) a resource's spec references; [] when none. */
  names: (spec: unknown) => string[];
  /**
   * For `referencedBy`: whether an update of the referencing object matters to the objects it
   * names (default: any update). Additions, deletions and a changed reference always do.
   */
  matters?: (obj: KubeObject, old: KubeObject) => boolean;
}

/** Reads a referenced object of the resource's namespace; undefined when it does not exist (yet). */
export type ReferenceReader = (resource: ResourceType, namespace: string, name: string) => KubeObject | undefined;

/** Enqueues the resources whose spec names `obj` (same namespace) whenever a `source` object changes. */
export function requeueOnReferenceChange(opts: {
  source: ResourceCache;
  resources: ResourceCache;
  controller: Controller;
  names: (spec: unknown) => string[];
}): void {
  opts.source.on((_type, changed) => {
    const { namespace, name } = changed.metadata;
    for (const obj of opts.resources.list()) {
      if (obj.metadata.namespace === namespace && opts.names(obj['spec']).includes(name)) opts.controller.enqueue(keyOf(obj.metadata));
    }
  });
}

/**
 * The other direction: enqueues the objects of this kind that a changed `source` object names
 * (a KafkaConfigGroup learns at once that a KafkaCluster took it up, for its usedBy).
 */
export function requeueReferenced(opts: { source: ResourceCache; controller: Controller; reference: KindReference }): void {
  const { names, matters } = opts.reference;
  opts.source.on((type, changed, old) => {
    const now = names(changed['spec']);
    const before = old ? names(old['spec']) : [];
    const moved = now.join('\0') !== before.join('\0');
    if (type === 'update' && old && !moved && matters && !matters(changed, old)) return;
    // The object it names now, and the one it let go of.
    for (const name of new Set([...now, ...before])) opts.controller.enqueue(keyOf({ namespace: changed.metadata.namespace, name }));
  });
}

/** A reader over the manager's caches (one per referenced kind). */
export function cacheReader(caches: readonly ResourceCache[]): ReferenceReader {
  return (resource, namespace, name) =>
    caches.find((c) => c.resource.group === resource.group && c.resource.plural === resource.plural)?.get(`${namespace}/${name}`);
}
