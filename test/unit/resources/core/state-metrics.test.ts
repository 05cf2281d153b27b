// The per-resource state metrics (core/state-metrics.ts) over a fake cache: the state of each
// resource, the gauge a scrape computes from the cache's list, and the histograms its events drive.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Condition } from '../../../../src/runtime/conditions.ts';
import type { InformerEventType, InformerHandler } from '../../../../src/runtime/informer.ts';
import type { KubeObject } from '../../../../src/runtime/object.ts';
import { resourceState, ResourceStateMetrics, type ObjectSource } from '../../../../src/resources/core/state-metrics.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function cond(type: string, status: 'True' | 'False', reason = 'R'): Condition {
  return { type, status, reason, message: '', lastTransitionTime: '2026-01-01T00:00:00Z' };
}

interface Shape {
  name?: string;
  namespace?: string;
  generation?: number;
  observedGeneration?: number;
  phase?: string;
  ready?: boolean;
  stalled?: boolean;
  reconcilingReason?: string;
  paused?: boolean;
  created?: number;
}

function obj(s: Shape = {}): KubeObject {
  const name = s.name ?? 'a';
  const conditions =
    s.ready === undefined && s.stalled === undefined
      ? undefined
      : [
          cond('Ready', s.ready ? 'True' : 'False'),
          cond('Reconciling', !s.ready && !s.stalled ? 'True' : 'False', s.reconcilingReason),
          cond('Stalled', s.stalled ? 'True' : 'False'),
        ];
  const hasStatus = s.phase !== undefined || conditions !== undefined;
  return {
    metadata: {
      name,
      namespace: s.namespace ?? 'team-a',
      uid: `uid-${name}`,
      resourceVersion: '1',
      generation: s.generation ?? 1,
      creationTimestamp: new Date(s.created ?? T0).toISOString(),
      ...(s.paused ? { annotations: { 'cdo.dev/paused': 'true' } } : {}),
    },
    ...(hasStatus ? { status: { observedGeneration: s.observedGeneration ?? s.generation ?? 1, phase: s.phase, conditions } } : {}),
  };
}

describe('resourceState: exactly one state per resource', () => {
  const cases: Array<[string, Shape, string]> = [
    ['no status yet', {}, 'Reconciling'],
    ['Ready', { phase: 'Running', ready: true }, 'Ready'],
    ['creating', { phase: 'Creating', ready: false }, 'Reconciling'],
    ['Stalled (Ready False)', { phase: 'Pending', ready: false, stalled: true }, 'Stalled'],
    ['Ready, but the spec moved on since', { phase: 'Running', ready: true, generation: 2, observedGeneration: 1 }, 'Reconciling'],
    ['Stalled on an older spec', { phase: 'Pending', stalled: true, ready: false, generation: 3, observedGeneration: 2 }, 'Reconciling'],
    ['Paused phase', { phase: 'Paused', ready: false, reconcilingReason: 'Paused' }, 'Paused'],
    ['paused while deleting (Reconciling reason Paused)', { phase: 'Deleting', ready: false, reconcilingReason: 'Paused' }, 'Paused'],
    ['annotated paused, not yet reconciled', { phase: 'Running', ready: true, paused: true }, 'Paused'],
    ['deleting', { phase: 'Deleting', ready: false }, 'Reconciling'],
  ];
  for (const [what, shape, state] of cases) it(`${what} → ${state}`, () => expect(resourceState(obj(shape))).toBe(state));
});

