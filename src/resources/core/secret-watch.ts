// Re-reconciles resources when a Secret they read changes (credentials, passwords), so fixing a
// Secret takes effect at once instead of at the next slow retry of a Stalled resource.
import type { ResourceCache } from '../../runtime/cache.ts';
import type { Controller } from '../../runtime/controller.ts';
import { keyOf, type KubeObject } from '../../runtime/object.ts';

export function requeueOnSecretChange(opts: {
  secrets: ResourceCache;
  resources: ResourceCache;
  controller: Controller;
  /** Names of the Secrets (same namespace) a resource references. */
  referenced: (obj: KubeObject) => string[];
  /** "namespace/name" of the operator-wide default credentials, used by resources naming none. */
  defaultSecret?: string | undefined;
  /** Whether a resource names its own credentials Secret. */
  hasOwnCredentials: (obj: KubeObject) => boolean;
}): void {
  opts.secrets.on((_type, secret) => {
    const ns = secret.metadata.namespace;
    const isDefault = opts.defaultSecret === `${ns}/${secret.metadata.name}`;
    for (const obj of opts.resources.list()) {
      const own = obj.metadata.namespace === ns && opts.referenced(obj).includes(secret.metadata.name);
      if (own || (isDefault && !opts.hasOwnCredentials(obj))) opts.controller.enqueue(keyOf(obj.metadata));
    }
  });
}

/** The `name` of every `…SecretRef`-shaped object in a spec, at any depth. */
export function secretRefNames(spec: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v !== 'object' || v === null) return;
    if (/secretref$/i.test(key) && typeof (v as { name?: unknown }).name === 'string') out.push((v as { name: string }).name);
    for (const [k, child] of Object.entries(v)) walk(child, k);
  };
  walk(spec, '');
  return out;
}
