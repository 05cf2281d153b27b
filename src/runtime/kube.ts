// The operator's Kubernetes API client: GET, POST, PUT, PATCH, DELETE and WATCH on API paths, with
// JSON bodies, over undici. Not client-node's generated clients: they cost about 40 MiB of memory
// to load, for the dozen calls the operator makes. Every request (a) has a deadline (30 s unless the
// call asks for less) and the running reconcile's abort signal, (b) is counted by method and status
// code as rest_client_requests_total, and (c) sends our User-Agent. Credentials and TLS come from
// client-node's KubeConfig (kube-auth.ts). A non-2xx answer throws a KubeApiError.
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { request, type Dispatcher } from 'undici';
import { withCurrentSignal } from './abort-context.ts';
import { statusMessage } from './errors.ts';
import { KubeAuth } from './kube-auth.ts';
import type { Metrics } from './metrics.ts';

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
  return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${rt.plural}` : `${base}/${rt.plural}`;
}

/** The URL path of one namespaced object, or of its subresource (`status`). */
export function objectPath(rt: ResourceType, namespace: string, name: string, subresource?: string): string {
  return `${collectionPath(rt, namespace)}/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}`;
}

/** A MicroTime (events' eventTime, leases' renewTime): RFC 3339 with exactly six fractional digits. */
export function microTime(at: Date = new Date()): string {
  return at.toISOString().replace(/Z$/, '000Z');
}

/**
 * An answer of the API server other than 2xx. `statusCode` is what runtime/errors.ts reads
 * (`httpStatusOf`); `body` is the Status object as sent, whose message `errorMessage` shows.
 */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  readonly statusCode: number;
  readonly body: string;
  constructor(method: string, path: string, statusCode: number, body: string) {
    super(`${method} ${path}: HTTP ${statusCode}: ${statusMessage(body)}`);
    this.statusCode = statusCode;
    this.body = body;
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** A shorter deadline than the client's default, e.g. a lease's renew deadline. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The media type asked for; JSON by default (metadata-only informers ask for PartialObjectMetadata). */
  accept?: string;
}

/** merge: RFC 7386 JSON merge patch. json: RFC 6902 JSON Patch (a list of operations). */
export type PatchType = 'merge' | 'json';
const patchContentTypes: Record<PatchType, string> = { merge: 'application/merge-patch+json', json: 'application/json-patch+json' };

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: unknown;
}

export interface KubeClientOptions {
  kubeConfig: KubeConfig;
  userAgent: string;
  requestTimeoutMs?: number;
  metrics?: Metrics;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class KubeClient {
  readonly server: string;
  private readonly auth: KubeAuth;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly metrics: Metrics | undefined;

  constructor(opts: KubeClientOptions) {
    const cluster = opts.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.server = cluster.server.replace(/\/+$/, '');
    this.auth = new KubeAuth(opts.kubeConfig);
    this.userAgent = opts.userAgent;
    this.timeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.metrics = opts.metrics;
  }

  get<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.send('GET', path, opts) as Promise<T>;
  }

  /** GET of an object that may not exist: undefined on 404, every other failure thrown. */
  async getIfExists<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T | undefined> {
    try {
      return await this.get<T>(path, opts);
    } catch (err) {
      if (err instanceof KubeApiError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** POST to a collection. */
  create<T = unknown>(path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.send('POST', path, opts, body, 'application/json') as Promise<T>;
  }

  /** PUT of a whole object; its metadata.resourceVersion makes it fail with 409 if the object changed. */
  replace<T = unknown>(path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.send('PUT', path, opts, body, 'application/json') as Promise<T>;
  }

  patch<T = unknown>(path: string, type: PatchType, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.send('PATCH', path, opts, body, patchContentTypes[type]) as Promise<T>;
  }

  async delete(path: string, opts: RequestOptions = {}): Promise<void> {
    await this.send('DELETE', path, opts);
  }

  /**
   * One WATCH stream, as its events. No deadline: the server ends it (`timeoutSeconds`), and a
   * watchdog aborts it with a TimeoutError when nothing (not even a bookmark) came for
   * `idleTimeoutMs`. Leaving the loop early closes the stream.
   */
  async *watch(path: string, opts: RequestOptions & { idleTimeoutMs: number }): AsyncGenerator<WatchEvent> {
    const idle = new DOMException(`the watch sent nothing for ${opts.idleTimeoutMs} ms`, 'TimeoutError');
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(() => abort.abort(idle), opts.idleTimeoutMs);
    };
    const unlink = follow(withCurrentSignal(opts.signal), abort);
    try {
      quiet();
      // undici's own body timeout is off: the watchdog above is the one that applies.
      const res = await this.dispatch('GET', path, {
        query: { ...opts.query, watch: true },
        signal: abort.signal,
        accept: opts.accept,
        bodyTimeout: 0,
      });
      if (res.statusCode !== 200) throw new KubeApiError('GET', path, res.statusCode, await res.body.text());
      res.body.setEncoding('utf8');
      let pending = '';
      for await (const chunk of res.body as AsyncIterable<string>) {
        quiet();
        let from = pending.length;
        pending += chunk;
        for (let nl = pending.indexOf('\n', from); nl >= 0; nl = pending.indexOf('\n', from)) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          from = 0;
          if (line.trim() !== '') yield JSON.parse(line) as WatchEvent;
        }
      }
    } catch (err) {
      throw abort.signal.reason === idle ? idle : err;
    } finally {
      clearTimeout(timer);
      unlink();
      abort.abort();
    }
  }

  /** Closes the connections to the API server. */
  close(): Promise<void> {
    return this.auth.close();
  }

  private async send(method: Method, path: string, opts: RequestOptions, body?: unknown, contentType?: string): Promise<unknown> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(new DOMException(`${method} ${path}: no answer within ${timeoutMs} ms`, 'TimeoutError')),
      timeoutMs,
    );
    const unlink = follow(withCurrentSignal(opts.signal), abort);
    try {
      const res = await this.dispatch(method, path, { query: opts.query, signal: abort.signal, accept: opts.accept, body, contentType });
      const text = await res.body.text();
      if (res.statusCode < 200 || res.statusCode > 299) throw new KubeApiError(method, path, res.statusCode, text);
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    } finally {
      clearTimeout(timer);
      unlink();
    }
  }

  private async dispatch(
    method: Method,
    path: string,
    opts: {
      query: RequestOptions['query'];
      signal: AbortSignal;
      accept: string | undefined;
      body?: unknown;
      contentType?: string | undefined;
      bodyTimeout?: number;
    },
  ): Promise<Dispatcher.ResponseData> {
    const { query, signal, body, contentType, bodyTimeout } = opts;
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const auth = await this.auth.forRequest();
    const headers: Record<string, string> = { ...auth.headers, 'user-agent': this.userAgent, accept: opts.accept ?? 'application/json' };
    if (contentType) headers['content-type'] = contentType;
    try {
      const res = await request(url, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal,
        ...(auth.dispatcher ? { dispatcher: auth.dispatcher } : {}),
        ...(bodyTimeout !== undefined ? { bodyTimeout } : {}),
      });
      this.metrics?.restRequests.inc({ code: String(res.statusCode), method });
      return res;
    } catch (err) {
      this.metrics?.restRequests.inc({ code: '<error>', method });
      throw err;
    }
  }
}

/** Makes `parent` aborting abort `child` too; returns the function that undoes the link. */
function follow(parent: AbortSignal | undefined, child: AbortController): () => void {
  if (!parent) return () => undefined;
  if (parent.aborted) {
    child.abort(parent.reason);
    return () => undefined;
  }
  const onAbort = () => child.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return () => parent.removeEventListener('abort', onAbort);
}
