import { describe, expect, it } from 'vitest';
import { defaultErrorPolicy, specOrMetadataChanged } from '../../../src/runtime/controller.ts';
import { InvalidSpecError, TerminalError, TransientError } from '../../../src/runtime/errors.ts';
import type { KubeObject } from '../../../src/runtime/object.ts';

describe('default error policy', () => {
  const policy = defaultErrorPolicy(600_000);
  it('backs off transient errors, honouring Retry-After', () => {
    expect(policy(new TransientError('Throttled', '429', { retryAfterMs: 7000 }))).toEqual({ kind: 'backoff', atLeastMs: 7000 });
    expect(policy(new Error('surprise'))).toEqual({ kind: 'backoff', atLeastMs: 0 });
  });
  it('waits for a spec change after an invalid spec', () => {
    expect(policy(new InvalidSpecError('InvalidSpec', 'bad'))).toEqual({ kind: 'wait-for-change' });
  });
  it('by default retries terminal errors after about ten minutes (± 10 %)', () => {
    for (let i = 0; i < 20; i++) {
      const d = defaultErrorPolicy()(new TerminalError('CredentialsInvalid', '401'));
      expect(d.kind).toBe('after');
      if (d.kind === 'after') {
        expect(d.ms).toBeGreaterThanOrEqual(540_000);
        expect(d.ms).toBeLessThanOrEqual(660_000);
      }
    }
  });
  it('retries terminal errors slowly', () => {
    const d = policy(new TerminalError('CredentialsInvalid', '401'));
    expect(d.kind).toBe('after');
    if (d.kind === 'after') expect(d.ms).toBeGreaterThanOrEqual(540_000);
  });
});

describe('event filter', () => {
  const base: KubeObject = { metadata: { name: 'w', uid: 'u', resourceVersion: '1', generation: 1 } };
  it('skips status-only updates', () => {
    expect(specOrMetadataChanged({ ...base, metadata: { ...base.metadata, resourceVersion: '2' }, status: { x: 1 } }, base)).toBe(false);
  });
  it('passes every object it has no earlier version of (an add, a relist)', () => {
    expect(specOrMetadataChanged(base, undefined)).toBe(true);
  });
  it('passes a label change', () => {
    expect(specOrMetadataChanged({ ...base, metadata: { ...base.metadata, labels: { tier: 'gold' } } }, base)).toBe(true);
  });
  it('passes spec, deletion, finalizer and annotation changes', () => {
    expect(specOrMetadataChanged({ ...base, metadata: { ...base.metadata, generation: 2 } }, base)).toBe(true);
    expect(specOrMetadataChanged({ ...base, metadata: { ...base.metadata, deletionTimestamp: 'now' } }, base)).toBe(true);
    expect(specOrMetadataChanged({ ...base, metadata: { ...base.metadata, finalizers: ['f'] } }, base)).toBe(true);
    expect(specOrMetadataChanged({ ...base, metadata: { ...base.metadata, annotations: { a: 'b' } } }, base)).toBe(true);
  });
});

describe('errorMessage', () => {
  it('extracts the API server Status message from a client-node ApiException body', async () => {
    const { errorMessage } = await import('../../../src/runtime/errors.ts');
    const err = Object.assign(new Error('HTTP-Code: 422\nMessage: Unknown API Status Code!'), {
      code: 422,
      body: JSON.stringify(
        JSON.stringify({ kind: 'Status', reason: 'Invalid', message: 'the server rejected our request due to an error in our request' }),
      ),
    });
    expect(errorMessage(err)).toBe('HTTP 422 Invalid: the server rejected our request due to an error in our request');
  });
});

describe('event filter with operator-owned annotations', () => {
  it("ignores changes to annotations the operator writes itself, not the user's", async () => {
    const { specOrMetadataChangedExcept } = await import('../../../src/runtime/controller.ts');
    const filter = specOrMetadataChangedExcept({ annotations: ['cdo.dev/create-requested'] });
    const old: KubeObject = {
      metadata: { name: 'w', uid: 'u', resourceVersion: '1', generation: 1, annotations: { 'cdo.dev/create-requested': 'x@t' } },
    };
    const dropped: KubeObject = { metadata: { ...old.metadata, resourceVersion: '2', annotations: {} } };
    const paused: KubeObject = {
      metadata: { ...old.metadata, resourceVersion: '3', annotations: { 'cdo.dev/create-requested': 'x@t', 'cdo.dev/paused': 'true' } },
    };
    expect(filter(dropped, old)).toBe(false);
    expect(filter(paused, old)).toBe(true);
  });

  it("ignores the operator's own finalizer coming or going, not another controller's", async () => {
    const { specOrMetadataChangedExcept } = await import('../../../src/runtime/controller.ts');
    const filter = specOrMetadataChangedExcept({ finalizers: ['cdo.dev/finalizer'] });
    const old: KubeObject = { metadata: { name: 'w', uid: 'u', resourceVersion: '1', generation: 1 } };
    const ours: KubeObject = { metadata: { ...old.metadata, resourceVersion: '2', finalizers: ['cdo.dev/finalizer'] } };
    const theirs: KubeObject = { metadata: { ...ours.metadata, resourceVersion: '3', finalizers: ['cdo.dev/finalizer', 'other.io/keep'] } };
    expect(filter(ours, old)).toBe(false);
    expect(filter(old, ours)).toBe(false);
    expect(filter(theirs, ours)).toBe(true);
    // Without the list, every finalizer change counts.
    expect(specOrMetadataChangedExcept()(ours, old)).toBe(true);
  });
});
