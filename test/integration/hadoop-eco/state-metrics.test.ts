// The per-resource state metrics of the real operator process, read from its /metrics while it
// manages HadoopEcoClusters on the real control plane: resources by state, time to first Ready
// and time in phases; after a restart, resources Ready before it are not timed again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { condition, createHec, eventually, hecSpec, patchHec, startHarness, waitForHec, type Harness } from '../../support/hadoop-eco.ts';
import type { OperatorProcess } from '../../support/operator-process.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('hec-state-metrics');
});
afterAll(async () => {
  await h?.stop();
});

const KIND = { kind: 'HadoopEcoCluster' };
const ready = (o: any) => condition(o, 'Ready')?.status === 'True' && o.status.observedGeneration === o.metadata.generation;

function states(op: OperatorProcess) {
  const at = (state: string) => op.metric('cdo_resources', { ...KIND, resource_namespace: h.ns, state });
  return Promise.all(['Ready', 'Reconciling', 'Stalled', 'Paused'].map(at)).then(([Ready, Reconciling, Stalled, Paused]) => ({
    Ready,
    Reconciling,
    Stalled,
    Paused,
  }));
}

/** Waits until the states read `want` (they follow the cache, a watch event after the write). */
async function statesBecome(op: OperatorProcess, want: Record<string, number>) {
  await eventually(async () => JSON.stringify(await states(op)) === JSON.stringify(want), 15_000).catch(async () => {
    expect(await states(op)).toEqual(want);
  });
}

describe('resource state metrics of the running operator', () => {
  it('a create is timed from its creation to its first Ready, once, with the phases it went through', async () => {
    const before = Date.now();
    await createHec(h, 'alpha', hecSpec());
    const o = await waitForHec(h, 'alpha', ready);
    const elapsed = (Date.now() - Date.parse(o.metadata.creationTimestamp)) / 1000 + 1; // stamps have second precision
    await eventually(() => h.op.metric('cdo_resource_time_to_ready_seconds_count', KIND).then((n) => n === 1));
    const seconds = await h.op.metric('cdo_resource_time_to_ready_seconds_sum', KIND);
    // The simulator takes 1.5 s to provision; the value cannot exceed the wall time the test saw.
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(Math.max(elapsed, (Date.now() - before) / 1000 + 1));
    expect(await h.op.metric('cdo_resource_phase_duration_seconds_count', { ...KIND, phase: 'Creating' })).toBe(1);
    await statesBecome(h.op, { Ready: 1, Reconciling: 0, Stalled: 0, Paused: 0 });
  });

  it('counts a Stalled and a Paused resource, each in one state only', async () => {
    await createHec(h, 'beta', hecSpec({ credentialsSecretRef: { name: 'nowhere' } }));
    await waitForHec(h, 'beta', (o) => condition(o, 'Stalled')?.status === 'True');
    await statesBecome(h.op, { Ready: 1, Reconciling: 0, Stalled: 1, Paused: 0 });
    await patchHec(h, 'alpha', { metadata: { annotations: { 'cdo.dev/paused': 'true' } } });
    await waitForHec(h, 'alpha', (o) => o.status?.phase === 'Paused');
    await statesBecome(h.op, { Ready: 0, Reconciling: 0, Stalled: 1, Paused: 1 });
    // Paused and Stalled resources are counted by state, not as stuck in a phase: neither the paused
    // one (phase Paused) nor the stalled one leaves a series in the gauge of the longest stay.
    const longest = (await h.op.get('/metrics')).body.split('\n').filter((l) => l.startsWith('cdo_resource_longest_in_phase_seconds{'));
    expect(longest.filter((l) => l.includes('phase="Paused"'))).toEqual([]);
    expect(longest.filter((l) => l.includes('kind="HadoopEcoCluster"'))).toEqual([]);
    await patchHec(h, 'alpha', { metadata: { annotations: { 'cdo.dev/paused': null } } });
    await waitForHec(h, 'alpha', (o) => ready(o) && o.status.phase === 'Running');
    await statesBecome(h.op, { Ready: 1, Reconciling: 0, Stalled: 1, Paused: 0 });
    // Resuming is not a first Ready.
    expect(await h.op.metric('cdo_resource_time_to_ready_seconds_count', KIND)).toBe(1);
  });

  it('after a restart, the same states, and no time to Ready for what was Ready before', async () => {
    await h.op.stop();
    const op = h.startOperator('operator-hec-state-metrics-2');
    await op.waitForLog((l) => l.msg === 'controller started');
    await statesBecome(op, { Ready: 1, Reconciling: 0, Stalled: 1, Paused: 0 });
    expect(await op.metric('cdo_resource_time_to_ready_seconds_count', KIND)).toBe(0);
    // A resource created now is timed by this process.
    await createHec(h, 'gamma', hecSpec());
    await waitForHec(h, 'gamma', ready);
    await eventually(() => op.metric('cdo_resource_time_to_ready_seconds_count', KIND).then((n) => n === 1));
    await statesBecome(op, { Ready: 2, Reconciling: 0, Stalled: 1, Paused: 0 });
  });
});
