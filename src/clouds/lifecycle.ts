// The one lifecycle vocabulary both clouds' status classifiers map onto (kakaocloud/status.ts,
// ncloud/status.ts). The managed core decides identity and deletion over these words alone, so a
// rule such as "never adopt a cluster that is being deleted" is written once for every cloud.

/**
 * - `creating`: being provisioned, never ran yet.
 * - `changing`: ran before and is mid-operation (scaling, upgrading, restarting, an unknown word).
 * - `running`: stable; the cloud takes a change now.
 * - `failed`: exists but broken (CDSS `error`); it can still be deleted.
 * - `deleting`: being removed.
 * - `deleted`: a tombstone (Hadoop Eco `Terminated(…)`, CDSS `return`): gone for good.
 * - `unknown`: a word the documents do not list; wait and report it verbatim.
 */
export type CloudLifecycle = 'creating' | 'changing' | 'running' | 'failed' | 'deleting' | 'deleted' | 'unknown';

/** A cluster found by name, reduced to what identity decisions need. */
export interface CloudRef {
  id: string;
  lifecycle: CloudLifecycle;
}

/** Neither being deleted nor a tombstone: a cluster a create of ours could have made. */
export function isLive(lifecycle: CloudLifecycle): boolean {
  return lifecycle !== 'deleting' && lifecycle !== 'deleted';
}
