// The README's first command works: `npm run demo` (here with --exit-when-ready) starts a local
// control plane, the simulators and the operator, applies the samples, and they all settle. Then
// it asks the Kafka sample for a rolling upgrade with a closed maintenance window, and `kubectl get`
// shows the change waiting: its id in the Pending column, the window's opening in Next Window.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('demo command', () => {
  it('brings every sample resource to Ready, then shows a change held for its maintenance window', { timeout: 240_000 }, async () => {
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
    expect(out).toMatch(/events-kafka\s+3\.7\.1\s+3\s+Running\s+True\s+Running\s+(\S+:9092,){2}\S+:9092/);
    // The Kafka sample runs with the settings of its KafkaConfigGroup, which lists it as a user.
    expect(out).toMatch(/events-cfg-371\s+\d+\s+3713006\s+Running\s+True\s+Ready\s+events-kafka/);

    // The held change, in `kubectl get cdo -A` (Pending, Next Window) and `-o wide` (Held); the
    // cluster stays Ready, still on 3.7.1, and the demo says how to look at it and approve it.
    const row =
      /kafkacluster\.ncloud\.cdo\.dev\/events-kafka\s+3\.7\.1\s+3\s+Running\s+True\s+Running\s+(u-[0-9a-f]{6})\s+(\S+)\s+\S+:9092/.exec(
        out,
      );
    expect(row, out).not.toBeNull();
    const [, id, opens] = row!;
    expect(opens).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
    expect(Date.parse(opens!)).toBeGreaterThan(Date.now() - 60_000);
    expect(out).toMatch(
      new RegExp(`\\nevents-kafka\\s+3\\.7\\.1\\s+3\\s+Running\\s+True\\s+Running\\s+${id}\\s+${opens}\\s+AwaitingMaintenanceWindow\\s`),
    );
    expect(out).toContain(`Upgrade ${id} (Kafka 3713006 → Kafka 3903006`);
    expect(out).toContain("kubectl get nkafka events-kafka -o jsonpath='{.status.pendingChanges}'");
    expect(out).toContain(`kubectl annotate --overwrite nkafka/events-kafka cdo.dev/approve=${id}`);
  });
});
