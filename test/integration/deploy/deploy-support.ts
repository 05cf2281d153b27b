// Helpers for the install-manifest tests: render deploy/ with kubectl kustomize and helm template,
// apply to the real control plane, and act as the operator's ServiceAccount (a TokenRequest token).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { parseAllDocuments } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const chartDir = join(repoRoot, 'deploy/helm/cloud-data-operator');
export const OPERATOR_NS = 'cloud-data-operator-system';
export const SA = 'cloud-data-operator';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [k: string]: unknown;
}

/** Runs a command, feeding `input` on stdin; resolves stdout, rejects with stderr on failure. */
export function exec(cmd: string, args: string[], input?: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${String(code)}: ${err || out}`)),
    );
    // A child that exits before reading stdin (a quick refusal) makes the write fail with EPIPE;
    // its exit code and stderr above are the result.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** kubectl as cluster admin (or with another kubeconfig). */
export function kubectl(args: string[], opts: { input?: string; kubeconfig?: string } = {}): Promise<string> {
  return exec(inject('kubectlPath'), ['--kubeconfig', opts.kubeconfig ?? inject('kubeconfigPath'), ...args], opts.input);
}

export function kustomize(dir: string): Promise<string> {
  return kubectl(['kustomize', join(repoRoot, dir)]);
}

let helmPath: Promise<{ path: string; version: string }> | undefined;
/** Builds helm from Go modules on first use (scripts/build-helm.sh), then reuses the cached binary. */
export function helmBinary(): Promise<{ path: string; version: string }> {
  helmPath ??= exec('bash', [join(repoRoot, 'scripts/build-helm.sh')]).then((out) => {
    const get = (k: string) => /^(\w+)=(.*)$/m.exec(out.split('\n').find((l) => l.startsWith(`${k}=`)) ?? '')?.[2] ?? '';
    return { path: get('HELM'), version: get('HELM_VERSION') };
  });
  return helmPath;
}

/** `helm template` of the chart with --include-crds; `set` entries are passed as --set-json. */
// Its own release name and namespace, so that a dry run never collides with the real apply of the
// kustomize base (a Deployment's selector is immutable and the chart's has the instance label).
export const HELM_RELEASE = 'cdo-helm';
export const HELM_NS = 'cdo-helm-system';
export const HELM_FULLNAME = 'cdo-helm-cloud-data-operator';

export async function helmTemplate(
  set: Record<string, unknown> = {},
  namespace = HELM_NS,
  release = HELM_RELEASE,
  extra: string[] = [],
): Promise<string> {
  const args = ['template', release, chartDir, '--namespace', namespace, '--include-crds', ...extra];
  for (const [k, v] of Object.entries(set)) args.push('--set-json', `${k}=${JSON.stringify(v)}`);
  return helm(args);
}

/**
 * helm with the given arguments and the test control plane's kubeconfig. A private HOME-less
 * config: helm must not need or write anything outside a temp dir.
 */
export async function helm(args: string[]): Promise<string> {
  const { path } = await helmBinary();
  const home = await mkdtemp(join(tmpdir(), 'helm-'));
  return exec(path, ['--kubeconfig', inject('kubeconfigPath'), ...args], undefined, {
    ...process.env,
    HELM_CACHE_HOME: home,
    HELM_CONFIG_HOME: home,
    HELM_DATA_HOME: home,
  });
}

export function parseManifests(yaml: string): Manifest[] {
  return parseAllDocuments(yaml)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

export function find(ms: Manifest[], kind: string, name?: string, namespace?: string): Manifest {
  const m = ms.find(
    (x) =>
      x.kind === kind &&
      (name === undefined || x.metadata.name === name) &&
      (namespace === undefined || x.metadata.namespace === namespace),
  );
  if (!m) throw new Error(`no ${kind} ${name ?? ''} in manifests: ${ms.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return m;
}

export function toYaml(ms: Manifest[]): string {
  return ms.map((m) => JSON.stringify(m)).join('\n---\n');
}

/** Names of the copies of crds/*.yaml (the generated source of truth) that differ from it. */
export async function staleCrdCopies(): Promise<string[]> {
  const stale: string[] = [];
  const generated = (await readdir(join(repoRoot, 'crds'))).filter((f) => f.endsWith('.yaml'));
  for (const dir of ['deploy/base/crds', 'deploy/helm/cloud-data-operator/crds']) {
    for (const f of generated) {
      const copy = await readFile(join(repoRoot, dir, f), 'utf8').catch(() => undefined);
      if (copy !== (await readFile(join(repoRoot, 'crds', f), 'utf8'))) stale.push(`${dir}/${f}`);
    }
  }
  return stale;
}

/**
 * Server-side apply as admin; `dryRun` asks the API server to validate and admit without storing.
 * A real apply refuses stale CRD copies: it would replace the live CRDs that every other test file
 * on the shared control plane uses with an older schema.
 */
export async function apply(yaml: string, opts: { dryRun?: boolean; fieldManager?: string } = {}): Promise<string> {
  if (!opts.dryRun) {
    const stale = await staleCrdCopies();
    if (stale.length)
      throw new Error(
        `stale CRD copies (run: cp crds/*.yaml deploy/base/crds/ && cp crds/*.yaml deploy/helm/cloud-data-operator/crds/): ${stale.join(', ')}`,
      );
  }
  const args = ['apply', '--server-side', '--force-conflicts', `--field-manager=${opts.fieldManager ?? 'cdo-deploy-test'}`, '-f', '-'];
  if (opts.dryRun) args.push('--dry-run=server');
  return kubectl(args, { input: yaml });
}

/** A fresh bound token of ServiceAccount `namespace/name` (the TokenRequest API, serviceaccounts/<name>/token). */
export async function serviceAccountToken(namespace: string, name = SA): Promise<string> {
  return (await kubectl(['create', 'token', name, '-n', namespace, '--duration=1h'])).trim();
}

/** A kubeconfig that authenticates as ServiceAccount `namespace/name` with a fresh bound token. */
export async function serviceAccountKubeconfig(namespace: string, name = SA): Promise<string> {
  const token = await serviceAccountToken(namespace, name);
  const admin = new KubeConfig();
  admin.loadFromFile(inject('kubeconfigPath'));
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('admin kubeconfig has no cluster');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'cp', cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData } }],
    users: [{ name: `${namespace}-${name}`, user: { token } }],
    contexts: [{ name: 'sa', context: { cluster: 'cp', user: `${namespace}-${name}` } }],
    'current-context': 'sa',
  };
  const dir = await mkdtemp(join(tmpdir(), 'cdo-sa-'));
  const path = join(dir, 'kubeconfig');
  await writeFile(path, JSON.stringify(config), { mode: 0o600 });
  return path;
}

/** `kubectl auth can-i` as the given kubeconfig: true for "yes", false for "no". */
export async function canI(kubeconfig: string, ...args: string[]): Promise<boolean> {
  try {
    return (await kubectl(['auth', 'can-i', ...args], { kubeconfig })).trim() === 'yes';
  } catch (err) {
    // can-i exits 1 and prints "no" when denied.
    if (err instanceof Error && /exited 1: no/.test(err.message.replace(/\n/g, ' '))) return false;
    if (err instanceof Error && /exited 1:\s*$/.test(err.message)) return false;
    throw err;
  }
}
