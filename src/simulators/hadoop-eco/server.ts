// The Hadoop Eco Open API simulator's HTTP server (spec §2). A real server on loopback that users
// run for demos and GitOps CI and our tests run in-process (architecture §4).
//
// Request pipeline for cloud API paths (/v2/hadoop-eco/...):
//   read body → record → faults (latency, drop, 429, 5xx) → credentials (401/403) → route → handler
// Admin paths (/_admin/...) skip faults, credentials and recording; see admin.ts.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { handleAdmin } from './admin.ts';
import { handleApiRequest, type ApiReply } from '../common/api-pipeline.ts';
import { Faults } from '../common/faults.ts';
import { allowMethods as allow, HttpError, isJsonContentType } from '../common/http.ts';
import type { AdminClusterView, ClusterRecord, JobOutcome } from './model.ts';
import { DEFAULT_PAGE_SIZE, likeMatch, parseBooleanParam, parsePaging, parseSort, sortBy, toPage, type SortOrder } from './paging.ts';
import { createRandom } from '../common/random.ts';
import { RequestLog } from '../common/records.ts';
import { simulatorHandle, startSimulatorServer, type SimulatorHandle } from '../common/server.ts';
import { springError } from './spring-error.ts';
import { ClusterStore } from './state.ts';
import { validateCreate, validateScale } from './validation.ts';
import { isTerminated, toAction, toDetail, toSummary, toVm } from './views.ts';

export interface SimulatorCredential {
  credentialId: string;
  credentialSecret: string;
  /** Mutations (create, delete, scale) answer 403 (spec §1.3 "no permission"). */
  readOnly?: boolean;
  /** Shown as the `owner` of clusters this credential creates. */
  owner?: string;
}

export type ScaleInMethod = 'POST' | 'DELETE';

