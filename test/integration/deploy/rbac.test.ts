// The RBAC of deploy/ is sufficient and least. The operator (src/main.ts, a child process, leader
// election on) runs with a token of the ServiceAccount the manifests create (`kubectl create
// token`, nothing else: no admin certificate) and drives a full HadoopEcoCluster and KafkaCluster
// lifecycle against the simulators; the API server's audit log shows no request of it was refused.
// Then `kubectl auth can-i` with the same token shows what it cannot do. The metrics-auth grant
// (TokenReview, SubjectAccessReview) is exercised in secure-metrics.test.ts with the base, and
// below with the single-namespace overlay.
//
// What RBAC can and cannot express: `patch` on the resources is needed for the finalizer (JSON
// patch) and the cluster-id annotations (merge patch), and RBAC cannot limit a patch to metadata,
// so this token could technically patch `spec`. The operator never does: status goes to the
// /status subresource (a separate grant), and the token has no create, update or delete on the
// resources, so it can neither replace a whole object nor remove one.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startCdssSimulator, type CdssSimulator } from '../../../src/simulators/cdss/index.ts';
import { startHadoopEcoSimulator, type HadoopEcoSimulator } from '../../../src/simulators/hadoop-eco/index.ts';
import { clients } from '../../support/cluster.ts';
import { HEC, adminPassword, credentialId, credentialSecret, hecSpec } from '../../support/hadoop-eco.ts';
import { KAFKA, accessKey, kafkaSpec, managerPassword, secretKey } from '../../support/kafka.ts';
import { OperatorProcess, eventually } from '../../support/operator-process.ts';
import {
  OPERATOR_NS,
  SA,
  apply,
  canI,
  kubectl,
  kustomize,
  parseManifests,
  serviceAccountKubeconfig,
  serviceAccountToken,
  toYaml,
} from './deploy-support.ts';

const condition = (o: any, type: string) => o?.status?.conditions?.find((c: any) => c.type === type);
const ready = (o: any) =>
  o?.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True' && o.status.observedGeneration === o.metadata.generation;

interface AuditEvent {
  stage: string;
  verb: string;
  user: { username: string };
  objectRef?: { resource?: string; subresource?: string; namespace?: string; apiGroup?: string; name?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp: string;
}

/** Every request `username` made since `since`, from the API server's own audit log. */
async function requestsBy(username: string, since: Date): Promise<AuditEvent[]> {
  const text = await readFile(inject('auditLogPath'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent)
    .filter((e) => e.stage === 'ResponseComplete' && e.user.username === username && new Date(e.requestReceivedTimestamp) >= since);
}

async function createNamespace(name: string): Promise<void> {
  await kubectl(['create', 'namespace', name]).catch((err: Error) => {
    if (!/AlreadyExists/.test(err.message)) throw err;
  });
}

/** The Secrets both kinds reference. */
const referencedSecrets = ['cmak', 'hue-admin', 'kakao', 'ncp'];

/** Secrets both kinds reference, and one nobody does, created by the admin in `ns`. */
async function seedSecrets(ns: string): Promise<void> {
  const kc = clients(inject('kubeconfigPath'));
  await kc.core.createNamespacedSecret({
    namespace: ns,
    body: { metadata: { name: 'unrelated' }, stringData: { token: 'not-for-the-operator' } },
  });
  await kc.core.createNamespacedSecret({
    namespace: ns,
    body: { metadata: { name: 'kakao' }, stringData: { credentialId, credentialSecret } },
  });
  await kc.core.createNamespacedSecret({
    namespace: ns,
    body: { metadata: { name: 'hue-admin' }, stringData: { password: adminPassword } },
  });
  await kc.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'ncp' }, stringData: { accessKey, secretKey } } });
  await kc.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'cmak' }, stringData: { password: managerPassword } } });
}

function startOperator(
  name: string,
  kubeconfig: string,
  podNamespace: string,
  watch: string,
  hec: HadoopEcoSimulator,
  cdss: CdssSimulator,
  env: Record<string, string> = {},
): OperatorProcess {
  return new OperatorProcess(name, '../../src/main.ts', {
    KUBECONFIG: kubeconfig,
    POD_NAMESPACE: podNamespace,
    CDO_LEADER_ELECT: 'true',
    // The manifests' token could watch every namespace; this test watches its own so it never
    // reconciles other test files' resources on the shared control plane.
    CDO_WATCH_NAMESPACES: watch,
    CDO_KAKAOCLOUD_ENDPOINTS: `kr-central-2=${hec.url}`,
    CDO_NCLOUD_ENDPOINTS: `KR=${cdss.baseUrl('KR')}`,
    CDO_POLL_BUSY: '1',
    CDO_POLL_STEADY: '5',
    ...env,
  });
}

