// The operator's settings as a list (environment variable, flag, default, meaning), from the zod
// configuration schema in config.ts: `node src/main.ts --help` prints it and docs/configuration.md
// is generated from it (scripts/gen-config-docs.ts), so a new setting shows in both at once.
import { z } from 'zod';
import { configSchema, flagName } from './config.ts';

export interface Setting {
  env: string;
  flag: string;
  /** The default as a user would write it; undefined when there is none. */
  default: string | undefined;
  description: string;
}

export function settings(): Setting[] {
  return Object.entries(configSchema.shape).map(([env, schema]) => {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { default?: string | number | boolean };
    return {
      env,
      flag: `--${flagName(env)}`,
      default: json.default === undefined ? undefined : String(json.default),
      description: schema.description ?? '',
    };
  });
}

/** `--help` / `-h` among the operator's arguments. */
export const wantsHelp = (argv: readonly string[]): boolean => argv.includes('--help') || argv.includes('-h');

export function operatorUsage(): string {
  const lines = [
    'cloud-data-operator: reconciles HadoopEcoCluster (KakaoCloud Hadoop Eco), KafkaCluster and',
    'KafkaConfigGroup (NAVER Cloud Data Streaming Service) resources.',
    '',
    'Usage: node src/main.ts [--SETTING=VALUE …]   (in the image: node dist/main.js …)',
    '',
    'Every setting is an environment variable; the flag of the same name overrides it. The',
    'Kubernetes connection comes from KUBECONFIG, ~/.kube/config or the pod service account.',
    'Docs: docs/configuration.md',
    '',
    'Settings:',
  ];
  for (const s of settings()) {
    const def = s.default === undefined ? '' : ` (default: ${s.default === '' ? 'empty' : s.default})`;
    lines.push(`  ${s.flag}=VALUE, ${s.env}${def}`, `      ${s.description}`);
  }
  return `${lines.join('\n')}\n`;
}
