// Reads values out of Secrets. Values are returned to the caller and never logged; errors name the
// Secret and key, never a value.
//
// Only the Secrets the resources reference are read (runtime/on-demand.ts: a metadata-only watch
// of the watched namespaces, and a GET of a referenced Secret when a pass needs it, held while it
// is current and referenced). A pass reads its Secrets first, then everything after runs on that
// snapshot synchronously (the plan, building cloud clients).
import { InvalidSpecError } from '../../runtime/errors.ts';
import type { ResourceType } from '../../runtime/kube.ts';
import type { KubeObject } from '../../runtime/object.ts';

export const secretsResource: ResourceType = { group: '', version: 'v1', plural: 'secrets', kind: 'Secret' };

/** What is kept of a Secret read on demand, beside its identity. */
export const secretFields = ['data'] as const;

/** The Secrets one pass has read (or, in the component tests, a map of them). */
export interface SecretSource {
  /** The Secret "namespace/name", or undefined when there is none. */
  get(key: string): KubeObject | undefined;
}

/** Where a pass reads its Secrets from: the operator's on-demand Secret store, or a map in the component tests. */
export interface SecretReader {
  /**
   * The Secrets of `keys` ("namespace/name") as they are now; `reader` (one resource) needs exactly
   * these until its next read, so nothing else it named before is kept for it.
   */
  read(reader: string, keys: readonly string[]): Promise<SecretSource>;
  /** `reader` is gone and needs no Secret any more. */
  release(reader: string): void;
}

export class SecretMissingError extends InvalidSpecError {}

export function readSecretKey(secrets: SecretSource, namespace: string, name: string, key: string, what: string): string {
  const secret = secrets.get(`${namespace}/${name}`);
  if (!secret) throw new SecretMissingError('SecretNotFound', `${what}: Secret ${namespace}/${name} does not exist`);
  const data = (secret['data'] ?? {}) as Record<string, string>;
  const raw = data[key];
  if (raw === undefined || raw === '')
    throw new SecretMissingError('SecretKeyMissing', `${what}: Secret ${namespace}/${name} has no key ${key}`);
  return Buffer.from(raw, 'base64').toString('utf8');
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
