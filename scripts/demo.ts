// `npm run demo`: the operator's main job on an embedded default, on a fresh machine.
// Starts a local control plane (kube-apiserver + etcd, built from Go modules on first run), the
// cloud simulators, installs the CRDs from crds/, starts the operator against it all, applies the
// sample resources from deploy/examples/ and shows them progressing. Ctrl-C stops everything.
//
// --exit-when-ready: exit 0 once every sample resource is Ready (used by the test of this command).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startControlPlane } from '../src/devenv/control-plane/index.ts';
import { startDemoClouds } from '../src/devenv/demo-clouds.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const exitWhenReady = process.argv.includes('--exit-when-ready');
const timeoutMs = Number(process.env['CDO_DEMO_TIMEOUT_MS'] ?? 15 * 60_000);

async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const t0 = performance.now();
console.log('Starting the local control plane (the first run on a machine builds it: ~6-15 min)...');
const cp = await startControlPlane();
console.log(`kube-apiserver ${cp.kubeVersion} and etcd ${cp.etcdVersion} up in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
const kubectl = (...args: string[]) => run(cp.binaries.kubectl, ['--kubeconfig', cp.kubeconfigPath, ...args], { maxBuffer: 16 << 20 });

const clouds = await startDemoClouds();
for (const line of clouds.describe) console.log(line);

const crds = await yamlFiles(join(root, 'crds'));
for (const f of crds) await kubectl('apply', '--server-side', '-f', f);
if (crds.length) await kubectl('wait', '--for=condition=Established', '--timeout=60s', ...crds.flatMap((f) => ['-f', f]));
console.log(`Installed ${crds.length} CRD file(s) from crds/`);

const operatorLog = join(cp.dir, 'operator.log');
const logStream = createWriteStream(operatorLog);
const operator = spawn(process.execPath, [join(root, 'src/main.ts')], {
  env: {
    ...process.env,
    ...clouds.operatorEnv,
    KUBECONFIG: cp.kubeconfigPath,
    CDO_LEADER_ELECT: 'false',
    CDO_HTTP_PORT: '0',
    CDO_LOG_FORMAT: 'json',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
operator.stdout.pipe(logStream);
operator.stderr.pipe(logStream);
console.log(`Operator started (pid ${operator.pid}); its log: ${operatorLog}`);

for (const f of await yamlFiles(join(root, 'deploy/examples'))) {
  await kubectl('apply', '-f', f);
  console.log(`Applied ${f.slice(root.length)}`);
}

console.log(`
Point kubectl at the demo cluster:
  export KUBECONFIG=${cp.kubeconfigPath}
  alias kubectl=${cp.binaries.kubectl}     # the kubectl built with the control plane
  kubectl get cdo -A                        # every cloud-data-operator resource
Stop everything with Ctrl-C.
`);

let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    operator.kill('SIGTERM');
    await new Promise((r) => operator.once('exit', r));
    await clouds.stop();
    await cp.stop();
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
operator.on('exit', (code) => {
  if (!stopping) {
    console.error(`The operator exited unexpectedly (code ${code}); see ${operatorLog}`);
    void shutdown(1);
  }
});

interface Listed {
  items: Array<{
    kind: string;
    metadata: { namespace: string; name: string };
    status?: { phase?: string; conditions?: Array<{ type: string; status: string }> };
  }>;
}
const deadline = Date.now() + timeoutMs;
let last = '';
for (;;) {
  const { stdout } = crds.length ? await kubectl('get', 'cdo', '-A', '-o', 'json') : { stdout: '{"items":[]}' };
  const items = (JSON.parse(stdout) as Listed).items;
  const table = crds.length ? (await kubectl('get', 'cdo', '-A')).stdout : '(no resource kinds are installed yet)\n';
  // Print when something other than the AGE column changed.
  const signature = table.replace(/\s+\S+$/gm, '');
  if (signature !== last) {
    process.stdout.write(`\n${new Date().toISOString()}\n${table}`);
    last = signature;
  }
  // Settled: Ready, or a job cluster that has Completed.
  const ready = items.every(
    (i) => i.status?.phase === 'Completed' || i.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  if (exitWhenReady && ready) {
    console.log('Every sample resource is Ready (or, for a job cluster, Completed).');
    await shutdown(0);
  }
  if (exitWhenReady && Date.now() > deadline) {
    console.error(`Timed out waiting for the samples to become Ready; see ${operatorLog}`);
    await shutdown(1);
  }
  await new Promise((r) => setTimeout(r, 2000));
}
