// kubectl-cdo: the operator's kubectl plugin (`kubectl cdo …` once bin/ is on the PATH, or
// `npm run cdo -- …`): `plan` (plan.ts), `import` (import.ts), `status` (status.ts). Every command
// only reads, with the caller's kubeconfig and the operator's cloud endpoint settings.
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { registerClientNodeHook } from '../runtime/client-node-hook.ts';
import { importKinds, isImportKind, type ImportKind } from './import-kinds.ts';

const settingsNote = `      Reads with your kubeconfig's rights, and the operator's cloud endpoint settings
      (CDO_* variables, e.g. CDO_KAKAOCLOUD_ENDPOINTS, CDO_NCLOUD_SITE; the defaults are the real clouds).`;

const usages = {
  plan: `  kubectl cdo plan -f FILE [-f FILE …] [-n NAMESPACE] [-o text|json]
      What the operator would do if these manifests were applied, against the live
      resources and the cloud, without changing anything: the action a pass would take
      now, the status it would report, and every pending change with its disruption
      class and what it waits for (nothing, the cloud, the maintenance window, approval).
      -f -   reads standard input. Objects of other kinds are listed as skipped.
${settingsNote}
      Docs: docs/changing-safely.md`,
  import: `  kubectl cdo import hadoop-eco|kafka CLUSTER --secret SECRET [-n NAMESPACE] [--region REGION] [--name NAME]
      Prints a manifest that adopts an existing cloud cluster: spec.clusterId (the Hadoop Eco id,
      the CDSS serviceGroupInstanceNo) and every spec field from what the cloud reports, so that
      applied, the operator changes nothing. CLUSTER is the cluster's id or its name (a name
      must match exactly one cluster). SECRET is the credentials Secret in NAMESPACE, in the
      operator's format (docs/credentials.md); the manifest names it. Passwords, which the cloud
      never returns, become Secret references with a comment saying what to create. The
      deletionPolicy is Retain: deleting the resource leaves the cluster.
      --region   kr-central-2 (default) or kr-central-1; KR (default), SGN, JPN, KRS or FKR for kafka.
      --name     metadata.name of the resource (default: the cloud cluster's name).
${settingsNote}
      Docs: docs/kubectl-cdo.md, docs/operations.md#adoption`,
  status: `  kubectl cdo status [KIND/NAME] [-n NAMESPACE | -A]
      KIND/NAME (e.g. hec/sales, kafkacluster/events, nkafka/events): the resource's phase, its
      conditions (Ready, Reconciling, Stalled, then SpecApplied, Healthy …), its cloud cluster (id, status,
      counts, URLs or bootstrap servers), its pending changes, its last Events, and when it is
      Stalled what to do. Without an argument: a table of every resource of the operator's kinds
      in the namespace (-A: in every namespace).
      Docs: docs/kubectl-cdo.md, docs/operations.md#stalled-reasons`,
} as const;

type Command = keyof typeof usages;
const commands = Object.keys(usages) as Command[];

const usage = `kubectl cdo: the cloud-data-operator kubectl plugin

Usage:
${commands.map((c) => usages[c]).join('\n\n')}

  kubectl cdo [COMMAND] --help
`;

const usageOf = (command: Command) => `Usage:\n${usages[command]}\n`;

/** A usage error: the message and the command's usage, exit code 2. */
class UsageError extends Error {
  readonly command: Command | undefined;
  constructor(message: string, command?: Command) {
    super(message);
    this.command = command;
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        filename: { type: 'string', short: 'f', multiple: true },
        namespace: { type: 'string', short: 'n' },
        'all-namespaces': { type: 'boolean', short: 'A' },
        output: { type: 'string', short: 'o', default: 'text' },
        secret: { type: 'string' },
        region: { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (command === undefined || command === 'help') {
    process.stdout.write(usage);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (!commands.includes(command as Command)) throw new UsageError(`unknown command ${command}`);
  const cmd = command as Command;
  if (values.help) {
    process.stdout.write(usageOf(cmd));
    return 0;
  }
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new UsageError(message, cmd);
  };
  if (cmd === 'plan') {
    check(Boolean(values.filename?.length), '-f FILE is required');
    check(values.output === 'text' || values.output === 'json', `-o must be text or json, not ${values.output}`);
  }
  if (cmd === 'import') {
    check(isImportKind(args[0]), `the kind must be ${importKinds.join(' or ')}, not ${args[0] ?? 'missing'}`);
    check(args.length === 2, 'expected one cluster id or name');
    check(Boolean(values.secret), '--secret SECRET (the credentials Secret) is required');
  }
  if (cmd === 'status') {
    check(args.length <= 1, 'expected at most one KIND/NAME');
    check(!(values['all-namespaces'] && args.length), '-A lists every resource; it takes no KIND/NAME');
  }

  registerClientNodeHook();
  const { KubeConfig } = await import('@kubernetes/client-node');
  const { KubeClient } = await import('../runtime/kube.ts');
  const { loadConfig } = await import('../config.ts');
  const { createLogger } = await import('../runtime/logger.ts');
  const { kinds } = await import('../resources/index.ts');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  const context = kubeConfig.getContextObject(kubeConfig.getCurrentContext());
  const namespace = values.namespace ?? context?.namespace ?? 'default';
  const log = createLogger({ level: process.env['CDO_LOG_LEVEL'] ?? 'warn', destination: process.stderr, pretty: false });
  const client = new KubeClient({ kubeConfig, userAgent: 'kubectl-cdo' });
  const config = () => loadConfig(process.env, []);

  if (cmd === 'plan') {
    const { plan, readManifests } = await import('./plan.ts');
    const { formatReport } = await import('./plan-report.ts');
    const docs = await readManifests(values.filename!, () => text(process.stdin));
    const { reports, skipped } = await plan({ client, config: config(), log, kinds, namespace }, docs);
    if (values.output === 'json') process.stdout.write(`${JSON.stringify({ reports, skipped }, null, 2)}\n`);
    else {
      process.stdout.write(reports.map(formatReport).join('\n\n') + (reports.length ? '\n' : ''));
      if (skipped.length) process.stdout.write(`skipped (not the operator's kinds): ${skipped.join(', ')}\n`);
    }
  } else if (cmd === 'import') {
    const { importCluster } = await import('./import.ts');
    const { renderImportManifest } = await import('./import-manifest.ts');
    const result = await importCluster(
      { client, config: config(), log, namespace },
      { kind: args[0] as ImportKind, cluster: args[1]!, secret: values.secret!, region: values.region, name: values.name },
    );
    process.stdout.write(renderImportManifest(result));
  } else {
    const { statusOf, statusTable } = await import('./status.ts');
    const out = args[0]
      ? await statusOf(client, kinds, namespace, args[0])
      : await statusTable(client, kinds, values['all-namespaces'] ? undefined : namespace);
    process.stdout.write(`${out}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(
        `kubectl cdo${err.command ? ` ${err.command}` : ''}: ${err.message}\n\n${err.command ? usageOf(err.command) : usage}`,
      );
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`kubectl cdo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
