// Response helpers. Error bodies follow Spring Boot's default shape
// `{timestamp, status, error, message, path}`: the Hadoop Eco error body is undocumented (spec
// §1.4), but the Spring `Page` envelopes of §2.3 say the backend is Spring Boot, and that is its
// default. Faults that would come from a gateway in front of it (429, 502, 503) use other shapes on
// purpose, so that clients exercise the lenient parsing the spec recommends (§1.4).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';

export interface SpringError {
  timestamp: string;
  status: number;
  error: string;
  message: string;
  path: string;
}

/** Thrown by handlers; the server turns it into a Spring-style error response. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

export function springError(status: number, message: string, path: string, now: number): SpringError {
  return { timestamp: new Date(now).toISOString(), status, error: STATUS_CODES[status] ?? 'Error', message, path };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

const MAX_BODY_BYTES = 1024 * 1024;

/** The raw request body as text ('' when there is none); 413 past 1 MiB. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const mediaType = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}
