// Running a simulator's stand-alone CLI in a child process, as both CLI tests do: a clean
// environment without the credential variables (so the caller decides which are set), combined
// stdout+stderr for "never prints the secret" checks, and the URL from the `listening on` line.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface CliRun {
  child: ChildProcessByStdio<null, Readable, Readable>;
  exited: Promise<number | null>;
  /** Everything printed so far, stdout and stderr. */
  output(): string;
}

/** Spawns `cli` with `env` on top of this process's environment minus `credentialVars`. */
export function runCli(
  cli: string,
  credentialVars: readonly string[],
  env: Record<string, string | undefined>,
  args: string[] = [],
): CliRun {
  const clean = { ...process.env };
  for (const name of credentialVars) delete clean[name];
  const child = spawn(process.execPath, [cli, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

/** The URL the CLI prints once it listens; rejects after 15 s with what it printed instead. */
export function listeningUrl(p: CliRun): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${p.output()}`)), 15_000);
    createInterface(p.child.stdout).on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
}
