// CDSS observations → KafkaCluster status (pure, deterministic: an unchanged cluster gives an
// unchanged status, so no write). Besides the kstatus conditions it sets `Healthy` from the
// broker and ZooKeeper health colours (spec §4.1: provisioning status and process health are
// separate vocabularies).
import { healthColour } from '../../clouds/ncloud/status.ts';
import type { BrokerInfo, ClusterHealth, ClusterInfo, KafkaVersion } from '../../clouds/ncloud/types.ts';
import { setCondition, type Condition } from '../../runtime/conditions.ts';
import { coreStatus, stored, type CoreStatusInput } from '../core/status.ts';
import type { KafkaStatus } from './schema.ts';

export interface KafkaStatusInput extends CoreStatusInput {
  previous: KafkaStatus;
  info: ClusterInfo | null | undefined;
  health?: ClusterHealth | undefined;
  brokers?: BrokerInfo | undefined;
  versions?: KafkaVersion[] | undefined;
  upgrade?: KafkaStatus['upgrade'];
  managerPasswordHash?: string | undefined;
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
    managerPasswordHash: s.managerPasswordHash ?? s.previous.managerPasswordHash,
  });
}
