// What the lifecycle benches share: a private control plane with the CRDs, the operator as a child
// process, stage timing, and counting the operator's Kubernetes API requests from the audit log.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ApiextensionsV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { startControlPlane, type ControlPlane } from '../src/devenv/control-plane/index.ts';
import { LOCAL_OPERATOR_ENV } from '../src/devenv/local-operator.ts';
import { operatorRequests, requestKey, tally } from './audit.ts';

/** Per-call options for client-node PATCH requests, which default to JSON Patch whatever the body is. */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * The environment of an operator child process on a bench's control plane: one replica, JSON logs,
 * /metrics in plain HTTP on a free port (a bench reads it without a token).
 */
export function operatorEnv(cp: ControlPlane, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KUBECONFIG: cp.kubeconfigPath,
    ...LOCAL_OPERATOR_ENV,
    CDO_LEADER_ELECT: 'false',
    ...extra,
  };
}

export interface Bench {
  cp: ControlPlane;
  custom: CustomObjectsApi;
  op: ChildProcess;
  start: Date;
  stages: Array<[string, number]>;
  stop(): Promise<void>;
}

export async function startBench(crds: string | string[], extraEnv: Record<string, string>): Promise<Bench> {
  const cp = await startControlPlane();
  const kc = cp.makeKubeConfig();
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  for (const crd of [crds].flat())
    await ext.createCustomResourceDefinition({ body: parse(await readFile(new URL(`../crds/${crd}`, import.meta.url), 'utf8')) });
  await new Promise((r) => setTimeout(r, 2000)); // Established
  const op = spawn(process.execPath, [fileURLToPath(new URL('../src/main.ts', import.meta.url))], {
    env: operatorEnv(cp, { CDO_POLL_BUSY: '1', CDO_POLL_STEADY: '300', ...extraEnv }),
    stdio: 'ignore',
  });
  return {
    cp,
    custom: kc.makeApiClient(CustomObjectsApi),
    op,
    start: new Date(),
    stages: [],
    async stop() {
      op.kill('SIGTERM');
      await new Promise((r) => op.once('exit', r));
      await cp.stop();
    },
  };
}

/** Seconds until `check` holds for the object (or, with `gone`, until it is deleted). */
export async function until(get: () => Promise<unknown>, check: (o: any) => boolean, what: string): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    try {
      if (check(await get())) return (performance.now() - t0) / 1000;
    } catch (err) {
      if ((err as { code?: number }).code === 404 && check(undefined)) return (performance.now() - t0) / 1000;
    }
    if (performance.now() - t0 > 180_000) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function printReport(
  b: Bench,
  cloudRequests: Array<{ method: string; path: string; status: number | null }>,
  idPattern: RegExp,
): Promise<void> {
  console.log('\nStage timings (operator poll period 1 s):');
  for (const [s, t] of b.stages) console.log(`  ${s.padEnd(52)} ${t.toFixed(1)} s`);
  console.log(`\nCloud requests (${cloudRequests.length} total):`);
  for (const [k, n] of tally(cloudRequests.map((r) => `${r.method} ${r.path.replace(idPattern, '{id}')} → ${r.status}`)))
    console.log(`  ${String(n).padStart(4)}  ${k}`);
  const audit = await operatorRequests(b.cp.auditLogPath, b.start);
  console.log(
    `\nKubernetes API requests by the operator (${audit.length} total; watch streams carry client-node's own user agent and are not counted):`,
  );
  for (const [k, n] of tally(audit.map(requestKey))) console.log(`  ${String(n).padStart(4)}  ${k}`);
}
