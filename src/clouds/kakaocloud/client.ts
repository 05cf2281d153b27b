// KakaoCloud Hadoop Eco Open API client (spec kakaocloud-hadoop-eco-api.md §2, surface of §7).
// Transport, retries and rate limiting are the shared CloudHttp's; this file knows paths, query
// parameters, which 404 means "gone", and the scale-in verb quirk.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { InvalidSpecError } from '../../runtime/errors.ts';
import type { CloudHttp, CloudResponse, HttpMethod } from '../http.ts';
import { CloudInconsistentError, EndpointNotFoundError, urlForMessage } from '../errors.ts';
import { hadoopEcoError, isApiNotFound, malformedResponse } from './errors.ts';
import { classifyClusterStatus } from './status.ts';
import {
  ClusterActionResponseSchema,
  ClusterDetailSchema,
  ClusterPageSchema,
  CreateClusterRequestSchema,
  VmPageSchema,
  type ClusterActionResponse,
  type ClusterDetail,
  type ClusterSummary,
  type CreateClusterRequest,
  type Page,
  type Vm,
} from './types.ts';

export const CLOUD = 'kakaocloud';
const CLUSTERS_PATH = '/v2/hadoop-eco/clusters';
// A server that never says `last` must not keep an iterator going forever.
const MAX_PAGES = 1_000;
const ALL_PAGE_SIZE = 100;

export interface HadoopEcoCredentials {
  credentialId: string;
  credentialSecret: string;
}

export type ScaleInVerb = 'POST' | 'DELETE';

export interface HadoopEcoClientOptions {
  baseUrl: string;
  credentials: HadoopEcoCredentials;
  http: CloudHttp;
  log: Logger;
  /** spec §2.7: the endpoint header says POST, the worked example DELETE. Default POST. */
  scaleInVerb?: ScaleInVerb;
}

export interface ListClustersQuery {
  /** 0-based (spec §5 #7). */
  page?: number;
  size?: number;
  /** The server's default is true (spec §2.3). */
  includeTerminated?: boolean;
  /** Substring match on the server. */
  name?: string;
  apiKeyStatus?: string;
  /** `field,asc|desc`, one parameter each, in priority order. */
  sort?: readonly string[];
}

export interface ListVmsQuery {
  page?: number;
  size?: number;
  name?: string;
  /** A like-match on the private IP, sent as a string (spec §5 #9). */
  ip?: string;
  instanceId?: string;
  sort?: readonly string[];
}

export class HadoopEcoClient {
  readonly #credentials: HadoopEcoCredentials;
  private readonly baseUrl: string;
  private readonly http: CloudHttp;
  private readonly log: Logger;
  /** Derived from the credential id; names this tenant's rate-limit bucket without revealing it. */
  readonly credentialKey: string;
  private scaleInVerbInUse: ScaleInVerb;

  constructor(opts: HadoopEcoClientOptions) {
    this.#credentials = { ...opts.credentials };
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.http = opts.http;
    this.log = opts.log;
    this.scaleInVerbInUse = opts.scaleInVerb ?? 'POST';
    this.credentialKey = createHash('sha256').update(opts.credentials.credentialId).digest('hex').slice(0, 16);
  }

  /** The scale-in verb currently used (it changes after a successful fallback). */
  get scaleInVerb(): ScaleInVerb {
    return this.scaleInVerbInUse;
  }

  /**
   * POST /v2/hadoop-eco/clusters. Never retried: creation is not idempotent (spec §6.2); after a
   * timeout (`CloudRequestError.outcomeUnknown`) or a `ClusterNameTakenError`, look the cluster
   * up with `findLiveClustersByName`.
   */
  async createCluster(req: CreateClusterRequest): Promise<ClusterActionResponse> {
    const checked = CreateClusterRequestSchema.safeParse(req);
    if (!checked.success) {
      throw new InvalidSpecError('InvalidClusterRequest', `Hadoop Eco create request is invalid: ${describeIssues(checked.error)}`);
    }
    const res = await this.send('createCluster', 'POST', CLUSTERS_PATH, { body: checked.data });
    // A backend that quotes rejected values could echo the Base64 passwords of the body.
    const passwords = [checked.data.adminInfo?.userPw, checked.data.hiveDbInfo?.userPw].filter((p): p is string => Boolean(p));
    if (!isOk(res))
      throw hadoopEcoError(res, { operation: 'createCluster', clusterName: checked.data.name, secrets: [...this.secrets(), ...passwords] });
    return this.parse(ClusterActionResponseSchema, res, 'createCluster');
  }

