// Tenant roles (deploy/base/tenant-roles.yaml, the chart's tenantRoles.enabled): the operator's
// kinds reach the built-in `edit`, `admin` and `view` ClusterRoles through ClusterRole
// aggregation, done by the real clusterrole-aggregation controller of kube-controller-manager
// (the shared control plane runs none, so this file starts a private one that runs that
// controller alone). Then users with client certificates, bound by RoleBindings in one
// namespace, do what their role allows there and nothing more: `edit` creates and annotates but
// cannot write status, `view` reads but cannot create, and a namespace `admin` can grant `edit`,
// which RBAC's escalation check allows only because `admin` now holds the kinds too. Last, the
// optional deploy/examples/tenancy/approvers.yaml makes approving (cdo.dev/approve) an admin right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../../src/devenv/control-plane/index.ts';
import { kafkaSpec } from '../../support/kafka.ts';
import { eventually } from '../../support/operator-process.ts';
import { canI, helmTemplate, kubectl, kustomize, parseManifests, repoRoot, type Manifest } from './deploy-support.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const OUR_GROUPS = ['kakaocloud.cdo.dev', 'ncloud.cdo.dev'];
const isTenantRole = (m: Manifest) =>
  m.kind === 'ClusterRole' && Object.keys(m.metadata.labels ?? {}).some((l) => l.startsWith('rbac.authorization.k8s.io/aggregate-to-'));

const sources: Record<string, () => Promise<Manifest[]>> = {
  'kustomize base': async () => parseManifests(await kustomize('deploy/base')).filter(isTenantRole),
  'Helm chart': async () => parseManifests(await helmTemplate()).filter(isTenantRole),
};

let cp: ControlPlane;
/** kubectl on the private control plane, as admin unless `as` names a user's kubeconfig. */
const k = (args: string[], as?: string, input?: string) =>
  kubectl(args, { kubeconfig: as ?? cp.kubeconfigPath, ...(input ? { input } : {}) });
const users: Record<'alice' | 'lead' | 'auditor' | 'bob', string> = { alice: '', lead: '', auditor: '', bob: '' };

async function clusterRoleRules(name: string): Promise<Rule[]> {
  return ((JSON.parse(await k(['get', 'clusterrole', name, '-o', 'json'])) as { rules?: Rule[] }).rules ?? []).map((r) => ({
    apiGroups: r.apiGroups,
    resources: r.resources,
    verbs: r.verbs,
  }));
}
const ruleKey = (r: Rule) => JSON.stringify([r.apiGroups, r.resources, r.verbs]);
const hasRules = (have: Rule[], want: Rule[]) => want.every((w) => have.some((h) => ruleKey(h) === ruleKey(w)));
const mentionsOurGroups = (rules: Rule[]) => rules.some((r) => r.apiGroups.some((g) => OUR_GROUPS.includes(g)));

const kafkaCluster = (name: string, ns: string, annotations?: Record<string, string>) =>
  JSON.stringify({
    apiVersion: 'ncloud.cdo.dev/v1alpha1',
    kind: 'KafkaCluster',
    metadata: { name, namespace: ns, ...(annotations ? { annotations } : {}) },
    spec: kafkaSpec(),
  });

