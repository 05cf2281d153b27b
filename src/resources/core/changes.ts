// Safe changes (every kind, once): the in-place changes a kind's plan lists for a running cluster,
// each classed by how much it disturbs the people using it (the kind's disruption table), and the
// gate that decides which may start now. Changes that disturb nobody start at once; the others
// wait for the maintenance window (window.ts) and, under changePolicy Manual, for an approval
// naming them by id (cdo.dev/approve). What waits, and for what, is status.pendingChanges, made
// here from the same candidates the plan acts on, so what is shown is what will run. Pure: the
// clock and the approvals come in with the input.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Plan } from './plan.ts';
import { windowState, type MaintenanceWindow } from './window.ts';

export const disruptions = ['None', 'Restart', 'RollingRestart', 'DataMovement', 'Destructive'] as const;
export type Disruption = (typeof disruptions)[number];

export const waitingFor = ['Nothing', 'Cloud', 'MaintenanceWindow', 'Approval', 'Fix'] as const;
export type WaitingFor = (typeof waitingFor)[number];

export const changePolicy = z
  .enum(['Automatic', 'Manual'])
  .default('Automatic')
  .describe(
    'Automatic: every change starts as soon as it may (inside maintenanceWindow when one is set, for disruptive ones). ' +
      'Manual: a disruptive change also waits for the annotation cdo.dev/approve to name its id (status.pendingChanges).',
  );

export const pendingChangeSchema = z
  .object({
    id: z
      .string()
      .describe('Short id of this change; approve it with the annotation cdo.dev/approve=<id>. An edit that changes it gets a new id.'),
    action: z.string().describe('What the operator will ask the cloud to do (AddBrokers, Upgrade, ScaleIn …).'),
    from: z.string().optional().describe('What the cloud has now.'),
    to: z.string().describe('What the spec asks for.'),
    disruption: z
      .enum(disruptions)
      .describe(
        'How much it disturbs users: None; Restart (the nodes restart); RollingRestart (one at a time, brief unavailability ' +
          'possible); DataMovement (data and work move off nodes); Destructive.',
      ),
    waitingFor: z
      .enum(waitingFor)
      .describe(
        'Nothing: starts now. Cloud: in progress, or after the change before it. MaintenanceWindow, Approval: held by ' +
          'spec.maintenanceWindow or changePolicy Manual. Fix: blocked until the spec or the cloud is fixed (see Stalled).',
      ),
    message: z.string().optional().describe('Why it waits, in words.'),
    startedAt: z.string().optional().describe('When the operator started it (RFC 3339); it stays listed until the cloud shows it done.'),
  })
  .describe('A change the operator intends to make, from its plan.');

export type PendingChange = z.output<typeof pendingChangeSchema>;

/** One row of a kind's disruption table: the class, why, and the source it comes from. */
export interface DisruptionRule {
  disruption: Disruption;
  why: string;
  /** Where the classification comes from (the spec's section, the seed). */
  source: string;
  /** How long the cloud says it takes, when it says: a change never starts too late to finish inside the window. */
  minutes?: number;
}

export type DisruptionTable<T extends string = string> = Readonly<Record<T, DisruptionRule>>;

/** A change a kind's plan would make: the table's action name, from → to, and the plan that makes it (or says why it cannot). */
export interface Candidate<A extends { type: string }> {
  action: string;
  from?: string | undefined;
  to: string;
  plan: Plan<A>;
}

/** What the gate knows besides the candidates: the resource's policy, window, approvals and the clock. */
export interface ChangeGate {
  now: Date;
  policy: 'Automatic' | 'Manual';
  window?: MaintenanceWindow | undefined;
  /** The ids cdo.dev/approve names. */
  approvals: readonly string[];
  /** metadata.generation: a change first planned at another generation gets another id. */
  generation: number;
  /** status.pendingChanges of the last pass: a change still planned keeps its id and startedAt. */
  previous: readonly PendingChange[];
  /** status.approvalsUsed of the last pass: approvals that started a change (not reported as unmatched). */
  used?: readonly string[] | undefined;
}

/** The gate's findings, carried by the plan into status. */
export interface ChangeReport {
  pending: PendingChange[];
  /** When the next window opens, if a change waits for it. */
  nextWindow?: Date | undefined;
  /** Ids cdo.dev/approve names that match no pending change. */
  unmatchedApprovals?: string[] | undefined;
  /** Ids cdo.dev/approve still names that started a change: done, not mistaken. */
  approvalsUsed?: string[] | undefined;
}

