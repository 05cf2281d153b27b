// Operator configuration: environment variables, each overridable by a `--flag` of the same name
// in kebab case (CDO_WATCH_NAMESPACES ↔ --watch-namespaces). Validated with zod in one place, so a
// typo fails at start with a message naming the setting, not later with a confusing error.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const seconds = (def: number) => z.coerce.number().positive().default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configSchema = z.object({
  CDO_WATCH_NAMESPACES: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    )
    .describe('Comma-separated namespaces to watch; empty watches all namespaces.'),
  CDO_LEADER_ELECT: bool(true).describe('Run leader election so only one replica reconciles.'),
  CDO_LEADER_ELECTION_NAMESPACE: z.string().optional().describe('Namespace of the Lease; defaults to POD_NAMESPACE.'),
  CDO_LEASE_NAME: z.string().default('cloud-data-operator').describe('Name of the Lease.'),
  CDO_LEASE_DURATION: seconds(15).describe('Seconds a standby waits after the last renewal before taking over.'),
  CDO_RENEW_DEADLINE: seconds(10).describe('Seconds the leader keeps trying to renew before it gives up leading.'),
  CDO_RETRY_PERIOD: seconds(2).describe('Seconds between lease attempts.'),
  POD_NAME: z.string().optional().describe('Identity in the Lease and in Events (Downward API); defaults to hostname.'),
  POD_NAMESPACE: z.string().default('cloud-data-operator-system').describe('Namespace the operator runs in (Downward API).'),
  CDO_HTTP_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8080)
    .describe("Port of /healthz and /readyz, plain HTTP for the kubelet's probes (0 = any free port)."),
  CDO_HTTP_HOST: z.string().default('0.0.0.0').describe('Address the probe and metrics servers bind to.'),
  CDO_METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8443)
    .describe('Port of /metrics, HTTPS or (CDO_METRICS_SECURE=false) HTTP (0 = any free port).'),
  // Secure by default, as kubebuilder's scaffold is since controller-runtime 0.16: the metrics say
  // which resources exist in which namespaces and how the operator fares, not for everyone.
  CDO_METRICS_SECURE: bool(true).describe(
    'Serve /metrics over HTTPS to callers allowed `get` on /metrics (TokenReview + SubjectAccessReview); false: plain HTTP, no authentication.',
  ),
  CDO_METRICS_CERT_DIR: z
    .string()
    .optional()
    .describe(
      'Directory with tls.crt and tls.key for /metrics (a mounted kubernetes.io/tls Secret), reloaded when they change; unset: a self-signed certificate made at start.',
    ),
  CDO_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info').describe('Log level.'),
  CDO_LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto').describe('json, pretty, or auto (pretty in a terminal).'),
  CDO_WORKERS: z.coerce.number().int().min(1).max(64).default(4).describe('Concurrent reconciles per controller.'),
  CDO_RESYNC_PERIOD: seconds(600).describe('Seconds between full resyncs of every resource (jittered).'),
  CDO_RECONCILE_TIMEOUT: seconds(120).describe('Seconds one reconcile may take before it is aborted.'),
  CDO_SHUTDOWN_GRACE: seconds(30).describe('Seconds shutdown waits for in-flight reconciles.'),
  CDO_QUEUE_QPS: z.coerce
    .number()
    .positive()
    .default(10)
    .describe(
      "Retries of failed reconciles per second, per controller (token bucket, on top of each key's own backoff); new work and polls are not held by it.",
    ),
  CDO_QUEUE_BURST: z.coerce.number().int().positive().default(100).describe('Burst of the retry token bucket (CDO_QUEUE_QPS).'),
  CDO_POLL_BUSY: seconds(15).describe('Seconds between cloud polls while a cluster is being created, scaled or deleted.'),
  CDO_POLL_STEADY: seconds(300).describe('Seconds between cloud polls of a stable cluster (drift detection).'),
  CDO_KAKAOCLOUD_ENDPOINTS: z
    .string()
    .default('')
    .transform(parseEndpoints)
    .describe('Hadoop Eco endpoint overrides, region=url,… (defaults: the public kr-central-2 and kr-central-1 hosts).'),
  CDO_KAKAOCLOUD_DEFAULT_CREDENTIALS: z
    .string()
    .regex(/^[a-z0-9-]+\/[a-z0-9.-]+$/, 'must be namespace/name')
    .optional()
    .describe('namespace/name of a Secret with operator-wide KakaoCloud credentials, used by resources that name none.'),
  CDO_NCLOUD_SITE: z
    .enum(['public', 'gov', 'fin'])
    .default('public')
    .describe('NAVER Cloud site whose CDSS endpoints are used: public, gov or fin (financial).'),
  CDO_NCLOUD_ENDPOINTS: z
    .string()
    .default('')
    .transform(parseEndpoints)
    .describe('CDSS endpoint overrides, region=url-with-prefix,… (e.g. KR=http://127.0.0.1:9000/api/v1).'),
  CDO_NCLOUD_DEFAULT_CREDENTIALS: z
    .string()
    .regex(/^[a-z0-9-]+\/[a-z0-9.-]+$/, 'must be namespace/name')
    .optional()
    .describe(
      'namespace/name of a Secret with operator-wide NAVER Cloud API keys (accessKey, secretKey), used by resources that name none.',
    ),
  // Neither cloud publishes a rate limit (specs: ncloud-cdss-api §3.2, kakaocloud-hadoop-eco-api).
  // The default is a ceiling a real tenant's work is unlikely to reach (steady polls of 1,000
  // clusters cost about 3 requests/s; busy polls of 1,000 at once about 70/s), so it bounds a
  // runaway loop without slowing a burst of applies: the bucket holds 1,000 creates at once. The
  // cloud's own answer stays authoritative: 429 / Retry-After back off whatever the budget.
  CDO_CLOUD_QPS: z.coerce
    .number()
    .positive()
    .default(100)
    .describe(
      'Cloud API requests per second, per cloud and credential (token bucket); neither cloud publishes a limit, and 429 / Retry-After still back off.',
    ),
  CDO_CLOUD_BURST: z.coerce
    .number()
    .int()
    .min(1)
    .default(1000)
    .describe('Cloud API requests a credential may send at once before CDO_CLOUD_QPS applies.'),
  CDO_WATCH_TIMEOUT: seconds(290).describe('Server-side timeout of each watch request, in seconds.'),
  CDO_WATCH_IDLE_TIMEOUT: seconds(300).describe('Watchdog: restart a watch that sent nothing for this many seconds.'),
});