beforeAll(async () => {
  cp = await startControlPlane({ controllers: ['clusterrole-aggregation-controller'] });
  await k(['apply', '--server-side', '-f', `${repoRoot}crds/`]);
  await k(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
  for (const ns of ['team-a', 'team-b']) await k(['create', 'namespace', ns]);
  for (const u of Object.keys(users) as Array<keyof typeof users>) users[u] = await cp.issueKubeconfig(u);
  await k(['-n', 'team-a', 'create', 'rolebinding', 'alice-edit', '--clusterrole=edit', '--user=alice']);
  await k(['-n', 'team-a', 'create', 'rolebinding', 'lead-admin', '--clusterrole=admin', '--user=lead']);
  await k(['-n', 'team-a', 'create', 'rolebinding', 'auditor-view', '--clusterrole=view', '--user=auditor']);
  // The operator's kinds, granted directly rather than aggregated: whoever binds it must hold them.
  await k(['create', 'clusterrole', 'kafka-only', '--verb=get,list,watch,create', '--resource=kafkaclusters.ncloud.cdo.dev']);
}, 300_000);

afterAll(async () => {
  await cp?.stop();
});

describe('without the tenant roles', () => {
  it('the built-in roles lack the kinds: edit cannot create, and admin cannot grant them', async () => {
    for (const name of ['edit', 'admin', 'view']) expect(mentionsOurGroups(await clusterRoleRules(name)), name).toBe(false);
    expect(await canI(users.alice, 'create', 'kafkaclusters.ncloud.cdo.dev', '-n', 'team-a')).toBe(false);
    expect(await canI(users.auditor, 'list', 'hadoopecoclusters.kakaocloud.cdo.dev', '-n', 'team-a')).toBe(false);
    // RBAC's escalation check: a namespace admin can grant only what it holds.
    await expect(
      k(['-n', 'team-a', 'create', 'rolebinding', 'bob-kafka', '--clusterrole=kafka-only', '--user=bob'], users.lead),
    ).rejects.toThrow(/forbidden: user "lead" .* is attempting to grant RBAC permissions not currently held/);
  });
});

describe.each(Object.keys(sources))('tenant roles from the %s', (source) => {
  let roles: Manifest[];
  let edit: Rule[];
  let view: Rule[];
  // (A CDSS cluster name: at most 15 characters.)
  const name = source.startsWith('kustomize') ? 'events-kust' : 'events-helm';

  beforeAll(async () => {
    roles = await sources[source]!();
    expect(roles).toHaveLength(2);
    const byLabel = (label: string) => roles.filter((r) => r.metadata.labels?.[`rbac.authorization.k8s.io/${label}`] === 'true');
    expect(byLabel('aggregate-to-edit')).toHaveLength(1);
    expect(byLabel('aggregate-to-admin')).toEqual(byLabel('aggregate-to-edit'));
    expect(byLabel('aggregate-to-view')).toHaveLength(1);
    edit = (byLabel('aggregate-to-edit')[0] as unknown as { rules: Rule[] }).rules;
    view = (byLabel('aggregate-to-view')[0] as unknown as { rules: Rule[] }).rules;
    await k(['apply', '--server-side', '-f', '-'], undefined, roles.map((r) => JSON.stringify(r)).join('\n'));
  });

  it('the aggregation controller copies their rules into the built-in edit, admin and view', async () => {
    await eventually(async () => hasRules(await clusterRoleRules('edit'), edit), 30_000);
    await eventually(async () => hasRules(await clusterRoleRules('admin'), edit), 30_000);
    await eventually(async () => hasRules(await clusterRoleRules('view'), view), 30_000);
    // view's own rules reach edit and admin too (the built-in view is labelled aggregate-to-edit).
    await eventually(async () => hasRules(await clusterRoleRules('admin'), view), 30_000);
    // No write on status anywhere, and edit's verbs on the kinds are the full set.
    const all = [...edit, ...view];
    const statusRules = all.filter((r) => r.resources.some((x) => x.endsWith('/status')));
    expect(statusRules.length).toBeGreaterThan(0); // both roles grant reading status
    expect(statusRules.flatMap((r) => r.verbs)).not.toContain('patch');
    expect(statusRules.every((r) => r.verbs.every((v) => ['get', 'list', 'watch'].includes(v)))).toBe(true);
    expect(new Set(edit.filter((r) => !r.resources[0]!.endsWith('/status')).flatMap((r) => r.resources))).toEqual(
      new Set(['hadoopecoclusters', 'kafkaclusters', 'kafkaconfiggroups']),
    );
  });

  it('edit in team-a: creates a KafkaCluster and sets cdo.dev/approve there, cannot write its status, nothing in team-b', async () => {
    const out = await k(['create', '-f', '-'], users.alice, kafkaCluster(name, 'team-a'));
    expect(out).toContain(`kafkacluster.ncloud.cdo.dev/${name} created`);
    await k(['-n', 'team-a', 'annotate', 'kafkacluster', name, 'cdo.dev/approve=u-000001'], users.alice);
    expect(await k(['-n', 'team-a', 'get', 'kafkacluster', name, '-o', "jsonpath={.metadata.annotations['cdo\\.dev/approve']}"])).toBe(
      'u-000001',
    );
    await expect(
      k(
        ['-n', 'team-a', 'patch', 'kafkacluster', name, '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Running"}}'],
        users.alice,
      ),
    ).rejects.toThrow(/forbidden/);
    for (const [verb, resource] of [
      ['create', 'hadoopecoclusters.kakaocloud.cdo.dev'],
      ['update', 'kafkaconfiggroups.ncloud.cdo.dev'],
      ['deletecollection', 'kafkaclusters.ncloud.cdo.dev'],
      ['get', 'kafkaclusters.ncloud.cdo.dev/status'],
    ] as const)
      expect(await canI(users.alice, verb, resource, '-n', 'team-a'), `${verb} ${resource}`).toBe(true);
    expect(await canI(users.alice, 'create', 'kafkaclusters.ncloud.cdo.dev', '-n', 'team-b')).toBe(false);
    await expect(k(['create', '-f', '-'], users.alice, kafkaCluster(name, 'team-b'))).rejects.toThrow(/forbidden/);
    // edit cannot hand its rights on: RoleBindings are admin's.
    await expect(
      k(['-n', 'team-a', 'create', 'rolebinding', 'alice-gives', '--clusterrole=edit', '--user=bob'], users.alice),
    ).rejects.toThrow(/forbidden/);
  });

  it('view in team-a: reads the resources and their status, cannot create or change them', async () => {
    expect(await k(['-n', 'team-a', 'get', 'kafkaclusters', '-o', 'name'], users.auditor)).toContain(`kafkacluster.ncloud.cdo.dev/${name}`);
    expect(await canI(users.auditor, 'watch', 'hadoopecoclusters.kakaocloud.cdo.dev', '-n', 'team-a')).toBe(true);
    expect(await canI(users.auditor, 'get', 'kafkaconfiggroups.ncloud.cdo.dev/status', '-n', 'team-a')).toBe(true);
    await expect(k(['create', '-f', '-'], users.auditor, kafkaCluster(`${name}-2`, 'team-a'))).rejects.toThrow(/forbidden/);
    await expect(k(['-n', 'team-a', 'annotate', 'kafkacluster', name, 'cdo.dev/paused=true'], users.auditor)).rejects.toThrow(/forbidden/);
    expect(await canI(users.auditor, 'list', 'kafkaclusters.ncloud.cdo.dev', '-n', 'team-b')).toBe(false);
  });

  it('admin in team-a: grants edit to another user there (the escalation check passes), not elsewhere', async () => {
    // Status stays the operator's, for admin too.
    expect(await canI(users.lead, 'patch', 'kafkaclusters.ncloud.cdo.dev', '--subresource=status', '-n', 'team-a')).toBe(false);
    expect(await canI(users.lead, 'patch', 'kafkaclusters.ncloud.cdo.dev', '-n', 'team-a')).toBe(true);
    const binding = `bob-edit-${name}`;
    await k(['-n', 'team-a', 'create', 'rolebinding', binding, '--clusterrole=edit', '--user=bob'], users.lead);
    expect(await canI(users.bob, 'create', 'hadoopecoclusters.kakaocloud.cdo.dev', '-n', 'team-a')).toBe(true);
    // The same role granted directly is within what admin holds now (it was refused above).
    await k(['-n', 'team-a', 'create', 'rolebinding', `bob-kafka-${name}`, '--clusterrole=kafka-only', '--user=bob'], users.lead);
    await expect(k(['-n', 'team-b', 'create', 'rolebinding', binding, '--clusterrole=edit', '--user=bob'], users.lead)).rejects.toThrow(
      /forbidden/,
    );
    expect(await canI(users.bob, 'create', 'hadoopecoclusters.kakaocloud.cdo.dev', '-n', 'team-b')).toBe(false);
    await k(['-n', 'team-a', 'delete', 'rolebinding', binding, `bob-kafka-${name}`], users.lead);
    await k(['-n', 'team-a', 'delete', 'kafkacluster', name], users.alice);
  });

  it('deleted, their rules leave the built-in roles again (aggregation is live, not a one-off copy)', async () => {
    await k(['delete', 'clusterrole', ...roles.map((r) => r.metadata.name)]);
    for (const role of ['edit', 'admin', 'view']) await eventually(async () => !mentionsOurGroups(await clusterRoleRules(role)), 30_000);
    expect(await canI(users.alice, 'create', 'kafkaclusters.ncloud.cdo.dev', '-n', 'team-a')).toBe(false);
  });
});

// deploy/examples/tenancy/approvers.yaml: approval (cdo.dev/approve) as a right of its own. A
// ValidatingAdmissionPolicy asks the authorizer for the verb `approve`, which only the example's
// ClusterRole grants, and that role is aggregated into `admin`: team leads approve, members don't.
describe('approval narrowed to namespace admins (deploy/examples/tenancy/approvers.yaml)', () => {
  const name = 'events-appr';
  const annotate = (value: string, as: string) =>
    k(['-n', 'team-a', 'annotate', '--overwrite', 'kafkacluster', name, `cdo.dev/approve=${value}`], as);

  beforeAll(async () => {
    const roles = await sources['kustomize base']!();
    await k(['apply', '--server-side', '-f', '-'], undefined, roles.map((r) => JSON.stringify(r)).join('\n'));
    await k(['apply', '--server-side', '-f', `${repoRoot}deploy/examples/tenancy/approvers.yaml`]);
    await eventually(async () => (await clusterRoleRules('admin')).some((r) => r.verbs.includes('approve')), 30_000);
    await eventually(
      async () =>
        hasRules(await clusterRoleRules('edit'), [
          {
            apiGroups: ['ncloud.cdo.dev'],
            resources: ['kafkaclusters', 'kafkaconfiggroups'],
            verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
          },
        ]),
      30_000,
    );
    await k(['create', '-f', '-'], users.alice, kafkaCluster(name, 'team-a'));
  });

  it('edit still creates and changes the resource, but cannot set cdo.dev/approve', async () => {
    // The policy is enforced once the API server has loaded it (a moment after it is created).
    // (A new value each try: while the policy is not loaded yet, a try goes through, and the same
    // value again would be no change at all.)
    let attempt = 0;
    await eventually(async () => {
      attempt += 1;
      const refused = await annotate(`u-1000${String(attempt)}`, users.alice).then(
        () => false,
        (err: Error) => /changing cdo\.dev\/approve needs the verb approve on kafkaclusters in namespace team-a/.test(err.message),
      );
      return refused;
    }, 30_000);
    expect(await canI(users.alice, 'approve', 'kafkaclusters.ncloud.cdo.dev', '-n', 'team-a')).toBe(false);
    // Other metadata stays edit-level (a label; pausing with cdo.dev/paused).
    await k(['-n', 'team-a', 'label', 'kafkacluster', name, 'tier=gold'], users.alice);
    await k(['-n', 'team-a', 'annotate', 'kafkacluster', name, 'cdo.dev/paused=true'], users.alice);
    // Creating a resource that is approved already counts as approving.
    await expect(k(['create', '-f', '-'], users.alice, kafkaCluster(`${name}-2`, 'team-a', { 'cdo.dev/approve': 'u-1' }))).rejects.toThrow(
      /needs the verb approve/,
    );
  });

  it('a namespace admin approves, and can grant approving to a member of that namespace only', async () => {
    await annotate('u-000003', users.lead);
    expect(await k(['-n', 'team-a', 'get', 'kafkacluster', name, '-o', "jsonpath={.metadata.annotations['cdo\\.dev/approve']}"])).toBe(
      'u-000003',
    );
    await k(
      ['-n', 'team-a', 'create', 'rolebinding', 'alice-approve', '--clusterrole=cloud-data-operator-approve', '--user=alice'],
      users.lead,
    );
    await eventually(() => annotate('u-000004', users.alice).then(() => true), 10_000);
    expect(await canI(users.alice, 'approve', 'kafkaclusters.ncloud.cdo.dev', '-n', 'team-b')).toBe(false);
    // Removing an approval is a change of approval too. (The lead sets a fresh one before each
    // try: while the RoleBinding's removal is not seen yet, a try goes through.)
    await k(['-n', 'team-a', 'delete', 'rolebinding', 'alice-approve'], users.lead);
    let attempt = 0;
    await eventually(async () => {
      attempt += 1;
      await annotate(`u-2000${String(attempt)}`, users.lead);
      return k(['-n', 'team-a', 'annotate', 'kafkacluster', name, 'cdo.dev/approve-'], users.alice).then(
        () => false,
        (err: Error) => /needs the verb approve/.test(err.message),
      );
    }, 10_000);
  });
});
