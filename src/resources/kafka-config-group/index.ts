// The KafkaConfigGroup kind (ncloud.cdo.dev/v1alpha1): its CRD, its adapter for the managed core,
// and the operator settings it reads (the same NAVER Cloud site, endpoints and default API key as
// KafkaCluster: a group and the clusters using it live in the same account and region).
import type { KubeObject } from '../../runtime/object.ts';
import { defineKind } from '../core/descriptor.ts';
import { configGroupRefNames } from '../kafka/config-group-ref.ts';
import { kafkaResource } from '../kafka/schema.ts';
import { configGroupAdapter } from './adapter.ts';
import { configGroupCrd } from './schema.ts';

export const kafkaConfigGroupKind = defineKind({
  crd: configGroupCrd,
  adapter: ({ config, http, log }) =>
    configGroupAdapter({ http, log, site: config.CDO_NCLOUD_SITE, endpoints: config.CDO_NCLOUD_ENDPOINTS }),
  defaultCredentials: (config) => config.CDO_NCLOUD_DEFAULT_CREDENTIALS,
  // A KafkaCluster taking the group up (or letting it go) refreshes its usedBy at once: when its
  // reference changes, or CDSS reports it on another group (or it got its cloud id).
  referencedBy: [
    {
      resource: kafkaResource,
      names: configGroupRefNames,
      matters: (obj, old) => {
        const s = (o: KubeObject) => o['status'] as { configGroupNo?: unknown; clusterId?: unknown } | undefined;
        return s(obj)?.configGroupNo !== s(old)?.configGroupNo || s(obj)?.clusterId !== s(old)?.clusterId;
      },
    },
  ],
});
