// Starts one control plane per `vitest run` and hands its coordinates to the test files (which run
// in other processes, so they get plain data via provide/inject, not the ControlPlane object).
// Tests that must stop or signal the apiserver start a private one with startControlPlane().
import type { TestProject } from 'vitest/node';
import { startControlPlane } from '../../src/devenv/control-plane/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfigPath: string;
    server: string;
    auditLogPath: string;
    etcdUrl: string;
    kubectlPath: string;
    kubeVersion: string;
    etcdVersion: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const t0 = performance.now();
  const cp = await startControlPlane();
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`control plane: kube-apiserver ${cp.kubeVersion}, etcd ${cp.etcdVersion.replace(/^v/, '')} (started in ${seconds}s)`);
  project.provide('kubeconfigPath', cp.kubeconfigPath);
  project.provide('server', cp.server);
  project.provide('auditLogPath', cp.auditLogPath);
  project.provide('etcdUrl', cp.etcdUrl);
  project.provide('kubectlPath', cp.binaries.kubectl);
  project.provide('kubeVersion', cp.kubeVersion);
  project.provide('etcdVersion', cp.etcdVersion);
  return () => cp.stop();
}
