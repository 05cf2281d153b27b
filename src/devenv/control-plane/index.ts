// Local control plane (etcd + kube-apiserver) for tests and development; not shipped in the image.
export { ensureBinaries, firstBuildEstimate, type ControlPlaneBinaries } from './binaries.ts';
export { createPki, type IssuedCert, type Pki } from './pki.ts';
export {
  KUBECONFIG_CONTEXT,
  startControlPlane,
  type ControlPlane,
  type ExtraApiServer,
  type StartControlPlaneOptions,
} from './control-plane.ts';
