// Locates (and on first use builds) kube-apiserver, kube-controller-manager, kubectl and etcd. The
// build itself lives in scripts/build-control-plane.sh so that a shell user and the tests share
// one cache and one lock.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ControlPlaneBinaries {
  kubeApiServer: string;
  /** Started only when a test asks for controllers (StartControlPlaneOptions.controllers). */
  kubeControllerManager: string;
  kubectl: string;
  etcd: string;
  /** e.g. `v1.37.2` */
  kubeVersion: string;
  /** e.g. `v3.6.16` */
  etcdVersion: string;
}

const buildScript = fileURLToPath(new URL('../../../scripts/build-control-plane.sh', import.meta.url));

/**
 * How long a cold build usually takes (e.g. `about 9 min`), as the build script states it (its
 * EST_TOTAL), so the demo, the script and README.md (a unit test compares) quote one number.
 */
export function firstBuildEstimate(): string {
  const match = /^EST_TOTAL="([^"]+)"/m.exec(readFileSync(buildScript, 'utf8'));
  if (!match?.[1]) throw new Error(`${buildScript} does not set EST_TOTAL`);
  return match[1];
}

/** Exit code the build script uses when Go is missing; its stderr then says what to install. */
const EXIT_GO_MISSING = 3;

export async function ensureBinaries(): Promise<ControlPlaneBinaries> {
  const child = spawn('bash', [buildScript], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    // Passed through live: a cold build's step-by-step progress (one line when cached).
    process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  });
  if (code === EXIT_GO_MISSING) {
    throw new Error(stderr.replaceAll('[control-plane] ', '').trim());
  }
  if (code !== 0) {
    const tail = stderr.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${buildScript} exited with code ${String(code)}:\n${tail}`);
  }
  const vars = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) vars.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const need = (key: string): string => {
    const value = vars.get(key);
    if (!value) throw new Error(`${buildScript} did not print ${key}; stdout was:\n${stdout}`);
    return value;
  };
  const kubeDir = need('KUBE_BIN_DIR');
  const etcdDir = need('ETCD_BIN_DIR');
  return {
    kubeApiServer: join(kubeDir, 'kube-apiserver'),
    kubeControllerManager: join(kubeDir, 'kube-controller-manager'),
    kubectl: join(kubeDir, 'kubectl'),
    etcd: join(etcdDir, 'etcd'),
    kubeVersion: need('KUBE_VERSION'),
    etcdVersion: need('ETCD_VERSION'),
  };
}
