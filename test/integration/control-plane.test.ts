// Proves the locally built control plane is a real Kubernetes API: version reporting, kubectl
// compatibility, and the CRD features the operator depends on (CEL, immutability, status and scale
// subresources), using the test-only Widget CRD fixture.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  VersionApi,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installCrd as installWidgetCrd } from '../support/cluster.ts';

const execFileAsync = promisify(execFile);

const W = { group: 'test.cdo.dev', version: 'v1', plural: 'widgets' } as const;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function errorText(err: unknown): string {
  if (err instanceof ApiException) return `${String(err.code)} ${err.message} ${JSON.stringify(err.body)}`;
  return err instanceof Error ? err.message : String(err);
}

async function expectRejected(p: Promise<unknown>, code: number, text: string): Promise<void> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'request should have been rejected').toBeInstanceOf(ApiException);
  expect((err as ApiException<unknown>).code).toBe(code);
  expect(errorText(err)).toContain(text);
}

describe('local control plane', () => {
  const kubeconfigPath = inject('kubeconfigPath');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);

  it('reports kube-apiserver v1.37.2 on /version', async () => {
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe('v1.37.2');
    expect(version.major).toBe('1');
    expect(version.minor).toBe('37');
  });

  it('is reachable with the built kubectl', async () => {
    const { stdout } = await execFileAsync(inject('kubectlPath'), ['version', '-o', 'json', '--kubeconfig', kubeconfigPath]);
    const out = JSON.parse(stdout);
    expect(out.serverVersion.gitVersion).toBe('v1.37.2');
    expect(out.clientVersion.gitVersion).toBe('v1.37.2');
  });

  describe('Widget CRD', () => {
    const objects = kc.makeApiClient(CustomObjectsApi);
    const namespace = `cp-test-${randomBytes(3).toString('hex')}`;
    const widget = (name: string, spec: Record<string, unknown>) => ({
      apiVersion: `${W.group}/${W.version}`,
      kind: 'Widget',
      metadata: { name, namespace },
      spec,
    });

    beforeAll(async () => {
      await installWidgetCrd(kc);
      await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    });
    afterAll(async () => {
      await kc.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace });
    });

    it('rejects replicas above 10 with the CEL message', async () => {
      await expectRejected(
        objects.createNamespacedCustomObject({ ...W, namespace, body: widget('too-many', { replicas: 11, size: 'small' }) }),
        422,
        'replicas must be at most 10',
      );
    });

    it('keeps spec.size immutable', async () => {
      await objects.createNamespacedCustomObject({ ...W, namespace, body: widget('fixed-size', { replicas: 1, size: 'small' }) });
      await expectRejected(
        objects.patchNamespacedCustomObject({ ...W, namespace, name: 'fixed-size', body: { spec: { size: 'large' } } }, mergePatch),
        422,
        'size is immutable',
      );
      // Other fields stay mutable.
      const patched = await objects.patchNamespacedCustomObject(
        { ...W, namespace, name: 'fixed-size', body: { spec: { message: 'hello' } } },
        mergePatch,
      );
      expect(patched.spec).toEqual({ replicas: 1, size: 'small', message: 'hello' });
    });

    it('separates spec and status writes', async () => {
      const created = await objects.createNamespacedCustomObject({
        ...W,
        namespace,
        body: widget('split', { replicas: 2, size: 'small' }),
      });
      const generation: number = created.metadata.generation;

      // A status write ignores spec changes and does not bump the generation.
      const afterStatus = await objects.patchNamespacedCustomObjectStatus(
        {
          ...W,
          namespace,
          name: 'split',
          body: {
            spec: { replicas: 7 },
            status: { replicas: 2, conditions: [{ type: 'Ready', status: 'True', reason: 'Test' }] },
          },
        },
        mergePatch,
      );
      expect(afterStatus.spec.replicas).toBe(2);
      expect(afterStatus.status.replicas).toBe(2);
      expect(afterStatus.status.conditions).toEqual([{ type: 'Ready', status: 'True', reason: 'Test' }]);
      expect(afterStatus.metadata.generation).toBe(generation);

      // A spec write ignores status changes and bumps the generation.
      const afterSpec = await objects.patchNamespacedCustomObject(
        { ...W, namespace, name: 'split', body: { spec: { replicas: 3 }, status: { replicas: 9 } } },
        mergePatch,
      );
      expect(afterSpec.spec.replicas).toBe(3);
      expect(afterSpec.status.replicas).toBe(2);
      expect(afterSpec.metadata.generation).toBe(generation + 1);
    });

    it('serves the scale subresource', async () => {
      await objects.createNamespacedCustomObject({ ...W, namespace, body: widget('scalable', { replicas: 4, size: 'small' }) });
      await objects.patchNamespacedCustomObjectStatus({ ...W, namespace, name: 'scalable', body: { status: { replicas: 3 } } }, mergePatch);
      const scale = await objects.getNamespacedCustomObjectScale({ ...W, namespace, name: 'scalable' });
      expect(scale.kind).toBe('Scale');
      expect(scale.spec.replicas).toBe(4);
      expect(scale.status.replicas).toBe(3);

      await objects.patchNamespacedCustomObjectScale({ ...W, namespace, name: 'scalable', body: { spec: { replicas: 6 } } }, mergePatch);
      const after = await objects.getNamespacedCustomObject({ ...W, namespace, name: 'scalable' });
      expect(after.spec.replicas).toBe(6);
      // The CEL rule guards writes through /scale too.
      await expectRejected(
        objects.patchNamespacedCustomObjectScale({ ...W, namespace, name: 'scalable', body: { spec: { replicas: 11 } } }, mergePatch),
        422,
        'replicas must be at most 10',
      );
    });
  });
});
