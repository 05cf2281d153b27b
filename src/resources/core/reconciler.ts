// The managed reconciler (architecture §1, §3b): one pass for every kind. Parse the spec, hold the
// finalizer, honour pause and the policies, observe the cloud (clients built only when a cloud call
// is about to be made), let the kind's pure plan decide, carry out at most one mutation (the create
// crash-safely), then write status only if it changed, record the pass's Events, publish the
// connection info and say when to look again. Errors that need a human become Stalled with the
// cloud's words; transient ones leave status alone and go back to the controller's backoff.
import type { Logger } from 'pino';
import type { ReconcileFn, ReconcileOutcome } from '../../runtime/controller.ts';
import { errorMessage, isClassified } from '../../runtime/errors.ts';
import { hasFinalizer } from '../../runtime/finalizer.ts';
import type { KubeObject } from '../../runtime/object.ts';
import type { CloudRef } from '../../clouds/lifecycle.ts';
import { connectionData } from './connection-info.ts';
import type { KindCrd } from './crd.ts';
import type { CloudClients } from './credentials.ts';
import { eventsFor, type ActionTaken } from './events.ts';
import { adoptOwn, createAccepted, createOnce, hasCreateIntent, knownClusterId } from './identity.ts';
import type { ActionHandler, KindAdapter, KindTypes, PassContext } from './kind.ts';
import { consistentPlan } from './phases.ts';
import { pausedDeletionPlan, pausedPlan, previewPlan, stalledFrom, type Plan } from './plan.ts';
import { cadenceSeconds, requeueSeconds } from './cadence.ts';
import type { Preview } from './preview.ts';
import { annotations } from './schema.ts';
import { carriedChanges, parseApprovals, startsDisruptive } from './changes.ts';
import { readSecretKey, SecretMissingError, secretRefNames, type SecretReader, type SecretSource } from './secrets.ts';
import { nowRfc3339 } from '../../runtime/conditions.ts';
import type { ReferenceReader } from './references.ts';
import { finalizerName, type ResourceStore } from './store.ts';
import { differences, type Difference } from './verify.ts';

export interface ManagedDeps<Cloud> {
  store: ResourceStore;
  secrets: SecretReader;
  clients: CloudClients<Cloud>;
  /** Objects of the operator's other kinds a spec names (none when omitted). */
  references?: ReferenceReader;
  /** Seconds between looks while the cloud is changing, and when it is stable. */
  cadence: { busySeconds: number; steadySeconds: number };
  /** The clock maintenance windows are judged by (tests pass their own). */
  clock?: () => Date;
}

export function managedReconciler<K extends KindTypes>(
  crd: KindCrd<K['spec'], K['status']>,
  kind: KindAdapter<K>,
  deps: ManagedDeps<K['cloud']>,
): ReconcileFn {
  // The clients each resource last used: deleting it can still reach the cloud after its
  // credentials Secret went first (deleting a namespace deletes both at once).
  const lastClients: LastClients<K> = new Map();
  return async (req) => {
    const key = `${req.key.namespace}/${req.key.name}`;
    if (!req.object) {
      lastClients.delete(key);
      deps.secrets.release(secretReader(crd, key));
      return;
    }
    return new Pass(crd, kind, deps, req.object, req.log, lastClients, key).run();
  };
}

/** What a pass has learnt so far; status is built from it, also when the pass ends in an error. */
type LastClients<K extends KindTypes> = Map<string, { uid: string; cloud: K['cloud'] }>;

interface Facts<K extends KindTypes> {
  clusterId: string | undefined;
  observed: K['observed'] | null | undefined;
  prep: K['prep'] | undefined;
  applied: Partial<K['status']> | undefined;
  deleteRequestedAt: string | undefined;
  verified: Difference[] | undefined;
}

