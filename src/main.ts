// Entry point of the operator. The resource controllers (HadoopEcoCluster, KafkaCluster) register
// here; each lives in src/resources/<kind>/.
import { runOperator } from './app.ts';
import { registerResourceControllers } from './resources/index.ts';

await runOperator(registerResourceControllers);
