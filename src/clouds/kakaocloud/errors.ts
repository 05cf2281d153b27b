// Turns a failed Hadoop Eco response into the runtime's error classes. The error body is not
// documented (spec §1.4), so the cloud's message is dug out leniently; the message quotes the
// HTTP status and that text only — never headers, and never a credential value even if the
// cloud echoed one back.
import { InvalidSpecError, TerminalError, TransientError, type ClassifiedError } from '../../runtime/errors.ts';
import { REDACTED, scrubString } from '../../runtime/logger.ts';
import { ClusterNameTakenError, EndpointNotFoundError, urlForMessage } from '../errors.ts';
import type { CloudResponse } from '../http.ts';

export { ClusterNameTakenError };

const MAX_MESSAGE = 300;

/** The cloud's own words from an error body: `error.message`, `message`, `error`, `detail`, else raw text (spec §1.4). */
export function cloudErrorMessage(text: string): { message: string; code?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    body = undefined;
  }
  if (typeof body === 'object' && body !== null) {
    const b = body as Record<string, unknown>;
    const err = b['error'];
    if (typeof err === 'object' && err !== null) {
      const e = err as Record<string, unknown>;
      if (typeof e['message'] === 'string' && e['message'] !== '') {
        return { message: truncate(e['message']), ...(typeof e['code'] === 'string' ? { code: e['code'] } : {}) };
      }
    }
    // Spring Boot's default body has both `message` and `error` (the reason phrase); the message
    // is the informative one unless it is empty.
    if (typeof b['message'] === 'string' && b['message'] !== '') return { message: truncate(b['message']) };
    if (typeof err === 'string' && err !== '') return { message: truncate(err) };
    if (typeof b['detail'] === 'string' && b['detail'] !== '') return { message: truncate(b['detail']) };
  }
  const raw = text.trim();
  return { message: raw === '' ? '(empty body)' : truncate(raw.replace(/\s+/g, ' ')) };
}

export interface ErrorContext {
  operation: string;
  /** The request URL, named when a 404 says nothing about the cluster. */
  url?: string | URL;
  /** For a 409 on create. */
  clusterName?: string;
  /** Values that must never appear in a message (the credential id and secret). */
  secrets?: readonly string[];
}

export function hadoopEcoError(res: CloudResponse, ctx: ErrorContext): ClassifiedError {
  // Scrubbed before truncation, so a secret cut in half at the boundary cannot leak a prefix.
  const parsed = cloudErrorMessage(scrub(res.text, ctx.secrets));
  const code = parsed.code !== undefined ? ` (${parsed.code})` : '';
  const message = `Hadoop Eco ${ctx.operation} failed: HTTP ${res.status}${code}: ${parsed.message}`;
  const s = res.status;
  if (s === 400) return new InvalidSpecError('CloudRejectedSpec', message);
  if (s === 401) return new TerminalError('CredentialsInvalid', message);
  if (s === 403) return new TerminalError('PermissionDenied', message);
  if (s === 404) {
    // spec §1.3: the list routes never answer 404, and a 404 in another shape than the API's own
    // (a proxy's page, an empty body) says nothing about the cluster (issue: proof of absence).
    const url = ctx.url !== undefined ? urlForMessage(ctx.url) : `the ${ctx.operation} route`;
    if (ctx.operation === 'listClusters') return new EndpointNotFoundError(url, 'the cluster list route does not exist there');
    if (!isApiNotFound(res)) return new EndpointNotFoundError(url, "the body is not the Hadoop Eco API's own answer");
    return new TerminalError('ClusterNotFound', message);
  }
  if (s === 409 && ctx.operation === 'createCluster') return new ClusterNameTakenError(ctx.clusterName ?? '', message);
  // Undocumented but expected (spec §1.3): 409 when a cluster is in the wrong state for a
  // delete/scale, e.g. one still in flight. It resolves by itself.
  if (s === 409) return new TransientError('ClusterBusy', message, retryHint(res));
  if (s === 408 || s === 429 || s >= 500)
    return new TransientError(s === 429 ? 'CloudThrottled' : 'CloudUnavailable', message, retryHint(res));
  return new TerminalError('CloudRequestFailed', message);
}

/**
 * Whether a 404 carries the API's own error body: JSON in one of the shapes spec §1.4 lists
 * (Spring Boot's `{status: 404, …}`, KakaoCloud's `{error: {code, message}}`, or a `message`),
 * not a proxy's HTML page or an empty answer.
 */
export function isApiNotFound(res: Pick<CloudResponse, 'status' | 'text'>): boolean {
  if (res.status !== 404) return false;
  let body: unknown;
  try {
    body = JSON.parse(res.text) as unknown;
  } catch {
    return false;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  return b['status'] === 404 || (typeof b['error'] === 'object' && b['error'] !== null) || typeof b['message'] === 'string';
}

/** A 2xx body that does not have the documented shape. */
export function malformedResponse(operation: string, status: number, issues: string): TransientError {
  return new TransientError(
    'CloudResponseInvalid',
    `Hadoop Eco ${operation}: HTTP ${status} response has an unexpected shape: ${truncate(issues)}`,
  );
}

function retryHint(res: CloudResponse): { retryAfterMs?: number } {
  return res.retryAfterMs !== undefined ? { retryAfterMs: res.retryAfterMs } : {};
}

function truncate(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}

function scrub(message: string, secrets: readonly string[] | undefined): string {
  let out = message;
  for (const secret of secrets ?? []) {
    if (secret !== '') out = out.split(secret).join(REDACTED);
  }
  return scrubString(out);
}