export class Pass<K extends KindTypes> {
  private client: K['cloud'] | undefined;
  /** The Secrets this pass read, before anything that needs them. */
  private secrets: SecretSource = new Map<string, KubeObject>();
  private readonly deleting: boolean;
  private readonly crd: KindCrd<K['spec'], K['status']>;
  private readonly kind: KindAdapter<K>;
  private readonly deps: ManagedDeps<K['cloud']>;
  private readonly object: KubeObject;
  private readonly log: Logger;
  private readonly lastClients: LastClients<K>;
  private readonly key: string;
  /** Set by a preview: the plan and the status a pass would write, and nothing carried out or written. */
  previewed: Preview | undefined;
  private readonly previewOnly: boolean;
  /** The pass's clock reading: windows, startedAt and condition times agree within a pass. */
  private readonly now: Date;
  private readonly clock: () => Date;

  constructor(
    crd: KindCrd<K['spec'], K['status']>,
    kind: KindAdapter<K>,
    deps: ManagedDeps<K['cloud']>,
    object: KubeObject,
    log: Logger,
    lastClients: LastClients<K>,
    key: string,
    previewOnly = false,
  ) {
    this.crd = crd;
    this.kind = kind;
    this.deps = deps;
    this.object = object;
    this.deleting = object.metadata.deletionTimestamp !== undefined;
    this.log = log;
    this.lastClients = lastClients;
    this.key = key;
    this.previewOnly = previewOnly;
    this.clock = deps.clock ?? (() => new Date());
    this.now = this.clock();
  }

