// NAVER Cloud Data Streaming Service (managed Kafka) client (spec ncloud-cdss-api.md §5).
// Transport, retries and rate limiting are the shared CloudHttp's; this file knows paths and
// methods, which calls are real reads (and so retryable, §6 #1), the envelope, pagination, and
// the password-reset path fallback (§5.13, §7). Every attempt is signed afresh (§2.4).
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { InvalidSpecError } from '../../runtime/errors.ts';
import type { CloudHttp, HttpMethod } from '../http.ts';
import { CloudInconsistentError } from '../errors.ts';
import { CdssBusinessError, GatewayNotFoundError, checkResponse, malformedResponse } from './errors.ts';
import { signedHeaders } from './signature.ts';
import {
  AddBrokersRequestSchema,
  BrokerInfoSchema,
  ClusterHealthSchema,
  ClusterInfoSchema,
  ClusterListPageSchema,
  ConfigGroupPageSchema,
  CreateClusterRequestSchema,
  CreateClusterResultSchema,
  CreateKvmClusterRequestSchema,
  ResetPasswordRequestSchema,
  UpgradeRequestSchema,
  VersionListSchema,
  type BrokerInfo,
  type ClusterHealth,
  type ClusterInfo,
  type ClusterListItem,
  type ClusterListPage,
  type ConfigGroup,
  type ConfigGroupPage,
  type CreateClusterRequest,
  type CreateKvmClusterRequest,
  type DisallowedCluster,
  type Envelope,
  type KafkaVersion,
  type UpgradeRequest,
} from './types.ts';

export const CLOUD = 'ncloud-cdss';
// A server that never says `isLast` must not keep a loop going forever.
const MAX_PAGES = 1_000;
const ALL_PAGE_SIZE = 100;

export interface CdssCredentials {
  accessKey: string;
  secretKey: string;
}

/** C15's two paths: the current docs' and the one the SDK, Terraform and a live test used (§7). */
export type PasswordResetOperation = 'resetMGMTPassword' | 'resetCMAKPassword';

export interface CdssClientOptions {
  /** Host plus region prefix, e.g. `https://clouddatastreamingservice.apigw.ntruss.com/api/v1` (see `cdssBaseUrl`). */
  baseUrl: string;
  credentials: CdssCredentials;
  http: CloudHttp;
  log: Logger;
  /** Clock for the signature timestamp (tests). Default `Date.now`. */
  now?: () => number;
  /** The password-reset path to try first. Default `resetMGMTPassword` (current docs, §5.13). */
  passwordResetOperation?: PasswordResetOperation;
}

export interface ListClustersQuery {
  /** Full or partial cluster name (server-side match, §5.4). */
  inputText?: string;
  /** Exact VPC name. */
  vpcName?: string;
  /** 1-based (§6 #4). */
  pageNo: number;
  pageSize: number;
}

export interface AllClusters {
  allowedClusters: ClusterListItem[];
  disallowedClusters: DisallowedCluster[];
}

export interface PreCheckResult {
  /** `result: true`: the cluster can be upgraded as asked. */
  upgradable: boolean;
  /** `SUCCESS`, or the cloud's reason (verbatim) when not upgradable. */
  message: string;
  requestId: string | undefined;
}

interface SendOptions {
  body?: unknown;
  /** Only real reads (§6 #1): C4, C5, C6, C12, C13, C22, G1. */
  idempotent: boolean;
  /** Extra values to keep out of error messages (a password being set). */
  secrets?: readonly string[];
}

export class CdssClient {
  readonly #credentials: CdssCredentials;
  private readonly baseUrl: string;
  private readonly http: CloudHttp;
  private readonly log: Logger;
  private readonly now: () => number;
  /** Derived from the access key; names this tenant's rate-limit bucket without revealing it. */
  readonly credentialKey: string;
  private passwordResetOp: PasswordResetOperation;

  constructor(opts: CdssClientOptions) {
    this.#credentials = { ...opts.credentials };
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.http = opts.http;
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    this.passwordResetOp = opts.passwordResetOperation ?? 'resetMGMTPassword';
    this.credentialKey = createHash('sha256').update(opts.credentials.accessKey).digest('hex').slice(0, 16);
  }

  /** The password-reset path in use (it changes after a successful fallback). */
  get passwordResetOperation(): PasswordResetOperation {
    return this.passwordResetOp;
  }

  /**
   * C2 `POST cluster/createCDSSClusterReturnServiceGroupInstanceNo` → the new cluster's id.
   * Never retried (§6 #7: no idempotency token); after a timeout (`CloudRequestError.outcomeUnknown`)
   * look the cluster up with `findClustersByName` before trying again.
   */
  async createCluster(req: CreateClusterRequest): Promise<string> {
    const body = validate(CreateClusterRequestSchema, req, 'InvalidClusterRequest', 'create request');
    const env = await this.send('createCluster', 'POST', 'cluster/createCDSSClusterReturnServiceGroupInstanceNo', {
      body,
      idempotent: false,
      secrets: [body.kafkaManagerUserPassword],
    });
    return this.result(CreateClusterResultSchema, env, 'createCluster').serviceGroupInstanceNo;
  }

