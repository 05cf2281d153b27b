// Turns a failed CDSS response into the runtime's error classes (spec ncloud-cdss-api.md §3).
// A response failed if it is non-2xx, OR its envelope `code` is not 0 (the HTTP status of a
// business error is undocumented, §3.1 / §7), OR its body is an API Gateway `{"error": …}`.
// Messages quote the HTTP status, the cloud's codes, its message and its requestId — never
// headers, and never a credential or password even if the cloud echoed one back.
import { InvalidSpecError, TerminalError, TransientError, type ClassifiedError } from '../../runtime/errors.ts';
import { REDACTED, scrubString } from '../../runtime/logger.ts';
import { EndpointNotFoundError, urlForMessage } from '../errors.ts';
import type { CloudResponse } from '../http.ts';
import { EnvelopeSchema, GatewayErrorSchema, type Envelope } from './types.ts';

/** The only CDSS business code documented (§3.1, seed): the upgrade target is not later than the current version. */
export const UPGRADE_REJECTED_CODE = 10153;

const MAX_MESSAGE = 300;

/**
 * Gateway 404 with errorCode 300: an unknown path or a wrong method (§3.2, §6 #2), not a missing
 * cluster. Distinct so the password reset can fall back to the old path (§5.13, §7).
 */
export class GatewayNotFoundError extends EndpointNotFoundError {}

/** A non-zero CDSS business `code` other than 10153: the cloud refused the request as asked. */
export class CdssBusinessError extends InvalidSpecError {
  readonly code: number;
  /** The cloud's `message`, verbatim (secrets scrubbed). */
  readonly cloudMessage: string;
  readonly requestId: string | undefined;
  constructor(code: number, cloudMessage: string, requestId: string | undefined, message: string) {
    super('CloudRejectedSpec', message);
    this.code = code;
    this.cloudMessage = cloudMessage;
    this.requestId = requestId;
  }
}

/**
 * Business code 10153 (§5.15): the rolling upgrade was refused because the target version is not
 * later than the cluster's. Terminal: only a spec change helps, and the cloud's words say why.
 */
export class UpgradeRejectedError extends TerminalError {
  readonly code = UPGRADE_REJECTED_CODE;
  /** The cloud's `message`, verbatim (often Korean). */
  readonly cloudMessage: string;
  readonly requestId: string | undefined;
  constructor(cloudMessage: string, requestId: string | undefined, message: string) {
    super('UpgradeRejected', message);
    this.cloudMessage = cloudMessage;
    this.requestId = requestId;
  }
}

export interface ErrorContext {
  operation: string;
  /** The request URL, named when a 404 says nothing about the cluster. */
  url: string | URL;
  /** Values that must never appear in a message (access key, secret key, a password being set). */
  secrets: readonly string[];
}

export type CheckedResponse = { ok: true; envelope: Envelope } | { ok: false; error: ClassifiedError };

/** Classifies a response: the envelope on success, otherwise the error to throw. */
export function checkResponse(res: CloudResponse, ctx: ErrorContext): CheckedResponse {
  let body: unknown;
  try {
    body = res.json();
  } catch {
    body = undefined;
  }
  const where = `NCloud CDSS ${ctx.operation} failed: HTTP ${res.status}`;

  const gateway = GatewayErrorSchema.safeParse(body);
  if (gateway.success) {
    const { errorCode, message } = gateway.data.error;
    const text = `${where}, API Gateway errorCode ${errorCode}: ${clean(message ?? '', ctx.secrets) || '(no message)'}`;
    return { ok: false, error: gatewayError(res, errorCode, text, ctx) };
  }

  // Infrastructure answers win over anything in the body: they say nothing about the request.
  if (res.status === 429) return { ok: false, error: new TransientError('CloudThrottled', `${where}${rawHint(res, ctx)}`, retryHint(res)) };
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    return { ok: false, error: new TransientError('CloudUnavailable', `${where}${rawHint(res, ctx)}`, retryHint(res)) };
  }

  const envelope = EnvelopeSchema.safeParse(body);
  if (envelope.success && envelope.data.code !== 0) {
    const { code, message, requestId } = envelope.data;
    const cloudMessage = clean(message ?? '', ctx.secrets, false);
    const rid = requestId ? ` (requestId ${clean(requestId, ctx.secrets)})` : '';
    if (code === UPGRADE_REJECTED_CODE) {
      return {
        ok: false,
        error: new UpgradeRejectedError(
          cloudMessage,
          requestId ?? undefined,
          `NCloud CDSS ${ctx.operation} rejected, code ${code}: ${truncate(cloudMessage)}${rid}`,
        ),
      };
    }
    return {
      ok: false,
      error: new CdssBusinessError(
        code,
        cloudMessage,
        requestId ?? undefined,
        `NCloud CDSS ${ctx.operation} failed: code ${code}: ${truncate(cloudMessage)}${rid}`,
      ),
    };
  }

  if (res.status === 404) {
    // Not the gateway's own 404 (handled above) and not an envelope: a proxy or a wrong host.
    return { ok: false, error: new EndpointNotFoundError(urlForMessage(ctx.url), `${where}${rawHint(res, ctx)}; not a CDSS answer`) };
  }
  if (res.status < 200 || res.status >= 300) return { ok: false, error: byStatus(res, `${where}${rawHint(res, ctx)}`) };
  if (!envelope.success) return { ok: false, error: malformedResponse(ctx.operation, res.status, 'body is not a CDSS response envelope') };
  return { ok: true, envelope: envelope.data };
}

