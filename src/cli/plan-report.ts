// `kubectl cdo plan`, what it prints: per object, what a pass would do now, the phase and Ready it
// would report, and every pending change with its disruption and what it waits for. Pure.
import type { PendingChange } from '../resources/core/changes.ts';
import type { Preview } from '../resources/core/preview.ts';

export interface PlanReport {
  kind: string;
  namespace: string;
  name: string;
  /** Whether the object exists now (else the manifest creates it). */
  live: boolean;
  generation: { from?: number | undefined; to: number };
  /** The one action a pass would carry out now (Create, Upgrade, ScaleIn …), or Wait, Done, Stall. */
  action: string;
  phase: string | undefined;
  state: Preview['plan']['state'];
  pendingChanges: PendingChange[];
  nextMaintenanceWindow?: string | undefined;
  unmatchedApprovals?: string[] | undefined;
}

export function planReport(
  what: { kind: string; namespace: string; name: string; live: boolean; generation: PlanReport['generation'] },
  preview: Preview,
): PlanReport {
  return {
    ...what,
    action: preview.plan.action.type,
    phase: preview.status.phase,
    state: preview.plan.state,
    pendingChanges: preview.status.pendingChanges ?? [],
    nextMaintenanceWindow: preview.status.nextMaintenanceWindow,
    unmatchedApprovals: preview.status.unmatchedApprovals,
  };
}

const idle = new Set(['Wait', 'Done', 'Stall']);

export function formatReport(r: PlanReport): string {
  const gen = r.live
    ? `live, generation ${r.generation.from}${r.generation.to !== r.generation.from ? ` → ${r.generation.to} (spec changes)` : ' (spec unchanged)'}`
    : 'not created yet';
  const lines = [`${r.kind} ${r.namespace}/${r.name} (${gen})`];
  const now = idle.has(r.action) ? `nothing starts now (${r.state.state}, ${r.state.reason})` : `${r.action}: ${r.state.message}`;
  lines.push(`  now:     ${now}`);
  lines.push(`  status:  phase ${r.phase ?? '-'}, ${r.state.state === 'ready' ? 'Ready' : r.state.state} — ${r.state.message}`);
  if (r.pendingChanges.length === 0) lines.push('  changes: none');
  else {
    lines.push('  changes:');
    const rows = [
      ['ID', 'ACTION', 'FROM', 'TO', 'DISRUPTION', 'WAITING FOR', 'WHY'],
      ...r.pendingChanges.map((c) => [c.id, c.action, c.from ?? '-', c.to, c.disruption, c.waitingFor, c.message ?? '']),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    for (const row of rows)
      lines.push(`    ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd());
  }
  if (r.nextMaintenanceWindow) lines.push(`  next maintenance window: ${r.nextMaintenanceWindow}`);
  if (r.unmatchedApprovals?.length) lines.push(`  cdo.dev/approve matches no pending change: ${r.unmatchedApprovals.join(', ')}`);
  return lines.join('\n');
}