  /**
   * C3 `POST cluster/createKvmCluster` (G3 servers). Its result carries no reliable id (§5.3), so
   * the caller finds the cluster with `findClustersByName`. Never retried.
   */
  async createKvmCluster(req: CreateKvmClusterRequest): Promise<void> {
    const body = validate(CreateKvmClusterRequestSchema, req, 'InvalidClusterRequest', 'KVM create request');
    await this.send('createKvmCluster', 'POST', 'cluster/createKvmCluster', {
      body,
      idempotent: false,
      secrets: [body.kafkaManagerUserPassword],
    });
  }

  /**
   * C5 `POST cluster/getClusterInfoList/{id}` with `{}` (a read, so retried). Null only on proof
   * that the cluster does not exist: CDSS's own answer for it (`result: null`, what Terraform
   * reads as "gone", §4.2/§4.3, or a business error) and a list (C4) that does not show the id
   * either. Message text is never matched (§3.1: its language is not ours to pick). A business
   * error for a cluster the list still shows is rethrown; `result: null` for a listed cluster is
   * an inconsistency to ask about again later.
   */
  async getCluster(id: string | number): Promise<ClusterInfo | null> {
    const sgId = clusterId(id);
    let env: Envelope;
    try {
      env = await this.send('getCluster', 'POST', `cluster/getClusterInfoList/${sgId}`, { body: {}, idempotent: true });
    } catch (err) {
      if (err instanceof CdssBusinessError && !(await this.listedAnywhere(sgId))) return null;
      throw err;
    }
    if (env.result !== null && env.result !== undefined) return this.result(ClusterInfoSchema, env, 'getCluster');
    if (!(await this.listedAnywhere(sgId))) return null;
    throw new CloudInconsistentError(`CDSS getClusterInfoList answered no result for ${sgId}, but the cluster list shows it`);
  }

  /** C4 `POST cluster/getClusterInfoList`, one page; paging in the body (§5.4, §7). */
  async listClusters(q: ListClustersQuery): Promise<ClusterListPage> {
    const body = {
      ...(q.inputText !== undefined ? { inputText: q.inputText } : {}),
      ...(q.vpcName !== undefined ? { vpcName: q.vpcName } : {}),
      pageNo: q.pageNo,
      pageSize: q.pageSize,
    };
    const env = await this.send('listClusters', 'POST', 'cluster/getClusterInfoList', { body, idempotent: true });
    if (env.result === null || env.result === undefined) return { allowedClusters: [], disallowedClusters: [] };
    return this.result(ClusterListPageSchema, env, 'listClusters');
  }

  /** Every page of C4 until `isLast` (§6 #4: Terraform forgets to paginate). */
  async listAllClusters(q: Omit<ListClustersQuery, 'pageNo' | 'pageSize'> & { pageSize?: number } = {}): Promise<AllClusters> {
    const out: AllClusters = { allowedClusters: [], disallowedClusters: [] };
    const pageSize = q.pageSize ?? ALL_PAGE_SIZE;
    for (let pageNo = 1; pageNo <= MAX_PAGES; pageNo++) {
      const p = await this.listClusters({ ...q, pageNo, pageSize });
      out.allowedClusters.push(...p.allowedClusters);
      out.disallowedClusters.push(...p.disallowedClusters);
      if (isLastPage(p, pageNo, p.allowedClusters.length + p.disallowedClusters.length)) break;
    }
    return out;
  }

  /**
   * Accessible clusters named exactly `name`: `inputText` also matches partially (§5.4), so the
   * name is re-checked here. Names may not be unique per account (§6 #7): callers compare the VPC too.
   */
  async findClustersByName(name: string): Promise<ClusterListItem[]> {
    const all = await this.listAllClusters({ inputText: name });
    return all.allowedClusters.filter((c) => c.clusterName === name);
  }

  /** C6 `GET cluster/getClusterStatus/{id}`; null when the cloud returns no result. */
  async getClusterHealth(id: string | number): Promise<ClusterHealth | null> {
    const env = await this.send('getClusterHealth', 'GET', `cluster/getClusterStatus/${clusterId(id)}`, { idempotent: true });
    return env.result === null || env.result === undefined ? null : this.result(ClusterHealthSchema, env, 'getClusterHealth');
  }