export type Config = z.output<typeof configSchema>;

/** "region=url,region=url" → { region: url }. */
function parseEndpoints(s: string, ctx: z.RefinementCtx): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [region, url] = part.split('=', 2);
    if (!region || !url || !/^https?:\/\//.test(url)) ctx.addIssue({ code: 'custom', message: `"${part}" is not region=http(s)://host` });
    else out[region] = url;
  }
  return out;
}

export const flagName = (env: string) => env.replace(/^CDO_/, '').toLowerCase().replace(/_/g, '-');

/** Reads the configuration from `env` and `argv`; throws a readable error naming bad settings. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): Config {
  const keys = Object.keys(configSchema.shape);
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(keys.map((k) => [flagName(k), { type: 'string' as const }])),
    strict: true,
  });
  const raw: Record<string, string | undefined> = {};
  for (const k of keys)
    raw[k] =
      values[flagName(k)] ??
      (env[k] === '' && !['CDO_WATCH_NAMESPACES', 'CDO_KAKAOCLOUD_ENDPOINTS', 'CDO_NCLOUD_ENDPOINTS'].includes(k) ? undefined : env[k]);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])} (--${flagName(String(i.path[0]))}): ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  // Two servers, two ports: the probes stay plain HTTP whatever the metrics are.
  if (c.CDO_METRICS_PORT !== 0 && c.CDO_METRICS_PORT === c.CDO_HTTP_PORT)
    throw new Error(
      `invalid configuration:\n  CDO_METRICS_PORT (--metrics-port): must differ from CDO_HTTP_PORT (${String(c.CDO_HTTP_PORT)})`,
    );
  return c;
}

export function identityOf(config: Config): string {
  return config.POD_NAME ?? `${hostname()}-${randomBytes(3).toString('hex')}`;
}
