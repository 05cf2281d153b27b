// API Gateway signature v2 verification (spec §2). Written independently of the operator's
// client signer on purpose: if both shared code, a bug in it would be invisible to the tests.
//
//   stringToSign = `${METHOD} ${requestTarget}\n${timestamp}\n${accessKey}`        (§2.2)
//   signature    = Base64(HMAC-SHA256(key = secretKey as UTF-8, stringToSign))
//
// requestTarget is the path plus `?query` exactly as received on the wire (Node's req.url), with
// no re-encoding. The body is not signed. A timestamp 5 minutes or more away from the gateway's
// clock is rejected (§2.1). Every failure is the gateway's 401 / errorCode 200 (§3.2); the real
// gateway gives no reason, the `details` we add say which check failed.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { authFailed, permissionDenied } from './errors.ts';

export interface SimulatorCredential {
  accessKey: string;
  secretKey: string;
  /** A sub-account without CDSS permission: valid signature, then 401 / errorCode 210 (§3.2). */
  noCdssPermission?: boolean;
}

export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export function computeSignature(method: string, requestTarget: string, timestamp: string, accessKey: string, secretKey: string): string {
  const message = [`${method.toUpperCase()} ${requestTarget}`, timestamp, accessKey].join('\n');
  return createHmac('sha256', Buffer.from(secretKey, 'utf8')).update(Buffer.from(message, 'utf8')).digest('base64');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Returns the matching credential or throws a GatewayError. `gatewayNow` is the simulated
 * gateway clock (opts.now plus any clock skew).
 */
export function verifyRequest(
  req: IncomingMessage,
  method: string,
  credentials: readonly SimulatorCredential[],
  gatewayNow: number,
): SimulatorCredential {
  const timestamp = header(req, 'x-ncp-apigw-timestamp');
  const accessKey = header(req, 'x-ncp-iam-access-key');
  const signature = header(req, 'x-ncp-apigw-signature-v2');
  const missing = [
    ['x-ncp-apigw-timestamp', timestamp],
    ['x-ncp-iam-access-key', accessKey],
    ['x-ncp-apigw-signature-v2', signature],
  ]
    .filter(([, v]) => v === undefined || v === '')
    .map(([n]) => n);
  if (timestamp === undefined || accessKey === undefined || signature === undefined || missing.length > 0) {
    throw authFailed(`missing header(s): ${missing.join(', ')}`);
  }
  // §2.1: milliseconds since the epoch as a decimal string.
  if (!/^\d{1,16}$/.test(timestamp)) throw authFailed('x-ncp-apigw-timestamp must be milliseconds since the epoch');
  if (Math.abs(gatewayNow - Number(timestamp)) >= MAX_CLOCK_SKEW_MS) {
    throw authFailed('x-ncp-apigw-timestamp differs from the gateway clock by 5 minutes or more');
  }
  const cred = credentials.find((c) => c.accessKey === accessKey);
  if (cred === undefined) throw authFailed('unknown access key');
  const expected = computeSignature(method, req.url ?? '/', timestamp, accessKey, cred.secretKey);
  // Compare digests so the comparison is constant-time whatever the lengths.
  if (!timingSafeEqual(digest(expected), digest(signature))) throw authFailed('signature mismatch');
  if (cred.noCdssPermission) throw permissionDenied();
  return cred;
}
