// The resource controllers this operator runs. HadoopEcoCluster (issue 3) and KafkaCluster
// (issue 4) register here as they land; until then the operator runs its runtime with no
// controllers, which is enough to check an installation (health, metrics, leader election).
import type { RegisterControllers } from '../app.ts';

export const registerResourceControllers: RegisterControllers = (manager) => {
  manager.log.info('no resource controllers are registered yet');
};
