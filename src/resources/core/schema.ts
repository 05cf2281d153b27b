// Spec and status pieces every kind shares (api-conventions.md): secret references, deletion and
// management policies, the status fields every kind reports, and the user-facing annotations.
import { z } from 'zod';
import { conditionSchema } from '../../runtime/conditions.ts';
import { changePolicy, pendingChangeSchema } from './changes.ts';
import { maintenanceWindowSchema } from './window.ts';

export const secretKeyRef = (what: string) =>
  z
    .object({
      name: z.string().min(1).describe(`Name of a Secret in the resource's namespace holding ${what}.`),
      key: z.string().min(1).describe('Key within the Secret.'),
    })
    .describe(`Reference to ${what} in a Secret of the same namespace (never the value itself).`);

export const deletionPolicy = z
  .enum(['Delete', 'Retain'])
  .default('Delete')
  .describe('Delete: deleting this resource deletes the cloud cluster. Retain: the resource goes, the cloud cluster stays.');

export const managementPolicy = z
  .enum(['Manage', 'ObserveOnly'])
  .default('Manage')
  .describe('Manage: create, change and delete the cloud cluster. ObserveOnly: never mutate or delete it; report status only.');

/** When and with whose approval disruptive changes start (changes.ts, docs/changing-safely.md): every kind's spec. */
export const changeSafety = {
  changePolicy,
  maintenanceWindow: maintenanceWindowSchema.optional(),
};

export const phase = z
  .enum(['Pending', 'Creating', 'Running', 'Scaling', 'Upgrading', 'Deleting', 'Failed', 'Completed', 'Paused'])
  .describe("Where the cluster is in its lifecycle, in the operator's words; cloudStatus has the cloud's own.");

/** Status fields every kind carries, in the same places (kstatus, `kubectl wait`, GitOps tools). */
export const commonStatus = {
  observedGeneration: z.number().int().optional().describe('The spec generation this status describes.'),
  phase: phase.optional(),
  conditions: z
    .array(conditionSchema)
    .optional()
    .describe('Ready, Reconciling and Stalled (kstatus), each with a stable reason and a human message.')
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] }),
  lastHandledReconcileAt: z.string().optional().describe('The last cdo.dev/reconcile-requested-at value handled.'),
  clusterId: z.string().optional().describe("The cloud's id of the cluster (Hadoop Eco id, CDSS serviceGroupInstanceNo)."),
  clusterName: z.string().optional().describe('Name of the cloud cluster.'),
  deleteRequestedAt: z.string().optional().describe('When the operator asked the cloud to delete the cluster.'),
  pendingChanges: z
    .array(pendingChangeSchema)
    .optional()
    .describe('The in-place changes the operator intends to make, in its order, from its plan: what each does and what it waits for.')
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['id'] }),
  pendingChangeIds: z.string().optional().describe('The ids of pendingChanges, comma-separated (the Pending column).'),
  nextMaintenanceWindow: z.string().optional().describe('When the next maintenance window opens (RFC 3339), while a change waits for it.'),
  unmatchedApprovals: z
    .array(z.string())
    .optional()
    .describe('Ids in cdo.dev/approve that match no pending change and started none (mistaken, or replaced by an edit).'),
  approvalsUsed: z
    .array(z.string())
    .optional()
    .describe('Ids in cdo.dev/approve that started their change; kept while the annotation names them.'),
};

export const commonStatusSchema = z.object(commonStatus);
export type CommonStatus = z.output<typeof commonStatusSchema>;

/** Annotations a user sets; the operator's own (identity) annotations are in identity.ts. */
export const annotations = {
  paused: 'cdo.dev/paused',
  reconcileRequestedAt: 'cdo.dev/reconcile-requested-at',
  /** Ids of pending changes approved under changePolicy Manual, separated by commas. */
  approve: 'cdo.dev/approve',
} as const;

export const finalizerName = 'cdo.dev/finalizer';
