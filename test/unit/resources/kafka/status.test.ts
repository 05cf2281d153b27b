// buildKafkaStatus as a specification: what CDSS reports (cluster info, health colours, broker
// endpoints, version list; spec ncloud-cdss-api.md §4.1, §5.5, §5.6, §5.10, §5.11) and the plan's
// decision become the KafkaCluster status, deterministically, so an unchanged cluster writes nothing.
import { describe, expect, it } from 'vitest';
import {
  BrokerInfoSchema,
  ClusterHealthSchema,
  ClusterInfoSchema,
  KafkaVersionSchema,
  type BrokerInfo,
  type ClusterHealth,
  type ClusterInfo,
  type KafkaVersion,
} from '../../../../src/clouds/ncloud/types.ts';
import type { Plan } from '../../../../src/resources/kafka/plan.ts';
import type { KafkaStatus } from '../../../../src/resources/kafka/schema.ts';
import { buildKafkaStatus, healthCondition, type KafkaStatusInput } from '../../../../src/resources/kafka/status.ts';

const NOW = new Date('2025-03-04T05:06:07.890Z');

/** A getClusterInfoList/{id} result as CDSS sends it (numbers and strings mixed, §6 #3), parsed. */
function info(over: Record<string, unknown> = {}): ClusterInfo {
  return ClusterInfoSchema.parse({
    clusterName: 'events',
    status: 'running',
    kafkaVersionCode: '3903006',
    serviceGroupInstanceNo: 3432149,
    brokerNodeCount: 3,
    configGroupNo: '170',
    ...over,
  });
}

function health(over: Record<string, unknown> = {}): ClusterHealth {
  return ClusterHealthSchema.parse({
    clusterName: 'events',
    brokerNodeTotalNumber: 3,
    brokerNumber: 3,
    brokerStatus: 'green',
    zookeeperTotalNumber: 3,
    zookeeperNumber: 3,
    zookeeperStatus: 'green',
    cmakStatus: 'green',
    ...over,
  });
}

/** getBrokerInfo as CDSS sends it: comma-separated private lists, newline-separated public ones (§5.11). */
function brokers(over: Record<string, unknown> = {}): BrokerInfo {
  return BrokerInfoSchema.parse({
    brokerNodeList: '10.0.1.11:9092,10.0.1.12:9092,10.0.1.13:9092',
    brokerTlsNodeList: '10.0.1.11:9093,10.0.1.12:9093,10.0.1.13:9093',
    zookeeperList: '10.0.1.11:2181,10.0.1.12:2181,10.0.1.13:2181',
    ...over,
  });
}

const versions: KafkaVersion[] = [
  KafkaVersionSchema.parse({ kafkaVersionCode: 2823006, kafkaVersionName: '2.8.2' }),
  KafkaVersionSchema.parse({ kafkaVersionCode: 3903006, kafkaVersionName: '3.9.0' }),
];

const plans = {
  running: {
    action: { type: 'Done' },
    phase: 'Running',
    state: { state: 'ready', reason: 'Running', message: 'running Kafka 3903006 with 3 brokers' },
    cadence: 'steady',
  },
  scaling: {
    action: { type: 'AddBrokers', count: 2 },
    phase: 'Scaling',
    state: { state: 'reconciling', reason: 'AddingBrokers', message: 'adding 2 brokers (3 → 5)' },
    cadence: 'busy',
  },
  upgrading: {
    action: { type: 'Wait' },
    phase: 'Upgrading',
    state: { state: 'reconciling', reason: 'Upgrading', message: 'rolling upgrade in progress' },
    cadence: 'busy',
  },
  failed: {
    action: { type: 'Stall' },
    phase: 'Failed',
    state: { state: 'stalled', reason: 'ClusterError', message: 'CDSS reports the cluster in error' },
    cadence: 'never',
  },
  deleting: {
    action: { type: 'Wait' },
    phase: 'Deleting',
    state: { state: 'reconciling', reason: 'Deleting', message: 'CDSS reports deleting' },
    cadence: 'busy',
  },
} satisfies Record<string, Plan>;

