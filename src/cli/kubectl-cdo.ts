// kubectl-cdo: the operator's kubectl plugin (`kubectl cdo …` once bin/ is on the PATH, or
// `npm run cdo -- …`). Today: `plan`, the preview of a manifest (plan.ts).
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { registerClientNodeHook } from '../runtime/client-node-hook.ts';

const usage = `kubectl cdo: the cloud-data-operator kubectl plugin

Usage:
  kubectl cdo plan -f FILE [-f FILE …] [-n NAMESPACE] [-o text|json]
      What the operator would do if these manifests were applied, against the live
      resources and the cloud, without changing anything: the action a pass would take
      now, the status it would report, and every pending change with its disruption
      class and what it waits for (nothing, the cloud, the maintenance window, approval).
      -f -   reads standard input. Objects of other kinds are listed as skipped.
      Reads with your kubeconfig's rights (the resources, their Secrets) and the
      operator's cloud endpoint settings (CDO_* variables; the defaults are the real clouds).

  kubectl cdo --help

Docs: docs/changing-safely.md
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      filename: { type: 'string', short: 'f', multiple: true },
      namespace: { type: 'string', short: 'n' },
      output: { type: 'string', short: 'o', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(usage);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command !== 'plan') {
    process.stderr.write(`kubectl cdo: unknown command ${command}\n\n${usage}`);
    return 2;
  }
  if (!values.filename?.length) {
    process.stderr.write('kubectl cdo plan: -f FILE is required\n');
    return 2;
  }
  if (values.output !== 'text' && values.output !== 'json') {
    process.stderr.write(`kubectl cdo plan: -o must be text or json, not ${values.output}\n`);
    return 2;
  }
  registerClientNodeHook();
  const { KubeConfig } = await import('@kubernetes/client-node');
  const { KubeClient } = await import('../runtime/kube.ts');
  const { loadConfig } = await import('../config.ts');
  const { createLogger } = await import('../runtime/logger.ts');
  const { kinds } = await import('../resources/index.ts');
  const { plan, readManifests } = await import('./plan.ts');
  const { formatReport } = await import('./plan-report.ts');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  const context = kubeConfig.getContextObject(kubeConfig.getCurrentContext());
  const namespace = values.namespace ?? context?.namespace ?? 'default';
  const log = createLogger({ level: process.env['CDO_LOG_LEVEL'] ?? 'warn', destination: process.stderr, pretty: false });
  const client = new KubeClient({ kubeConfig, userAgent: 'kubectl-cdo' });
  const docs = await readManifests(values.filename, () => text(process.stdin));
  const { reports, skipped } = await plan({ client, config: loadConfig(process.env, []), log, kinds, namespace }, docs);
  if (values.output === 'json') process.stdout.write(`${JSON.stringify({ reports, skipped }, null, 2)}\n`);
  else {
    process.stdout.write(reports.map(formatReport).join('\n\n') + (reports.length ? '\n' : ''));
    if (skipped.length) process.stdout.write(`skipped (not the operator's kinds): ${skipped.join(', ')}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`kubectl cdo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
