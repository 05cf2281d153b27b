// Parts of the KafkaCluster adapter (resources/kafka/adapter.ts) the simulator cannot reach: what
// the plan sees of a CDSS cluster, the progress of a rolling upgrade as status reports it, and the
// upgrade's checks against answers CDSS may give (with a stub CDSS client; the component tests
// run the adapter against the simulator).
import { describe, expect, it } from 'vitest';
import type { CloudHttp } from '../../../../src/clouds/http.ts';
import type { CdssClient } from '../../../../src/clouds/ncloud/client.ts';
import { GatewayNotFoundError } from '../../../../src/clouds/ncloud/errors.ts';
import { BrokerInfoSchema, ClusterHealthSchema, ClusterInfoSchema, ClusterListItemSchema } from '../../../../src/clouds/ncloud/types.ts';
import type { PassContext } from '../../../../src/resources/core/kind.ts';
import { changeStatus, kafkaAdapter, upgradeStatus, type CdssObserved, type KafkaKind } from '../../../../src/resources/kafka/adapter.ts';
import { caCertificateDue, observation, resolveConfigGroup } from '../../../../src/resources/kafka/observe.ts';
import { kafkaSpecSchema } from '../../../../src/resources/kafka/schema.ts';
import type { KafkaStatus } from '../../../../src/resources/kafka/schema.ts';
import { TerminalError } from '../../../../src/runtime/errors.ts';
import { silentLog } from '../../../support/memory-store.ts';

const info = (over: Record<string, unknown> = {}) =>
  ClusterInfoSchema.parse({ clusterName: 'events', status: 'running', kafkaVersionCode: 3713006, ...over });
const seen = (status: string, kafkaVersionCode: number, progress?: Record<string, unknown>): CdssObserved => ({
  info: info({ status, kafkaVersionCode }),
  ...(progress ? { progress: ClusterHealthSchema.parse(progress) } : {}),
});

describe('observation', () => {
  it('gives the plan the config group as a number, as the spec has it (CDSS sends a string)', () => {
    expect(observation({ info: info({ configGroupNo: '171', brokerNodeCount: 3 }) })).toMatchObject({
      status: 'running',
      kafkaVersionCode: '3713006',
      configGroupNo: 171,
      brokerCount: 3,
    });
  });

  it('a config group or broker count CDSS does not report is unknown to the plan, never 0 or NaN', () => {
    expect(observation({ info: info({ configGroupNo: null, brokerNodeCount: null }) })).toMatchObject({
      configGroupNo: undefined,
      brokerCount: undefined,
    });
    expect(observation({ info: info() })).toMatchObject({ configGroupNo: undefined, brokerCount: undefined });
  });
});

describe('upgradeStatus', () => {
  const started: NonNullable<KafkaStatus['upgrade']> = {
    fromVersionCode: '3713006',
    toVersionCode: '3903006',
    toConfigGroupNo: 172,
    startedAt: '2026-01-01T00:00:00Z',
  };
  const nodes = (...statuses: string[]) => statuses.map((status, i) => ({ hostname: `b${i}`, status }));

  const table: Array<[string, KafkaStatus['upgrade'], CdssObserved | null | undefined, KafkaStatus['upgrade']]> = [
    ['no upgrade started: nothing to report', undefined, seen('changing', 3713006), undefined],
    ['running the target version: the upgrade is over', started, seen('running', 3903006), undefined],
    ['running the old version (CDSS has not started yet): still pending', started, seen('running', 3713006), started],
    ['changing and already reporting the target version: not over until it runs', started, seen('changing', 3903006), started],
    ['not observed in this pass: kept as it was', started, undefined, started],
    ['the cluster is gone: kept as it was (the plan reports the loss)', started, null, started],
    ['changing without progress figures: kept as it was', started, seen('changing', 3713006), started],
    [
      'changing with progress: the brokers done (green) out of the total CDSS reports',
      started,
      seen('changing', 3713006, { brokerNodeTotalNumber: 5, brokerStatusPerNode: nodes('green', 'orange', 'green') }),
      { ...started, brokersUpgraded: 2, brokersTotal: 5 },
    ],
    [
      'changing with progress but no total: the brokers listed are the total',
      started,
      seen('changing', 3713006, { brokerStatusPerNode: nodes('green', 'orange', 'orange') }),
      { ...started, brokersUpgraded: 1, brokersTotal: 3 },
    ],
    [
      'changing with progress but no brokers listed: none done yet',
      started,
      seen('changing', 3713006, { brokerNodeTotalNumber: 3 }),
      { ...started, brokersUpgraded: 0, brokersTotal: 3 },
    ],
  ];
  it.each(table)('%s', (_why, upgrade, observed, expected) => {
    expect(upgradeStatus(upgrade, observed)).toEqual(expected);
  });
});

