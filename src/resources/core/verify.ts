// What the cloud applied, checked against what the spec asked, field by field where the API
// echoes the field back. A kind declares the comparisons (its adapter's `verify`); the core runs
// them whenever the plan has nothing left to do on a running cluster, and reports a difference in
// the SpecApplied condition (and one Event), never silently. This is the safety net where the
// public documents disagree about a field's name: if the cloud ignored a field, the user learns it
// the first time the cluster runs.
import type { ConditionInput } from '../../runtime/conditions.ts';

export interface FieldCheck<Spec, Observed> {
  /** The spec field, as the user writes it: `worker.flavorName`. */
  field: string;
  /** What the spec asks; undefined when it asks nothing (the field is not compared). */
  spec(spec: Spec): unknown;
  /** What the cloud reports; undefined or null when the API does not echo it (not compared). */
  cloud(observed: Observed): unknown;
}

export interface Difference {
  field: string;
  spec: string;
  cloud: string;
}

/** A comparable form: numbers and numeric strings alike, lists as sorted sets. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return JSON.stringify(v.map(canonical).sort());
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

export function differences<Spec, Observed>(checks: readonly FieldCheck<Spec, Observed>[], spec: Spec, observed: Observed): Difference[] {
  const out: Difference[] = [];
  for (const check of checks) {
    const wanted = check.spec(spec);
    const actual = check.cloud(observed);
    if (wanted === undefined || actual === undefined || actual === null) continue;
    if (canonical(wanted) !== canonical(actual)) out.push({ field: check.field, spec: canonical(wanted), cloud: canonical(actual) });
  }
  return out;
}

export function specAppliedCondition(diffs: readonly Difference[]): ConditionInput {
  if (diffs.length === 0) {
    return {
      type: 'SpecApplied',
      status: 'True',
      reason: 'CloudMatchesSpec',
      message: 'every field the cloud reports back matches the spec',
    };
  }
  const list = diffs.map((d) => `${d.field}: spec ${d.spec}, cloud ${d.cloud}`).join('; ');
  return {
    type: 'SpecApplied',
    status: 'False',
    reason: 'CloudDiffers',
    message: `the cloud reports other values than the spec, which the operator cannot change on this cluster: ${list}`,
  };
}
