// N resources of one kind applied at once against a private control plane, a cloud simulator and
// the operator (the build the image runs, dist/main.js, with its defaults): time to Ready, apply →
// create-call latency, RSS and CPU of the operator, cloud calls and API-server writes; then a
// restart of the operator and the deletion of everything. Issue 10's figures come from here.
//
//   npm run bench:scale -- --kind hadoop-eco --n 1000 [--provision 10] [--terminate 10] [--env K=V ...]
//
// Each phase waits for the previous to settle; the whole run for N = 5,000 takes several minutes.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, Watch, type KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { startControlPlane } from '../src/devenv/control-plane/index.ts';
import { startCdssSimulator } from '../src/simulators/cdss/index.ts';
import { startHadoopEcoSimulator } from '../src/simulators/hadoop-eco/index.ts';
import { apiWrites } from './audit.ts';
import { percentile, processSampler, type ProcessSample } from './process-stats.ts';
import { operatorEnv } from './support.ts';

const { values: args } = parseArgs({
  options: {
    kind: { type: 'string', default: 'hadoop-eco' },
    n: { type: 'string', default: '100' },
    provision: { type: 'string', default: '10' },
    terminate: { type: 'string', default: '10' },
    env: { type: 'string', multiple: true, default: [] },
    entry: { type: 'string', default: 'dist' },
  },
});
const N = Number(args.n);
const D = Number(args.provision);
const T = Number(args.terminate);
const root = new URL('..', import.meta.url);
const sample = (file: string) =>
  parseAllDocuments(readFileSync(new URL(`deploy/examples/${file}`, root), 'utf8')).map((d) => d.toJS() as Record<string, any>);

interface KindSetup {
  group: string;
  plural: string;
  /** The sample resource that is copied N times (name replaced). */
  template: Record<string, any>;
  secrets: Array<Record<string, any>>;
  env: Record<string, string>;
  ready(o: any): boolean;
  /** The resource name a recorded create request carries. */
  createdName(r: { method: string; path: string; body: unknown }): string | undefined;
  idPattern: RegExp;
  stop(): Promise<void>;
  requests(): Array<{ seq: number; time: string; method: string; path: string; status: number | null; body: unknown }>;
}

const name = (i: number) => `s${String(i).padStart(5, '0')}`;
const readyTrue = (o: any) => o?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') === true;

async function hadoopEco(): Promise<KindSetup> {
  const secrets = sample('hadoop-eco/00-secrets.yaml');
  const cred = secrets.find((s) => s.metadata.name === 'kakaocloud-credentials')!.stringData;
  // The address pool covers 5,000 clusters of 4 VMs; terminated clusters give theirs back.
  const sim = await startHadoopEcoSimulator({
    credentials: [cred],
    provisionMs: D * 1000,
    terminateMs: T * 1000,
    seed: 1,
    maxRecordedRequests: 1e7,
  });
  return {
    group: 'kakaocloud.cdo.dev',
    plural: 'hadoopecoclusters',
    template: sample('hadoop-eco/03-test-cluster.yaml')[0]!,
    secrets,
    env: { CDO_KAKAOCLOUD_ENDPOINTS: `kr-central-2=${sim.url}` },
    ready: (o) => o?.status?.phase === 'Running' && readyTrue(o),
    createdName: (r) => (r.method === 'POST' && r.path === '/v2/hadoop-eco/clusters' ? (r.body as any)?.name : undefined),
    idPattern: /[0-9a-f-]{36}/g,
    stop: () => sim.close(),
    requests: () => sim.requests(),
  };
}

