// The reads a pass makes, done with a plain GET instead of the operator's caches: for a preview run
// outside the operator (`kubectl cdo plan`), with the rights of whoever runs it. Absent objects
// read as absent (404), exactly as the caches would report them; any other refusal (403) is an
// error that names the object, so the user knows which right is missing.
import { objectPath, type KubeClient, type ResourceType } from '../../runtime/kube.ts';
import type { KubeObject } from '../../runtime/object.ts';
import type { KindReference, ReferenceReader } from './references.ts';
import { secretsResource, type SecretReader } from './secrets.ts';

/** Absent (404) reads as absent, as a cache would say; any other refusal (403) names the object. */
async function getOrAbsent(client: KubeClient, rt: ResourceType, namespace: string, name: string): Promise<KubeObject | undefined> {
  try {
    return await client.getIfExists<KubeObject>(objectPath(rt, namespace, name));
  } catch (err) {
    throw new Error(`reading ${rt.kind} ${namespace}/${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Secrets on demand and the operator's other kinds the object names, read once from the API server. */
export async function directReads(
  client: KubeClient,
  object: KubeObject,
  references: readonly KindReference[],
): Promise<{ secrets: SecretReader; references: ReferenceReader }> {
  const namespace = object.metadata.namespace ?? '';
  const named = new Map<string, KubeObject>();
  for (const r of references) {
    for (const name of r.names(object['spec'])) {
      const found = await getOrAbsent(client, r.resource, namespace, name);
      if (found) named.set(`${r.resource.plural}/${namespace}/${name}`, found);
    }
  }
  return {
    secrets: {
      async read(_reader, keys) {
        const out = new Map<string, KubeObject>();
        for (const key of keys) {
          const [ns, name] = key.split('/') as [string, string];
          const secret = await getOrAbsent(client, secretsResource, ns, name);
          if (secret) out.set(key, secret);
        }
        return out;
      },
      release() {},
    },
    references: (rt, ns, name) => named.get(`${rt.plural}/${ns}/${name}`),
  };
}
