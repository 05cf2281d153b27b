// The stand-alone CLI: refuses to start without credentials, prints its URL, never prints the secret.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listeningUrl, runCli } from '../common/cli.ts';

const CLI = fileURLToPath(new URL('../../../src/simulators/hadoop-eco/cli.ts', import.meta.url));

const run = (env: Record<string, string | undefined>, args: string[] = []) =>
  runCli(CLI, ['HADOOP_ECO_SIM_CREDENTIAL_ID', 'HADOOP_ECO_SIM_CREDENTIAL_SECRET'], env, args);

describe('hadoop-eco simulator CLI', () => {
  it('refuses to start without both credential variables', async () => {
    const p = run({ HADOOP_ECO_SIM_CREDENTIAL_ID: 'fake-id' });
    expect(await p.exited).toBe(2);
    expect(p.output()).toMatch(/HADOOP_ECO_SIM_CREDENTIAL_SECRET must both be set/);
  });

  it('serves on the given port, prints the URL, and never prints the secret', async () => {
    const secret = `fake-secret-${randomUUID()}`;
    const p = run({ HADOOP_ECO_SIM_CREDENTIAL_ID: 'fake-id', HADOOP_ECO_SIM_CREDENTIAL_SECRET: secret }, [
      '--port',
      '0',
      '--provision-ms',
      '10',
    ]);
    try {
      const url = await listeningUrl(p);
      const ok = await fetch(`${url}/v2/hadoop-eco/clusters`, { headers: { 'credential-id': 'fake-id', 'credential-secret': secret } });
      expect(ok.status).toBe(200);
      const denied = await fetch(`${url}/v2/hadoop-eco/clusters`, {
        headers: { 'credential-id': 'fake-id', 'credential-secret': 'wrong' },
      });
      expect(denied.status).toBe(401);
    } finally {
      p.child.kill('SIGTERM');
    }
    expect(await p.exited).toBe(0);
    expect(p.output()).not.toContain(secret);
  });
});