  async run(): Promise<ReconcileOutcome | void> {
    const { kind, deps } = this;
    const previous = this.previousStatus();
    const meta = this.object.metadata;
    const parsed = this.parseSpec();
    const facts: Facts<K> = {
      clusterId: previous.clusterId,
      observed: undefined,
      prep: undefined,
      applied: undefined,
      deleteRequestedAt: previous.deleteRequestedAt,
      verified: undefined,
    };
    if (!parsed.success) {
      // Admission normally guarantees the schema; an object stored before a CRD change might not pass.
      const message = parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ');
      const clusterName = previous.clusterName ?? meta.name;
      const invalid = { ...stalledFrom(previous.phase, 'InvalidSpec', message, this.deleting), changes: carriedChanges(previous) };
      await this.conclude(this.object, previous, invalid, clusterName, facts);
      return;
    }
    const spec = parsed.data;
    const paused = meta.annotations?.[annotations.paused] === 'true';
    if (this.deleting && !hasFinalizer(this.object, finalizerName)) return;
    const manage = spec.managementPolicy === 'Manage';
    const { words } = this.crd;
    const clusterName = specString(spec, words.nameField) ?? meta.name;
    const adopting = specString(spec, words.idField) !== undefined;
    facts.clusterId = knownClusterId(this.object, specString(spec, words.idField), previous.clusterId);
    // The finalizer is held before anything can happen in the cloud. A resource that may already
    // have a cloud cluster (an id, or the intent of an interrupted create) gets it first, as
    // always; a new one gets it with its create intent (one write, not two), or before whatever
    // else its plan does.
    const holdFinalizer = !this.deleting && !paused && manage && !this.previewOnly;
    const mayHaveCluster = facts.clusterId !== undefined || hasCreateIntent(this.object);
    let obj = holdFinalizer && mayHaveCluster ? await deps.store.addFinalizer(this.object) : this.object;
    // A paused resource is observed and planned but never changed: its status previews the plan
    // (below). Paused while being deleted, it shows Deleting and waits for the annotation to go,
    // without a preview.
    if (paused && this.deleting) {
      await this.conclude(obj, previous, pausedDeletionPlan(), clusterName, facts);
      return;
    }
    const ctx = this.context(obj, spec, previous, clusterName, facts);
    const now = this.now;
    let plan: Plan<K['action']> | undefined;
    try {
      // Secrets are read on demand (secrets.ts); what follows reads them synchronously.
      this.secrets = await deps.secrets.read(secretReader(this.crd, this.key), this.secretKeys(meta.namespace ?? '', spec));
      // Letting go under Retain or ObserveOnly needs no cloud call, and so no credentials.
      const lettingGo = this.deleting && (!manage || spec.deletionPolicy === 'Retain');
      let sameName: CloudRef[] | undefined;
      if (!lettingGo && facts.clusterId !== undefined) facts.observed = await kind.observe(ctx, facts.clusterId);
      // Only to recover our own interrupted create: never adopt a cluster that merely shares the name.
      else if (!lettingGo && manage && hasCreateIntent(obj)) sameName = await kind.findByName(ctx);
      if (!this.deleting) facts.prep = await kind.prepare?.(ctx, facts.observed);
      const planAt = (at: Date) =>
        kind.plan({
          spec,
          clusterName,
          words,
          adopting,
          deleting: this.deleting,
          paused: false,
          clusterId: facts.clusterId,
          createRequested: hasCreateIntent(obj),
          createAccepted: createAccepted(obj),
          observed: facts.observed,
          sameName,
          deleteSent: previous.deleteRequestedAt !== undefined,
          previousPhase: previous.phase,
          previous,
          prep: facts.prep,
          gate: {
            now: at,
            policy: spec.changePolicy ?? 'Automatic',
            window: spec.maintenanceWindow,
            approvals: parseApprovals(meta.annotations?.[annotations.approve]),
            generation: meta.generation ?? 0,
            previous: previous.pendingChanges ?? [],
            used: previous.approvalsUsed,
          },
        });
      plan = planAt(now);
      if (paused || this.previewOnly) {
        await this.conclude(obj, previous, paused ? previewPlan(plan) : plan, clusterName, facts);
        return;
      }
      // Reads and retries may have taken long enough for the window to close: a disruptive change
      // is judged again on the clock of the moment it would start (the plan is pure, so this is cheap).
      if (spec.maintenanceWindow && startsDisruptive(plan)) {
        const later = planAt(this.clock());
        if (later.action.type !== plan.action.type) plan = later;
      }
      if (holdFinalizer && !mayHaveCluster && plan.action.type !== 'Create') ctx.obj = obj = await deps.store.addFinalizer(obj);
      const outcome = await this.carryOut(ctx, plan, facts);
      if (outcome === 'released') return;
      obj = outcome.obj;
      // Only with nothing pending: a change held for its window or an approval is not a field the
      // cloud failed to apply.
      if (plan.action.type === 'Done' && plan.phase === 'Running' && facts.observed && !plan.changes?.pending.length) {
        facts.verified = differences(kind.verify, spec, facts.observed);
      }
      const status = await this.report(obj, previous, plan, clusterName, facts, outcome.taken);
      const configMap = spec.connectionInfo?.configMapName;
      if (configMap && status.clusterId) await deps.store.publish(obj, configMap, connectionData(kind.connectionInfo(status)));
      return { requeueAfter: requeueSeconds(plan, deps.cadence, now) };
    } catch (err) {
      if (this.previewOnly) throw err;
      // Transient failures (and unknown errors, which count as transient) are retried with backoff
      // and leave status as it was (no churn while a cloud blips); anything that needs a human is
      // reported as Stalled with the cloud's words.
      const transient = !isClassified(err) || err.errorClass === 'transient';
      // The changes listed stay listed: a failed pass does not make them go away (nor finish them).
      const changes = plan?.changes ?? carriedChanges(previous);
      if (paused) {
        // Paused, nothing is waiting on this pass: a blip leaves the preview as it was and is not
        // retried (the next edit, or the steady cadence, previews again); a failure that needs a
        // human says why there is no plan to show.
        if (transient) {
          this.log.info({ err: errorMessage(err) }, 'paused: no preview of the plan this time; trying again later');
          return { requeueAfter: cadenceSeconds('steady', deps.cadence) };
        }
        const note = `${pausedPlan().state.message}; no preview of the plan: ${errorMessage(err)}`;
        const noPreview = { ...pausedPlan(), changes, state: { ...pausedPlan().state, message: note } };
        await this.report(obj, previous, noPreview, clusterName, facts, undefined);
        return;
      }
      if (transient) throw err;
      const stalled = stalledFrom(previous.phase, err.reason, this.explain(err, facts.clusterId), this.deleting);
      await this.report(obj, previous, { ...stalled, changes }, clusterName, facts, undefined);
      throw err;
    }
  }