  /** C7 `DELETE cluster/deleteCDSSCluster/{id}`. Asynchronous (status goes `deleting` → `return`). Never retried. */
  async deleteCluster(id: string | number): Promise<void> {
    await this.send('deleteCluster', 'DELETE', `cluster/deleteCDSSCluster/${clusterId(id)}`, { idempotent: false });
  }

  /** C8 `POST cluster/changeCountOfBrokerNode/{id}` with `{newBrokerNodeCount: delta}`: brokers to ADD (§5.8). Never retried. */
  async addBrokers(id: string | number, delta: number): Promise<void> {
    const body = validate(AddBrokersRequestSchema, { newBrokerNodeCount: delta }, 'InvalidBrokerCount', 'broker count change');
    await this.send('addBrokers', 'POST', `cluster/changeCountOfBrokerNode/${clusterId(id)}`, { body, idempotent: false });
  }

  /** C13 `GET cluster/getBrokerInfo/{id}`, lists split into arrays (§5.11); null without a result. */
  async getBrokerInfo(id: string | number): Promise<BrokerInfo | null> {
    const env = await this.send('getBrokerInfo', 'GET', `cluster/getBrokerInfo/${clusterId(id)}`, { idempotent: true });
    return env.result === null || env.result === undefined ? null : this.result(BrokerInfoSchema, env, 'getBrokerInfo');
  }

  /** C12 `GET cluster/getCDSSVersionList` (not `getKafkaVersionList`, which is a gateway 404, §5.10). */
  async getVersions(): Promise<KafkaVersion[]> {
    const env = await this.send('getVersions', 'GET', 'cluster/getCDSSVersionList', { idempotent: true });
    return this.result(VersionListSchema, env, 'getVersions').kafkaVersionList;
  }

  /** G1 `POST configGroup/getKafkaVersionConfigGroupList`, every page until `isLast` (§5.18). */
  async listConfigGroups(kafkaVersionCode: string | number): Promise<ConfigGroup[]> {
    const version = wireNumber(kafkaVersionCode, 'kafkaVersionCode');
    const groups: ConfigGroup[] = [];
    for (let pageNo = 1; pageNo <= MAX_PAGES; pageNo++) {
      const env = await this.send('listConfigGroups', 'POST', 'configGroup/getKafkaVersionConfigGroupList', {
        body: { kafkaVersionCode: version, pageNo, pageSize: ALL_PAGE_SIZE },
        idempotent: true,
      });
      if (env.result === null || env.result === undefined) break;
      const p: ConfigGroupPage = this.result(ConfigGroupPageSchema, env, 'listConfigGroups');
      groups.push(...p.kafkaConfigGroupList);
      if (isLastPage(p, pageNo, p.kafkaConfigGroupList.length)) break;
    }
    return groups;
  }

  /** §6 #9: a cluster's config group must be one created for its Kafka version. */
  async configGroupBelongsToVersion(configGroupNo: string | number, kafkaVersionCode: string | number): Promise<boolean> {
    const wanted = String(wireNumber(configGroupNo, 'configGroupNo'));
    return (await this.listConfigGroups(kafkaVersionCode)).some((g) => g.configGroupNo === wanted);
  }

  /**
   * C20 `POST cluster/rollingUpgradePreCheck` (§5.15). Not retried: only the reads the spec names
   * are. Code 10153 throws `UpgradeRejectedError`; a code-0 answer without `result: true` is
   * "not upgradable" with the cloud's reason.
   */
  async upgradePreCheck(req: UpgradeRequest): Promise<PreCheckResult> {
    const body = validate(UpgradeRequestSchema, req, 'InvalidUpgradeRequest', 'upgrade pre-check');
    const env = await this.send('upgradePreCheck', 'POST', 'cluster/rollingUpgradePreCheck', { body, idempotent: false });
    return { upgradable: env.result === true, message: env.message ?? '', requestId: env.requestId ?? undefined };
  }

  /**
   * C21 `POST cluster/rollingUpgrade`, body `{serviceGroupInstanceNo, upgradeKafkaVersionCode,
   * upgradeConfigGroupNo}` as JSON integers in that order (the seed). Code 10153 throws
   * `UpgradeRejectedError`. Never retried.
   */
  async rollingUpgrade(req: UpgradeRequest): Promise<void> {
    const body = validate(UpgradeRequestSchema, req, 'InvalidUpgradeRequest', 'rolling upgrade');
    await this.send('rollingUpgrade', 'POST', 'cluster/rollingUpgrade', { body, idempotent: false });
  }

  /** C22 `POST cluster/rollingUpgradeProgressCheck` with `{serviceGroupInstanceNo}`: C6's shape. A read, so retried. */
  async upgradeProgress(id: string | number): Promise<ClusterHealth | null> {
    const body = { serviceGroupInstanceNo: wireNumber(id, 'serviceGroupInstanceNo') };
    const env = await this.send('upgradeProgress', 'POST', 'cluster/rollingUpgradeProgressCheck', { body, idempotent: true });
    return env.result === null || env.result === undefined ? null : this.result(ClusterHealthSchema, env, 'upgradeProgress');
  }

