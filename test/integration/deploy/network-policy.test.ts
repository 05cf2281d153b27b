// The opt-in NetworkPolicy: the kustomize component deploy/components/network-policy (included
// the way a user would, from their own kustomization) and the chart's networkPolicy.enabled.
// Rendered, it applies to the real control plane; stored, its podSelector selects a pod made from
// the Deployment's own pod template (the API server evaluates the selector) and not a neighbour;
// its named ports are the container's; every port the metrics Service targets is open to the
// scrapers; egress covers DNS, the API server and the clouds. (No network plugin runs here, so
// what the policy blocks is the plugin's business; the docs say which traffic it allows.)
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { relative, join } from 'node:path';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  HELM_FULLNAME,
  HELM_NS,
  apply,
  find,
  helmTemplate,
  kubectl,
  parseManifests,
  repoRoot,
  toYaml,
  type Manifest,
} from './deploy-support.ts';

interface PolicyPort {
  port: number | string;
  protocol?: string;
}
interface Policy {
  metadata: { name: string; namespace?: string };
  spec: {
    podSelector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
    policyTypes: string[];
    ingress?: Array<{ from?: unknown[]; ports?: PolicyPort[] }> | null;
    egress?: Array<{ to?: unknown[]; ports?: PolicyPort[] }>;
  };
}

/** The user's kustomization: an overlay of this repo plus the component, from a directory of their own. */
async function kustomizeWithComponent(overlay: string, namespace?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cdo-netpol-'));
  const rel = (p: string) => relative(dir, join(repoRoot, p));
  await writeFile(
    join(dir, 'kustomization.yaml'),
    JSON.stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [rel(overlay)],
      components: [rel('deploy/components/network-policy')],
      ...(namespace ? { namespace } : {}),
    }),
  );
  return kubectl(['kustomize', dir]);
}

const ns = `cdo-netpol-${randomBytes(3).toString('hex')}`;
const selector = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
/** The chart's rule that lets its `helm test` Pod ask the operator for /readyz. */
const isHelmTestRule = (r: { from?: unknown[] }) =>
  (r.from ?? []).some(
    (peer) =>
      (peer as { podSelector?: { matchLabels?: Record<string, string> } }).podSelector?.matchLabels?.['app.kubernetes.io/component'] ===
      'helm-test',
  );
const portKey = (p: PolicyPort) => `${String(p.port)}/${p.protocol ?? 'TCP'}`;

/** What every rendering must satisfy against its own Deployment and Service. */
async function checkPolicy(ms: Manifest[], name: string): Promise<void> {
  const np = find(ms, 'NetworkPolicy', name) as unknown as Policy;
  const dep = find(ms, 'Deployment') as any;
  const tmpl = dep.spec.template;
  const container = tmpl.spec.containers[0];
  expect(np.metadata.namespace).toBe(dep.metadata.namespace);
  expect([...np.spec.policyTypes].sort()).toEqual(['Egress', 'Ingress']);
  expect(np.spec.podSelector.matchExpressions).toBeUndefined();
  expect(np.spec.podSelector.matchLabels).toEqual(dep.spec.selector.matchLabels);

  // Ports by name, each one the container has (with the same protocol).
  const containerPorts = new Map<string, string>(
    (container.ports as Array<{ name: string; protocol?: string }>).map((p) => [p.name, p.protocol ?? 'TCP']),
  );
  const ingress = np.spec.ingress ?? [];
  expect(ingress.length).toBeGreaterThan(0);
  for (const rule of ingress) {
    // A rule without peers would admit every source.
    expect(rule.from?.length, JSON.stringify(rule)).toBeGreaterThan(0);
    for (const p of rule.ports ?? []) {
      expect(typeof p.port, 'named port').toBe('string');
      expect(containerPorts.get(p.port as string), `container port ${String(p.port)}`).toBe(p.protocol ?? 'TCP');
    }
  }
  // Whatever metrics port the Service targets is open to the scrapers (a new metrics port needs a
  // rule); the probe port, which the Service also carries for `helm test`, to that Pod alone.
  const scraperRules = ingress.filter((r) => !isHelmTestRule(r));
  const open = new Set(scraperRules.flatMap((r) => (r.ports ?? []).map(portKey)));
  const servicePorts = (find(ms, 'Service') as any).spec.ports as Array<{ name: string; targetPort: string; protocol?: string }>;
  expect(servicePorts.filter((sp) => sp.name.endsWith('-metrics'))).toHaveLength(1);
  for (const sp of servicePorts.filter((p) => p.name.endsWith('-metrics')))
    expect(open, `Service targetPort ${sp.targetPort}`).toContain(portKey({ port: sp.targetPort, protocol: sp.protocol }));
  expect(open).not.toContain('http-health/TCP');
  // The probes use named container ports (the node's kubelet reaches them without a rule).
  for (const probe of [container.livenessProbe, container.readinessProbe]) expect(containerPorts.has(probe.httpGet.port)).toBe(true);

  const egress = new Set((np.spec.egress ?? []).flatMap((r) => (r.ports ?? []).map(portKey)));
  for (const p of ['53/UDP', '53/TCP', '443/TCP', '6443/TCP']) expect(egress, p).toContain(p);

  // Stored by the API server, the policy's selector picks a pod made from the Deployment's template.
  const policy = structuredClone(np) as any;
  policy.metadata = { name: np.metadata.name, namespace: ns };
  await kubectl(['apply', '--server-side', '--field-manager=cdo-netpol-test', '-f', '-'], { input: JSON.stringify(policy) });
  const stored = JSON.parse(await kubectl(['-n', ns, 'get', 'networkpolicy', np.metadata.name, '-o', 'json'])) as Policy;
  const pod = (podName: string, labels: Record<string, string>) =>
    JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: podName, namespace: ns, labels }, spec: tmpl.spec });
  await kubectl(['create', '-f', '-'], { input: pod(`${np.metadata.name}-op`, tmpl.metadata.labels) });
  await kubectl(['create', '-f', '-'], { input: pod(`${np.metadata.name}-other`, { 'app.kubernetes.io/name': 'something-else' }) });
  const selected = (
    await kubectl([
      '-n',
      ns,
      'get',
      'pods',
      '-l',
      selector(stored.spec.podSelector.matchLabels ?? {}),
      '-o',
      'jsonpath={.items[*].metadata.name}',
    ])
  ).split(' ');
  expect(selected).toEqual([`${np.metadata.name}-op`]);
  await kubectl(['-n', ns, 'delete', 'pod', `${np.metadata.name}-op`, `${np.metadata.name}-other`, '--wait=false']);
}

