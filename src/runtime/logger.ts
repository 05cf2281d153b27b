// pino logging: JSON lines for machines, pretty lines in a terminal. Anything secret-shaped is
// redacted before it is written, whatever path it arrives by: keys that name a secret are
// censored at any depth, and strings are scrubbed of credential-looking patterns (bearer tokens,
// signature headers, PEM keys), because an error message from a library can quote a header.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export const REDACTED = '[REDACTED]';

const secretKey = /pass(word|wd)?|secret|token|credential|authorization|api[-_]?key|access[-_]?key|private[-_]?key|signature|cookie/i;

const secretPatterns: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [
    /(x-ncp-apigw-signature-v2|x-ncp-iam-access-key|credential-secret|credential-id|authorization)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
    `$1$2${REDACTED}`,
  ],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, REDACTED],
];

export function scrubString(s: string): string {
  let out = s;
  for (const [re, replacement] of secretPatterns) out = out.replace(re, replacement);
  return out;
}

/** A copy of `value` with secret-named keys censored and strings scrubbed. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return value;
  if (typeof value === 'string') return scrubString(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error)
    return { type: value.name, message: scrubString(value.message), stack: value.stack && scrubString(value.stack) };
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // Secret-named fields holding a reference (name/key) rather than a value stay readable.
      out[k] = secretKey.test(k) && (typeof v === 'string' || typeof v === 'number') ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

export interface LoggerOptions {
  level?: string;
  /** Pretty output; defaults to whether stdout is a terminal. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
  base?: Record<string, unknown>;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const usePretty = opts.pretty ?? Boolean(process.stdout.isTTY);
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    base: opts.base ?? { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { log: (obj) => redact(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        // The message string (last string argument) is scrubbed too.
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubString(a) : a)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
  };
  const stream = usePretty
    ? pretty({ colorize: true, sync: true, destination: opts.destination ?? 1 })
    : (opts.destination ?? pino.destination({ sync: true }));
  return pino(options, stream);
}