  /**
   * The spec, parsed. A deletion never reads when or with whose approval changes start, so a
   * resource being deleted is not held by a mistake there (an unknown time zone admission cannot
   * catch): its deletion goes on without them.
   */
  private parseSpec() {
    const raw = this.object['spec'];
    const parsed = this.crd.spec.safeParse(raw);
    if (parsed.success || !this.deleting || typeof raw !== 'object' || raw === null) return parsed;
    const { maintenanceWindow: _window, changePolicy: _policy, ...rest } = raw as Record<string, unknown>;
    const without = this.crd.spec.safeParse(rest);
    return without.success ? without : parsed;
  }

  private previousStatus(): K['status'] {
    const s = this.crd.status.safeParse(this.object['status'] ?? {});
    return s.success ? s.data : {};
  }

  private context(obj: KubeObject, spec: K['spec'], previous: K['status'], clusterName: string, facts: Facts<K>) {
    const { deps } = this;
    const namespace = obj.metadata.namespace ?? '';
    const ctx: PassContext<K> = {
      obj,
      spec,
      previous,
      clusterName,
      get clusterId() {
        return facts.clusterId;
      },
      cloud: () => this.cloud(namespace, spec),
      credentials: () => deps.clients.credentials(this.secrets, namespace, spec.credentialsSecretRef),
      secret: (ref, what) => readSecretKey(this.secrets, namespace, ref.name, ref.key, what),
      read: (resource, name) => deps.references?.(resource, namespace, name),
      log: this.log,
    };
    return ctx;
  }

  /** Every Secret a pass may read: those the spec names, and the default credentials when it names none. */
  private secretKeys(namespace: string, spec: K['spec']): string[] {
    const named = secretRefNames(spec).map((name) => `${namespace}/${name}`);
    const credentials = this.deps.clients.secretKey(namespace, spec.credentialsSecretRef);
    return [...new Set(credentials ? [...named, credentials] : named)];
  }

  /** The cloud clients, built on first use; a deletion falls back to the ones this resource last used. */
  private cloud(namespace: string, spec: K['spec']): K['cloud'] {
    if (this.client !== undefined) return this.client;
    const uid = this.object.metadata.uid;
    try {
      this.client = this.deps.clients.get(this.secrets, namespace, spec.credentialsSecretRef, this.kind.endpoint(spec));
      this.lastClients.set(this.key, { uid, cloud: this.client });
    } catch (err) {
      const last = this.lastClients.get(this.key);
      if (!(this.deleting && err instanceof SecretMissingError && last?.uid === uid)) throw err;
      this.log.info({ reason: err.reason }, 'the credentials are gone; deleting with the credentials this resource used last');
      this.client = last.cloud;
    }
    return this.client;
  }

  /** The message of a stall; a deletion blocked by missing credentials says how to let go. */
  private explain(err: unknown, clusterId: string | undefined): string {
    const message = errorMessage(err);
    if (!(this.deleting && err instanceof SecretMissingError)) return message;
    const what = clusterId !== undefined ? `${this.kind.noun} ${clusterId}` : `the ${this.kind.noun} of an interrupted create`;
    return (
      `${message}. Deleting this ${this.crd.kind} deletes ${what} first, which needs these credentials: restore them, ` +
      'or set spec.deletionPolicy to Retain to let the resource go and keep the cloud cluster'
    );
  }

