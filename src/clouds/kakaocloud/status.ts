// Classifies Hadoop Eco's cluster status string (spec §3.2). The lifecycle enum is undocumented
// and open-ended, so matching is by normalised prefix, and anything unrecognised is "in progress"
// (requeue and surface the raw string) rather than an error.
import type { CloudLifecycle } from '../lifecycle.ts';

export type ClusterStatusKind = 'in-progress' | 'running' | 'terminating' | 'terminated';
/**
 * Why a cluster is terminated: `user` = deleted (console/API DELETE), `user-command` = ended
 * itself after its job (userTask.terminationPolicy), `error` = the text names an error or
 * failure, `other` = anything else, including no parenthesis. Spec §3.2 counts every sub-reason
 * other than user/usercommand as a failure; `other` is kept apart so that stays the caller's call.
 */
export type TerminatedBy = 'user' | 'user-command' | 'error' | 'other';

export interface ClusterStatusClass {
  kind: ClusterStatusKind;
  terminatedBy?: TerminatedBy;
  /** Lower-cased, all whitespace removed: `Terminated(User Command)` → `terminated(usercommand)`. */
  normalized: string;
}

/** spec §5 #19: the docs write `Terminated(User Command)`, the seed `Terminated(User)` — strip spaces and case. */
export function normalizeStatus(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+/g, '');
}

export function classifyClusterStatus(raw: string): ClusterStatusClass {
  const normalized = normalizeStatus(raw);
  if (normalized.startsWith('terminated')) {
    return { kind: 'terminated', terminatedBy: terminationReason(normalized.slice('terminated'.length)), normalized };
  }
  if (normalized === 'running') return { kind: 'running', normalized };
  if (normalized.startsWith('terminating')) return { kind: 'terminating', normalized };
  // initializing, pending, processing, running(...) variants, unknown strings (spec §3.2 rule 4).
  return { kind: 'in-progress', normalized };
}

function terminationReason(rest: string): TerminatedBy {
  const inner = /^\((.*)\)$/.exec(rest)?.[1] ?? rest.replace(/^[-_:]+/, '');
  const reason = inner.replace(/[-_]/g, '');
  if (reason === 'user') return 'user';
  if (reason === 'usercommand') return 'user-command';
  if (/error|fail/.test(reason)) return 'error';
  return 'other';
}

/**
 * The shared lifecycle word (clouds/lifecycle.ts) of a cluster or list entry. An in-progress word
 * (Initializing, Pending, Processing, an unknown one) is `creating` until the cluster first ran
 * (`runningAt`), `changing` after; a `Terminated(…)` tombstone is `deleted` whatever its reason.
 */
export function hadoopEcoLifecycle(c: { status: string; runningAt?: number | null | undefined }): CloudLifecycle {
  switch (classifyClusterStatus(c.status).kind) {
    case 'running':
      return 'running';
    case 'terminating':
      return 'deleting';
    case 'terminated':
      return 'deleted';
    case 'in-progress':
      return c.runningAt ? 'changing' : 'creating';
  }
}
