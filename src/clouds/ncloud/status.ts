// Pure readings of CDSS status fields (spec ncloud-cdss-api.md §4). Two vocabularies: `status`
// (C5) / `serverStatus` (C4) is the provisioning lifecycle used to gate reconciles; the colours
// of getClusterStatus (C6) / rollingUpgradeProgressCheck (C22) are process health.

export type CdssClusterPhase = 'creating' | 'changing' | 'running' | 'error' | 'deleting' | 'return' | 'unknown';

const PHASES: ReadonlySet<string> = new Set(['creating', 'changing', 'running', 'error', 'deleting', 'return']);

/** §4.1: the six documented values, case and whitespace ignored; anything else is `unknown`. */
export function classifyClusterStatus(raw: string | null | undefined): CdssClusterPhase {
  const s = (raw ?? '').trim().toLowerCase();
  return PHASES.has(s) ? (s as CdssClusterPhase) : 'unknown';
}

/** §4.3: `creating`/`changing`/`deleting` resolve by themselves; poll, and issue no mutation. */
export function isTransitional(phase: CdssClusterPhase): boolean {
  return phase === 'creating' || phase === 'changing' || phase === 'deleting';
}

/** §4.1 [INF]: `return` means the cluster has been returned, i.e. deletion is complete. */
export function isGone(phase: CdssClusterPhase): boolean {
  return phase === 'return';
}

export type HealthColour = 'green' | 'yellow' | 'orange' | 'red' | 'gray' | 'unknown';

/** §4.1: green normal, yellow partly abnormal, orange changing, red abnormal, gray unknown. */
export function healthColour(raw: string | null | undefined): HealthColour {
  const s = (raw ?? '').trim().toLowerCase();
  if (s === 'grey') return 'gray';
  return s === 'green' || s === 'yellow' || s === 'orange' || s === 'red' || s === 'gray' ? s : 'unknown';
}

export interface HealthInput {
  brokerStatus?: string | null;
  brokerNumber?: number | null;
  brokerNodeTotalNumber?: number | null;
  brokerStatusPerNode?: ReadonlyArray<{ hostname?: string | null; status?: string | null }>;
  zookeeperStatus?: string | null;
  zookeeperNumber?: number | null;
  zookeeperTotalNumber?: number | null;
  zookeeperStatusPerNode?: ReadonlyArray<{ hostname?: string | null; status?: string | null }>;
  cmakStatus?: string | null;
}

export interface HealthSummary {
  /** Brokers and ZooKeeper are green, and the manager (CMAK) is green or does not report. */
  healthy: boolean;
  /** One line for a condition message, e.g. `broker=yellow (2/3; b-2=red) zookeeper=green cmak=green`. */
  detail: string;
}

/**
 * §4.3 gates upgrades on "all green". The manager's value set is undocumented ([SDK] only), so it
 * counts only when it is a recognised colour: an absent or odd value does not fail Kafka's health.
 */
export function summarizeHealth(h: HealthInput): HealthSummary {
  const broker = healthColour(h.brokerStatus);
  const zookeeper = healthColour(h.zookeeperStatus);
  const cmak = healthColour(h.cmakStatus);
  const healthy = broker === 'green' && zookeeper === 'green' && (cmak === 'green' || cmak === 'unknown');
  const parts = [
    `broker=${broker}${counts(h.brokerNumber, h.brokerNodeTotalNumber, h.brokerStatusPerNode)}`,
    `zookeeper=${zookeeper}${counts(h.zookeeperNumber, h.zookeeperTotalNumber, h.zookeeperStatusPerNode)}`,
  ];
  if (h.cmakStatus !== undefined && h.cmakStatus !== null) parts.push(`cmak=${cmak === 'unknown' ? h.cmakStatus : cmak}`);
  return { healthy, detail: parts.join(' ') };
}

function counts(
  up: number | null | undefined,
  total: number | null | undefined,
  perNode: ReadonlyArray<{ hostname?: string | null; status?: string | null }> | undefined,
): string {
  const bits: string[] = [];
  if (typeof up === 'number' && typeof total === 'number') bits.push(`${up}/${total}`);
  const bad = (perNode ?? []).filter((n) => healthColour(n.status) !== 'green').map((n) => `${n.hostname ?? '?'}=${healthColour(n.status)}`);
  if (bad.length > 0) bits.push(bad.join(','));
  return bits.length > 0 ? ` (${bits.join('; ')})` : '';
}
