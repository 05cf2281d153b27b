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
import { dispatchSharedAdmin, parseAdminBody as parse, serveAdmin, type AdminReply } from '../common/admin.ts';
import type { Faults } from '../common/faults.ts';
import { allowMethods as allow, HttpError } from '../common/http.ts';
import type { RequestLog } from '../common/records.ts';
import type { AdminClusterView, ClusterRecord } from './model.ts';
import type { HadoopEcoSimulatorAdmin } from './server.ts';
import { springError } from './spring-error.ts';
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

export function handleAdmin(req: IncomingMessage, res: ServerResponse, method: string, url: URL, ctx: AdminContext): Promise<void> {
  return serveAdmin(req, res, method, url, {
    dispatch: (m, path, text) => dispatchSharedAdmin(m, path, text, ctx) ?? dispatch(m, path, text, ctx),
    // Spring-shaped, like the cloud API's own errors.
    errorBody: (err, path) => springError(err.status, err.message, path, ctx.now()),
  });
}

function dispatch(method: string, path: string, text: string, ctx: AdminContext): AdminReply {
  const { store, admin, view } = ctx;
  switch (path) {
    case '/_admin/clusters':
      allow(['GET'], method);
      return [200, store.all().map(view)];
    case '/_admin/job-outcome': {
      allow(['PUT', 'POST'], method);
      const { outcome } = parse(outcomeSchema, text);
      admin.setDefaultJobOutcome(outcome);
      return [200, { outcome }];
    }
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
