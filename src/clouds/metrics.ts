// Cloud request metrics. Every cloud client in a process shares one set per registry: prom-client
// throws when a name is registered twice, and several clients (one per cloud, or per test) are
// normally built against the manager's single registry.
import { Counter, Histogram, type Registry } from 'prom-client';

export interface CloudMetrics {
  readonly requests: Counter<'cloud' | 'operation' | 'code'>;
  readonly duration: Histogram<'cloud' | 'operation'>;
  readonly throttled: Counter<'cloud'>;
}

const byRegistry = new WeakMap<Registry, CloudMetrics>();

export function cloudMetrics(registry: Registry): CloudMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const metrics: CloudMetrics = {
    requests: new Counter({
      name: 'cdo_cloud_requests_total',
      help: 'HTTP requests (attempts) sent to a cloud API, by HTTP status code, or error/timeout',
      labelNames: ['cloud', 'operation', 'code'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'cdo_cloud_request_duration_seconds',
      help: 'Duration of one HTTP attempt against a cloud API, including reading the body',
      labelNames: ['cloud', 'operation'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    throttled: new Counter({
      name: 'cdo_cloud_throttled_total',
      help: 'Cloud requests delayed by the per-credential rate limiter or answered 429 by the cloud',
      labelNames: ['cloud'] as const,
      registers: [registry],
    }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
