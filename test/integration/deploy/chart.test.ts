// The Helm chart guards its users (issue 11): values.schema.json (generated from
// src/deploy/helm-values.ts) makes `helm template` and a real `helm install` on the control plane
// refuse a wrong type, a misspelt key and replicas without leader election, with the path of the
// value; the template refuses the latter on its own too. `helm lint --strict` is clean. NOTES.txt
// says what to do next, on install and upgrade. The `helm test` hook renders against the
// operator's Service and /readyz, passes restricted Pod Security admission, and its script, run
// with the image's node, succeeds once /readyz answers 200. The Artifact Hub metadata matches
// crds/, deploy/examples and the default image.
import { spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import {
  HELM_FULLNAME,
  HELM_NS,
  OPERATOR_NS,
  apply,
  chartDir,
  find,
  helm,
  helmBinary,
  helmTemplate,
  kubectl,
  kustomize,
  parseManifests,
  repoRoot,
  type Manifest,
} from './deploy-support.ts';

// A release of its own, really installed (without its CRDs: the shared ones are in place).
const RELEASE = 'cdo-chart';
const NS = 'cdo-chart-system';
const FULLNAME = 'cdo-chart-cloud-data-operator';

const chart = parse(await readFile(join(chartDir, 'Chart.yaml'), 'utf8')) as {
  version: string;
  appVersion: string;
  icon?: string;
  annotations: Record<string, string>;
};
const values = parse(await readFile(join(chartDir, 'values.yaml'), 'utf8')) as { image: { repository: string } };
const annotation = <T>(key: string) => parse(chart.annotations[`artifacthub.io/${key}`] ?? 'null') as T;
const schemaError = (path: string) => new RegExp(`values don't meet the specifications of the schema[\\s\\S]*at '${path}'`);

beforeAll(async () => {
  // Same content as manifests.test.ts and rbac.test.ts apply: the restricted namespace and CRDs.
  await apply(await kustomize('deploy/base'));
  await helmBinary();
}, 600_000);

// (The namespace stays: without kube-controller-manager a deleted namespace never goes away.)
afterAll(async () => {
  await helm(['uninstall', RELEASE, '--namespace', NS]).catch(() => undefined);
});

describe('values.schema.json refuses bad values with their path', () => {
  it('a string for a number, a misspelt key, an unknown key in a section, a value out of its set', async () => {
    await expect(helmTemplate({ replicaCount: 'two' })).rejects.toThrow(schemaError('/replicaCount'));
    await expect(helmTemplate({ replicaCount: 'two' })).rejects.toThrow(/got string, want integer/);
    await expect(helmTemplate({ replicasCount: 2 })).rejects.toThrow(/additional properties 'replicasCount' not allowed/);
    await expect(helmTemplate({ 'image.tagg': '1.0' })).rejects.toThrow(/at '\/image': additional properties 'tagg' not allowed/);
    await expect(helmTemplate({ logLevel: 'verbose' })).rejects.toThrow(schemaError('/logLevel'));
    await expect(helmTemplate({ 'endpoints.ncloudSite': 'mars' })).rejects.toThrow(schemaError('/endpoints/ncloudSite'));
    await expect(helmTemplate({ 'serviceMonitor.interval': 'often' })).rejects.toThrow(schemaError('/serviceMonitor/interval'));
    await expect(helmTemplate({ 'metrics.port': 8080 })).rejects.toThrow(schemaError('/metrics/port'));
    // Plain-HTTP metrics serve no certificate and bind no reader: those values would be ignored.
    await expect(helmTemplate({ 'metrics.secure': false, 'metrics.certSecret': 'metrics-tls' })).rejects.toThrow(
      schemaError('/metrics/certSecret'),
    );
    await expect(
      helmTemplate({ 'metrics.secure': false, 'metrics.readerServiceAccounts': [{ name: 'prometheus-k8s', namespace: 'monitoring' }] }),
    ).rejects.toThrow(schemaError('/metrics/readerServiceAccounts'));
  });

  it('replicaCount > 1 without leader election: refused by the schema, and by the template without it', async () => {
    await expect(helmTemplate({ 'leaderElection.enabled': false })).rejects.toThrow(/at '\/replicaCount': maximum: got 2, want 1/);
    await expect(helmTemplate({ 'leaderElection.enabled': false }, HELM_NS, 'cdo-helm', ['--skip-schema-validation'])).rejects.toThrow(
      /replicaCount is 2 but leaderElection\.enabled is false: every replica would reconcile the same resources at once/,
    );
    // One replica without election is fine, and so is any count with it.
    const one = parseManifests(await helmTemplate({ 'leaderElection.enabled': false, replicaCount: 1 }));
    expect((find(one, 'Deployment') as any).spec.replicas).toBe(1);
    const three = parseManifests(await helmTemplate({ replicaCount: 3 }));
    expect((find(three, 'Deployment') as any).spec.replicas).toBe(3);
  });

  it("accepts a parent chart's global values (the chart used as a dependency)", async () => {
    expect(parseManifests(await helmTemplate({ global: { imageRegistry: 'registry.example' } })).length).toBeGreaterThan(5);
  });

  it('a real helm install on the control plane refuses the same, before creating anything', async () => {
    await expect(
      helm(['install', RELEASE, chartDir, '--namespace', NS, '--create-namespace', '--skip-crds', '--set', 'replicaCount=two']),
    ).rejects.toThrow(schemaError('/replicaCount'));
    await expect(
      helm(['install', RELEASE, chartDir, '--namespace', NS, '--create-namespace', '--skip-crds', '--set', 'leaderElection.enabled=false']),
    ).rejects.toThrow(/maximum: got 2, want 1/);
    await expect(helm(['status', RELEASE, '--namespace', NS])).rejects.toThrow(/not found/);
  });
});

describe('helm lint', () => {
  it('--strict is clean (warnings fail it)', async () => {
    const out = await helm(['lint', '--strict', chartDir]);
    expect(out).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(out).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(chart.icon).toMatch(/^https:\/\/.+\.svg$/);
  });
});

describe('helm install and NOTES.txt', () => {
  it('installs on the control plane and says how to check it, give it credentials, create a resource, read metrics and run helm test', async () => {
    const out = await helm(['install', RELEASE, chartDir, '--namespace', NS, '--create-namespace', '--skip-crds']);
    expect(out).toMatch(/STATUS: deployed/);
    const notes = out.slice(out.indexOf('NOTES:'));
    for (const line of [
      `cloud-data-operator ${chart.appVersion} is installed as release "${RELEASE}" in namespace "${NS}"`,
      `Deployment ${FULLNAME}: 2 replica(s) of ${values.image.repository}:${chart.appVersion}, one leading (Lease ${FULLNAME})`,
      `every namespace (ClusterRole ${FULLNAME})`,
      `kubectl -n ${NS} rollout status deployment/${FULLNAME}`,
      `kubectl -n ${NS} logs deployment/${FULLNAME}`,
      `helm test ${RELEASE} -n ${NS}`,
      `http://${FULLNAME}-metrics.${NS}.svc:8080/readyz`,
      'docs/credentials.md',
      'deploy/examples',
      `kubectl cdo status -n <namespace>`,
      `port 8443 (https-metrics)`,
      `ClusterRole ${FULLNAME}-metrics-reader`,
      `kubectl -n ${NS} port-forward service/${FULLNAME}-metrics 8443`,
      'https://localhost:8443/metrics',
      'docs/metrics-and-alerts.md',
    ])
      expect(notes).toContain(line);
    expect(notes).not.toContain('Helm never upgrades CRDs');
    expect(notes).not.toContain('default credentials. See'); // no default credentials: no warning
    // What the notes name exists.
    await kubectl(['-n', NS, 'get', `deployment/${FULLNAME}`, `service/${FULLNAME}-metrics`, `serviceaccount/${FULLNAME}`]);
    await kubectl(['get', `clusterrole/${FULLNAME}`, `clusterrole/${FULLNAME}-metrics-reader`]);
    // The hook is not run by install (there is no kubelet here; `helm test` would wait for it).
    await expect(kubectl(['-n', NS, 'get', `pod/${FULLNAME}-readyz`])).rejects.toThrow(/NotFound/);
  });

  it('with default credentials and the tenant roles, the notes say that every namespace editor can spend them', async () => {
    const render = (extra: string[]) =>
      helm([
        'install',
        'notes-check',
        chartDir,
        '--namespace',
        NS,
        '--dry-run=client',
        '--set',
        'defaultCredentials.ncloud=ops/ncp',
        ...extra,
      ]);
    expect(await render([])).toMatch(
      /anyone bound to edit in a watched namespace can create \(or adopt\)\s+clusters paid for with these default credentials/,
    );
    expect(await render(['--set', 'tenantRoles.enabled=false'])).not.toContain('paid for with these default credentials');
  });

  it('on upgrade, the notes say to apply the CRDs (Helm never upgrades them)', async () => {
    const out = await helm(['upgrade', RELEASE, chartDir, '--namespace', NS, '--reuse-values', '--set', 'watchNamespaces={default}']);
    expect(out).toMatch(/REVISION: 2/);
    expect(out).toContain('Helm never upgrades CRDs');
    expect(out).toContain('kubectl apply --server-side -f crds/');
    expect(out).toContain('the namespaces default (a Role in each)');
  });
});

describe('the helm test hook', () => {
  const hookPod = async (set: Record<string, unknown> = {}) => {
    const ms = parseManifests(await helmTemplate(set));
    const pods = ms.filter((m) => m.kind === 'Pod');
    expect(pods).toHaveLength(1);
    return { pod: pods[0] as any, ms };
  };

  it('renders a test Pod that asks the operator Service for /readyz, with the operator image', async () => {
    const { pod, ms } = await hookPod();
    expect(pod.metadata.annotations).toEqual({
      'helm.sh/hook': 'test',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    expect(pod.metadata.namespace).toBe(HELM_NS);
    expect(pod.spec.restartPolicy).toBe('Never');
    const c = pod.spec.containers[0];
    const url = new URL(c.env.find((e: { name: string }) => e.name === 'READYZ_URL').value as string);
    // The URL is the Service the chart renders, on its port, and the path of the readiness probe.
    const svc = find(ms, 'Service') as any;
    expect(url.hostname).toBe(`${svc.metadata.name}.${HELM_NS}.svc`);
    expect(svc.metadata.name).toBe(`${HELM_FULLNAME}-metrics`);
    const port = svc.spec.ports.find((p: { port: number }) => p.port === Number(url.port));
    expect(port, `Service port ${url.port}`).toBeDefined();
    const operator = (find(ms, 'Deployment') as any).spec.template.spec.containers[0];
    expect(operator.readinessProbe.httpGet).toEqual({ path: url.pathname, port: port.targetPort });
    expect(operator.ports.find((p: { name: string }) => p.name === port.targetPort)).toBeDefined();
    // The operator image (it has node), so no other image is pulled; its own pull settings.
    expect(c.image).toBe(operator.image);
    expect(c.imagePullPolicy).toBe(operator.imagePullPolicy);
    expect(c.args.slice(0, 2)).toEqual(['--input-type=module', '-e']);
    expect(c.command).toBeUndefined(); // keeps the image's entrypoint, node
    // With another image and pull secrets, the hook follows.
    const custom = (
      await hookPod({
        image: { repository: 'registry.example/cdo', tag: '9.9.9', pullPolicy: 'Always' },
        imagePullSecrets: [{ name: 'regcred' }],
      })
    ).pod;
    expect(custom.spec.containers[0].image).toBe('registry.example/cdo:9.9.9');
    expect(custom.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  it('passes `restricted` Pod Security admission (a loosened copy does not)', async () => {
    const { pod } = await hookPod();
    const probe = { ...pod, metadata: { ...pod.metadata, namespace: OPERATOR_NS, annotations: {} } };
    await kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(probe) });
    const loose = structuredClone(probe);
    delete loose.spec.securityContext;
    delete loose.spec.containers[0].securityContext;
    await expect(kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(loose) })).rejects.toThrow(
      /violates PodSecurity "restricted/,
    );
  });

  it('its script, run by node as in the image, retries until /readyz answers 200', async () => {
    const { pod } = await hookPod();
    const c = pod.spec.containers[0];
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      const ok = req.url === '/readyz' && hits >= 3;
      res.writeHead(ok ? 200 : 503).end(ok ? 'ok' : 'caches not synced');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
    try {
      const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const child = spawn(process.execPath, c.args as string[], {
          env: { ...process.env, READYZ_URL: url },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, out }));
      });
      expect(out).toContain(`${url}: 503 caches not synced`);
      expect(out).toContain(`${url}: 200 ok`);
      expect(code).toBe(0);
      expect(hits).toBe(3);
    } finally {
      server.close();
    }
  }, 30_000);
});

