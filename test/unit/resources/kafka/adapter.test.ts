// Parts of the KafkaCluster adapter (resources/kafka/adapter.ts) the simulator cannot reach: what
// the plan sees of a CDSS cluster, the progress of a rolling upgrade as status reports it, and the
// upgrade's checks against answers CDSS may give (with a stub CDSS client; the component tests
// run the adapter against the simulator).
import { describe, expect, it } from 'vitest';
import type { CloudHttp } from '../../../../src/clouds/http.ts';
import type { CdssClient } from '../../../../src/clouds/ncloud/client.ts';
import { ClusterHealthSchema, ClusterInfoSchema } from '../../../../src/clouds/ncloud/types.ts';
import type { PassContext } from '../../../../src/resources/core/kind.ts';
import { kafkaAdapter, observation, upgradeStatus, type CdssObserved, type KafkaKind } from '../../../../src/resources/kafka/adapter.ts';
import type { KafkaStatus } from '../../../../src/resources/kafka/schema.ts';
import { InvalidSpecError, TerminalError } from '../../../../src/runtime/errors.ts';
import { silentLog } from '../../../support/memory-store.ts';

const info = (over: Record<string, unknown> = {}) =>
  ClusterInfoSchema.parse({ clusterName: 'events', status: 'running', kafkaVersionCode: 3713006, ...over });
const seen = (status: string, kafkaVersionCode: number, progress?: Record<string, unknown>): CdssObserved => ({
  info: info({ status, kafkaVersionCode }),
  ...(progress ? { progress: ClusterHealthSchema.parse(progress) } : {}),
});

describe('observation', () => {
  it('gives the plan the config group as a number, as the spec has it (CDSS sends a string)', () => {
    expect(observation(info({ configGroupNo: '171', brokerNodeCount: 3 }))).toEqual({
      status: 'running',
      kafkaVersionCode: '3713006',
      configGroupNo: 171,
      brokerCount: 3,
    });
  });

  it('a config group or broker count CDSS does not report is unknown to the plan, never 0 or NaN', () => {
    expect(observation(info({ configGroupNo: null, brokerNodeCount: null }))).toMatchObject({
      configGroupNo: undefined,
      brokerCount: undefined,
    });
    expect(observation(info())).toMatchObject({ configGroupNo: undefined, brokerCount: undefined });
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
      configGroupBelongsToVersion: () => Promise.resolve(true),
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

  it('a config group of another version is the spec’s fault: invalid, and nothing is sent', async () => {
    const { result, sent } = run({ configGroupBelongsToVersion: () => Promise.resolve(false) });
    await expect(result).rejects.toThrow(InvalidSpecError);
    await expect(result).rejects.toMatchObject({ reason: 'ConfigGroupVersionMismatch' });
    expect(sent).toEqual([]);
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
