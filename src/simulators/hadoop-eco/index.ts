// KakaoCloud Hadoop Eco Open API simulator (spec: shared/specs/kakaocloud-hadoop-eco-api.md).
//
// README
//   In-process:   const sim = await startHadoopEcoSimulator({ credentials: [{ credentialId, credentialSecret }] });
//                 point the client at sim.url; sim.faults.set({ errorRate: 1 }); sim.requests(); await sim.close();
//   Stand-alone:  HADOOP_ECO_SIM_CREDENTIAL_ID=… HADOOP_ECO_SIM_CREDENTIAL_SECRET=… \
//                   npm run simulate:hadoop-eco -- --port 18080   (see cli.ts --help)
//
//   Cloud API:    /v2/hadoop-eco/clusters[/{id}[/vms|/scale-out|/scale-in]] as in spec §2.
//   Admin API:    /_admin/... (no credentials; see admin.ts for the list).
//   Timing:       provisionMs / scaleMs / terminateMs / jobMs, all multiplied by timeScale.
//   Job outcome:  jobs succeed by default (option jobOutcome); a cluster fails its job if an admin
//                 override says so (PUT /_admin/clusters/{id}/job-outcome) or if its userTask's
//                 hiveQuery, execOpts, execParams or fileUrl contains the marker __SIM_JOB_FAILURE__
//                 (for GitOps CI, where the manifest is all a user controls).
export { startHadoopEcoSimulator } from './server.ts';
export type {
  HadoopEcoSimulator,
  HadoopEcoSimulatorAdmin,
  HadoopEcoSimulatorOptions,
  ScaleInMethod,
  SimulatorCredential,
} from './server.ts';
export type { FaultConfig, FaultConfigInput } from '../common/faults.ts';
export type { RecordedRequest } from '../common/records.ts';
export type { ActionResponse, AdminClusterView, ClusterDetail, ClusterSummary, JobOutcome, Vm } from './model.ts';
export type { Page } from './paging.ts';
export { JOB_FAILURE_MARKER } from './state.ts';
export { REDACTED } from '../common/records.ts';
