// `npm run control-plane`: a local etcd + kube-apiserver to point kubectl or the operator at.
// Runs until Ctrl-C / SIGTERM, then stops both processes and deletes their data.
import { startControlPlane } from '../src/devenv/control-plane/index.ts';

const t0 = performance.now();
const cp = await startControlPlane();
const seconds = ((performance.now() - t0) / 1000).toFixed(1);

console.log(`kube-apiserver ${cp.kubeVersion}, etcd ${cp.etcdVersion.replace(/^v/, '')} (started in ${seconds}s)`);
console.log(`server:     ${cp.server}`);
console.log(`etcd:       ${cp.etcdUrl}`);
console.log(`audit log:  ${cp.auditLogPath}`);
console.log(`kubeconfig: ${cp.kubeconfigPath}`);
console.log('');
console.log(`export KUBECONFIG=${cp.kubeconfigPath}`);
console.log('');
console.log('Press Ctrl-C to stop.');

let stopping = false;
const shutdown = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping control plane...`);
  cp.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
