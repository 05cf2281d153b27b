// The read side reconcilers use: one resource's objects across the watched namespaces. With no
// namespace list it is a single cluster-wide informer; with a list, one informer per namespace
// (so a namespace-scoped install needs only a Role in each), presented as one cache.
import type { Logger } from 'pino';
import { Informer, type InformerHandler } from './informer.ts';
import type { KubeClient, ResourceType } from './kube.ts';
import type { Metrics } from './metrics.ts';
import type { KubeObject } from './object.ts';

export interface CacheOptions {
  client: KubeClient;
  resource: ResourceType;
  namespaces?: string[] | undefined;
  /** Metadata only: each object's identity, never its body (see InformerOptions). */
  metadataOnly?: boolean;
  log: Logger;
  metrics?: Metrics;
  watchTimeoutSeconds?: number;
  idleTimeoutMs?: number;
}

export class ResourceCache {
  readonly resource: ResourceType;
  private readonly informers: Informer[];

  constructor(opts: CacheOptions) {
    this.resource = opts.resource;
    const scopes = opts.namespaces?.length ? opts.namespaces : [undefined];
    this.informers = scopes.map(
      (namespace) =>
        new Informer({
          client: opts.client,
          resource: opts.resource,
          log: opts.log,
          ...(namespace ? { namespace } : {}),
          ...(opts.metadataOnly ? { metadataOnly: true } : {}),
          ...(opts.metrics ? { metrics: opts.metrics } : {}),
          ...(opts.watchTimeoutSeconds ? { watchTimeoutSeconds: opts.watchTimeoutSeconds } : {}),
          ...(opts.idleTimeoutMs ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
        }),
    );
  }

  on(handler: InformerHandler): void {
    for (const i of this.informers) i.on(handler);
  }

  get(key: string): KubeObject | undefined {
    for (const i of this.informers) {
      const o = i.get(key);
      if (o) return o;
    }
    return undefined;
  }

  list(): KubeObject[] {
    return this.informers.flatMap((i) => i.list());
  }

  keys(): string[] {
    return this.informers.flatMap((i) => i.keys());
  }

  get hasSynced(): boolean {
    return this.informers.every((i) => i.hasSynced);
  }

  async waitForSync(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.synced));
  }

  start(): void {
    for (const i of this.informers) i.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
  }
}
