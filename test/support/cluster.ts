// Small helpers for integration tests that talk to the real control plane.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  ApiException,
  ApiextensionsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubeConfig,
  loadYaml,
  PatchStrategy,
  setHeaderOptions,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';

/** Per-call options for client-node PATCH requests, which default to JSON Patch whatever the body is. */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
export const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

export const widgetCrdPath = new URL('../fixtures/widget-crd.yaml', import.meta.url);
export const W = { group: 'test.cdo.dev', version: 'v1', plural: 'widgets' } as const;

/** The Events about `name` in `ns`: reason, type and note. */
export async function eventsAbout(kc: ReturnType<typeof clients>, ns: string, name: string) {
  return (await kc.events.listNamespacedEvent({ namespace: ns })).items
    .filter((e) => e.regarding?.name === name)
    .map((e) => ({ reason: e.reason, type: e.type, note: e.note ?? '' }));
}

export function clients(kubeconfigPath: string) {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    coordination: kc.makeApiClient(CoordinationV1Api),
    events: kc.makeApiClient(EventsV1Api),
    ext: kc.makeApiClient(ApiextensionsV1Api),
  };
}

/** Creates (or keeps) a CRD from a YAML file and waits until it is Established. */
export async function installCrd(kc: KubeConfig, file: URL = widgetCrdPath): Promise<void> {
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const body = loadYaml<V1CustomResourceDefinition>(await readFile(file, 'utf8'));
  const name = body.metadata!.name!;
  try {
    await ext.createCustomResourceDefinition({ body });
  } catch (err) {
    // Test files share the control plane and may have installed it already.
    if (!(err instanceof ApiException && err.code === 409)) throw err;
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    const crd = await ext.readCustomResourceDefinition({ name });
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} not Established: ${JSON.stringify(crd.status)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A fresh namespace per test, so test files sharing one control plane never see each other. */
export async function freshNamespace(kc: KubeConfig, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
  return name;
}

export function getWidget(kc: KubeConfig, namespace: string, name: string): Promise<any> {
  return kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ ...W, namespace, name });
}

/** Like getWidget, but undefined once it is gone. */
export async function findWidget(kc: KubeConfig, namespace: string, name: string): Promise<any> {
  try {
    return await getWidget(kc, namespace, name);
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return undefined;
    throw err;
  }
}

export function createWidget(kc: KubeConfig, namespace: string, name: string, spec: Record<string, unknown>, finalizers?: string[]) {
  return kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    ...W,
    namespace,
    body: { apiVersion: 'test.cdo.dev/v1', kind: 'Widget', metadata: { name, ...(finalizers ? { finalizers } : {}) }, spec },
  });
}

export function patchWidget(kc: KubeConfig, namespace: string, name: string, body: unknown) {
  return kc.makeApiClient(CustomObjectsApi).patchNamespacedCustomObject({ ...W, namespace, name, body }, mergePatch);
}

export interface AuditEvent {
  stage: string;
  verb: string;
  user: { username: string };
  userAgent?: string;
  requestURI: string;
  objectRef?: { resource?: string; apiGroup?: string; namespace?: string; subresource?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp: string;
}

/** Requests the API server itself logged (audit log), complete, received since `since`. */
export async function auditedSince(auditLogPath: string, since: Date): Promise<AuditEvent[]> {
  const text = await readFile(auditLogPath, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent)
    .filter((e) => e.stage === 'ResponseComplete' && new Date(e.requestReceivedTimestamp) >= since);
}

/** Requests the API server itself logged (audit log), complete, from one user agent, since `since`. */
export async function auditedRequests(auditLogPath: string, userAgentPrefix: string, since: Date): Promise<AuditEvent[]> {
  return (await auditedSince(auditLogPath, since)).filter((e) => (e.userAgent ?? '').startsWith(userAgentPrefix));
}

export const writeVerbs = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
