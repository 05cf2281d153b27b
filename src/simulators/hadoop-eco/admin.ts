// The admin API under /_admin (architecture §4): fault injection, recorded requests, and cluster
// state control. It needs no cloud credentials (the simulator listens on loopback by default) and
// is never faulted or recorded, so test setup cannot disturb what it inspects.
//
//   GET    /_admin/faults                      current fault config
//   PUT    /_admin/faults  (or POST)           replace it: {errorRate, throttleRate, retryAfterSeconds,
//                                              latencyMs, dropRate, only: {methods, paths}, times}
//   DELETE /_admin/faults                      reset to no faults
//   GET    /_admin/requests                    recorded API requests (secret headers redacted)
//   DELETE /_admin/requests                    clear them
//   GET    /_admin/clusters                    every cluster (detail view + job state)
//   GET    /_admin/clusters/{id}               one cluster
//   PATCH  /_admin/clusters/{id}               force {status?, isScalable?}
//   POST   /_admin/clusters/{id}/terminate     {status?, immediate?}: terminated outside the operator
//   POST   /_admin/clusters/{id}/fail          {status?}: Terminated(Error) at once
//   PUT    /_admin/clusters/{id}/job-outcome   {outcome: success|failure}
//   PUT    /_admin/job-outcome                 {outcome}: default for clusters without an override
//   POST   /_admin/reset                       forget clusters, faults and requests
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { faultConfigSchema, type Faults } from '../common/faults.ts';
import { HttpError, readBody, sendJson, springError } from './http.ts';
import type { AdminClusterView, ClusterRecord } from './model.ts';
import type { RequestLog } from '../common/records.ts';
import type { HadoopEcoSimulatorAdmin } from './server.ts';
import type { ClusterStore } from './state.ts';

export interface AdminContext {
  store: ClusterStore;
  faults: Faults;
  log: RequestLog;
  admin: HadoopEcoSimulatorAdmin;
  view: (c: ClusterRecord) => AdminClusterView;
  now: () => number;
}

const outcomeSchema = z.strictObject({ outcome: z.enum(['success', 'failure']) });
const terminateSchema = z.strictObject({ status: z.string().startsWith('Terminated').optional(), immediate: z.boolean().optional() });
const failSchema = z.strictObject({ status: z.string().startsWith('Terminated').optional() });
const forceSchema = z.strictObject({ status: z.string().min(1).optional(), isScalable: z.boolean().optional() });

function parse<T>(schema: z.ZodType<T>, text: string): T {
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

function allow(methods: string[], method: string): void {
  if (!methods.includes(method)) throw new HttpError(405, `Request method '${method}' is not supported`, { allow: methods.join(', ') });
}

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, method: string, url: URL, ctx: AdminContext): Promise<void> {
  const path = url.pathname.replace(/\/+$/, '');
  try {
    const text = await readBody(req);
    const [status, body] = dispatch(method, path, text, ctx);
    sendJson(res, status, body);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    sendJson(res, err.status, springError(err.status, err.message, path, ctx.now()), err.headers);
  }
}

function dispatch(method: string, path: string, text: string, ctx: AdminContext): [number, unknown] {
  const { store, faults, log, admin, view } = ctx;
  switch (path) {
    case '/_admin/faults':
      allow(['GET', 'PUT', 'POST', 'DELETE'], method);
      if (method === 'GET') return [200, faults.get()];
      if (method === 'DELETE') {
        faults.reset();
        return [200, faults.get()];
      }
      return [200, faults.set(parse(faultConfigSchema, text))];
    case '/_admin/requests':
      allow(['GET', 'DELETE'], method);
      if (method === 'DELETE') {
        log.clear();
        return [200, []];
      }
      return [200, log.list()];
    case '/_admin/clusters':
      allow(['GET'], method);
      return [200, store.all().map(view)];
    case '/_admin/job-outcome': {
      allow(['PUT', 'POST'], method);
      const { outcome } = parse(outcomeSchema, text);
      admin.setDefaultJobOutcome(outcome);
      return [200, { outcome }];
    }
    case '/_admin/reset':
      allow(['POST'], method);
      admin.reset();
      return [200, { reset: true }];
    default:
      break;
  }
  const m = /^\/_admin\/clusters\/([^/]+)(?:\/(terminate|fail|job-outcome))?$/.exec(path);
  if (m === null) throw new HttpError(404, 'Not Found');
  const id = decodeURIComponent(m[1] ?? '');
  switch (m[2]) {
    case undefined:
      allow(['GET', 'PATCH'], method);
      if (method === 'GET') return [200, view(store.get(id))];
      return [200, admin.force(id, parse(forceSchema, text))];
    case 'terminate':
      allow(['POST'], method);
      return [200, admin.terminate(id, parse(terminateSchema, text))];
    case 'fail': {
      allow(['POST'], method);
      return [200, admin.fail(id, parse(failSchema, text).status)];
    }
    case 'job-outcome':
      allow(['PUT', 'POST'], method);
      return [200, admin.setJobOutcome(id, parse(outcomeSchema, text).outcome)];
    default:
      throw new HttpError(404, 'Not Found');
  }
}
