// Pieces of a resource reconcile that are the same for every kind: annotation writes, poll
// cadence, and the Event for a status transition.
import type { EventRecorder } from '../../runtime/events.ts';
import type { KstatusState, Condition } from '../../runtime/conditions.ts';
import { mergePatch, type KubeClient, type ResourceType } from '../../runtime/kube.ts';
import { kubeObjectSchema, type KubeObject } from '../../runtime/object.ts';

/** Sets (string) or removes (null) annotations with a merge patch; returns the updated object. */
export async function annotate(kube: KubeClient, rt: ResourceType, obj: KubeObject, values: Record<string, string | null>): Promise<KubeObject> {
  const updated: unknown = await kube.customObjects.patchNamespacedCustomObject(
    { group: rt.group, version: rt.version, plural: rt.plural, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name, body: { metadata: { annotations: values } } },
    mergePatch,
  );
  return kubeObjectSchema.parse(updated);
}

export type Cadence = 'busy' | 'steady' | 'never';

export function cadenceSeconds(cadence: Cadence, cfg: { busySeconds: number; steadySeconds: number }): number | undefined {
  if (cadence === 'busy') return cfg.busySeconds;
  if (cadence === 'steady') return cfg.steadySeconds;
  return undefined;
}

export function nowSeconds(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Records an Event when a written status moved to another phase or another reason: one Event per
 * transition, Warning when progress needs a human.
 */
export async function recordTransition(
  recorder: EventRecorder,
  rt: ResourceType,
  obj: KubeObject,
  before: { phase?: string | undefined; conditions?: Condition[] | undefined },
  after: { phase?: string | undefined },
  state: KstatusState,
): Promise<void> {
  const previousReason = before.conditions?.find((c) => c.status === 'True' && c.type !== 'Reconciling')?.reason;
  if (before.phase === after.phase && previousReason === state.reason) return;
  const stalled = state.state === 'stalled';
  const byPhase: Record<string, string> = { Running: 'Running', Completed: 'Completed', Failed: 'Failed', Creating: 'Creating', Scaling: 'Scaling', Upgrading: 'Upgrading', Deleting: 'Deleting', Paused: 'Paused' };
  await recorder.record(rt, obj, {
    type: stalled || after.phase === 'Failed' ? 'Warning' : 'Normal',
    reason: stalled ? state.reason : (byPhase[after.phase ?? ''] ?? state.reason),
    action: 'Reconcile',
    note: state.message,
  });
}
