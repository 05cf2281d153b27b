// The HadoopEcoCluster kind (kakaocloud.cdo.dev/v1alpha1): its CRD, its adapter for the managed
// core, and the operator settings it reads (Hadoop Eco endpoints, default KakaoCloud credentials).
import { defineKind } from '../core/descriptor.ts';
import { hadoopEcoAdapter } from './adapter.ts';
import { hadoopEcoCrd } from './schema.ts';

export const hadoopEcoKind = defineKind({
  crd: hadoopEcoCrd,
  adapter: ({ config, http, log }) => hadoopEcoAdapter({ http, log, endpoints: config.CDO_KAKAOCLOUD_ENDPOINTS }),
  defaultCredentials: (config) => config.CDO_KAKAOCLOUD_DEFAULT_CREDENTIALS,
});
