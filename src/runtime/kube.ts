// The one place that builds Kubernetes API clients. Every generated client shares an HTTP layer
// that (a) puts a deadline on each request (client-node sets none by default), (b) counts requests
// by method and status code as rest_client_requests_total, and (c) sends our User-Agent.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  IsomorphicFetchHttpLibrary,
  Observable,
  PatchStrategy,
  RequestContext,
  HttpMethod,
  ServerConfiguration,
  createConfiguration,
  setHeaderOptions,
  type HttpLibrary,
  type ResponseContext,
} from '@kubernetes/client-node';
import type { Metrics } from './metrics.ts';
import { withCurrentSignal } from './abort-context.ts';
import { statusMessage } from './errors.ts';

/** A kind of object the runtime can list and watch. `group` is '' for the core group. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

export function apiVersionOf(rt: ResourceType): string {
  return rt.group === '' ? rt.version : `${rt.group}/${rt.version}`;
}

/** The collection URL path, namespaced when `namespace` is given, cluster-wide otherwise. */
export function collectionPath(rt: ResourceType, namespace?: string): string {
  const base = rt.group === '' ? `/api/${rt.version}` : `/apis/${rt.group}/${rt.version}`;
  return namespace ? `${base}/namespaces/${namespace}/${rt.plural}` : `${base}/${rt.plural}`;
}

/** Per-call options for PATCH requests. client-node defaults to JSON Patch whatever the body is. */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
export const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

export interface KubeClientOptions {
  kubeConfig: KubeConfig;
  userAgent: string;
  requestTimeoutMs?: number;
  metrics?: Metrics;
}

export class KubeClient {
  readonly kubeConfig: KubeConfig;
  readonly customObjects: CustomObjectsApi;
  readonly core: CoreV1Api;
  readonly coordination: CoordinationV1Api;
  readonly events: EventsV1Api;
  private readonly http: InstrumentedHttp;
  private readonly userAgent: string;

  constructor(opts: KubeClientOptions) {
    this.kubeConfig = opts.kubeConfig;
    this.userAgent = opts.userAgent;
    const cluster = opts.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.http = new InstrumentedHttp(opts.requestTimeoutMs ?? 30_000, opts.metrics);
    const config = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: opts.kubeConfig },
      httpApi: this.http,
      promiseMiddleware: [
        {
          pre: (ctx: RequestContext) => (ctx.setHeaderParam('User-Agent', opts.userAgent), Promise.resolve(ctx)),
          post: (ctx: ResponseContext) => Promise.resolve(ctx),
        },
      ],
    });
    this.customObjects = new CustomObjectsApi(config);
    this.core = new CoreV1Api(config);
    this.coordination = new CoordinationV1Api(config);
    this.events = new EventsV1Api(config);
  }

  get server(): string {
    return this.kubeConfig.getCurrentCluster()?.server ?? '';
  }

  /**
   * GET of an arbitrary API path, returning the parsed JSON body. The informer uses it to LIST
   * any resource (core or custom) with the same code (`accept` asks for metadata only), and the
   * on-demand reads to GET one object. Throws an error carrying `statusCode`.
   */
  async getJson(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    signal?: AbortSignal,
    accept = 'application/json',
  ): Promise<unknown> {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const ctx = new RequestContext(url.toString(), HttpMethod.GET);
    ctx.setHeaderParam('User-Agent', this.userAgent);
    ctx.setHeaderParam('Accept', accept);
    await this.kubeConfig.applySecurityAuthentication(ctx);
    if (signal) ctx.setSignal(signal);
    const resp = await this.http.send(ctx).toPromise();
    const text = await resp.body.text();
    if (resp.httpStatusCode !== 200) {
      const err = new Error(`GET ${path}: HTTP ${resp.httpStatusCode}: ${statusMessage(text)}`) as Error & { statusCode: number };
      err.statusCode = resp.httpStatusCode;
      throw err;
    }
    return JSON.parse(text) as unknown;
  }
}

/** client-node's fetch transport with a deadline per request and request counting. */
class InstrumentedHttp implements HttpLibrary {
  private readonly inner = new IsomorphicFetchHttpLibrary();
  private readonly timeoutMs: number;
  private readonly metrics: Metrics | undefined;
  constructor(timeoutMs: number, metrics?: Metrics) {
    this.timeoutMs = timeoutMs;
    this.metrics = metrics;
  }

  send(request: RequestContext): Observable<ResponseContext> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const own = withCurrentSignal(request.getSignal());
    request.setSignal(own ? AbortSignal.any([own, deadline]) : deadline);
    const method = String(request.getHttpMethod());
    const count = (code: string) => this.metrics?.restRequests.inc({ code, method });
    const result = this.inner
      .send(request)
      .toPromise()
      .then(
        (resp) => (count(String(resp.httpStatusCode)), resp),
        (err: unknown) => {
          count('<error>');
          throw err;
        },
      );
    return new Observable(result);
  }
}

/** Per-call options that give one request a shorter deadline than the client's default. */
export function withDeadline(ms: number) {
  return {
    middleware: [
      {
        pre: (ctx: RequestContext) => (ctx.setSignal(AbortSignal.timeout(ms)), new Observable<RequestContext>(Promise.resolve(ctx))),
        post: (ctx: ResponseContext) => new Observable<ResponseContext>(Promise.resolve(ctx)),
      },
    ],
    middlewareMergeStrategy: 'append' as const,
  };
}
