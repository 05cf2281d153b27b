// Leader election on a coordination.k8s.io Lease, with client-go's algorithm and defaults
// (15 s lease, 10 s renew deadline, 2 s retry). Expiry is judged by when *we* last saw the lease
// record change, on our own clock, never by the holder's renewTime, so clock skew between replicas
// cannot make two of them lead. Stepping down on SIGTERM clears the holder, so a standby takes over
// at its next retry instead of waiting out the lease.
import type { Logger } from 'pino';
import { sleep, withJitter } from './backoff.ts';
import { errorMessage, httpStatusOf } from './errors.ts';
import { collectionPath, microTime, objectPath, type KubeClient, type ResourceType } from './kube.ts';
import type { Metrics } from './metrics.ts';

const leases: ResourceType = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease' };

/** The fields of a coordination.k8s.io/v1 Lease that election reads and writes. Times are MicroTimes. */
interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  log: Logger;
  metrics?: Metrics;
  onStartedLeading: () => void;
  /** Called when leadership is lost without our asking (not on stepDown). */
  onStoppedLeading: () => void;
}

export class LeaderElector {
  private readonly opts: Required<Pick<LeaderElectionOptions, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'>> &
    LeaderElectionOptions;
  private readonly stopping = new AbortController();
  private observed: { record: string; at: number } | undefined;
  private lastRenewAt = 0;
  private loop: Promise<void> | undefined;
  leading = false;

  constructor(opts: LeaderElectionOptions) {
    this.opts = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, ...opts };
    if (!(this.opts.leaseDurationMs > this.opts.renewDeadlineMs && this.opts.renewDeadlineMs > this.opts.retryPeriodMs)) {
      throw new Error('leader election needs leaseDuration > renewDeadline > retryPeriod');
    }
  }

  start(): void {
    this.opts.metrics?.leaderStatus.set({ name: this.opts.name }, 0);
    this.loop ??= this.run();
  }

  /** Stops campaigning; when leading, releases the lease so a standby can take over at once. */
  async stepDown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    if (!this.leading) return;
    this.leading = false;
    this.opts.metrics?.leaderStatus.set({ name: this.opts.name }, 0);
    try {
      const lease = await this.read();
      if (lease?.spec?.holderIdentity === this.opts.identity) {
        const now = microTime();
        await this.write('replace', {
          metadata: { name: this.opts.name, namespace: this.opts.namespace, resourceVersion: lease.metadata?.resourceVersion },
          spec: { leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: lease.spec.leaseTransitions ?? 0 },
        });
        this.opts.log.info({ lease: this.opts.name }, 'released leadership');
      }
    } catch (err) {
      this.opts.log.warn(
        { lease: this.opts.name, err: errorMessage(err) },
        'could not release the lease; a standby takes over when it expires',
      );
    }
  }

  private async run(): Promise<void> {
    const { retryPeriodMs, renewDeadlineMs, log, name, identity } = this.opts;
    while (!this.stopping.signal.aborted) {
      const ok = await this.tryAcquireOrRenew().catch((err: unknown) => {
        log.warn({ lease: name, err: errorMessage(err) }, 'lease update failed');
        return false;
      });
      if (this.stopping.signal.aborted) break;
      const now = Date.now();
      if (ok) this.lastRenewAt = now;
      if (!this.leading && ok) {
        this.leading = true;
        this.opts.metrics?.leaderStatus.set({ name }, 1);
        log.info({ lease: name, identity }, 'became leader');
        this.opts.onStartedLeading();
      } else if (this.leading && !ok && now - this.lastRenewAt > renewDeadlineMs) {
        this.leading = false;
        this.opts.metrics?.leaderStatus.set({ name }, 0);
        log.error({ lease: name, identity }, 'lost leadership: could not renew the lease in time');
        this.opts.onStoppedLeading();
      } else if (this.leading && !ok) {
        this.opts.metrics?.leaderSlowpath.inc({ name });
      }
      await sleep(this.leading ? retryPeriodMs : withJitter(retryPeriodMs, 0.4), this.stopping.signal);
    }
  }

  private read(): Promise<Lease | undefined> {
    return this.opts.client.getIfExists<Lease>(objectPath(leases, this.opts.namespace, this.opts.name), {
      timeoutMs: this.opts.renewDeadlineMs,
    });
  }

  /** Creates the lease, or replaces it (failing with 409 if it changed since `lease.metadata.resourceVersion`). */
  private async write(how: 'create' | 'replace', lease: Lease): Promise<void> {
    const { client, namespace, name, renewDeadlineMs } = this.opts;
    const body = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', ...lease };
    if (how === 'create') await client.create(collectionPath(leases, namespace), body, { timeoutMs: renewDeadlineMs });
    else await client.replace(objectPath(leases, namespace, name), body, { timeoutMs: renewDeadlineMs });
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity, leaseDurationMs } = this.opts;
    const now = Date.now();
    const micro = microTime(new Date(now));
    const leaseDurationSeconds = Math.ceil(leaseDurationMs / 1000);
    const lease = await this.read();
    if (!lease) {
      try {
        await this.write('create', {
          metadata: { name, namespace },
          spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: micro, renewTime: micro, leaseTransitions: 0 },
        });
        return true;
      } catch (err) {
        if (httpStatusOf(err) === 409) return false;
        throw err;
      }
    }
    const spec = lease.spec ?? {};
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.leaseDurationSeconds, spec.leaseTransitions]);
    if (this.observed?.record !== record) this.observed = { record, at: now };
    const holder = spec.holderIdentity;
    const expiresAt = this.observed.at + (spec.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
    if (holder && holder !== identity && now < expiresAt) return false;

    const ours = holder === identity;
    try {
      await this.write('replace', {
        metadata: { name, namespace, resourceVersion: lease.metadata?.resourceVersion },
        spec: {
          holderIdentity: identity,
          leaseDurationSeconds,
          acquireTime: ours && spec.acquireTime ? spec.acquireTime : micro,
          renewTime: micro,
          leaseTransitions: (spec.leaseTransitions ?? 0) + (ours ? 0 : 1),
        },
      });
      return true;
    } catch (err) {
      if (httpStatusOf(err) === 409) return false; // someone else wrote first
      throw err;
    }
  }
}
