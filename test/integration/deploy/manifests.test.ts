// The install manifests in deploy/: the kustomize base and both overlays, and the Helm chart
// (helm built from Go modules by scripts/build-helm.sh), render, and apply cleanly to the real
// control plane; their CRDs are the generated ones byte for byte; kustomize and Helm grant the
// same rules; the pod template passes the `restricted` Pod Security admission of the API server.
// The RBAC itself (sufficient and least) is proven in rbac.test.ts.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  HELM_FULLNAME,
  HELM_NS,
  OPERATOR_NS,
  apply,
  chartDir,
  exec,
  find,
  helmBinary,
  helmTemplate,
  kubectl,
  kustomize,
  parseManifests,
  repoRoot,
  type Manifest,
} from './deploy-support.ts';

const LABEL = 'app.kubernetes.io/name';
const container = (ms: Manifest[]) => (find(ms, 'Deployment') as any).spec.template.spec.containers[0];
const env = (ms: Manifest[]) =>
  Object.fromEntries((container(ms).env as Array<{ name: string; value?: string }>).map((e) => [e.name, e.value ?? 'fieldRef']));

beforeAll(async () => {
  // The one real apply of the base (rbac.test.ts applies it too: same content, idempotent), so
  // that the namespaced objects of the other variants have a namespace to be dry-run in.
  await apply(await kustomize('deploy/base'));
  await kubectl(['create', 'namespace', HELM_NS]).catch((err: Error) => {
    if (!/AlreadyExists/.test(err.message)) throw err;
  });
  await helmBinary();
}, 600_000);

describe('CRD copies', () => {
  it('deploy/base/crds and the chart crds/ are byte-identical to the generated crds/', async () => {
    const generated = (await readdir(join(repoRoot, 'crds'))).filter((f) => f.endsWith('.yaml')).sort();
    expect(generated).toHaveLength(3);
    for (const dir of ['deploy/base/crds', 'deploy/helm/cloud-data-operator/crds']) {
      expect((await readdir(join(repoRoot, dir))).sort(), dir).toEqual(generated);
      for (const f of generated) {
        const want = await readFile(join(repoRoot, 'crds', f), 'utf8');
        const got = await readFile(join(repoRoot, dir, f), 'utf8');
        expect(got === want, `${dir}/${f} differs from crds/${f}: run  cp crds/*.yaml ${dir}/`).toBe(true);
      }
    }
  });
});

