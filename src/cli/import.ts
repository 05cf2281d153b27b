// `kubectl cdo import hadoop-eco|kafka <cluster id or name> --secret <name>`: reads an existing
// cloud cluster with the credentials of a Secret (read with the caller's kubeconfig, in the format
// the operator uses) through the operator's own cloud clients, and returns the manifest that
// adopts it (import-manifest.ts renders it). Only reads: no cloud call here changes anything.
import type { Logger } from 'pino';
import { CloudHttp } from '../clouds/http.ts';
import type { HadoopEcoClient } from '../clouds/kakaocloud/client.ts';
import { classifyClusterStatus as hadoopEcoStatus } from '../clouds/kakaocloud/status.ts';
import { HADOOP_ECO_REGIONS } from '../clouds/kakaocloud/regions.ts';
import type { CdssClient } from '../clouds/ncloud/client.ts';
import { CDSS_REGIONS } from '../clouds/ncloud/regions.ts';
import { classifyClusterStatus } from '../clouds/ncloud/status.ts';
import type { Config } from '../config.ts';
import type { ImportedSpec } from '../resources/core/import.ts';
import { readSecretKey, secretsResource } from '../resources/core/secrets.ts';
import { hadoopEcoAdapter } from '../resources/hadoop-eco/adapter.ts';
import { importHadoopEcoSpec } from '../resources/hadoop-eco/import.ts';
import { hadoopEcoResource, type HadoopEcoSpec } from '../resources/hadoop-eco/schema.ts';
import { cdssConnection } from '../resources/kafka/cdss-connection.ts';
import { importKafkaSpec } from '../resources/kafka/import.ts';
import { kafkaResource, type KafkaSpec } from '../resources/kafka/schema.ts';
import { objectPath, type KubeClient } from '../runtime/kube.ts';
import type { KubeObject } from '../runtime/object.ts';

import type { ImportKind } from './import-kinds.ts';

export interface ImportEnv {
  client: KubeClient;
  config: Config;
  log: Logger;
  /** -n, else the kubeconfig context's namespace: where the Secret is and the resource goes. */
  namespace: string;
}

export interface ImportArgs {
  kind: ImportKind;
  /** The cloud cluster's id, or its name. */
  cluster: string;
  /** The credentials Secret in `namespace`. */
  secret: string;
  region?: string | undefined;
  /** metadata.name; the cloud cluster's name when omitted. */
  name?: string | undefined;
}

export interface ImportResult {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  clusterId: string;
  imported: ImportedSpec<Record<string, unknown>>;
}

/** A usage or lookup problem the user can fix: printed as is, exit code 1. */
export class ImportError extends Error {}

// Hadoop Eco ids are UUIDs (spec §2.2); a name never needs to look like one.
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function importCluster(env: ImportEnv, args: ImportArgs): Promise<ImportResult> {
  const http = new CloudHttp({ log: env.log, rateLimit: { qps: env.config.CDO_CLOUD_QPS, burst: env.config.CDO_CLOUD_BURST } });
  return args.kind === 'hadoop-eco' ? importHadoopEco(env, args, http) : importKafka(env, args, http);
}

/** The credential's two values from the Secret, by the keys the kind's adapter reads. */
async function credentials(
  env: ImportEnv,
  secret: string,
  spec: { keys: readonly [string, string]; what: string },
): Promise<[string, string]> {
  const obj = await env.client.getIfExists<KubeObject>(objectPath(secretsResource, env.namespace, secret));
  const source = { get: (key: string) => (key === `${env.namespace}/${secret}` ? obj : undefined) };
  return [
    readSecretKey(source, env.namespace, secret, spec.keys[0], spec.what),
    readSecretKey(source, env.namespace, secret, spec.keys[1], spec.what),
  ];
}

function pickRegion<R extends string>(given: string | undefined, regions: readonly R[], kind: string): R {
  const region = (given ?? regions[0]) as R;
  if (!regions.includes(region)) throw new ImportError(`--region must be one of ${regions.join(', ')} for ${kind}, not ${given}`);
  return region;
}

