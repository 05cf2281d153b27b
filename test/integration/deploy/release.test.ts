// `npm run release` (scripts/release.ts) end to end: into an empty folder it writes the packaged
// chart, install.yaml, crds.yaml and SHA256SUMS and prints them; the checksums verify with
// `sha256sum -c` (and catch a changed file); `helm show chart` on the package gives the release
// version; install.yaml is the kustomize all-namespaces render with the release's image tag, and
// applied to the real control plane (server-side, as the docs say) its CRDs become Established and
// the operator's Deployment, ServiceAccount and ClusterRole exist. What the script refuses is
// test/unit/deploy/release-checks.test.ts.
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import {
  OPERATOR_NS,
  SA,
  apply,
  exec,
  find,
  helm,
  helmBinary,
  kubectl,
  kustomize,
  parseManifests,
  repoRoot,
  type Manifest,
} from './deploy-support.ts';

const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
const CHART_TGZ = `cloud-data-operator-${version}.tgz`;
const CRD_NAMES = ['hadoopecoclusters.kakaocloud.cdo.dev', 'kafkaclusters.ncloud.cdo.dev', 'kafkaconfiggroups.ncloud.cdo.dev'];

let dir: string;
let printed: string;
const scratch: string[] = [];

beforeAll(async () => {
  await helmBinary(); // built once per machine, before the script looks for it
  dir = await mkdtemp(join(tmpdir(), 'cdo-release-'));
  scratch.push(dir);
  // The npm script's command, with the project's Node (this process's).
  printed = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'scripts/release.ts'), '--out', dir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`release exited ${String(code)}: ${err}${out}`))));
  });
}, 600_000);

afterAll(async () => {
  for (const d of scratch) await rm(d, { recursive: true, force: true });
});

const text = (name: string) => readFile(join(dir, name), 'utf8');

describe('npm run release', () => {
  it('writes one folder with the chart package, install.yaml, crds.yaml and SHA256SUMS, and prints them', async () => {
    expect((await readdir(dir)).sort()).toEqual([CHART_TGZ, 'SHA256SUMS', 'crds.yaml', 'install.yaml'].sort());
    expect(printed).toContain(`cloud-data-operator ${version} released to`);
    for (const name of [CHART_TGZ, 'install.yaml', 'crds.yaml', 'SHA256SUMS'])
      expect(printed).toMatch(new RegExp(`${name.replace(/\./g, '\\.')} +\\d+ bytes  sha256 [0-9a-f]{64}`));
  });

  it('SHA256SUMS covers the three files and verifies with sha256sum -c; a changed file fails it', async () => {
    const sums = await text('SHA256SUMS');
    expect(
      sums
        .trim()
        .split('\n')
        .map((l) => l.split('  ')[1]),
    ).toEqual([CHART_TGZ, 'crds.yaml', 'install.yaml'].sort());
    expect(await exec('bash', ['-c', `cd '${dir}' && sha256sum -c SHA256SUMS`])).toMatch(/crds\.yaml: OK/);
    const copy = await mkdtemp(join(tmpdir(), 'cdo-release-copy-'));
    scratch.push(copy);
    for (const f of await readdir(dir)) await copyFile(join(dir, f), join(copy, f));
    await writeFile(join(copy, 'crds.yaml'), `${await text('crds.yaml')}\n# edited\n`);
    await expect(exec('bash', ['-c', `cd '${copy}' && sha256sum -c SHA256SUMS 2>&1`])).rejects.toThrow(/crds\.yaml: FAILED/);
  });

  it('the chart package is the release version, with its schema, NOTES and test hook', async () => {
    const meta = parse(await helm(['show', 'chart', join(dir, CHART_TGZ)])) as { name: string; version: string; appVersion: string };
    expect(meta).toMatchObject({ name: 'cloud-data-operator', version, appVersion: version });
    const files = await exec('tar', ['tzf', join(dir, CHART_TGZ)]);
    for (const f of [
      'README.md',
      'values.schema.json',
      'templates/NOTES.txt',
      'templates/tests/readyz.yaml',
      ...CRD_NAMES.map((n) => `crds/${n}.yaml`),
    ])
      expect(files).toContain(`cloud-data-operator/${f}`);
    // The package renders, and refuses a bad value like the chart directory does.
    await expect(helm(['template', 'x', join(dir, CHART_TGZ), '--set', 'replicaCount=two'])).rejects.toThrow(/at '\/replicaCount'/);
  });

  it('install.yaml is the kustomize all-namespaces render, running the release image tag; crds.yaml is crds/', async () => {
    const install = parseManifests(await text('install.yaml'));
    expect(install).toEqual(parseManifests(await kustomize('deploy/overlays/all-namespaces')));
    expect((find(install, 'Deployment') as any).spec.template.spec.containers[0].image).toBe(`cloud-data-operator:${version}`);
    const crds = parseAllDocuments(await text('crds.yaml'))
      .map((d) => d.toJS() as Manifest | null)
      .filter((m): m is Manifest => m !== null);
    expect(crds.map((c) => c.metadata.name)).toEqual(CRD_NAMES);
    for (const c of crds) expect(c).toEqual(parse(await readFile(join(repoRoot, 'crds', `${c.metadata.name}.yaml`), 'utf8')));
    // install.yaml holds the same CRDs (kustomize adds the base's name label).
    const unlabelled = install
      .filter((m) => m.kind === 'CustomResourceDefinition')
      .map((m) => {
        expect(m.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'cloud-data-operator' });
        const { labels: _labels, ...metadata } = m.metadata;
        return { ...m, metadata };
      });
    expect(unlabelled).toEqual(crds);
  });

  it('install.yaml applies to the real control plane: CRDs Established, the operator Deployment, ServiceAccount and ClusterRole exist', async () => {
    // Server-side, as the docs say; the field manager of the other deploy tests, which apply the
    // same objects from the kustomize base (identical content, so no conflict and no change).
    const out = await apply(await text('install.yaml'));
    expect(out).toMatch(/customresourcedefinition\.apiextensions\.k8s\.io\/kafkaconfiggroups\.ncloud\.cdo\.dev serverside-applied/);
    await kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...CRD_NAMES.map((n) => `crd/${n}`)]);
    const dep = JSON.parse(await kubectl(['-n', OPERATOR_NS, 'get', 'deployment', 'cloud-data-operator', '-o', 'json']));
    expect(dep.spec.template.spec.containers[0].image).toBe(`cloud-data-operator:${version}`);
    expect(dep.spec.template.spec.serviceAccountName).toBe(SA);
    await kubectl(['-n', OPERATOR_NS, 'get', 'serviceaccount', SA]);
    const role = JSON.parse(await kubectl(['get', 'clusterrole', 'cloud-data-operator', '-o', 'json'])) as { rules: unknown[] };
    expect(role.rules).toEqual((find(parseManifests(await text('install.yaml')), 'ClusterRole') as any).rules);
  });
});