function build(over: Partial<KafkaStatusInput> = {}): KafkaStatus {
  return buildKafkaStatus({
    previous: {},
    plan: plans.running,
    generation: 4,
    clusterId: '3432149',
    clusterName: 'events',
    info: info(),
    health: health(),
    brokers: brokers(),
    versions,
    now: NOW,
    ...over,
  });
}

const condition = (s: KafkaStatus, type: string) => s.conditions?.find((c) => c.type === type);

describe('buildKafkaStatus: bootstrap servers', () => {
  it('plaintext, TLS and ZooKeeper strings are the broker info lists joined with commas', () => {
    const s = build();
    expect(s.bootstrapServers).toEqual({
      plaintext: '10.0.1.11:9092,10.0.1.12:9092,10.0.1.13:9092',
      tls: '10.0.1.11:9093,10.0.1.12:9093,10.0.1.13:9093',
    });
    expect(s.zookeeper).toBe('10.0.1.11:2181,10.0.1.12:2181,10.0.1.13:2181');
  });

  it('public endpoints appear only once CDSS reports them (newline-separated lists, joined with commas)', () => {
    expect(build().bootstrapServers).not.toHaveProperty('publicPlaintext');
    expect(build().bootstrapServers).not.toHaveProperty('publicTls');
    const s = build({
      brokers: brokers({
        publicEndpointBrokerNodeList: 'pub1.example:39092\npub2.example:39092\n',
        publicEndpointBrokerTlsNodeList: 'pub1.example:39093\npub2.example:39093',
      }),
    });
    expect(s.bootstrapServers).toEqual({
      plaintext: '10.0.1.11:9092,10.0.1.12:9092,10.0.1.13:9092',
      tls: '10.0.1.11:9093,10.0.1.12:9093,10.0.1.13:9093',
      publicPlaintext: 'pub1.example:39092,pub2.example:39092',
      publicTls: 'pub1.example:39093,pub2.example:39093',
    });
  });

  it('empty and null lists are left out', () => {
    const s = build({ brokers: brokers({ brokerTlsNodeList: '', publicEndpointBrokerNodeList: null }) });
    expect(s.bootstrapServers).toEqual({ plaintext: '10.0.1.11:9092,10.0.1.12:9092,10.0.1.13:9092' });
  });

  it('without a fresh broker info the last known endpoints are kept', () => {
    const first = build();
    const s = build({ previous: first, brokers: undefined });
    expect(s.bootstrapServers).toEqual(first.bootstrapServers);
    expect(s.zookeeper).toBe(first.zookeeper);
  });

  it.each([
    ['Failed', plans.failed],
    ['Deleting', plans.deleting],
  ] as const)('%s: bootstrapServers and zookeeper are dropped, even if known before or reported now', (_label, plan) => {
    const running = build();
    expect(running.bootstrapServers?.plaintext).toBeDefined();
    for (const b of [undefined, brokers()]) {
      const s = build({ previous: running, plan, brokers: b });
      expect(s.phase).toBe(plan.phase);
      expect(s).not.toHaveProperty('bootstrapServers');
      expect(s).not.toHaveProperty('zookeeper');
    }
  });
});

