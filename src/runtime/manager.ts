// The manager wires the runtime together and owns its lifecycle: one Kubernetes client, shared
// caches, the controllers, leader election, the probe and metrics servers and graceful shutdown.
// Caches run on every replica (so a standby is warm and ready); controllers run only on the leader.
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { Logger } from 'pino';
import { ResourceCache } from './cache.ts';
import { Controller, type ControllerOptions } from './controller.ts';
import { EventRecorder } from './events.ts';
import { HealthServer } from './health.ts';
import { KubeClient, type ResourceType } from './kube.ts';
import { LeaderElector } from './leader.ts';
import { Metrics } from './metrics.ts';
import { KubeReviewer, MetricsAuth } from './metrics-auth.ts';
import { MetricsServer } from './metrics-server.ts';
import { OnDemandObjects } from './on-demand.ts';
import { readServingCert, selfSignedCert, watchServingCert } from './serving-cert.ts';

export interface ManagerOptions {
  kubeConfig: KubeConfig;
  log: Logger;
  /** Who we are: the pod name in a cluster. Used for the lease and as the events' reportingInstance. */
  identity: string;
  /** Namespaces to watch; all when empty or omitted. */
  namespaces?: string[];
  userAgent?: string;
  reportingController?: string;
  leaderElection?: {
    namespace: string;
    leaseName: string;
    leaseDurationMs?: number;
    renewDeadlineMs?: number;
    retryPeriodMs?: number;
  };
  /** Probe server (/healthz, /readyz); omitted = none. Port 0 picks a free one. */
  http?: { port: number; host?: string };
  /**
   * /metrics server (metrics-server.ts); omitted = none. `secure`: HTTPS with TokenReview and
   * SubjectAccessReview; its certificate from `certDir` (tls.crt, tls.key), self-signed without.
   */
  metricsServer?: { port: number; host?: string; secure: boolean; certDir?: string };
  /** How long shutdown waits for in-flight reconciles before aborting them. */
  shutdownGraceMs?: number;
  watch?: { timeoutSeconds?: number; idleTimeoutMs?: number };
  metrics?: Metrics;
  /** Called when leadership is lost without a stop. The default exits the process so it restarts clean. */
  onLeadershipLost?: () => void;
}

export type ManagedControllerOptions = Omit<ControllerOptions, 'cache' | 'log' | 'metrics'> & {
  resource: ResourceType;
  /** Other caches the reconciler reads (e.g. the Secrets' metadata): it starts once they have synced too. */
  reads?: ResourceCache[];
};

/** The `name` label of leader_election_master_status when leader election is off. */
export const NO_ELECTION = 'leader-election-disabled';

export class Manager {
  readonly client: KubeClient;
  readonly metrics: Metrics;
  readonly recorder: EventRecorder;
  readonly log: Logger;
  private readonly opts: ManagerOptions;
  private readonly caches = new Map<string, ResourceCache>();
  private readonly onDemands = new Map<string, OnDemandObjects>();
  private readonly controllers: Array<{ controller: Controller; caches: ResourceCache[] }> = [];
  private readonly elector: LeaderElector | undefined;
  private health: HealthServer | undefined;
  private metricsServer: MetricsServer | undefined;
  private stopCertWatch: (() => void) | undefined;
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  httpPort: number | undefined;
  metricsPort: number | undefined;

  constructor(opts: ManagerOptions) {
    this.opts = opts;
    this.log = opts.log;
    this.metrics = opts.metrics ?? new Metrics();
    this.client = new KubeClient({
      kubeConfig: opts.kubeConfig,
      userAgent: opts.userAgent ?? 'cloud-data-operator',
      metrics: this.metrics,
    });
    this.recorder = new EventRecorder({
      client: this.client,
      reportingController: opts.reportingController ?? 'cdo.dev/cloud-data-operator',
      reportingInstance: opts.identity,
      log: opts.log,
    });
    const le = opts.leaderElection;
    if (le) {
      this.elector = new LeaderElector({
        client: this.client,
        namespace: le.namespace,
        name: le.leaseName,
        identity: opts.identity,
        log: opts.log,
        metrics: this.metrics,
        ...(le.leaseDurationMs ? { leaseDurationMs: le.leaseDurationMs } : {}),
        ...(le.renewDeadlineMs ? { renewDeadlineMs: le.renewDeadlineMs } : {}),
        ...(le.retryPeriodMs ? { retryPeriodMs: le.retryPeriodMs } : {}),
        onStartedLeading: () => this.startControllers(),
        onStoppedLeading: () => {
          void this.stopControllers();
          (opts.onLeadershipLost ?? defaultLeadershipLost(opts.log))();
        },
      });
    } else {
      // Without election this process is the one that reconciles: say so, or every "is anyone
      // leading" query (the NoLeader alert, the dashboard) would read a missing series as "no".
      this.metrics.leaderStatus.set({ name: NO_ELECTION }, 1);
    }
  }

  /**
   * The shared cache of one resource (created on first use; started with the manager). With
   * `metadataOnly`, a separate cache that holds only each object's identity (informer.ts).
   */
  cache(resource: ResourceType, opts: { metadataOnly?: boolean } = {}): ResourceCache {
    const id = `${resource.group}/${resource.version}/${resource.plural}${opts.metadataOnly ? ' (metadata)' : ''}`;
    let c = this.caches.get(id);
    if (!c) {
      c = new ResourceCache({
        client: this.client,
        resource,
        namespaces: this.opts.namespaces,
        ...(opts.metadataOnly ? { metadataOnly: true } : {}),
        log: this.log,
        metrics: this.metrics,
        ...(this.opts.watch?.timeoutSeconds ? { watchTimeoutSeconds: this.opts.watch.timeoutSeconds } : {}),
        ...(this.opts.watch?.idleTimeoutMs ? { idleTimeoutMs: this.opts.watch.idleTimeoutMs } : {}),
      });
      this.caches.set(id, c);
      if (this.state === 'running') c.start();
    }
    return c;
  }

