import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Informer } from '../../../src/runtime/informer.ts';
import { KubeClient } from '../../../src/runtime/kube.ts';
import type { KubeObject } from '../../../src/runtime/object.ts';
import { identityOf, lastAppliedAnnotation, trimForCache } from '../../../src/runtime/trim.ts';

const managedFields = [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:spec': { 'f:workerCount': {} } } }];

describe('trimForCache', () => {
  it('drops managedFields and the last-applied annotation, and keeps every other field and annotation', () => {
    const obj: KubeObject = {
      apiVersion: 'kakaocloud.cdo.dev/v1alpha1',
      kind: 'HadoopEcoCluster',
      metadata: {
        name: 'c',
        namespace: 'ns',
        uid: 'u',
        resourceVersion: '7',
        generation: 2,
        finalizers: ['cdo.dev/finalizer'],
        labels: { team: 'a' },
        annotations: { [lastAppliedAnnotation]: '{"spec":{}}', 'cdo.dev/paused': 'true' },
        managedFields,
      },
      spec: { workerCount: 3 },
      status: { phase: 'Running' },
    };
    expect(trimForCache(obj)).toStrictEqual({
      apiVersion: 'kakaocloud.cdo.dev/v1alpha1',
      kind: 'HadoopEcoCluster',
      metadata: {
        name: 'c',
        namespace: 'ns',
        uid: 'u',
        resourceVersion: '7',
        generation: 2,
        finalizers: ['cdo.dev/finalizer'],
        labels: { team: 'a' },
        annotations: { 'cdo.dev/paused': 'true' },
      },
      spec: { workerCount: 3 },
      status: { phase: 'Running' },
    });
  });

  it('leaves the object it was given as it was', () => {
    const obj: KubeObject = {
      metadata: { name: 'c', uid: 'u', resourceVersion: '1', annotations: { [lastAppliedAnnotation]: '{}' }, managedFields },
    };
    const copy = structuredClone(obj);
    trimForCache(obj);
    expect(obj).toStrictEqual(copy);
  });

  it('drops managedFields alone, and returns an object with neither field as it is', () => {
    const withFields: KubeObject = { metadata: { name: 'c', uid: 'u', resourceVersion: '1', annotations: { a: 'b' }, managedFields } };
    expect(trimForCache(withFields).metadata).toStrictEqual({ name: 'c', uid: 'u', resourceVersion: '1', annotations: { a: 'b' } });
    const plain: KubeObject = { metadata: { name: 'c', uid: 'u', resourceVersion: '1', annotations: { a: 'b' } } };
    expect(trimForCache(plain)).toBe(plain);
  });
});

describe('the informer cache', () => {
  // A local server plays the API server: one LIST page, then a watch with one MODIFIED event.
  const applied = { [lastAppliedAnnotation]: '{"spec":{"workerCount":3}}', keep: 'me' };
  const object = (rv: string) => ({
    metadata: { name: 'c', namespace: 'ns', uid: 'u', resourceVersion: rv, annotations: applied, managedFields },
    spec: { workerCount: Number(rv) },
  });
  let server: Server;
  afterAll(() => server?.close());

  it('keeps objects without managedFields and the last-applied annotation, from the LIST and from the watch', async () => {
    let sendModified: (() => void) | undefined;
    server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (!req.url?.includes('watch=true')) return res.end(JSON.stringify({ metadata: { resourceVersion: '1' }, items: [object('1')] }));
      res.write('\n');
      sendModified = () => res.write(`${JSON.stringify({ type: 'MODIFIED', object: object('2') })}\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser(
      { name: 'l', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
      { name: 'u' },
    );
    const client = new KubeClient({ kubeConfig: kc, userAgent: 'test' });
    const informer = new Informer({
      client,
      resource: { group: 'g', version: 'v1', plural: 'things', kind: 'Thing' },
      log: pino({ level: 'silent' }),
    });
    informer.start();
    await informer.synced;
    expect(informer.get('ns/c')?.metadata).toStrictEqual({
      name: 'c',
      namespace: 'ns',
      uid: 'u',
      resourceVersion: '1',
      annotations: { keep: 'me' },
    });
    await vi.waitFor(() => expect(sendModified).toBeDefined());
    sendModified?.();
    await vi.waitFor(() => expect(informer.get('ns/c')?.metadata.resourceVersion).toBe('2'));
    expect(informer.get('ns/c')?.metadata).toStrictEqual({
      name: 'c',
      namespace: 'ns',
      uid: 'u',
      resourceVersion: '2',
      annotations: { keep: 'me' },
    });
    expect(informer.get('ns/c')?.['spec']).toEqual({ workerCount: 2 });
    await informer.stop();
    await client.close();
  });
});

describe('identityOf', () => {
  it('keeps name, namespace, uid and resourceVersion, and nothing else', () => {
    const metadata = {
      name: 'c',
      namespace: 'ns',
      uid: 'u',
      resourceVersion: '7',
      labels: { a: 'b' },
      annotations: { x: 'y' },
      managedFields,
    };
    expect(identityOf(metadata)).toStrictEqual({ metadata: { name: 'c', namespace: 'ns', uid: 'u', resourceVersion: '7' } });
  });

  it('adds no namespace to a cluster-scoped object', () => {
    expect(identityOf({ name: 'n', uid: 'u', resourceVersion: '1' })).toStrictEqual({
      metadata: { name: 'n', uid: 'u', resourceVersion: '1' },
    });
  });
});