describe('buildKafkaStatus: cluster facts', () => {
  it('cloud status, broker count and config group come from CDSS, ids as strings and counts as numbers', () => {
    const s = build({ info: info({ status: 'changing', brokerNodeCount: '5', configGroupNo: 171 }) });
    expect(s).toMatchObject({
      cloudStatus: 'changing',
      brokerCount: 5,
      configGroupNo: 171,
      clusterId: '3432149',
      clusterName: 'events',
      observedGeneration: 4,
    });
  });

  it('kafkaVersion carries the code and its name from the version list', () => {
    expect(build().kafkaVersion).toEqual({ code: '3903006', name: '3.9.0' });
    expect(build({ info: info({ kafkaVersionCode: 2823006 }) }).kafkaVersion).toEqual({ code: '2823006', name: '2.8.2' });
  });

  it('the name is kept from the previous status when the code is unchanged and no list is given', () => {
    const first = build();
    expect(build({ previous: first, versions: undefined }).kafkaVersion).toEqual({ code: '3903006', name: '3.9.0' });
    expect(build({ previous: first, versions: undefined, info: undefined }).kafkaVersion).toEqual({ code: '3903006', name: '3.9.0' });
  });

  it('a changed code without a list drops the stale name rather than mislabel the version', () => {
    const first = build();
    expect(build({ previous: first, versions: undefined, info: info({ kafkaVersionCode: '4003006' }) }).kafkaVersion).toEqual({
      code: '4003006',
    });
  });

  it('a code missing from the list has no name', () => {
    expect(build({ info: info({ kafkaVersionCode: '4003006' }) }).kafkaVersion).toEqual({ code: '4003006' });
  });

  it('a config group CDSS reports as null keeps the last known one', () => {
    const first = build({ info: info({ configGroupNo: 171 }) });
    expect(build({ previous: first, info: info({ configGroupNo: null }) }).configGroupNo).toBe(171);
    expect(build({ info: info({ configGroupNo: null }) })).not.toHaveProperty('configGroupNo');
  });

  it('without a fresh observation the last known facts are kept', () => {
    const first = build();
    const s = build({ previous: first, info: undefined, health: undefined, brokers: undefined, versions: undefined });
    for (const key of ['cloudStatus', 'brokerCount', 'kafkaVersion', 'configGroupNo', 'health', 'bootstrapServers', 'zookeeper'] as const) {
      expect(s[key]).toEqual(first[key]);
    }
  });

  it('health colours are reported as CDSS gives them', () => {
    expect(build({ health: health({ brokerStatus: 'yellow', zookeeperStatus: 'green', cmakStatus: 'red' }) }).health).toEqual({
      broker: 'yellow',
      zookeeper: 'green',
      manager: 'red',
    });
  });
});

