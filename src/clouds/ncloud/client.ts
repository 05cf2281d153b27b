// NAVER Cloud Data Streaming Service (managed Kafka) client (spec ncloud-cdss-api.md §5).
// Transport, retries and rate limiting are the shared CloudHttp's; this file knows the cluster
// paths and methods, which calls are real reads (and so retryable, §6 #1), the envelope,
// pagination, and the password-reset path fallback (§5.13, §7). Config groups (config-groups.ts),
// node spec (node-spec.ts) and public access (public-access.ts) build their calls in their own
// modules on this client's signed `send`; CdssClient stays the one object callers use. Every
// attempt is signed afresh (§2.4).
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { CloudHttp, HttpMethod } from '../http.ts';
import { CloudInconsistentError } from '../errors.ts';
import type { ConfigGroupInfo, ConfigValue, CreateConfigGroupRequest } from './config-group-types.ts';
import { CdssConfigGroups } from './config-groups.ts';
import { CdssBusinessError, GatewayNotFoundError, checkResponse, malformedResponse } from './errors.ts';
import { CdssNodeSpec, type SpecChangeProducts } from './node-spec.ts';
import { CdssPublicAccess } from './public-access.ts';
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
  type CreateClusterRequest,
  type CreateKvmClusterRequest,
  type DisallowedCluster,
  type Envelope,
  type KafkaVersion,
  type LoadBalancerCandidate,
  type UpgradeRequest,
} from './types.ts';
import {
  ALL_PAGE_SIZE,
  MAX_PAGES,
  clusterId,
  describeIssues,
  isLastPage,
  readAllPages,
  validate,
  wireNumber,
  type CdssTransport,
  type SendOptions,
} from './wire.ts';

export type { ConfigGroupInfo, ConfigValue, CreateConfigGroupRequest } from './config-group-types.ts';
export type { SpecChangeProducts } from './node-spec.ts';
export type { LoadBalancerCandidate, NodeProduct } from './types.ts';

export const CLOUD = 'ncloud-cdss';

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

export class CdssClient {
  readonly #credentials: CdssCredentials;
  private readonly baseUrl: string;
  private readonly http: CloudHttp;
  private readonly log: Logger;
  private readonly now: () => number;
  /** Derived from the access key; names this tenant's rate-limit bucket without revealing it. */
  readonly credentialKey: string;
  private passwordResetOp: PasswordResetOperation;
  private readonly configGroups: CdssConfigGroups;
  private readonly nodeSpec: CdssNodeSpec;
  private readonly publicAccess: CdssPublicAccess;
  /** The signed request and result parsing, as the helper modules get them. */
  private readonly transport: CdssTransport;

