// The stand-alone simulator CLI skeleton (`npm run simulate:<cloud>`): flag parsing, --help, the
// credential pair from the environment (never from flags, so it stays out of process lists and
// shell history; the secret is never printed), a logger on stderr (stdout carries only the URL
// lines a script may parse), and a clean close on SIGINT/SIGTERM. Each simulator supplies its own
// flags, validation and banner.
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { createLogger } from '../../runtime/logger.ts';

/** Flags every simulator CLI takes, besides its own string flags. */
const COMMON_FLAGS = ['host', 'port', 'seed', 'log-level'] as const;

export interface CliArgs {
  /** A string flag's raw value. */
  get(flag: string): string | undefined;
  /** A numeric flag; exits 2 unless finite (and non-negative unless allowNegative). */
  num(flag: string, allowNegative?: boolean): number | undefined;
  /** Prints `<name>: message` to stderr and exits 2. */
  fail(message: string): never;
}

/** The pair read from the environment. */
export interface CliCredential {
  id: string;
  secret: string;
}

export interface SimulatorCli<S extends { url: string; close(): Promise<void> }> {
  /** e.g. 'cdss simulator': message prefix; its dashed form is the log component. */
  name: string;
  usage: string;
  /** The simulator's own string flags (host, port, seed, log-level and -h/--help are common). */
  flags: readonly string[];
  /** [id variable, secret variable]; both must be set and non-empty. */
  credentialEnv: readonly [string, string];
  /**
   * Validates the simulator's own flags, then returns how to start it; runs before the logger
   * exists, so a bad flag exits 2 without log noise.
   */
  prepare(args: CliArgs, credential: CliCredential): (logger: Logger) => Promise<S>;
  /**
   * Lines printed to stdout once listening; the first must contain `listening on <url>`. Gets the
   * credential id only, so a banner cannot print the secret.
   */
  banner(sim: S, credentialId: string): string[];
}

export async function runSimulatorCli<S extends { url: string; close(): Promise<void> }>(cli: SimulatorCli<S>): Promise<void> {
  function fail(message: string): never {
    process.stderr.write(`${cli.name}: ${message}\n`);
    process.exit(2);
  }

  const options: Record<string, { type: 'string' } | { type: 'boolean'; short: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const flag of [...COMMON_FLAGS, ...cli.flags]) options[flag] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ options, strict: true }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n\n${cli.usage}`);
  }

  if (values['help'] === true) {
    process.stdout.write(cli.usage);
    process.exit(0);
  }

  const [idVar, secretVar] = cli.credentialEnv;
  const id = process.env[idVar];
  const secret = process.env[secretVar];
  if (!id || !secret) fail(`${idVar} and ${secretVar} must both be set (refusing to start without credentials)`);

  const get = (flag: string): string | undefined => {
    const v = values[flag];
    return typeof v === 'string' ? v : undefined;
  };
  const args: CliArgs = {
    get,
    fail,
    num: (flag, allowNegative = false) => {
      const raw = get(flag);
      if (raw === undefined) return undefined;
      const n = Number(raw);
      if (!Number.isFinite(n) || (!allowNegative && n < 0))
        fail(`--${flag} must be a ${allowNegative ? '' : 'non-negative '}number, got '${raw}'`);
      return n;
    },
  };
  const start = cli.prepare(args, { id, secret });

  const logger = createLogger({
    level: get('log-level') ?? 'info',
    destination: process.stderr,
    pretty: Boolean(process.stderr.isTTY),
    base: { component: cli.name.replaceAll(' ', '-') },
  });
  const sim = await start(logger);
  for (const line of cli.banner(sim, id)) process.stdout.write(`${line}\n`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${cli.name}: stopping`);
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, `${cli.name}: close failed`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