describe('buildKafkaStatus: the Healthy condition (process health, §4.1)', () => {
  const table: Array<[string, string | null, string | null, 'True' | 'False' | 'Unknown', string]> = [
    ['all green', 'green', 'green', 'True', 'AllGreen'],
    ['brokers red', 'red', 'green', 'False', 'Degraded'],
    ['zookeeper red', 'green', 'red', 'False', 'Degraded'],
    ['brokers yellow', 'yellow', 'green', 'False', 'Degraded'],
    ['zookeeper yellow', 'green', 'yellow', 'False', 'Degraded'],
    ['brokers orange (changing)', 'orange', 'green', 'False', 'Changing'],
    ['zookeeper orange (changing)', 'green', 'orange', 'False', 'Changing'],
    ['brokers gray', 'gray', 'green', 'Unknown', 'Unknown'],
    ['zookeeper gray', 'green', 'gray', 'Unknown', 'Unknown'],
    ['broker colour not reported', null, 'green', 'Unknown', 'Unknown'],
  ];
  it.each(table)('%s → %s/%s', (_label, brokerStatus, zookeeperStatus, status, reason) => {
    const c = condition(build({ health: health({ brokerStatus, zookeeperStatus }) }), 'Healthy');
    expect(c).toMatchObject({ type: 'Healthy', status, reason, observedGeneration: 4 });
    expect(c?.message).toContain(`brokers ${brokerStatus ?? 'gray'}`);
    expect(c?.message).toContain(`zookeeper ${zookeeperStatus ?? 'gray'}`);
  });

  it('the message counts live over total nodes', () => {
    expect(condition(build({ health: health({ brokerNumber: 2, brokerNodeTotalNumber: 3 }) }), 'Healthy')?.message).toContain('(2/3)');
  });

  it('the message gives the colour and live/total count of brokers and of ZooKeeper nodes', () => {
    const h = health({ brokerStatus: 'yellow', brokerNumber: 2, brokerNodeTotalNumber: 3, zookeeperNumber: 1, zookeeperTotalNumber: 3 });
    expect(condition(build({ health: h }), 'Healthy')?.message).toBe('brokers yellow (2/3), zookeeper green (1/3)');
  });

  it('the message writes ? for the counts CDSS leaves out', () => {
    const h = health({ brokerNumber: null, brokerNodeTotalNumber: null, zookeeperNumber: null, zookeeperTotalNumber: null });
    expect(condition(build({ health: h }), 'Healthy')?.message).toBe('brokers green (?/?), zookeeper green (?/?)');
  });

  it('without a health reading no Healthy condition is invented, and a previous one is kept', () => {
    expect(condition(build({ health: undefined }), 'Healthy')).toBeUndefined();
    const first = build();
    expect(condition(build({ previous: first, health: undefined }), 'Healthy')).toEqual(condition(first, 'Healthy'));
  });

  it('healthCondition sits after the kstatus conditions and leaves them untouched', () => {
    const s = build();
    expect(s.conditions?.map((c) => c.type)).toEqual(['Ready', 'Reconciling', 'Stalled', 'Healthy']);
    const base = s.conditions!.filter((c) => c.type !== 'Healthy');
    expect(healthCondition(base, undefined, 4, NOW)).toEqual(base);
    expect(healthCondition(base, health({ brokerStatus: 'red' }), 4, NOW).slice(0, 3)).toEqual(base);
  });

  it('a colour change moves the Healthy lastTransitionTime; the same colour later does not', () => {
    const first = build();
    const later = new Date(NOW.getTime() + 600_000);
    const same = build({ previous: first, now: later });
    expect(condition(same, 'Healthy')?.lastTransitionTime).toBe('2025-03-04T05:06:07Z');
    const red = build({ previous: first, now: later, health: health({ brokerStatus: 'red' }) });
    expect(condition(red, 'Healthy')?.lastTransitionTime).toBe('2025-03-04T05:16:07Z');
  });
});

describe('buildKafkaStatus: kstatus conditions, upgrade and password', () => {
  it.each([
    ['ready', plans.running, { Ready: 'True', Reconciling: 'False', Stalled: 'False' }],
    ['reconciling', plans.scaling, { Ready: 'False', Reconciling: 'True', Stalled: 'False' }],
    ['stalled', plans.failed, { Ready: 'False', Reconciling: 'False', Stalled: 'True' }],
  ] as const)("the plan's %s state sets the kstatus conditions", (_label, plan, expected) => {
    const s = build({ plan, health: undefined });
    expect(Object.fromEntries((s.conditions ?? []).map((c) => [c.type, c.status]))).toEqual(expected);
    expect(s.phase).toBe(plan.phase);
  });

  it('upgrade progress is passed through as given', () => {
    const upgrade = {
      fromVersionCode: '2823006',
      toVersionCode: '3903006',
      toConfigGroupNo: 171,
      startedAt: '2025-03-04T05:00:00Z',
      brokersUpgraded: 1,
      brokersTotal: 3,
    };
    expect(build({ plan: plans.upgrading, info: info({ status: 'changing' }), upgrade }).upgrade).toEqual(upgrade);
    expect(build()).not.toHaveProperty('upgrade');
  });

  it('managerPasswordHash is kept from the previous status unless a new one is given', () => {
    const first = build({ managerPasswordHash: 'a1b2c3' });
    expect(first.managerPasswordHash).toBe('a1b2c3');
    expect(build({ previous: first }).managerPasswordHash).toBe('a1b2c3');
    expect(build({ previous: first, managerPasswordHash: 'd4e5f6' }).managerPasswordHash).toBe('d4e5f6');
  });

  it('deleteRequestedAt and lastHandledReconcileAt are reported as given', () => {
    const s = build({ plan: plans.deleting, deleteRequestedAt: '2025-03-04T05:00:00Z', lastHandledReconcileAt: '2025-03-04T04:59:00Z' });
    expect(s).toMatchObject({ deleteRequestedAt: '2025-03-04T05:00:00Z', lastHandledReconcileAt: '2025-03-04T04:59:00Z' });
  });
});