describe('the Upgrade action', () => {
  const adapter = kafkaAdapter({ http: {} as CloudHttp, log: silentLog, site: 'public', endpoints: {} });
  const action = { type: 'Upgrade' as const, kafkaVersionCode: 3903006, configGroupNo: 172 };
  function run(cdss: Partial<CdssClient>, previous: KafkaStatus = { kafkaVersion: { code: '3713006' } }) {
    const sent: string[] = [];
    const client = {
      upgradePreCheck: () => Promise.resolve({ upgradable: true, message: '', requestId: undefined }),
      rollingUpgrade: () => (sent.push('rollingUpgrade'), Promise.resolve()),
      ...cdss,
    } as unknown as CdssClient;
    const ctx = { previous, clusterId: '1001', cloud: () => client, log: silentLog } as unknown as PassContext<KafkaKind>;
    return { result: adapter.actions.Upgrade.run(ctx, action, undefined), sent };
  }

  it('records where the upgrade comes from and goes to', async () => {
    const { result, sent } = run({});
    expect(await result).toMatchObject({ upgrade: { fromVersionCode: '3713006', toVersionCode: '3903006', toConfigGroupNo: 172 } });
    expect(sent).toEqual(['rollingUpgrade']);
  });

  it('a status that never learnt the running version records no origin, rather than failing', async () => {
    const { result } = run({}, {});
    expect(await result).toMatchObject({ upgrade: { fromVersionCode: undefined, toVersionCode: '3903006' } });
  });

  it('a pre-check CDSS does not pass refuses the upgrade: terminal, with CDSS’s words and request id, nothing sent', async () => {
    const { result, sent } = run({
      upgradePreCheck: () => Promise.resolve({ upgradable: false, message: 'a broker is not healthy', requestId: 'req-42' }),
    });
    await expect(result).rejects.toThrow(TerminalError);
    await expect(result).rejects.toMatchObject({ reason: 'UpgradePreCheckFailed' });
    await expect(result).rejects.toThrow(/a broker is not healthy.*req-42/);
    expect(sent).toEqual([]);
  });

  it('a refused pre-check without a request id says so without an empty placeholder', async () => {
    const { result } = run({ upgradePreCheck: () => Promise.resolve({ upgradable: false, message: 'not now', requestId: undefined }) });
    const err = (await result.catch((e: unknown) => e)) as Error;
    expect(err.message.endsWith('not now')).toBe(true);
  });
});

describe('findByName', () => {
  const adapter = kafkaAdapter({ http: {} as CloudHttp, log: silentLog, site: 'public', endpoints: {} });
  it('keeps the clusters of the spec’s VPC and those whose VPC CDSS does not say; never another VPC’s', async () => {
    const listed = [
      { serviceGroupInstanceNo: '1', serverStatus: 'running', vpcNo: '12345' },
      { serviceGroupInstanceNo: '2', serverStatus: 'running', vpcNo: '99999' },
      { serviceGroupInstanceNo: '3', serverStatus: 'running', vpcNo: null },
      { serviceGroupInstanceNo: '4', serverStatus: 'running' },
    ];
    const client = { findClustersByName: () => Promise.resolve(listed) } as unknown as CdssClient;
    const ctx = { spec: { vpcNo: 12345 }, clusterName: 'events', cloud: () => client } as unknown as PassContext<KafkaKind>;
    expect((await adapter.findByName(ctx)).map((c) => c.id)).toEqual(['1', '3', '4']);
  });
});

