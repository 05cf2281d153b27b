// Wires the HadoopEcoCluster controller into a manager: its reconciler and context, and a watch
// on Secrets so that fixing a referenced Secret re-reconciles at once.
import { controllerSettings, type RegisterControllers } from '../../app.ts';
import type { CloudHttp } from '../../clouds/http.ts';
import { specOrMetadataChangedExcept } from '../../runtime/controller.ts';
import { annotations } from '../common/schema.ts';
import { requeueOnSecretChange, secretRefNames } from '../common/secret-watch.ts';
import { secretsResource } from '../common/secrets.ts';
import { HadoopEcoClients } from './credentials.ts';
import { hadoopEcoReconciler } from './reconciler.ts';
import { hadoopEcoResource } from './schema.ts';

export function registerHadoopEco(http: CloudHttp): RegisterControllers {
  return (manager, config) => {
    const secrets = manager.cache(secretsResource);
    const defaultSecret = config.CDO_KAKAOCLOUD_DEFAULT_CREDENTIALS;
    const controller = manager.addController({
      name: 'hadoopecocluster',
      resource: hadoopEcoResource,
      reads: [secretsResource],
      ...controllerSettings(config),
      filter: specOrMetadataChangedExcept([annotations.clusterId, annotations.createRequested]),
      reconcile: hadoopEcoReconciler({
        kube: manager.client,
        recorder: manager.recorder,
        secrets,
        clients: new HadoopEcoClients({
          secrets,
          http,
          log: manager.log,
          config: { endpoints: config.CDO_KAKAOCLOUD_ENDPOINTS, defaultSecret },
        }),
        cadence: { busySeconds: config.CDO_POLL_BUSY, steadySeconds: config.CDO_POLL_STEADY },
      }),
    });
    requeueOnSecretChange({
      secrets,
      resources: manager.cache(hadoopEcoResource),
      controller,
      referenced: (obj) => secretRefNames(obj['spec']),
      defaultSecret,
      hasOwnCredentials: (obj) => Boolean((obj['spec'] as { credentialsSecretRef?: unknown } | undefined)?.credentialsSecretRef),
    });
  };
}
