// The kinds this operator serves. Each lives in src/resources/<kind>/ and is described by its
// index.ts; adding a kind is one entry here (docs/development.md, "Adding a kind").
import type { RegisterControllers } from '../app.ts';
import { CloudHttp } from '../clouds/http.ts';
import type { KindDescriptor } from './core/descriptor.ts';
import { hadoopEcoKind } from './hadoop-eco/index.ts';
import { kafkaConfigGroupKind } from './kafka-config-group/index.ts';
import { kafkaKind } from './kafka/index.ts';

export const kinds: readonly KindDescriptor[] = [hadoopEcoKind, kafkaKind, kafkaConfigGroupKind];

export const registerResourceControllers: RegisterControllers = (manager, config) => {
  // One HTTP layer for every cloud client: shared connections, per-credential rate limits, metrics.
  const http = new CloudHttp({
    log: manager.log,
    registry: manager.metrics.registry,
    rateLimit: { qps: config.CDO_CLOUD_QPS, burst: config.CDO_CLOUD_BURST },
  });
  for (const kind of kinds) kind.register(manager, config, http);
};
