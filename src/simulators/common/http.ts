// HTTP plumbing every simulator needs and no cloud shapes: JSON/text replies, a size-capped body
// reader and the exception handlers throw to answer with a status. What an error BODY looks like
// is each cloud's own business (Spring shape for Hadoop Eco, gateway/envelope shapes for CDSS), so
// it stays in the simulator.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Thrown by handlers; each simulator turns it into its own error body. */
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

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  contentType: string,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

const MAX_BODY_BYTES = 1024 * 1024;

/** The raw request body as text ('' when there is none); HttpError 413 past 1 MiB. */
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

/** 405 with an Allow header unless `method` is one of `methods` (Spring's wording). */
export function allowMethods(methods: readonly string[], method: string): void {
  if (!methods.includes(method)) throw new HttpError(405, `Request method '${method}' is not supported`, { allow: methods.join(', ') });
}
