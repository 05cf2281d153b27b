// `npm run simulate:hadoop-eco -- --port 18080`: the simulator as a stand-alone server for demos
// and users' GitOps CI (architecture §4). Credentials come only from the environment, so they
// never appear in a process list or shell history, and the secret is never printed.
import { parseArgs } from 'node:util';
import { createLogger } from '../../runtime/logger.ts';
import { startHadoopEcoSimulator, type ScaleInMethod } from './index.ts';

const USAGE = `Usage: node src/simulators/hadoop-eco/cli.ts [options]

Environment (required):
  HADOOP_ECO_SIM_CREDENTIAL_ID      access key id the simulator accepts (Credential-ID header)
  HADOOP_ECO_SIM_CREDENTIAL_SECRET  matching secret (Credential-Secret header)

Options:
  --host <addr>            listen address (default 127.0.0.1)
  --port <n>               listen port (default 0 = any free port)
  --provision-ms <n>       Initializing → Running (default 1500)
  --scale-ms <n>           duration of a scale-out/in (default 1000)
  --terminate-ms <n>       Terminating → Terminated (default 1000)
  --job-ms <n>             userTask job duration (default 1000)
  --time-scale <x>         multiply all delays (default 1)
  --scale-in-methods <m>   comma list of POST,DELETE accepted on scale-in (default POST,DELETE)
  --job-outcome <o>        success | failure (default success)
  --seed <n>               seed for ids and fault draws
  --log-level <level>      pino level (default info)
  -h, --help               this text
`;

function fail(message: string): never {
  process.stderr.write(`hadoop-eco simulator: ${message}\n`);
  process.exit(2);
}

function num(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a non-negative number, got '${raw}'`);
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'provision-ms': { type: 'string' },
      'scale-ms': { type: 'string' },
      'terminate-ms': { type: 'string' },
      'job-ms': { type: 'string' },
      'time-scale': { type: 'string' },
      'scale-in-methods': { type: 'string' },
      'job-outcome': { type: 'string' },
      seed: { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
} catch (err) {
  fail(`${(err as Error).message}\n\n${USAGE}`);
}

if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const credentialId = process.env['HADOOP_ECO_SIM_CREDENTIAL_ID'];
const credentialSecret = process.env['HADOOP_ECO_SIM_CREDENTIAL_SECRET'];
if (!credentialId || !credentialSecret) {
  fail('HADOOP_ECO_SIM_CREDENTIAL_ID and HADOOP_ECO_SIM_CREDENTIAL_SECRET must both be set (refusing to start without credentials)');
}

const scaleInMethods = (args['scale-in-methods'] ?? 'POST,DELETE').split(',').map((m) => m.trim().toUpperCase());
for (const m of scaleInMethods) if (m !== 'POST' && m !== 'DELETE') fail(`--scale-in-methods accepts POST and/or DELETE, got '${m}'`);
const jobOutcome = args['job-outcome'] ?? 'success';
if (jobOutcome !== 'success' && jobOutcome !== 'failure') fail(`--job-outcome must be success or failure, got '${jobOutcome}'`);

// Logs go to stderr so stdout carries only the URL lines a script may parse.
const logger = createLogger({ level: args['log-level'] ?? 'info', destination: process.stderr, pretty: Boolean(process.stderr.isTTY), base: { component: 'hadoop-eco-simulator' } });

const sim = await startHadoopEcoSimulator({
  credentials: [{ credentialId, credentialSecret }],
  host: args.host,
  port: num('port', args.port),
  provisionMs: num('provision-ms', args['provision-ms']),
  scaleMs: num('scale-ms', args['scale-ms']),
  terminateMs: num('terminate-ms', args['terminate-ms']),
  jobMs: num('job-ms', args['job-ms']),
  timeScale: num('time-scale', args['time-scale']),
  scaleInMethods: scaleInMethods as ScaleInMethod[],
  jobOutcome,
  seed: num('seed', args.seed),
  logger,
});

process.stdout.write(`hadoop-eco simulator listening on ${sim.url}\n`);
process.stdout.write(`  API:   ${sim.url}/v2/hadoop-eco/clusters (Credential-ID ${credentialId}, secret from HADOOP_ECO_SIM_CREDENTIAL_SECRET)\n`);
process.stdout.write(`  admin: ${sim.url}/_admin/faults, /_admin/requests, /_admin/clusters\n`);

let stopping = false;
const shutdown = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'hadoop-eco simulator: stopping');
  sim.close().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'hadoop-eco simulator: close failed');
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
