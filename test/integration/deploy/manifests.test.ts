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
  HELM_RELEASE,
  OPERATOR_NS,
  apply,
  chartDir,
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
const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
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
        'ClusterRole', // metrics-auth
        'ClusterRole', // metrics-reader
        'ClusterRole', // tenant roles: cloud-data-operator-edit
        'ClusterRole', // and cloud-data-operator-view
        'ClusterRoleBinding', // metrics-auth
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
    // The release's version (npm run release refuses a tree where they differ).
    expect(c.image).toBe(`cloud-data-operator:${version}`);
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http-health' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http-health' });
    expect(c.ports).toEqual([
      { name: 'http-health', containerPort: 8080, protocol: 'TCP' },
      { name: 'https-metrics', containerPort: 8443, protocol: 'TCP' },
    ]);
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(c.resources.requests && c.resources.limits).toBeTruthy();
    expect(env(ms)).toMatchObject({
      POD_NAME: 'fieldRef',
      POD_NAMESPACE: 'fieldRef',
      CDO_WATCH_NAMESPACES: '',
      CDO_LEADER_ELECT: 'true',
      CDO_HTTP_PORT: '8080',
      CDO_METRICS_PORT: '8443',
      CDO_METRICS_SECURE: 'true',
    });
    expect((find(ms, 'Service') as any).spec.ports).toEqual([
      { name: 'https-metrics', port: 8443, targetPort: 'https-metrics', protocol: 'TCP' },
      { name: 'http-health', port: 8080, targetPort: 'http-health', protocol: 'TCP' },
    ]);
    // Secure metrics: the operator may create token and access reviews (nothing else there),
    // and a metrics-reader role exists for scrapers.
    expect((find(ms, 'ClusterRole', 'cloud-data-operator-metrics-auth') as any).rules).toEqual([
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ]);
    expect((find(ms, 'ClusterRoleBinding', 'cloud-data-operator-metrics-auth') as any).subjects).toEqual([
      { kind: 'ServiceAccount', name: 'cloud-data-operator', namespace: OPERATOR_NS },
    ]);
    expect((find(ms, 'ClusterRole', 'cloud-data-operator-metrics-reader') as any).rules).toEqual([
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
    expect((find(ms, 'PodDisruptionBudget') as any).spec.minAvailable).toBe(1);
  });

  it('all-namespaces is the base', async () => {
    expect(await kustomize('deploy/overlays/all-namespaces')).toBe(await kustomize('deploy/base'));
  });

  it('single-namespace: a Role in the watched namespace instead of the ClusterRole, and CDO_WATCH_NAMESPACES names it', async () => {
    const ms = parseManifests(await kustomize('deploy/overlays/single-namespace'));
    // Cluster-wide: the metrics roles (the reviews are cluster-scoped objects) and the tenant roles,
    // which grant nothing to the operator.
    expect(
      ms
        .filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding')
        .map((m) => `${m.kind}/${m.metadata.name}`)
        .sort(),
    ).toEqual([
      'ClusterRole/cloud-data-operator-edit',
      'ClusterRole/cloud-data-operator-metrics-auth',
      'ClusterRole/cloud-data-operator-metrics-reader',
      'ClusterRole/cloud-data-operator-view',
      'ClusterRoleBinding/cloud-data-operator-metrics-auth',
    ]);
    const role = find(ms, 'Role', 'cloud-data-operator') as any;
    const binding = find(ms, 'RoleBinding', 'cloud-data-operator') as any;
    expect(binding.metadata.namespace).toBe(role.metadata.namespace);
    expect(env(ms)['CDO_WATCH_NAMESPACES']).toBe(role.metadata.namespace);
    const base = parseManifests(await kustomize('deploy/base'));
    expect(role.rules).toEqual((find(base, 'ClusterRole', 'cloud-data-operator') as any).rules);
  });

  it('deploy/servicemonitor: scrapes the base Service over HTTPS with a token, and binds a scraper to metrics-reader', async () => {
    const ms = parseManifests(await kustomize('deploy/servicemonitor'));
    const base = parseManifests(await kustomize('deploy/base'));
    const sm = find(ms, 'ServiceMonitor') as any;
    const svc = find(base, 'Service') as any;
    expect(sm.metadata.namespace).toBe(svc.metadata.namespace);
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels as Record<string, string>)) expect(svc.metadata.labels[k], k).toBe(v);
    expect(sm.spec.endpoints).toEqual([
      {
        port: 'https-metrics',
        scheme: 'https',
        path: '/metrics',
        interval: '15s',
        bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        tlsConfig: { insecureSkipVerify: true },
      },
    ]);
    expect(svc.spec.ports.map((p: { name: string }) => p.name)).toContain('https-metrics');
    const binding = find(ms, 'ClusterRoleBinding') as any;
    expect(binding.roleRef.name).toBe((find(base, 'ClusterRole', 'cloud-data-operator-metrics-reader') as any).metadata.name);
    // The binding applies (the ServiceMonitor needs the Prometheus Operator's CRDs, not installed here).
    expect(await apply(JSON.stringify(binding), { dryRun: true })).toMatch(/serverside-applied \(server dry run\)/);
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
    // Without the `helm test` hook (chart.test.ts), which the kustomize base has no use for.
    const ms = parseManifests(yaml).filter((m) => !(m.metadata as { annotations?: Record<string, string> }).annotations?.['helm.sh/hook']);
    expect(parseManifests(yaml).length - ms.length).toBe(1);
    const base = parseManifests(await kustomize('deploy/base'));
    const kinds = (x: Manifest[]) =>
      x
        .map((m) => m.kind)
        .filter((k) => k !== 'Namespace')
        .sort();
    expect(kinds(ms)).toEqual(kinds(base));
    for (const role of ['', '-metrics-auth', '-metrics-reader'])
      expect((find(ms, 'ClusterRole', `${HELM_FULLNAME}${role}`) as any).rules, role).toEqual(
        (find(base, 'ClusterRole', `cloud-data-operator${role}`) as any).rules,
      );
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
    expect(env(ms)).toMatchObject({
      CDO_WATCH_NAMESPACES: '',
      CDO_LEADER_ELECT: 'true',
      CDO_LOG_LEVEL: 'info',
      CDO_NCLOUD_SITE: 'public',
      CDO_METRICS_PORT: '8443',
      CDO_METRICS_SECURE: 'true',
    });
    expect(env(ms)).not.toHaveProperty('CDO_METRICS_CERT_DIR');
    expect((find(ms, 'Service') as any).spec.ports).toEqual((find(base, 'Service') as any).spec.ports);
    expect(env(ms)).not.toHaveProperty('CDO_KAKAOCLOUD_DEFAULT_CREDENTIALS');
    expect(await apply(yaml, { dryRun: true })).toMatch(
      /deployment\.apps\/cdo-helm-cloud-data-operator serverside-applied \(server dry run\)/,
    );
  });

  it('watchNamespaces: a Role per namespace, no ClusterRole but the metrics ones; settings become CDO_* env; applies cleanly', async () => {
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
    // Cluster-wide: the metrics roles (the reviews are cluster-scoped) and the tenant roles.
    expect(
      ms
        .filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding')
        .map((m) => `${m.kind}/${m.metadata.name}`)
        .sort(),
    ).toEqual([
      `ClusterRole/${HELM_FULLNAME}-edit`,
      `ClusterRole/${HELM_FULLNAME}-metrics-auth`,
      `ClusterRole/${HELM_FULLNAME}-metrics-reader`,
      `ClusterRole/${HELM_FULLNAME}-view`,
      `ClusterRoleBinding/${HELM_FULLNAME}-metrics-auth`,
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
    // values.schema.json refuses the shape; the template's own check too (without the schema).
    await expect(helmTemplate({ defaultCredentials: { kakaocloud: 'no-slash' } })).rejects.toThrow(/\/defaultCredentials\/kakaocloud/);
    await expect(
      helmTemplate({ defaultCredentials: { kakaocloud: 'no-slash' } }, HELM_NS, HELM_RELEASE, ['--skip-schema-validation']),
    ).rejects.toThrow(/must be namespace\/name/);
    await expect(helmTemplate({ watchNamespaces: ['team-a'], defaultCredentials: { ncloud: 'team-b/ncp' } })).rejects.toThrow(
      /outside them/,
    );
  });

  it('serviceMonitor and prometheusRule are off by default; on, they scrape https-metrics with a token and alert on the operator metrics', async () => {
    expect(parseManifests(await helmTemplate()).filter((m) => m.apiVersion.startsWith('monitoring.coreos.com'))).toEqual([]);
    const ms = parseManifests(
      await helmTemplate({
        serviceMonitor: { enabled: true, interval: '15s', labels: { release: 'prom' } },
        prometheusRule: { enabled: true },
      }),
    );
    const sm = find(ms, 'ServiceMonitor') as any;
    expect(sm.metadata.labels.release).toBe('prom');
    expect(sm.spec.endpoints).toEqual([
      {
        port: 'https-metrics',
        path: '/metrics',
        interval: '15s',
        scheme: 'https',
        bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        tlsConfig: { insecureSkipVerify: true },
      },
    ]);
    const rules = (find(ms, 'PrometheusRule') as any).spec.groups[0].rules as Array<{ alert: string; expr: string }>;
    // The full set, and that it is deploy/prometheus's, is test/integration/deploy/monitoring.test.ts's.
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining(['CloudDataOperatorReconcileErrors', 'CloudDataOperatorTerminalErrors', 'CloudDataOperatorNoLeader']),
    );
    for (const metric of [
      'controller_runtime_reconcile_errors_total',
      'controller_runtime_terminal_reconcile_errors_total',
      'leader_election_master_status',
    ])
      expect(rules.map((r) => r.expr).join('\n')).toContain(metric);
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

  it('metrics.certSecret: mounted as CDO_METRICS_CERT_DIR, and the ServiceMonitor verifies the certificate with its CA', async () => {
    const yaml = await helmTemplate({ metrics: { certSecret: 'cdo-metrics-tls' }, serviceMonitor: { enabled: true } });
    const ms = parseManifests(yaml);
    const c = container(ms);
    expect(env(ms)['CDO_METRICS_CERT_DIR']).toBe('/etc/cdo/metrics-certs');
    expect(c.volumeMounts).toContainEqual({ name: 'metrics-certs', mountPath: '/etc/cdo/metrics-certs', readOnly: true });
    expect((find(ms, 'Deployment') as any).spec.template.spec.volumes).toContainEqual({
      name: 'metrics-certs',
      secret: { secretName: 'cdo-metrics-tls' },
    });
    expect((find(ms, 'ServiceMonitor') as any).spec.endpoints[0].tlsConfig).toEqual({
      serverName: `${HELM_FULLNAME}-metrics.${HELM_NS}.svc`,
      ca: { secret: { name: 'cdo-metrics-tls', key: 'ca.crt' } },
    });
    // The pod template still passes restricted admission with the Secret volume.
    expect(
      await apply(
        yaml
          .split('\n---\n')
          .filter((d) => !d.includes('kind: ServiceMonitor'))
          .join('\n---\n'),
        { dryRun: true },
      ),
    ).toMatch(/deployment\.apps\/cdo-helm-cloud-data-operator serverside-applied \(server dry run\)/);
  });

  it('metrics.readerServiceAccounts: bound to the metrics-reader ClusterRole; a subject without a namespace refused', async () => {
    const ms = parseManifests(
      await helmTemplate({ metrics: { readerServiceAccounts: [{ name: 'prometheus-k8s', namespace: 'monitoring' }] } }),
    );
    const binding = find(ms, 'ClusterRoleBinding', `${HELM_FULLNAME}-metrics-reader`) as any;
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: `${HELM_FULLNAME}-metrics-reader`,
    });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'prometheus-k8s', namespace: 'monitoring' }]);
    // The values schema refuses it; so does the template's own check (without the schema).
    await expect(helmTemplate({ metrics: { readerServiceAccounts: [{ name: 'prometheus-k8s' }] } })).rejects.toThrow(
      /\/metrics\/readerServiceAccounts\/0.*namespace/s,
    );
    await expect(
      helmTemplate({ metrics: { readerServiceAccounts: [{ name: 'prometheus-k8s' }] } }, HELM_NS, HELM_RELEASE, [
        '--skip-schema-validation',
      ]),
    ).rejects.toThrow(/namespace is required/);
  });

  it('metrics.secure=false: plain HTTP on http-metrics, no review grant, a ServiceMonitor without token or TLS', async () => {
    const ms = parseManifests(await helmTemplate({ metrics: { secure: false }, serviceMonitor: { enabled: true } }));
    expect(env(ms)).toMatchObject({ CDO_METRICS_SECURE: 'false', CDO_METRICS_PORT: '8443' });
    expect(container(ms).ports).toContainEqual({ name: 'http-metrics', containerPort: 8443, protocol: 'TCP' });
    expect(ms.filter((m) => m.metadata.name.includes('-metrics-auth') || m.metadata.name.includes('-metrics-reader'))).toEqual([]);
    expect((find(ms, 'ServiceMonitor') as any).spec.endpoints).toEqual([
      { port: 'http-metrics', path: '/metrics', interval: '30s', scheme: 'http' },
    ]);
  });

  it('the chart directory holds what a packager expects', async () => {
    const files = (await readdir(join(chartDir, 'templates'))).sort();
    expect(files).toEqual([
      'NOTES.txt',
      '_helpers.tpl',
      'deployment.yaml',
      'grafana-dashboard.yaml',
      'networkpolicy.yaml',
      'poddisruptionbudget.yaml',
      'prometheusrule.yaml',
      'rbac.yaml',
      'service.yaml',
      'serviceaccount.yaml',
      'servicemonitor.yaml',
      'tenant-roles.yaml',
      'tests',
    ]);
    expect(await readdir(join(chartDir, 'templates/tests'))).toEqual(['readyz.yaml']);
    expect((await readdir(chartDir)).sort()).toEqual([
      '.helmignore',
      'Chart.yaml',
      'README.md',
      'crds',
      'dashboards',
      'templates',
      'values.schema.json',
      'values.yaml',
    ]);
    // helm lint --strict (warnings fail too) is in chart.test.ts.
  });
});