  /**
   * The shared store of one resource's objects read on demand (on-demand.ts), keeping `fields` of
   * each; its index is the resource's metadata-only cache.
   */
  onDemand(resource: ResourceType, fields: readonly string[]): OnDemandObjects {
    const id = `${resource.group}/${resource.version}/${resource.plural}`;
    let o = this.onDemands.get(id);
    if (!o) {
      const index = this.cache(resource, { metadataOnly: true });
      o = new OnDemandObjects({ client: this.client, resource, index, fields, metrics: this.metrics });
      this.onDemands.set(id, o);
    }
    return o;
  }

  addController(opts: ManagedControllerOptions): Controller {
    const { resource, reads, ...rest } = opts;
    const cache = this.cache(resource);
    const controller = new Controller({ ...rest, cache, log: this.log, metrics: this.metrics });
    this.controllers.push({ controller, caches: [cache, ...(reads ?? [])] });
    return controller;
  }

  get isLeader(): boolean {
    return this.elector ? this.elector.leading : true;
  }

  get cachesSynced(): boolean {
    return [...this.caches.values()].every((c) => c.hasSynced);
  }

  /** Ready once every cache has synced, on the leader and on standbys alike; not while stopping. */
  readiness(): { ok: boolean; reason?: string } {
    if (this.state !== 'running') return { ok: false, reason: this.state };
    const waiting = [...this.caches.entries()].filter(([, c]) => !c.hasSynced).map(([id]) => id);
    if (waiting.length) return { ok: false, reason: `caches not synced: ${waiting.join(', ')}` };
    return { ok: true };
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`manager cannot start from state ${this.state}`);
    this.state = 'running';
    if (this.opts.http) {
      this.health = new HealthServer({
        ...this.opts.http,
        liveness: () => ({ ok: this.state !== 'stopped' }),
        readiness: () => this.readiness(),
      });
      this.httpPort = await this.health.listen();
      this.log.info({ port: this.httpPort }, 'serving /healthz and /readyz');
    }
    if (this.opts.metricsServer) await this.startMetricsServer(this.opts.metricsServer);
    for (const c of this.caches.values()) c.start();
    // Each controller starts once its own caches have synced, so a kind whose CRD is missing does
    // not hold up the others; readiness waits for all of them.
    void Promise.all([...this.caches.values()].map((c) => c.waitForSync())).then(() =>
      this.log.info({ caches: [...this.caches.keys()] }, 'caches synced'),
    );
    if (this.elector) this.elector.start();
    else this.startControllers();
  }

  /**
   * Graceful shutdown: readiness goes false, workers take no new keys and in-flight reconciles
   * finish (up to the grace period), then the lease is released so a standby takes over at once.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    this.state = 'stopping';
    this.log.info('shutting down');
    await this.stopControllers();
    await this.elector?.stepDown();
    await Promise.all([...this.caches.values()].map((c) => c.stop()));
    this.stopCertWatch?.();
    await this.health?.close();
    await this.metricsServer?.close();
    await this.client.close();
    this.state = 'stopped';
    this.log.info('stopped');
  }

  private async startMetricsServer(o: NonNullable<ManagerOptions['metricsServer']>): Promise<void> {
    const common = { port: o.port, ...(o.host ? { host: o.host } : {}), registry: this.metrics.registry, log: this.log };
    if (!o.secure) {
      this.metricsServer = new MetricsServer({ ...common, secure: false });
    } else {
      const cert = o.certDir ? await readServingCert(o.certDir) : await selfSignedCert();
      const auth = new MetricsAuth({ reviewer: new KubeReviewer(this.client) });
      const server = new MetricsServer({ ...common, secure: true, cert, auth });
      this.metricsServer = server;
      if (o.certDir) {
        const dir = o.certDir;
        this.stopCertWatch = watchServingCert(
          dir,
          cert,
          (next) => {
            server.setCertificate(next);
            this.log.info({ certDir: dir }, 'metrics certificate reloaded');
          },
          (err) => this.log.warn({ err: err.message, certDir: dir }, 'cannot read the metrics certificate; serving the previous one'),
        );
      }
    }
    this.metricsPort = await this.metricsServer.listen();
    this.log.info(
      {
        port: this.metricsPort,
        scheme: this.metricsServer.scheme,
        ...(o.secure ? { authorization: 'TokenReview + SubjectAccessReview', certificate: o.certDir ?? 'self-signed' } : {}),
      },
      'serving /metrics',
    );
  }

  private startControllers(): void {
    for (const { controller, caches } of this.controllers) {
      void Promise.all(caches.map((c) => c.waitForSync())).then(() => {
        if (this.state === 'running' && this.isLeader) controller.start();
      });
    }
  }

  private async stopControllers(): Promise<void> {
    const grace = this.opts.shutdownGraceMs ?? 30_000;
    const all = Promise.all(this.controllers.map(({ controller }) => controller.stop()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), grace)));
    const result = await Promise.race([all.then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.log.warn({ graceMs: grace }, 'in-flight reconciles did not finish within the grace period; aborting them');
      for (const { controller } of this.controllers) controller.abort();
      await all;
    }
  }
}

function defaultLeadershipLost(log: Logger): () => void {
  return () => {
    // controller-runtime exits too: a replica that lost the lease may hold stale state; a restart
    // rejoins as a clean standby.
    log.fatal('leadership lost; exiting so the process restarts as a standby');
    process.exit(1);
  };
}
