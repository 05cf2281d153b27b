// The resource controllers this operator runs; each lives in src/resources/<kind>/.
import type { RegisterControllers } from '../app.ts';
import { CloudHttp } from '../clouds/http.ts';
import { registerHadoopEco } from './hadoop-eco/register.ts';
import { registerKafka } from './kafka/register.ts';

export const registerResourceControllers: RegisterControllers = (manager, config) => {
  // One HTTP layer for every cloud client: shared connections, per-credential rate limits, metrics.
  const http = new CloudHttp({ log: manager.log, registry: manager.metrics.registry });
  registerHadoopEco(http)(manager, config);
  registerKafka(http)(manager, config);
};
