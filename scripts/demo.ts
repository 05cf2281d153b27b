// `npm run demo`: the operator's main job on an embedded default, on a fresh machine.
// Starts a local control plane (kube-apiserver + etcd, built from Go modules on first run), the
// cloud simulators, installs the CRDs from crds/, starts the operator against it all, applies the
// sample resources from deploy/examples/ and shows them progressing. Once every sample is Ready,
// it asks for a change that disturbs the cluster's users (a rolling Kafka upgrade of events-kafka)
// with a maintenance window that is closed, so `kubectl get` shows the change waiting (the Pending
// and Next Window columns) and how to look at it (docs/changing-safely.md). Ctrl-C stops everything.
//
// --exit-when-ready: exit 0 once every sample resource is Ready and the held change shows (used by
// the test of this command).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstBuildEstimate, startControlPlane } from '../src/devenv/control-plane/index.ts';
import { startDemoClouds } from '../src/devenv/demo-clouds.ts';
import { LOCAL_OPERATOR_ENV } from '../src/devenv/local-operator.ts';
import { weekdays, windowState, type MaintenanceWindow } from '../src/resources/core/window.ts';

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

/**
 * Set by Ctrl-C (or the end of a --exit-when-ready run): shutdown() stops what has started, last
 * first, and exits. The main flow then parks (see `live`), so nothing starts or calls kubectl after.
 */
let stopping = false;
/** What shutdown() stops, in start order. */
const started: Array<{ what: string; stop: () => Promise<unknown> }> = [];
/** Never settles: where the main flow and kubectl calls wait for the exit once stopping. */
const parked = new Promise<never>(() => {});
/** The value of a start step, unless Ctrl-C came meanwhile (then what it started is the exit guard's). */
const live = async <T>(step: Promise<T>): Promise<T> => {
  const value = await step;
  return stopping ? parked : value;
};

/** kubectl calls in flight: Ctrl-C ends them too, so none outlives the demo. */
const inFlight = new Set<ChildProcess>();
function run(bin: string, args: string[]): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(bin, args, { maxBuffer: 16 << 20 }, (err, stdout) => {
      inFlight.delete(child);
      if (err) reject(err instanceof Error ? err : new Error(err.message));
      else resolve({ stdout: String(stdout) });
    });
    inFlight.add(child);
  });
}

/** Stops everything once, whoever asks first (Ctrl-C, the operator's exit, the end of the run), then exits. */
let stopped: Promise<never> | undefined;
function shutdown(code: number): Promise<never> {
  stopping = true;
  stopped ??= (async () => {
    await Promise.all(
      [...inFlight].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }),
    );
    for (const { what, stop } of started.reverse()) {
      await stop().catch((err: unknown) => console.error(`Stopping ${what}: ${err instanceof Error ? err.message : String(err)}`));
    }
    process.exit(code);
  })();
  return stopped;
}
// Installed first, so that Ctrl-C while the control plane builds or starts also exits cleanly. A
// second Ctrl-C exits at once; the control plane's exit guard then kills what is still running.
let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    console.log('\nStopping the demo (Ctrl-C again to exit at once)...');
    void shutdown(0);
  });
}

