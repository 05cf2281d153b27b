// The stand-alone CLI: refuses to start without keys, prints its URL, never prints the secret key.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listeningUrl, runCli } from '../common/cli.ts';
import { sign } from './helpers.ts';

const CLI = fileURLToPath(new URL('../../../src/simulators/cdss/cli.ts', import.meta.url));

const run = (env: Record<string, string | undefined>, args: string[] = []) =>
  runCli(CLI, ['CDSS_SIM_ACCESS_KEY', 'CDSS_SIM_SECRET_KEY'], env, args);

describe('cdss simulator CLI', () => {
  it('refuses to start without both key variables', async () => {
    const p = run({ CDSS_SIM_ACCESS_KEY: 'FAKE-ACCESS' });
    expect(await p.exited).toBe(2);
    expect(p.output()).toMatch(/CDSS_SIM_SECRET_KEY must both be set/);
  });

  it('serves signed requests, prints the URL, and never prints the secret key', async () => {
    const accessKey = 'FAKE-ACCESS-cli';
    const secretKey = `fake-secret-${randomUUID()}`;
    const p = run({ CDSS_SIM_ACCESS_KEY: accessKey, CDSS_SIM_SECRET_KEY: secretKey }, ['--port', '0', '--provision-ms', '10']);
    try {
      const url = await listeningUrl(p);
      const uri = '/api/v1/cluster/getCDSSVersionList';
      const headers = (sk: string) => {
        const ts = String(Date.now());
        return {
          'x-ncp-apigw-timestamp': ts,
          'x-ncp-iam-access-key': accessKey,
          'x-ncp-apigw-signature-v2': sign('GET', uri, ts, accessKey, sk),
        };
      };
      expect((await fetch(`${url}${uri}`, { headers: headers(secretKey) })).status).toBe(200);
      expect((await fetch(`${url}${uri}`, { headers: headers('wrong') })).status).toBe(401);
    } finally {
      p.child.kill('SIGTERM');
    }
    expect(await p.exited).toBe(0);
    expect(p.output()).not.toContain(secretKey);
  });
});