describe('kustomize', () => {
  it('the base has every piece, all labelled, with the restricted pod settings', async () => {
    const ms = parseManifests(await kustomize('deploy/base'));
    expect(ms.map((m) => m.kind).sort()).toEqual(
      [
        'ClusterRole',
        'ClusterRole', // tenant roles: cloud-data-operator-edit
        'ClusterRole', // and cloud-data-operator-view
        'ClusterRoleBinding',
        'CustomResourceDefinition',
        'CustomResourceDefinition',
        'CustomResourceDefinition',
        'Deployment',
        'Namespace',
        'PodDisruptionBudget',
        'Role',
        'RoleBinding',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    for (const m of ms) expect(m.metadata.labels?.[LABEL], `${m.kind}/${m.metadata.name}`).toBe('cloud-data-operator');
    for (const m of ms.filter((x) => !['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding'].includes(x.kind)))
      expect(m.metadata.namespace).toBe(OPERATOR_NS);
    const dep = find(ms, 'Deployment') as any;
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.template.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(dep.spec.template.spec.topologySpreadConstraints[0].topologyKey).toBe('kubernetes.io/hostname');
    const c = container(ms);
    expect(c.image).toBe('cloud-data-operator:0.1.0');
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http-metrics' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http-metrics' });
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(c.resources.requests && c.resources.limits).toBeTruthy();
    expect(env(ms)).toMatchObject({
      POD_NAME: 'fieldRef',
      POD_NAMESPACE: 'fieldRef',
      CDO_WATCH_NAMESPACES: '',
      CDO_LEADER_ELECT: 'true',
      CDO_HTTP_PORT: '8080',
    });
    expect((find(ms, 'Service') as any).spec.ports).toEqual([
      { name: 'http-metrics', port: 8080, targetPort: 'http-metrics', protocol: 'TCP' },
    ]);
    expect((find(ms, 'PodDisruptionBudget') as any).spec.minAvailable).toBe(1);
  });

  it('all-namespaces is the base', async () => {
    expect(await kustomize('deploy/overlays/all-namespaces')).toBe(await kustomize('deploy/base'));
  });

  it('single-namespace: a Role in the watched namespace instead of the ClusterRole, and CDO_WATCH_NAMESPACES names it', async () => {
    const ms = parseManifests(await kustomize('deploy/overlays/single-namespace'));
    // Only the tenant roles stay cluster-wide: they grant nothing to the operator.
    expect(ms.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding').map((m) => m.metadata.name)).toEqual([
      'cloud-data-operator-edit',
      'cloud-data-operator-view',
    ]);
    const role = find(ms, 'Role', 'cloud-data-operator') as any;
    const binding = find(ms, 'RoleBinding', 'cloud-data-operator') as any;
    expect(binding.metadata.namespace).toBe(role.metadata.namespace);
    expect(env(ms)['CDO_WATCH_NAMESPACES']).toBe(role.metadata.namespace);
    const base = parseManifests(await kustomize('deploy/base'));
    expect(role.rules).toEqual((find(base, 'ClusterRole', 'cloud-data-operator') as any).rules);
  });

  it('the base, both overlays apply cleanly (server-side dry run, real admission)', async () => {
    await kubectl(['create', 'namespace', 'cloud-data']).catch((err: Error) => {
      if (!/AlreadyExists/.test(err.message)) throw err;
    });
    for (const dir of ['deploy/base', 'deploy/overlays/all-namespaces', 'deploy/overlays/single-namespace']) {
      const out = await apply(await kustomize(dir), { dryRun: true });
      expect(out, dir).toMatch(/deployment\.apps\/cloud-data-operator serverside-applied \(server dry run\)/);
    }
  });

  it('the pod template passes `restricted` Pod Security admission (and the namespace enforces it)', async () => {
    const ms = parseManifests(await kustomize('deploy/base'));
    expect(find(ms, 'Namespace').metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const tmpl = (find(ms, 'Deployment') as any).spec.template;
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'psa-probe', namespace: OPERATOR_NS, labels: tmpl.metadata.labels },
      spec: tmpl.spec,
    };
    await kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(pod) });
    // Control: the same pod without its security settings is refused, so the check above is real.
    const loose = structuredClone(pod);
    delete loose.spec.securityContext;
    delete loose.spec.containers[0].securityContext;
    await expect(kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(loose) })).rejects.toThrow(
      /violates PodSecurity "restricted/,
    );
  });
});