describe('buildKafkaStatus: idempotence (an unchanged cluster gives an unchanged status)', () => {
  const scenarios: Array<[string, Partial<KafkaStatusInput>]> = [
    ['running with endpoints, health and versions', {}],
    [
      'running with public endpoints and a password hash',
      { brokers: brokers({ publicEndpointBrokerNodeList: 'pub1:39092\npub2:39092' }), managerPasswordHash: 'a1b2c3' },
    ],
    [
      'scaling',
      {
        plan: plans.scaling,
        info: info({ status: 'changing' }),
        health: health({ brokerStatus: 'orange' }),
        brokers: undefined,
        versions: undefined,
      },
    ],
    [
      'upgrading',
      {
        plan: plans.upgrading,
        info: info({ status: 'changing' }),
        health: undefined,
        brokers: undefined,
        upgrade: { toVersionCode: '4003006', toConfigGroupNo: 171, startedAt: '2025-03-04T05:00:00Z', brokersUpgraded: 1, brokersTotal: 3 },
      },
    ],
    ['failed', { plan: plans.failed, info: info({ status: 'error' }), health: health({ brokerStatus: 'red', zookeeperStatus: 'gray' }) }],
    [
      'deleting',
      {
        plan: plans.deleting,
        info: info({ status: 'deleting' }),
        health: undefined,
        brokers: undefined,
        deleteRequestedAt: '2025-03-04T05:00:00Z',
      },
    ],
    ['cluster gone (null)', { plan: plans.failed, info: null, health: undefined, brokers: undefined, versions: undefined }],
    ['not observed', { info: undefined, health: undefined, brokers: undefined, versions: undefined }],
    ['no generation', { generation: undefined }],
  ];
  it.each(scenarios)('%s: building twice, the first as previous, gives a deep-equal status', (_label, over) => {
    const first = build(over);
    const second = build({ ...over, previous: first });
    expect(second).toEqual(first);
  });

  it.each(scenarios)('%s: a later pass with nothing changed keeps lastTransitionTime too', (_label, over) => {
    const first = build(over);
    const second = build({ ...over, previous: first, now: new Date(NOW.getTime() + 3_600_000) });
    expect(second).toEqual(first);
  });

  it('the output is plain JSON (no undefined-valued keys that a merge patch would see as removals)', () => {
    const s = build({ info: undefined, health: health({ cmakStatus: null }), brokers: brokers({ brokerTlsNodeList: null }) });
    expect(JSON.parse(JSON.stringify(s))).toStrictEqual(s);
  });
});