/** The approval annotation: ids separated by commas or spaces. */
/**
 * What a pass that made no list reports of the changes (an error before planning, an invalid spec,
 * a cloud that did not report what they are compared with): the last pass's list, unchanged, so
 * nothing listed is taken for finished.
 */
export function carriedChanges(previous: {
  pendingChanges?: PendingChange[] | undefined;
  nextMaintenanceWindow?: string | undefined;
  unmatchedApprovals?: string[] | undefined;
  approvalsUsed?: string[] | undefined;
}): ChangeReport | undefined {
  if (!previous.pendingChanges?.length && !previous.approvalsUsed?.length && !previous.unmatchedApprovals?.length) return undefined;
  return {
    pending: previous.pendingChanges ?? [],
    nextWindow: previous.nextMaintenanceWindow ? new Date(previous.nextMaintenanceWindow) : undefined,
    unmatchedApprovals: previous.unmatchedApprovals,
    approvalsUsed: previous.approvalsUsed,
  };
}

/** The plan starts a change that disturbs someone (the one its list says starts now). */
export function startsDisruptive(plan: Plan<{ type: string }>): boolean {
  return plan.changes?.pending.some((c) => c.waitingFor === 'Nothing' && c.disruption !== 'None') ?? false;
}

export function parseApprovals(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

const keyOf = (c: { action: string; from?: string | undefined; to: string }) => `${c.action}|${c.from ?? ''}|${c.to}`;

/**
 * A change keeps the id it was first listed with while it stays the same change (action, from,
 * to); a new one gets an id from what it is and the generation that asked for it, so the same
 * change asked for again after a revert needs a new approval. An id an approval already started a
 * change with (`used`) is never given to a new one: a change that comes back (someone undid it in
 * the console) needs a new approval too.
 */
export function changeId(
  c: { action: string; from?: string | undefined; to: string },
  generation: number,
  previous: readonly PendingChange[],
  used: readonly string[] = [],
): string {
  const kept = previous.find((p) => keyOf(p) === keyOf(c));
  if (kept) return kept.id;
  const prefix = c.action.replace(/[a-z]/g, '').toLowerCase() || 'c';
  for (let n = 0; ; n++) {
    const seed = `${keyOf(c)}|${generation}${n ? `|${n}` : ''}`;
    const id = `${prefix}-${createHash('sha256').update(seed).digest('hex').slice(0, 6)}`;
    if (!used.includes(id)) return id;
  }
}

type Gated = { waitingFor: 'MaintenanceWindow' | 'Approval'; message: string; nextWindow?: Date | undefined };

/** Why a change may not start now, if it may not: approval first (Manual), then the window. */
function gateOf(rule: DisruptionRule, id: string, gate: ChangeGate | undefined): Gated | undefined {
  if (!gate || rule.disruption === 'None') return undefined;
  const w = gate.window && windowState(gate.window, gate.now, rule.minutes ?? 0);
  const closed = w && !w.canStart ? w : undefined;
  const next = closed?.nextStart ? `the next opens ${closed.nextStart.toISOString()}` : 'the window never opens';
  if (gate.policy === 'Manual' && !gate.approvals.includes(id)) {
    // Approved now, it would still wait for the window: say so, and when that opens.
    const then = closed ? `; once approved it waits for the maintenance window: ${next}` : '';
    const message = `changePolicy Manual: approve with the annotation cdo.dev/approve=${id} (beside any ids already there)${then}`;
    return { waitingFor: 'Approval', message, nextWindow: closed?.nextStart };
  }
  if (!closed) return undefined;
  const late = closed.closesAt ? `too late in the window open until ${closed.closesAt.toISOString()} to finish; ` : '';
  return { waitingFor: 'MaintenanceWindow', message: `waits for the maintenance window: ${late}${next}`, nextWindow: closed.nextStart };
}

/**
 * The plan for a running cluster with these candidates, in the kind's order. The first candidate
 * that may start now is the plan (one mutation per pass); disruptive ones held by the window or
 * an approval are passed over, so changes that disturb nobody go ahead. A candidate whose plan
 * blocks (a stall, a wait) holds everything after it, as before gating existed. With nothing to
 * start, `idle` is the plan, its message saying what waits. `busy` (the cloud is changing) lists
 * the candidates without starting any.
 */
export function planChanges<A extends { type: string }>(
  candidates: readonly Candidate<A>[],
  table: DisruptionTable,
  gate: ChangeGate | undefined,
  idle: Plan<A>,
  busy?: Plan<A>,
): Plan<A> {
  const previous = gate?.previous ?? [];
  const used = usedApprovals(gate);
  let chosen: Plan<A> | undefined = busy;
  let chosenId: string | undefined;
  let nextWindow: Date | undefined;
  const pending: PendingChange[] = [];
  for (const c of candidates) {
    const rule = table[c.action];
    if (!rule) throw new Error(`no disruption rule for ${c.action}`);
    const id = changeId(c, gate?.generation ?? 0, previous, used);
    const kept = previous.find((p) => p.id === id);
    const entry: PendingChange = { id, action: c.action, from: c.from, to: c.to, disruption: rule.disruption, waitingFor: 'Nothing' };
    if (kept?.startedAt) entry.startedAt = kept.startedAt;
    const blocked = c.plan.state.state !== 'reconciling' || c.plan.action.type === 'Wait' ? c.plan : undefined;
    // Started and still under way (the cloud works on it): it waits for nothing but the cloud. A
    // change that cannot be made yet (a stall, a wait) is not held either: what blocks it is shown.
    const inFlight = kept?.startedAt !== undefined && (busy !== undefined || blocked !== undefined);
    const gated = blocked || inFlight ? undefined : gateOf(rule, id, gate);
    if (inFlight) {
      Object.assign(entry, { waitingFor: 'Cloud', message: `started ${kept.startedAt}; waiting for the cloud to finish` });
      // Its wait (the cloud is not done) is the plan, as it holds what comes after it: never idle.
      if (!chosen) {
        chosen = c.plan;
        chosenId = id;
      }
    } else if (gated) {
      Object.assign(entry, { waitingFor: gated.waitingFor, message: gated.message });
      if (gated.nextWindow && (!nextWindow || gated.nextWindow < nextWindow)) nextWindow = gated.nextWindow;
    } else if (chosen) {
      const after = chosenId ? `after ${chosenId}: ` : '';
      Object.assign(entry, { waitingFor: chosen.state.state === 'stalled' ? 'Fix' : 'Cloud', message: `${after}${chosen.state.message}` });
    } else {
      chosen = c.plan;
      chosenId = id;
      if (blocked)
        Object.assign(entry, { waitingFor: blocked.state.state === 'stalled' ? 'Fix' : 'Cloud', message: blocked.state.message });
    }
    pending.push(stripUndefined(entry));
  }
  const ids = new Set(pending.map((p) => p.id));
  const unmatched = (gate?.approvals ?? []).filter((a) => !ids.has(a) && !used.includes(a));
  const changes: ChangeReport = {
    pending,
    nextWindow,
    ...(unmatched.length ? { unmatchedApprovals: unmatched } : {}),
    ...(used.length ? { approvalsUsed: used } : {}),
  };
  if (chosen) return { ...chosen, changes };
  const held = pending.filter((p) => p.waitingFor === 'MaintenanceWindow' || p.waitingFor === 'Approval');
  if (held.length === 0) return { ...idle, changes };
  // Waiting by the spec's own policy is neither a failure nor progress: the cluster is as ready as
  // it was, and the message says what waits (docs/changing-safely.md, "What GitOps tools show").
  const what = held.map((p) => `${p.action} ${p.id} waits for ${p.waitingFor === 'Approval' ? 'approval' : 'the maintenance window'}`);
  return { ...idle, changes, state: { ...idle.state, message: `${idle.state.message}; ${what.join('; ')}` } };
}

/**
 * The approvals that started a change, while the annotation still names them. An approval stays in
 * the annotation after its change ran (nobody has to remove it at once): it is not reported as
 * matching nothing, and it never starts another change (changeId gives that one a new id).
 */
function usedApprovals(gate: ChangeGate | undefined): string[] {
  const approvals = gate?.approvals ?? [];
  const started = (gate?.previous ?? []).filter((p) => p.startedAt !== undefined).map((p) => p.id);
  return [...new Set([...(gate?.used ?? []), ...started])].filter((id) => approvals.includes(id));
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
