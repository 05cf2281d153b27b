// A kind's descriptor (its index.ts): the CRD, the adapter built from the operator configuration,
// its credentials setting and its watch filter. Wiring a kind into the operator is one entry in
// the list of resources/index.ts; everything here is done the same way for every kind.
import type { Logger } from 'pino';
import { controllerSettings } from '../../app.ts';
import type { CloudHttp } from '../../clouds/http.ts';
import type { Config } from '../../config.ts';
import type { EventFilter } from '../../runtime/controller.ts';
import type { CrdDefinition } from '../../runtime/crd.ts';
import type { Manager } from '../../runtime/manager.ts';
import type { KindCrd } from './crd.ts';
import { CloudClients } from './credentials.ts';
import { managedWatchFilter } from './identity.ts';
import type { KindAdapter, KindTypes } from './kind.ts';
import { managedReconciler } from './reconciler.ts';
import { secretFields, secretRefNames, secretsResource } from './secrets.ts';
import { cacheReader, requeueOnReferenceChange, requeueReferenced, type KindReference } from './references.ts';
import { kubeStore } from './store.ts';
import type { KubeClient, ResourceType } from '../../runtime/kube.ts';
import type { KubeObject } from '../../runtime/object.ts';
import { previewPass, type Preview } from './preview.ts';
import { directReads } from './direct-reads.ts';
import { resourceStateMetrics } from './state-metrics.ts';

/** What the operator needs of a kind, with the kind's own types closed over. */
export interface KindDescriptor {
  crd: CrdDefinition & { resource: ResourceType };
  /** Adds the kind's controller (and the watches of what it references) to a manager. */
  register(manager: Manager, config: Config, http: CloudHttp): void;
  /**
   * What one pass over `object` would do, read straight from the API server and the cloud with the
   * caller's own rights (`kubectl cdo plan`): nothing is carried out or written.
   */
  preview(env: { client: KubeClient; config: Config; http: CloudHttp; log: Logger }, object: KubeObject): Promise<Preview>;
}

export interface KindDefinition<K extends KindTypes> {
  crd: KindCrd<K['spec'], K['status']>;
  adapter(env: { config: Config; http: CloudHttp; log: Logger }): KindAdapter<K>;
  /** "namespace/name" of the operator-wide default credentials for this kind, if configured. */
  defaultCredentials(config: Config): string | undefined;
  /** Which watch events deserve a reconcile; default: anything but the operator's own writes. */
  filter?: EventFilter;
  /** Other kinds of the operator its spec may name (read from the cache; a change re-reconciles). */
  references?: readonly KindReference[];
  /** Other kinds of the operator whose specs may name this one: their changes re-reconcile the named objects. */
  referencedBy?: readonly KindReference[];
}

export function defineKind<K extends KindTypes>(def: KindDefinition<K>): KindDescriptor {
  return {
    crd: def.crd,
    async preview({ client, config, http, log }, object) {
      const adapter = def.adapter({ config, http, log });
      const clients = new CloudClients({ ...adapter.credentials, defaultSecret: def.defaultCredentials(config), connect: adapter.connect });
      const reads = await directReads(client, object, def.references ?? []);
      return previewPass(
        def.crd,
        adapter,
        {
          secrets: reads.secrets,
          clients,
          references: reads.references,
          cadence: { busySeconds: config.CDO_POLL_BUSY, steadySeconds: config.CDO_POLL_STEADY },
        },
        object,
        log,
      );
    },
    register(manager, config, http) {
      // Shared by every kind: the referenced Secrets, read when needed, over a metadata-only watch
      // of all Secrets that says what exists and when it changed (runtime/on-demand.ts).
      const secrets = manager.onDemand(secretsResource, secretFields);
      const secretIndex = manager.cache(secretsResource, { metadataOnly: true });
      const adapter = def.adapter({ config, http, log: manager.log });
      const defaultSecret = def.defaultCredentials(config);
      const clients = new CloudClients({ ...adapter.credentials, defaultSecret, connect: adapter.connect });
      const references = def.references ?? [];
      const referenced = references.map((r) => manager.cache(r.resource));
      const controller = manager.addController({
        // The controller's name in logs and metrics: the kind in lower case (hadoopecocluster).
        name: def.crd.singular,
        resource: def.crd.resource,
        // Not the referenced kinds: a kind whose CRD is missing (a Helm upgrade does not add CRDs)
        // must not hold this controller up. Until their caches fill, a reference reads as absent,
        // which only ever makes a pass wait, and their first events re-reconcile.
        // The Secrets' metadata, though: until it has synced, every Secret would read as missing.
        reads: [secretIndex],
        ...controllerSettings(config),
        filter: def.filter ?? managedWatchFilter,
        reconcile: managedReconciler(def.crd, adapter, {
          store: kubeStore(manager.client, def.crd.resource, manager.recorder),
          secrets,
          clients,
          references: cacheReader(referenced),
          cadence: { busySeconds: config.CDO_POLL_BUSY, steadySeconds: config.CDO_POLL_STEADY },
        }),
      });
      const resources = manager.cache(def.crd.resource);
      resourceStateMetrics(manager.metrics.registry, () => manager.isLeader).track(def.crd.resource.kind, resources);
      for (const r of def.referencedBy ?? []) requeueReferenced({ source: manager.cache(r.resource), controller, reference: r });
      references.forEach((r, i) => requeueOnReferenceChange({ source: referenced[i]!, resources, controller, names: r.names }));
      // Fixing a referenced Secret (credentials, passwords) takes effect at once; so does fixing
      // the default credentials, for the resources that name none.
      requeueOnReferenceChange({
        source: secretIndex,
        resources,
        controller,
        names: secretRefNames,
        implicit: defaultSecret
          ? { key: defaultSecret, usedBy: (obj) => !(obj['spec'] as { credentialsSecretRef?: unknown } | undefined)?.credentialsSecretRef }
          : undefined,
      });
    },
  };
}
