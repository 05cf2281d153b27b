// `kubectl cdo import hadoop-eco` and `kubectl cdo status` against the real control plane, the Hadoop
// Eco simulator and the operator: a cluster made in the cloud directly (as in the console) is
// imported by name, the printed manifest passes the CRD schema (server-side dry run), and applied,
// the operator adopts that very cluster and is Ready without a single mutating cloud call. Then
// status shows a Ready and a Stalled resource, with what to do about the stall.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HadoopEcoClient } from '../../../src/clouds/kakaocloud/client.ts';
import { buildCreateRequest } from '../../../src/resources/hadoop-eco/request.ts';
import { hadoopEcoSpecSchema } from '../../../src/resources/hadoop-eco/schema.ts';
import { http } from '../../support/component.ts';
import {
  adminPassword,
  createHec,
  credentialId,
  credentialSecret,
  eventually,
  hecSpec,
  startHarness,
  waitForHec,
  type Harness,
} from '../../support/hadoop-eco.ts';
import { silentLog } from '../../support/memory-store.ts';
import { runPlugin } from '../../support/plugin.ts';

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await startHarness('cdo-import');
  dir = await mkdtemp(join(tmpdir(), 'cdo-import-'));
});
afterAll(async () => {
  await h?.stop();
});

const ready = (o: any) =>
  o.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True' && o.status.observedGeneration === o.metadata.generation;

const cdo = (...args: string[]) => runPlugin(args, { CDO_KAKAOCLOUD_ENDPOINTS: `kr-central-2=${h.sim.url}` });

/** A cluster made straight through the cloud API, not by the operator: its id once Running. */
const cloud = () =>
  new HadoopEcoClient({ baseUrl: h.sim.url, credentials: { credentialId, credentialSecret }, http: http(), log: silentLog });

async function cloudCluster(name: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const spec = hadoopEcoSpecSchema.parse(hecSpec({ clusterName: name, ...overrides }));
  const { id } = await cloud().createCluster(buildCreateRequest(spec, name, { adminPassword }));
  await eventually(async () => (await cloud().getCluster(id))?.status === 'Running', 20_000);
  return id;
}

