// The per-resource state metrics (core/state-metrics.ts) over statuses the real core writes: a
// Hadoop Eco resource goes through real passes against the simulator, and after each pass the
// object as stored reaches the metrics the way the informer's watch event would.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { InformerHandler } from '../../src/runtime/informer.ts';
import type { KubeObject } from '../../src/runtime/object.ts';
import { ResourceStateMetrics, resourceState } from '../../src/resources/core/state-metrics.ts';
import type { HadoopEcoSimulator } from '../../src/simulators/hadoop-eco/index.ts';
import { components, hecSpec, NS, ready, type Component } from '../support/component.ts';

const build = components();

const T0 = Date.parse('2026-03-02T09:00:00Z');

/** The metrics following the stored objects of some components, with a clock a test moves. */
function watch() {
  const registry = new Registry();
  let now = T0;
  const objects = new Map<string, KubeObject>();
  const handlers: InformerHandler[] = [];
  const metrics = new ResourceStateMetrics({ registry, leading: () => true, now: () => now });
  metrics.track('HadoopEcoCluster', { list: () => [...objects.values()], on: (h) => handlers.push(h) });
  return {
    registry,
    advance(seconds: number) {
      now += seconds * 1000;
    },
    /** What the watch delivers after a write: the object as stored now. */
    sync(c: Component<unknown>) {
      const o = c.store.current();
      if (!o) return;
      const old = objects.get(o.metadata.uid);
      if (old?.metadata.resourceVersion === o.metadata.resourceVersion) return;
      objects.set(o.metadata.uid, o);
      for (const h of handlers) h(old ? 'update' : 'add', o, old);
    },
    async states() {
      const values = (await registry.getSingleMetric('cdo_resources')!.get()).values;
      return Object.fromEntries(values.filter((v) => v.value > 0).map((v) => [v.labels['state'], v.value]));
    },
    async histogram(name: string, labels: Record<string, string>) {
      const values = (await registry.getSingleMetric(name)!.get()).values.filter((v) =>
        Object.entries(labels).every(([k, l]) => v.labels[k] === l),
      );
      const pick = (suffix: string) => values.find((v) => (v as { metricName?: string }).metricName === `${name}${suffix}`)?.value ?? 0;
      return { count: pick('_count'), sum: pick('_sum') };
    },
  };
}

/** A Hadoop Eco component created at T0 (the clock the metrics read). */
async function hec(name: string, spec = hecSpec()): Promise<Component<HadoopEcoSimulator>> {
  const c = await build.hec(name, spec);
  c.store.object!.metadata['creationTimestamp'] = new Date(T0).toISOString();
  return c;
}

const phase = (c: Component<unknown>) => c.store.status()['phase'] as string | undefined;

/** Passes until `done`, a minute of the metrics' clock each, the watch delivering every write. */
/** Passes a minute apart until `done`; how many passes it took. */
async function run(w: ReturnType<typeof watch>, c: Component<unknown>, done: (c: Component<unknown>) => boolean): Promise<number> {
  w.sync(c);
  let passes = 0;
  for (; passes < 40 && !done(c); passes++) {
    w.advance(60);
    await c.pass();
    w.sync(c);
  }
  expect(done(c)).toBe(true);
  return passes;
}

describe('state metrics over the statuses the core writes', () => {
  it('a create: Reconciling, then Ready; its time to Ready and its phases observed once', async () => {
    const w = watch();
    const c = await hec('alpha');
    w.sync(c);
    expect(await w.states()).toEqual({ Reconciling: 1 });
    const phases: string[] = [];
    const passes = await run(w, c, (x) => {
      const p = phase(x);
      if (p && phases.at(-1) !== p) phases.push(p);
      return ready(x);
    });
    expect(await w.states()).toEqual({ Ready: 1 });
    expect(phases.at(-1)).toBe('Running');
    // Created at the start, Ready after `passes` passes a minute apart: timed from the creation.
    expect(await w.histogram('cdo_resource_time_to_ready_seconds', { kind: 'HadoopEcoCluster' })).toEqual({ count: 1, sum: passes * 60 });
    expect(passes).toBeGreaterThanOrEqual(1);
    // Every phase before Running was left once, and the time spent in them adds up to the time
    // from the first phase to Ready.
    for (const p of phases.slice(0, -1)) {
      expect((await w.histogram('cdo_resource_phase_duration_seconds', { kind: 'HadoopEcoCluster', phase: p })).count).toBe(1);
    }
    let inPhases = 0;
    for (const p of phases.slice(0, -1))
      inPhases += (await w.histogram('cdo_resource_phase_duration_seconds', { kind: 'HadoopEcoCluster', phase: p })).sum;
    expect(inPhases).toBe(passes * 60 - 60); // the first pass wrote the first phase, a minute after creation

    // More passes of a Ready cluster change nothing.
    for (let i = 0; i < 3; i++) {
      w.advance(60);
      await c.pass();
      w.sync(c);
    }
    expect((await w.histogram('cdo_resource_time_to_ready_seconds', { kind: 'HadoopEcoCluster' })).count).toBe(1);
  });

  it('pausing shows Paused at once, and the phase the operator writes; resuming returns to Ready', async () => {
    const w = watch();
    const c = await hec('alpha');
    await run(w, c, ready);
    c.store.setAnnotations({ 'cdo.dev/paused': 'true' });
    w.sync(c);
    expect(await w.states()).toEqual({ Paused: 1 });
    await c.pass();
    w.sync(c);
    expect(phase(c)).toBe('Paused');
    expect(resourceState(c.store.current()!)).toBe('Paused');
    c.store.setAnnotations({ 'cdo.dev/paused': null });
    w.sync(c);
    await run(w, c, (x) => ready(x) && phase(x) === 'Running');
    expect(await w.states()).toEqual({ Ready: 1 });
    expect((await w.histogram('cdo_resource_phase_duration_seconds', { kind: 'HadoopEcoCluster', phase: 'Paused' })).count).toBe(1);
    expect((await w.histogram('cdo_resource_time_to_ready_seconds', { kind: 'HadoopEcoCluster' })).count).toBe(1);
  });

  it('a missing Secret: Stalled, and no time to Ready', async () => {
    const w = watch();
    const c = await hec('alpha', hecSpec({ adminAccount: { userId: 'analyst', passwordSecretRef: { name: 'nowhere', key: 'password' } } }));
    expect(c.secrets.get(`${NS}/nowhere`)).toBeUndefined();
    await run(w, c, (x) => x.store.condition('Stalled')?.status === 'True');
    expect(c.store.condition('Stalled')?.reason).toBe('SecretNotFound');
    expect(await w.states()).toEqual({ Stalled: 1 });
    expect((await w.histogram('cdo_resource_time_to_ready_seconds', { kind: 'HadoopEcoCluster' })).count).toBe(0);
  });
});