async function kafka(): Promise<KindSetup> {
  const secrets = sample('kafka/00-secrets.yaml');
  const keys = secrets.find((s) => s.metadata.name === 'ncloud-api-key')!.stringData;
  const sim = await startCdssSimulator({
    credentials: [keys],
    provisionMs: D * 1000,
    deleteMs: T * 1000,
    seed: 1,
    maxRecordedRequests: 1e7,
  });
  const template = sample('kafka/02-events-kafka.yaml')[0]!;
  // A config group by number (one of the simulator's seeded groups), so the N clusters measure the
  // cluster path alone; the KafkaConfigGroup kind has its own lifecycle bench.
  delete template.spec.configGroupRef;
  template.spec.configGroupNo = 171;
  return {
    group: 'ncloud.cdo.dev',
    plural: 'kafkaclusters',
    template,
    secrets,
    env: { CDO_NCLOUD_ENDPOINTS: `KR=${sim.baseUrl('KR')}` },
    ready: (o) => o?.status?.phase === 'Running' && readyTrue(o),
    createdName: (r) => (r.path.endsWith('/createCDSSClusterReturnServiceGroupInstanceNo') ? (r.body as any)?.clusterName : undefined),
    idPattern: /(?<=\/)\d{5,}(?=$|\/)/g,
    stop: () => sim.close(),
    requests: () => sim.requests(),
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Every object of the kind, kept current by a watch (the bench's own view, not the operator's). */
function observe(kc: KubeConfig, path: string, onChange: (type: string, o: any) => void): () => void {
  const ctl = new AbortController();
  const w = new Watch(kc);
  const loop = async (): Promise<void> => {
    while (!ctl.signal.aborted) {
      await new Promise<void>((done) => {
        void w
          .watch(path, { allowWatchBookmarks: false }, onChange, () => done())
          .then((req) => ctl.signal.addEventListener('abort', () => req.abort(), { once: true }))
          .catch(() => done());
      });
    }
  };
  void loop();
  return () => ctl.abort();
}

function startOperator(env: NodeJS.ProcessEnv): { proc: ChildProcess; started: number } {
  // As the image starts it (Dockerfile CMD): the V8 flag keeps the young generation small.
  const entry = args.entry === 'src' ? 'src/main.ts' : 'dist/main.js';
  const proc = spawn(process.execPath, ['--max-semi-space-size=4', fileURLToPath(new URL(entry, root))], { env, stdio: 'ignore' });
  return { proc, started: performance.now() };
}

async function untilReadyz(port: number, from: number): Promise<number> {
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return (performance.now() - from) / 1000;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;

if (args.entry !== 'src')
  execFileSync(process.execPath, [fileURLToPath(new URL('node_modules/typescript/bin/tsc', root)), '-p', 'tsconfig.build.json'], {
    cwd: fileURLToPath(root),
    stdio: 'inherit',
  });
const setup = args.kind === 'kafka' ? await kafka() : await hadoopEco();
const cp = await startControlPlane();
const kc = cp.makeKubeConfig();
const ext = kc.makeApiClient(ApiextensionsV1Api);
for (const crd of [
  'hadoopecoclusters.kakaocloud.cdo.dev.yaml',
  'kafkaclusters.ncloud.cdo.dev.yaml',
  'kafkaconfiggroups.ncloud.cdo.dev.yaml',
])
  await ext.createCustomResourceDefinition({ body: sample(`../../crds/${crd}`)[0] as any });
await new Promise((r) => setTimeout(r, 2000)); // Established
const core = kc.makeApiClient(CoreV1Api);
for (const s of setup.secrets) await core.createNamespacedSecret({ namespace: 'default', body: s });
const custom = kc.makeApiClient(CustomObjectsApi);
const port = await freePort();
const env = operatorEnv(cp, {
  CDO_HTTP_PORT: String(port),
  CDO_HTTP_HOST: '127.0.0.1',
  CDO_LOG_LEVEL: 'warn',
  ...setup.env,
  ...Object.fromEntries(args.env.map((kv) => kv.split(/=(.*)/s).slice(0, 2))),
});

// Idle: the operator with its caches synced and nothing to do.
let op = startOperator(env);
const startup = await untilReadyz(port, op.started);
await new Promise((r) => setTimeout(r, 10_000));
let sampler = processSampler(op.proc.pid!);
const idle = await sampler.now();

// Burst: N copies of the sample applied at once.
const path = `/apis/${setup.group}/v1alpha1/namespaces/default/${setup.plural}`;
const appliedAt = new Map<string, number>();
const readyAt = new Map<string, number>();
const goneAt = new Map<string, number>();
const stopWatch = observe(kc, path, (type, o) => {
  const n = o?.metadata?.name as string;
  if (type === 'DELETED') goneAt.set(n, performance.now());
  else if (!readyAt.has(n) && setup.ready(o)) readyAt.set(n, performance.now());
});
const t0 = performance.now();
const wall0 = new Date();
const names = Array.from({ length: N }, (_, i) => name(i));
await pool(names, 32, async (n) => {
  const body = structuredClone(setup.template);
  body.metadata = { name: n, namespace: 'default' };
  await custom.createNamespacedCustomObject({ group: setup.group, version: 'v1alpha1', namespace: 'default', plural: setup.plural, body });
  appliedAt.set(n, performance.now());
});
const appliedIn = performance.now() - t0;
const samples: ProcessSample[] = [];
while (readyAt.size < N) {
  samples.push(await sampler.now());
  if (performance.now() - t0 > 30 * 60_000) throw new Error(`only ${readyAt.size}/${N} Ready after 30 minutes`);
  await new Promise((r) => setTimeout(r, 500));
}
const allReady = Math.max(...readyAt.values()) - t0;
const burstEnd = await sampler.now();
await new Promise((r) => setTimeout(r, 30_000));
const settled = await sampler.now();
const requests = setup.requests();
const createTimes = new Map<string, number>();
for (const r of requests) {
  const n = setup.createdName(r);
  if (n && !createTimes.has(n)) createTimes.set(n, new Date(r.time).getTime());
}
const wallOffset = wall0.getTime() - t0; // performance.now() → epoch ms
const createLatency = names.map((n) => (createTimes.get(n) ?? Number.NaN) - wallOffset - appliedAt.get(n)!);
const readyLatency = names.map((n) => readyAt.get(n)! - appliedAt.get(n)!);
const burstRequests = requests.length;
const burstWrites = await apiWrites(cp.auditLogPath, wall0);

// Restart: a new process must sync its caches and re-observe every resource, writing nothing.
op.proc.kill('SIGTERM');
await new Promise((r) => op.proc.once('exit', r));
const restartWall = new Date();
const beforeRestart = requests.at(-1)?.seq ?? 0;
op = startOperator(env);
const restartReady = await untilReadyz(port, op.started);
sampler = processSampler(op.proc.pid!);
const seen = new Set<string>();
const ids = new Set<string>();
const restartT0 = performance.now();
let reobserved = Number.NaN;
while (performance.now() - restartT0 < 120_000) {
  for (const r of setup.requests()) {
    if (r.seq <= beforeRestart) continue;
    const id = r.path.match(setup.idPattern)?.[0];
    if (r.method === 'GET' && id) seen.add(id);
  }
  if (ids.size === 0)
    for (const o of (
      await custom.listNamespacedCustomObject({
        group: setup.group,
        version: 'v1alpha1',
        namespace: 'default',
        plural: setup.plural,
      })
    ).items)
      if (o.status?.clusterId) ids.add(String(o.status.clusterId));
  if ([...ids].every((id) => seen.has(id))) {
    reobserved = performance.now() - restartT0;
    break;
  }
  await new Promise((r) => setTimeout(r, 1000));
}
await new Promise((r) => setTimeout(r, 5_000));
const restartWrites = await apiWrites(cp.auditLogPath, restartWall);
const restartRss = await sampler.now();

// Delete: every resource gone, the cloud cluster with it.
const d0 = performance.now();
await pool(names, 32, async (n) => {
  await custom.deleteNamespacedCustomObject({
    group: setup.group,
    version: 'v1alpha1',
    namespace: 'default',
    plural: setup.plural,
    name: n,
  });
});
while (goneAt.size < N) {
  if (performance.now() - d0 > 30 * 60_000) throw new Error(`only ${goneAt.size}/${N} gone after 30 minutes`);
  await new Promise((r) => setTimeout(r, 500));
}
const allGone = Math.max(...goneAt.values()) - d0;
const final = await sampler.now();

stopWatch();
op.proc.kill('SIGTERM');
await new Promise((r) => op.proc.once('exit', r));
await cp.stop();
await setup.stop();

const tallyBy = (keys: string[]) => {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]);
};
const burstCloud = requests.slice(0, burstRequests);
const peak = Math.max(...samples.map((s) => s.rss), burstEnd.rss);
console.log(
  `\n${args.kind} × ${N}, simulated provisioning ${D} s, termination ${T} s, operator ${args.entry}${args.env.length ? ' with ' + args.env.join(' ') : ''}`,
);
console.log(`  applied in                         ${secs(appliedIn)}`);
console.log(`  all Ready after                    ${secs(allReady)}   (target D + 10 s = ${D + 10} s)`);
console.log(
  `  apply → Ready p50 / p99 / max       ${secs(percentile(readyLatency, 50))} / ${secs(percentile(readyLatency, 99))} / ${secs(percentile(readyLatency, 100))}`,
);
console.log(`  apply → create call p50 / p99      ${secs(percentile(createLatency, 50))} / ${secs(percentile(createLatency, 99))}`);
console.log(`  startup to /readyz (empty)         ${startup.toFixed(1)} s`);
console.log(`  RSS idle / peak / settled (30 s)   ${mib(idle.rss)} / ${mib(peak)} / ${mib(settled.rss)}`);
console.log(`  CPU during burst                   ${(burstEnd.cpuSeconds - idle.cpuSeconds).toFixed(1)} s`);
console.log(`  cloud calls (burst)                ${burstCloud.length}`);
for (const [k, n] of tallyBy(burstCloud.map((r) => `${r.method} ${r.path.replace(setup.idPattern, '{id}')} → ${r.status}`)).slice(0, 8))
  console.log(`      ${String(n).padStart(6)}  ${k}`);
console.log(`  API-server writes (burst)          ${burstWrites.total}  (${(burstWrites.total / N).toFixed(2)} per resource)`);
for (const [k, n] of burstWrites.byVerb) console.log(`      ${String(n).padStart(6)}  ${k}`);
console.log(`  restart: /readyz after             ${restartReady.toFixed(1)} s`);
console.log(`  restart: all re-observed after     ${Number.isNaN(reobserved) ? 'not within 120 s' : secs(reobserved)}`);
console.log(
  `  restart: API-server writes         ${restartWrites.total}${restartWrites.total ? ' (' + restartWrites.byVerb.map(([k, n]) => `${n} ${k}`).join(', ') + ')' : ''}`,
);
console.log(`  restart: RSS after re-observing    ${mib(restartRss.rss)}`);
console.log(`  delete: all gone after             ${secs(allGone)}   (target termination + 10 s = ${T + 10} s)`);
console.log(`  RSS after delete                   ${mib(final.rss)}`);
