// The crash-safe create protocol's decisions about its intent annotation (core/identity.ts), with
// the core's in-memory store standing for the API server.
import { describe, expect, it } from 'vitest';
import { ClusterNameTakenError } from '../../../../src/clouds/errors.ts';
import { createAccepted, createOnce, knownClusterId, managedWatchFilter } from '../../../../src/resources/core/identity.ts';
import { InvalidSpecError, TransientError } from '../../../../src/runtime/errors.ts';
import type { KubeObject } from '../../../../src/runtime/object.ts';
import { MemoryStore } from '../../../support/memory-store.ts';

function fixture(cached: Record<string, string> = {}, server: Record<string, string> = cached) {
  // The API server's object moved on (a newer resourceVersion) exactly when it differs from the cache's.
  const moved = JSON.stringify(server) !== JSON.stringify(cached);
  const rv = moved ? '2' : '1';
  const store = new MemoryStore({ metadata: { name: 'x', namespace: 'ns', uid: 'u', resourceVersion: rv, annotations: { ...server } } });
  const obj: KubeObject = { metadata: { name: 'x', namespace: 'ns', uid: 'u', resourceVersion: '1', annotations: { ...cached } } };
  const annotations = () => store.current()?.metadata.annotations ?? {};
  return { store, obj, annotations };
}

const created = (id: string | undefined) => () => Promise.resolve({ id });
const taken = () => Promise.reject(new ClusterNameTakenError('c', 'HTTP 409: name in use'));