  /**
   * C15 `POST cluster/{resetMGMTPassword|resetCMAKPassword}/{id}` (§5.13, §7). The docs moved the
   * path; the old one is what worked live. A gateway 404/300 means the route does not exist, so
   * the request did nothing and trying the other path once is safe. The path that gets past
   * routing is kept for this client's later calls. Never retried otherwise.
   */
  async resetManagerPassword(id: string | number, password: string): Promise<void> {
    const body = validate(ResetPasswordRequestSchema, { kafkaManagerUserPassword: password }, 'InvalidManagerPassword', 'manager password');
    const sgId = clusterId(id);
    const first = this.passwordResetOp;
    const opts: SendOptions = { body, idempotent: false, secrets: [password] };
    try {
      await this.send('resetManagerPassword', 'POST', `cluster/${first}/${sgId}`, opts);
      return;
    } catch (err) {
      if (!(err instanceof GatewayNotFoundError)) throw err;
    }
    const other: PasswordResetOperation = first === 'resetMGMTPassword' ? 'resetCMAKPassword' : 'resetMGMTPassword';
    try {
      await this.send('resetManagerPassword', 'POST', `cluster/${other}/${sgId}`, opts);
    } catch (err) {
      // Any answer but another route miss means the other path exists.
      if (!(err instanceof GatewayNotFoundError)) this.switchPasswordPath(first, other);
      throw err;
    }
    this.switchPasswordPath(first, other);
  }

  private switchPasswordPath(from: PasswordResetOperation, to: PasswordResetOperation): void {
    this.passwordResetOp = to;
    this.log.info({ cloud: CLOUD, from, to }, 'CDSS password reset: switched API path');
  }

  /** Whether C4 lists `id` at all, accessible or not. */
  private async listedAnywhere(id: string): Promise<boolean> {
    const all = await this.listAllClusters();
    return (
      all.allowedClusters.some((c) => c.serviceGroupInstanceNo === id) ||
      all.disallowedClusters.some((c) => c.serviceGroupInstanceNo === id)
    );
  }

  /** One signed request; returns the success envelope or throws the classified error. */
  private async send(operation: string, method: HttpMethod, path: string, opts: SendOptions): Promise<Envelope> {
    // One URL object, both signed and sent (§2.4).
    const url = new URL(`${this.baseUrl}/${path}`);
    const hasBody = opts.body !== undefined;
    const creds = this.#credentials;
    const now = this.now;
    const res = await this.http.send({
      cloud: CLOUD,
      operation,
      method,
      url,
      headers: () => ({
        ...signedHeaders({ method, url, accessKey: creds.accessKey, secretKey: creds.secretKey, now }),
        Accept: 'application/json',
        ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      }),
      ...(hasBody ? { body: JSON.stringify(opts.body) } : {}),
      idempotent: opts.idempotent,
      credentialKey: this.credentialKey,
    });
    const checked = checkResponse(res, { operation, url, secrets: [creds.accessKey, creds.secretKey, ...(opts.secrets ?? [])] });
    if (!checked.ok) throw checked.error;
    return checked.envelope;
  }

  private result<S extends z.ZodType>(schema: S, env: Envelope, operation: string): z.output<S> {
    const parsed = schema.safeParse(env.result);
    if (!parsed.success) throw malformedResponse(operation, 200, describeIssues(parsed.error));
    return parsed.data;
  }
}

function isLastPage(
  p: { isLast?: boolean | null; totalPage?: number | null; currentPage?: number | null },
  pageNo: number,
  itemsOnPage: number,
): boolean {
  if (p.isLast === true || itemsOnPage === 0) return true;
  if (p.isLast === false) return false;
  return typeof p.totalPage === 'number' ? pageNo >= p.totalPage : true;
}

/** Cluster ids are decimal numbers (§6 #3); anything else must not reach a URL path. */
function clusterId(id: string | number): string {
  const s = String(id).trim();
  if (!/^\d+$/.test(s)) throw new InvalidSpecError('InvalidClusterId', `CDSS cluster id must be a decimal number, got "${s.slice(0, 40)}"`);
  return s;
}

function wireNumber(v: string | number, field: string): number {
  const s = String(v).trim();
  const n = Number(s);
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(n))
    throw new InvalidSpecError('InvalidRequest', `CDSS ${field} must be a decimal integer, got "${s.slice(0, 40)}"`);
  return n;
}

function validate<S extends z.ZodType>(schema: S, value: unknown, reason: string, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidSpecError(reason, `CDSS ${what} is invalid: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

// Paths and zod's messages only: a rejected value may be a password.
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
