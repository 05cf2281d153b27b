// The part of every simulator's /_admin API that does not depend on the cloud: fault injection and
// recorded requests, the request skeleton (read body → dispatch → JSON reply) and strict parsing of
// admin bodies. Cluster routes and the error body shape stay in each simulator's admin.ts.
//
//   GET    /_admin/faults            current fault config
//   PUT    /_admin/faults  (or POST) replace it (faultConfigSchema)
//   DELETE /_admin/faults            reset to no faults
//   GET    /_admin/requests          recorded API requests (secrets redacted at record time)
//   DELETE /_admin/requests          clear them
//   POST   /_admin/reset             the simulator's admin.reset() (what it forgets is its own)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { faultConfigSchema, type Faults } from './faults.ts';
import { allowMethods, HttpError, readBody, sendJson } from './http.ts';
import type { RequestLog } from './records.ts';

/** [status, JSON body]. */
export type AdminReply = [number, unknown];

/** Strict JSON body for an admin call; an empty body is `{}`. 400 with every zod issue otherwise. */
export function parseAdminBody<T>(schema: z.ZodType<T>, text: string): T {
  let raw: unknown = {};
  if (text.trim() !== '') {
    try {
      raw = JSON.parse(text) as unknown;
    } catch (err) {
      throw new HttpError(400, `JSON parse error: ${(err as Error).message}`);
    }
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new HttpError(400, r.error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

/** /_admin/faults, /_admin/requests and /_admin/reset; undefined for any other path, which the simulator routes. */
export function dispatchSharedAdmin(
  method: string,
  path: string,
  text: string,
  ctx: { faults: Faults; log: RequestLog; admin: { reset(): void } },
): AdminReply | undefined {
  const { faults, log, admin } = ctx;
  switch (path) {
    case '/_admin/faults':
      allowMethods(['GET', 'PUT', 'POST', 'DELETE'], method);
      if (method === 'GET') return [200, faults.get()];
      if (method === 'DELETE') {
        faults.reset();
        return [200, faults.get()];
      }
      return [200, faults.set(parseAdminBody(faultConfigSchema, text))];
    case '/_admin/requests':
      allowMethods(['GET', 'DELETE'], method);
      if (method === 'DELETE') {
        log.clear();
        return [200, []];
      }
      return [200, log.list()];
    case '/_admin/reset':
      allowMethods(['POST'], method);
      admin.reset();
      return [200, { reset: true }];
    default:
      return undefined;
  }
}

export interface AdminHandler {
  /** Answers one admin request; throws HttpError (or what `toHttpError` maps) for an error reply. */
  dispatch(method: string, path: string, text: string): AdminReply;
  /** The simulator's error body for an HttpError. */
  errorBody(err: HttpError, path: string): unknown;
  /** Maps simulator-specific exceptions (e.g. a store's "not found") to an HttpError. */
  toHttpError?: (err: unknown) => HttpError | undefined;
}

/** Reads the body, dispatches on the path (trailing slashes ignored) and sends the JSON reply. */
export async function serveAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  url: URL,
  handler: AdminHandler,
): Promise<void> {
  const path = url.pathname.replace(/\/+$/, '');
  try {
    const text = await readBody(req);
    const [status, body] = handler.dispatch(method, path, text);
    sendJson(res, status, body);
  } catch (err) {
    const e = err instanceof HttpError ? err : handler.toHttpError?.(err);
    if (e === undefined) throw err;
    sendJson(res, e.status, handler.errorBody(e, path), e.headers);
  }
}