/** A cache: a list, and the events a test sends as the watch would. */
class FakeSource implements ObjectSource {
  readonly objects = new Map<string, KubeObject>();
  private readonly handlers: InformerHandler[] = [];
  list(): KubeObject[] {
    return [...this.objects.values()];
  }
  on(handler: InformerHandler): void {
    this.handlers.push(handler);
  }
  put(o: KubeObject): void {
    const old = this.objects.get(o.metadata.uid);
    this.objects.set(o.metadata.uid, o);
    this.emit(old ? 'update' : 'add', o, old);
  }
  remove(o: KubeObject): void {
    this.objects.delete(o.metadata.uid);
    this.emit('delete', o, o);
  }
  /** What a relist after a watch gap reports for a resource deleted and made again under its name. */
  replacedWhileAway(old: KubeObject, o: KubeObject): void {
    this.objects.delete(old.metadata.uid);
    this.objects.set(o.metadata.uid, o);
    this.emit('update', o, old);
  }
  private emit(type: InformerEventType, o: KubeObject, old: KubeObject | undefined) {
    for (const h of this.handlers) h(type, o, old);
  }
}

function setup(opts: { leading?: boolean } = {}) {
  const registry = new Registry();
  let now = T0;
  let leading = opts.leading ?? true;
  const metrics = new ResourceStateMetrics({ registry, leading: () => leading, now: () => now });
  const source = new FakeSource();
  metrics.track('HadoopEcoCluster', source);
  return {
    registry,
    source,
    /** How many resources the metrics remember (what must not grow with churn). */
    remembered: () =>
      (metrics as unknown as { kinds: Map<string, { tracked: Map<string, unknown> }> }).kinds.get('HadoopEcoCluster')!.tracked.size,
    at(seconds: number) {
      now = T0 + seconds * 1000;
    },
    lead(v: boolean) {
      leading = v;
    },
    async values(name: string) {
      const m = registry.getSingleMetric(name);
      if (!m) throw new Error(`${name} is not registered`);
      return (await m.get()).values;
    },
    /** count and sum of a histogram's series with these labels. */
    async histogram(name: string, labels: Record<string, string>) {
      const values = (await this.values(name)).filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
      const pick = (suffix: string) => values.find((v) => (v as { metricName?: string }).metricName === `${name}${suffix}`)?.value ?? 0;
      return { count: pick('_count'), sum: pick('_sum') };
    },
  };
}

describe('what the metrics remember', () => {
  it('forgets a resource deleted and made again under its name while the watch was away (an update with a new uid)', () => {
    const t = setup();
    const first = obj({ name: 'r', phase: 'Running', ready: true });
    t.source.put(first);
    expect(t.remembered()).toBe(1);
    const again = { ...obj({ name: 'r', phase: 'Creating', ready: false }), metadata: { ...first.metadata, uid: 'uid-r-again' } };
    t.source.replacedWhileAway(first, again);
    expect(t.remembered()).toBe(1);
    t.source.remove(again);
    expect(t.remembered()).toBe(0);
  });
});

describe('cdo_resources: computed from the cache at scrape time', () => {
  it('counts each resource once, per kind, namespace and state, with zeros for the other states', async () => {
    const t = setup();
    t.source.put(obj({ name: 'r1', phase: 'Running', ready: true }));
    t.source.put(obj({ name: 'r2', phase: 'Running', ready: true }));
    t.source.put(obj({ name: 's1', phase: 'Pending', ready: false, stalled: true }));
    t.source.put(obj({ name: 'p1', namespace: 'team-b', phase: 'Paused', ready: false, reconcilingReason: 'Paused' }));
    t.source.put(obj({ name: 'c1', namespace: 'team-b', phase: 'Creating', ready: false }));
    const values = await t.values('cdo_resources');
    const by = Object.fromEntries(values.map((v) => [`${v.labels['resource_namespace']}/${v.labels['state']}`, v.value]));
    expect(by).toEqual({
      'team-a/Ready': 2,
      'team-a/Reconciling': 0,
      'team-a/Stalled': 1,
      'team-a/Paused': 0,
      'team-b/Ready': 0,
      'team-b/Reconciling': 1,
      'team-b/Stalled': 0,
      'team-b/Paused': 1,
    });
    expect(values.every((v) => v.labels['kind'] === 'HadoopEcoCluster')).toBe(true);
    expect(values.reduce((n, v) => n + v.value, 0)).toBe(t.source.objects.size);
  });

  it('follows the cache: a change or a deletion shows at the next scrape, a namespace emptied goes away', async () => {
    const t = setup();
    const a = obj({ name: 'a', phase: 'Creating', ready: false });
    const b = obj({ name: 'b', namespace: 'team-b', phase: 'Running', ready: true });
    t.source.put(a);
    t.source.put(b);
    t.source.put(obj({ name: 'a', phase: 'Running', ready: true }));
    t.source.remove(b);
    const values = await t.values('cdo_resources');
    expect(values.filter((v) => v.value > 0).map((v) => [v.labels['resource_namespace'], v.labels['state'], v.value])).toEqual([
      ['team-a', 'Ready', 1],
    ]);
    expect(values.some((v) => v.labels['resource_namespace'] === 'team-b')).toBe(false);
  });

  it('is reported by the leader only (a standby holds the same cache: a sum over pods would double it)', async () => {
    const t = setup({ leading: false });
    t.source.put(obj({ name: 'r1', phase: 'Running', ready: true }));
    expect(await t.values('cdo_resources')).toEqual([]);
    t.lead(true);
    expect((await t.values('cdo_resources')).find((v) => v.labels['state'] === 'Ready')?.value).toBe(1);
  });
});

