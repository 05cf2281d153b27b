// The image recipe works: the Dockerfile's own steps (clean install, compile, production-only
// install, copy into the final stage) run here without a Docker engine, and the final stage's
// entry point starts and serves /healthz and /readyz against the real control plane, and /metrics
// over HTTPS with its self-signed certificate (so the production dependencies can make one),
// refusing a caller without a token.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildDockerfile, type DockerfileBuild } from '../support/dockerfile.ts';
import { clients, installCrd } from '../support/cluster.ts';
import { eventually } from '../support/operator-process.ts';

const context = fileURLToPath(new URL('../../', import.meta.url));

describe('container image recipe', () => {
  let build: DockerfileBuild;
  afterAll(async () => {
    if (build) await rm(build.root, { recursive: true, force: true });
  });

  it(
    "builds with the Dockerfile's own steps: full install and compile, then production dependencies only",
    { timeout: 300_000 },
    async () => {
      build = await buildDockerfile(context);
      const final = build.final.dir;
      expect(existsSync(join(final, 'dist/main.js'))).toBe(true);
      expect(existsSync(join(final, 'node_modules/@kubernetes/client-node'))).toBe(true);
      // Only production dependencies reach the final stage.
      for (const dev of ['typescript', 'vitest', 'eslint', 'node']) expect(existsSync(join(final, 'node_modules', dev)), dev).toBe(false);
      // No test, script or dev tooling code is shipped.
      expect(existsSync(join(final, 'dist/devenv'))).toBe(false);
      expect(existsSync(join(final, 'test'))).toBe(false);
    },
  );

  it('runs as a non-root numeric user on a distroless base, with an exec-form entry point', async () => {
    const dockerfile = await readFile(join(context, 'Dockerfile'), 'utf8');
    expect(build.final.from).toMatch(/^gcr\.io\/distroless\/nodejs24/);
    expect(build.final.user).toMatch(/^\d+(:\d+)?$/);
    expect(build.final.user).not.toMatch(/^0(:|$)/);
    expect(build.final.cmd).toEqual(['--max-semi-space-size=4', 'dist/main.js']);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });

  it('the entry point starts, serves /healthz and becomes ready, and stops on SIGTERM', { timeout: 120_000 }, async () => {
    const kubeconfigPath = inject('kubeconfigPath');
    const kc = clients(kubeconfigPath).kc;
    // Every kind's CRD: readiness waits for every informer, and this file may run first.
    for (const crd of [
      'hadoopecoclusters.kakaocloud.cdo.dev.yaml',
      'kafkaclusters.ncloud.cdo.dev.yaml',
      'kafkaconfiggroups.ncloud.cdo.dev.yaml',
    ])
      await installCrd(kc, new URL(`../../crds/${crd}`, import.meta.url));
    const child = spawn(process.execPath, build.final.cmd!, {
      cwd: build.final.dir,
      env: {
        PATH: process.env['PATH'] ?? '',
        KUBECONFIG: kubeconfigPath,
        CDO_HTTP_PORT: '0',
        CDO_HTTP_HOST: '127.0.0.1',
        CDO_METRICS_PORT: '0',
        CDO_LEADER_ELECT: 'false',
        CDO_LOG_FORMAT: 'json',
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const portOf = (msg: string): number | undefined => {
        // Complete lines only: the last one may still be arriving.
        for (const raw of out.split('\n').slice(0, -1)) {
          const line = raw.startsWith('{') ? (JSON.parse(raw) as { msg?: string; port?: number }) : {};
          if (line.msg === msg) return line.port;
        }
        return undefined;
      };
      const port = await eventually(() => portOf('serving /healthz and /readyz'), 30_000);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 30_000);
      // /metrics is not on the probe port, and on its own port it is HTTPS and wants a token (the
      // 200 with an authorized token: test/integration/deploy/secure-metrics.test.ts).
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      const metricsPort = await eventually(() => portOf('serving /metrics'), 30_000);
      const selfSigned = new Agent({ connect: { rejectUnauthorized: false } });
      const res = await request(`https://127.0.0.1:${metricsPort}/metrics`, { dispatcher: selfSigned });
      expect(res.statusCode).toBe(401);
      expect(await res.body.text()).toBe('Unauthorized\n');
      await selfSigned.close();
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code, out).toBe(0);
  });
});
