// Re-reconciling the resources that reference a changed object (core/references.ts): the Secrets
// and the operator's own kinds a spec names, in its own namespace only, plus one implicit object
// (the operator-wide default credentials, for resources that name none).
import { describe, expect, it } from 'vitest';
import type { InformerEventType, InformerHandler } from '../../../../src/runtime/informer.ts';
import { keyOf, type KubeObject } from '../../../../src/runtime/object.ts';
import { requeueOnReferenceChange } from '../../../../src/resources/core/references.ts';
import { secretRefNames } from '../../../../src/resources/core/secrets.ts';

/** A cache: its objects and its event handlers. */
class Cache {
  private readonly objects = new Map<string, KubeObject>();
  private readonly handlers: InformerHandler[] = [];
  on(h: InformerHandler): void {
    this.handlers.push(h);
  }
  list(): KubeObject[] {
    return [...this.objects.values()];
  }
  emit(type: InformerEventType, obj: KubeObject): void {
    const key = keyOf(obj.metadata);
    const old = this.objects.get(key);
    if (type === 'delete') this.objects.delete(key);
    else this.objects.set(key, obj);
    for (const h of this.handlers) h(type, obj, old);
  }
}

const object = (namespace: string, name: string, spec?: unknown): KubeObject => ({
  metadata: { namespace, name, uid: `uid-${name}`, resourceVersion: '1' },
  ...(spec ? { spec } : {}),
});

function fixture(implicit?: { key: string; usedBy: (obj: KubeObject) => boolean }) {
  const secrets = new Cache();
  const resources = new Cache();
  const enqueued: string[] = [];
  requeueOnReferenceChange({
    source: secrets,
    resources,
    controller: { enqueue: (k) => enqueued.push(k) },
    names: secretRefNames,
    implicit,
  });
  return { secrets, resources, enqueued };
}

const kafka = (ns: string, name: string, creds?: string, password = 'cmak') =>
  object(ns, name, {
    ...(creds ? { credentialsSecretRef: { name: creds } } : {}),
    manager: { passwordSecretRef: { name: password, key: 'password' } },
  });

describe('requeueOnReferenceChange', () => {
  it('a Secret created, changed or deleted re-reconciles every resource naming it, at any depth of the spec', () => {
    const { secrets, resources, enqueued } = fixture();
    resources.emit('add', kafka('team-a', 'one', 'ncp'));
    resources.emit('add', kafka('team-a', 'two', 'ncp', 'other-password'));
    resources.emit('add', kafka('team-a', 'three', 'elsewhere', 'elsewhere-password'));
    secrets.emit('add', object('team-a', 'ncp'));
    expect(enqueued.sort()).toEqual(['team-a/one', 'team-a/two']);
    enqueued.length = 0;
    secrets.emit('update', object('team-a', 'cmak'));
    secrets.emit('delete', object('team-a', 'other-password'));
    expect(enqueued).toEqual(['team-a/one', 'team-a/two']);
  });

  it("a Secret of another namespace with the same name is someone else's", () => {
    const { secrets, resources, enqueued } = fixture();
    resources.emit('add', kafka('team-a', 'one', 'ncp'));
    secrets.emit('update', object('team-b', 'ncp'));
    expect(enqueued).toEqual([]);
  });

  it('follows the resources: a changed reference, and a deleted resource', () => {
    const { secrets, resources, enqueued } = fixture();
    resources.emit('add', kafka('team-a', 'one', 'old-key'));
    resources.emit('update', kafka('team-a', 'one', 'new-key'));
    secrets.emit('update', object('team-a', 'old-key'));
    expect(enqueued).toEqual([]);
    secrets.emit('update', object('team-a', 'new-key'));
    expect(enqueued).toEqual(['team-a/one']);
    resources.emit('delete', kafka('team-a', 'one', 'new-key'));
    secrets.emit('update', object('team-a', 'new-key'));
    expect(enqueued).toEqual(['team-a/one']);
  });

  it('knows the resources that were cached before it was set up', () => {
    const secrets = new Cache();
    const resources = new Cache();
    resources.emit('add', kafka('team-a', 'early', 'ncp'));
    const enqueued: string[] = [];
    requeueOnReferenceChange({ source: secrets, resources, controller: { enqueue: (k) => enqueued.push(k) }, names: secretRefNames });
    secrets.emit('add', object('team-a', 'ncp'));
    expect(enqueued).toEqual(['team-a/early']);
  });

  it('the implicit object (the default credentials) re-reconciles the resources that use it, in every namespace', () => {
    const usesDefault = (obj: KubeObject) => !(obj['spec'] as { credentialsSecretRef?: unknown }).credentialsSecretRef;
    const { secrets, resources, enqueued } = fixture({ key: 'ops/ncp-default', usedBy: usesDefault });
    resources.emit('add', kafka('team-a', 'defaulted'));
    resources.emit('add', kafka('team-b', 'also-defaulted'));
    resources.emit('add', kafka('team-a', 'own', 'ncp'));
    secrets.emit('update', object('ops', 'ncp-default'));
    expect(enqueued.sort()).toEqual(['team-a/defaulted', 'team-b/also-defaulted']);
    enqueued.length = 0;
    // A Secret of the same name elsewhere is not the default.
    secrets.emit('update', object('team-a', 'ncp-default'));
    expect(enqueued).toEqual([]);
  });
});