beforeAll(async () => {
  await kubectl(['create', 'namespace', ns]);
  // The namespaces the dry runs place objects in: the base's (applied for real, as its Namespace
  // object, the same as manifests.test.ts applies) and the chart's release namespace.
  const base = parseManifests(await kubectl(['kustomize', join(repoRoot, 'deploy/base')]));
  await apply(toYaml(base.filter((m) => m.kind === 'Namespace')));
  await kubectl(['create', 'namespace', HELM_NS]).catch((err: Error) => {
    if (!/AlreadyExists/.test(err.message)) throw err;
  });
});

describe('kustomize component deploy/components/network-policy', () => {
  it('with the all-namespaces overlay: beside the operator, selecting its pods, on its named ports; applies cleanly', async () => {
    const yaml = await kustomizeWithComponent('deploy/overlays/all-namespaces');
    const ms = parseManifests(yaml);
    expect(ms.filter((m) => m.kind === 'NetworkPolicy')).toHaveLength(1);
    expect(find(ms, 'NetworkPolicy').metadata.labels?.['app.kubernetes.io/name']).toBe('cloud-data-operator');
    await checkPolicy(ms, 'cloud-data-operator');
    // Default scrapers: Prometheus pods in namespace monitoring; nothing else is admitted.
    expect((find(ms, 'NetworkPolicy') as any).spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
          },
        ],
        ports: [{ port: 'https-metrics', protocol: 'TCP' }],
      },
    ]);
    expect(await apply(yaml, { dryRun: true })).toMatch(
      /networkpolicy\.networking\.k8s\.io\/cloud-data-operator serverside-applied \(server dry run\)/,
    );
  });

  it('with the single-namespace overlay, and from a kustomization that moves the operator to another namespace', async () => {
    await checkPolicy(parseManifests(await kustomizeWithComponent('deploy/overlays/single-namespace')), 'cloud-data-operator');
    const moved = parseManifests(await kustomizeWithComponent('deploy/overlays/all-namespaces', 'platform-ops'));
    expect(find(moved, 'NetworkPolicy').metadata.namespace).toBe('platform-ops');
    await checkPolicy(moved, 'cloud-data-operator');
  });

  it('is not in the base or the overlays unless included', async () => {
    for (const dir of ['deploy/base', 'deploy/overlays/all-namespaces', 'deploy/overlays/single-namespace'])
      expect(
        parseManifests(await kubectl(['kustomize', join(repoRoot, dir)])).filter((m) => m.kind === 'NetworkPolicy'),
        dir,
      ).toEqual([]);
  });
});