describe('Helm chart', () => {
  it('is built from Go modules at a pinned version', async () => {
    const { path, version } = await helmBinary();
    expect(version).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(path).toContain(`helm-${version}`);
  });

  it('default values: the same objects and rules as the kustomize base, applying cleanly', async () => {
    const yaml = await helmTemplate();
    const ms = parseManifests(yaml);
    const base = parseManifests(await kustomize('deploy/base'));
    const kinds = (x: Manifest[]) =>
      x
        .map((m) => m.kind)
        .filter((k) => k !== 'Namespace')
        .sort();
    expect(kinds(ms)).toEqual(kinds(base));
    expect((find(ms, 'ClusterRole', HELM_FULLNAME) as any).rules).toEqual((find(base, 'ClusterRole', 'cloud-data-operator') as any).rules);
    // The tenant roles: same rules and aggregation labels (tenant-roles.test.ts shows what they do).
    for (const suffix of ['edit', 'view']) {
      const [h, b] = [
        find(ms, 'ClusterRole', `${HELM_FULLNAME}-${suffix}`) as any,
        find(base, 'ClusterRole', `cloud-data-operator-${suffix}`) as any,
      ];
      expect(h.rules, suffix).toEqual(b.rules);
      const aggregation = (m: any) =>
        Object.entries(m.metadata.labels)
          .filter(([l]) => l.startsWith('rbac.authorization.k8s.io/'))
          .sort();
      expect(aggregation(h), suffix).toEqual(aggregation(b));
    }
    expect((find(ms, 'Role') as any).rules).toEqual((find(base, 'Role') as any).rules);
    // (Helm installs crds/ verbatim, so the CRDs carry no chart labels.)
    for (const m of ms.filter((x) => x.kind !== 'CustomResourceDefinition'))
      expect(m.metadata.labels?.[LABEL], `${m.kind}/${m.metadata.name}`).toBe('cloud-data-operator');
    const [hc, bc] = [container(ms), container(base)];
    for (const k of ['securityContext', 'livenessProbe', 'readinessProbe', 'ports', 'volumeMounts', 'resources', 'image'])
      expect(hc[k], k).toEqual(bc[k]);
    expect((find(ms, 'Deployment') as any).spec.template.spec.securityContext).toEqual(
      (find(base, 'Deployment') as any).spec.template.spec.securityContext,
    );
    // The CRDs in the chart are the generated ones.
    const crds = ms.filter((m) => m.kind === 'CustomResourceDefinition');
    expect(crds.map((m) => m.metadata.name).sort()).toEqual([
      'hadoopecoclusters.kakaocloud.cdo.dev',
      'kafkaclusters.ncloud.cdo.dev',
      'kafkaconfiggroups.ncloud.cdo.dev',
    ]);
    expect(env(ms)).toMatchObject({ CDO_WATCH_NAMESPACES: '', CDO_LEADER_ELECT: 'true', CDO_LOG_LEVEL: 'info', CDO_NCLOUD_SITE: 'public' });
    expect(env(ms)).not.toHaveProperty('CDO_KAKAOCLOUD_DEFAULT_CREDENTIALS');
    expect(await apply(yaml, { dryRun: true })).toMatch(
      /deployment\.apps\/cdo-helm-cloud-data-operator serverside-applied \(server dry run\)/,
    );
  });

  it('watchNamespaces: a Role per namespace, no ClusterRole; settings become CDO_* env; applies cleanly', async () => {
    for (const ns of ['cdo-helm-a', 'cdo-helm-b']) {
      await kubectl(['create', 'namespace', ns]).catch((err: Error) => {
        if (!/AlreadyExists/.test(err.message)) throw err;
      });
    }
    const yaml = await helmTemplate({
      watchNamespaces: ['cdo-helm-a', 'cdo-helm-b'],
      replicaCount: 3,
      logLevel: 'debug',
      image: { repository: 'registry.example/cdo', tag: '1.2.3', pullPolicy: 'Always' },
      defaultCredentials: { kakaocloud: 'cdo-helm-a/kakao', ncloud: 'cdo-helm-b/ncp' },
      endpoints: {
        kakaocloud: { 'kr-central-2': 'https://hec.example', 'kr-central-1': 'https://hec1.example' },
        ncloud: { KR: 'https://cdss.example/api/v1' },
        ncloudSite: 'gov',
      },
    });
    const ms = parseManifests(yaml);
    // Only the tenant roles stay cluster-wide: they grant nothing to the operator.
    expect(ms.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding').map((m) => m.metadata.name)).toEqual([
      `${HELM_FULLNAME}-edit`,
      `${HELM_FULLNAME}-view`,
    ]);
    const roles = ms.filter((m) => m.kind === 'Role' && m.metadata.name === HELM_FULLNAME);
    expect(roles.map((r) => r.metadata.namespace)).toEqual(['cdo-helm-a', 'cdo-helm-b']);
    expect(ms.filter((m) => m.kind === 'RoleBinding' && m.metadata.name === HELM_FULLNAME).map((r) => r.metadata.namespace)).toEqual([
      'cdo-helm-a',
      'cdo-helm-b',
    ]);
    expect((find(ms, 'Deployment') as any).spec.replicas).toBe(3);
    expect(container(ms)).toMatchObject({ image: 'registry.example/cdo:1.2.3', imagePullPolicy: 'Always' });
    expect(env(ms)).toMatchObject({
      CDO_WATCH_NAMESPACES: 'cdo-helm-a,cdo-helm-b',
      CDO_LOG_LEVEL: 'debug',
      CDO_KAKAOCLOUD_DEFAULT_CREDENTIALS: 'cdo-helm-a/kakao',
      CDO_NCLOUD_DEFAULT_CREDENTIALS: 'cdo-helm-b/ncp',
      CDO_KAKAOCLOUD_ENDPOINTS: 'kr-central-1=https://hec1.example,kr-central-2=https://hec.example',
      CDO_NCLOUD_ENDPOINTS: 'KR=https://cdss.example/api/v1',
      CDO_NCLOUD_SITE: 'gov',
    });
    expect(await apply(yaml, { dryRun: true })).toMatch(
      /role\.rbac\.authorization\.k8s\.io\/cdo-helm-cloud-data-operator serverside-applied \(server dry run\)/,
    );
  });

  it('tenantRoles.enabled=false leaves the tenant roles out, and nothing else', async () => {
    const on = parseManifests(await helmTemplate());
    const off = parseManifests(await helmTemplate({ tenantRoles: { enabled: false } }));
    expect(
      on.filter((m) => !off.some((o) => o.kind === m.kind && o.metadata.name === m.metadata.name)).map((m) => m.metadata.name),
    ).toEqual([`${HELM_FULLNAME}-edit`, `${HELM_FULLNAME}-view`]);
    expect(off.length).toBe(on.length - 2);
  });

  it('refuses default credentials the operator could not read', async () => {
    await expect(helmTemplate({ defaultCredentials: { kakaocloud: 'no-slash' } })).rejects.toThrow(/must be namespace\/name/);
    await expect(helmTemplate({ watchNamespaces: ['team-a'], defaultCredentials: { ncloud: 'team-b/ncp' } })).rejects.toThrow(
      /outside them/,
    );
  });

  it('serviceMonitor and prometheusRule are off by default; on, they scrape http-metrics and alert on the operator metrics', async () => {
    expect(parseManifests(await helmTemplate()).filter((m) => m.apiVersion.startsWith('monitoring.coreos.com'))).toEqual([]);
    const ms = parseManifests(
      await helmTemplate({
        serviceMonitor: { enabled: true, interval: '15s', labels: { release: 'prom' } },
        prometheusRule: { enabled: true },
      }),
    );
    const sm = find(ms, 'ServiceMonitor') as any;
    expect(sm.metadata.labels.release).toBe('prom');
    expect(sm.spec.endpoints).toEqual([{ port: 'http-metrics', path: '/metrics', interval: '15s' }]);
    const rules = (find(ms, 'PrometheusRule') as any).spec.groups[0].rules as Array<{ alert: string; expr: string }>;
    expect(rules.map((r) => r.alert)).toEqual([
      'CloudDataOperatorReconcileErrors',
      'CloudDataOperatorTerminalErrors',
      'CloudDataOperatorNoLeader',
    ]);
    expect(rules.map((r) => r.expr).join('\n')).toMatch(
      /controller_runtime_reconcile_errors_total[\s\S]*controller_runtime_terminal_reconcile_errors_total[\s\S]*leader_election_master_status/,
    );
    // Every metric an alert names is one the operator exports (see docs/observability.md).
    const observability = await readFile(join(repoRoot, 'docs/observability.md'), 'utf8');
    for (const metric of [
      'controller_runtime_reconcile_errors_total',
      'controller_runtime_terminal_reconcile_errors_total',
      'leader_election_master_status',
    ])
      expect(observability).toContain(metric);
    // Not applied: the Prometheus Operator CRDs (monitoring.coreos.com) are not installed here.
  });

  it('the chart directory holds what a packager expects', async () => {
    const files = (await readdir(join(chartDir, 'templates'))).sort();
    expect(files).toEqual([
      '_helpers.tpl',
      'deployment.yaml',
      'networkpolicy.yaml',
      'poddisruptionbudget.yaml',
      'prometheusrule.yaml',
      'rbac.yaml',
      'service.yaml',
      'serviceaccount.yaml',
      'servicemonitor.yaml',
      'tenant-roles.yaml',
    ]);
    const { path } = await helmBinary();
    expect(await exec(path, ['lint', chartDir])).toMatch(/0 chart\(s\) failed/);
  });
});
