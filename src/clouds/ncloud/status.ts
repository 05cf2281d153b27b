// Pure readings of CDSS status fields (spec ncloud-cdss-api.md §4). Two vocabularies: `status`
// (C5) / `serverStatus` (C4) is the provisioning lifecycle used to gate reconciles; the colours
// of getClusterStatus (C6) / rollingUpgradeProgressCheck (C22) are process health.
import type { CloudLifecycle } from '../lifecycle.ts';

export type CdssClusterPhase = 'creating' | 'changing' | 'running' | 'error' | 'deleting' | 'return' | 'unknown';

const PHASES: ReadonlySet<string> = new Set(['creating', 'changing', 'running', 'error', 'deleting', 'return']);

/** §4.1: the six documented values, case and whitespace ignored; anything else is `unknown`. */
export function classifyClusterStatus(raw: string | null | undefined): CdssClusterPhase {
  const s = (raw ?? '').trim().toLowerCase();
  return PHASES.has(s) ? (s as CdssClusterPhase) : 'unknown';
}

export type HealthColour = 'green' | 'yellow' | 'orange' | 'red' | 'gray' | 'unknown';

/** §4.1: green normal, yellow partly abnormal, orange changing, red abnormal, gray unknown. */
export function healthColour(raw: string | null | undefined): HealthColour {
  const s = (raw ?? '').trim().toLowerCase();
  if (s === 'grey') return 'gray';
  return s === 'green' || s === 'yellow' || s === 'orange' || s === 'red' || s === 'gray' ? s : 'unknown';
}

/** The shared lifecycle word (clouds/lifecycle.ts) of a CDSS `status` / `serverStatus` (§4.1). */
export function cdssLifecycle(raw: string | null | undefined): CloudLifecycle {
  const phase = classifyClusterStatus(raw);
  if (phase === 'error') return 'failed';
  if (phase === 'return') return 'deleted';
  return phase;
}
