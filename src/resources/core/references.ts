// Resources that reference other objects of their namespace: Secrets (credentials, passwords)
// and the operator's own kinds (a KafkaCluster naming its KafkaConfigGroup). A change of the
// referenced object re-reconciles every resource naming it at once, so fixing a Secret, or "waiting
// for the group to be Ready", takes effect when it happens, not at the next slow retry or poll.
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

/** The referencing resources' cache: its events keep the index current. */
type Resources = Pick<ResourceCache, 'on' | 'list'>;

/**
 * Enqueues the resources whose spec names a `source` object (same namespace) whenever it changes
 * (added, updated, deleted). `implicit` is one more object some resources use without naming it
 * (the operator-wide default credentials Secret, for resources that name none).
 */
export function requeueOnReferenceChange(opts: {
  source: Pick<ResourceCache, 'on'>;
  resources: Resources;
  controller: Pick<Controller, 'enqueue'>;
  names: (spec: unknown) => string[];
  implicit?: { key: string; usedBy: (obj: KubeObject) => boolean } | undefined;
}): void {
  const index = new ReferenceIndex(opts.resources, opts.names);
  opts.source.on((_type, changed) => {
    const key = keyOf(changed.metadata);
    for (const user of index.naming(key)) opts.controller.enqueue(user);
    if (opts.implicit?.key === key) {
      for (const obj of opts.resources.list()) if (opts.implicit.usedBy(obj)) opts.controller.enqueue(keyOf(obj.metadata));
    }
  });
}

/**
 * Which resources name which object ("namespace/name" → resource keys), kept up to date from the
 * resources' own events, so a change of one of thousands of Secrets finds its few users without
 * walking every resource's spec.
 */
export class ReferenceIndex {
  private readonly byTarget = new Map<string, Set<string>>();
  private readonly targetsOf = new Map<string, string[]>();
  private readonly names: (spec: unknown) => string[];

  constructor(resources: Resources, names: (spec: unknown) => string[]) {
    this.names = names;
    for (const obj of resources.list()) this.set(obj);
    resources.on((type, obj) => (type === 'delete' ? this.remove(keyOf(obj.metadata)) : this.set(obj)));
  }

  /** The keys of the resources that name `target` ("namespace/name"). */
  naming(target: string): string[] {
    return [...(this.byTarget.get(target) ?? [])];
  }

  private set(obj: KubeObject): void {
    const user = keyOf(obj.metadata);
    this.remove(user);
    const ns = obj.metadata.namespace ?? '';
    const targets = [...new Set(this.names(obj['spec']).map((name) => keyOf({ namespace: ns, name })))];
    for (const t of targets) {
      let users = this.byTarget.get(t);
      if (!users) this.byTarget.set(t, (users = new Set()));
      users.add(user);
    }
    if (targets.length) this.targetsOf.set(user, targets);
  }

  private remove(user: string): void {
    for (const t of this.targetsOf.get(user) ?? []) {
      const users = this.byTarget.get(t);
      users?.delete(user);
      if (users?.size === 0) this.byTarget.delete(t);
    }
    this.targetsOf.delete(user);
  }
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
