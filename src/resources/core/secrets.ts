// Reads values out of Secrets. Values are returned to the caller and never logged; errors name the
// Secret and key, never a value.
import { InvalidSpecError } from '../../runtime/errors.ts';
import type { ResourceType } from '../../runtime/kube.ts';
import type { KubeObject } from '../../runtime/object.ts';

export const secretsResource: ResourceType = { group: '', version: 'v1', plural: 'secrets', kind: 'Secret' };

/** Where Secrets are read from: the operator's Secret cache, or a map in the component tests. */
export interface SecretSource {
  /** The Secret "namespace/name", or undefined when there is none. */
  get(key: string): KubeObject | undefined;
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
