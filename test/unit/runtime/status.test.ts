import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/runtime/kube.ts';
import type { KubeObject } from '../../../src/runtime/object.ts';
import { mergePatchDiff, normalize, statusPatchRequest, writeStatus } from '../../../src/runtime/status.ts';

describe('mergePatchDiff (RFC 7386)', () => {
  it('is undefined when nothing changed', () => {
    expect(mergePatchDiff({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } })).toBeUndefined();
  });

  it('sends only what changed, nulls for removed fields, whole arrays', () => {
    const from = { phase: 'Creating', endpoints: { hue: 'h', nn: 'n' }, conditions: [{ type: 'Ready' }], gone: 1 };
    const to = { phase: 'Running', endpoints: { hue: 'h' }, conditions: [{ type: 'Ready' }, { type: 'Stalled' }] };
    expect(mergePatchDiff(from, to)).toEqual({
      phase: 'Running',
      endpoints: { nn: null },
      conditions: [{ type: 'Ready' }, { type: 'Stalled' }],
      gone: null,
    });
  });

  it('treats undefined like an absent field once normalized', () => {
    expect(mergePatchDiff(normalize({ a: 1 }), normalize({ a: 1, b: undefined }))).toBeUndefined();
  });

  it('treats an undefined field as absent even without normalizing: removed when it was set, no change when it was not', () => {
    expect(mergePatchDiff({ a: 1, b: 2 }, { a: 1, b: undefined })).toStrictEqual({ b: null });
    expect(mergePatchDiff({ a: 1 }, { a: 1, b: undefined })).toBeUndefined();
  });

  it('lists only the changed keys, with no entry for the unchanged ones', () => {
    expect(mergePatchDiff({ a: 1, b: { c: 1 }, d: 1 }, { a: 1, b: { c: 1 }, d: 2 })).toStrictEqual({ d: 2 });
  });

  it('replaces a null or scalar value with an object, and an object with a scalar', () => {
    expect(mergePatchDiff({ a: null }, { a: { b: 1 } })).toStrictEqual({ a: { b: 1 } });
    expect(mergePatchDiff({ a: 'x' }, { a: { b: 1 } })).toStrictEqual({ a: { b: 1 } });
    expect(mergePatchDiff({ a: { b: 1 } }, { a: 'x' })).toStrictEqual({ a: 'x' });
    expect(mergePatchDiff({ a: { b: 1 } }, { a: [1] })).toStrictEqual({ a: [1] });
  });
});

describe('normalize', () => {
  it('turns a value into what JSON would carry: undefined fields dropped, undefined array items null', () => {
    expect(normalize({ a: 1, b: undefined, c: [undefined, 2], d: { e: undefined } })).toStrictEqual({ a: 1, c: [null, 2], d: {} });
  });
});

describe('statusPatchRequest (what writeStatus sends)', () => {
  const rt = { group: 'kafka.ncloud.cdo.dev', version: 'v1alpha1', plural: 'kafkaclusters', kind: 'KafkaCluster' };
  const object = (status?: unknown): KubeObject => ({
    metadata: { name: 'events', namespace: 'team-a', uid: 'u-1', resourceVersion: '7' },
    ...(status !== undefined ? { status } : {}),
  });

  it('patches the status subresource of this very object with the merge patch of the change', () => {
    const obj = object({ phase: 'Creating', clusterId: '3432149', conditions: [{ type: 'Ready', status: 'False' }] });
    expect(
      statusPatchRequest(rt, obj, { phase: 'Running', clusterId: '3432149', conditions: [{ type: 'Ready', status: 'True' }] }),
    ).toEqual({
      path: '/apis/kafka.ncloud.cdo.dev/v1alpha1/namespaces/team-a/kafkaclusters/events/status',
      body: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
    });
  });

  it('needs no write when the computed status equals the stored one as JSON', () => {
    const obj = object({ phase: 'Running', clusterId: '3432149' });
    expect(statusPatchRequest(rt, obj, { phase: 'Running', clusterId: '3432149', url: undefined })).toBeUndefined();
  });

  it('compares an object that has no status yet with an empty one', () => {
    expect(statusPatchRequest(rt, object(), {})).toBeUndefined();
    expect(statusPatchRequest(rt, object(), { phase: undefined })).toBeUndefined();
    expect(statusPatchRequest(rt, object(), { phase: 'Pending' })?.body).toEqual({ status: { phase: 'Pending' } });
  });

  it('sends null for the fields the computed status no longer has', () => {
    const obj = object({ phase: 'Running', url: 'http://hue', endpoints: { hue: 'http://hue' } });
    expect(statusPatchRequest(rt, obj, { phase: 'Completed' })?.body).toEqual({
      status: { phase: 'Completed', url: null, endpoints: null },
    });
  });
});

describe('writeStatus', () => {
  // No API server here: a client that fails on any use proves that no request is made at all.
  const unusable = new Proxy({} as KubeClient, {
    get: (_target, prop) => {
      throw new Error(`writeStatus used the client (${String(prop)})`);
    },
  });
  const rt = { group: 'g', version: 'v1', plural: 'things', kind: 'Thing' };

  it('makes no API call when the status is unchanged', async () => {
    const obj: KubeObject = { metadata: { name: 'x', namespace: 'ns', uid: 'u', resourceVersion: '1' }, status: { phase: 'Running' } };
    await expect(writeStatus(unusable, rt, obj, { phase: 'Running', url: undefined })).resolves.toBeUndefined();
  });
});
