// What one pass asks CDSS about a KafkaCluster, and what each answer means to the plan. A cluster
// costs one call while CDSS works on it and a few more while it runs; everything else is asked
// only when a decision needs it: the node products CDSS allows (C10) when the spec asks for
// another, the load balancer candidates (C18) when a public endpoint must be enabled without a
// named one, the manager public domain (C4) when the spec manages it, the config group's version
// (G1/G10) when a create, an upgrade or a group change is coming, and the CA certificate (C25)
// once per cluster.
import type { CdssClient, LoadBalancerCandidate, SpecChangeProducts } from '../../clouds/ncloud/client.ts';
import { GatewayNotFoundError } from '../../clouds/ncloud/errors.ts';
import { classifyClusterStatus } from '../../clouds/ncloud/status.ts';
import type { BrokerInfo, ClusterHealth, ClusterInfo, ClusterListItem, KafkaVersion } from '../../clouds/ncloud/types.ts';
import { classify } from '../../runtime/errors.ts';
import type { Logger } from 'pino';
import type { KubeObject } from '../../runtime/object.ts';
import type { PassContext } from '../core/kind.ts';
import { referencedGroup } from './config-group-ref.ts';
import type { KafkaKind } from './adapter.ts';
import type { CdssObservation, ResolvedConfigGroup } from './plan.ts';
import type { KafkaSpec, KafkaStatus } from './schema.ts';

/** One look at a cluster: its info, and what else CDSS tells in its current state. */
export interface CdssObserved {
  info: ClusterInfo;
  health?: ClusterHealth | undefined;
  brokers?: BrokerInfo | undefined;
  versions?: KafkaVersion[] | undefined;
  progress?: ClusterHealth | undefined;
  /** C10, when the spec asks for another node product. */
  nodeProducts?: SpecChangeProducts | undefined;
  /** C18, when a public endpoint must be enabled and the spec names no load balancer. */
  loadBalancers?: LoadBalancerCandidate[] | undefined;
  /** The C4 list item, when the spec manages the manager public domain (C5 does not report it). */
  listed?: ClusterListItem | undefined;
  /** C25: the PEM when asked in this pass (null: CDSS has none), undefined when not asked or the ask failed. */
  caCertificate?: string | null | undefined;
}

/** How often to ask again for a CA certificate CDSS did not have. */
const caRetryMs = 60 * 60_000;
const num = (v: string | null | undefined) => (v === null || v === undefined ? undefined : Number(v));

export function observation(o: CdssObserved): CdssObservation {
  const { info } = o;
  const allowed = (list: SpecChangeProducts['brokerNodeProductList']) =>
    list.filter((p) => p.isChangeSpec === true).map((p) => p.productCode);
  return {
    status: info.status,
    kafkaVersionCode: info.kafkaVersionCode,
    configGroupNo: num(info.configGroupNo),
    brokerCount: info.brokerNodeCount ?? undefined,
    managerNodeProductCode: info.managerNodeProductCode ?? undefined,
    brokerNodeProductCode: info.brokerNodeProductCode ?? undefined,
    specChangeAllowed: o.nodeProducts && {
      manager: allowed(o.nodeProducts.managerNodeProductList),
      broker: allowed(o.nodeProducts.brokerNodeProductList),
    },
    // §6 #14: the public lists stay empty until C16 has been applied.
    brokerPublicEndpoint: o.brokers ? o.brokers.publicEndpointBrokerNodeList.length > 0 : undefined,
    loadBalancers: o.loadBalancers?.map((l) => ({
      loadBalancerInstanceNo: l.loadBalancerInstanceNo,
      name: l.loadBalancerName || undefined,
    })),
    managerPublicDomain: o.listed ? o.listed.isUsePublicDomain === true : undefined,
  };
}