  /**
   * GET /v2/hadoop-eco/clusters/{id}; null only on proof that the cluster does not exist: a 404
   * in the API's own shape and a list of the same API that does not show it alive. Any other 404
   * is an `EndpointNotFoundError` (a wrong endpoint or a proxy proves nothing, and a finalizer
   * released on it would leave a billing cluster behind).
   */
  async getCluster(id: string): Promise<ClusterDetail | null> {
    const path = clusterPath(id);
    const res = await this.send('getCluster', 'GET', path);
    if (res.status === 404) return this.confirmAbsent(id, res);
    if (!isOk(res)) throw hadoopEcoError(res, { operation: 'getCluster', url: this.baseUrl + path, secrets: this.secrets() });
    return this.parse(ClusterDetailSchema, res, 'getCluster');
  }

  /** The second half of the proof: the list (tombstones included) must not show `id` alive. */
  private async confirmAbsent(id: string, res: CloudResponse): Promise<null> {
    const url = urlForMessage(this.baseUrl + clusterPath(id));
    if (!isApiNotFound(res)) throw new EndpointNotFoundError(url, "the body is not the Hadoop Eco API's own answer");
    for await (const c of this.listAllClusters({ includeTerminated: true })) {
      if (c.id !== id) continue;
      if (classifyClusterStatus(c.status).kind === 'terminated') return null;
      throw new CloudInconsistentError(`Hadoop Eco getCluster answered 404 for ${id}, but the cluster list shows it ${c.status}`);
    }
    return null;
  }

  /** GET /v2/hadoop-eco/clusters, one page. */
  async listClusters(q: ListClustersQuery = {}): Promise<Page<ClusterSummary>> {
    const query = queryString([
      ['page', q.page],
      ['size', q.size],
      ['includeTerminated', q.includeTerminated],
      ['name', q.name],
      ['apiKeyStatus', q.apiKeyStatus],
      ...(q.sort ?? []).map((s): QueryEntry => ['sort', s]),
    ]);
    const res = await this.send('listClusters', 'GET', CLUSTERS_PATH + query);
    if (!isOk(res)) throw hadoopEcoError(res, { operation: 'listClusters', url: this.baseUrl + CLUSTERS_PATH, secrets: this.secrets() });
    return this.parse(ClusterPageSchema, res, 'listClusters');
  }

  /** Every cluster matching `q`, page by page (spec §2.8). */
  async *listAllClusters(q: Omit<ListClustersQuery, 'page'> = {}): AsyncGenerator<ClusterSummary, void, undefined> {
    const size = q.size ?? ALL_PAGE_SIZE;
    for (let page = 0; page < MAX_PAGES; page++) {
      const p = await this.listClusters({ ...q, size, page });
      yield* p.content;
      if (isLastPage(p, page)) return;
    }
  }

  /**
   * Non-terminated clusters named exactly `name`. The server's `name` filter is a substring match
   * and terminated tombstones keep their names (spec §2.8, §6.2–6.3), so both are re-checked here.
   */
  async findLiveClustersByName(name: string): Promise<ClusterSummary[]> {
    const found: ClusterSummary[] = [];
    for await (const c of this.listAllClusters({ name, includeTerminated: false })) {
      if (c.name === name && classifyClusterStatus(c.status).kind !== 'terminated') found.push(c);
    }
    return found;
  }

  /**
   * GET /v2/hadoop-eco/clusters/{id}/vms, one page. A 404 is not documented here (spec §1.3) but
   * is read like getCluster's: the cluster is gone, so null.
   */
  async listVms(id: string, q: ListVmsQuery = {}): Promise<Page<Vm> | null> {
    const query = queryString([
      ['page', q.page],
      ['size', q.size],
      ['name', q.name],
      ['ip', q.ip],
      ['instanceId', q.instanceId],
      ...(q.sort ?? []).map((s): QueryEntry => ['sort', s]),
    ]);
    const res = await this.send('listVms', 'GET', `${clusterPath(id)}/vms${query}`);
    if (res.status === 404 && isApiNotFound(res)) return null;
    if (!isOk(res))
      throw hadoopEcoError(res, { operation: 'listVms', url: `${this.baseUrl}${clusterPath(id)}/vms`, secrets: this.secrets() });
    return this.parse(VmPageSchema, res, 'listVms');
  }

  /** All VMs of a cluster, or null when the cluster does not exist. */
  async listAllVms(id: string, q: Omit<ListVmsQuery, 'page'> = {}): Promise<Vm[] | null> {
    const vms: Vm[] = [];
    const size = q.size ?? ALL_PAGE_SIZE;
    for (let page = 0; page < MAX_PAGES; page++) {
      const p = await this.listVms(id, { ...q, size, page });
      if (p === null) return null;
      vms.push(...p.content);
      if (isLastPage(p, page)) break;
    }
    return vms;
  }

  /**
   * DELETE /v2/hadoop-eco/clusters/{id}; null when the API answers its own 404 (the caller still
   * looks the cluster up before it believes it gone). Not retried.
   */
  async deleteCluster(id: string): Promise<ClusterActionResponse | null> {
    const res = await this.send('deleteCluster', 'DELETE', clusterPath(id));
    if (res.status === 404 && isApiNotFound(res)) return null;
    if (!isOk(res)) throw hadoopEcoError(res, { operation: 'deleteCluster', url: this.baseUrl + clusterPath(id), secrets: this.secrets() });
    return this.parse(ClusterActionResponseSchema, res, 'deleteCluster');
  }

