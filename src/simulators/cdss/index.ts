// NAVER Cloud Data Streaming Service (CDSS, managed Kafka) API simulator
// (spec: shared/specs/ncloud-cdss-api.md).
//
// README
//   In-process:   const sim = await startCdssSimulator({ credentials: [{ accessKey, secretKey }] });
//                 point the client at sim.baseUrl('KR') (= `${sim.url}/api/v1`); sim.faults.set({ errorRate: 1 });
//                 sim.requests(); await sim.close();
//   Stand-alone:  CDSS_SIM_ACCESS_KEY=… CDSS_SIM_SECRET_KEY=… npm run simulate:cdss -- --port 18081
//                 (see cli.ts --help)
//
//   Cloud API:    /api/{v1|sgn-v1|jpn-v1}/cluster/... and /configGroup/... (spec §5), signed with
//                 API Gateway signature v2 (§2). Clusters are per region; Kafka versions and
//                 config groups are shared by all regions.
//                 Modelled: C1-C10, C12, C13, C15-C22, C25, G1-G10. Anything else is a
//                 gateway 404 / errorCode 300, as for an unknown path.
//   Envelope:     {code, message, result, requestId}; business errors (code ≠ 0, result null) go
//                 out with HTTP businessErrorHttpStatus (default 400; the real status is undocumented).
//   Admin API:    /_admin/... (no credentials; see admin.ts for the list).
//   Timing:       provisionMs / scaleMs / upgradeMs / deleteMs, and specChangeMs (C9) /
//                 configApplyMs (G7) / publicEndpointMs (C16), which default to scaleMs; all
//                 multiplied by timeScale.
export { startCdssSimulator, REGION_PREFIXES } from './server.ts';
export type { CdssRegion, CdssSimulator, CdssSimulatorAdmin, CdssSimulatorOptions, SimulatorCredential } from './server.ts';
export type { FaultConfig, FaultConfigInput } from '../common/faults.ts';
export type { RecordedRequest } from '../common/records.ts';
export { REDACTED } from '../common/records.ts';
export type { AdminClusterView, BrokerNode, ClusterStatus, UpgradeProgress } from './model.ts';
export type { ConfigGroup, KafkaVersion, LoadBalancer } from './catalog.ts';
export { DEFAULT_KAFKA_VERSIONS, FIRST_SEEDED_CONFIG_GROUP_NO } from './catalog.ts';
export { NODE_PRODUCTS } from './products.ts';
export { ERR, UPGRADE_NOT_LATER_MESSAGE } from './errors.ts';