describe('bootstrap servers with no endpoint listed', () => {
  it('leaves the field out rather than writing an empty object', async () => {
    const { buildKafkaStatus } = await import('../../../../src/resources/kafka/status.ts');
    const s = buildKafkaStatus({
      previous: {},
      plan: {
        action: { type: 'Wait' },
        phase: 'Creating',
        state: { state: 'reconciling', reason: 'CloudBusy', message: '' },
        cadence: 'busy',
      },
      generation: 1,
      clusterId: '1',
      clusterName: 'c',
      info: undefined,
      brokers: BrokerInfoSchema.parse({}),
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(s.bootstrapServers).toBeUndefined();
  });
});

describe('public access, hosts lines and the CA certificate', () => {
  const publicBrokers = brokers({
    publicEndpointBrokerNodeList: 'b1.public:19092\nb2.public:19092\nb3.public:19092',
    publicEndpointBrokerTlsNodeList: 'b1.public:19093\nb2.public:19093\nb3.public:19093',
    publicEndpointBrokerNodeListenerPortList: '19092\n19093\n19094',
    publicEndpointBrokerTlsNodeListenerPortList: '29092\n29093\n29094',
    localDnsList: '10.0.1.11 b1\n10.0.1.12 b2',
    localDnsTlsList: '203.0.113.1 b1.public\n203.0.113.2 b2.public',
  });

  it('lists the public endpoints (plaintext and TLS), the listener ports and both hosts-file lists, split one per item', () => {
    const s = build({ brokers: publicBrokers });
    expect(s.bootstrapServers).toMatchObject({
      publicPlaintext: 'b1.public:19092,b2.public:19092,b3.public:19092',
      publicTls: 'b1.public:19093,b2.public:19093,b3.public:19093',
    });
    expect(s.publicAccess).toEqual({
      brokers: { enabled: true, listenerPorts: ['19092', '19093', '19094'], tlsListenerPorts: ['29092', '29093', '29094'] },
    });
    expect(s.hostsEntries).toEqual({
      plaintext: ['10.0.1.11 b1', '10.0.1.12 b2'],
      tls: ['203.0.113.1 b1.public', '203.0.113.2 b2.public'],
    });
  });

  it('without a public endpoint: brokers off, no ports, no hosts lines when CDSS gives none', () => {
    const s = build();
    expect(s.publicAccess).toEqual({ brokers: { enabled: false } });
    expect(s).not.toHaveProperty('hostsEntries');
  });

  it('the manager public domain from the cluster list item, only when it was looked up', () => {
    const listed = {
      serviceGroupInstanceNo: '3432149',
      clusterName: 'events',
      serverStatus: 'running',
      isUsePublicDomain: true,
      clusterPublicDomain: 'cmak.example',
    };
    expect(build({ listed }).publicAccess?.manager).toEqual({ enabled: true, domain: 'cmak.example' });
    expect(build({ listed: { ...listed, isUsePublicDomain: false, clusterPublicDomain: '' } }).publicAccess?.manager).toEqual({
      enabled: false,
    });
    expect(build().publicAccess?.manager).toBeUndefined();
  });

  it('a pass that did not look keeps what the last one saw', () => {
    const previous = build({
      brokers: publicBrokers,
      listed: { serviceGroupInstanceNo: '1', clusterName: 'e', serverStatus: 'running', isUsePublicDomain: true },
    });
    const s = build({ previous, brokers: undefined, listed: undefined, plan: plans.upgrading, info: info({ status: 'changing' }) });
    expect(s.publicAccess).toEqual(previous.publicAccess);
    expect(s.hostsEntries).toEqual(previous.hostsEntries);
  });

  it('a failed or deleting cluster reports no public access or hosts lines', () => {
    expect(build({ brokers: publicBrokers, plan: plans.failed })).not.toHaveProperty('publicAccess');
    expect(build({ brokers: publicBrokers, plan: plans.deleting })).not.toHaveProperty('hostsEntries');
  });

  it('the CA certificate fetched in this pass is recorded with the cluster it belongs to; a pass that did not ask keeps it', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    const s = build({ caCertificate: pem });
    expect(s.tls).toEqual({ clusterId: '3432149', caCertificate: pem, checkedAt: '2025-03-04T05:06:07Z' });
    expect(build({ previous: s }).tls).toEqual(s.tls);
  });

  it('CDSS having no certificate is recorded as asked, so the next polls do not ask again at once', () => {
    expect(build({ caCertificate: null }).tls).toEqual({ clusterId: '3432149', checkedAt: '2025-03-04T05:06:07Z' });
  });

  it('a change in flight is reported while it runs', () => {
    const change = { type: 'ApplyConfigGroup' as const, target: 'config group 171', startedAt: '2025-03-04T05:00:00Z' };
    expect(build({ change }).change).toEqual(change);
    expect(build()).not.toHaveProperty('change');
  });
});