describe('an action that needs the manager password without having read it', () => {
  it('fails as a missing Secret (invalid spec), not as a crash', async () => {
    const adapter = kafkaAdapter({ http: {} as CloudHttp, log: silentLog, site: 'public', endpoints: {} });
    const ctx = { clusterId: '1001', cloud: () => ({}) } as unknown as PassContext<KafkaKind>;
    await expect(adapter.actions.ResetPassword.run(ctx, { type: 'ResetPassword' }, undefined)).rejects.toMatchObject({
      reason: 'SecretNotFound',
      message: expect.stringMatching(/manager password/),
    });
  });
});

describe('changeStatus: a change other than an upgrade, remembered until CDSS runs again', () => {
  const applying: NonNullable<KafkaStatus['change']> = {
    type: 'ApplyConfigGroup',
    target: 'config group 172',
    startedAt: '2026-01-01T00:00:00Z',
  };
  const table: Array<[string, KafkaStatus['change'], CdssObserved | null | undefined, KafkaStatus['change']]> = [
    ['nothing in flight: nothing to report', undefined, seen('changing', 3713006), undefined],
    ['CDSS changing: the change is still in flight', applying, seen('changing', 3713006), applying],
    ['CDSS running again: the change is over', applying, seen('running', 3713006), undefined],
    ['not observed in this pass: kept as it was', applying, undefined, applying],
    ['the cluster is gone: kept as it was (the plan reports the loss)', applying, null, applying],
    ['CDSS reports error: kept, so status says what was going on', applying, seen('error', 3713006), applying],
  ];
  it.each(table)('%s', (_why, change, observed, expected) => {
    expect(changeStatus(change, observed)).toEqual(expected);
  });
});

describe('observation: what the plan sees of node products and public access', () => {
  const brokers = (over: Record<string, unknown> = {}) => BrokerInfoSchema.parse({ brokerNodeList: 'b1:9092', ...over });
  it('the node products CDSS allows are those it marks isChangeSpec: true, per role', () => {
    const o = observation({
      info: info({ managerNodeProductCode: 'M1', brokerNodeProductCode: 'B1' }),
      nodeProducts: {
        managerNodeProductList: [
          { productCode: 'M1', isSelected: true },
          { productCode: 'M2', isChangeSpec: true },
        ],
        brokerNodeProductList: [
          { productCode: 'B0', isChangeSpec: false },
          { productCode: 'B2', isChangeSpec: true },
          { productCode: 'B3' },
        ],
      },
    });
    expect(o).toMatchObject({
      managerNodeProductCode: 'M1',
      brokerNodeProductCode: 'B1',
      specChangeAllowed: { manager: ['M2'], broker: ['B2'] },
    });
  });

  it('the broker public endpoint is on when CDSS lists public brokers (§6 #14), unknown without C13', () => {
    expect(observation({ info: info(), brokers: brokers() }).brokerPublicEndpoint).toBe(false);
    expect(
      observation({ info: info(), brokers: brokers({ publicEndpointBrokerNodeList: 'p1:19092\np2:19092' }) }).brokerPublicEndpoint,
    ).toBe(true);
    expect(observation({ info: info() }).brokerPublicEndpoint).toBeUndefined();
  });

  it('the manager public domain comes from the cluster list item, unknown when it was not looked up', () => {
    const listed = ClusterListItemSchema.parse({
      serviceGroupInstanceNo: '1',
      clusterName: 'events',
      serverStatus: 'running',
      isUsePublicDomain: true,
    });
    expect(observation({ info: info(), listed }).managerPublicDomain).toBe(true);
    expect(observation({ info: info(), listed: { ...listed, isUsePublicDomain: null } }).managerPublicDomain).toBe(false);
    expect(observation({ info: info() }).managerPublicDomain).toBeUndefined();
  });

  it('load balancer candidates keep their number and name', () => {
    const o = observation({
      info: info(),
      loadBalancers: [
        { loadBalancerInstanceNo: '55', loadBalancerName: 'lb-a' },
        { loadBalancerInstanceNo: '56', loadBalancerName: '' },
      ],
    });
    expect(o.loadBalancers).toEqual([
      { loadBalancerInstanceNo: '55', name: 'lb-a' },
      { loadBalancerInstanceNo: '56', name: undefined },
    ]);
  });
});

