// A resilient list+watch that keeps an in-memory cache of one resource, which reconcilers read
// instead of asking the API server. It follows the API's protocol for efficient change detection:
// LIST (paged), then WATCH from the list's resourceVersion with bookmarks; on a normal close or a
// server timeout, re-WATCH from the last resourceVersion seen; on 410 Gone, re-LIST. Errors back
// off exponentially with jitter, and a watchdog aborts a stream that stays silent for longer than
// the server could legitimately keep it open (a half-open TCP connection, a frozen server).
//
// Not client-node's Informer: it asks for no bookmarks and no timeoutSeconds, and stops for good
// after any non-410 error (client-node issues #1933, PR #3034). Cached objects are trimmed (trim.ts).
import type { Logger } from 'pino';
import { Backoff, sleep } from './backoff.ts';
import { errorMessage, httpStatusOf } from './errors.ts';
import { collectionPath, type KubeClient, type ResourceType } from './kube.ts';
import type { Metrics } from './metrics.ts';
import { keyOf, kubeObjectSchema, type KubeObject } from './object.ts';
import { identityOf, trimForCache } from './trim.ts';

export type InformerEventType = 'add' | 'update' | 'delete';
export type InformerHandler = (type: InformerEventType, obj: KubeObject, old: KubeObject | undefined) => void;

export interface InformerOptions {
  client: KubeClient;
  resource: ResourceType;
  /** Watch one namespace; all namespaces when omitted. */
  namespace?: string;
  labelSelector?: string;
  /**
   * Ask the API server for metadata only (PartialObjectMetadata) and keep only each object's
   * identity (name, namespace, uid, resourceVersion): enough to know what exists and when it
   * changed, without ever receiving its body. Annotations are dropped too: a Secret's may repeat
   * its values (kubectl's last-applied-configuration).
   */
  metadataOnly?: boolean;
  log: Logger;
  metrics?: Metrics;
  /** Server-side watch timeout. 290 s closes before common load-balancer idle cut-offs. */
  watchTimeoutSeconds?: number;
  /** The watchdog: abort a stream that sent nothing for this long. */
  idleTimeoutMs?: number;
  pageSize?: number;
  backoff?: { baseMs: number; maxMs: number };
}

class ExpiredError extends Error {
  override readonly name = 'ExpiredError';
}

export class Informer {
  readonly resource: ResourceType;
  private readonly opts: InformerOptions;
  private readonly store = new Map<string, KubeObject>();
  private readonly handlers: InformerHandler[] = [];
  private readonly backoff: Backoff;
  private readonly label: string;
  private resourceVersion: string | undefined;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private syncedResolve!: () => void;
  private stopped = false;
  readonly synced: Promise<void>;
  hasSynced = false;

  constructor(opts: InformerOptions) {
    this.opts = opts;
    this.resource = opts.resource;
    this.label = opts.resource.plural + (opts.resource.group ? `.${opts.resource.group}` : '');
    this.backoff = new Backoff({ ...(opts.backoff ?? { baseMs: 800, maxMs: 30_000 }), resetAfterMs: 120_000 });
    this.synced = new Promise((resolve) => (this.syncedResolve = resolve));
  }

  on(handler: InformerHandler): void {
    this.handlers.push(handler);
  }

  get(key: string): KubeObject | undefined {
    return this.store.get(key);
  }

  list(): KubeObject[] {
    return [...this.store.values()];
  }

  keys(): string[] {
    return [...this.store.keys()];
  }