describe('Artifact Hub metadata', () => {
  it('licence, operator, category, links, version and changes', async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string; license: string };
    expect(chart.version).toBe(pkg.version);
    expect(chart.appVersion).toBe(pkg.version);
    expect(chart.annotations['artifacthub.io/license']).toBe(pkg.license);
    expect(chart.annotations['artifacthub.io/operator']).toBe('true');
    expect(['Basic Install', 'Seamless Upgrades', 'Full Lifecycle', 'Deep Insights', 'Auto Pilot']).toContain(
      chart.annotations['artifacthub.io/operatorCapabilities'],
    );
    expect([
      'ai-machine-learning',
      'database',
      'integration-delivery',
      'monitoring-logging',
      'networking',
      'security',
      'storage',
      'streaming-messaging',
    ]).toContain(chart.annotations['artifacthub.io/category']);
    for (const link of annotation<Array<{ name: string; url: string }>>('links')) expect(link.url).toMatch(/^https:\/\//);
    const changes = annotation<Array<{ kind: string; description: string }>>('changes');
    expect(changes.length).toBeGreaterThan(0);
    for (const c of changes) expect(['added', 'changed', 'deprecated', 'removed', 'fixed', 'security']).toContain(c.kind);
  });

  it('crds are the generated CRDs, crdsExamples are the examples in deploy/examples, images is the default image', async () => {
    const crds = await Promise.all(
      (await readdir(join(repoRoot, 'crds'))).map(async (f) => parse(await readFile(join(repoRoot, 'crds', f), 'utf8'))),
    );
    const listed = annotation<Array<{ kind: string; version: string; name: string; displayName: string; description: string }>>('crds');
    expect(listed.map(({ kind, version, name }) => ({ kind, version, name })).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual(
      crds
        .map((c) => ({ kind: c.spec.names.kind, version: c.spec.versions[0].name, name: c.metadata.name }))
        .sort((a, b) => a.kind.localeCompare(b.kind)),
    );
    const examples: Manifest[] = [];
    for (const dir of ['hadoop-eco', 'kafka'])
      for (const f of await readdir(join(repoRoot, 'deploy/examples', dir)))
        examples.push(
          ...parseAllDocuments(await readFile(join(repoRoot, 'deploy/examples', dir, f), 'utf8')).map((d) => d.toJS() as Manifest),
        );
    const shown = annotation<Manifest[]>('crdsExamples');
    expect(shown.map((m) => m.kind).sort()).toEqual(listed.map((c) => c.kind).sort());
    for (const m of shown) expect(m, `${m.kind}/${m.metadata.name}`).toEqual(find(examples, m.kind, m.metadata.name));
    expect(annotation<Array<{ image: string }>>('images')).toEqual([
      { name: 'cloud-data-operator', image: `${values.image.repository}:${chart.appVersion}` },
    ]);
  });

  it('artifacthub-repo.yml, for the chart repository root, is valid YAML with the optional fields', async () => {
    const repo = parse(await readFile(join(repoRoot, 'deploy/helm/artifacthub-repo.yml'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(repo).sort()).toEqual(['owners', 'repositoryID']);
  });
});
