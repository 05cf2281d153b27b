// kstatus, as Flux computes it: test/gitops/kstatus is a tiny Go program around
// sigs.k8s.io/cli-utils/pkg/kstatus/status, built once per machine by
// scripts/build-kstatus-check.sh (cached outside the checkout, keyed by the cli-utils version).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../scripts/build-kstatus-check.sh', import.meta.url));

export interface KstatusResult {
  kind: string;
  name: string;
  status: string;
  message: string;
  error?: string;
}

/** Builds the checker if this machine has not yet (about a minute, once), returns its path. */
export async function buildKstatusCheck(): Promise<string> {
  const { stdout } = await run('bash', [script], { timeout: 600_000, maxBuffer: 1 << 20 });
  const path = stdout.trim().split('\n').pop();
  if (!path) throw new Error('scripts/build-kstatus-check.sh printed no path');
  return path;
}

/** kstatus's status.Compute for each object, in order. */
export function kstatus(bin: string, objects: readonly unknown[]): Promise<KstatusResult[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(bin, [], { timeout: 30_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`kstatus-check failed: ${err.message}\n${stderr}`));
      try {
        resolve(JSON.parse(stdout) as KstatusResult[]);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    child.stdin?.end(JSON.stringify(objects));
  });
}
