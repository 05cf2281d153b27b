// The cloud API request pipeline both simulators share:
//   read body → faults (latency, drop, 429, 5xx) → the simulator's handler → response delay → send,
// with every request recorded (secrets redacted) whatever happens. Only the answers differ per
// cloud (error body shapes, how a fault looks at its gateway), so those come in as hooks.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Faults } from './faults.ts';
import { HttpError, readBody, sendJson, sendText } from './http.ts';
import { parseBodyForRecord, queryToRecord, redactHeaders, type RecordedRequest, type RequestLog } from './records.ts';

/** Sends a reply and remembers its status for the request record. */
export interface Responder {
  json(status: number, body: unknown, headers?: Record<string, string>): void;
  text(status: number, contentType: string, text: string, headers?: Record<string, string>): void;
}

export interface ApiReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** False for replies the injected response delay must not hold back (e.g. auth errors). */
  delayable: boolean;
}

export interface ApiPipeline {
  /** Log prefix, e.g. 'cdss simulator'. */
  name: string;
  faults: Faults;
  log: RequestLog;
  /** Aborted on close: cuts injected sleeps short and drops requests still in flight. */
  closing: AbortSignal;
  now: () => number;
  logger?: Logger | undefined;
  /** Lower-case header names to redact in records; default the records module's default. */
  secretHeaders?: ReadonlySet<string>;
  /** Redacts the recorded body (after JSON parsing); default as is. */
  recordBody?: (body: unknown) => unknown;
  /** readBody refused the body (HttpError 413). */
  bodyRejected(r: Responder, err: HttpError, path: string): void;
  /** Injected 429. */
  throttled(r: Responder, retryAfterSeconds: number): void;
  /** Injected 500 / 502 / 503. */
  failed(r: Responder, status: number, path: string): void;
  /** A handler threw something unexpected. */
  unexpected(r: Responder, path: string): void;
  /** Routes, authenticates and handles the request; throws only for the unexpected. */
  handle(req: IncomingMessage, method: string, url: URL, bodyText: string): ApiReply;
}

/** What a reverse proxy answers for a path it does not route: the same for both clouds. */
const PROXY_NOT_FOUND =
  '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n';

export async function handleApiRequest(p: ApiPipeline, req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
  const started = performance.now();
  const path = url.pathname;
  let bodyText = '';
  let status: number | null = null;
  let fault: RecordedRequest['fault'];
  const r: Responder = {
    json: (code, body, headers) => {
      status = code;
      sendJson(res, code, body, headers);
    },
    text: (code, contentType, text, headers) => {
      status = code;
      sendText(res, code, contentType, text, headers);
    },
  };
  try {
    try {
      bodyText = await readBody(req);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      p.bodyRejected(r, err, path);
      return;
    }
    const decision = p.faults.decide(method, path);
    if (decision.latencyMs > 0) {
      fault = 'latency';
      await sleep(decision.latencyMs, undefined, { signal: p.closing });
    }
    switch (decision.kind) {
      case 'drop':
        fault = 'drop';
        req.socket.destroy();
        return;
      case 'route-not-found':
        fault = 'route-not-found';
        r.text(404, 'text/html', PROXY_NOT_FOUND);
        return;
      case 'throttle':
        fault = 'throttle';
        p.throttled(r, decision.retryAfterSeconds);
        return;
      case 'error':
        fault = 'error';
        p.failed(r, decision.status, path);
        return;
      case 'none':
        break;
      default: {
        const never: never = decision;
        throw new Error(`unhandled fault ${String(never)}`);
      }
    }
    const reply = p.handle(req, method, url, bodyText);
    status = reply.status;
    if (reply.delayable && decision.responseDelayMs) {
      fault = 'response-delay';
      await sleep(decision.responseDelayMs, undefined, { signal: p.closing });
    }
    r.json(reply.status, reply.body, reply.headers);
  } catch (err) {
    if (p.closing.aborted) {
      req.socket.destroy();
      return;
    }
    p.logger?.error({ err, method, path }, `${p.name}: unexpected error`);
    p.unexpected(r, path);
  } finally {
    const body = parseBodyForRecord(bodyText);
    p.log.add({
      time: new Date(p.now()).toISOString(),
      method,
      path,
      query: queryToRecord(url.searchParams),
      headers: p.secretHeaders ? redactHeaders(req.headers, p.secretHeaders) : redactHeaders(req.headers),
      body: p.recordBody ? p.recordBody(body) : body,
      status,
      ...(fault !== undefined && { fault }),
      durationMs: Math.round(performance.now() - started),
    });
    p.logger?.debug({ method, path, status, fault }, `${p.name}: request`);
  }
}