  start(): void {
    if (this.loop) return;
    this.opts.metrics?.informerSynced.set({ resource: this.label }, 0);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    let reason = 'initial';
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        const started = Date.now();
        reason = await this.watchOnce(reason);
        // A stream the server closes at once, again and again, must not become a hot loop
        // (client-node #1933 measured hundreds of requests per second).
        if (Date.now() - started < 1000) await sleep(this.backoff.next(), this.abort.signal);
      } catch (err) {
        if (this.stopped) break;
        reason = err instanceof ExpiredError ? 'expired' : 'error';
        const delay = this.backoff.next();
        if (reason === 'expired') {
          this.resourceVersion = undefined;
          this.opts.log.info({ resource: this.label }, 'watch expired (410 Gone); relisting');
        } else {
          this.opts.log.warn({ resource: this.label, err: errorMessage(err), retryInMs: delay }, 'list/watch failed; retrying');
        }
        await sleep(reason === 'expired' ? Math.min(delay, 1000) : delay, this.abort.signal);
      }
    }
  }

  /** LISTs every page, then replaces the cache, emitting add/update/delete for what changed. */
  private async relist(): Promise<void> {
    const path = collectionPath(this.resource, this.opts.namespace);
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    let listRv = '';
    do {
      const page = await this.opts.client.get<{ items?: unknown[]; metadata?: { resourceVersion?: string; continue?: string } }>(path, {
        query: { limit: this.opts.pageSize ?? 500, continue: continueToken, labelSelector: this.opts.labelSelector },
        signal: this.abort.signal,
        ...(this.opts.metadataOnly ? { accept: METADATA_LIST } : {}),
      });
      for (const raw of page.items ?? []) {
        const parsed = kubeObjectSchema.safeParse(raw);
        if (parsed.success) items.push(this.keep(parsed.data));
        else this.opts.log.error({ resource: this.label, issues: parsed.error.issues }, 'skipping malformed object');
      }
      continueToken = page.metadata?.continue || undefined;
      listRv = page.metadata?.resourceVersion ?? listRv;
    } while (continueToken);
    this.opts.metrics?.watchRelists.inc({ resource: this.label });

    const fresh = new Map(items.map((o) => [keyOf(o.metadata), o]));
    for (const [key, old] of this.store) {
      if (!fresh.has(key)) {
        this.store.delete(key);
        this.emit('delete', old, old);
      }
    }
    for (const [key, obj] of fresh) {
      const old = this.store.get(key);
      this.store.set(key, obj);
      if (!old) this.emit('add', obj, undefined);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit('update', obj, old);
    }
    this.resourceVersion = listRv;
    if (!this.hasSynced) {
      this.hasSynced = true;
      this.opts.metrics?.informerSynced.set({ resource: this.label }, 1);
      this.syncedResolve();
    }
  }

  /** One WATCH stream. Resolves with why it ended; throws ExpiredError on 410 and errors otherwise. */
  private async watchOnce(previousEnd: string): Promise<string> {
    const timeoutSeconds = this.opts.watchTimeoutSeconds ?? 290;
    const idleMs = this.opts.idleTimeoutMs ?? (timeoutSeconds + 5) * 1000;
    this.opts.metrics?.watchRestarts.inc({ resource: this.label, reason: previousEnd });
    const events = this.opts.client.watch(collectionPath(this.resource, this.opts.namespace), {
      query: { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds, labelSelector: this.opts.labelSelector },
      signal: this.abort.signal,
      idleTimeoutMs: idleMs,
      ...(this.opts.metadataOnly ? { accept: METADATA_WATCH } : {}),
    });
    try {
      for await (const { type, object } of events) {
        try {
          this.apply(type, object);
        } catch (err) {
          if (err instanceof ExpiredError) throw err; // leaving the loop closes the stream
          this.opts.log.error({ resource: this.label, err: errorMessage(err) }, 'watch event could not be applied');
        }
      }
      return this.stopped ? 'stopped' : 'closed';
    } catch (err) {
      if (this.stopped) return 'stopped';
      if (err instanceof ExpiredError) throw err;
      if (err instanceof Error && err.name === 'TimeoutError') {
        this.opts.log.warn({ resource: this.label, idleMs }, 'watch went silent; restarting it');
        return 'idle';
      }
      if (err instanceof Error && err.name === 'AbortError') return 'closed';
      if (httpStatusOf(err) === 410) throw new ExpiredError('resource version expired');
      throw err;
    }
  }

  private apply(type: string, raw: unknown): void {
    if (type === 'ERROR') {
      const status = raw as { code?: number; message?: string };
      if (status.code === 410) throw new ExpiredError(status.message ?? 'resource version expired');
      throw new Error(`watch error ${status.code ?? '?'}: ${status.message ?? ''}`);
    }
    if (type === 'BOOKMARK') {
      // A bookmark is an object of the watched kind with nothing but metadata.resourceVersion (no
      // name, no uid): the point to resume from, which is all it is for.
      const rv = (raw as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
      if (typeof rv !== 'string' || rv === '') throw new Error('malformed BOOKMARK: no metadata.resourceVersion');
      this.resourceVersion = rv;
      this.opts.log.debug({ resource: this.label, resourceVersion: rv }, 'watch bookmark');
      return;
    }
    const parsed = kubeObjectSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`malformed ${type} object: ${parsed.error.message}`);
    const obj = this.keep(parsed.data);
    this.resourceVersion = obj.metadata.resourceVersion;
    const key = keyOf(obj.metadata);
    const old = this.store.get(key);
    if (type === 'DELETED') {
      this.store.delete(key);
      this.emit('delete', obj, old);
    } else {
      this.store.set(key, obj);
      this.emit(old ? 'update' : 'add', obj, old);
    }
    this.backoff.reset();
  }

  /** What the cache holds of an object: its identity alone with `metadataOnly`, else all but what nothing reads (trim.ts). */
  private keep(obj: KubeObject): KubeObject {
    return this.opts.metadataOnly ? identityOf(obj.metadata) : trimForCache(obj);
  }

  private emit(type: InformerEventType, obj: KubeObject, old: KubeObject | undefined): void {
    for (const h of this.handlers) {
      try {
        h(type, obj, old);
      } catch (err) {
        this.opts.log.error({ resource: this.label, err: errorMessage(err) }, 'informer handler threw');
      }
    }
  }
}

// The media types of a metadata-only LIST and WATCH (what client-go's metadata informer sends),
// with no plain-JSON fallback: a server that cannot serve metadata alone answers 406 instead of
// sending whole objects.
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const METADATA_WATCH = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
