// `npm run release [-- --out <dir>]`: the release folder of the version in package.json,
// release/<version>/ by default (gitignored):
//   cloud-data-operator-<version>.tgz  the packaged Helm chart (`helm package`)
//   install.yaml                       CRDs + operator, all namespaces (`kubectl kustomize deploy/overlays/all-namespaces`)
//   crds.yaml                          the three CRDs alone (crds/*.yaml)
//   SHA256SUMS                         checksums of the three, for `sha256sum -c SHA256SUMS`
// It refuses, before writing anything, when a generated file is stale (`npm run generate`), when
// the versions disagree (package.json, lockfile, Chart.yaml, the kustomize image tag) or when
// CHANGELOG.md has no section for the version. helm and kubectl are the Go-built ones the tests
// use (scripts/build-helm.sh, scripts/build-control-plane.sh; built on first use).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { ensureBinaries } from '../src/devenv/control-plane/binaries.ts';
import { generatedFiles } from './generated.ts';
import { checkVersions, sha256, sha256sums, staleGenerated, wrongImages, type VersionSources } from './release-checks.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHART = 'deploy/helm/cloud-data-operator';

export class ReleaseError extends Error {}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new ReleaseError(`${cmd} ${args.join(' ')} exited ${String(code)}:\n${err || out}`)),
    );
  });
}

/** helm, with private directories in `home`: packaging must not read or write the user's helm config. */
async function helm(home: string): Promise<(args: string[]) => Promise<string>> {
  const out = await run('bash', [join(root, 'scripts/build-helm.sh')]);
  const path = /^HELM=(.*)$/m.exec(out)?.[1];
  if (!path) throw new ReleaseError(`scripts/build-helm.sh printed no HELM=: ${out}`);
  const env = { ...process.env, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home };
  return (args) => run(path, args, env);
}

/** Everything `npm run release` refuses on, in one message; returns the version. */
export function preflight(): string {
  const text = (path: string) => readFileSync(join(root, path), 'utf8');
  const sources = Object.fromEntries(
    (['package.json', 'package-lock.json', `${CHART}/Chart.yaml`, 'deploy/base/kustomization.yaml', 'CHANGELOG.md'] as const).map((p) => [
      p,
      text(p),
    ]),
  ) as unknown as VersionSources;
  const { version, problems } = checkVersions(sources);
  const stale = staleGenerated(generatedFiles(), (path) => {
    try {
      return text(path);
    } catch {
      return undefined;
    }
  });
  if (stale.length) problems.push(`stale generated files (run \`npm run generate\`): ${stale.join(', ')}`);
  if (problems.length) throw new ReleaseError(`cannot release ${version}:\n  - ${problems.join('\n  - ')}`);
  return version;
}

export interface ReleasedFile {
  name: string;
  bytes: number;
  sha256: string;
}

export async function release(opts: { outDir?: string } = {}): Promise<{ version: string; dir: string; files: ReleasedFile[] }> {
  const version = preflight();
  const dir = opts.outDir ?? join(root, 'release', version);
  if (opts.outDir === undefined) await rm(dir, { recursive: true, force: true });
  else if ((await readdir(dir).catch(() => [])).length > 0) throw new ReleaseError(`${dir} is not empty`);
  await mkdir(dir, { recursive: true });

  const helmHome = await mkdtemp(join(tmpdir(), 'cdo-release-helm-'));
  try {
    return await write(version, dir, helmHome);
  } finally {
    await rm(helmHome, { recursive: true, force: true });
  }
}

async function write(version: string, dir: string, helmHome: string): Promise<{ version: string; dir: string; files: ReleasedFile[] }> {
  const [h, { kubectl }] = await Promise.all([helm(helmHome), ensureBinaries()]);
  await h(['lint', '--strict', join(root, CHART)]);
  await h(['package', join(root, CHART), '--destination', dir]);
  const chart = `cloud-data-operator-${version}.tgz`;
  await stat(join(dir, chart)).catch(() => {
    throw new ReleaseError(`helm package did not write ${chart}`);
  });

  const rendered = await run(kubectl, ['kustomize', join(root, 'deploy/overlays/all-namespaces')]);
  const wrong = wrongImages(
    parseAllDocuments(rendered).map((d) => d.toJS() as unknown),
    version,
  );
  if (wrong.length) throw new ReleaseError(`install.yaml would run ${wrong.join(', ')}, not the release's :${version}`);
  const install =
    `# cloud-data-operator ${version}: the CRDs and the operator, watching every namespace\n` +
    `# (kubectl kustomize deploy/overlays/all-namespaces). Install or upgrade with:\n` +
    `#   kubectl apply --server-side -f install.yaml\n` +
    rendered;
  const crdFiles = (await readdir(join(root, 'crds'))).filter((f) => f.endsWith('.yaml')).sort();
  const crds =
    `# cloud-data-operator ${version}: the CustomResourceDefinitions alone (crds/). Apply them before\n` +
    `# upgrading a Helm install (Helm never upgrades CRDs): kubectl apply --server-side -f crds.yaml\n` +
    (await Promise.all(crdFiles.map((f) => readFile(join(root, 'crds', f), 'utf8')))).map((c) => `---\n${c}`).join('');
  await writeFile(join(dir, 'install.yaml'), install);
  await writeFile(join(dir, 'crds.yaml'), crds);

  const contents = await Promise.all(
    [chart, 'install.yaml', 'crds.yaml'].map(async (name) => ({ name, data: await readFile(join(dir, name)) })),
  );
  await writeFile(join(dir, 'SHA256SUMS'), sha256sums(contents));
  const files = [...contents, { name: 'SHA256SUMS', data: await readFile(join(dir, 'SHA256SUMS')) }].map(({ name, data }) => ({
    name,
    bytes: data.length,
    sha256: sha256(data),
  }));
  return { version, dir, files };
}

// import.meta.main, not a comparison of URLs: a checkout path with a space or a symlink made that
// false, and the script then did nothing, silently.
if (import.meta.main) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log('usage: npm run release [-- --out <empty dir>]   (default: release/<version>/, replaced)');
    process.exit(0);
  }
  try {
    const { version, dir, files } = await release(values.out === undefined ? {} : { outDir: values.out });
    const shown = relative(process.cwd(), dir) || '.';
    console.log(`cloud-data-operator ${version} released to ${shown}/`);
    for (const f of files) console.log(`  ${f.name.padEnd(34)} ${String(f.bytes).padStart(9)} bytes  sha256 ${f.sha256}`);
    console.log(`verify: (cd ${shown} && sha256sum -c SHA256SUMS)`);
  } catch (err) {
    if (!(err instanceof ReleaseError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}
