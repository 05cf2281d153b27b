// Objects read on demand (runtime/on-demand.ts), as the operator reads Secrets: only what a reader
// names is fetched, a held copy serves while the metadata watch says it is current, any change or
// deletion drops it at once, and nothing is held once no reader needs it.
import { describe, expect, it } from 'vitest';
import type { InformerEventType, InformerHandler } from '../../../src/runtime/informer.ts';
import { Metrics } from '../../../src/runtime/metrics.ts';
import type { KubeObject } from '../../../src/runtime/object.ts';
import { OnDemandObjects } from '../../../src/runtime/on-demand.ts';

const secrets = { group: '', version: 'v1', plural: 'secrets', kind: 'Secret' };

/** The API server: Secrets by "namespace/name", each with a resourceVersion that moves on every write. */
class Fixture {
  readonly stored = new Map<string, KubeObject>();
  /** What the metadata watch has delivered so far: identity only. */
  private readonly seen = new Map<string, KubeObject>();
  private readonly handlers: InformerHandler[] = [];
  readonly gets: string[] = [];
  private rv = 0;
  readonly metrics = new Metrics({ defaultMetrics: false });
  /** Holds GETs until released, to interleave watch events with a GET in flight. */
  gate: Promise<void> | undefined;
  readonly objects: OnDemandObjects;

  constructor() {
    this.objects = new OnDemandObjects({
      resource: secrets,
      fields: ['data'],
      metrics: this.metrics,
      index: { get: (key) => this.seen.get(key), on: (h) => this.handlers.push(h) },
      client: {
        get: async <T>(path: string): Promise<T> => {
          this.gets.push(path);
          await this.gate;
          const [, , , , namespace, , name] = path.split('/');
          const obj = this.stored.get(`${namespace}/${name}`);
          if (!obj) throw Object.assign(new Error(`GET ${path}: HTTP 404`), { statusCode: 404 });
          return structuredClone(obj) as T;
        },
      },
    });
  }

  /** Writes a Secret on the server; the watch delivers it only when `deliver` (default: at once). */
  write(key: string, data: Record<string, string>, opts: { deliver?: boolean; annotations?: Record<string, string> } = {}): void {
    const [namespace, name] = key.split('/') as [string, string];
    const old = this.stored.get(key);
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name,
        namespace,
        uid: `uid-${name}`,
        resourceVersion: String(++this.rv),
        ...(opts.annotations ? { annotations: opts.annotations } : {}),
      },
      data,
      type: 'Opaque',
    };
    this.stored.set(key, obj);
    if (opts.deliver ?? true) this.deliver(key, old ? 'update' : 'add');
  }

  remove(key: string): void {
    this.stored.delete(key);
    this.deliver(key, 'delete');
  }

  /** The metadata watch catches up with the server on `key`. */
  deliver(key: string, type: InformerEventType): void {
    const obj = this.stored.get(key) ?? this.seen.get(key)!;
    const { name, namespace, uid, resourceVersion } = obj.metadata;
    const identity: KubeObject = { metadata: { name, namespace, uid, resourceVersion } };
    const old = this.seen.get(key);
    if (type === 'delete') this.seen.delete(key);
    else this.seen.set(key, identity);
    for (const h of this.handlers) h(type, identity, old);
  }

  async held(): Promise<number> {
    return (await this.metrics.objectsHeld.get()).values.find((v) => v.labels.resource === 'secrets')?.value ?? -1;
  }
}

const data = (obj: KubeObject | undefined) => obj?.['data'] as Record<string, string> | undefined;

describe('OnDemandObjects: what is fetched', () => {
  it('fetches only the keys asked for, never the other Secrets the watch knows of', async () => {
    const f = new Fixture();
    f.write('team-a/creds', { key: 'YQ==' });
    f.write('team-a/helm-release', { release: 'aHVnZQ==' });
    f.write('team-b/creds', { key: 'Yg==' });
    const read = await f.objects.read('KafkaCluster team-a/events', ['team-a/creds']);
    expect([...read.keys()]).toEqual(['team-a/creds']);
    expect(f.gets).toEqual(['/api/v1/namespaces/team-a/secrets/creds']);
    expect(f.objects.heldKeys()).toEqual(['team-a/creds']);
  });

  it('a Secret the watch has not seen is absent, without a request', async () => {
    const f = new Fixture();
    f.write('team-a/creds', { key: 'YQ==' }, { deliver: false });
    const read = await f.objects.read('r', ['team-a/creds', 'team-a/never-made']);
    expect(read.size).toBe(0);
    expect(f.gets).toEqual([]);
  });

  it('a Secret deleted after the watch saw it (404) is absent, and not held', async () => {
    const f = new Fixture();
    f.write('team-a/creds', { key: 'YQ==' });
    f.stored.delete('team-a/creds');
    expect((await f.objects.read('r', ['team-a/creds'])).get('team-a/creds')).toBeUndefined();
    expect(f.objects.heldKeys()).toEqual([]);
  });

  it('other API errors reach the caller (the pass is retried with backoff)', async () => {
    const f = new Fixture();
    f.write('team-a/creds', { key: 'YQ==' });
    const objects = new OnDemandObjects({
      resource: secrets,
      fields: ['data'],
      index: { get: () => f.stored.get('team-a/creds'), on: () => undefined },
      client: { get: () => Promise.reject(Object.assign(new Error('HTTP 403'), { statusCode: 403 })) },
    });
    await expect(objects.read('r', ['team-a/creds'])).rejects.toThrow('HTTP 403');
  });

  it('keeps only identity and the fields named: no annotations (kubectl keeps a copy of the data there), no type', async () => {
    const f = new Fixture();
    f.write(
      'team-a/creds',
      { key: 'YQ==' },
      { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"key":"YQ=="}}' } },
    );
    const obj = (await f.objects.read('r', ['team-a/creds'])).get('team-a/creds');
    expect(obj).toEqual({
      metadata: { name: 'creds', namespace: 'team-a', uid: 'uid-creds', resourceVersion: '1' },
      data: { key: 'YQ==' },
    });
  });
});