describe('Helm networkPolicy', () => {
  let kustomized: Policy;
  beforeAll(async () => {
    kustomized = find(parseManifests(await kustomizeWithComponent('deploy/base')), 'NetworkPolicy') as unknown as Policy;
  });

  it('is off by default', async () => {
    expect(parseManifests(await helmTemplate()).filter((m) => m.kind === 'NetworkPolicy')).toEqual([]);
  });

  it('enabled: the same rules as the kustomize component, selecting the release pods; applies cleanly', async () => {
    const yaml = await helmTemplate({ 'networkPolicy.enabled': true });
    const ms = parseManifests(yaml);
    await checkPolicy(ms, HELM_FULLNAME);
    const np = find(ms, 'NetworkPolicy') as unknown as Policy;
    expect(np.spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'cloud-data-operator',
      'app.kubernetes.io/instance': 'cdo-helm',
    });
    // The chart adds one rule for its `helm test` Pod: in from it (and it alone), on the probe port.
    // The Pod is labelled apart, so the policy (and every selector of the operator's) leaves it out.
    const testPod = {
      'app.kubernetes.io/name': 'cloud-data-operator-test',
      'app.kubernetes.io/instance': 'cdo-helm',
      'app.kubernetes.io/component': 'helm-test',
    };
    expect(np.spec.ingress?.filter(isHelmTestRule)).toEqual([
      { from: [{ podSelector: { matchLabels: testPod } }], ports: [{ port: 'http-health', protocol: 'TCP' }] },
    ]);
    const hook = parseManifests(yaml).find((m) => m.kind === 'Pod') as any;
    expect(hook.metadata.labels).toMatchObject(testPod);
    const selects = (labels: Record<string, string>) =>
      Object.entries(np.spec.podSelector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    expect(selects(hook.metadata.labels)).toBe(false); // nor, by the same labels, the Deployment, PDB or Service
    expect(selects((find(ms, 'Deployment') as any).spec.template.metadata.labels)).toBe(true);
    const { podSelector: _h, ...helmRules } = { ...np.spec, ingress: np.spec.ingress?.filter((r) => !isHelmTestRule(r)) };
    const { podSelector: _k, ...kustomizeRules } = kustomized.spec;
    expect(helmRules).toEqual(kustomizeRules);
    expect(await apply(yaml, { dryRun: true })).toMatch(
      new RegExp(`networkpolicy\\.networking\\.k8s\\.io/${HELM_FULLNAME} serverside-applied \\(server dry run\\)`),
    );
  });

  it('metricsFrom, egress CIDRs and extra rules shape the policy; half a CIDR setting is refused', async () => {
    const scrapers = [{ namespaceSelector: { matchLabels: { team: 'observability' } }, podSelector: { matchLabels: { app: 'vmagent' } } }];
    const ms = parseManifests(
      await helmTemplate({
        'networkPolicy.enabled': true,
        'networkPolicy.metricsFrom': scrapers,
        'networkPolicy.egress': { apiServerCidrs: ['10.0.0.1/32'], cloudCidrs: ['203.0.113.0/24'] },
        'networkPolicy.extraEgress': [{ to: [{ ipBlock: { cidr: '192.0.2.10/32' } }], ports: [{ port: 3128, protocol: 'TCP' }] }],
      }),
    );
    const np = find(ms, 'NetworkPolicy') as unknown as Policy;
    expect(np.spec.ingress?.filter((r) => !isHelmTestRule(r))).toEqual([
      { from: scrapers, ports: [{ port: 'https-metrics', protocol: 'TCP' }] },
    ]);
    expect(np.spec.egress).toEqual([
      {
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
      {
        to: [{ ipBlock: { cidr: '10.0.0.1/32' } }],
        ports: [
          { port: 443, protocol: 'TCP' },
          { port: 6443, protocol: 'TCP' },
        ],
      },
      { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '192.0.2.10/32' } }], ports: [{ port: 3128, protocol: 'TCP' }] },
    ]);
    await expect(
      helmTemplate({ 'networkPolicy.enabled': true, 'networkPolicy.egress': { apiServerCidrs: ['10.0.0.1/32'] } }),
    ).rejects.toThrow(/set both apiServerCidrs and cloudCidrs, or neither/);
    // No scrapers: no metrics rule at all (an empty `from` would have admitted everyone).
    const closed = find(
      parseManifests(await helmTemplate({ 'networkPolicy.enabled': true, 'networkPolicy.metricsFrom': [] })),
      'NetworkPolicy',
    ) as any;
    expect(closed.spec.ingress.filter((r: { from?: unknown[] }) => !isHelmTestRule(r))).toEqual([]);
    expect(closed.spec.policyTypes).toContain('Ingress');
  });
});
