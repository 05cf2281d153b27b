// Pieces of a resource reconcile that are the same for every kind: annotation writes, poll
// cadence, and the Event for a status transition.
import type { EventRecorder } from '../../runtime/events.ts';
import { addFinalizer, hasFinalizer } from '../../runtime/finalizer.ts';
import type { KstatusState, Condition } from '../../runtime/conditions.ts';
import { mergePatch, type KubeClient, type ResourceType } from '../../runtime/kube.ts';
import type { Cadence } from './plan.ts';
import { kubeObjectSchema, type KubeObject } from '../../runtime/object.ts';
import { annotations, finalizerName } from './schema.ts';

/** Sets (string) or removes (null) annotations with a merge patch; returns the updated object. */
export async function annotate(
  kube: KubeClient,
  rt: ResourceType,
  obj: KubeObject,
  values: Record<string, string | null>,
): Promise<KubeObject> {
  const updated: unknown = await kube.customObjects.patchNamespacedCustomObject(
    {
      group: rt.group,
      version: rt.version,
      plural: rt.plural,
      namespace: obj.metadata.namespace ?? '',
      name: obj.metadata.name,
      body: { metadata: { annotations: values } },
    },
    mergePatch,
  );
  return kubeObjectSchema.parse(updated);
}

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
  const byPhase: Record<string, string> = {
    Running: 'Running',
    Completed: 'Completed',
    Failed: 'Failed',
    Creating: 'Creating',
    Scaling: 'Scaling',
    Upgrading: 'Upgrading',
    Deleting: 'Deleting',
    Paused: 'Paused',
  };
  await recorder.record(rt, obj, {
    type: stalled || after.phase === 'Failed' ? 'Warning' : 'Normal',
    reason: stalled ? state.reason : (byPhase[after.phase ?? ''] ?? state.reason),
    action: 'Reconcile',
    note: state.message,
  });
}

/** What every reconcile works out first, before any cloud call. */
export type Prelude<S> =
  | { kind: 'skip' }
  | { kind: 'invalid'; message: string }
  | { kind: 'ready'; obj: KubeObject; spec: S; deleting: boolean; paused: boolean; lastHandledReconcileAt: string | undefined };

/**
 * Parses the spec (admission normally guarantees it; an object stored before a CRD change might
 * not), skips an object being deleted without our finalizer, and adds the finalizer before any
 * cloud call when the operator manages the cluster.
 */
export async function prepare<S extends { managementPolicy: string }>(
  kube: KubeClient,
  rt: ResourceType,
  object: KubeObject,
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: S } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
  },
): Promise<Prelude<S>> {
  const parsed = schema.safeParse(object['spec']);
  if (!parsed.success)
    return { kind: 'invalid', message: parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ') };
  const spec = parsed.data;
  const meta = object.metadata;
  const deleting = meta.deletionTimestamp !== undefined;
  const paused = meta.annotations?.[annotations.paused] === 'true';
  if (deleting && !hasFinalizer(object, finalizerName)) return { kind: 'skip' };
  const obj = !deleting && !paused && spec.managementPolicy === 'Manage' ? await addFinalizer(kube, rt, object, finalizerName) : object;
  return { kind: 'ready', obj, spec, deleting, paused, lastHandledReconcileAt: meta.annotations?.[annotations.reconcileRequestedAt] };
}
