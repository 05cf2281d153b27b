// The NAVER Cloud Data Streaming Service API simulator's HTTP server (spec: shared/specs/
// ncloud-cdss-api.md). A real server on loopback that users run for demos and GitOps CI and our
// tests run in-process (architecture §4). Same architecture as the Hadoop Eco simulator, whose
// fault injection, seedable random and request records it shares (src/simulators/common).
//
// Request pipeline for cloud API paths (/api/{v1|sgn-v1|jpn-v1}/...):
//   read body → faults (latency, drop, 429, 5xx) → route (gateway 404/300 for an unknown path or
//   wrong method, §3.2 / §6 #2) → signature (401/200, 401/210, §2) → handler → §3.1 envelope
// Admin paths (/_admin/...) skip all of that; see admin.ts.
//
// Routing before authentication is our choice [INF]: the gateway must find the API resource
// before it knows how that resource authenticates.
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { handleApiRequest, type ApiReply, type Responder } from '../common/api-pipeline.ts';
import { Faults } from '../common/faults.ts';
import { createRandom } from '../common/random.ts';
import { GENERIC_SECRET_HEADERS, RequestLog, redactBodyFields, REDACTED, type RecordedRequest } from '../common/records.ts';
import { simulatorHandle, startSimulatorServer, type SimulatorHandle } from '../common/server.ts';
import { registerAccessRoutes } from './access-routes.ts';
import { handleAdmin } from './admin.ts';
import { Catalog, DEFAULT_KAFKA_VERSIONS, type ConfigGroup, type KafkaVersion, type LoadBalancer } from './catalog.ts';
import { registerConfigGroupRoutes } from './config-group-routes.ts';
import { BusinessError, endpointError, ERR, GatewayError, notFound, rateLimited, tooLarge, unexpectedError } from './errors.ts';
import { toAdminView, type AdminClusterView, type ClusterRecord } from './model.ts';
import { verifyRequest, type SimulatorCredential } from './signature.ts';
import { idParam, type Handler, type On } from './route-kit.ts';
import { ClusterStore } from './state.ts';
import {
  validateAddBrokers,
  validateCreateG2,
  validateCreateG3,
  validateList,
  validatePasswordReset,
  validateProgress,
  validateUpgrade,
} from './validation.ts';
import { page, toBrokerInfo, toDetail, toHealth, toListItem } from './views.ts';

export type { SimulatorCredential } from './signature.ts';

/** Region codes accepted by baseUrl(); KR → /api/v1, others → /api/{lower}-v1 (§1 [SDK]). */
export type CdssRegion = 'KR' | 'SGN' | 'JPN';
export const REGION_PREFIXES: Record<CdssRegion, string> = { KR: 'v1', SGN: 'sgn-v1', JPN: 'jpn-v1' };