describe('cdo_resource_time_to_ready_seconds', () => {
  it('observes a new resource once, at its first Ready, from its creationTimestamp', async () => {
    const t = setup();
    t.at(2);
    t.source.put(obj({ created: T0 }));
    t.at(3);
    t.source.put(obj({ phase: 'Creating', ready: false }));
    t.at(600);
    t.source.put(obj({ phase: 'Running', ready: false })); // Running, not yet Ready
    t.at(900);
    t.source.put(obj({ phase: 'Running', ready: true }));
    expect(await t.histogram('cdo_resource_time_to_ready_seconds', { kind: 'HadoopEcoCluster' })).toEqual({ count: 1, sum: 900 });
    // A later scale and Ready again is not a first Ready.
    t.at(1000);
    t.source.put(obj({ phase: 'Scaling', ready: false }));
    t.at(1500);
    t.source.put(obj({ phase: 'Running', ready: true }));
    expect(await t.histogram('cdo_resource_time_to_ready_seconds', { kind: 'HadoopEcoCluster' })).toEqual({ count: 1, sum: 900 });
  });

  it('after a restart: not for resources Ready before it, nor for ones that already ran; yes for ones still being created', async () => {
    const t = setup();
    t.at(5000); // the process starts long after these were created
    t.source.put(obj({ name: 'ready', phase: 'Running', ready: true }));
    t.source.put(obj({ name: 'scaling', phase: 'Scaling', ready: false }));
    t.source.put(obj({ name: 'creating', phase: 'Creating', ready: false, created: T0 + 4000_000 }));
    t.at(5100);
    t.source.put(obj({ name: 'ready', phase: 'Running', ready: true, generation: 2, observedGeneration: 2 }));
    t.source.put(obj({ name: 'scaling', phase: 'Running', ready: true }));
    t.source.put(obj({ name: 'creating', phase: 'Running', ready: true, created: T0 + 4000_000 }));
    expect(await t.histogram('cdo_resource_time_to_ready_seconds', { kind: 'HadoopEcoCluster' })).toEqual({ count: 1, sum: 1100 });
  });

  it('a standby observes nothing; once leading, it observes what it has followed', async () => {
    const t = setup({ leading: false });
    t.source.put(obj({ name: 'x', phase: 'Creating', ready: false }));
    t.source.put(obj({ name: 'y', phase: 'Creating', ready: false }));
    t.at(100);
    t.source.put(obj({ name: 'x', phase: 'Running', ready: true }));
    expect((await t.histogram('cdo_resource_time_to_ready_seconds', { kind: 'HadoopEcoCluster' })).count).toBe(0);
    t.lead(true);
    t.at(200);
    t.source.put(obj({ name: 'y', phase: 'Running', ready: true }));
    t.source.put(obj({ name: 'x', phase: 'Running', ready: true, generation: 2, observedGeneration: 2 }));
    expect(await t.histogram('cdo_resource_time_to_ready_seconds', { kind: 'HadoopEcoCluster' })).toEqual({ count: 1, sum: 200 });
  });
});

