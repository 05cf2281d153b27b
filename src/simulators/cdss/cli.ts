// `npm run simulate:cdss -- --port 18081`: the CDSS simulator as a stand-alone server for demos
// and users' GitOps CI (architecture §4). The key pair comes only from the environment, so it
// never appears in a process list or shell history, and the secret key is never printed (the
// shared skeleton in ../common/cli.ts does that part).
import { runSimulatorCli, type CliArgs } from '../common/cli.ts';
import { startCdssSimulator, type CdssSimulatorOptions } from './index.ts';

const USAGE = `Usage: node src/simulators/cdss/cli.ts [options]

Environment (required):
  CDSS_SIM_ACCESS_KEY      access key the simulator accepts (x-ncp-iam-access-key)
  CDSS_SIM_SECRET_KEY      matching secret key (signs x-ncp-apigw-signature-v2)

Options:
  --host <addr>                  listen address (default 127.0.0.1)
  --port <n>                     listen port (default 0 = any free port)
  --provision-ms <n>             creating → running (default 1500)
  --scale-ms <n>                 broker scale-out (default 1000)
  --spec-change-ms <n>           node spec change (default: scale-ms)
  --config-apply-ms <n>          config group apply, a restart (default: scale-ms)
  --public-endpoint-ms <n>       broker public endpoint enable (default: scale-ms)
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

await runSimulatorCli({
  name: 'cdss simulator',
  usage: USAGE,
  flags: [
    'provision-ms',
    'scale-ms',
    'spec-change-ms',
    'config-apply-ms',
    'public-endpoint-ms',
    'upgrade-ms',
    'delete-ms',
    'time-scale',
    'clock-skew-ms',
    'business-error-status',
    'password-reset-path',
    'unknown-cluster-result',
  ],
  credentialEnv: ['CDSS_SIM_ACCESS_KEY', 'CDSS_SIM_SECRET_KEY'],
  // `args: CliArgs` spelled out: a never-returning `args.fail(…)` narrows only through an explicit type.
  prepare: (args: CliArgs, { id: accessKey, secret: secretKey }) => {
    const passwordResetPath = args.get('password-reset-path') ?? 'CMAK';
    if (passwordResetPath !== 'MGMT' && passwordResetPath !== 'CMAK' && passwordResetPath !== 'both')
      args.fail(`--password-reset-path must be MGMT, CMAK or both, got '${passwordResetPath}'`);
    const unknownClusterResult = args.get('unknown-cluster-result') ?? 'error';
    if (unknownClusterResult !== 'error' && unknownClusterResult !== 'null')
      args.fail(`--unknown-cluster-result must be error or null, got '${unknownClusterResult}'`);
    const businessStatus = args.num('business-error-status');
    if (businessStatus !== undefined && (!Number.isInteger(businessStatus) || businessStatus < 200 || businessStatus > 599))
      args.fail('--business-error-status must be an HTTP status (200-599)');
    // Typed, so the narrowed enum flags keep their literal types inside the object.
    const options: Omit<CdssSimulatorOptions, 'logger'> = {
      credentials: [{ accessKey, secretKey }],
      host: args.get('host'),
      port: args.num('port'),
      provisionMs: args.num('provision-ms'),
      scaleMs: args.num('scale-ms'),
      specChangeMs: args.num('spec-change-ms'),
      configApplyMs: args.num('config-apply-ms'),
      publicEndpointMs: args.num('public-endpoint-ms'),
      upgradeMs: args.num('upgrade-ms'),
      deleteMs: args.num('delete-ms'),
      timeScale: args.num('time-scale'),
      clockSkewMs: args.num('clock-skew-ms', true),
      businessErrorHttpStatus: businessStatus,
      passwordResetPath,
      unknownClusterResult,
      seed: args.num('seed'),
    };
    return (logger) => startCdssSimulator({ ...options, logger });
  },
  banner: (sim, accessKey) => [
    `cdss simulator listening on ${sim.url}`,
    `  API:   ${sim.baseUrl('KR')} (also /api/sgn-v1, /api/jpn-v1; access key ${accessKey}, secret key from CDSS_SIM_SECRET_KEY)`,
    `  admin: ${sim.url}/_admin/faults, /_admin/requests, /_admin/clusters, /_admin/clock, /_admin/config-groups, /_admin/load-balancers`,
  ],
});
