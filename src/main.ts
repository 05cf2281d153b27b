// Entry point of the operator. The resource controllers (HadoopEcoCluster, KafkaCluster) register
// here; each lives in src/resources/<kind>/.
//
// The hook goes in before anything loads client-node (so the app is imported dynamically, after
// it): it keeps client-node's generated API clients, about 40 MiB, out of the process.
import { registerClientNodeHook } from './runtime/client-node-hook.ts';
import { operatorUsage, wantsHelp } from './config-help.ts';

// --help answers before anything connects (or even loads the Kubernetes client).
if (wantsHelp(process.argv.slice(2))) {
  process.stdout.write(operatorUsage());
  process.exit(0);
}

registerClientNodeHook();
const { runOperator } = await import('./app.ts');
const { registerResourceControllers } = await import('./resources/index.ts');

await runOperator(registerResourceControllers);
