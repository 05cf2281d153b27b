// `kubectl cdo status [kind/name] [-n ns | -A]`: reads the operator's resources and their Events
// (events.k8s.io/v1) with the caller's kubeconfig, and formats them (status-report.ts). Only reads.
import type { CrdDefinition } from '../runtime/crd.ts';
import { collectionPath, KubeApiError, objectPath, type KubeClient, type ResourceType } from '../runtime/kube.ts';
import { eventsResource } from '../runtime/events.ts';
import type { KubeObject } from '../runtime/object.ts';
import { formatStatus, formatStatusTable, type EventLike } from './status-report.ts';

type Kind = { crd: CrdDefinition & { resource: ResourceType } };

/** The kind a `kind/name` argument names: its kind, plural, singular or a short name, any case. */
export function resolveKind<K extends Kind>(kinds: readonly K[], word: string): K | undefined {
  const w = word.toLowerCase().split('.')[0]!;
  return kinds.find((k) => {
    const { kind, plural } = k.crd.resource;
    return [kind.toLowerCase(), plural, ...k.crd.shortNames].includes(w);
  });
}

export class StatusError extends Error {}

/** One resource with its last Events. */
export async function statusOf(client: KubeClient, kinds: readonly Kind[], namespace: string, arg: string): Promise<string> {
  const [word, name] = arg.split('/', 2);
  const kind = resolveKind(kinds, word ?? '');
  if (!kind || !name) {
    const known = kinds.map((k) => `${k.crd.resource.kind.toLowerCase()} (${k.crd.shortNames.join(', ')})`).join(', ');
    throw new StatusError(`expected kind/name, with kind one of ${known}; got ${arg}`);
  }
  const rt = kind.crd.resource;
  const obj = await client.getIfExists<KubeObject>(objectPath(rt, namespace, name));
  if (!obj) throw new StatusError(`${rt.kind} ${namespace}/${name} not found`);
  const events = await client.get<{ items: EventLike[] }>(collectionPath(eventsResource, namespace), {
    query: { fieldSelector: `regarding.uid=${obj.metadata.uid}` },
  });
  return formatStatus({ ...obj, kind: obj.kind ?? rt.kind }, events.items);
}

/** Every resource of the operator's kinds in `namespace` (every namespace when undefined). */
export async function statusTable(client: KubeClient, kinds: readonly Kind[], namespace: string | undefined): Promise<string> {
  const objects: KubeObject[] = [];
  for (const { crd } of kinds) {
    try {
      const list = await client.get<{ items: KubeObject[] }>(collectionPath(crd.resource, namespace));
      objects.push(...list.items.map((o) => ({ ...o, kind: crd.resource.kind })));
    } catch (err) {
      // A kind whose CRD is not installed has nothing to show.
      if (err instanceof KubeApiError && err.statusCode === 404) continue;
      throw err;
    }
  }
  return formatStatusTable(objects, namespace === undefined);
}
