// kstatus conditions: `Ready` (the thing works and matches its spec), `Reconciling` (work is under
// way), `Stalled` (progress needs a human). With `status.observedGeneration` they let kubectl wait,
// Flux and Argo CD judge a resource without custom scripts. `lastTransitionTime` moves only when a
// condition's status flips, so rewriting the same conditions is not a change.
import { z } from 'zod';

export const conditionSchema = z
  .object({
    type: z
      .string()
      .describe(
        "What the condition is about: Ready, Reconciling, Stalled (kstatus), and a kind's own (SpecApplied, ChangesPending, Healthy).",
      ),
    status: z.enum(['True', 'False', 'Unknown']).describe('Whether the condition holds: True, False or Unknown.'),
    reason: z
      .string()
      .describe('Why, in one CamelCase word that is stable (an API: alerts and scripts may match it); docs/operations.md lists them.'),
    message: z.string().describe("Why, for people: what happened and what to do, quoting the cloud's code and words when it answered."),
    lastTransitionTime: z.string().describe('When status last changed (RFC 3339); a new reason or message alone does not move it.'),
    observedGeneration: z.number().int().optional().describe('The metadata.generation of the spec this condition was computed for.'),
  })
  .describe('One condition of the resource (the Kubernetes metav1.Condition shape).');

export type Condition = z.infer<typeof conditionSchema>;
export type ConditionStatus = Condition['status'];
export type ConditionInput = Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>;

/** Kubernetes timestamps have second precision; keeping that makes equal statuses compare equal. */
export function nowRfc3339(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Returns a new list with `input` set: same type replaced, transition time kept if status is unchanged. */
export function setCondition(
  conditions: readonly Condition[],
  input: ConditionInput,
  generation: number | undefined,
  now: Date = new Date(),
): Condition[] {
  const previous = conditions.find((c) => c.type === input.type);
  const next: Condition = {
    ...input,
    lastTransitionTime: previous && previous.status === input.status ? previous.lastTransitionTime : nowRfc3339(now),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
  const others = conditions.filter((c) => c.type !== input.type);
  return [...others, next].sort((a, b) => order(a.type) - order(b.type) || a.type.localeCompare(b.type));
}

const kstatusOrder = ['Ready', 'Reconciling', 'Stalled'];
function order(type: string): number {
  const i = kstatusOrder.indexOf(type);
  return i < 0 ? kstatusOrder.length : i;
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** The three kstatus conditions at once, from the one state a reconcile decided on. */
export type KstatusState =
  | { state: 'ready'; reason: string; message: string }
  | { state: 'reconciling'; reason: string; message: string }
  | { state: 'stalled'; reason: string; message: string };

export function kstatusConditions(
  conditions: readonly Condition[],
  s: KstatusState,
  generation: number | undefined,
  now: Date = new Date(),
): Condition[] {
  const ready: ConditionInput =
    s.state === 'ready'
      ? { type: 'Ready', status: 'True', reason: s.reason, message: s.message }
      : { type: 'Ready', status: 'False', reason: s.reason, message: s.message };
  const reconciling: ConditionInput =
    s.state === 'reconciling'
      ? { type: 'Reconciling', status: 'True', reason: s.reason, message: s.message }
      : { type: 'Reconciling', status: 'False', reason: s.state === 'ready' ? 'Reconciled' : s.reason, message: '' };
  const stalled: ConditionInput =
    s.state === 'stalled'
      ? { type: 'Stalled', status: 'True', reason: s.reason, message: s.message }
      : { type: 'Stalled', status: 'False', reason: s.state === 'ready' ? 'Reconciled' : 'Progressing', message: '' };
  let out = setCondition(conditions, ready, generation, now);
  out = setCondition(out, reconciling, generation, now);
  return setCondition(out, stalled, generation, now);
}
