// Response `result` shapes (spec §5). Types on the wire follow the spec exactly where it is
// inconsistent on purpose (§6 #3): C4's serviceGroupInstanceNo is a String, C5's
// kafkaVersionCode is a String, C2's serviceGroupInstanceNo is a Number.
import type { Catalog, ConfigGroup } from './catalog.ts';
import type { BrokerNode, ClusterRecord } from './model.ts';

export const KAFKA_PORT = 9092;
export const KAFKA_TLS_PORT = 9093;
export const ZOOKEEPER_PORT = 2181;
export const CMAK_PORT = 9000;
/** Listener ports of the public endpoint's load balancer: 9011, 9012, … (TLS 9021, …) [INF]. */
const PUBLIC_PORT_BASE = 9010;
const PUBLIC_TLS_PORT_BASE = 9020;

export interface Paging {
  currentPage: number;
  isFirst: boolean;
  isLast: boolean;
  pageSize: number;
  totalCount: number;
  totalPage: number;
}

/** §5.4 / §6 #4: 1-based pages; totalPage 0 when there is nothing (then the page is first and last). */
export function page<T>(items: T[], pageNo: number, pageSize: number): { paging: Paging; items: T[] } {
  const totalCount = items.length;
  const totalPage = Math.ceil(totalCount / pageSize);
  return {
    paging: { currentPage: pageNo, isFirst: pageNo === 1, isLast: pageNo >= totalPage, pageSize, totalCount, totalPage },
    items: items.slice((pageNo - 1) * pageSize, pageNo * pageSize),
  };
}

const readyBrokers = (c: ClusterRecord): BrokerNode[] => c.brokers.filter((b) => b.ready);

/** C4 `allowedClusters[]` item ([SDK] AllowedClusterInfo field names; values are ours). */
export function toListItem(c: ClusterRecord, catalog: Catalog) {
  const v = catalog.versions.find((x) => x.kafkaVersionCode === c.kafkaVersionCode);
  return {
    serviceGroupInstanceNo: c.id,
    clusterName: c.input.clusterName,
    serverStatus: c.status,
    kafkaVersion: v?.kafkaVersionName ?? c.kafkaVersionCode,
    applicationVersion: v?.applicationVersionName ?? '',
    cmakVersion: v?.cmakVersionName ?? '',
    softwareProductName: c.input.softwareProductCode,
    vpcNo: c.input.vpcNo,
    vpcName: c.vpcName,
    managerNodeCount: 1,
    managerNodeType: c.input.managerNodeProductCode,
    managerNodeSubnetNo: c.input.managerNodeSubnetNo,
    managerNodeSubnetName: `subnet-${c.input.managerNodeSubnetNo}`,
    managerNodeAccessControlGroupName: `cdss-m-${c.id}`,
    managerNodeAccessControlGroupSequence: Number(c.id.slice(-6)),
    brokerNodeCount: readyBrokers(c).length,
    brokerNodeType: c.input.brokerNodeProductCode,
    brokerNodeProductName: c.input.brokerNodeProductCode,
    brokerStorageVolumeSize: c.input.brokerNodeStorageSize,
    brokerNodeSubnetNo: c.input.brokerNodeSubnetNo,
    brokerNodeSubnetName: `subnet-${c.input.brokerNodeSubnetNo}`,
    brokerNodeAccessControlGroupName: `cdss-b-${c.id}`,
    brokerNodeAccessControlGroupSequence: Number(c.id.slice(-6)) + 1,
    kafkaBrokerPort: KAFKA_PORT,
    kafkaBrokerTlsPort: KAFKA_TLS_PORT,
    zookeeperPort: ZOOKEEPER_PORT,
    cmakPort: CMAK_PORT,
    kafkaManagerUserName: c.input.kafkaManagerUserName,
    // C19 toggles these (state.ts setPublicDomain).
    isUsePublicDomain: c.publicDomain !== null,
    clusterPublicDomain: c.publicDomain ?? '',
    createDate: new Date(c.createdAt).toISOString(),
    memberNo: c.memberNo,
  };
}

/** C5 ([DOC] getclusterinfo fields). The password is write-only (§5.5) and never returned. */
export function toDetail(c: ClusterRecord) {
  return {
    clusterName: c.input.clusterName,
    kafkaVersionCode: c.kafkaVersionCode,
    kafkaManagerUserName: c.input.kafkaManagerUserName,
    softwareProductCode: c.input.softwareProductCode,
    vpcNo: c.input.vpcNo,
    managerNodeProductCode: c.input.managerNodeProductCode,
    managerNodeSubnetNo: c.input.managerNodeSubnetNo,
    brokerNodeProductCode: c.input.brokerNodeProductCode,
    brokerNodeSubnetNo: c.input.brokerNodeSubnetNo,
    brokerNodeCount: readyBrokers(c).length,
    brokerNodeStorageSize: c.input.brokerNodeStorageSize,
    configGroupNo: c.configGroupNo,
    status: c.status,
  };
}

