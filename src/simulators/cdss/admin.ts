// The CDSS simulator's admin API under /_admin (architecture §4), same conventions as the Hadoop
// Eco one: no cloud credentials (loopback by default), never faulted or recorded. Errors are
// `{status, message}`.
//
//   GET    /_admin/faults                    current fault config
//   PUT    /_admin/faults  (or POST)         replace it: {errorRate, throttleRate, retryAfterSeconds,
//                                            latencyMs, dropRate, responseDelayMs, only: {methods, paths}, times}
//   DELETE /_admin/faults                    reset to no faults
//   GET    /_admin/requests                  recorded API requests (signature and password redacted)
//   DELETE /_admin/requests                  clear them
//   GET    /_admin/clusters                  every cluster (all regions)
//   GET    /_admin/clusters/{id}             one cluster
//   PATCH  /_admin/clusters/{id}             force {status}: raw overwrite, pending transitions cancelled
//   POST   /_admin/clusters/{id}/fail        status `error` at once
//   POST   /_admin/clusters/{id}/delete      {immediate?}: deleted outside the operator (deleting → return)
//   GET    /_admin/clock                     {skewMs}
//   PUT    /_admin/clock  (or POST)          {skewMs}: the gateway clock runs skewMs ahead (negative: behind)
//   GET    /_admin/config-groups             every config group (seeded and created) with its customValues
//   GET    /_admin/config-groups/{no}        one config group
//   GET    /_admin/load-balancers            the load balancers C18 offers, with their vpcNo
//   POST   /_admin/reset                     forget clusters, created config groups, faults, requests, skew
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { dispatchSharedAdmin, parseAdminBody as parse, serveAdmin, type AdminReply } from '../common/admin.ts';
import type { Faults } from '../common/faults.ts';
import { allowMethods as allow, HttpError } from '../common/http.ts';
import type { RequestLog } from '../common/records.ts';
import type { Catalog } from './catalog.ts';
import { BusinessError } from './errors.ts';
import { toAdminView } from './model.ts';
import type { CdssSimulatorAdmin } from './server.ts';
import type { ClusterStore } from './state.ts';

export interface AdminContext {
  store: ClusterStore;
  faults: Faults;
  log: RequestLog;
  admin: CdssSimulatorAdmin;
  catalog: Catalog;
}

const forceSchema = z.strictObject({ status: z.string().min(1) });
const deleteSchema = z.strictObject({ immediate: z.boolean().optional() });
const clockSchema = z.strictObject({ skewMs: z.int() });

export function handleAdmin(req: IncomingMessage, res: ServerResponse, method: string, url: URL, ctx: AdminContext): Promise<void> {
  return serveAdmin(req, res, method, url, {
    dispatch: (m, path, text) => dispatchSharedAdmin(m, path, text, ctx) ?? dispatch(m, path, text, ctx),
    errorBody: (err) => ({ status: err.status, message: err.message }),
    // The store's "no such cluster" is a business error on the cloud API and a 404 here.
    toHttpError: (err) => (err instanceof BusinessError ? new HttpError(404, err.message) : undefined),
  });
}

function dispatch(method: string, path: string, text: string, ctx: AdminContext): AdminReply {
  const { store, admin } = ctx;
  switch (path) {
    case '/_admin/clusters':
      allow(['GET'], method);
      return [200, store.all().map(toAdminView)];
    case '/_admin/clock':
      allow(['GET', 'PUT', 'POST'], method);
      if (method !== 'GET') admin.setClockSkew(parse(clockSchema, text).skewMs);
      return [200, { skewMs: admin.clockSkewMs() }];
    case '/_admin/config-groups':
      allow(['GET'], method);
      return [200, admin.configGroups()];
    case '/_admin/load-balancers':
      allow(['GET'], method);
      return [200, admin.loadBalancers()];
    default:
      break;
  }
  const g = /^\/_admin\/config-groups\/(\d+)$/.exec(path);
  if (g !== null) {
    allow(['GET'], method);
    const group = admin.configGroup(Number(g[1]));
    if (group === undefined) throw new HttpError(404, `config group ${g[1]} does not exist`);
    return [200, group];
  }
  const m = /^\/_admin\/clusters\/([^/]+)(?:\/(fail|delete))?$/.exec(path);
  if (m === null) throw new HttpError(404, 'Not Found');
  const id = decodeURIComponent(m[1] ?? '');
  switch (m[2]) {
    case undefined:
      allow(['GET', 'PATCH'], method);
      if (method === 'GET') return [200, toAdminView(store.require(id))];
      return [200, admin.force(id, parse(forceSchema, text).status)];
    case 'fail':
      allow(['POST'], method);
      return [200, admin.fail(id)];
    case 'delete':
      allow(['POST'], method);
      return [200, admin.deleteOutside(id, parse(deleteSchema, text))];
    default:
      throw new HttpError(404, 'Not Found');
  }
}