export interface CdssSimulatorOptions {
  credentials: SimulatorCredential[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** creating → running. Default 1500 ms. */
  provisionMs?: number;
  /** changing for a broker scale-out (C8). Default 1000 ms. */
  scaleMs?: number;
  /** changing for a node spec change (C9). Default: scaleMs. */
  specChangeMs?: number;
  /** changing while a config group is applied, a restart (G7). Default: scaleMs. */
  configApplyMs?: number;
  /** changing while the broker public endpoint is enabled (C16). Default: scaleMs. */
  publicEndpointMs?: number;
  /** changing for a whole rolling upgrade (split evenly over the brokers). Default 2000 ms. */
  upgradeMs?: number;
  /** deleting → return. Default 1000 ms. */
  deleteMs?: number;
  /** Multiplies all delays. Default 1; 0 makes transitions happen on the next tick. */
  timeScale?: number;
  /** Seed for ids, request ids and fault draws. Default: random. */
  seed?: number;
  /** Simulator clock (signature window, createDate). Default Date.now. */
  now?: () => number;
  /** The gateway clock is now() + clockSkewMs (simulates a skewed gateway, §2.1). Default 0. */
  clockSkewMs?: number;
  /** HTTP status sent with business errors (code ≠ 0); undocumented (§3.1). Default 400. */
  businessErrorHttpStatus?: number;
  /**
   * Which C15 path exists (§7 conflict); the other answers gateway 404/300. Default 'CMAK' per the
   * live report [3P]; 'both' serves both.
   */
  passwordResetPath?: 'MGMT' | 'CMAK' | 'both';
  /** C5 for an unknown id: business error 10002 ('error', default) or `code 0, result: null` ('null'). */
  unknownClusterResult?: 'error' | 'null';
  /** Broker cap after a scale-out (§5.8 [INF]). Default 10. */
  maxBrokerNodeCount?: number;
  /** Accept C7 on a cluster in `error` (§7 open question). Default true. */
  deleteInErrorState?: boolean;
  /** Kafka versions, oldest → newest (C12 order; "later" means later in this list). */
  kafkaVersions?: KafkaVersion[];
  /** memberNo reported in C4/G3. Default a seeded 7-digit number. */
  memberNo?: string;
  /** Recorded requests kept (oldest dropped first). Default 1000. */
  maxRecordedRequests?: number;
  logger?: Logger;
}

export interface CdssSimulatorAdmin {
  /** Force `error` at once. */
  fail(id: string): AdminClusterView;
  /** Delete outside the operator: deleting → return after deleteMs, or at once with immediate. */
  deleteOutside(id: string, opts?: { immediate?: boolean }): AdminClusterView;
  /** Overwrite the raw status; pending transitions are cancelled. */
  force(id: string, status: string): AdminClusterView;
  setClockSkew(ms: number): void;
  clockSkewMs(): number;
  /** Every config group with its custom values (G5's effect). */
  configGroups(): ConfigGroup[];
  configGroup(no: number): ConfigGroup | undefined;
  /** The load balancers C18 offers (every VPC a cluster was created in has two). */
  loadBalancers(): LoadBalancer[];
  /** Forget clusters, created config groups, faults, records and clock skew. */
  reset(): void;
}

/** url, port, close, faults, requests, clusters, waitFor: see SimulatorHandle (common/server.ts). */
export interface CdssSimulator extends SimulatorHandle<AdminClusterView> {
  /** The API base for a region, e.g. baseUrl('KR') = `${url}/api/v1`. Default KR. */
  baseUrl(region?: CdssRegion): string;
  admin: CdssSimulatorAdmin;
}

const SECRET_HEADERS = new Set(['x-ncp-apigw-signature-v2', 'x-ncp-apigw-signature-v1', ...GENERIC_SECRET_HEADERS]);
const SECRET_BODY_FIELDS = new Set(['kafkaManagerUserPassword']);
const API_PATH = /^\/api\/([a-z0-9-]+)\/(cluster|configGroup)\/([A-Za-z]+)(?:\/([^/]+))?$/;

/** Result wrapper for C5 with unknownClusterResult 'null'. */
const NULL_RESULT = Symbol('null-result');

const copyGroup = (g: ConfigGroup): ConfigGroup => ({ ...g, customValues: { ...g.customValues } });

function toBody(r: RecordedRequest['body']): unknown {
  const b = redactBodyFields(r, SECRET_BODY_FIELDS);
  // A non-JSON body is kept as text; if it mentions the password field, hide it all.
  return typeof b === 'string' && [...SECRET_BODY_FIELDS].some((f) => b.includes(f)) ? REDACTED : b;
}

export async function startCdssSimulator(opts: CdssSimulatorOptions): Promise<CdssSimulator> {
  if (opts.credentials.length === 0) throw new Error('cdss simulator: at least one access key / secret key pair is required');
  const seed = opts.seed;
  const idRandom = createRandom(seed);
  // Separate streams, so faults and request ids do not change the ids a seed produces.
  const faultRandom = createRandom(seed === undefined ? undefined : (seed ^ 0x5bd1e995) >>> 0);
  const requestIdRandom = createRandom(seed === undefined ? undefined : (seed ^ 0x27d4eb2f) >>> 0);
  const now = opts.now ?? Date.now;
  const logger = opts.logger;
  const businessStatus = opts.businessErrorHttpStatus ?? 400;
  const passwordResetPath = opts.passwordResetPath ?? 'CMAK';
  const unknownClusterResult = opts.unknownClusterResult ?? 'error';
  let clockSkewMs = opts.clockSkewMs ?? 0;
  const credentials = opts.credentials.map((c) => ({ ...c }));
  const regions = new Set(Object.values(REGION_PREFIXES));

  const catalog = new Catalog(opts.kafkaVersions ?? DEFAULT_KAFKA_VERSIONS, opts.memberNo ?? String(idRandom.int(1_000_000, 9_999_999)));
  const scaleMs = opts.scaleMs ?? 1000;
  const store = new ClusterStore({
    random: idRandom,
    catalog,
    delays: {
      provisionMs: opts.provisionMs ?? 1500,
      scaleMs,
      specChangeMs: opts.specChangeMs ?? scaleMs,
      configApplyMs: opts.configApplyMs ?? scaleMs,
      publicEndpointMs: opts.publicEndpointMs ?? scaleMs,
      upgradeMs: opts.upgradeMs ?? 2000,
      deleteMs: opts.deleteMs ?? 1000,
    },
    timeScale: opts.timeScale ?? 1,
    now,
    maxBrokerNodeCount: opts.maxBrokerNodeCount ?? 10,
    deleteInErrorState: opts.deleteInErrorState ?? true,
    logger,
  });
  const faults = new Faults(faultRandom);
  const log = new RequestLog(opts.maxRecordedRequests ?? 1000);
  const closing = new AbortController();

  const admin: CdssSimulatorAdmin = {
    fail: (id) => toAdminView(store.adminFail(id)),
    deleteOutside: (id, o) => toAdminView(store.adminDelete(id, o?.immediate ?? false)),
    force: (id, status) => toAdminView(store.force(id, status)),
    setClockSkew: (ms) => {
      clockSkewMs = ms;
    },
    clockSkewMs: () => clockSkewMs,
    configGroups: () => catalog.allGroups().map(copyGroup),
    configGroup: (no) => {
      const g = catalog.findGroup(no);
      return g === undefined ? undefined : copyGroup(g);
    },
    loadBalancers: () => catalog.allLoadBalancers(),
    reset: () => {
      store.reset();
      catalog.reset();
      faults.reset();
      log.clear();
      clockSkewMs = opts.clockSkewMs ?? 0;
    },
  };

  const passwordReset: Handler = (call) => {
    const id = idParam(call);
    store.get(call.region, id);
    store.resetPassword(call.region, id, validatePasswordReset(call.body()).kafkaManagerUserPassword);
    return true;
  };

  // Operation table (§5.1). `param` marks operations with a path parameter.
  const routes = new Map<string, { method: string; handler: Handler }>();
  const on: On = (group, op, method, param, handler) => {
    routes.set(`${group}/${op}${param ? '/{}' : ''}`, { method, handler });
  };

  // C1 / C2 / C3 (§5.2, §5.3).
  on('cluster', 'createCDSSCluster', 'POST', false, (call) => {
    store.create(call.region, validateCreateG2(call.body()));
    return true;
  });
  on('cluster', 'createCDSSClusterReturnServiceGroupInstanceNo', 'POST', false, (call) => ({
    serviceGroupInstanceNo: Number(store.create(call.region, validateCreateG2(call.body())).id),
  }));
  on('cluster', 'createKvmCluster', 'POST', false, (call) => {
    store.create(call.region, validateCreateG3(call.body()));
    return true;
  });
  // C4 (§5.4): body paging; the old query-string form (§7) is honoured when the body has none.
  on('cluster', 'getClusterInfoList', 'POST', false, (call) => {
    const raw = call.body();
    const fromQuery = { pageNo: call.query.get('pageNo') ?? undefined, pageSize: call.query.get('pageSize') ?? undefined };
    const b = validateList(typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...fromQuery, ...raw } : raw);
    const needle = b.inputText ?? '';
    const rows = store
      .inRegion(call.region)
      .filter((c) => c.input.clusterName.includes(needle) && (b.vpcName === undefined || b.vpcName === '' || c.vpcName === b.vpcName));
    const { paging, items } = page(rows, b.pageNo ?? 1, b.pageSize ?? 10);
    return { ...paging, allowedClusters: items.map((c) => toListItem(c, catalog)), disallowedClusters: [] };
  });
  // C5 (§5.5), POST for a read; the body is ignored.
  on('cluster', 'getClusterInfoList', 'POST', true, (call) => {
    const id = idParam(call);
    if (unknownClusterResult === 'null' && store.find(id)?.region !== call.region) return NULL_RESULT;
    return toDetail(store.get(call.region, id));
  });
  on('cluster', 'getClusterStatus', 'GET', true, (call) => toHealth(store.get(call.region, idParam(call))));
  on('cluster', 'deleteCDSSCluster', 'DELETE', true, (call) => {
    store.delete(call.region, idParam(call));
    return true;
  });
  on('cluster', 'changeCountOfBrokerNode', 'POST', true, (call) => {
    const id = idParam(call);
    store.get(call.region, id); // unknown id before body problems, as a path lookup would
    store.addBrokers(call.region, id, validateAddBrokers(call.body()).newBrokerNodeCount);
    return true;
  });
  on('cluster', 'getCDSSVersionList', 'GET', false, () => ({ kafkaVersionList: catalog.versions.map((v) => ({ ...v })) }));
  on('cluster', 'getBrokerInfo', 'GET', true, (call) => toBrokerInfo(store.get(call.region, idParam(call))));
  // C15 (§5.13, §7): one path or the other exists, per option.
  if (passwordResetPath !== 'MGMT') on('cluster', 'resetCMAKPassword', 'POST', true, passwordReset);
  if (passwordResetPath !== 'CMAK') on('cluster', 'resetMGMTPassword', 'POST', true, passwordReset);
  // C20-C22 (§5.15): the cluster id is in the body.
  on('cluster', 'rollingUpgradePreCheck', 'POST', false, (call) => {
    const b = validateUpgrade(call.body());
    store.checkUpgrade(call.region, b.serviceGroupInstanceNo, b.upgradeKafkaVersionCode, b.upgradeConfigGroupNo);
    return true;
  });
  on('cluster', 'rollingUpgrade', 'POST', false, (call) => {
    const b = validateUpgrade(call.body());
    store.upgrade(call.region, b.serviceGroupInstanceNo, b.upgradeKafkaVersionCode, b.upgradeConfigGroupNo);
    return true;
  });
  on('cluster', 'rollingUpgradeProgressCheck', 'POST', false, (call) =>
    toHealth(store.get(call.region, validateProgress(call.body()).serviceGroupInstanceNo)),
  );
  // C9/C10, C16-C19, C25 (access-routes.ts); G1-G10 (config-group-routes.ts).
  registerAccessRoutes(on, catalog, store);
  registerConfigGroupRoutes(on, catalog, store);