type Colour = 'green' | 'yellow' | 'orange' | 'red' | 'gray';

/**
 * C6 / C22 (§5.6, §5.15). Colours (§4.1): orange while creating/changing, green when running,
 * red in error, gray when deleting/returned. During a rolling upgrade the overall brokerStatus is
 * orange and each broker is green once upgraded, yellow until then (so progress is visible per
 * node); brokerNumber counts the green brokers [INF: the docs do not define brokerNumber].
 */
export function toHealth(c: ClusterRecord) {
  const overall: Colour =
    c.status === 'running'
      ? 'green'
      : c.status === 'creating' || c.status === 'changing'
        ? 'orange'
        : c.status === 'error'
          ? 'red'
          : 'gray';
  const u = c.upgrade;
  const brokerColour = (b: BrokerNode): Colour => {
    if (u !== null) return b.index <= u.upgradedBrokers ? 'green' : 'yellow';
    if (!b.ready) return overall === 'gray' || overall === 'red' ? overall : 'orange';
    return overall === 'orange' ? 'green' : overall;
  };
  const perNode = c.brokers.map((b) => ({ hostname: b.hostname, status: brokerColour(b) }));
  // ZooKeeper runs on the first three brokers [INF].
  // ZooKeeper is not restarted by a broker upgrade or scale-out: green once provisioned.
  const zkColour = (b: BrokerNode): Colour => (overall === 'orange' ? (b.ready ? 'green' : 'orange') : overall);
  const zk = c.brokers.slice(0, 3).map((b) => ({ hostname: b.hostname, status: zkColour(b) }));
  const zkOverall: Colour = zk.every((z) => z.status === 'green') ? 'green' : overall;
  return {
    clusterName: c.input.clusterName,
    brokerNodeTotalNumber: c.brokers.length,
    brokerNumber: perNode.filter((n) => n.status === 'green').length,
    brokerStatus: overall,
    brokerStatusPerNode: perNode,
    zookeeperTotalNumber: zk.length,
    zookeeperNumber: zk.filter((z) => z.status === 'green').length,
    zookeeperStatus: zkOverall,
    zookeeperStatusPerNode: zk,
    cmakStatus: overall === 'orange' ? 'green' : overall,
  };
}

/**
 * C13 (§5.11). Private lists are comma-separated, public and hosts lists newline-separated; the
 * public fields stay empty until C16 has been applied (§6 #14).
 */
export function toBrokerInfo(c: ClusterRecord) {
  const brokers = readyBrokers(c);
  const pub = c.publicEndpoint;
  const publicPorts = brokers.map((b) => PUBLIC_PORT_BASE + b.index);
  const publicTlsPorts = brokers.map((b) => PUBLIC_TLS_PORT_BASE + b.index);
  return {
    brokerNodeDnsInfoList: [] as unknown[], // item shape not captured (§7): kept empty
    brokerNodeList: brokers.map((b) => `${b.privateIp}:${KAFKA_PORT}`).join(','),
    brokerTlsNodeList: brokers.map((b) => `${b.privateIp}:${KAFKA_TLS_PORT}`).join(','),
    publicEndpointBrokerNodeList: pub ? publicPorts.map((p) => `${pub.publicIp}:${p}`).join('\n') : '',
    publicEndpointBrokerNodeListenerPortList: pub ? publicPorts.join('\n') : '',
    publicEndpointBrokerTlsNodeList: pub ? publicTlsPorts.map((p) => `${pub.publicIp}:${p}`).join('\n') : '',
    publicEndpointBrokerTlsNodeListenerPortList: pub ? publicTlsPorts.join('\n') : '',
    localDnsList: brokers.map((b) => `${b.privateIp} ${b.hostname}`).join('\n'),
    localDnsTlsList: pub ? brokers.map((b) => `${pub.publicIp} ${b.hostname}`).join('\n') : '',
    zookeeperList: brokers
      .slice(0, 3)
      .map((b) => `${b.privateIp}:${ZOOKEEPER_PORT}`)
      .join(','),
  };
}

/** G1 `kafkaConfigGroupList[]` item ([SDK] KafkaConfigGroup). */
export function toConfigGroupItem(g: ConfigGroup, catalog: Catalog) {
  return {
    configGroupNo: g.configGroupNo,
    configGroupName: g.configGroupName,
    description: g.description,
    kafkaVersion: catalog.versions.find((v) => v.kafkaVersionCode === g.kafkaVersionCode)?.kafkaVersionName ?? '',
    kafkaVersionCode: g.kafkaVersionCode,
  };
}