describe('caCertificateDue: the CA certificate is fetched once per cluster', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  it.each([
    ['never fetched', undefined, true],
    ['fetched for another cluster id', { clusterId: '2', caCertificate: 'PEM', checkedAt: '2026-01-01T11:59:00Z' }, true],
    ['fetched for this cluster', { clusterId: '1', caCertificate: 'PEM', checkedAt: '2026-01-01T00:00:00Z' }, false],
    ['CDSS had none a minute ago', { clusterId: '1', checkedAt: '2026-01-01T11:59:00Z' }, false],
    ['CDSS had none an hour ago: asked again', { clusterId: '1', checkedAt: '2026-01-01T11:00:00Z' }, true],
  ] as const)('%s → %s', (_why, tls, due) => {
    expect(caCertificateDue(tls, '1', now)).toBe(due);
  });
});

describe('resolveConfigGroup: the config group’s version, looked up only when a create, an upgrade or a group change is coming', () => {
  const spec = (over: Record<string, unknown> = {}) =>
    kafkaSpecSchema.parse({
      kafkaVersionCode: 3903006,
      configGroupNo: 172,
      softwareProductCode: 'sw',
      vpcNo: 1,
      brokerCount: 3,
      manager: { userName: 'admin', passwordSecretRef: { name: 's', key: 'k' }, nodeProductCode: 'p', subnetNo: 1 },
      broker: { nodeProductCode: 'p', subnetNo: 2, storageSizeGB: 100 },
      ...over,
    });
  function client(groups: Record<string, string[]>, all: Array<{ configGroupNo: string; kafkaVersionCode?: string }> | Error) {
    const asked: string[] = [];
    const c = {
      listConfigGroups: (v: string) => (asked.push(`G1 ${v}`), Promise.resolve((groups[v] ?? []).map((no) => ({ configGroupNo: no })))),
      listAllConfigGroups: () => (asked.push('G10'), all instanceof Error ? Promise.reject(all) : Promise.resolve(all)),
    } as unknown as CdssClient;
    return { c: () => c, asked };
  }
  const none = () => undefined;
  const running = (kafkaVersionCode: number, configGroupNo: string): CdssObserved => ({ info: info({ kafkaVersionCode, configGroupNo }) });

  it('before a create: the group of the spec’s version', async () => {
    const { c, asked } = client({ '3903006': ['172'] }, []);
    expect(await resolveConfigGroup(c, spec(), undefined, undefined, none)).toEqual({ configGroupNo: 172, madeFor: '3903006' });
    expect(asked).toEqual(['G1 3903006']);
  });

  it('a group seen in its version’s list is not looked up again before the next create with the same client', async () => {
    const { c, asked } = client({ '3903006': ['172', '173'] }, []);
    expect(await resolveConfigGroup(c, spec(), undefined, undefined, none)).toEqual({ configGroupNo: 172, madeFor: '3903006' });
    expect(await resolveConfigGroup(c, spec(), undefined, undefined, none)).toEqual({ configGroupNo: 172, madeFor: '3903006' });
    expect(await resolveConfigGroup(c, spec({ configGroupNo: 173 }), undefined, undefined, none)).toEqual({
      configGroupNo: 173,
      madeFor: '3903006',
    });
    expect(asked).toEqual(['G1 3903006']);
    // Another client (another tenant) asks for itself.
    const other = client({ '3903006': ['172'] }, []);
    await resolveConfigGroup(other.c, spec(), undefined, undefined, none);
    expect(other.asked).toEqual(['G1 3903006']);
  });

  it('a group not seen yet is always looked up: one made since is found at once', async () => {
    const groups: Record<string, string[]> = { '3903006': ['172'] };
    const { c, asked } = client(groups, []);
    await resolveConfigGroup(c, spec(), undefined, undefined, none);
    groups['3903006'] = ['172', '180'];
    expect(await resolveConfigGroup(c, spec({ configGroupNo: 180 }), undefined, undefined, none)).toEqual({
      configGroupNo: 180,
      madeFor: '3903006',
    });
    expect(asked).toEqual(['G1 3903006', 'G1 3903006']);
  });

  it('a group of another version is named with its own version (G10)', async () => {
    const { c, asked } = client({ '3903006': ['172'] }, [{ configGroupNo: '171', kafkaVersionCode: '3713006' }]);
    expect(await resolveConfigGroup(c, spec({ configGroupNo: 171 }), '1', running(3713006, '171'), none)).toEqual({
      configGroupNo: 171,
      madeFor: '3713006',
    });
    expect(asked).toEqual(['G1 3903006', 'G10']);
  });

  it('a group CDSS lists nowhere, or G10 missing at the gateway: known not to be the version’s (null)', async () => {
    expect(await resolveConfigGroup(client({}, []).c, spec(), undefined, undefined, none)).toEqual({ configGroupNo: 172, madeFor: null });
    const gone = new GatewayNotFoundError('CloudEndpointNotFound', 'no route');
    expect(await resolveConfigGroup(client({}, gone).c, spec(), undefined, undefined, none)).toEqual({ configGroupNo: 172, madeFor: null });
  });

  it('another G10 failure is not hidden', async () => {
    await expect(resolveConfigGroup(client({}, new Error('boom')).c, spec(), undefined, undefined, none)).rejects.toThrow('boom');
  });

  it.each([
    ['a running cluster already on the spec’s version and group', running(3903006, '172')],
    ['a cluster CDSS is changing', { info: info({ status: 'changing', kafkaVersionCode: 3713006, configGroupNo: '171' }) }],
    ['a cluster proven gone', null],
  ] as const)('asks nothing for %s', async (_why, observed) => {
    const { c, asked } = client({}, []);
    expect(await resolveConfigGroup(c, spec(), '1', observed, none)).toEqual({ configGroupNo: 172 });
    expect(asked).toEqual([]);
  });

  it('asks nothing under ObserveOnly, which never changes the group', async () => {
    const { c, asked } = client({}, []);
    expect(await resolveConfigGroup(c, spec({ managementPolicy: 'ObserveOnly', clusterId: '1' }), undefined, undefined, none)).toEqual({
      configGroupNo: 172,
    });
    expect(asked).toEqual([]);
  });
});

describe('connection info', () => {
  const adapter = kafkaAdapter({ http: {} as CloudHttp, log: silentLog, site: 'public', endpoints: {} });
  it('publishes the public bootstrap servers, the CA certificate as ca.crt, the manager domain and the hosts lines', () => {
    const data = adapter.connectionInfo({
      clusterId: '1',
      bootstrapServers: { plaintext: 'a:9092', tls: 'a:9093', publicPlaintext: 'p:19092', publicTls: 'p:19093' },
      publicAccess: { manager: { enabled: true, domain: 'cmak.example' } },
      hostsEntries: { plaintext: ['10.0.0.1 a', '10.0.0.2 b'], tls: ['203.0.113.1 a'] },
      tls: { clusterId: '1', caCertificate: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----', checkedAt: 'now' },
    });
    expect(data).toMatchObject({
      bootstrapServersPublic: 'p:19092',
      bootstrapServersPublicTls: 'p:19093',
      'ca.crt': expect.stringContaining('BEGIN CERTIFICATE'),
      managerPublicDomain: 'cmak.example',
      hosts: '10.0.0.1 a\n10.0.0.2 b',
      hostsTls: '203.0.113.1 a',
    });
  });
});
