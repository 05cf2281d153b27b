// What a kind supplies to the managed core (architecture §3b), beside its CRD (core/crd.ts: its
// resource type and schemas): how to reach its cloud from credentials, how to observe and find its
// clusters, the pure plan, one function per action of its own, how the cloud's answers map to
// status, and which fields to verify. Everything every kind must do the same way (finalizer,
// pause, ObserveOnly, crash-safe create, deletion on proof, errors → conditions, status writes,
// Events, connection info, cadence) is the core's.
import type { Logger } from 'pino';
import type { CloudRef } from '../../clouds/lifecycle.ts';
import type { ResourceType } from '../../runtime/kube.ts';
import type { KubeObject } from '../../runtime/object.ts';
import type { CredentialKeys } from './credentials.ts';
import type { EventReason } from './events.ts';
import type { ManagedPlanInput, PlannedSpec } from './managed-plan.ts';
import type { CoreAction, Plan } from './plan.ts';
import type { CommonStatus } from './schema.ts';
import type { CoreStatusInput } from './status.ts';
import type { FieldCheck } from './verify.ts';
import type { MaintenanceWindow } from './window.ts';

/** The spec fields the core reads, in every kind (and the name and id fields its CRD's words name). */
export interface ManagedSpec extends PlannedSpec {
  credentialsSecretRef?: { name: string } | undefined;
  connectionInfo?: { configMapName: string } | undefined;
  changePolicy?: 'Automatic' | 'Manual' | undefined;
  maintenanceWindow?: MaintenanceWindow | undefined;
}

/** The types a kind is made of, named once (the adapter, its context and handlers take them together). */
export interface KindTypes {
  spec: ManagedSpec;
  status: CommonStatus;
  /** Its cloud's client. */
  cloud: unknown;
  /** One look at a cluster (null means proven absent, never this). */
  observed: unknown;
  /** Its plan's actions: CoreAction and its own. */
  action: { type: string };
  /** What `prepare` reads from Secrets for the plan and the actions, if anything. */
  prep: unknown;
}

/** One pass's view of the resource, handed to the adapter's functions. */
export interface PassContext<K extends KindTypes> {
  obj: KubeObject;
  spec: K['spec'];
  previous: K['status'];
  clusterName: string;
  /** The cloud id known so far in this pass. */
  clusterId: string | undefined;
  /** The cloud clients, built from the resource's credentials when first asked for. */
  cloud(): K['cloud'];
  /** The resource's cloud credential, [id, secret]: for keys derived from it, never for logs. */
  credentials(): [string, string];
  /** A value from a Secret of the resource's namespace (never logged). */
  secret(ref: { name: string; key: string }, what: string): string;
  /** An object of another of the operator's kinds in the resource's namespace (its descriptor's references), from the cache. */
  read(resource: ResourceType, name: string): KubeObject | undefined;
  log: Logger;
}

/** The kind's own actions: its plan's union minus the core's. */
export type KindActionType<A extends { type: string }> = Exclude<A['type'], CoreAction['type']>;

export interface ActionHandler<K extends KindTypes, A> {
  /** The Event recorded when the action was carried out. */
  reason: EventReason;
  /** Carries the action out (one mutating cloud call); may return status fields to remember. */
  run(ctx: PassContext<K>, action: A, prep: K['prep'] | undefined): Promise<Partial<K['status']> | void>;
}

export interface KindStatusInput<K extends KindTypes> extends CoreStatusInput {
  previous: K['status'];
  observed: K['observed'] | null | undefined;
  prep: K['prep'] | undefined;
  /** Status fields an action of this pass asked to remember (an upgrade started, a password set). */
  applied: Partial<K['status']> | undefined;
}

export interface KindAdapter<K extends KindTypes> {
  /** For messages: "Hadoop Eco cluster". */
  noun: string;
  credentials: CredentialKeys;
  /** The endpoint of the spec's region (throws UnknownRegion). */
  endpoint(spec: K['spec']): string;
  connect: (endpoint: string, id: string, secret: string) => K['cloud'];
  /** The cluster of `clusterId`; null only on proof that it does not exist. */
  observe(ctx: PassContext<K>, clusterId: string): Promise<K['observed'] | null>;
  /** Clusters named ctx.clusterName, to recover our own interrupted create. */
  findByName(ctx: PassContext<K>): Promise<CloudRef[]>;
  /**
   * What the plan and the actions need beyond the credentials and the observation: Secret values,
   * and what the spec refers to (looked up only when a change is coming). Runs after observing,
   * never while deleting.
   */
  prepare?(ctx: PassContext<K>, observed: K['observed'] | null | undefined): Promise<K['prep'] | undefined> | K['prep'] | undefined;
  plan(input: ManagedPlanInput<K['spec'], K['observed']> & { previous: K['status']; prep: K['prep'] | undefined }): Plan<K['action']>;
  /** The one non-idempotent call: returns the new id, or undefined when the cloud returns none. */
  create(ctx: PassContext<K>, prep: K['prep'] | undefined): Promise<{ id: string | undefined; applied?: Partial<K['status']> }>;
  delete(ctx: PassContext<K>, clusterId: string): Promise<void>;
  actions: { [T in KindActionType<K['action']>]: ActionHandler<K, Extract<K['action'], { type: T }>> };
  status(input: KindStatusInput<K>): K['status'];
  /** Endpoints for the connection-info ConfigMap (empty values are left out). */
  connectionInfo(status: K['status']): Record<string, string | undefined>;
  /** Fields the cloud echoes back, compared with the spec once the cluster runs. */
  verify: readonly FieldCheck<K['spec'], K['observed']>[];
}

/** An action that is exactly one cloud call on the known cluster, recorded with `reason`. */
export function oneCall<K extends KindTypes, A>(
  reason: EventReason,
  call: (cloud: K['cloud'], clusterId: string, action: A) => Promise<unknown>,
): ActionHandler<K, A> {
  return {
    reason,
    async run(ctx, action) {
      await call(ctx.cloud(), ctx.clusterId!, action);
    },
  };
}
