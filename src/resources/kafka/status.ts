// CDSS observations → KafkaCluster status (pure, deterministic: an unchanged cluster gives an
// unchanged status, so no write). Besides the kstatus conditions it sets `Healthy` from the
// broker and ZooKeeper health colours (spec §4.1: provisioning status and process health are
// separate vocabularies).
import { healthColour } from '../../clouds/ncloud/status.ts';
import type { BrokerInfo, ClusterHealth, ClusterInfo, ClusterListItem, KafkaVersion } from '../../clouds/ncloud/types.ts';
import { nowRfc3339 } from '../../runtime/conditions.ts';
import { setCondition, type Condition } from '../../runtime/conditions.ts';
import { coreStatus, stored, type CoreStatusInput } from '../core/status.ts';
import type { KafkaStatus } from './schema.ts';

export interface KafkaStatusInput extends CoreStatusInput {
  previous: KafkaStatus;
  info: ClusterInfo | null | undefined;
  health?: ClusterHealth | undefined;
  brokers?: BrokerInfo | undefined;
  versions?: KafkaVersion[] | undefined;
  /** The C4 list item, when the spec manages the manager public domain. */
  listed?: ClusterListItem | undefined;
  /** C25 asked in this pass: the PEM, or null when CDSS has none. */
  caCertificate?: string | null | undefined;
  upgrade?: KafkaStatus['upgrade'];
  change?: KafkaStatus['change'];
  managerPasswordHash?: string | undefined;
}

const nonEmpty = (list: string[] | undefined) => (list && list.length ? list : undefined);

/** Public access as CDSS reports it: brokers from C13 (this pass's, else the last), the manager from C4. */
export function publicAccessStatus(s: KafkaStatusInput): KafkaStatus['publicAccess'] {
  const b = s.brokers;
  const brokers = b
    ? {
        enabled: b.publicEndpointBrokerNodeList.length > 0,
        listenerPorts: nonEmpty(b.publicEndpointBrokerNodeListenerPortList),
        tlsListenerPorts: nonEmpty(b.publicEndpointBrokerTlsNodeListenerPortList),
      }
    : s.previous.publicAccess?.brokers;
  const l = s.listed;
  const manager = l
    ? { enabled: l.isUsePublicDomain === true, domain: l.clusterPublicDomain || undefined }
    : s.previous.publicAccess?.manager;
  return brokers || manager ? { brokers, manager } : undefined;
}

/** /etc/hosts lines (C13 localDnsList, localDnsTlsList), this pass's or the last. */
export function hostsEntriesStatus(s: KafkaStatusInput): KafkaStatus['hostsEntries'] {
  const b = s.brokers;
  if (!b) return s.previous.hostsEntries;
  const entries = { plaintext: nonEmpty(b.localDnsList), tls: nonEmpty(b.localDnsTlsList) };
  return entries.plaintext || entries.tls ? entries : undefined;
}

/** The CA certificate: fetched once per cluster (observe.ts decides when to ask). */
export function tlsStatus(s: KafkaStatusInput): KafkaStatus['tls'] {
  if (s.caCertificate === undefined || s.clusterId === undefined) return s.previous.tls;
  return { clusterId: s.clusterId, caCertificate: s.caCertificate ?? undefined, checkedAt: nowRfc3339(s.now) };
}

const joined = (list: string[] | undefined) => (list && list.length ? list.join(',') : undefined);

export function healthCondition(
  conditions: readonly Condition[],
  health: ClusterHealth | undefined,
  generation: number | undefined,
  now?: Date,
): Condition[] {
  if (!health) return [...conditions];
  // An absent or unrecognised colour reads as gray ("unknown", spec §4.1).
  const colour = (raw: string | null | undefined) => (healthColour(raw) === 'unknown' ? 'gray' : healthColour(raw));
  const broker = colour(health.brokerStatus);
  const zookeeper = colour(health.zookeeperStatus);
  const healthy = broker === 'green' && zookeeper === 'green';
  const unknown = broker === 'gray' || zookeeper === 'gray';
  return setCondition(
    conditions,
    {
      type: 'Healthy',
      status: healthy ? 'True' : unknown ? 'Unknown' : 'False',
      reason: healthy ? 'AllGreen' : broker === 'orange' || zookeeper === 'orange' ? 'Changing' : unknown ? 'Unknown' : 'Degraded',
      message:
        `brokers ${broker} (${health.brokerNumber ?? '?'}/${health.brokerNodeTotalNumber ?? '?'}), ` +
        `zookeeper ${zookeeper} (${health.zookeeperNumber ?? '?'}/${health.zookeeperTotalNumber ?? '?'})`,
    },
    generation,
    now,
  );
}

export function buildKafkaStatus(s: KafkaStatusInput): KafkaStatus {
  const info = s.info ?? undefined;
  const gone = s.plan.phase === 'Failed' || s.plan.phase === 'Deleting';
  const core = coreStatus(s);
  const versionCode = info?.kafkaVersionCode ?? s.previous.kafkaVersion?.code;
  const versionName =
    s.versions?.find((v) => String(v.kafkaVersionCode) === versionCode)?.kafkaVersionName ??
    (versionCode === s.previous.kafkaVersion?.code ? s.previous.kafkaVersion?.name : undefined);
  const b = s.brokers;
  const fresh = b && {
    plaintext: joined(b.brokerNodeList),
    tls: joined(b.brokerTlsNodeList),
    publicPlaintext: joined(b.publicEndpointBrokerNodeList),
    publicTls: joined(b.publicEndpointBrokerTlsNodeList),
  };
  // No field rather than an empty object when CDSS lists no endpoint at all.
  const bootstrap = fresh ? (Object.values(fresh).some(Boolean) ? fresh : undefined) : s.previous.bootstrapServers;
  return stored<KafkaStatus>({
    ...core,
    conditions: healthCondition(core.conditions ?? [], s.health, s.generation, s.now),
    cloudStatus: info?.status ?? s.previous.cloudStatus,
    brokerCount: info?.brokerNodeCount ?? s.previous.brokerCount,
    ...(versionCode ? { kafkaVersion: { code: versionCode, ...(versionName ? { name: versionName } : {}) } } : {}),
    configGroupNo: info?.configGroupNo !== undefined && info.configGroupNo !== null ? Number(info.configGroupNo) : s.previous.configGroupNo,
    ...(s.health
      ? {
          health: {
            broker: s.health.brokerStatus ?? undefined,
            zookeeper: s.health.zookeeperStatus ?? undefined,
            manager: s.health.cmakStatus ?? undefined,
          },
        }
      : s.previous.health
        ? { health: s.previous.health }
        : {}),
    ...(!gone && bootstrap ? { bootstrapServers: bootstrap } : {}),
    ...(!gone && (b ? joined(b.zookeeperList) : s.previous.zookeeper)
      ? { zookeeper: b ? joined(b.zookeeperList) : s.previous.zookeeper }
      : {}),
    ...(s.upgrade ? { upgrade: s.upgrade } : {}),
    ...(s.change ? { change: s.change } : {}),
    ...(!gone ? { publicAccess: publicAccessStatus(s), hostsEntries: hostsEntriesStatus(s) } : {}),
    tls: tlsStatus(s),
    managerPasswordHash: s.managerPasswordHash ?? s.previous.managerPasswordHash,
  });
}
