// Per-resource state metrics: how many resources of each kind are Ready, Reconciling, Stalled or
// Paused, how long a resource takes from creation to its first Ready, and how long resources stay
// in each phase. Read from the informer caches the controllers already keep, so they cost nothing
// per reconcile: the gauges are computed when Prometheus scrapes (O(resources), no allocation per
// object beyond the cache's list), the histograms are observed from the caches' watch events.
//
// Only the leader reports them (every replica keeps the caches warm, so a standby would report
// the same resources again and a sum over pods would double them). Standbys still follow the
// events, so after a failover the new leader knows when the phases it saw begin.
import { Gauge, Histogram, type Registry } from 'prom-client';
import { findCondition, type Condition } from '../../runtime/conditions.ts';
import type { InformerHandler } from '../../runtime/informer.ts';
import type { KubeObject } from '../../runtime/object.ts';
import { annotations } from './schema.ts';
import { statusShowsPaused } from './phases.ts';

export const resourceStates = ['Ready', 'Reconciling', 'Stalled', 'Paused'] as const;
export type ResourceState = (typeof resourceStates)[number];

interface StatusView {
  phase?: string;
  observedGeneration?: number;
  conditions?: Condition[];
}

function statusOf(obj: KubeObject): StatusView {
  const s = obj['status'];
  return typeof s === 'object' && s !== null ? s : {};
}

function isTrue(obj: KubeObject, type: string): boolean {
  return findCondition(statusOf(obj).conditions, type)?.status === 'True';
}

/**
 * The one state a resource is in, so that the states of a kind add up to its number of resources
 * (a dashboard can sum them). In this order, the first that holds:
 *  - Paused: `cdo.dev/paused` is "true" or the operator wrote the Paused phase (or a Reconciling
 *    condition of reason Paused, which a paused resource being deleted has): the cloud is only read.
 *  - Reconciling: the status describes an older generation of the spec (kstatus: in progress,
 *    whatever the conditions say), or no status yet.
 *  - Stalled: Stalled=True, progress needs a human.
 *  - Ready: Ready=True.
 *  - Reconciling: anything else (work under way, drifted, deleting).
 */
const isHeld = (obj: KubeObject): boolean => {
  const state = resourceState(obj);
  return state === 'Paused' || state === 'Stalled';
};

export function resourceState(obj: KubeObject): ResourceState {
  const status = statusOf(obj);
  if (obj.metadata.annotations?.[annotations.paused] === 'true' || statusShowsPaused(status)) return 'Paused';
  const generation = obj.metadata.generation;
  if (status.observedGeneration === undefined || (generation !== undefined && status.observedGeneration < generation)) return 'Reconciling';
  if (isTrue(obj, 'Stalled')) return 'Stalled';
  if (isTrue(obj, 'Ready')) return 'Ready';
  return 'Reconciling';
}

/** Phases a resource has before its cloud object first ran: one in these has never been Ready. */
const beforeFirstRun = new Set<string | undefined>([undefined, 'Pending', 'Creating']);

// Cloud operations take minutes to hours (a Hadoop Eco create ~15 min, a CDSS create or upgrade
// up to an hour or more); adoption and config groups take seconds. Up to a week, for phases
// like Running that last until the next change.
export const lifecycleBuckets = [
  1, 5, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800, 21600, 43200, 86400, 604800,
];

/** What the metrics need of a cache: its objects now, and its events. */
export interface ObjectSource {
  list(): KubeObject[];
  on(handler: InformerHandler): void;
}

interface Tracked {
  phase: string | undefined;
  /** When this process saw the phase begin (ms); undefined when it was already in it when first seen. */
  since: number | undefined;
  /** When this process first saw the resource in its phase (ms): a lower bound of its time in it. */
  seen: number;
  /** Not Ready yet and never ran when first seen: its first Ready is still to be timed. */
  awaitingFirstReady: boolean;
  /**
   * Paused or Stalled: held on purpose or waiting for a fix, which cdo_resources counts. Left out
   * of the longest stay in a phase, so a paused resource being deleted, or a stalled create, does
   * not also read as stuck.
   */
  held: boolean;
}

export interface ResourceStateMetricsOptions {
  registry: Registry;
  /** Whether this replica reports (the leader; always true without leader election). */
  leading: () => boolean;
  /** ms since the epoch; injectable for tests. */
  now?: () => number;
}

export class ResourceStateMetrics {
  private readonly kinds = new Map<string, { source: ObjectSource; tracked: Map<string, Tracked> }>();
  private readonly leading: () => boolean;
  private readonly now: () => number;
  readonly resources: Gauge<'kind' | 'resource_namespace' | 'state'>;
  readonly timeToReady: Histogram<'kind'>;
  readonly phaseDuration: Histogram<'kind' | 'phase'>;
  readonly longestInPhase: Gauge<'kind' | 'phase'>;

