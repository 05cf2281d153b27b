// The crash-safe create protocol's decisions about its intent annotation, with small fakes of the
// two things it talks to (our KubeClient's patch call and the event recorder).
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createAccepted, createCrashSafe } from '../../../../src/resources/common/lifecycle.ts';
import { ClusterNameTakenError } from '../../../../src/clouds/kakaocloud/errors.ts';
import { InvalidSpecError, TransientError } from '../../../../src/runtime/errors.ts';
import type { EventRecorder } from '../../../../src/runtime/events.ts';
import type { KubeClient } from '../../../../src/runtime/kube.ts';
import type { KubeObject } from '../../../../src/runtime/object.ts';

const rt = { group: 'g', version: 'v1', plural: 'things', kind: 'Thing' };
const log = pino({ level: 'silent' });

function fakes(initial: Record<string, string> = {}, server: Record<string, string> = initial) {
  const annotations: Record<string, string> = { ...server };
  const kube = {
    customObjects: {
      getNamespacedCustomObject: () =>
        Promise.resolve({ metadata: { name: 'x', uid: 'u', resourceVersion: '2', annotations: { ...annotations } } }),
      patchNamespacedCustomObject: (req: { body: { metadata: { annotations: Record<string, string | null> } } }) => {
        for (const [k, v] of Object.entries(req.body.metadata.annotations)) {
          if (v === null) delete annotations[k];
          else annotations[k] = v;
        }
        return Promise.resolve({ metadata: { name: 'x', uid: 'u', resourceVersion: '2', annotations: { ...annotations } } });
      },
    },
  } as unknown as KubeClient;
  const recorder = { record: () => Promise.resolve() } as unknown as EventRecorder;
  const obj: KubeObject = { metadata: { name: 'x', namespace: 'ns', uid: 'u', resourceVersion: '1', annotations: { ...initial } } };
  return { annotations, obj, deps: { kube, recorder, rt } };
}

const nameTaken = (e: unknown) => e instanceof ClusterNameTakenError;
const taken = () => Promise.reject(new ClusterNameTakenError('ClusterNameTaken', '409'));

describe('createCrashSafe', () => {
  it('records the id right after a create that returns one', async () => {
    const f = fakes();
    const r = await createCrashSafe(f.deps, f.obj, 'c', () => Promise.resolve('id-1'), log);
    expect(r.clusterId).toBe('id-1');
    expect(f.annotations['cdo.dev/cluster-id']).toBe('id-1');
    expect(f.annotations['cdo.dev/create-requested']).toMatch(/^c@/);
  });

  it('marks a create accepted when the cloud returns no id, so it is looked up rather than sent again', async () => {
    const f = fakes();
    const r = await createCrashSafe(f.deps, f.obj, 'c', () => Promise.resolve(undefined), log);
    expect(r.clusterId).toBeUndefined();
    expect(createAccepted(r.obj)).toBe(true);
  });

  it('keeps the intent after a timeout (outcome unknown)', async () => {
    const f = fakes();
    await expect(createCrashSafe(f.deps, f.obj, 'c', () => Promise.reject(new TransientError('CloudTimeout', 't')), log)).rejects.toThrow(
      TransientError,
    );
    expect(f.annotations['cdo.dev/create-requested']).toBeDefined();
  });

  it("drops the intent when a first create is refused, so a stranger's cluster is never adopted", async () => {
    const f = fakes();
    await expect(createCrashSafe(f.deps, f.obj, 'c', taken, log, nameTaken)).rejects.toThrow(ClusterNameTakenError);
    expect(f.annotations['cdo.dev/create-requested']).toBeUndefined();
  });

  it('after an earlier create of ours, a name-taken answer is our own cluster: keep the intent, look again soon', async () => {
    const f = fakes({ 'cdo.dev/create-requested': 'c@earlier' });
    await expect(createCrashSafe(f.deps, f.obj, 'c', taken, log, nameTaken)).rejects.toThrow(TransientError);
    expect(f.annotations['cdo.dev/create-requested']).toBeDefined();
  });

  it('after an earlier create of ours, another refusal keeps the intent (the earlier one may have landed)', async () => {
    const f = fakes({ 'cdo.dev/create-requested': 'c@earlier' });
    await expect(
      createCrashSafe(f.deps, f.obj, 'c', () => Promise.reject(new InvalidSpecError('CloudRejectedSpec', '400')), log, nameTaken),
    ).rejects.toThrow(InvalidSpecError);
    expect(f.annotations['cdo.dev/create-requested']).toBeDefined();
  });

  it('refuses to create when the API server already has our intent or id that the cache has not seen', async () => {
    let calls = 0;
    const create = () => ((calls += 1), Promise.resolve('id-2'));
    const stale = fakes({}, { 'cdo.dev/create-requested': 'c@earlier' });
    await expect(createCrashSafe(stale.deps, stale.obj, 'c', create, log)).rejects.toThrow(/planning again from fresh data/);
    const staleId = fakes({}, { 'cdo.dev/create-requested': 'c@earlier', 'cdo.dev/cluster-id': 'id-1' });
    await expect(createCrashSafe(staleId.deps, staleId.obj, 'c', create, log)).rejects.toThrow(TransientError);
    expect(calls).toBe(0);
  });
});
