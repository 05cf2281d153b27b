// Wires the KafkaCluster controller into a manager: its reconciler and context, and a watch on
// Secrets so that a fixed API key, or a new manager password, takes effect at once.
import { controllerSettings, type RegisterControllers } from '../../app.ts';
import type { CloudHttp } from '../../clouds/http.ts';
import { specOrMetadataChangedExcept } from '../../runtime/controller.ts';
import { annotations } from '../common/schema.ts';
import { requeueOnSecretChange, secretRefNames } from '../common/secret-watch.ts';
import { secretsResource } from '../common/secrets.ts';
import { CdssClients } from './clients.ts';
import { kafkaReconciler } from './reconciler.ts';
import { kafkaResource } from './schema.ts';

export function registerKafka(http: CloudHttp): RegisterControllers {
  return (manager, config) => {
    const secrets = manager.cache(secretsResource);
    const defaultSecret = config.CDO_NCLOUD_DEFAULT_CREDENTIALS;
    const controller = manager.addController({
      name: 'kafkacluster',
      resource: kafkaResource,
      reads: [secretsResource],
      ...controllerSettings(config),
      filter: specOrMetadataChangedExcept([annotations.clusterId, annotations.createRequested]),
      reconcile: kafkaReconciler({
        kube: manager.client,
        recorder: manager.recorder,
        secrets,
        clients: new CdssClients({
          secrets,
          http,
          log: manager.log,
          config: { site: config.CDO_NCLOUD_SITE, endpoints: config.CDO_NCLOUD_ENDPOINTS, defaultSecret },
        }),
        cadence: { busySeconds: config.CDO_POLL_BUSY, steadySeconds: config.CDO_POLL_STEADY },
      }),
    });
    requeueOnSecretChange({
      secrets,
      resources: manager.cache(kafkaResource),
      controller,
      referenced: (obj) => secretRefNames(obj['spec']),
      defaultSecret,
      hasOwnCredentials: (obj) => Boolean((obj['spec'] as { credentialsSecretRef?: unknown } | undefined)?.credentialsSecretRef),
    });
  };
}
