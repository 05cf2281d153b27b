// The operator's memory at rest: start it against a private control plane with the CRDs and no
// resources (or with --objects N paused HadoopEcoClusters), let it settle, and read its RSS and CPU
// time from /proc, its V8 heap from /metrics, and how long it took to sync its caches. Runs
// src/main.ts (type stripping, as `npm start`) and dist/main.js (as the image; `npm run build` first).
//
//   npm run bench:idle-memory -- [--objects 1000] [--settle 10] [--entry src|dist|both] [--node-flags=--max-semi-space-size=2]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { startControlPlane } from '../src/devenv/control-plane/index.ts';
import { operatorEnv } from './support.ts';

const { values: args } = parseArgs({
  options: {
    objects: { type: 'string', default: '0' },
    settle: { type: 'string', default: '10' },
    entry: { type: 'string', default: 'both' },
    'node-flags': { type: 'string', default: '' },
  },
});
const objects = Number(args.objects);
const settleMs = Number(args.settle) * 1000;
const nodeFlags = args['node-flags'].split(/\s+/).filter(Boolean);
const entries = { src: '../src/main.ts', dist: '../dist/main.js' } as const;
const chosen = args.entry === 'both' ? (['src', 'dist'] as const) : [args.entry as keyof typeof entries];
if (chosen.includes('dist') && !existsSync(new URL(entries.dist, import.meta.url)))
  throw new Error('dist/main.js is missing: npm run build');

const HEC = { group: 'kakaocloud.cdo.dev', version: 'v1alpha1', plural: 'hadoopecoclusters' } as const;
const ns = 'bench';

const cp = await startControlPlane();
try {
  const kc = cp.makeKubeConfig();
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const crdDir = new URL('../crds/', import.meta.url);
  for (const f of await readdir(crdDir))
    await ext.createCustomResourceDefinition({ body: parse(await readFile(new URL(f, crdDir), 'utf8')) });
  await new Promise((r) => setTimeout(r, 2000)); // Established
  if (objects > 0) await createPausedClusters(kc.makeApiClient(CoreV1Api), kc.makeApiClient(CustomObjectsApi), objects);

  console.log(
    `control plane up; ${objects} HadoopEcoClusters; settle ${settleMs / 1000} s; node flags: ${nodeFlags.join(' ') || '(none)'}`,
  );
  console.log('entry  startup(s)  RSS(MiB)  peak RSS(MiB)  heap used(MiB)  heap total(MiB)  CPU(s)');
  for (const entry of chosen) {
    const r = await measure(fileURLToPath(new URL(entries[entry], import.meta.url)), kc.makeApiClient(CustomObjectsApi));
    console.log(
      `${entry.padEnd(5)}  ${r.startupS.toFixed(2).padStart(10)}  ${mib(r.rss).padStart(8)}  ${mib(r.peakRss).padStart(13)}  ${mib(r.heapUsed).padStart(14)}  ${mib(r.heapTotal).padStart(15)}  ${r.cpuS.toFixed(2).padStart(6)}`,
    );
  }
} finally {
  await cp.stop();
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

/**
 * Paused (cdo.dev/paused: "true", so no cloud calls), with the last-applied-configuration
 * annotation that `kubectl apply` leaves, as most objects in a real cluster have it.
 */
async function createPausedClusters(core: CoreV1Api, custom: CustomObjectsApi, n: number): Promise<void> {
  await core.createNamespace({ body: { metadata: { name: ns } } });
  const spec = parse(await readFile(new URL('../deploy/examples/hadoop-eco/03-test-cluster.yaml', import.meta.url), 'utf8')).spec;
  const t0 = performance.now();
  for (let i = 0; i < n; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, j) => {
        const body = {
          apiVersion: `${HEC.group}/${HEC.version}`,
          kind: 'HadoopEcoCluster',
          metadata: { name: `bench-${i + j}`, namespace: ns, annotations: { 'cdo.dev/paused': 'true' } as Record<string, string> },
          spec,
        };
        body.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = JSON.stringify(body);
        return custom.createNamespacedCustomObject({ ...HEC, namespace: ns, body });
      }),
    );
  }
  console.log(`created ${n} HadoopEcoClusters in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function measure(entry: string, custom: CustomObjectsApi) {
  const started = performance.now();
  const op = spawn(process.execPath, [...nodeFlags, entry], {
    env: operatorEnv(cp, { CDO_LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let port: number | undefined;
  let syncedAt: number | undefined;
  createInterface(op.stdout).on('line', (line) => {
    const l = JSON.parse(line) as { msg?: string; port?: number };
    if (l.msg === 'serving /metrics') port = l.port;
    if (l.msg === 'caches synced') syncedAt ??= performance.now();
  });
  try {
    while (syncedAt === undefined) {
      if (op.exitCode !== null) throw new Error(`the operator exited with ${op.exitCode}`);
      if (performance.now() - started > 120_000) throw new Error('caches did not sync in 2 minutes');
      await new Promise((r) => setTimeout(r, 20));
    }
    // With objects, wait until every one has been reconciled (reported Paused) before settling.
    if (objects > 0) {
      for (;;) {
        const list = (await custom.listNamespacedCustomObject({ ...HEC, namespace: ns })) as {
          items: Array<{ status?: { phase?: string } }>;
        };
        if (list.items.filter((o) => o.status?.phase === 'Paused').length >= objects) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    const settleFrom = objects > 0 ? performance.now() : started;
    await new Promise((r) => setTimeout(r, Math.max(0, settleFrom + settleMs - performance.now())));
    const status = await readFile(`/proc/${op.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    // utime + stime, in clock ticks (100 per second on Linux).
    const stat = (await readFile(`/proc/${op.pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    const cpuS = (Number(stat[11]) + Number(stat[12])) / 100;
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? NaN);
    return {
      startupS: ((syncedAt ?? NaN) - started) / 1000,
      rss: kb('VmRSS'),
      peakRss: kb('VmHWM'),
      heapUsed: gauge('nodejs_heap_size_used_bytes'),
      heapTotal: gauge('nodejs_heap_size_total_bytes'),
      cpuS,
    };
  } finally {
    op.kill('SIGTERM');
    await new Promise((r) => (op.exitCode !== null ? r(undefined) : op.once('exit', r)));
  }
}
