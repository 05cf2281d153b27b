// The Event recorder (runtime/events.ts): repeats of one Event within six minutes fold into a
// series, older ones start a new Event, and recording never fails a reconcile.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventRecorder, type EventInput } from '../../../src/runtime/events.ts';
import type { KubeClient, ResourceType } from '../../../src/runtime/kube.ts';
import type { KubeObject } from '../../../src/runtime/object.ts';
import { silentLog } from '../../support/memory-store.ts';

const rt: ResourceType = { group: 'kakaocloud.cdo.dev', version: 'v1alpha1', plural: 'hadoopecoclusters', kind: 'HadoopEcoCluster' };
const obj = (name: string): KubeObject => ({ metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: '1' } });
const stalled: EventInput = { type: 'Warning', reason: 'Stalled', action: 'Reconcile', note: 'the cloud refused the spec' };

function recorder(fail = false) {
  const calls: Array<{ verb: 'create' | 'patch'; path: string; body: any }> = [];
  const client = {
    create: (path: string, body: unknown) => (
      calls.push({ verb: 'create', path, body }),
      fail ? Promise.reject(new Error('HTTP 500')) : Promise.resolve(body)
    ),
    patch: (path: string, _type: string, body: unknown) => (calls.push({ verb: 'patch', path, body }), Promise.resolve(body)),
  } as unknown as KubeClient;
  return { calls, r: new EventRecorder({ client, reportingController: 'cdo.dev/operator', reportingInstance: 'pod-1', log: silentLog }) };
}

describe('EventRecorder', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-12-01T00:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('folds a repeat within six minutes into the first Event as a series', async () => {
    const { calls, r } = recorder();
    await r.record(rt, obj('a'), stalled);
    vi.advanceTimersByTime(5 * 60_000);
    await r.record(rt, obj('a'), stalled);
    expect(calls.map((c) => c.verb)).toEqual(['create', 'patch']);
    expect(calls[1]!.path).toBe(`/apis/events.k8s.io/v1/namespaces/ns/events/${calls[0]!.body.metadata.name}`);
    expect(calls[1]!.body.series.count).toBe(2);
  });

  it('starts a new Event once the last repeat is older than six minutes, also for series kept alive before', async () => {
    const { calls, r } = recorder();
    await r.record(rt, obj('a'), stalled);
    await r.record(rt, obj('b'), stalled);
    vi.advanceTimersByTime(4 * 60_000);
    await r.record(rt, obj('a'), stalled); // a's series is now the most recent, b's the oldest
    vi.advanceTimersByTime(3 * 60_000); // b: 7 minutes old, a: 3 minutes
    await r.record(rt, obj('b'), stalled);
    await r.record(rt, obj('a'), stalled);
    expect(calls.map((c) => `${c.verb} ${c.body.regarding?.name ?? ''}`)).toEqual(['create a', 'create b', 'patch ', 'create b', 'patch ']);
    expect(calls[4]!.body.series.count).toBe(3);
  });

  it('an Event that differs in its note is another Event', async () => {
    const { calls, r } = recorder();
    await r.record(rt, obj('a'), stalled);
    await r.record(rt, obj('a'), { ...stalled, note: 'another refusal' });
    expect(calls.map((c) => c.verb)).toEqual(['create', 'create']);
  });

  it('a failed write is logged and dropped, never thrown', async () => {
    const { calls, r } = recorder(true);
    await expect(r.record(rt, obj('a'), stalled)).resolves.toBeUndefined();
    await r.record(rt, obj('a'), stalled);
    expect(calls.map((c) => c.verb)).toEqual(['create', 'create']); // no series of an Event that was never made
  });
});