export interface HadoopEcoSimulatorOptions {
  credentials: SimulatorCredential[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Initializing → Running. Default 1500 ms. */
  provisionMs?: number;
  /** Duration of a scale-out/in (isScalable false meanwhile). Default 1000 ms. */
  scaleMs?: number;
  /** Terminating → Terminated(…). Default 1000 ms. */
  terminateMs?: number;
  /** Running → job finished, for clusters with a userTask. Default 1000 ms. */
  jobMs?: number;
  /** Multiplies all four delays. Default 1; 0 makes transitions happen on the next tick. */
  timeScale?: number;
  /** Verbs accepted on …/scale-in (spec §2.7 conflict). Default ['POST', 'DELETE']; others get 405. */
  scaleInMethods?: ScaleInMethod[];
  /** Outcome of userTask jobs unless overridden per cluster. Default 'success'. */
  jobOutcome?: JobOutcome;
  /** Seed for ids and fault draws. Default: random. */
  seed?: number;
  /** Owner for credentials without one. Default 'simulator-user@example.com'. */
  owner?: string;
  /** Project id used in Object Storage log URLs. Default: 32 seeded hex characters. */
  projectId?: string;
  /** Region used in Object Storage log URLs. Default 'kr-central-2'. */
  region?: string;
  /** Recorded requests kept (oldest dropped first). Default 1000. */
  maxRecordedRequests?: number;
  /** Private addresses the VMs and services draw from (default 65,024: 10.0.0.0/16, .2-.254 of each /24). */
  addressPoolSize?: number;
  logger?: Logger;
  /** Clock for createdAt/runningAt etc. Default Date.now. */
  now?: () => number;
}

export interface HadoopEcoSimulatorAdmin {
  /** Terminate as if from the console: Terminating → `status` (default Terminated(User)). */
  terminate(id: string, opts?: { status?: string; immediate?: boolean }): AdminClusterView;
  /** Immediate error termination; default status Terminated(Error). */
  fail(id: string, status?: string): AdminClusterView;
  setJobOutcome(id: string, outcome: JobOutcome): AdminClusterView;
  setDefaultJobOutcome(outcome: JobOutcome): void;
  /** Overwrite status and/or isScalable (no transition logic). */
  force(id: string, patch: { status?: string; isScalable?: boolean }): AdminClusterView;
  /** Forget all clusters, faults and recorded requests. */
  reset(): void;
}

/** url, port, close, faults, requests, clusters, waitFor: see SimulatorHandle (common/server.ts). */
export interface HadoopEcoSimulator extends SimulatorHandle<AdminClusterView> {
  admin: HadoopEcoSimulatorAdmin;
}

const API_PREFIX = '/v2/hadoop-eco/clusters';
const CLUSTER_SORTABLE = new Set([
  'id',
  'name',
  'status',
  'owner',
  'clusterType',
  'clusterVersion',
  'apiKeyStatus',
  'masterCnt',
  'workerCnt',
  'createdAt',
  'runningAt',
  'elapsedTime',
]);
// Spec §2.4 list plus `status`, which the seed's VM example 2 sorts by successfully (§5 #12).
const VM_SORTABLE = new Set(['name', 'instanceId', 'isMaster', 'flavorName', 'ip', 'floatingIp', 'createdAt', 'status']);
const DEFAULT_SORT: SortOrder[] = [{ field: 'createdAt', direction: 'desc' }];

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export async function startHadoopEcoSimulator(opts: HadoopEcoSimulatorOptions): Promise<HadoopEcoSimulator> {
  if (opts.credentials.length === 0) throw new Error('hadoop-eco simulator: at least one credential pair is required');
  const seed = opts.seed;
  const idRandom = createRandom(seed);
  // A separate stream for faults, so injecting faults does not change the ids a seed produces.
  const faultRandom = createRandom(seed === undefined ? undefined : (seed ^ 0x5bd1e995) >>> 0);
  const now = opts.now ?? Date.now;
  const logger = opts.logger;
  const projectId = opts.projectId ?? idRandom.hex(32);
  const objectStorageBase = `https://objectstorage.${opts.region ?? 'kr-central-2'}.kakaocloud.com/v1/${projectId}`;
  const scaleInMethods = new Set<string>(opts.scaleInMethods ?? ['POST', 'DELETE']);
  const defaultOwner = opts.owner ?? 'simulator-user@example.com';
  const credentials = opts.credentials.map((c) => ({ ...c, idDigest: digest(c.credentialId), secretDigest: digest(c.credentialSecret) }));

  const store = new ClusterStore({
    random: idRandom,
    delays: {
      provisionMs: opts.provisionMs ?? 1500,
      scaleMs: opts.scaleMs ?? 1000,
      terminateMs: opts.terminateMs ?? 1000,
      jobMs: opts.jobMs ?? 1000,
    },
    timeScale: opts.timeScale ?? 1,
    now,
    defaultJobOutcome: opts.jobOutcome ?? 'success',
    ...(opts.addressPoolSize !== undefined ? { addressPoolSize: opts.addressPoolSize } : {}),
    logger,
  });
  const faults = new Faults(faultRandom);
  const log = new RequestLog(opts.maxRecordedRequests ?? 1000);
  const closing = new AbortController();

  const adminView = (c: ClusterRecord): AdminClusterView => ({
    ...toDetail(c, now(), objectStorageBase),
    ...(c.job && { job: { ...c.job } }),
  });

  const admin: HadoopEcoSimulatorAdmin = {
    terminate: (id, o) => adminView(store.adminTerminate(id, o)),
    fail: (id, status) => adminView(store.adminFail(id, status)),
    setJobOutcome: (id, outcome) => adminView(store.setJobOutcome(id, outcome)),
    setDefaultJobOutcome: (outcome) => {
      store.defaultJobOutcome = outcome;
    },
    force: (id, patch) => adminView(store.force(id, patch)),
    reset: () => {
      store.reset();
      faults.reset();
      log.clear();
    },
  };

  /** Spec §1.2: Credential-ID and Credential-Secret on every call (header names case-insensitive). */
  function authenticate(req: IncomingMessage): SimulatorCredential {
    const id = header(req, 'credential-id');
    const secret = header(req, 'credential-secret');
    if (id === undefined || secret === undefined || id === '' || secret === '') {
      throw new HttpError(401, 'credential authentication failed: Credential-ID and Credential-Secret headers are required');
    }
    const idD = digest(id);
    const secretD = digest(secret);
    // Compare digests in constant time and check every pair, so timing says nothing about which part was wrong.
    let match: SimulatorCredential | undefined;
    for (const c of credentials) {
      const ok = timingSafeEqual(idD, c.idDigest) && timingSafeEqual(secretD, c.secretDigest);
      if (ok && match === undefined) match = c;
    }
    if (match === undefined) throw new HttpError(401, 'credential authentication failed');
    return match;
  }

  function parseJsonBody(req: IncomingMessage, text: string): unknown {
    // Spec §1.2: Content-Type: application/json is required on requests with a body; Spring
    // answers 415 otherwise.
    if (!isJsonContentType(header(req, 'content-type'))) {
      throw new HttpError(415, `Content-Type '${header(req, 'content-type') ?? ''}' is not supported; use application/json`);
    }
    if (text.trim() === '') throw new HttpError(400, 'Required request body is missing');
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new HttpError(400, `JSON parse error: ${(err as Error).message}`);
    }
  }

  function requireWritable(cred: SimulatorCredential): void {
    if (cred.readOnly) throw new HttpError(403, 'no permission: this access key is read-only');
  }