/** The cluster of `clusterId` with what its state calls for; null only on proof that it does not exist. */
export async function observeCluster(
  ctx: PassContext<KafkaKind>,
  clusterId: string,
  versionsOf: (client: CdssClient) => Promise<KafkaVersion[]>,
): Promise<CdssObserved | null> {
  const client = ctx.cloud();
  const info = await client.getCluster(clusterId);
  if (!info) return null;
  const phase = classifyClusterStatus(info.status);
  if (phase === 'changing' && ctx.previous.upgrade) return { info, progress: (await client.upgradeProgress(clusterId)) ?? undefined };
  if (phase !== 'running') return { info };
  const { spec, previous } = ctx;
  const brokers = (await client.getBrokerInfo(clusterId)) ?? undefined;
  const seen: CdssObserved = {
    info,
    health: (await client.getClusterHealth(clusterId)) ?? undefined,
    brokers,
    versions: await versionsOf(client),
  };
  const manage = spec.managementPolicy === 'Manage';
  const productDiffers =
    (info.managerNodeProductCode != null && info.managerNodeProductCode !== spec.manager.nodeProductCode) ||
    (info.brokerNodeProductCode != null && info.brokerNodeProductCode !== spec.broker.nodeProductCode);
  if (manage && productDiffers) {
    seen.nodeProducts = await client.nodeProductsForSpecChange(clusterId, info.softwareProductCode ?? spec.softwareProductCode);
  }
  const pb = spec.publicAccess?.brokers;
  if (manage && pb?.enabled && pb.loadBalancerInstanceNo === undefined && brokers && brokers.publicEndpointBrokerNodeList.length === 0) {
    seen.loadBalancers = await client.loadBalancersForPublicEndpoint(clusterId);
  }
  if (spec.publicAccess?.manager) {
    const found = await client.findClustersByName(info.clusterName);
    seen.listed = found.find((c) => c.serviceGroupInstanceNo === clusterId);
  }
  if (caCertificateDue(previous.tls, clusterId)) seen.caCertificate = await caCertificate(ctx.log, client, clusterId);
  return seen;
}

/** Once per cluster; again after an hour only if CDSS had none. */
export function caCertificateDue(tls: KafkaStatus['tls'], clusterId: string, now = Date.now()): boolean {
  if (!tls || tls.clusterId !== clusterId) return true;
  return tls.caCertificate === undefined && now - Date.parse(tls.checkedAt) >= caRetryMs;
}

/** C25 is known from the SDK only: a failure must not hold up the pass, so it is logged and tried later. */
async function caCertificate(log: Logger, client: CdssClient, clusterId: string): Promise<string | null | undefined> {
  try {
    return await client.downloadCertificate(clusterId);
  } catch (err) {
    log.info({ err, clusterId, errorClass: classify(err) }, 'CDSS gave no CA certificate; asking again on a later pass');
    return undefined;
  }
}

/**
 * The spec's config group and the version it was made for (§5.18: a group belongs to one
 * version). A KafkaConfigGroup reference says both itself (config-group-ref.ts). A number is
 * looked up only when a create, an upgrade or a group change is coming: G1 for the version the
 * cluster will run, then G10 (SDK only) to name the group's own version in the message.
 */
export async function resolveConfigGroup(
  client: () => CdssClient,
  spec: KafkaSpec,
  clusterId: string | undefined,
  observed: CdssObserved | null | undefined,
  read: (name: string) => KubeObject | undefined,
): Promise<ResolvedConfigGroup> {
  if (spec.configGroupRef !== undefined) {
    const name = spec.configGroupRef.name;
    return referencedGroup(read(name), name, String(spec.kafkaVersionCode), num(observed?.info.configGroupNo));
  }
  // The schema allows exactly one of the two (admission and zod agree).
  const group = { configGroupNo: spec.configGroupNo! };
  if (spec.managementPolicy !== 'Manage') return group;
  const version = String(spec.kafkaVersionCode);
  const creating = clusterId === undefined;
  const changing =
    observed != null &&
    classifyClusterStatus(observed.info.status) === 'running' &&
    (observed.info.kafkaVersionCode !== version || num(observed.info.configGroupNo) !== group.configGroupNo);
  if (!creating && !changing) return group;
  return { ...group, madeFor: await madeFor(client(), group.configGroupNo, version) };
}

/**
 * Per client (so per tenant), the config groups seen in a version's G1 list. A group is created
 * for one Kafka version and keeps it (specs ncloud-cdss-api §5.18), so a group once seen in the list needs no second G1
 * before the next create: a burst of creates on one group costs one G1, not one each. Only what
 * was seen is remembered; a group not in it is always looked up, so a new group is found at once.
 * A group deleted since is the cloud's to refuse at the create, with its own message.
 */
const groupVersions = new WeakMap<CdssClient, Map<string, string>>();

async function madeFor(client: CdssClient, configGroupNo: number, version: string): Promise<string | null> {
  const no = String(configGroupNo);
  let seen = groupVersions.get(client);
  if (seen?.get(no) === version) return version;
  const listed = await client.listConfigGroups(version);
  if (!seen) groupVersions.set(client, (seen = new Map<string, string>()));
  for (const g of listed) seen.set(g.configGroupNo, version);
  if (listed.some((g) => g.configGroupNo === no)) return version;
  try {
    return (await client.listAllConfigGroups()).find((g) => g.configGroupNo === no)?.kafkaVersionCode ?? null;
  } catch (err) {
    // G10 is known from the SDK only; without it the group is still known not to be the version's.
    if (err instanceof GatewayNotFoundError) return null;
    throw err;
  }
}
