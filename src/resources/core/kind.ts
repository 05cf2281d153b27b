// What a kind supplies to the managed core (architecture §3b): its schemas, how to reach its cloud
// from credentials, how to observe and find its clusters, the pure plan, one function per action
// of its own, how the cloud's answers map to status, and which fields to verify. Everything every
// kind must do the same way (finalizer, pause, ObserveOnly, crash-safe create, deletion on proof,
// errors → conditions, status writes, Events, connection info, cadence) is the core's.
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { CloudRef } from '../../clouds/lifecycle.ts';
import type { ResourceType } from '../../runtime/kube.ts';
import type { KubeObject } from '../../runtime/object.ts';
import type { CredentialKeys } from './credentials.ts';
import type { EventReason } from './events.ts';
import type { CoreAction, ManagedPlanInput, Plan, PlannedSpec } from './plan.ts';
import type { CommonStatus } from './schema.ts';
import type { CoreStatusInput } from './status.ts';
import type { FieldCheck } from './verify.ts';

/** The spec fields the core reads, in every kind. */
export interface ManagedSpec extends PlannedSpec {
  /** The cloud cluster's name; metadata.name when omitted. */
  clusterName?: string | undefined;
  credentialsSecretRef?: { name: string } | undefined;
  connectionInfo?: { configMapName: string } | undefined;
}

/** One pass's view of the resource, handed to the adapter's functions. */
export interface PassContext<Spec, Status, Cloud> {
  obj: KubeObject;
  spec: Spec;
  previous: Status;
  clusterName: string;
  /** The cloud id known so far in this pass. */
  clusterId: string | undefined;
  /** The cloud clients, built from the resource's credentials when first asked for. */
  cloud(): Cloud;
  /** The resource's cloud credential, [id, secret]: for keys derived from it, never for logs. */
  credentials(): [string, string];
  /** A value from a Secret of the resource's namespace (never logged). */
  secret(ref: { name: string; key: string }, what: string): string;
  log: Logger;
}

/** The kind's own actions: its plan's union minus the core's. */
export type KindActionType<A extends { type: string }> = Exclude<A['type'], CoreAction['type']>;

export interface ActionHandler<Spec, Status, Cloud, Prep, A> {
  /** The Event recorded when the action was carried out. */
  reason: EventReason;
  /** Carries the action out (one mutating cloud call); may return status fields to remember. */
  run(ctx: PassContext<Spec, Status, Cloud>, action: A, prep: Prep | undefined): Promise<Partial<Status> | void>;
}

export interface KindStatusInput<Status extends CommonStatus, Observed, Prep> extends CoreStatusInput {
  previous: Status;
  observed: Observed | null | undefined;
  prep: Prep | undefined;
  /** Status fields an action of this pass asked to remember (an upgrade started, a password set). */
  applied: Partial<Status> | undefined;
}

export interface KindAdapter<
  Spec extends ManagedSpec,
  Status extends CommonStatus,
  Cloud,
  Observed,
  Action extends { type: string },
  Prep = undefined,
> {
  resource: ResourceType;
  /** For messages: "Hadoop Eco cluster". */
  noun: string;
  specSchema: z.ZodType<Spec, unknown>;
  statusSchema: z.ZodType<Status, unknown>;
  credentials: CredentialKeys;
  /** The endpoint of the spec's region (throws UnknownRegion). */
  endpoint(spec: Spec): string;
  connect: (endpoint: string, id: string, secret: string) => Cloud;
  /** The cluster of `clusterId`; null only on proof that it does not exist. */
  observe(ctx: PassContext<Spec, Status, Cloud>, clusterId: string): Promise<Observed | null>;
  /** Clusters named ctx.clusterName, to recover our own interrupted create. */
  findByName(ctx: PassContext<Spec, Status, Cloud>): Promise<CloudRef[]>;
  /** What the plan and the actions need from Secrets beyond the credentials (read after observing, never while deleting). */
  prepare?(ctx: PassContext<Spec, Status, Cloud>): Prep | undefined;
  plan(input: ManagedPlanInput<Spec, Observed> & { previous: Status; prep: Prep | undefined }): Plan<Action>;
  /** The one non-idempotent call: returns the new id, or undefined when the cloud returns none. */
  create(ctx: PassContext<Spec, Status, Cloud>, prep: Prep | undefined): Promise<{ id: string | undefined; applied?: Partial<Status> }>;
  delete(ctx: PassContext<Spec, Status, Cloud>, clusterId: string): Promise<void>;
  actions: { [T in KindActionType<Action>]: ActionHandler<Spec, Status, Cloud, Prep, Extract<Action, { type: T }>> };
  status(input: KindStatusInput<Status, Observed, Prep>): Status;
  /** Endpoints for the connection-info ConfigMap (empty values are left out). */
  connectionInfo(status: Status): Record<string, string | undefined>;
  /** Fields the cloud echoes back, compared with the spec once the cluster runs. */
  verify: readonly FieldCheck<Spec, Observed>[];
}
