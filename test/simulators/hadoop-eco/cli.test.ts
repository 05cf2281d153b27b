// The stand-alone CLI: refuses to start without credentials, prints its URL, never prints the secret.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../../src/simulators/hadoop-eco/cli.ts', import.meta.url));

function run(env: Record<string, string | undefined>, args: string[] = []) {
  const clean = { ...process.env };
  delete clean['HADOOP_ECO_SIM_CREDENTIAL_ID'];
  delete clean['HADOOP_ECO_SIM_CREDENTIAL_SECRET'];
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

describe('hadoop-eco simulator CLI', () => {
  it('refuses to start without both credential variables', async () => {
    const p = run({ HADOOP_ECO_SIM_CREDENTIAL_ID: 'fake-id' });
    expect(await p.exited).toBe(2);
    expect(p.output()).toMatch(/HADOOP_ECO_SIM_CREDENTIAL_SECRET must both be set/);
  });

  it('serves on the given port, prints the URL, and never prints the secret', async () => {
    const secret = `fake-secret-${randomUUID()}`;
    const p = run({ HADOOP_ECO_SIM_CREDENTIAL_ID: 'fake-id', HADOOP_ECO_SIM_CREDENTIAL_SECRET: secret }, ['--port', '0', '--provision-ms', '10']);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${p.output()}`)), 15_000);
        createInterface(p.child.stdout).on('line', (line) => {
          const m = /listening on (http:\/\/\S+)/.exec(line);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      const ok = await fetch(`${url}/v2/hadoop-eco/clusters`, { headers: { 'credential-id': 'fake-id', 'credential-secret': secret } });
      expect(ok.status).toBe(200);
      const denied = await fetch(`${url}/v2/hadoop-eco/clusters`, { headers: { 'credential-id': 'fake-id', 'credential-secret': 'wrong' } });
      expect(denied.status).toBe(401);
    } finally {
      p.child.kill('SIGTERM');
    }
    expect(await p.exited).toBe(0);
    expect(p.output()).not.toContain(secret);
  });
});