  /** Dispatches a cloud API request after faults and auth. Returns [status, body]. */
  function route(
    req: IncomingMessage,
    method: string,
    path: string,
    query: URLSearchParams,
    bodyText: string,
    cred: SimulatorCredential,
  ): [number, unknown] {
    if (path === API_PREFIX) {
      allow(['GET', 'POST'], method);
      if (method === 'POST') {
        requireWritable(cred);
        const v = validateCreate(parseJsonBody(req, bodyText));
        if (!v.ok) throw new HttpError(400, v.message);
        const c = store.create(v.value, cred.owner ?? defaultOwner);
        return [200, toAction(c)];
      }
      return [200, listClusters(query)];
    }
    const m = /^\/v2\/hadoop-eco\/clusters\/([^/]+)(?:\/(vms|scale-out|scale-in))?$/.exec(path);
    if (m === null) throw new HttpError(404, 'Not Found');
    const id = decodeURIComponent(m[1] ?? '');
    const sub = m[2];
    switch (sub) {
      case undefined: {
        // POST here is the job re-run API (spec §2.9), which the simulator does not model.
        allow(['GET', 'DELETE'], method);
        if (method === 'GET') return [200, toDetail(store.get(id), now(), objectStorageBase)];
        requireWritable(cred);
        return [200, toAction(store.delete(id))];
      }
      case 'vms': {
        allow(['GET'], method);
        // No 404 is documented for /vms (spec §1.3); we answer 404 for an unknown id as for GET [INF].
        return [200, listVms(store.get(id), query)];
      }
      case 'scale-out':
      case 'scale-in': {
        allow(sub === 'scale-out' ? ['POST'] : [...scaleInMethods], method);
        requireWritable(cred);
        store.get(id); // 404 before body validation, as a path-variable lookup would
        const v = validateScale(parseJsonBody(req, bodyText));
        if (!v.ok) throw new HttpError(400, v.message);
        return [200, toAction(store.scale(id, sub === 'scale-out' ? 'out' : 'in', v.value.scaleCnt))];
      }
      default:
        throw new HttpError(404, 'Not Found');
    }
  }

  /** Spec §2.3: includeTerminated defaults to true; name/apiKeyStatus are substring filters. */
  function listClusters(query: URLSearchParams) {
    const { page, size } = parsePaging(query);
    const orders = parseSort(query, CLUSTER_SORTABLE, DEFAULT_SORT, 'Cluster');
    const includeTerminated = parseBooleanParam(query, 'includeTerminated', true);
    const t = now();
    const rows = store
      .all()
      .sort((a, b) => a.seq - b.seq)
      .filter((c) => includeTerminated || !isTerminated(c.status))
      .map((c) => toSummary(c, t))
      .filter((s) => likeMatch(s.name, query.get('name')) && likeMatch(s.apiKeyStatus, query.get('apiKeyStatus')));
    const sorted = sortBy(rows, orders, (s, f) => s[f as keyof typeof s]);
    return toPage(sorted, page, size, true);
  }

  /** Spec §2.4: name / ip / instanceId like-filters, default sort createdAt,desc. */
  function listVms(c: ClusterRecord, query: URLSearchParams) {
    const { page, size } = parsePaging(query);
    const orders = parseSort(query, VM_SORTABLE, DEFAULT_SORT, 'Vm');
    const rows = c.vms
      .map(toVm)
      .filter(
        (v) => likeMatch(v.name, query.get('name')) && likeMatch(v.ip, query.get('ip')) && likeMatch(v.instanceId, query.get('instanceId')),
      );
    const sorted = sortBy(rows, orders, (v, f) => (f === 'floatingIp' ? null : v[f as keyof typeof v]));
    return toPage(sorted, page, size, true);
  }

  /** After faults: credentials, then the route; HttpErrors become Spring-style error bodies. */
  function handle(req: IncomingMessage, method: string, url: URL, bodyText: string): ApiReply {
    try {
      const cred = authenticate(req);
      const [status, body] = route(req, method, url.pathname, url.searchParams, bodyText, cred);
      return { status, body, delayable: true };
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return {
        status: err.status,
        body: springError(err.status, err.message, url.pathname, now()),
        headers: err.headers,
        delayable: false,
      };
    }
  }

  const server = await startSimulatorServer({
    name: 'hadoop-eco simulator',
    host: opts.host,
    port: opts.port,
    logger,
    admin: (req, res, method, url) => handleAdmin(req, res, method, url, { store, faults, log, admin, view: adminView, now }),
    api: (req, res, method, url) =>
      handleApiRequest(
        {
          name: 'hadoop-eco simulator',
          faults,
          log,
          closing: closing.signal,
          now,
          logger,
          handle,
          bodyRejected: (r, err, path) => r.json(err.status, springError(err.status, err.message, path, now())),
          // A gateway answer, not Spring's: KakaoCloud's `{error:{code,message}}` shape (spec §1.4 [TF]).
          throttled: (r, retryAfterSeconds) =>
            r.json(
              429,
              { error: { code: 'TooManyRequests', message: 'rate limit exceeded; retry later' } },
              { 'retry-after': String(retryAfterSeconds) },
            ),
          failed: (r, status, path) => {
            if (status === 500) r.json(500, springError(500, 'simulated internal error', path, now()));
            else
              r.text(
                status,
                'text/html',
                `<html><body><h1>${status} ${status === 502 ? 'Bad Gateway' : 'Service Temporarily Unavailable'}</h1></body></html>`,
              );
          },
          unexpected: (r, path) => r.json(500, springError(500, 'Internal Server Error', path, now())),
        },
        req,
        res,
        method,
        url,
      ),
    internalError: (path) => springError(500, 'Internal Server Error', path, now()),
  });
  const { url, port } = server;
  logger?.info({ url, port, pageSizeDefault: DEFAULT_PAGE_SIZE }, 'hadoop-eco simulator: listening');

  return { ...simulatorHandle({ name: 'hadoop-eco simulator', server, closing, store, faults, log, view: adminView }), admin };
}
