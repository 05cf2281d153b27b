// Helpers the kinds' plan tables share.
import type { Phase, Plan } from '../../src/resources/core/plan.ts';

/** One expected wait: why, the plan's input, the phase it reports and the reason it gives. */
export type WaitRow<I> = [label: string, input: I, phase: Phase, reason: string];

/** What `plan` does for each row, beside what a wait should look like, to compare at once. */
export function waits<I>(rows: Array<WaitRow<I>>, plan: (input: I) => Plan<{ type: string }>) {
  const actual = rows.map(([label, input]) => {
    const p = plan(input);
    return [label, p.action.type, p.phase, p.state.reason, p.cadence];
  });
  const expected = rows.map(([label, , phase, reason]) => [label, 'Wait', phase, reason, 'busy']);
  return { actual, expected };
}