  const envelope = (code: number, message: string, result: unknown) => ({ code, message, result, requestId: requestIdRandom.uuid() });

  function match(method: string, path: string): { region: string; param: string | undefined; handler: Handler } {
    const m = API_PATH.exec(path);
    if (m === null) throw notFound();
    const [, region = '', group = '', op = '', param] = m;
    if (!regions.has(region)) throw notFound();
    // C4 and C5 share a name and differ by the path parameter.
    const route = routes.get(`${group}/${op}${param === undefined ? '' : '/{}'}`);
    // §3.2 / §6 #2: a wrong method looks like an unknown path.
    if (route === undefined || route.method !== method) throw notFound();
    return { region, param: param === undefined ? undefined : decodeURIComponent(param), handler: route.handler };
  }

  function parseJson(text: string): unknown {
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new BusinessError(ERR.INVALID_PARAMETER, `request body is not valid JSON: ${(err as Error).message}`);
    }
  }

  /** After faults: route, signature, handler, §3.1 envelope; gateway errors go out as they are. */
  function handle(req: IncomingMessage, method: string, url: URL, bodyText: string): ApiReply {
    try {
      const route = match(method, url.pathname);
      verifyRequest(req, method, credentials, now() + clockSkewMs);
      const result = route.handler({
        region: route.region,
        method,
        param: route.param,
        query: url.searchParams,
        body: () => parseJson(bodyText),
      });
      return { status: 200, body: envelope(0, 'SUCCESS', result === NULL_RESULT ? null : result), delayable: true };
    } catch (err) {
      if (err instanceof GatewayError) return { status: err.status, body: err.body(), headers: err.headers, delayable: false };
      if (!(err instanceof BusinessError)) throw err;
      return { status: businessStatus, body: envelope(err.code, err.message, null), delayable: true };
    }
  }

  const sendGateway = (r: Responder, e: GatewayError): void => r.json(e.status, e.body(), e.headers);
  const server = await startSimulatorServer({
    name: 'cdss simulator',
    host: opts.host,
    port: opts.port,
    logger,
    // The gateway's own clock, as every HTTP server reports it: how a client can tell clock skew.
    onRequest: (res) => res.setHeader('Date', new Date(now() + clockSkewMs).toUTCString()),
    admin: (req, res, method, url) => handleAdmin(req, res, method, url, { store, faults, log, admin, catalog }),
    api: (req, res, method, url) =>
      handleApiRequest(
        {
          name: 'cdss simulator',
          faults,
          log,
          closing: closing.signal,
          now,
          logger,
          secretHeaders: SECRET_HEADERS,
          recordBody: toBody,
          handle,
          bodyRejected: (r, err) => {
            if (err.status !== 413) throw err;
            sendGateway(r, tooLarge());
          },
          throttled: (r, retryAfterSeconds) => sendGateway(r, rateLimited(retryAfterSeconds)),
          // Gateway bodies (§3.2): 503/500 "Endpoint Error" for an unreachable backend (the common
          // faults module draws 500/502/503; 502 and 503 both become 503 here), 500/900
          // "Unexpected Error".
          failed: (r, status) => sendGateway(r, status === 500 ? unexpectedError() : endpointError()),
          unexpected: (r) => sendGateway(r, unexpectedError()),
        },
        req,
        res,
        method,
        url,
      ),
    internalError: () => unexpectedError().body(),
  });
  const { url, port } = server;
  logger?.info({ url, port }, 'cdss simulator: listening');

  const view = (c: ClusterRecord): AdminClusterView => toAdminView(c);
  return {
    ...simulatorHandle({ name: 'cdss simulator', server, closing, store, faults, log, view }),
    baseUrl: (region = 'KR') => `${url}/api/${REGION_PREFIXES[region]}`,
    admin,
  };
}
