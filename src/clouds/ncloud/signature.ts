// NCP API Gateway signature v2 (spec ncloud-cdss-api.md §2.2, §2.4). The string to sign is
// `METHOD SP requestTarget LF timestamp LF accessKey`; the request target is the path and query
// exactly as sent, so the signer takes the same URL object the HTTP layer sends.
import { createHmac } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-ncp-apigw-timestamp';
export const ACCESS_KEY_HEADER = 'x-ncp-iam-access-key';
export const SIGNATURE_HEADER = 'x-ncp-apigw-signature-v2';

/**
 * Base64(HMAC-SHA256(secretKey as UTF-8, `${METHOD} ${requestTarget}\n${timestampMs}\n${accessKey}`)).
 * The secret is used as-is, never Base64-decoded; the output is standard Base64 (§2.2).
 */
export function signV2(method: string, requestTarget: string, timestampMs: string, accessKey: string, secretKey: string): string {
  const message = `${method.toUpperCase()} ${requestTarget}\n${timestampMs}\n${accessKey}`;
  return createHmac('sha256', Buffer.from(secretKey, 'utf8')).update(message, 'utf8').digest('base64');
}

/**
 * What goes on the wire after the host: `pathname + search`. WHATWG `URL.search` is "" for both
 * "no query" and a lone trailing `?`, so a bare `?` is never signed (§2.2), and the query keeps
 * its serialized percent-encoding, the same bytes the HTTP layer sends.
 */
export function requestTarget(url: URL): string {
  return url.pathname + url.search;
}

export interface SignInput {
  method: string;
  url: URL;
  accessKey: string;
  secretKey: string;
  /** Milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
}

/**
 * The three `x-ncp-*` headers for one attempt. The timestamp header carries exactly the string
 * that was signed (§2.1, DOC-GOV); call this again for every retry so the 5-minute skew window
 * never rejects a re-sent request (§2.4).
 */
export function signedHeaders(input: SignInput): Record<string, string> {
  const timestamp = String(Math.floor((input.now ?? Date.now)()));
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [ACCESS_KEY_HEADER]: input.accessKey,
    [SIGNATURE_HEADER]: signV2(input.method, requestTarget(input.url), timestamp, input.accessKey, input.secretKey),
  };
}