describe('createOnce', () => {
  it('records the id right after a create that returns one', async () => {
    const f = fixture();
    const r = await createOnce(f.store, f.obj, 'c', created('id-1'), 'thing');
    expect(r.clusterId).toBe('id-1');
    expect(f.annotations()['cdo.dev/cluster-id']).toBe('id-1');
    expect(f.annotations()['cdo.dev/create-requested']).toMatch(/^c@/);
  });

  it('marks a create accepted when the cloud returns no id, so it is looked up rather than sent again', async () => {
    const f = fixture();
    const r = await createOnce(f.store, f.obj, 'c', created(undefined), 'thing');
    expect(r.clusterId).toBeUndefined();
    expect(createAccepted(r.obj)).toBe(true);
    expect(f.annotations()['cdo.dev/cluster-id']).toBeUndefined();
  });

  it('keeps the intent after a timeout (outcome unknown)', async () => {
    const f = fixture();
    await expect(createOnce(f.store, f.obj, 'c', () => Promise.reject(new TransientError('CloudTimeout', 't')), 'thing')).rejects.toThrow(
      TransientError,
    );
    expect(f.annotations()['cdo.dev/create-requested']).toBeDefined();
  });

  it("drops the intent when a first create is refused, so a stranger's cluster is never adopted", async () => {
    const f = fixture();
    const err = await createOnce(f.store, f.obj, 'c', taken, 'thing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterNameTakenError);
    // The message names the cluster and both ways out, and keeps the cloud's words.
    expect((err as ClusterNameTakenError).clusterName).toBe('c');
    expect((err as Error).message).toMatch(/a live thing named c already exists \(HTTP 409: name in use\).*spec\.clusterId/);
    expect((err as Error).message).toContain('spec.clusterName');
    expect(f.annotations()['cdo.dev/create-requested']).toBeUndefined();
  });

  it('after an earlier create of ours, a name-taken answer is our own cluster: keep the intent, look again soon', async () => {
    const f = fixture({ 'cdo.dev/create-requested': 'c@earlier' });
    const err = await createOnce(f.store, f.obj, 'c', taken, 'thing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).reason).toBe('CreateMayHaveLanded');
    // The log of the retry names the cluster looked for, and keeps the cloud's answer as the cause.
    expect((err as Error).message).toContain('named c');
    expect((err as Error).cause).toBeInstanceOf(ClusterNameTakenError);
    expect(f.annotations()['cdo.dev/create-requested']).toBeDefined();
  });

  it('after an earlier create of ours, another refusal keeps the intent (the earlier one may have landed)', async () => {
    const f = fixture({ 'cdo.dev/create-requested': 'c@earlier' });
    await expect(
      createOnce(f.store, f.obj, 'c', () => Promise.reject(new InvalidSpecError('CloudRejectedSpec', '400')), 'thing'),
    ).rejects.toThrow(InvalidSpecError);
    expect(f.annotations()['cdo.dev/create-requested']).toBeDefined();
  });

  it('refuses to create when the API server already has our intent or id that the cache has not seen', async () => {
    let calls = 0;
    const create = () => ((calls += 1), Promise.resolve({ id: 'id-2' }));
    const stale = fixture({}, { 'cdo.dev/create-requested': 'c@earlier' });
    await expect(createOnce(stale.store, stale.obj, 'c', create, 'thing')).rejects.toThrow(/planning again from fresh data/);
    const staleId = fixture({}, { 'cdo.dev/create-requested': 'c@earlier', 'cdo.dev/cluster-id': 'id-1' });
    await expect(createOnce(staleId.store, staleId.obj, 'c', create, 'thing')).rejects.toThrow(TransientError);
    // The cache has our intent but not yet the id the same create recorded.
    const lateId = fixture(
      { 'cdo.dev/create-requested': 'c@earlier' },
      { 'cdo.dev/create-requested': 'c@earlier', 'cdo.dev/cluster-id': 'id-1' },
    );
    await expect(createOnce(lateId.store, lateId.obj, 'c', create, 'thing')).rejects.toThrow(/planning again from fresh data/);
    expect(calls).toBe(0);
    expect(stale.store.writes).toEqual([]);
  });

  it('writes the intent only onto the object planned from: any write since (a status, a label) makes it plan again', async () => {
    const f = fixture();
    f.store.setAnnotations({ team: 'data' }); // someone else's write: a new resourceVersion
    let calls = 0;
    const err = await createOnce(f.store, f.obj, 'c', () => ((calls += 1), Promise.resolve({ id: 'id-1' })), 'thing').catch(
      (e: unknown) => e,
    );
    expect((err as TransientError).reason).toBe('StaleCache');
    expect(calls).toBe(0);
    expect(f.annotations()['cdo.dev/create-requested']).toBeUndefined();
    expect(f.store.current()!.metadata.finalizers).toBeUndefined();
  });

  it('holds the finalizer in the same write as the intent, keeping finalizers others hold', async () => {
    const f = fixture();
    const obj = { ...f.obj, metadata: { ...f.obj.metadata, finalizers: ['other.io/guard'] } };
    f.store.object!.metadata.finalizers = ['other.io/guard'];
    await createOnce(f.store, obj, 'c', created('id-1'), 'thing');
    expect(f.store.current()!.metadata.finalizers).toEqual(['other.io/guard', 'cdo.dev/finalizer']);
    expect(f.store.ops()).toEqual(['recordIntent', 'annotate']);
  });
});

describe('createAccepted', () => {
  const withIntent = (value?: string): KubeObject => ({
    metadata: { name: 'x', uid: 'u', resourceVersion: '1', ...(value ? { annotations: { 'cdo.dev/create-requested': value } } : {}) },
  });
  it('holds only for an intent marked accepted, not for a plain intent or none', () => {
    expect(createAccepted(withIntent('c@2026-01-01T00:00:00.000Z accepted'))).toBe(true);
    expect(createAccepted(withIntent('c@2026-01-01T00:00:00.000Z'))).toBe(false);
    expect(createAccepted(withIntent())).toBe(false);
  });
});

describe('knownClusterId', () => {
  it('prefers spec.clusterId, then the id annotation, then status', () => {
    const withAnnotation: KubeObject = {
      metadata: { name: 'x', uid: 'u', resourceVersion: '1', annotations: { 'cdo.dev/cluster-id': 'a' } },
    };
    const bare: KubeObject = { metadata: { name: 'x', uid: 'u', resourceVersion: '1' } };
    expect(knownClusterId(withAnnotation, 'spec', 'status')).toBe('spec');
    expect(knownClusterId(withAnnotation, undefined, 'status')).toBe('a');
    expect(knownClusterId(bare, undefined, 'status')).toBe('status');
    expect(knownClusterId(bare, undefined, undefined)).toBeUndefined();
  });
});

describe('managedWatchFilter', () => {
  const base: KubeObject = { metadata: { name: 'x', uid: 'u', resourceVersion: '1', generation: 1 } };
  it("does not count the operator's own identity annotations and finalizer as changes", () => {
    const own: KubeObject = {
      metadata: {
        ...base.metadata,
        resourceVersion: '2',
        finalizers: ['cdo.dev/finalizer'],
        annotations: { 'cdo.dev/create-requested': 'x@t', 'cdo.dev/cluster-id': 'id' },
      },
    };
    expect(managedWatchFilter(own, base)).toBe(false);
  });
  it('counts a spec change, a user annotation and a deletion', () => {
    expect(managedWatchFilter({ metadata: { ...base.metadata, generation: 2 } }, base)).toBe(true);
    expect(managedWatchFilter({ metadata: { ...base.metadata, annotations: { 'cdo.dev/paused': 'true' } } }, base)).toBe(true);
    expect(managedWatchFilter({ metadata: { ...base.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }, base)).toBe(true);
  });
});