  /** Carries out the plan's one action; the Event it deserves comes back with the updated object. */
  private async carryOut(
    ctx: PassContext<K>,
    plan: Plan<K['action']>,
    facts: Facts<K>,
  ): Promise<'released' | { obj: KubeObject; taken: ActionTaken | undefined }> {
    const { kind, deps } = this;
    const a = plan.action;
    const note = plan.state.message;
    switch (a.type) {
      case 'Create': {
        const created = await createOnce(
          deps.store,
          ctx.obj,
          ctx.clusterName,
          () => kind.create(ctx, facts.prep),
          kind.noun,
          this.crd.words,
        );
        facts.clusterId = created.clusterId;
        facts.applied = created.applied;
        ctx.log.info({ clusterId: created.clusterId, clusterName: ctx.clusterName }, 'cloud cluster create accepted');
        const id = created.clusterId !== undefined ? ` (${created.clusterId})` : '';
        return { obj: created.obj, taken: { reason: 'CreateRequested', note: `${note}${id}` } };
      }
      case 'Adopt': {
        const clusterId = (a as unknown as { clusterId: string }).clusterId;
        const obj = await adoptOwn(deps.store, ctx.obj, clusterId);
        facts.clusterId = clusterId;
        return { obj, taken: { reason: 'Adopted', note: `${note}: ${clusterId}` } };
      }
      case 'Delete':
        await kind.delete(ctx, facts.clusterId!);
        facts.deleteRequestedAt = nowRfc3339();
        return { obj: ctx.obj, taken: { reason: 'DeleteRequested', note } };
      case 'ReleaseFinalizer': {
        const configMap = ctx.spec.connectionInfo?.configMapName;
        if (configMap) await deps.store.unpublish(ctx.obj, configMap);
        await deps.store.removeFinalizer(ctx.obj);
        this.lastClients.delete(this.key);
        for (const e of eventsFor({}, undefined, { reason: 'Deleted', note })) await deps.store.event(ctx.obj, e);
        return 'released';
      }
      case 'Wait':
      case 'Done':
      case 'Stall':
        return { obj: ctx.obj, taken: undefined };
      default: {
        // The plan's union is closed, so every other action has a handler (kind.ts types it).
        const handler = (kind.actions as Record<string, ActionHandler<K, K['action']>>)[a.type]!;
        facts.applied = (await handler.run(ctx, a, facts.prep)) ?? undefined;
        return { obj: ctx.obj, taken: { reason: handler.reason, note } };
      }
    }
  }

  /** Writes status if it changed, then the pass's Events; returns the status computed. */
  private async report(
    obj: KubeObject,
    previous: K['status'],
    plan: Plan<{ type: string }>,
    clusterName: string,
    facts: Facts<K>,
    taken: ActionTaken | undefined,
  ): Promise<K['status']> {
    const status = this.statusOf(obj, previous, plan, clusterName, facts, taken !== undefined);
    const wrote = await this.deps.store.writeStatus(obj, status);
    // The action's Event names the change it started, so approvals and Events line up by id.
    const startedId = taken && plan.changes?.pending.find((c) => c.waitingFor === 'Nothing')?.id;
    if (taken && startedId) taken = { ...taken, note: `${taken.note} [change ${startedId}]` };
    // An action is worth its Event even when status did not move; a transition only when it did.
    if (wrote || taken) for (const e of eventsFor(previous, status, taken)) await this.deps.store.event(obj, e);
    return status;
  }

  /** A pass that carries nothing out: its status is written, or, in a preview, kept as the preview. */
  private async conclude(obj: KubeObject, previous: K['status'], plan: Plan<{ type: string }>, clusterName: string, facts: Facts<K>) {
    if (this.previewOnly) this.previewed = { plan, status: this.statusOf(obj, previous, plan, clusterName, facts) };
    else await this.report(obj, previous, plan, clusterName, facts, undefined);
  }

  /** The status a pass with this plan reports (pure: the kind's mapping of what the pass learnt). */
  private statusOf(
    obj: KubeObject,
    previous: K['status'],
    plan: Plan<{ type: string }>,
    clusterName: string,
    facts: Facts<K>,
    acted = false,
  ): K['status'] {
    return this.kind.status({
      previous,
      // Held to the phase rule here, once for every kind, so what a kind reads of the plan agrees too.
      plan: consistentPlan(plan, this.deleting),
      deleting: this.deleting,
      acted,
      generation: obj.metadata.generation,
      clusterId: facts.clusterId,
      clusterName,
      deleteRequestedAt: facts.deleteRequestedAt,
      lastHandledReconcileAt: obj.metadata.annotations?.[annotations.reconcileRequestedAt],
      verified: facts.verified,
      observed: facts.observed,
      prep: facts.prep,
      applied: facts.applied,
      now: this.now,
    });
  }
}

/** Who reads a resource's Secrets in the shared store: the kind and the key (kinds share names). */
function secretReader(crd: { kind: string }, key: string): string {
  return `${crd.kind} ${key}`;
}

/** A spec field the core reads by name (the kind's identity fields); only strings count. */
function specString(spec: object, field: string): string | undefined {
  const v = (spec as Record<string, unknown>)[field];
  return typeof v === 'string' ? v : undefined;
}