describe('OnDemandObjects: a held copy serves while it is current', () => {
  it('a second read of an unchanged Secret makes no request', async () => {
    const f = new Fixture();
    f.write('team-a/creds', { key: 'YQ==' });
    await f.objects.read('r', ['team-a/creds']);
    await f.objects.read('r', ['team-a/creds']);
    await f.objects.read('other', ['team-a/creds']);
    expect(f.gets).toHaveLength(1);
  });

  it('a change the watch reports drops the copy at once, and the next read fetches the new data', async () => {
    const f = new Fixture();
    f.write('team-a/creds', { key: 'YQ==' });
    await f.objects.read('r', ['team-a/creds']);
    f.write('team-a/creds', { key: 'YQ==', added: 'Yg==' });
    expect(f.objects.heldKeys()).toEqual([]);
    expect(data((await f.objects.read('r', ['team-a/creds'])).get('team-a/creds'))).toEqual({ key: 'YQ==', added: 'Yg==' });
    expect(f.gets).toHaveLength(2);
  });

  it('a deletion the watch reports drops the copy, and the Secret reads as absent without a request', async () => {
    const f = new Fixture();
    f.write('team-a/creds', { key: 'YQ==' });
    await f.objects.read('r', ['team-a/creds']);
    f.remove('team-a/creds');
    expect(f.objects.heldKeys()).toEqual([]);
    expect((await f.objects.read('r', ['team-a/creds'])).size).toBe(0);
    expect(f.gets).toHaveLength(1);
  });

  it('a copy fetched ahead of the watch is used for that read, and fetched again until the watch agrees', async () => {
    const f = new Fixture();
    f.write('team-a/creds', { key: 'b2xk' });
    f.write('team-a/creds', { key: 'bmV3' }, { deliver: false }); // the watch still says rv 1
    expect(data((await f.objects.read('r', ['team-a/creds'])).get('team-a/creds'))).toEqual({ key: 'bmV3' });
    await f.objects.read('r', ['team-a/creds']);
    expect(f.gets).toHaveLength(2);
    f.deliver('team-a/creds', 'update'); // now rv 2, the copy's own
    await f.objects.read('r', ['team-a/creds']);
    expect(f.gets).toHaveLength(2);
  });

  it('what a read returned does not change under its reader when the Secret changes', async () => {
    const f = new Fixture();
    f.write('team-a/creds', { key: 'YQ==' });
    const read = await f.objects.read('r', ['team-a/creds']);
    f.write('team-a/creds', { key: 'Yg==' });
    expect(data(read.get('team-a/creds'))).toEqual({ key: 'YQ==' });
  });
});

describe('OnDemandObjects: nothing is held that no reader needs', () => {
  it('a Secret a reader no longer names is dropped; one another reader names is kept', async () => {
    const f = new Fixture();
    f.write('team-a/creds', { key: 'YQ==' });
    f.write('team-a/password', { p: 'cA==' });
    await f.objects.read('kafka', ['team-a/creds', 'team-a/password']);
    await f.objects.read('group', ['team-a/creds']);
    expect(f.objects.heldKeys().sort()).toEqual(['team-a/creds', 'team-a/password']);
    await f.objects.read('kafka', ['team-a/creds']);
    expect(f.objects.heldKeys()).toEqual(['team-a/creds']);
    f.objects.release('kafka');
    expect(f.objects.heldKeys()).toEqual(['team-a/creds']);
    f.objects.release('group');
    expect(f.objects.heldKeys()).toEqual([]);
    expect(await f.held()).toBe(0);
  });

  it('a key named twice by one reader counts once', async () => {
    const f = new Fixture();
    f.write('team-a/creds', { key: 'YQ==' });
    await f.objects.read('r', ['team-a/creds', 'team-a/creds']);
    expect(f.gets).toHaveLength(1);
    await f.objects.read('r', []);
    expect(f.objects.heldKeys()).toEqual([]);
  });

  it('a GET that returns after its reader let go is not kept', async () => {
    const f = new Fixture();
    f.write('team-a/creds', { key: 'YQ==' });
    let open!: () => void;
    f.gate = new Promise((r) => (open = r));
    const reading = f.objects.read('r', ['team-a/creds']);
    f.objects.release('r');
    open();
    expect((await reading).size).toBe(1);
    expect(f.objects.heldKeys()).toEqual([]);
  });

  it('the gauge follows what is held', async () => {
    const f = new Fixture();
    f.write('team-a/a', { k: 'YQ==' });
    f.write('team-a/b', { k: 'Yg==' });
    f.write('team-a/c', { k: 'Yw==' });
    await f.objects.read('r', ['team-a/a', 'team-a/b']);
    expect(await f.held()).toBe(2);
    f.write('team-a/a', { k: 'eA==' });
    expect(await f.held()).toBe(1);
  });
});
