// Recorded cloud API requests, for tests and for users debugging their CI ("what did the operator
// actually send?"). Shared by the simulators (hadoop-eco, cdss). Headers that carry secrets are
// redacted at record time, so neither the admin API nor an in-process caller can ever read them
// back. Bodies are kept verbatim because contract tests pin the wire format (architecture §4),
// including Base64 fields, except for the named fields a simulator passes to redactBodyFields
// (e.g. CDSS's kafkaManagerUserPassword, which is a plain-text password).
export interface RecordedRequest {
  seq: number;
  /** ISO-8601 time the request arrived. */
  time: string;
  method: string;
  path: string;
  /** Query parameters; repeated ones (e.g. `sort`) become arrays. */
  query: Record<string, string | string[]>;
  /** Lower-cased header names; secret-bearing ones replaced by REDACTED. */
  headers: Record<string, string>;
  /** Parsed JSON body, the raw text if it was not JSON, or null when empty. */
  body: unknown;
  /** Status returned, or null when the connection was dropped on purpose. */
  status: number | null;
  /** Fault injected into this request, if any. */
  fault?: 'drop' | 'route-not-found' | 'throttle' | 'error' | 'latency' | 'response-delay';
  durationMs: number;
}

export const REDACTED = '[REDACTED]';
/** Redacted whatever the simulator; each simulator adds its own secret-bearing headers. */
export const GENERIC_SECRET_HEADERS: readonly string[] = ['authorization', 'cookie', 'proxy-authorization'];
const HADOOP_ECO_SECRET_HEADERS = new Set(['credential-secret', 'hadoop-eco-api-key', ...GENERIC_SECRET_HEADERS]);

/** `secretHeaders` are lower-case names; the default is the Hadoop Eco set (its original behaviour). */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  secretHeaders: ReadonlySet<string> = HADOOP_ECO_SECRET_HEADERS,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const name = k.toLowerCase();
    out[name] = secretHeaders.has(name) ? REDACTED : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** A copy of a parsed body with every property named in `fields` (at any depth) replaced by REDACTED. */
export function redactBodyFields(body: unknown, fields: ReadonlySet<string>): unknown {
  if (Array.isArray(body)) return body.map((v) => redactBodyFields(v, fields));
  if (typeof body === 'object' && body !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) out[k] = fields.has(k) ? REDACTED : redactBodyFields(v, fields);
    return out;
  }
  return body;
}

export function queryToRecord(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    out[key] = all.length === 1 ? (all[0] ?? '') : all;
  }
  return out;
}

export function parseBodyForRecord(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Bounded log: a long demo run must not grow without limit. */
export class RequestLog {
  private readonly max: number;
  private items: RecordedRequest[] = [];
  private seq = 0;

  constructor(max: number) {
    this.max = max;
  }

  add(r: Omit<RecordedRequest, 'seq'>): RecordedRequest {
    const rec: RecordedRequest = { seq: ++this.seq, ...r };
    this.items.push(rec);
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
    return rec;
  }

  list(): RecordedRequest[] {
    return this.items.map((r) => structuredClone(r));
  }

  clear(): void {
    this.items = [];
  }
}