  /** POST …/scale-out with `{scaleCnt}` = workers to add (a delta, spec §6.1). Not retried. */
  async scaleOut(id: string, scaleCnt: number): Promise<ClusterActionResponse> {
    checkScaleCnt(scaleCnt);
    const res = await this.send('scaleOut', 'POST', `${clusterPath(id)}/scale-out`, { body: { scaleCnt } });
    if (!isOk(res))
      throw hadoopEcoError(res, { operation: 'scaleOut', url: `${this.baseUrl}${clusterPath(id)}/scale-out`, secrets: this.secrets() });
    return this.parse(ClusterActionResponseSchema, res, 'scaleOut');
  }

  /**
   * …/scale-in with `{scaleCnt}` = workers to remove. spec §2.7: the verb is POST or DELETE;
   * a 405, or a 404 that may be the route rather than the cluster, is answered by one attempt
   * with the other verb. That is not a blind retry: neither answer means the request acted. A
   * verb that gets past routing is kept for this client's later calls.
   */
  async scaleIn(id: string, scaleCnt: number): Promise<ClusterActionResponse> {
    checkScaleCnt(scaleCnt);
    const path = `${clusterPath(id)}/scale-in`;
    const first = this.scaleInVerbInUse;
    const res = await this.send('scaleIn', first, path, { body: { scaleCnt } });
    if (res.status !== 404 && res.status !== 405) return this.scaleInResult(res, path);

    const other: ScaleInVerb = first === 'POST' ? 'DELETE' : 'POST';
    const retry = await this.send('scaleIn', other, path, { body: { scaleCnt } });
    if (retry.status !== 404 && retry.status !== 405 && retry.status < 500) {
      this.scaleInVerbInUse = other;
      this.log.info({ cloud: CLOUD, from: first, to: other, status: res.status }, 'Hadoop Eco scale-in: switched HTTP verb');
    }
    // A 404 to the first verb and a 405 to the other: the route takes the first verb, and the
    // 404 was about the cluster.
    if (res.status === 404 && retry.status === 405) return this.scaleInResult(res, path);
    return this.scaleInResult(retry, path);
  }

  private scaleInResult(res: CloudResponse, path: string): ClusterActionResponse {
    if (!isOk(res)) throw hadoopEcoError(res, { operation: 'scaleIn', url: this.baseUrl + path, secrets: this.secrets() });
    return this.parse(ClusterActionResponseSchema, res, 'scaleIn');
  }

  private send(operation: string, method: HttpMethod, pathAndQuery: string, opts: { body?: unknown } = {}): Promise<CloudResponse> {
    const hasBody = opts.body !== undefined;
    const creds = this.#credentials;
    return this.http.send({
      cloud: CLOUD,
      operation,
      method,
      url: this.baseUrl + pathAndQuery,
      headers: () => ({
        'Credential-ID': creds.credentialId,
        'Credential-Secret': creds.credentialSecret,
        Accept: 'application/json',
        ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      }),
      ...(hasBody ? { body: JSON.stringify(opts.body) } : {}),
      idempotent: method === 'GET',
      credentialKey: this.credentialKey,
    });
  }

  private parse<S extends z.ZodType>(schema: S, res: CloudResponse, operation: string): z.output<S> {
    let body: unknown;
    try {
      body = res.json();
    } catch {
      throw malformedResponse(operation, res.status, 'body is not JSON');
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw malformedResponse(operation, res.status, describeIssues(parsed.error));
    return parsed.data;
  }

  private secrets(): string[] {
    return [this.#credentials.credentialSecret, this.#credentials.credentialId];
  }
}

type QueryEntry = [string, string | number | boolean | undefined];

// Commas stay literal so `sort=name,desc` goes out exactly as the seed's examples write it.
function queryString(entries: readonly QueryEntry[]): string {
  const parts: string[] = [];
  for (const [k, v] of entries) {
    if (v === undefined) continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v)).replace(/%2C/gi, ',')}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function clusterPath(id: string): string {
  if (id === '') throw new InvalidSpecError('InvalidClusterId', 'Hadoop Eco cluster id is empty');
  return `${CLUSTERS_PATH}/${encodeURIComponent(id)}`;
}

function checkScaleCnt(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new InvalidSpecError('InvalidScaleCount', `scaleCnt must be a positive integer, got ${n}`);
}

function isOk(res: CloudResponse): boolean {
  return res.status >= 200 && res.status < 300;
}

function isLastPage(p: { last?: boolean | null; totalPages?: number | null; content: readonly unknown[] }, page: number): boolean {
  if (p.last === true || p.content.length === 0) return true;
  return typeof p.totalPages === 'number' && page + 1 >= p.totalPages;
}

// Paths and zod's messages only: a rejected value may be a password.
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
