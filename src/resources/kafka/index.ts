// The KafkaCluster kind (ncloud.cdo.dev/v1alpha1): its CRD, its adapter for the managed core, and
// the operator settings it reads (NAVER Cloud site, CDSS endpoints, default API key).
import { defineKind } from '../core/descriptor.ts';
import { configGroupResource } from '../kafka-config-group/schema.ts';
import { configGroupRefNames } from './config-group-ref.ts';
import { kafkaAdapter } from './adapter.ts';
import { kafkaCrd } from './schema.ts';

export const kafkaKind = defineKind({
  crd: kafkaCrd,
  adapter: ({ config, http, log }) => kafkaAdapter({ http, log, site: config.CDO_NCLOUD_SITE, endpoints: config.CDO_NCLOUD_ENDPOINTS }),
  defaultCredentials: (config) => config.CDO_NCLOUD_DEFAULT_CREDENTIALS,
  // spec.configGroupRef: the group's changes (Ready, its number) re-reconcile the clusters naming it.
  references: [{ resource: configGroupResource, names: configGroupRefNames }],
});
