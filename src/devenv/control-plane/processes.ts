// Child-process bookkeeping for the control plane: log files instead of our terminal, readable
// errors when a binary dies during start, and a last-resort guard against orphans.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ManagedProcess {
  name: string;
  pid: number;
  logPath: string;
  child: ChildProcess;
  /** Settles when the process has exited (never rejects). */
  exited: Promise<void>;
  running(): boolean;
}

/** Every child still running, so the exit guard can kill them if we never get to stop(). */
const live = new Set<ManagedProcess>();
/** Temp dirs not yet removed by a stop(); the exit guard removes them too. */
const tempDirs = new Set<string>();
let guardInstalled = false;

export function trackTempDir(dir: string): void {
  installExitGuard();
  tempDirs.add(dir);
}

export function untrackTempDir(dir: string): void {
  tempDirs.delete(dir);
}

function installExitGuard(): void {
  if (guardInstalled) return;
  guardInstalled = true;
  // 'exit' handlers must be synchronous; SIGKILL needs no waiting and works on stopped processes.
  process.on('exit', () => {
    for (const p of live) {
      if (p.running()) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    for (const dir of tempDirs) {
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // best effort: a killed process may still be writing into it
      }
    }
  });
}

export function launch(name: string, bin: string, args: readonly string[], logPath: string): ManagedProcess {
  installExitGuard();
  // Appending keeps the log of an earlier run of the same process (e.g. before an apiserver restart).
  const fd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(bin, args, { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`failed to start ${name} (${bin})`);
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<void>((resolve) => {
    if (!running()) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const proc: ManagedProcess = { name, pid, logPath, child, exited, running };
  live.add(proc);
  void exited.then(() => live.delete(proc));
  return proc;
}

export function logTail(logPath: string, lines = 30): string {
  try {
    return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function describeExit(p: ManagedProcess): string {
  const { exitCode, signalCode } = p.child;
  return signalCode ? `was killed by ${signalCode}` : `exited with code ${String(exitCode)}`;
}

/** SIGTERM (or `signal`), then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function terminate(p: ManagedProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
  if (!p.running()) return p.exited;
  try {
    process.kill(p.pid, signal);
    // A SIGSTOPped process would hold a SIGTERM pending forever; let it receive it.
    if (signal !== 'SIGKILL') process.kill(p.pid, 'SIGCONT');
  } catch {
    return p.exited;
  }
  const timer = sleep(graceMs, 'timeout' as const);
  if ((await Promise.race([p.exited.then(() => 'exited' as const), timer])) === 'timeout' && p.running()) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // exited in the meantime
    }
  }
  return p.exited;
}

/**
 * Polls `check` until it returns true. Fails fast, with the tail of its log, if one of `watched`
 * exits meanwhile; fails after `timeoutMs` with the last check error and the logs' tails.
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  watched: readonly ManagedProcess[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    for (const p of watched) {
      if (!p.running()) {
        throw new Error(`${p.name} ${describeExit(p)} while waiting for ${what}; last lines of ${p.logPath}:\n${logTail(p.logPath)}`);
      }
    }
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      const logs = watched.map((p) => `--- ${p.name} (${p.logPath}):\n${logTail(p.logPath)}`).join('\n');
      throw new Error(
        `timed out after ${String(timeoutMs)} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}\n${logs}`,
      );
    }
    await sleep(100);
  }
}

/**
 * Finds `count` distinct free loopback ports by listening on port 0. All listeners stay open until
 * every port is known, so the ports differ; the small race with other programs is accepted.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const addr = s.address();
    if (addr === null || typeof addr === 'string') throw new Error('unexpected listen address');
    return addr.port;
  });
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}