/** Gateway clock minus ours, from the response's HTTP Date header (second precision). */
function clockSkewMs(res: CloudResponse): number | undefined {
  const date = res.headers['date'];
  const at = date ? Date.parse(date) : NaN;
  return Number.isNaN(at) ? undefined : at - Date.now();
}

/** §3.2 table: the errorCode decides; the HTTP status only backs it up for codes not listed. */
function gatewayError(res: CloudResponse, errorCode: string, text: string, ctx: ErrorContext): ClassifiedError {
  switch (errorCode) {
    case '200': {
      // §2.1: the gateway answers a wrong key, a wrong signature and a skewed clock alike. Its
      // HTTP Date header tells the clock apart: a signature is valid for 5 minutes only.
      const skewMs = clockSkewMs(res);
      if (skewMs !== undefined && Math.abs(skewMs) >= 5 * 60_000) {
        const minutes = (Math.abs(skewMs) / 60_000).toFixed(1);
        return new TerminalError(
          'ClockSkew',
          `${text}. This host's clock is ${minutes} minutes ${skewMs > 0 ? 'behind' : 'ahead of'} the API gateway's ` +
            `(its Date header: ${res.headers['date']}); signatures are accepted within 5 minutes only. ` +
            'Synchronise the clock (NTP) on the nodes running the operator.',
        );
      }
      return new TerminalError(
        'CredentialsInvalid',
        `${text}. The access key or secret key may be wrong or disabled, the request signature may be wrong, ` +
          "or this host's clock may be off by 5 minutes or more (the gateway does not tell these apart; check NTP).",
      );
    }
    case '210':
      return new TerminalError('PermissionDenied', `${text}. The sub-account lacks permission for Cloud Data Streaming Service.`);
    case '300':
      return new GatewayNotFoundError(urlForMessage(ctx.url), `${text}: the gateway knows no such path or method`);
    case '400':
    case '410':
    case '420':
      return new TransientError('CloudThrottled', text, retryHint(res));
    case '500':
    case '510':
    case '900':
      return new TransientError('CloudUnavailable', text, retryHint(res));
    default:
      return byStatus(res, text);
  }
}

function byStatus(res: CloudResponse, text: string): ClassifiedError {
  const s = res.status;
  if (s === 401) return new TerminalError('CredentialsInvalid', text);
  if (s === 403) return new TerminalError('PermissionDenied', text);
  if (s === 429) return new TransientError('CloudThrottled', text, retryHint(res));
  if (s >= 500) return new TransientError('CloudUnavailable', text, retryHint(res));
  // 400 (errorCode 100), 413 (430) and the like: this client sent something malformed, which no
  // spec change or retry fixes.
  return new TerminalError('CloudRequestFailed', text);
}

/** A success status whose body does not have the documented shape. */
export function malformedResponse(operation: string, status: number, issues: string): TransientError {
  return new TransientError(
    'CloudResponseInvalid',
    `NCloud CDSS ${operation}: HTTP ${status} response has an unexpected shape: ${truncate(issues)}`,
  );
}

/** A short quote of a non-JSON or non-envelope error body. */
function rawHint(res: CloudResponse, ctx: ErrorContext): string {
  const raw = clean(res.text.replace(/\s+/g, ' ').trim(), ctx.secrets);
  return raw === '' ? '' : `: ${raw}`;
}

function retryHint(res: CloudResponse): { retryAfterMs?: number } {
  return res.retryAfterMs !== undefined ? { retryAfterMs: res.retryAfterMs } : {};
}

/** Secrets scrubbed before truncation, so a secret cut at the boundary cannot leak a prefix. */
function clean(s: string, secrets: readonly string[], cut = true): string {
  let out = s;
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join(REDACTED);
  out = scrubString(out);
  return cut ? truncate(out) : out;
}

function truncate(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}