function exactlyOne<T>(found: T[], what: string, name: string, idOf: (t: T) => string): T {
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new ImportError(`no ${what} is named ${name} (check --region and the credentials' project)`);
  throw new ImportError(`${found.length} ${what}s are named ${name}: ${found.map(idOf).join(', ')}; import one of them by id`);
}

async function importHadoopEco(env: ImportEnv, args: ImportArgs, http: CloudHttp): Promise<ImportResult> {
  const region = pickRegion(args.region, HADOOP_ECO_REGIONS, 'hadoop-eco');
  const adapter = hadoopEcoAdapter({ http, log: env.log, endpoints: env.config.CDO_KAKAOCLOUD_ENDPOINTS });
  const [id, secret] = await credentials(env, args.secret, adapter.credentials);
  const cloud: HadoopEcoClient = adapter.connect(adapter.endpoint({ region } as HadoopEcoSpec), id, secret);
  const clusterId = uuid.test(args.cluster)
    ? args.cluster
    : exactlyOne(await cloud.findLiveClustersByName(args.cluster), 'live Hadoop Eco cluster', args.cluster, (c) => c.id).id;
  const detail = await cloud.getCluster(clusterId);
  if (!detail) throw new ImportError(`no Hadoop Eco cluster has the id ${clusterId} in ${region}`);
  // Adopting a cluster that is gone or going would only stall (ClusterTerminatedOutside).
  const phase = hadoopEcoStatus(detail.status).kind;
  if (phase === 'terminated' || phase === 'terminating')
    throw new ImportError(`Hadoop Eco cluster ${clusterId} (${detail.name}) is ${detail.status}: there is nothing to adopt`);
  const name = args.name ?? detail.name;
  const imported = importHadoopEcoSpec(detail, { region, credentialsSecret: args.secret, resourceName: name });
  const { group, version, kind } = hadoopEcoResource;
  return { apiVersion: `${group}/${version}`, kind, namespace: env.namespace, name, clusterId, imported };
}

async function importKafka(env: ImportEnv, args: ImportArgs, http: CloudHttp): Promise<ImportResult> {
  const region = pickRegion(args.region, CDSS_REGIONS, 'kafka');
  const connection = cdssConnection({ http, log: env.log, site: env.config.CDO_NCLOUD_SITE, endpoints: env.config.CDO_NCLOUD_ENDPOINTS });
  const [accessKey, secretKey] = await credentials(env, args.secret, connection.credentials);
  const cloud: CdssClient = connection.connect(connection.endpoint({ region } as KafkaSpec), accessKey, secretKey);
  // A serviceGroupInstanceNo is digits; a CDSS name starts with a letter (§5.2).
  const byId = /^\d+$/.test(args.cluster);
  const listedByName = byId
    ? undefined
    : exactlyOne(await cloud.findClustersByName(args.cluster), 'CDSS cluster', args.cluster, (c) => c.serviceGroupInstanceNo);
  const clusterId = listedByName?.serviceGroupInstanceNo ?? args.cluster;
  const info = await cloud.getCluster(clusterId);
  if (!info) throw new ImportError(`no CDSS cluster has the number ${clusterId} in ${region}`);
  const lifecycle = classifyClusterStatus(info.status);
  if (lifecycle === 'deleting' || lifecycle === 'return')
    throw new ImportError(`CDSS cluster ${clusterId} (${info.clusterName}) is ${info.status}: there is nothing to adopt`);
  // C4 carries what C5 does not (the manager public domain); C11 answers only while the cluster runs.
  const listed = listedByName ?? (await cloud.findClustersByName(info.clusterName)).find((c) => c.serviceGroupInstanceNo === clusterId);
  const brokers = lifecycle === 'running' ? await cloud.getBrokerInfo(clusterId) : undefined;
  const name = args.name ?? info.clusterName;
  const imported = importKafkaSpec(
    { id: clusterId, info, listed, brokers },
    { region, credentialsSecret: args.secret, resourceName: name },
  );
  const { group, version, kind } = kafkaResource;
  return { apiVersion: `${group}/${version}`, kind, namespace: env.namespace, name, clusterId, imported };
}
