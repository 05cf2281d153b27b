// `npm run simulate:cdss -- --port 18081`: the CDSS simulator as a stand-alone server for demos
// and users' GitOps CI (architecture §4). The key pair comes only from the environment, so it
// never appears in a process list or shell history, and the secret key is never printed.
import { parseArgs } from 'node:util';
import { createLogger } from '../../runtime/logger.ts';
import { startCdssSimulator } from './index.ts';

const USAGE = `Usage: node src/simulators/cdss/cli.ts [options]

Environment (required):
  CDSS_SIM_ACCESS_KEY      access key the simulator accepts (x-ncp-iam-access-key)
  CDSS_SIM_SECRET_KEY      matching secret key (signs x-ncp-apigw-signature-v2)

Options:
  --host <addr>                  listen address (default 127.0.0.1)
  --port <n>                     listen port (default 0 = any free port)
  --provision-ms <n>             creating → running (default 1500)
  --scale-ms <n>                 broker scale-out / public endpoint / config group apply (default 1000)
  --upgrade-ms <n>               whole rolling upgrade (default 2000)
  --delete-ms <n>                deleting → return (default 1000)
  --time-scale <x>               multiply all delays (default 1)
  --clock-skew-ms <n>            gateway clock offset, may be negative (default 0)
  --business-error-status <n>    HTTP status of business errors (default 400)
  --password-reset-path <p>      MGMT | CMAK | both (default CMAK)
  --unknown-cluster-result <r>   error | null: C5 for an unknown id (default error)
  --seed <n>                     seed for ids and fault draws
  --log-level <level>            pino level (default info)
  -h, --help                     this text
`;

function fail(message: string): never {
  process.stderr.write(`cdss simulator: ${message}\n`);
  process.exit(2);
}

function num(name: string, raw: string | undefined, allowNegative = false): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || (!allowNegative && n < 0)) fail(`--${name} must be a ${allowNegative ? '' : 'non-negative '}number, got '${raw}'`);
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
      'upgrade-ms': { type: 'string' },
      'delete-ms': { type: 'string' },
      'time-scale': { type: 'string' },
      'clock-skew-ms': { type: 'string' },
      'business-error-status': { type: 'string' },
      'password-reset-path': { type: 'string' },
      'unknown-cluster-result': { type: 'string' },
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

const accessKey = process.env['CDSS_SIM_ACCESS_KEY'];
const secretKey = process.env['CDSS_SIM_SECRET_KEY'];
if (!accessKey || !secretKey) fail('CDSS_SIM_ACCESS_KEY and CDSS_SIM_SECRET_KEY must both be set (refusing to start without credentials)');

const passwordResetPath = args['password-reset-path'] ?? 'CMAK';
if (passwordResetPath !== 'MGMT' && passwordResetPath !== 'CMAK' && passwordResetPath !== 'both') fail(`--password-reset-path must be MGMT, CMAK or both, got '${passwordResetPath}'`);
const unknownClusterResult = args['unknown-cluster-result'] ?? 'error';
if (unknownClusterResult !== 'error' && unknownClusterResult !== 'null') fail(`--unknown-cluster-result must be error or null, got '${unknownClusterResult}'`);
const businessStatus = num('business-error-status', args['business-error-status']);
if (businessStatus !== undefined && (!Number.isInteger(businessStatus) || businessStatus < 200 || businessStatus > 599)) fail('--business-error-status must be an HTTP status (200-599)');

// Logs go to stderr so stdout carries only the URL lines a script may parse.
const logger = createLogger({ level: args['log-level'] ?? 'info', destination: process.stderr, pretty: Boolean(process.stderr.isTTY), base: { component: 'cdss-simulator' } });

const sim = await startCdssSimulator({
  credentials: [{ accessKey, secretKey }],
  host: args.host,
  port: num('port', args.port),
  provisionMs: num('provision-ms', args['provision-ms']),
  scaleMs: num('scale-ms', args['scale-ms']),
  upgradeMs: num('upgrade-ms', args['upgrade-ms']),
  deleteMs: num('delete-ms', args['delete-ms']),
  timeScale: num('time-scale', args['time-scale']),
  clockSkewMs: num('clock-skew-ms', args['clock-skew-ms'], true),
  businessErrorHttpStatus: businessStatus,
  passwordResetPath,
  unknownClusterResult,
  seed: num('seed', args.seed),
  logger,
});

process.stdout.write(`cdss simulator listening on ${sim.url}\n`);
process.stdout.write(`  API:   ${sim.baseUrl('KR')} (also /api/sgn-v1, /api/jpn-v1; access key ${accessKey}, secret key from CDSS_SIM_SECRET_KEY)\n`);
process.stdout.write(`  admin: ${sim.url}/_admin/faults, /_admin/requests, /_admin/clusters, /_admin/clock\n`);

let stopping = false;
const shutdown = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'cdss simulator: stopping');
  sim.close().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'cdss simulator: close failed');
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