const admin = () => clients(inject('kubeconfigPath'));
const gone = async (get: () => Promise<unknown>) => {
  try {
    await get();
    return false;
  } catch (err: any) {
    return err.code === 404;
  }
};

let hecSim: HadoopEcoSimulator;
let cdssSim: CdssSimulator;
const operators: OperatorProcess[] = [];

beforeAll(async () => {
  hecSim = await startHadoopEcoSimulator({
    credentials: [{ credentialId, credentialSecret }],
    provisionMs: 1500,
    scaleMs: 1000,
    terminateMs: 800,
    jobMs: 1000,
    seed: 42,
  });
  cdssSim = await startCdssSimulator({
    credentials: [{ accessKey, secretKey }],
    provisionMs: 1500,
    scaleMs: 1000,
    upgradeMs: 1500,
    deleteMs: 800,
    seed: 7,
  });
});
afterAll(async () => {
  await Promise.all(operators.map((o) => o.stop()));
  await hecSim?.close();
  await cdssSim?.close();
});

describe('all-namespaces (the base): the ServiceAccount token is enough to run both lifecycles', () => {
  const ns = `cdo-rbac-${randomBytes(3).toString('hex')}`;
  const user = `system:serviceaccount:${OPERATOR_NS}:${SA}`;
  let kubeconfig: string;
  let op: OperatorProcess;
  let since: Date;

  beforeAll(async () => {
    await apply(await kustomize('deploy/base'));
    await createNamespace(ns);
    await seedSecrets(ns);
    kubeconfig = await serviceAccountKubeconfig(OPERATOR_NS);
    since = new Date(Date.now() - 1000);
    op = startOperator('cdo-rbac-base', kubeconfig, OPERATOR_NS, ns, hecSim, cdssSim);
    operators.push(op);
    await op.waitForLog((l) => l.msg === 'became leader', 30_000);
    await op.waitForLog((l) => l.msg === 'controller started' && l['controller'] === 'kafkacluster', 30_000);
  });

  it('authenticates as the ServiceAccount, not as an admin', async () => {
    expect((await kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { kubeconfig })).trim()).toBe(user);
    const lease = await admin().coordination.readNamespacedLease({ namespace: OPERATOR_NS, name: 'cloud-data-operator' });
    expect(lease.spec?.holderIdentity).toBe('cdo-rbac-base');
  });

  it('HadoopEcoCluster: create → Running → scale out → delete', async () => {
    const kc = admin();
    await kc.custom.createNamespacedCustomObject({
      ...HEC,
      namespace: ns,
      body: {
        apiVersion: 'kakaocloud.cdo.dev/v1alpha1',
        kind: 'HadoopEcoCluster',
        metadata: { name: 'hec' },
        spec: hecSpec({ workerCount: 2 }),
      },
    });
    const get = () => kc.custom.getNamespacedCustomObject({ ...HEC, namespace: ns, name: 'hec' });
    let o = await eventually(async () => ((x) => (ready(x) ? x : undefined))(await get()), 45_000);
    expect(o.metadata.finalizers).toContain('cdo.dev/finalizer');
    expect(o.metadata.annotations['cdo.dev/cluster-id']).toBe(o.status.clusterId);
    await kubectl(['-n', ns, 'scale', 'hec/hec', '--replicas=3']);
    o = await eventually(async () => ((x) => (ready(x) && x.status.workerCount === 3 ? x : undefined))(await get()), 45_000);
    await kc.custom.deleteNamespacedCustomObject({ ...HEC, namespace: ns, name: 'hec' });
    await eventually(() => gone(get), 45_000);
    expect(hecSim.cluster(o.status.clusterId)?.status).toBe('Terminated(User)');
  });

  it('KafkaCluster: create → running → add brokers → delete', async () => {
    const kc = admin();
    await kc.custom.createNamespacedCustomObject({
      ...KAFKA,
      namespace: ns,
      body: { apiVersion: 'ncloud.cdo.dev/v1alpha1', kind: 'KafkaCluster', metadata: { name: 'kafka' }, spec: kafkaSpec() },
    });
    const get = () => kc.custom.getNamespacedCustomObject({ ...KAFKA, namespace: ns, name: 'kafka' });
    let o = await eventually(async () => ((x) => (ready(x) ? x : undefined))(await get()), 45_000);
    expect(o.status.brokerCount).toBe(3);
    await kubectl(['-n', ns, 'scale', 'nkafka/kafka', '--replicas=5']);
    o = await eventually(async () => ((x) => (ready(x) && x.status.brokerCount === 5 ? x : undefined))(await get()), 45_000);
    expect(o.status.bootstrapServers.plaintext.split(',')).toHaveLength(5);
    await kc.custom.deleteNamespacedCustomObject({ ...KAFKA, namespace: ns, name: 'kafka' });
    await eventually(() => gone(get), 45_000);
    expect(cdssSim.requests().filter((r) => r.path.includes('/cluster/deleteCDSSCluster'))).toHaveLength(1);
  });

  it('the API server refused none of its requests, and every request is within the grants', async () => {
    // (Reviews are secure-metrics.test.ts's, whose operator runs as this ServiceAccount too.)
    const reqs = (await requestsBy(user, since)).filter(
      (e) => !['tokenreviews', 'subjectaccessreviews'].includes(e.objectRef?.resource ?? ''),
    );
    expect(reqs.length).toBeGreaterThan(10);
    const refused = reqs.filter((e) => e.responseStatus?.code === 403);
    expect(refused.map((e) => `${e.verb} ${e.objectRef?.resource}/${e.objectRef?.subresource ?? ''} -n ${e.objectRef?.namespace}`)).toEqual(
      [],
    );
    const used = [
      ...new Set(
        reqs
          .filter((e) => e.objectRef?.resource)
          .map(
            (e) =>
              `${e.objectRef!.apiGroup ?? ''}/${e.objectRef!.resource}${e.objectRef!.subresource ? '/' + e.objectRef!.subresource : ''} ${e.verb}`,
          ),
      ),
    ].sort();
    console.log(`requests of the operator's ServiceAccount (group/resource verb):\n  ${used.join('\n  ')}`);
    // Never a write of spec by PUT, never a create or delete of the resources themselves.
    for (const u of used) expect(u).not.toMatch(/(hadoopecoclusters|kafkaclusters) (update|create|delete)$/);
    // Secrets: the list and watch of the collection (metadata only, which RBAC cannot tell
    // apart), and a get of each referenced Secret; never a get of the one nobody references.
    const secretReads = reqs.filter((e) => e.objectRef?.resource === 'secrets');
    // (A watch is still open, so not in this list of completed requests.)
    expect([...new Set(secretReads.map((e) => e.verb))].sort()).toEqual(['get', 'list']);
    expect(secretReads.filter((e) => e.verb !== 'get').every((e) => e.objectRef?.name === undefined)).toBe(true);
    expect([...new Set(secretReads.filter((e) => e.verb === 'get').map((e) => e.objectRef?.name))].sort()).toEqual(referencedSecrets);
    expect(op.lines.some((l) => /forbidden/i.test(JSON.stringify(l)))).toBe(false);
  });

  it('least privilege: only patch (no create, update, delete) on the resources; no other kinds', async () => {
    const can = (...a: string[]) => canI(kubeconfig, ...a);
    // What it has.
    for (const r of ['hadoopecoclusters.kakaocloud.cdo.dev', 'kafkaclusters.ncloud.cdo.dev']) {
      for (const v of ['get', 'list', 'watch', 'patch']) expect(await can(v, r, '-n', ns), `${v} ${r}`).toBe(true);
      expect(await can('patch', r, '--subresource=status', '-n', ns), `patch ${r}/status`).toBe(true);
      for (const v of ['create', 'update', 'delete', 'deletecollection']) expect(await can(v, r, '-n', ns), `${v} ${r}`).toBe(false);
      expect(await can('update', r, '--subresource=status', '-n', ns), `update ${r}/status`).toBe(false);
    }
    // get (the referenced Secrets, when a pass needs them), list and watch (their metadata, to
    // know what exists and when it changes); RBAC has no metadata-only verb, and no write.
    for (const v of ['get', 'list', 'watch']) expect(await can(v, 'secrets', '-n', ns), `${v} secrets`).toBe(true);
    // Watching all namespaces means reading Secrets and writing ConfigMaps in all of them: that is
    // what the single-namespace variant (below) is for.
    expect(await can('list', 'secrets', '--all-namespaces')).toBe(true);
    expect(await can('create', 'leases.coordination.k8s.io', '-n', OPERATOR_NS)).toBe(true);
    // Secure metrics: the token and access reviews that guard /metrics, create only.
    // (Cluster-scoped kinds asked with --all-namespaces: kubectl warns otherwise.)
    expect(await can('create', 'tokenreviews.authentication.k8s.io', '--all-namespaces')).toBe(true);
    expect(await can('create', 'subjectaccessreviews.authorization.k8s.io', '--all-namespaces')).toBe(true);
    // What it lacks.
    expect(await can('create', 'localsubjectaccessreviews.authorization.k8s.io', '-n', ns)).toBe(false);
    expect(await can('create', 'certificatesigningrequests.certificates.k8s.io', '--all-namespaces')).toBe(false);
    // Reading metrics is the metrics-reader's, which the operator itself is not.
    expect(await can('get', '/metrics')).toBe(false);
    for (const v of ['create', 'update', 'patch', 'delete', 'deletecollection'])
      expect(await can(v, 'secrets', '-n', ns), `${v} secrets`).toBe(false);
    expect(await can('create', 'leases.coordination.k8s.io', '-n', ns), 'leases outside its namespace').toBe(false);
    expect(await can('delete', 'leases.coordination.k8s.io', '-n', OPERATOR_NS)).toBe(false);
    for (const [v, r] of [
      ['get', 'pods'],
      ['create', 'pods'],
      ['create', 'pods/exec'],
      ['list', 'deployments.apps'],
      ['create', 'deployments.apps'],
      ['list', 'serviceaccounts'],
      ['create', 'serviceaccounts/token'],
      ['list', 'events'],
      ['delete', 'events.events.k8s.io'],
      ['list', 'services'],
    ])
      expect(await can(v!, r!, '-n', ns), `${v} ${r}`).toBe(false);
    for (const [v, r] of [
      ['list', 'namespaces'],
      ['list', 'nodes'],
      ['update', 'customresourcedefinitions.apiextensions.k8s.io'],
      ['create', 'clusterroles.rbac.authorization.k8s.io'],
      ['create', 'clusterrolebindings.rbac.authorization.k8s.io'],
      ['create', 'roles.rbac.authorization.k8s.io'],
    ])
      expect(await can(v!, r!, '--all-namespaces'), `${v} ${r}`).toBe(false);
    // A real attempt, not only the access review.
    await expect(kubectl(['-n', ns, 'delete', 'hec', 'any-name'], { kubeconfig })).rejects.toThrow(
      /cannot delete resource "hadoopecoclusters"/,
    );
    await expect(kubectl(['-n', ns, 'get', 'pods'], { kubeconfig })).rejects.toThrow(/cannot list resource "pods"/);
  });
});