describe('kubectl cdo import hadoop-eco', () => {
  it('prints a manifest that adopts the cluster: applied, Ready on the same id with zero mutating calls', async () => {
    const id = await cloudCluster('legacy', {
      workerCount: 3,
      monitoring: true,
      configurations: [{ classification: 'core-site', properties: { 'fs.trash.interval': 60 } }],
    });
    const { stdout: manifest } = await cdo('import', 'hadoop-eco', 'legacy', '--secret', 'kakao', '-n', h.ns);
    for (const secret of [credentialId, credentialSecret, adminPassword]) expect(manifest).not.toContain(secret);
    const doc = parse(manifest);
    expect(doc.metadata).toEqual({ name: 'legacy', namespace: h.ns });
    expect(doc.spec).toMatchObject({
      clusterId: id,
      clusterName: 'legacy',
      credentialsSecretRef: { name: 'kakao' },
      deletionPolicy: 'Retain',
      workerCount: 3,
      monitoring: true,
      configurations: [{ classification: 'core-site', properties: { 'fs.trash.interval': 60 } }],
      adminAccount: { userId: 'admin', passwordSecretRef: { name: 'legacy-admin', key: 'password' } },
    });
    expect(manifest).toContain(`kubectl -n ${h.ns} create secret generic legacy-admin`);

    const file = join(dir, 'legacy.yaml');
    await writeFile(file, manifest);
    // The CRD's own schema and rules accept it as printed.
    await h.kubectl('apply', '--dry-run=server', '-f', file);
    await h.kc.core.createNamespacedSecret({
      namespace: h.ns,
      body: { metadata: { name: 'legacy-admin' }, stringData: { password: adminPassword } },
    });
    const before = h.sim.requests().length;
    await h.kubectl('apply', '-f', file);
    const o = await waitForHec(h, 'legacy', ready);
    expect(o.status).toMatchObject({ clusterId: id, phase: 'Running', workerCount: 3 });
    // Adopted as it is: the operator read the cloud and changed nothing in it.
    const since = h.sim.requests().slice(before);
    expect(since.length).toBeGreaterThan(0);
    expect(since.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(h.sim.clusters().filter((c: any) => c.name === 'legacy')).toHaveLength(1);
    expect(o.status.pendingChanges ?? []).toEqual([]);

    // status: one view of the adopted resource.
    const { stdout: view } = await cdo('status', 'hec/legacy', '-n', h.ns);
    expect(view).toContain(`HadoopEcoCluster ${h.ns}/legacy`);
    expect(view).toMatch(/phase:\s+Running/);
    expect(view).toMatch(/Ready\s+True\s+Running\s+\S+\s+cluster is Running with 3 workers/);
    expect(view).toMatch(new RegExp(`id:\\s+${id}`));
    expect(view).toMatch(/workers:\s+3/);
    expect(view).toContain('pending changes: none');
    expect(view).toMatch(/events \(last \d+\):\n.*AGE\s+TYPE\s+REASON\s+COUNT\s+NOTE\n.*Normal\s+Ready\s+1\s+cluster is Running/);
    expect(view).not.toContain('what to do');
  });

  it('by id too; a name that matches no cluster, a terminated cluster and a missing Secret are errors that say so', async () => {
    const id = await cloudCluster('by-id');
    const { stdout } = await cdo('import', 'hadoop-eco', id, '--secret', 'kakao', '-n', h.ns, '--name', 'renamed');
    expect(parse(stdout)).toMatchObject({ metadata: { name: 'renamed' }, spec: { clusterId: id, clusterName: 'by-id' } });
    await expect(cdo('import', 'hadoop-eco', 'no-such-cluster', '--secret', 'kakao', '-n', h.ns)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no live Hadoop Eco cluster is named no-such-cluster'),
    });
    // A cluster being deleted is nothing to adopt.
    await cloud().deleteCluster(id);
    await expect(cdo('import', 'hadoop-eco', id, '--secret', 'kakao', '-n', h.ns)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/is Terminat.*: there is nothing to adopt/),
    });
    await expect(cdo('import', 'hadoop-eco', 'by-id', '--secret', 'missing', '-n', h.ns)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`Secret ${h.ns}/missing does not exist`),
    });
    await expect(cdo('import', 'hadoop-eco', 'by-id', '-n', h.ns)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--secret SECRET (the credentials Secret) is required'),
    });
  });
});

describe('kubectl cdo status', () => {
  it('a Stalled resource: its reason, message and what to do; the table lists both', async () => {
    await createHec(h, 'no-creds', hecSpec({ credentialsSecretRef: { name: 'not-there' } }));
    await waitForHec(h, 'no-creds', (o) => o.status?.conditions?.some((c: any) => c.type === 'Stalled' && c.status === 'True'));
    const { stdout: view } = await cdo('status', 'hadoopecocluster/no-creds', '-n', h.ns);
    expect(view).toMatch(/Stalled\s+True\s+SecretNotFound/);
    expect(view).toContain('what to do (Stalled, SecretNotFound): create the Secret the message names');
    expect(view).toMatch(/Warning\s+Stalled\s+\d+\s+SecretNotFound/);

    const { stdout: table } = await cdo('status', '-n', h.ns);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^KIND\s+NAME\s+PHASE\s+READY\s+REASON\s+CLUSTER\s+PENDING\s+AGE$/);
    expect(lines.find((l) => l.includes(' no-creds '))).toMatch(/HadoopEcoCluster\s+no-creds\s+\S+\s+False\s+Stalled: SecretNotFound/);
    expect(lines.find((l) => l.includes(' legacy '))).toMatch(/HadoopEcoCluster\s+legacy\s+Running\s+True/);
    const { stdout: all } = await cdo('status', '-A');
    expect(all).toMatch(new RegExp(`^NAMESPACE\\s+KIND`));
    expect(all).toMatch(new RegExp(`${h.ns}\\s+HadoopEcoCluster\\s+no-creds`));
    await expect(cdo('status', 'hec/absent', '-n', h.ns)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('not found') });
  });
});