const t0 = performance.now();
console.log(
  `Starting the local control plane (the first run on a machine builds it first: ${firstBuildEstimate()}, with progress below)...`,
);
const cp = await live(startControlPlane());
started.push({ what: 'the control plane', stop: () => cp.stop() });
console.log(`kube-apiserver ${cp.kubeVersion} and etcd ${cp.etcdVersion} up in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
const kubectl = (...args: string[]) =>
  stopping
    ? parked
    : run(cp.binaries.kubectl, ['--kubeconfig', cp.kubeconfigPath, ...args]).then(
        (out) => (stopping ? parked : out),
        (err: unknown) => (stopping ? parked : Promise.reject(err instanceof Error ? err : new Error(String(err)))),
      );

const clouds = await live(startDemoClouds());
started.push({ what: 'the simulators', stop: () => clouds.stop() });
for (const line of clouds.describe) console.log(line);

const crds = await yamlFiles(join(root, 'crds'));
for (const f of crds) await kubectl('apply', '--server-side', '-f', f);
if (crds.length) await kubectl('wait', '--for=condition=Established', '--timeout=60s', ...crds.flatMap((f) => ['-f', f]));
console.log(`Installed ${crds.length} CRD file(s) from crds/`);

const operatorLog = join(cp.dir, 'operator.log');
const logStream = createWriteStream(operatorLog);
if (stopping) await parked;
const operator = spawn(process.execPath, [join(root, 'src/main.ts')], {
  env: {
    ...process.env,
    ...clouds.operatorEnv,
    KUBECONFIG: cp.kubeconfigPath,
    ...LOCAL_OPERATOR_ENV,
    CDO_LEADER_ELECT: 'false',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
operator.stdout.pipe(logStream);
operator.stderr.pipe(logStream);
started.push({
  what: 'the operator',
  stop: async () => {
    if (operator.exitCode !== null || operator.signalCode !== null) return;
    const exited = new Promise((r) => operator.once('exit', r));
    operator.kill('SIGTERM');
    await exited;
  },
});
operator.on('exit', (code, signal) => {
  if (stopping) return;
  // Ctrl-C in a terminal signals the operator too, and its exit may be handled before our own
  // SIGINT handler runs: a SIGINT death is that Ctrl-C, and any other exit is judged a moment later.
  if (signal === 'SIGINT') {
    void shutdown(0);
    return;
  }
  setTimeout(() => {
    if (stopping) return;
    console.error(`The operator exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`}); see ${operatorLog}`);
    void shutdown(1);
  }, 500);
});
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

interface Listed {
  items: Array<{
    kind: string;
    metadata: { namespace: string; name: string; generation?: number };
    status?: {
      phase?: string;
      observedGeneration?: number;
      conditions?: Array<{ type: string; status: string }>;
      pendingChanges?: Array<{ id: string; action: string; from?: string; to: string; waitingFor: string }>;
      nextMaintenanceWindow?: string;
    };
  }>;
}

// The held change: a rolling upgrade of the Kafka sample to 3.9.0 (a restart of every broker, one
// at a time), to the config group below, asked for with a maintenance window that is not open now.
const heldCluster = { kind: 'KafkaCluster', resource: 'nkafka', namespace: 'default', name: 'events-kafka' };
const targetGroup = {
  apiVersion: 'ncloud.cdo.dev/v1alpha1',
  kind: 'KafkaConfigGroup',
  metadata: { name: 'events-cfg-390', namespace: heldCluster.namespace },
  spec: {
    credentialsSecretRef: { name: 'ncloud-api-key' },
    region: 'KR',
    kafkaVersionCode: 3903006,
    description: 'Broker settings of the events cluster on Kafka 3.9.0',
    config: { 'auto.create.topics.enable': false, 'log.retention.hours': 72, 'num.partitions': 6 },
  },
};

/** Weekend nights in Seoul; on a weekend night itself, the same hours two days from now (closed now either way). */
function closedWindow(now: Date): MaintenanceWindow {
  const weekend: MaintenanceWindow = { days: ['Saturday', 'Sunday'], start: '02:00', duration: '4h', timeZone: 'Asia/Seoul' };
  if (!windowState(weekend, now).canStart) return weekend;
  const inTwoDays = new Date(now.getTime() + 2 * 86_400_000).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'Asia/Seoul' });
  return { ...weekend, days: weekdays.filter((d) => d === inTwoDays) };
}

/**
 * Applies the target group, waits for it, then asks events-kafka for the upgrade with a closed
 * window. `absent` when there is no Kafka sample to ask it of, `failed` when a step failed (said).
 */
