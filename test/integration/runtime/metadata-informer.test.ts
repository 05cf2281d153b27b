// A metadata-only informer against the real API server (runtime/informer.ts, `metadataOnly`), the
// way the operator watches Secrets: its LIST and its WATCH receive PartialObjectMetadata and never a
// Secret's data, which is checked on the bytes received (undici's diagnostics channel), not only on
// what the cache keeps; and the cache keeps identity alone, so a Secret written by `kubectl apply`
// (whose last-applied-configuration annotation repeats its data) is not held either.
import { randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Informer } from '../../../src/runtime/informer.ts';
import { KubeClient } from '../../../src/runtime/kube.ts';
import { clients, freshNamespace } from '../../support/cluster.ts';
import { eventually } from '../../support/operator-process.ts';

const { kc, core } = clients(inject('kubeconfigPath'));
const secretsResource = { group: '', version: 'v1', plural: 'secrets', kind: 'Secret' };
const value = () => randomBytes(24).toString('hex');
const listed = value();
const watched = value();
const applied = value();

/** Response bodies received for GETs with a query (the informer's LIST and WATCH), joined per request. */
const received = new Map<object, { path: string; body: string }>();
const onChunk = (message: unknown) => {
  const { request, chunk } = message as { request: { path: string }; chunk: Buffer };
  if (!request.path.includes('?')) return; // the test's own writes, whose answers carry the data
  const entry = received.get(request) ?? { path: request.path, body: '' };
  entry.body += Buffer.from(chunk).toString('utf8');
  received.set(request, entry);
};

let ns: string;
let informer: Informer;

beforeAll(async () => {
  ns = await freshNamespace(kc, 'metadata-informer');
  await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'listed' }, stringData: { password: listed } } });
  subscribe('undici:request:bodyChunkReceived', onChunk);
  informer = new Informer({
    client: new KubeClient({ kubeConfig: kc, userAgent: 'metadata-informer-test' }),
    resource: secretsResource,
    namespace: ns,
    metadataOnly: true,
    log: pino({ level: 'silent' }),
  });
  informer.start();
  await informer.synced;
});

afterAll(async () => {
  await informer?.stop();
  unsubscribe('undici:request:bodyChunkReceived', onChunk);
});

describe('metadata-only informer', () => {
  it('lists and watches metadata alone: no Secret value ever arrives, only PartialObjectMetadata', async () => {
    await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'watched' }, stringData: { password: watched } } });
    await eventually(() => informer.get(`${ns}/watched`));
    const bodies = [...received.values()];
    const list = bodies.find((b) => b.path.includes('/secrets?') && !b.path.includes('watch=true'));
    const watch = bodies.find((b) => b.path.includes('/secrets?') && b.path.includes('watch=true') && b.body.includes('"ADDED"'));
    expect(list?.body).toContain('"kind":"PartialObjectMetadataList"');
    expect(list?.body).toContain('"name":"listed"');
    expect(watch?.body).toContain('"kind":"PartialObjectMetadata"');
    expect(watch?.body).toContain('"name":"watched"');
    for (const b of bodies) {
      expect(b.body).not.toContain('"data"');
      for (const v of [listed, watched]) expect(b.body).not.toContain(Buffer.from(v).toString('base64'));
    }
  });

  it('keeps only name, namespace, uid and resourceVersion: not even the annotation kubectl copies the data into', async () => {
    const lastApplied = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'applied', namespace: ns },
      stringData: { password: applied },
    });
    await core.createNamespacedSecret({
      namespace: ns,
      body: {
        metadata: {
          name: 'applied',
          labels: { team: 'a' },
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied },
        },
        stringData: { password: applied },
      },
    });
    const cached = await eventually(() => informer.get(`${ns}/applied`));
    expect(Object.keys(cached)).toEqual(['metadata']);
    expect(Object.keys(cached.metadata).sort()).toEqual(['name', 'namespace', 'resourceVersion', 'uid']);
    expect(JSON.stringify(informer.list())).not.toContain(applied);
    // What the API server does send with metadata: the annotation, and with it the value. It is
    // dropped on arrival (above); a Secret created by `kubectl create` or Helm has no such copy.
    expect([...received.values()].some((b) => b.body.includes(applied))).toBe(true);
  });

  it('a change of data moves the resourceVersion the cache holds (what invalidates a Secret read on demand)', async () => {
    const before = informer.get(`${ns}/listed`)!.metadata.resourceVersion;
    await core.replaceNamespacedSecret({
      name: 'listed',
      namespace: ns,
      body: { metadata: { name: 'listed' }, stringData: { password: value() } },
    });
    await eventually(() => informer.get(`${ns}/listed`)!.metadata.resourceVersion !== before);
  });
});
