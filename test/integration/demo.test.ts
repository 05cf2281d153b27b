// The README's first command works: `npm run demo` (here with --exit-when-ready) starts a local
// control plane, the simulators and the operator, applies the samples, and they all settle. Then
// it asks the Kafka sample for a rolling upgrade with a closed maintenance window, and `kubectl get`
// shows the change waiting: its id in the Pending column, the window's opening in Next Window.
// Ctrl-C at any moment (while the control plane starts, while the samples settle, while it asks
// for the held change) exits 0 without a stack trace and leaves no process or directory behind.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstBuildEstimate } from '../../src/devenv/control-plane/index.ts';

const demoScript = fileURLToPath(new URL('../../scripts/demo.ts', import.meta.url));

/** Command lines of every process on the machine that mention `text` (their args name their data dirs). */
async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((e) => /^\d+$/.test(e))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) found.push(`${pid}: ${cmdline.replaceAll('\0', ' ')}`);
  }
  return found;
}

/**
 * Runs the demo with a TMPDIR of its own (where its control plane keeps its data), sends SIGINT to
 * it and its children as soon as its output matches `moment`, and returns how it ended and what it left in that TMPDIR.
 */
async function interruptDemo(moment: RegExp) {
  const tmp = await mkdtemp(join(tmpdir(), 'cdo-demo-sigint-'));
  try {
    // Its own process group, signalled as a whole: what Ctrl-C in a terminal does (the operator,
    // kubectl and the control plane get SIGINT too, and may exit before the demo's handler runs).
    const child = spawn(process.execPath, [demoScript], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let sent = false;
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!sent && moment.test(out)) {
        sent = true;
        process.kill(-child.pid!, 'SIGINT');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    return { sent, code, signal, out, leftFiles: await readdir(tmp), leftProcesses: await processesMentioning(tmp) };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

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
    // The first-build time it announces is the build script's own estimate (README.md quotes it too).
    expect(out).toContain(`the first run on a machine builds it first: ${firstBuildEstimate()}, with progress below`);
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

  for (const [when, moment] of [
    ['while the control plane starts', /Starting the local control plane/],
    ['while the samples settle', /Applied \S+/],
    ['while it asks for the held change', /Every sample resource is Ready/],
  ] as const) {
    it(`exits 0 on Ctrl-C ${when}, leaving nothing behind`, { timeout: 180_000 }, async () => {
      const { sent, code, signal, out, leftFiles, leftProcesses } = await interruptDemo(moment);
      expect(sent, out).toBe(true);
      expect({ code, signal }, out).toEqual({ code: 0, signal: null });
      expect(out).toContain('Stopping the demo');
      expect(out).not.toMatch(/^\s+at /m); // no stack trace
      expect(out).not.toMatch(/error|unexpectedly/i);
      expect(leftFiles).toEqual([]);
      expect(leftProcesses).toEqual([]);
    });
  }
});