async function askForHeldChange(items: Listed['items']): Promise<'asked' | 'absent' | 'failed'> {
  const { kind, resource, namespace, name } = heldCluster;
  if (!items.some((i) => i.kind === kind && i.metadata.name === name)) return 'absent';
  try {
    const groupFile = join(cp.dir, 'events-cfg-390.json');
    await writeFile(groupFile, JSON.stringify(targetGroup));
    await kubectl('apply', '-f', groupFile);
    await kubectl('-n', namespace, 'wait', `kafkaconfiggroup/${targetGroup.metadata.name}`, '--for=condition=Ready', '--timeout=120s');
    const window = closedWindow(new Date());
    const patch = { spec: { maintenanceWindow: window, kafkaVersionCode: 3903006, configGroupRef: { name: targetGroup.metadata.name } } };
    await kubectl('-n', namespace, 'patch', `${resource}/${name}`, '--type=merge', '-p', JSON.stringify(patch));
    console.log(
      `\nAsked ${resource}/${name} for a rolling upgrade to Kafka 3.9.0 (config group ${targetGroup.metadata.name}), with ` +
        `spec.maintenanceWindow ${window.days.join(', ')} ${window.start} ${window.timeZone} for ${window.duration}: closed now, so it waits.`,
    );
    return 'asked';
  } catch (err) {
    console.error(`Could not ask for the demo's held change: ${err instanceof Error ? err.message : String(err)}`);
    return 'failed';
  }
}

/** The held change of events-kafka, once the operator reports it for the spec asked. */
function heldChange(items: Listed['items']) {
  const o = items.find((i) => i.kind === heldCluster.kind && i.metadata.name === heldCluster.name);
  if (!o?.status || o.status.observedGeneration !== o.metadata.generation) return undefined;
  const change = o.status.pendingChanges?.find((c) => c.waitingFor === 'MaintenanceWindow');
  return change && o.status.nextMaintenanceWindow ? { change, opens: o.status.nextMaintenanceWindow } : undefined;
}

/** What to run to look at the held change, approve such changes, or start it now. */
async function explainHeldChange(held: NonNullable<ReturnType<typeof heldChange>>): Promise<void> {
  const { resource, namespace, name } = heldCluster;
  const { change, opens } = held;
  process.stdout.write(`\n${(await kubectl('-n', namespace, 'get', resource, name, '-o', 'wide')).stdout}`);
  console.log(`
${change.action} ${change.id} (${change.from} → ${change.to}) waits for the maintenance window that opens ${opens};
the cluster stays Ready meanwhile (docs/changing-safely.md).
  kubectl get ${resource} ${name} -o jsonpath='{.status.pendingChanges}'      # what waits, and why
  kubectl patch ${resource} ${name} --type=json -p '[{"op":"remove","path":"/spec/maintenanceWindow"}]'   # start it now
Under spec.changePolicy: Manual, a change like this one also waits for its approval:
  kubectl annotate --overwrite ${resource}/${name} cdo.dev/approve=${change.id}
`);
}

const deadline = Date.now() + timeoutMs;
let last = '';
let stage: 'settling' | 'asking' | 'held' = 'settling';
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
  if (stage === 'settling' && ready) {
    console.log('Every sample resource is Ready (or, for a job cluster, Completed).');
    const asked = await askForHeldChange(items);
    if (asked !== 'asked' && exitWhenReady) await shutdown(asked === 'failed' ? 1 : 0);
    stage = asked === 'asked' ? 'asking' : 'held';
  } else if (stage === 'asking') {
    const held = heldChange(items);
    if (held) {
      stage = 'held';
      await explainHeldChange(held);
      if (exitWhenReady) await shutdown(0);
    }
  }
  if (exitWhenReady && Date.now() > deadline) {
    console.error(
      `Timed out waiting for ${stage === 'settling' ? 'the samples to become Ready' : 'the held change to show'}; see ${operatorLog}`,
    );
    await shutdown(1);
  }
  await new Promise((r) => setTimeout(r, 2000));
}