describe('single-namespace overlay: a Role in one namespace is enough, and nothing outside it is reachable', () => {
  // The overlay as rendered, with its two namespaces renamed so that its ServiceAccount is a
  // different identity from the base's (the base's ClusterRole would otherwise apply to it too),
  // and its cluster-scoped metrics roles and binding renamed so they do not replace the base's.
  const suffix = randomBytes(3).toString('hex');
  const opNs = `cdo-single-${suffix}`;
  const watched = `cdo-watched-${suffix}`;
  const other = `cdo-other-${suffix}`;
  let kubeconfig: string;

  beforeAll(async () => {
    const rename = (v: unknown): unknown => {
      if (v === OPERATOR_NS) return opNs;
      if (v === 'cloud-data') return watched;
      if (Array.isArray(v)) return v.map(rename);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rename(x)]));
      return v;
    };
    const ms = parseManifests(await kustomize('deploy/overlays/single-namespace')).map((m) => rename(m) as typeof m);
    // Cluster-wide: the metrics ClusterRoles (the reviews are cluster-scoped) and the tenant roles,
    // which no binding names (they only feed the built-in edit/admin/view by aggregation).
    const clusterWide = ms.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding');
    expect(clusterWide.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'ClusterRole/cloud-data-operator-edit',
      'ClusterRole/cloud-data-operator-metrics-auth',
      'ClusterRole/cloud-data-operator-metrics-reader',
      'ClusterRole/cloud-data-operator-view',
      'ClusterRoleBinding/cloud-data-operator-metrics-auth',
    ]);
    for (const m of clusterWide as any[]) {
      m.metadata.name = `${m.metadata.name}-${suffix}`;
      if (m.roleRef) m.roleRef.name = `${m.roleRef.name}-${suffix}`;
    }
    await createNamespace(watched);
    await createNamespace(other);
    await seedSecrets(watched);
    await seedSecrets(other);
    await apply(toYaml(ms.filter((m) => m.kind === 'Namespace')));
    await apply(toYaml(ms));
    kubeconfig = await serviceAccountKubeconfig(opNs);
  });

  it('the operator with this token runs a HadoopEcoCluster to Running and deletes it, and reviews metrics tokens', async () => {
    const op = startOperator('cdo-rbac-single', kubeconfig, opNs, watched, hecSim, cdssSim, { CDO_METRICS_SECURE: 'true' });
    operators.push(op);
    await op.waitForLog((l) => l.msg === 'became leader', 30_000);
    const kc = admin();
    await kc.custom.createNamespacedCustomObject({
      ...HEC,
      namespace: watched,
      body: { apiVersion: 'kakaocloud.cdo.dev/v1alpha1', kind: 'HadoopEcoCluster', metadata: { name: 'single' }, spec: hecSpec() },
    });
    const get = () => kc.custom.getNamespacedCustomObject({ ...HEC, namespace: watched, name: 'single' });
    await eventually(async () => ready(await get()), 45_000);
    await kc.custom.deleteNamespacedCustomObject({ ...HEC, namespace: watched, name: 'single' });
    await eventually(() => gone(get), 45_000);
    // Secure metrics under this overlay: a scrape with a token the operator must review (its own,
    // which may not read /metrics: 403 means both reviews were made, a missing grant gives 500).
    const { port } = await op.metricsEndpoint();
    const selfSigned = new Agent({ connect: { rejectUnauthorized: false } });
    const scrape = await request(`https://127.0.0.1:${port}/metrics`, {
      dispatcher: selfSigned,
      headers: { authorization: `Bearer ${await serviceAccountToken(opNs)}` },
    });
    expect(scrape.statusCode).toBe(403);
    await scrape.body.dump();
    await selfSigned.close();
    const reqs = await requestsBy(`system:serviceaccount:${opNs}:${SA}`, new Date(0));
    expect(
      reqs.filter((e) => ['tokenreviews', 'subjectaccessreviews'].includes(e.objectRef?.resource ?? '')).map((e) => e.responseStatus?.code),
    ).toEqual([201, 201]);
    const refused = reqs.filter((e) => e.responseStatus?.code === 403 && e.objectRef?.resource !== 'selfsubjectaccessreviews');
    expect(refused.map((e) => `${e.verb} ${e.objectRef?.resource} -n ${e.objectRef?.namespace}`)).toEqual([]);
    // The Secrets it got by name are the two the HadoopEcoCluster references, in the watched namespace.
    const gets = reqs.filter((e) => e.objectRef?.resource === 'secrets' && e.verb === 'get');
    expect([...new Set(gets.map((e) => `${e.objectRef?.namespace}/${e.objectRef?.name}`))].sort()).toEqual([
      `${watched}/hue-admin`,
      `${watched}/kakao`,
    ]);
    await op.stop();
  });

  it('cannot read Secrets or ConfigMaps, or touch the resources, outside the watched namespace', async () => {
    const can = (...a: string[]) => canI(kubeconfig, ...a);
    expect(await can('list', 'secrets', '-n', watched)).toBe(true);
    expect(await can('create', 'configmaps', '-n', watched)).toBe(true);
    for (const n of [other, opNs, 'kube-system', 'default']) {
      for (const v of ['get', 'list', 'watch']) expect(await can(v, 'secrets', '-n', n), `${v} secrets -n ${n}`).toBe(false);
      for (const v of ['get', 'create', 'update', 'delete'])
        expect(await can(v, 'configmaps', '-n', n), `${v} configmaps -n ${n}`).toBe(false);
      expect(await can('patch', 'hadoopecoclusters.kakaocloud.cdo.dev', '-n', n)).toBe(false);
      expect(await can('list', 'kafkaclusters.ncloud.cdo.dev', '-n', n)).toBe(false);
    }
    expect(await can('list', 'secrets', '--all-namespaces')).toBe(false);
    expect(await can('create', 'leases.coordination.k8s.io', '-n', opNs)).toBe(true);
    expect(await can('create', 'leases.coordination.k8s.io', '-n', watched)).toBe(false);
    // A real request: listing Secrets in another namespace is refused by the API server.
    await expect(kubectl(['-n', other, 'get', 'secrets'], { kubeconfig })).rejects.toThrow(
      /secrets is forbidden: User "system:serviceaccount:cdo-single-[0-9a-f]+:cloud-data-operator" cannot list resource "secrets"/,
    );
    await expect(kubectl(['get', 'secrets', '--all-namespaces'], { kubeconfig })).rejects.toThrow(/forbidden/);
  });
});
