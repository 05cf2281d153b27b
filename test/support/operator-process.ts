// Runs an operator entry point as a child process (on the same Node as the tests), with its JSON
// log lines parsed so tests can wait for what it says, and its /metrics and /readyz reachable.
// Metrics are plain HTTP here (CDO_METRICS_SECURE=false) unless a test asks for the secure server
// (test/integration/deploy/secure-metrics.test.ts does).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LOCAL_OPERATOR_ENV } from '../../src/devenv/local-operator.ts';

export interface LogLine {
  msg?: string;
  level?: number;
  [k: string]: unknown;
}

export class OperatorProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  readonly name: string;
  private waiters: Array<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(name: string, entry: string, env: Record<string, string>) {
    this.name = name;
    this.child = spawn(process.execPath, [fileURLToPath(new URL(entry, import.meta.url))], {
      env: {
        ...process.env,
        ...LOCAL_OPERATOR_ENV,
        CDO_HTTP_HOST: '127.0.0.1',
        POD_NAME: name,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onLine = (raw: string) => {
      let line: LogLine;
      try {
        line = JSON.parse(raw) as LogLine;
      } catch {
        line = { msg: raw };
      }
      this.lines.push(line);
      if (process.env['TEST_OPERATOR_LOGS']) console.log(`[${name}] ${raw}`);
      this.waiters = this.waiters.filter((w) => (w.match(line) ? (w.resolve(line), false) : true));
    };
    createInterface(this.child.stdout!).on('line', onLine);
    createInterface(this.child.stderr!).on('line', onLine);
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the first log line (past or future) matching `match`. */
  waitForLog(match: (l: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: no matching log line within ${timeoutMs} ms; last lines:\n${this.tail()}`)),
        timeoutMs,
      );
      this.waiters.push({ match, resolve: (l) => (clearTimeout(timer), resolve(l)) });
    });
  }

  tail(n = 20): string {
    return this.lines
      .slice(-n)
      .map((l) => JSON.stringify(l))
      .join('\n');
  }

  /** The port of /healthz and /readyz. */
  async port(): Promise<number> {
    const line = await this.waitForLog((l) => typeof l['port'] === 'number' && l.msg === 'serving /healthz and /readyz');
    return line['port'] as number;
  }

  /** The port of /metrics, and its scheme. */
  async metricsEndpoint(): Promise<{ port: number; scheme: string }> {
    const line = await this.waitForLog((l) => typeof l['port'] === 'number' && l.msg === 'serving /metrics');
    return { port: line['port'] as number, scheme: line['scheme'] as string };
  }

  /** GET of a probe or, for /metrics, of the (plain) metrics server. */
  async get(path: string): Promise<{ status: number; body: string }> {
    const port = path === '/metrics' ? (await this.metricsEndpoint()).port : await this.port();
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, body: await res.text() };
  }

  /** The value of one metric series from /metrics (0 when absent). */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const { body } = await this.get('/metrics');
    let sum = 0;
    for (const line of body.split('\n')) {
      if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
      if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.split(' ').pop());
    }
    return sum;
  }

  count(msg: string): number {
    return this.lines.filter((l) => l.msg === msg).length;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Polls `check` until it returns a truthy value (returned) or the time runs out (throws the last error). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 30_000, intervalMs = 200): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      last = new Error('condition not met');
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw last instanceof Error ? last : new Error(String(last));
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * The operator itself (src/main.ts), as child processes watching one test namespace with fast
 * polls and without leader election, pointed at a test's simulators by `env`.
 */
export function operatorsFor(kubeconfigPath: string, namespace: string, env: Record<string, string>) {
  const started: OperatorProcess[] = [];
  return {
    start(name: string): OperatorProcess {
      const op = new OperatorProcess(name, '../../src/main.ts', {
        KUBECONFIG: kubeconfigPath,
        CDO_LEADER_ELECT: 'false',
        CDO_WATCH_NAMESPACES: namespace,
        CDO_POLL_BUSY: '1',
        CDO_POLL_STEADY: '5',
        CDO_LOG_LEVEL: 'debug',
        ...env,
      });
      started.push(op);
      return op;
    },
    async stopAll(): Promise<void> {
      await Promise.all(started.map((o) => o.stop()));
    },
  };
}
