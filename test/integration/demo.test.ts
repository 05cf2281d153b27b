// The README's first command works: `npm run demo` (here with --exit-when-ready) starts a local
// control plane, the simulators and the operator, applies the samples, and they all settle.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('demo command', () => {
  it('brings every sample resource to Ready', { timeout: 240_000 }, async () => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('../../scripts/demo.ts', import.meta.url)), '--exit-when-ready'], {
      env: { ...process.env, CDO_DEMO_TIMEOUT_MS: '180000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, out).toBe(0);
    expect(out).toContain('export KUBECONFIG=');
    expect(out).toContain('Every sample resource is Ready');
    for (const name of ['hive-job-cluster', 'spark-job-cluster', 'test-cluster']) {
      expect(out).toMatch(new RegExp(`${name}\\s+hadoop\\s+hde-2\\.0\\.1\\s+\\d+\\s+(Running|Completed)`));
    }
    expect(out).toMatch(/events-kafka\s+3\.7\.1\s+3\s+Running\s+True\s+(\S+:9092,){2}\S+:9092/);
    // The Kafka sample runs with the settings of its KafkaConfigGroup, which lists it as a user.
    expect(out).toMatch(/events-cfg-371\s+\d+\s+3713006\s+Running\s+True\s+events-kafka/);
  });
});