describe('cdo_resource_phase_duration_seconds and cdo_resource_longest_in_phase_seconds', () => {
  it('observes each phase whose start it saw, when the resource leaves it', async () => {
    const t = setup();
    t.source.put(obj()); // no status yet
    t.at(1);
    t.source.put(obj({ phase: 'Pending', ready: false }));
    t.at(11);
    t.source.put(obj({ phase: 'Creating', ready: false }));
    t.at(20);
    t.source.put(obj({ phase: 'Creating', ready: false, generation: 2, observedGeneration: 2 })); // same phase: nothing
    t.at(911);
    t.source.put(obj({ phase: 'Running', ready: true }));
    const h = (phase: string) => t.histogram('cdo_resource_phase_duration_seconds', { kind: 'HadoopEcoCluster', phase });
    expect(await h('Pending')).toEqual({ count: 1, sum: 10 });
    expect(await h('Creating')).toEqual({ count: 1, sum: 900 });
    expect(await h('Running')).toEqual({ count: 0, sum: 0 });
  });

  it('does not observe a phase the resource was already in when first seen (its start is unknown)', async () => {
    const t = setup();
    t.source.put(obj({ phase: 'Scaling', ready: false }));
    t.at(60);
    t.source.put(obj({ phase: 'Running', ready: true }));
    t.at(70);
    t.source.put(obj({ phase: 'Upgrading', ready: false }));
    const values = await t.values('cdo_resource_phase_duration_seconds');
    const counts = values
      .filter((v) => (v as { metricName?: string }).metricName?.endsWith('_count'))
      .map((v) => [v.labels['phase'], v.value]);
    expect(counts).toEqual([['Running', 1]]);
  });

  it('reports the longest current stay per phase, from the first sight when the start is unknown, and forgets deleted resources', async () => {
    const t = setup();
    t.source.put(obj({ name: 'old', phase: 'Creating', ready: false })); // seen at 0, start unknown
    t.at(100);
    t.source.put(obj({ name: 'new' }));
    t.at(110);
    t.source.put(obj({ name: 'new', phase: 'Creating', ready: false }));
    t.source.put(obj({ name: 'run', phase: 'Running', ready: true }));
    t.at(400);
    const longest = async () =>
      Object.fromEntries((await t.values('cdo_resource_longest_in_phase_seconds')).map((v) => [v.labels['phase'], v.value]));
    expect(await longest()).toEqual({ Creating: 400, Running: 290 });
    t.source.remove(obj({ name: 'old' }));
    expect(await longest()).toEqual({ Creating: 290, Running: 290 });
    t.lead(false);
    expect(await longest()).toEqual({});
  });

  it('leaves out Paused and Stalled resources (counted by cdo_resources), so a held deletion or a stalled create is not also "stuck"', async () => {
    const t = setup();
    t.source.put(obj({ name: 'held', phase: 'Running', ready: true }));
    t.source.put(obj({ name: 'stuck', phase: 'Creating', ready: false }));
    t.at(10);
    t.source.put(obj({ name: 'held', phase: 'Deleting', ready: false, reconcilingReason: 'Paused', paused: true }));
    t.source.put(obj({ name: 'stalled', phase: 'Pending', ready: false, stalled: true }));
    t.at(5000);
    const longest = async () =>
      Object.fromEntries((await t.values('cdo_resource_longest_in_phase_seconds')).map((v) => [v.labels['phase'], v.value]));
    expect(await longest()).toEqual({ Creating: 5000 });
    // Resumed: it counts again, from when its phase began.
    t.source.put(obj({ name: 'held', phase: 'Deleting', ready: false }));
    expect(await longest()).toEqual({ Creating: 5000, Deleting: 4990 });
  });
});
