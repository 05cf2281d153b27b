// The three kinds of failure a reconcile can end in. Every error thrown out of a reconciler is
// classified exactly once, by `classify`, and the controller's error policy turns the class into
// a delay. Reconcilers throw these (or let unknown errors through, which count as transient).

export type ErrorClass = 'transient' | 'invalid' | 'terminal';

abstract class ReconcileError extends Error {
  abstract readonly errorClass: ErrorClass;
  /** A stable CamelCase reason, suitable for a condition or an event. */
  readonly reason: string;
  constructor(reason: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}

/** Worth retrying soon: 5xx, 429, timeouts, conflicts. `retryAfterMs` honours a server's hint. */
export class TransientError extends ReconcileError {
  override readonly name = 'TransientError';
  readonly errorClass = 'transient';
  readonly retryAfterMs: number | undefined;
  constructor(reason: string, message: string, options?: ErrorOptions & { retryAfterMs?: number }) {
    super(reason, message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The spec cannot work as written. Retrying cannot help until the user changes the spec. */
export class InvalidSpecError extends ReconcileError {
  override readonly name = 'InvalidSpecError';
  readonly errorClass = 'invalid';
}

/** Needs a human outside the spec (credentials, permissions, a rejected operation). Retry slowly. */
export class TerminalError extends ReconcileError {
  override readonly name = 'TerminalError';
  readonly errorClass = 'terminal';
}

export type ClassifiedError = TransientError | InvalidSpecError | TerminalError;

export function isClassified(err: unknown): err is ClassifiedError {
  return err instanceof TransientError || err instanceof InvalidSpecError || err instanceof TerminalError;
}

/** Unknown errors are transient: a bug or a blip should be retried with backoff, not dropped. */
export function classify(err: unknown): ErrorClass {
  return isClassified(err) ? err.errorClass : 'transient';
}

// Error codes of a request that got no answer: refused, reset, unreachable, timed out (Node's
// socket errors and undici's, which fetch wraps in `TypeError: fetch failed`).
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** A request that got no answer (the API server went away, a deadline passed), looking through `cause`s. */
export function isConnectionError(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const { code, name, cause } = e as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    e = cause;
  }
  return false;
}

/**
 * A failure whose meaning is known: classified by us, an answer of the API server, or no answer at
 * all. Worth a warning; only the rest (a bug, a surprise) is worth a stack trace.
 */
export function isExpectedFailure(err: unknown): boolean {
  return isClassified(err) || httpStatusOf(err) !== undefined || isConnectionError(err);
}

/**
 * HTTP status of a KubeApiError (`.statusCode`, runtime/kube.ts) or of client-node's ApiException
 * (`.code`), which tests use. Only 100–599 counts: a DOMException (an abort reason) has a numeric
 * `.code` too (20 for AbortError, 23 for TimeoutError), and it is no answer at all.
 */
export function httpStatusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; statusCode?: unknown };
  const isStatus = (v: unknown): v is number => typeof v === 'number' && v >= 100 && v <= 599;
  if (isStatus(e.code)) return e.code;
  if (isStatus(e.statusCode)) return e.statusCode;
  return undefined;
}

/**
 * A one-line description of an error: for an answer of the API server, its own Status message
 * from the body, which is what a human needs (client-node's ApiException message is a multi-line
 * dump: "HTTP-Code: 422 Message: Unknown API Status Code! Body: …").
 */
export function errorMessage(err: unknown): string {
  const status = httpStatusOf(err);
  const body = (err as { body?: unknown } | null)?.body;
  if (status !== undefined && body !== undefined) {
    const parsed = parseStatusBody(body);
    if (parsed) return `HTTP ${status} ${parsed.reason ?? ''}: ${parsed.message}`.replace(' :', ':');
  }
  return err instanceof Error ? err.message : String(err);
}

/** The message of a Kubernetes Status body (raw text, JSON, or JSON encoded twice), else its start. */
export function statusMessage(body: unknown): string {
  return parseStatusBody(body)?.message ?? String(body).slice(0, 300);
}

function parseStatusBody(body: unknown): { reason?: string; message: string } | undefined {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body) as unknown;
    } catch {
      return { message: body.slice(0, 300) };
    }
  }
  // client-node sometimes hands over the body JSON-encoded twice.
  if (typeof value === 'string') return parseStatusBody(value);
  if (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string') {
    const s = value as { reason?: string; message: string };
    return { ...(typeof s.reason === 'string' ? { reason: s.reason } : {}), message: s.message };
  }
  return undefined;
}
