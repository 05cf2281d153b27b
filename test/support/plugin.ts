// The kubectl plugin (bin/kubectl-cdo) run as a user runs it: a child process with the test
// control plane's kubeconfig and the operator's cloud endpoint settings, and nothing else of this
// process's environment (no CDO_* leaking in from the test run).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';

const run = promisify(execFile);
const plugin = new URL('../../bin/kubectl-cdo', import.meta.url).pathname;

/** `kubectl cdo <args>` with `endpoints` (e.g. CDO_KAKAOCLOUD_ENDPOINTS pointing at a simulator). */
export function runPlugin(args: string[], endpoints: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return run(plugin, args, { env: { PATH: process.env['PATH'], KUBECONFIG: inject('kubeconfigPath'), ...endpoints } });
}