  constructor(opts: CdssClientOptions) {
    this.#credentials = { ...opts.credentials };
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.http = opts.http;
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    this.passwordResetOp = opts.passwordResetOperation ?? 'resetMGMTPassword';
    this.credentialKey = createHash('sha256').update(opts.credentials.accessKey).digest('hex').slice(0, 16);
    // The helper modules get the signed request, not the credentials.
    const transport: CdssTransport = {
      send: (operation, method, path, o) => this.send(operation, method, path, o),
      result: (schema, env, operation) => this.result(schema, env, operation),
    };
    this.transport = transport;
    this.configGroups = new CdssConfigGroups(transport);
    this.nodeSpec = new CdssNodeSpec(transport);
    this.publicAccess = new CdssPublicAccess(transport);
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
    return readAllPages(this.transport, {
      operation: 'listConfigGroups',
      path: 'configGroup/getKafkaVersionConfigGroupList',
      body: { kafkaVersionCode: wireNumber(kafkaVersionCode, 'kafkaVersionCode') },
      schema: ConfigGroupPageSchema,
      items: (p) => p.kafkaConfigGroupList,
    });
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

  // ---- Config groups (§5.18) ------------------------------------------------------------------

  /**
   * G2 `POST configGroup/createConfigGroup` → the new group's number. Never retried (not
   * idempotent): after an unknown outcome look the group up with `findConfigGroupsByName`.
   * Names are 3-30 characters per the docs (§5.18, §7), not Terraform's 3-15.
   */
  createConfigGroup(req: CreateConfigGroupRequest): Promise<string> {
    return this.configGroups.create(req);
  }

  /**
   * G3 `POST configGroup/getKafkaConfigGroup/{no}` with `{kafkaVersionCode}` (a read, retried).
   * Null only on proof of absence, the rule of `getCluster`: CDSS's own answer (a business error
   * or `result: null`) AND the all-groups list (G10) not showing the number. A business error for
   * a listed group (e.g. the wrong version) is rethrown; no result for a listed group is a
   * `CloudInconsistentError`.
   */
  getConfigGroup(configGroupNo: string, kafkaVersionCode: string): Promise<ConfigGroupInfo | null> {
    return this.configGroups.get(configGroupNo, kafkaVersionCode);
  }

  /** G10 `POST configGroup/getKafkaConfigGroupList`, every page until `isLast` (all versions). */
  listAllConfigGroups(): Promise<ConfigGroup[]> {
    return this.configGroups.listAll();
  }

  /** Groups named exactly `name` (from G10), for the crash-safe create lookup. */
  async findConfigGroupsByName(name: string): Promise<ConfigGroup[]> {
    return (await this.configGroups.listAll()).filter((g) => g.configGroupName === name);
  }

  /**
   * G4 `POST configGroup/getKafkaConfigGroupDetailList/{no}` with `{kafkaVersionCode}` (a read,
   * retried): the typed settings (`kafkaConfigGroupDetailList`), then any additional ones ([3P]
   * `additionalKafkaConfigGroupDetailList`, read as `customValue`, no default). No result throws:
   * an empty list would make a read-modify-write reset the group.
   */
  getConfigGroupValues(configGroupNo: string, kafkaVersionCode: string): Promise<ConfigValue[]> {
    return this.configGroups.values(configGroupNo, kafkaVersionCode);
  }

  /**
   * G5 `POST configGroup/setKafkaConfigGroupDetail/{no}`. `values` maps Kafka property names as G4
   * reports them in `configName` (e.g. `log.retention.hours`) to string values. §5.18 [3P]: the
   * call REPLACES the group's whole custom configuration: every property left out reverts to its
   * default, so pass everything to keep (read with `getConfigGroupValues` first). Properties G4
   * marks `modifyYn: false` are sent; the cloud accepts and discards them.
   *
   * Wire format (§5.18, see config-groups.ts): reads G4 once, then sends each typed setting as its
   * camelCase field (`configNameKey`) with the [SDK] JSON type and everything else in
   * `additionalKafkaConfigGroupDetailList` as `{configName, configValue}`, so a property the cloud
   * does not know comes back as its `CdssBusinessError`. A value that cannot take its field's
   * JSON type (`"yes"` for a Boolean) is an `InvalidSpecError` before anything is sent.
   * Never retried.
   */
  setConfigGroupValues(configGroupNo: string, kafkaVersionCode: string, values: Record<string, string>): Promise<void> {
    return this.configGroups.setValues(configGroupNo, kafkaVersionCode, values);
  }

  /** G6 `POST configGroup/setKafkaConfigGroupMemo/{no}` with `{kafkaVersionCode, description}` (0-255). Never retried. */
  setConfigGroupDescription(configGroupNo: string, kafkaVersionCode: string, description: string): Promise<void> {
    return this.configGroups.setDescription(configGroupNo, kafkaVersionCode, description);
  }

  /**
   * G7 `POST configGroup/setClusterKafkaConfigGroup/{no}` with `{kafkaVersionCode,
   * serviceGroupInstanceNo}`. The cluster restarts (`changing`, §5.18); wait for `running` before
   * and after. Never retried.
   */
  applyConfigGroup(id: string, configGroupNo: string, kafkaVersionCode: string): Promise<void> {
    return this.configGroups.apply(clusterId(id), configGroupNo, kafkaVersionCode);
  }

  /** G8 `POST configGroup/getConfigGroupUsingClusterList/{no}` with `{pageNo, pageSize}`, every page (a read, retried). */
  clustersUsingConfigGroup(configGroupNo: string): Promise<{ clusterName: string; serviceGroupInstanceNo: string }[]> {
    return this.configGroups.usingClusters(configGroupNo);
  }

  /**
   * G9 `DELETE configGroup/deleteConfigGroup/{no}` → `result.isDelete`; `isDelete: false` throws a
   * `CdssBusinessError`. A group in use is expected to be refused (§5.18 [INF]): check G8 first.
   * Never retried.
   */
  deleteConfigGroup(configGroupNo: string): Promise<void> {
    return this.configGroups.delete(configGroupNo);
  }

  // ---- Node spec (§5.9) --------------------------------------------------------------------

  /**
   * C9 `POST cluster/changeSpecNode/{id}` with only the code(s) given (at least one). Downgrades
   * are refused ([3P]): pick a product C10 marks `isChangeSpec: true`. Asynchronous (`changing`).
   * Never retried.
   */
  changeNodeSpec(clusterId: string, codes: { managerNodeProductCode?: string; brokerNodeProductCode?: string }): Promise<void> {
    return this.nodeSpec.change(clusterId, codes);
  }

  /** C10 `POST cluster/getNodeProductListForSpecChange/{id}` with `{softwareProductCode}` (a POST read: retried). */
  nodeProductsForSpecChange(clusterId: string, softwareProductCode: string): Promise<SpecChangeProducts> {
    return this.nodeSpec.productsForChange(clusterId, softwareProductCode);
  }

  // ---- Public access and TLS (§5.14, §5.11) ------------------------------------------------

  /** C18 `GET cluster/getLoadBalancerInstanceList/{id}` ([SDK] `responses[]`), a read: retried. */
  loadBalancersForPublicEndpoint(clusterId: string): Promise<LoadBalancerCandidate[]> {
    return this.publicAccess.loadBalancers(clusterId);
  }

  /**
   * C16 `POST cluster/enableBrokerNodePublicEndpoint/{id}` with `{loadBalancerInstanceNo}` as a
   * JSON integer. Asynchronous (§6 #5); C13's public lists fill once it is done. Never retried.
   */
  enableBrokerPublicEndpoint(clusterId: string, loadBalancerInstanceNo: string): Promise<void> {
    return this.publicAccess.enableBroker(clusterId, loadBalancerInstanceNo);
  }

  /** C17 `GET cluster/disableBrokerNodePublicEndpoint/{id}`: a GET that MUTATES, never retried (§6 #1). */
  disableBrokerPublicEndpoint(clusterId: string): Promise<void> {
    return this.publicAccess.disableBroker(clusterId);
  }

  /** C19 `GET cluster/enablePublicDomain/{id}` or `disablePublicDomain/{id}` (manager UI): mutating GETs, never retried. */
  setManagerPublicDomain(clusterId: string, enabled: boolean): Promise<void> {
    return this.publicAccess.setManagerDomain(clusterId, enabled);
  }

  /** C25 `GET cluster/downloadCertificate/{id}` → `result.certification` (PEM); null without one. A read: retried. */
  downloadCertificate(clusterId: string): Promise<string | null> {
    return this.publicAccess.certificate(clusterId);
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
