// `npm run simulate:hadoop-eco -- --port 18080`: the simulator as a stand-alone server for demos
// and users' GitOps CI (architecture §4). Credentials come only from the environment, so they
// never appear in a process list or shell history, and the secret is never printed (the shared
// skeleton in ../common/cli.ts does that part).
import { runSimulatorCli, type CliArgs } from '../common/cli.ts';
import { startHadoopEcoSimulator, type HadoopEcoSimulatorOptions, type ScaleInMethod } from './index.ts';

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

await runSimulatorCli({
  name: 'hadoop-eco simulator',
  usage: USAGE,
  flags: ['provision-ms', 'scale-ms', 'terminate-ms', 'job-ms', 'time-scale', 'scale-in-methods', 'job-outcome'],
  credentialEnv: ['HADOOP_ECO_SIM_CREDENTIAL_ID', 'HADOOP_ECO_SIM_CREDENTIAL_SECRET'],
  // `args: CliArgs` spelled out: a never-returning `args.fail(…)` narrows only through an explicit type.
  prepare: (args: CliArgs, { id: credentialId, secret: credentialSecret }) => {
    const scaleInMethods = (args.get('scale-in-methods') ?? 'POST,DELETE').split(',').map((m) => m.trim().toUpperCase());
    for (const m of scaleInMethods)
      if (m !== 'POST' && m !== 'DELETE') args.fail(`--scale-in-methods accepts POST and/or DELETE, got '${m}'`);
    const jobOutcome = args.get('job-outcome') ?? 'success';
    if (jobOutcome !== 'success' && jobOutcome !== 'failure') args.fail(`--job-outcome must be success or failure, got '${jobOutcome}'`);
    // Typed, so the narrowed enum flags keep their literal types inside the object.
    const options: Omit<HadoopEcoSimulatorOptions, 'logger'> = {
      credentials: [{ credentialId, credentialSecret }],
      host: args.get('host'),
      port: args.num('port'),
      provisionMs: args.num('provision-ms'),
      scaleMs: args.num('scale-ms'),
      terminateMs: args.num('terminate-ms'),
      jobMs: args.num('job-ms'),
      timeScale: args.num('time-scale'),
      scaleInMethods: scaleInMethods as ScaleInMethod[],
      jobOutcome,
      seed: args.num('seed'),
    };
    return (logger) => startHadoopEcoSimulator({ ...options, logger });
  },
  banner: (sim, credentialId) => [
    `hadoop-eco simulator listening on ${sim.url}`,
    `  API:   ${sim.url}/v2/hadoop-eco/clusters (Credential-ID ${credentialId}, secret from HADOOP_ECO_SIM_CREDENTIAL_SECRET)`,
    `  admin: ${sim.url}/_admin/faults, /_admin/requests, /_admin/clusters`,
  ],
});
