// `kubectl cdo plan`, the pure part: which objects of a manifest are the operator's, and the object
// the API server would hold once the manifest is applied (the live one with the manifest's spec,
// labels and annotations), so a pass can be previewed over it. Tested without a cluster.
import type { KubeObject } from '../runtime/object.ts';

export interface ManifestDoc {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string | null> };
  spec?: unknown;
}

/** The object after an apply of `doc` over `live` (undefined: a create). */
export function proposedObject(
  doc: ManifestDoc,
  live: KubeObject | undefined,
  namespace: string,
  specChanged: boolean,
): KubeObject & { spec: unknown } {
  const name = doc.metadata?.name ?? '';
  const annotations = { ...(live?.metadata.annotations ?? {}) };
  for (const [k, v] of Object.entries(doc.metadata?.annotations ?? {})) {
    if (v === null) delete annotations[k];
    else annotations[k] = v;
  }
  const generation = live ? (live.metadata.generation ?? 1) + (specChanged ? 1 : 0) : 1;
  return {
    ...(live ?? {}),
    apiVersion: doc.apiVersion!,
    kind: doc.kind!,
    metadata: {
      ...(live?.metadata ?? { uid: `preview-${namespace}-${name}`, resourceVersion: '0' }),
      name,
      namespace,
      generation,
      labels: { ...(live?.metadata.labels ?? {}), ...(doc.metadata?.labels ?? {}) },
      annotations,
    },
    spec: doc.spec,
  };
}

/** Same spec once both are parsed (defaults filled in), so an apply that changes nothing keeps the generation. */
export function sameSpec(parse: (spec: unknown) => unknown, a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(parse(a)) === JSON.stringify(parse(b));
  } catch {
    return false;
  }
}
