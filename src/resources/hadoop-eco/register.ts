// Wires the HadoopEcoCluster controller into a manager: its reconciler and context, and a watch
// on Secrets so that fixing a referenced Secret (credentials, passwords) re-reconciles at once
// instead of waiting for a slow retry.
import { controllerSettings, type RegisterControllers } from '../../app.ts';
import { specOrMetadataChangedExcept } from '../../runtime/controller.ts';
import { annotations } from '../common/schema.ts';
import type { CloudHttp } from '../../clouds/http.ts';
import type { KubeObject } from '../../runtime/object.ts';
import { keyOf } from '../../runtime/object.ts';
import { secretsResource } from '../common/secrets.ts';
import { HadoopEcoClients } from './credentials.ts';
import { hadoopEcoReconciler } from './reconciler.ts';
import { hadoopEcoResource } from './schema.ts';

/** Names of the Secrets a HadoopEcoCluster reads. */
export function referencedSecrets(obj: KubeObject): string[] {
  const spec = (obj['spec'] ?? {}) as {
    credentialsSecretRef?: { name?: string };
    adminAccount?: { passwordSecretRef?: { name?: string } };
    hiveMetastore?: { mysql?: { passwordSecretRef?: { name?: string } } };
  };
  return [spec.credentialsSecretRef?.name, spec.adminAccount?.passwordSecretRef?.name, spec.hiveMetastore?.mysql?.passwordSecretRef?.name].filter((n): n is string => Boolean(n));
}

export function registerHadoopEco(http: CloudHttp): RegisterControllers {
  return (manager, config) => {
    const secrets = manager.cache(secretsResource);
    const clusters = manager.cache(hadoopEcoResource);
    const controller = manager.addController({
      name: 'hadoopecocluster',
      resource: hadoopEcoResource,
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
          config: { endpoints: config.CDO_KAKAOCLOUD_ENDPOINTS, defaultSecret: config.CDO_KAKAOCLOUD_DEFAULT_CREDENTIALS },
        }),
        cadence: { busySeconds: config.CDO_POLL_BUSY, steadySeconds: config.CDO_POLL_STEADY },
      }),
    });
    const defaultSecret = config.CDO_KAKAOCLOUD_DEFAULT_CREDENTIALS;
    secrets.on((_type, secret) => {
      const ns = secret.metadata.namespace;
      const isDefault = defaultSecret === `${ns}/${secret.metadata.name}`;
      for (const obj of clusters.list()) {
        const sameNs = obj.metadata.namespace === ns && referencedSecrets(obj).includes(secret.metadata.name);
        if (sameNs || (isDefault && !referencedSecrets(obj).length)) controller.enqueue(keyOf(obj.metadata));
      }
    });
  };
}