  constructor(opts: ResourceStateMetricsOptions) {
    this.leading = opts.leading;
    this.now = opts.now ?? Date.now;
    // prom-client calls collect() with the metric as `this`.
    const collectStates = (g: Gauge<'kind' | 'resource_namespace' | 'state'>) => this.collectStates(g);
    const collectLongest = (g: Gauge<'kind' | 'phase'>) => this.collectLongest(g);
    this.resources = new Gauge({
      name: 'cdo_resources',
      help: "Resources of the operator's kinds by kind, namespace (resource_namespace) and state (Ready, Reconciling, Stalled, Paused: exactly one per resource, so they sum to the total); leader only",
      // Not `namespace`: Prometheus sets that label to the scraped pod's namespace, and a scrape
      // without honor_labels would rename the metric's own to exported_namespace.
      labelNames: ['kind', 'resource_namespace', 'state'] as const,
      registers: [opts.registry],
      collect() {
        collectStates(this);
      },
    });
    this.timeToReady = new Histogram({
      name: 'cdo_resource_time_to_ready_seconds',
      help: "Time from a resource's creation (metadata.creationTimestamp) to its first Ready, observed once per resource by the leader that sees it",
      labelNames: ['kind'] as const,
      buckets: lifecycleBuckets,
      registers: [opts.registry],
    });
    this.phaseDuration = new Histogram({
      name: 'cdo_resource_phase_duration_seconds',
      help: 'Time a resource spent in a phase, observed by the leader when it leaves it (only phases whose start this process saw)',
      labelNames: ['kind', 'phase'] as const,
      buckets: lifecycleBuckets,
      registers: [opts.registry],
    });
    this.longestInPhase = new Gauge({
      name: 'cdo_resource_longest_in_phase_seconds',
      help: 'Longest time any resource of a kind that is not Paused or Stalled has been in its current phase, by phase (counted from when this process first saw it there: a lower bound after a restart); leader only',
      labelNames: ['kind', 'phase'] as const,
      registers: [opts.registry],
      collect() {
        collectLongest(this);
      },
    });
  }

  /** Follows a kind's cache: its events drive the histograms, its list the gauges. */
  track(kind: string, source: ObjectSource): void {
    const tracked = new Map<string, Tracked>();
    this.kinds.set(kind, { source, tracked });
    source.on((type, obj, old) => {
      // A relist after a watch gap reports a resource deleted and made again under the same name
      // as an update from the old object: forget the old uid, or it would be kept for ever.
      if (old && old.metadata.uid !== obj.metadata.uid) tracked.delete(old.metadata.uid);
      if (type === 'delete') tracked.delete(obj.metadata.uid);
      else this.seen(kind, tracked, obj);
    });
  }

  private seen(kind: string, tracked: Map<string, Tracked>, obj: KubeObject): void {
    const now = this.now();
    const phase = statusOf(obj).phase;
    const ready = isTrue(obj, 'Ready');
    const t = tracked.get(obj.metadata.uid);
    if (!t) {
      // First sight (the initial list after a start, or a new resource). One already Ready became
      // Ready before we looked: its time to Ready is unknown, and observing it now would count it
      // again at every restart, with the process's age as its value. One not Ready that already
      // ran (Running, Scaling…) may have been Ready before, so its next Ready is not its first.
      // A phase it is already in began at a time we do not know.
      tracked.set(obj.metadata.uid, {
        phase,
        since: undefined,
        seen: now,
        awaitingFirstReady: !ready && beforeFirstRun.has(phase),
        held: isHeld(obj),
      });
      return;
    }
    t.held = isHeld(obj);
    if (t.phase !== phase) {
      if (t.since !== undefined && t.phase !== undefined && this.leading()) {
        this.phaseDuration.observe({ kind, phase: t.phase }, (now - t.since) / 1000);
      }
      t.phase = phase;
      t.since = now;
      t.seen = now;
    }
    if (t.awaitingFirstReady && ready) {
      t.awaitingFirstReady = false;
      const stamp = obj.metadata['creationTimestamp'];
      const created = typeof stamp === 'string' ? Date.parse(stamp) : NaN;
      if (Number.isFinite(created) && this.leading()) this.timeToReady.observe({ kind }, Math.max(0, (now - created) / 1000));
    }
  }

  private collectStates(gauge: Gauge<'kind' | 'resource_namespace' | 'state'>): void {
    gauge.reset();
    if (!this.leading()) return;
    for (const [kind, { source }] of this.kinds) {
      const counts = new Map<string, Record<ResourceState, number>>();
      for (const obj of source.list()) {
        const namespace = obj.metadata.namespace ?? '';
        let c = counts.get(namespace);
        if (!c) counts.set(namespace, (c = { Ready: 0, Reconciling: 0, Stalled: 0, Paused: 0 }));
        c[resourceState(obj)]++;
      }
      // Every state of a namespace that has resources, zeros included: "0 Stalled" is a value.
      for (const [namespace, c] of counts)
        for (const state of resourceStates) gauge.set({ kind, resource_namespace: namespace, state }, c[state]);
    }
  }

  private collectLongest(gauge: Gauge<'kind' | 'phase'>): void {
    gauge.reset();
    if (!this.leading()) return;
    const now = this.now();
    for (const [kind, { tracked }] of this.kinds) {
      const longest = new Map<string, number>();
      for (const t of tracked.values()) {
        if (t.phase === undefined || t.held) continue;
        const age = (now - (t.since ?? t.seen)) / 1000;
        if (age > (longest.get(t.phase) ?? -1)) longest.set(t.phase, age);
      }
      for (const [phase, age] of longest) gauge.set({ kind, phase }, age);
    }
  }
}

const byRegistry = new WeakMap<Registry, ResourceStateMetrics>();

/** The registry's one set of state metrics (every kind registers into the same, like cloudMetrics). */
export function resourceStateMetrics(registry: Registry, leading: () => boolean): ResourceStateMetrics {
  let m = byRegistry.get(registry);
  if (!m) byRegistry.set(registry, (m = new ResourceStateMetrics({ registry, leading })));
  return m;
}
