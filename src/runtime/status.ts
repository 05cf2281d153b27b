// Writes `/status` with a JSON merge patch, and only when the status actually changed, so a
// reconcile that finds nothing to do makes zero writes. The patch is the RFC 7386 difference
// between the status we read and the one we computed: fields that went away are sent as null
// (a plain `{status: new}` merge would leave them behind).
import { isDeepStrictEqual } from 'node:util';
import { objectPath, type KubeClient, type ResourceType } from './kube.ts';
import { kubeObjectSchema, type KubeObject } from './object.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The merge patch that turns `from` into `to`; undefined when they are equal. */
export function mergePatchDiff(from: unknown, to: unknown): Json | undefined {
  if (isDeepStrictEqual(from, to)) return undefined;
  if (!isPlainObject(from) || !isPlainObject(to)) return (to ?? null) as Json;
  const patch: Record<string, Json> = {};
  for (const key of Object.keys(from)) if (!(key in to) || to[key] === undefined) patch[key] = null;
  for (const [key, value] of Object.entries(to)) {
    if (value === undefined) continue;
    const d = mergePatchDiff(from[key], value);
    if (d !== undefined) patch[key] = d;
  }
  return Object.keys(patch).length ? patch : undefined;
}

/** Drops undefined fields the way JSON would, so a computed status compares equal to a stored one. */
export function normalize<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The `/status` merge patch request that writeStatus sends for `obj`. */
export interface StatusPatchRequest {
  /** The object's `/status` subresource. */
  path: string;
  body: { status: Json };
}

/**
 * The request that makes `obj`'s status equal `status` (the merge patch between the two, compared
 * as JSON), or undefined when they are equal already and nothing needs writing.
 */
export function statusPatchRequest(rt: ResourceType, obj: KubeObject, status: unknown): StatusPatchRequest | undefined {
  const diff = mergePatchDiff(normalize(obj['status'] ?? {}), normalize(status));
  if (diff === undefined) return undefined;
  return { path: objectPath(rt, obj.metadata.namespace ?? '', obj.metadata.name, 'status'), body: { status: diff } };
}

/**
 * Patches `obj`'s status to `status` when it differs from what the object has. Returns the updated
 * object, or undefined when nothing was written.
 */
export async function writeStatus(client: KubeClient, rt: ResourceType, obj: KubeObject, status: unknown): Promise<KubeObject | undefined> {
  const request = statusPatchRequest(rt, obj, status);
  if (request === undefined) return undefined;
  const updated = await client.patch(request.path, 'merge', request.body);
  return kubeObjectSchema.parse(updated);
}
