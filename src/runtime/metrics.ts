// Prometheus metrics under controller-runtime's names, so the dashboards and alerts people
// already have for Go operators work unchanged. One registry per manager (not prom-client's
// global), so tests can run several managers in one process.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { WorkQueue, QueueHooks } from './queue.ts';

// controller-runtime's reconcile_time_seconds buckets (pkg/internal/controller/metrics).
const reconcileBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5,
  4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
// client-go workqueue buckets: exponential from 1e-8 s, ×10, 12 buckets.
const queueBuckets = Array.from({ length: 12 }, (_, i) => 1e-8 * 10 ** i);

export type ReconcileResultLabel = 'success' | 'error' | 'requeue' | 'requeue_after';

export class Metrics {
  readonly registry = new Registry();
  readonly reconcileTotal = new Counter({
    name: 'controller_runtime_reconcile_total',
    help: 'Total number of reconciliations per controller',
    labelNames: ['controller', 'result'] as const,
    registers: [this.registry],
  });
  readonly reconcileErrors = new Counter({
    name: 'controller_runtime_reconcile_errors_total',
    help: 'Total number of reconciliation errors per controller',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  readonly terminalErrors = new Counter({
    name: 'controller_runtime_terminal_reconcile_errors_total',
    help: 'Total number of terminal reconciliation errors per controller',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  readonly reconcileTimeouts = new Counter({
    name: 'controller_runtime_reconcile_timeouts_total',
    help: 'Total number of reconciliation timeouts per controller',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  readonly reconcileTime = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Length of time per reconciliation per controller',
    labelNames: ['controller'] as const,
    buckets: reconcileBuckets,
    registers: [this.registry],
  });
  readonly maxConcurrent = new Gauge({
    name: 'controller_runtime_max_concurrent_reconciles',
    help: 'Maximum number of concurrent reconciles per controller',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  readonly activeWorkers = new Gauge({
    name: 'controller_runtime_active_workers',
    help: 'Number of currently used workers per controller',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  readonly queueAdds = new Counter({
    name: 'workqueue_adds_total',
    help: 'Total number of adds handled by workqueue',
    labelNames: ['name', 'controller'] as const,
    registers: [this.registry],
  });
  readonly queueRetries = new Counter({
    name: 'workqueue_retries_total',
    help: 'Total number of retries handled by workqueue',
    labelNames: ['name', 'controller'] as const,
    registers: [this.registry],
  });
  readonly queueDuration = new Histogram({
    name: 'workqueue_queue_duration_seconds',
    help: 'How long in seconds an item stays in workqueue before being requested',
    labelNames: ['name', 'controller'] as const,
    buckets: queueBuckets,
    registers: [this.registry],
  });
  readonly workDuration = new Histogram({
    name: 'workqueue_work_duration_seconds',
    help: 'How long in seconds processing an item from workqueue takes',
    labelNames: ['name', 'controller'] as const,
    buckets: queueBuckets,
    registers: [this.registry],
  });
  // Point-in-time queue gauges are read at scrape time instead of being kept current on every change.
  private readonly queues = new Map<string, WorkQueue>();
  readonly queueDepth = this.queueGauge('workqueue_depth', 'Current depth of workqueue', (q) => q.depth);
  readonly unfinishedWork = this.queueGauge(
    'workqueue_unfinished_work_seconds',
    'How many seconds of work has been done that is in progress and has not been observed by work_duration',
    (q) => q.unfinishedWorkSeconds(),
  );
  readonly longestRunning = this.queueGauge(
    'workqueue_longest_running_processor_seconds',
    'How many seconds has the longest running processor for workqueue been running',
    (q) => q.longestRunningSeconds(),
  );
  readonly leaderStatus = new Gauge({
    name: 'leader_election_master_status',
    help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  readonly leaderSlowpath = new Counter({
    name: 'leader_election_slowpath_total',
    help: 'Total number of slow path exercised in renewing leader leases',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  readonly restRequests = new Counter({
    name: 'rest_client_requests_total',
    help: 'Number of HTTP requests to the Kubernetes API server, partitioned by status code and method',
    labelNames: ['code', 'method'] as const,
    registers: [this.registry],
  });
  readonly watchRestarts = new Counter({
    name: 'cdo_watch_restarts_total',
    help: 'Watch streams (re)started, by resource and why: initial, closed, idle (watchdog), expired (410), error',
    labelNames: ['resource', 'reason'] as const,
    registers: [this.registry],
  });
  readonly watchRelists = new Counter({
    name: 'cdo_watch_relists_total',
    help: 'Full LISTs made by informers, by resource',
    labelNames: ['resource'] as const,
    registers: [this.registry],
  });
  readonly informerSynced = new Gauge({
    name: 'cdo_informer_synced',
    help: '1 once the informer has listed its resource, by resource',
    labelNames: ['resource'] as const,
    registers: [this.registry],
  });
  readonly objectFetches = new Counter({
    name: 'cdo_object_fetches_total',
    help: 'Objects read one by one with a GET when a reconcile needed them (not held, or changed since), by resource',
    labelNames: ['resource'] as const,
    registers: [this.registry],
  });
  readonly objectsHeld = new Gauge({
    name: 'cdo_objects_held',
    help: 'Objects read on demand and held in memory now (those the resources reference), by resource',
    labelNames: ['resource'] as const,
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Pre-creates every series of a controller at 0, as controller-runtime's initMetrics does. */
  registerController(controller: string, workers: number, queue: WorkQueue): void {
    for (const result of ['success', 'error', 'requeue', 'requeue_after'] as const) {
      this.reconcileTotal.inc({ controller, result }, 0);
    }
    this.reconcileErrors.inc({ controller }, 0);
    this.terminalErrors.inc({ controller }, 0);
    this.reconcileTimeouts.inc({ controller }, 0);
    this.maxConcurrent.set({ controller }, workers);
    this.activeWorkers.set({ controller }, 0);
    const q = { name: controller, controller };
    this.queueAdds.inc(q, 0);
    this.queueRetries.inc(q, 0);
    this.queues.set(controller, queue);
  }

  /** The counters and histograms a controller's queue reports into. */
  queueHooks(controller: string): QueueHooks {
    const q = { name: controller, controller };
    return {
      onAdd: () => this.queueAdds.inc(q),
      onRetry: () => this.queueRetries.inc(q),
      onQueued: (s) => this.queueDuration.observe(q, s),
      onWorked: (s) => this.workDuration.observe(q, s),
    };
  }

  private queueGauge(name: string, help: string, read: (q: WorkQueue) => number) {
    const queues = () => this.queues;
    return new Gauge({
      name,
      help,
      labelNames: ['name', 'controller'] as const,
      registers: [this.registry],
      collect() {
        for (const [controller, q] of queues()) this.set({ name: controller, controller }, read(q));
      },
    });
  }
}
