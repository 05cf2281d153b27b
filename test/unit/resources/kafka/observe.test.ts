// What one look at a KafkaCluster asks CDSS (observe.ts observeCluster): the calls each state and
// spec call for and no others, since every extra read of every poll multiplies by the resources.
import { describe, expect, it } from 'vitest';
import type { CdssClient } from '../../../../src/clouds/ncloud/client.ts';
import type { PassContext } from '../../../../src/resources/core/kind.ts';
import type { KafkaKind } from '../../../../src/resources/kafka/adapter.ts';
import { observeCluster } from '../../../../src/resources/kafka/observe.ts';
import { kafkaSpecSchema } from '../../../../src/resources/kafka/schema.ts';
import { silentLog } from '../../../support/memory-store.ts';

const SMALL = 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002';
const BIG = 'SVR.VCDSS.STAND.C008.M032.NET.SSD.B050.G002';
const ID = '3432149';

function spec(over: Record<string, unknown> = {}) {
  return kafkaSpecSchema.parse({
    kafkaVersionCode: 3903006,
    configGroupNo: 170,
    softwareProductCode: 'SW.SPEC',
    vpcNo: 1001,
    manager: { userName: 'admin', passwordSecretRef: { name: 'm', key: 'p' }, nodeProductCode: SMALL, subnetNo: 1 },
    broker: { nodeProductCode: SMALL, subnetNo: 2, storageSizeGB: 100 },
    brokerCount: 3,
    ...over,
  });
}

/** A CDSS client that answers from `info` and records each call by name (with its arguments). */
function fakeClient(info: Record<string, unknown> | null, publicList: string[] = []) {
  const asked: string[] = [];
  const rec =
    <T>(name: string, answer: T) =>
    (...args: unknown[]) => {
      asked.push([name, ...args].join(' '));
      return Promise.resolve(answer);
    };
  const client = {
    getCluster: rec('getCluster', info),
    upgradeProgress: rec('upgradeProgress', null),
    getBrokerInfo: rec('getBrokerInfo', { publicEndpointBrokerNodeList: publicList, brokerNodeList: [] }),
    getClusterHealth: rec('getClusterHealth', null),
    nodeProductsForSpecChange: rec('nodeProductsForSpecChange', { managerNodeProductList: [], brokerNodeProductList: [] }),
    loadBalancersForPublicEndpoint: rec('loadBalancersForPublicEndpoint', []),
    findClustersByName: rec('findClustersByName', [
      { serviceGroupInstanceNo: '1', clusterName: 'events', isUsePublicDomain: false },
      { serviceGroupInstanceNo: ID, clusterName: 'events', isUsePublicDomain: true },
    ]),
    downloadCertificate: rec('downloadCertificate', 'PEM'),
  };
  return { client: client as unknown as CdssClient, asked };
}

async function look(
  info: Record<string, unknown> | null,
  o: { spec?: ReturnType<typeof spec>; previous?: object; publicList?: string[] } = {},
) {
  const { client, asked } = fakeClient(info, o.publicList);
  const ctx = {
    spec: o.spec ?? spec(),
    previous: o.previous ?? { tls: { clusterId: ID, caCertificate: 'PEM', checkedAt: '2026-12-01T00:00:00Z' } },
    cloud: () => client,
    log: silentLog,
  } as unknown as PassContext<KafkaKind>;
  const seen = await observeCluster(ctx, ID, () => Promise.resolve([]));
  return { seen, asked };
}

const running = {
  clusterName: 'events',
  status: 'running',
  managerNodeProductCode: SMALL,
  brokerNodeProductCode: SMALL,
  softwareProductCode: 'SW.CLOUD',
};
const everyPoll = ['getCluster 3432149', 'getBrokerInfo 3432149', 'getClusterHealth 3432149'];

describe('observeCluster: the calls of one look', () => {
  it('a cluster CDSS proves gone: one call, null', async () => {
    expect(await look(null)).toEqual({ seen: null, asked: ['getCluster 3432149'] });
  });

  it('a cluster being created: its info only', async () => {
    expect((await look({ ...running, status: 'creating' })).asked).toEqual(['getCluster 3432149']);
  });

  it('changing during our upgrade: the progress too; changing otherwise: nothing more', async () => {
    const upgrade = { toVersionCode: '4003006', toConfigGroupNo: 171, startedAt: 'x' };
    expect((await look({ ...running, status: 'changing' }, { previous: { upgrade } })).asked).toEqual([
      'getCluster 3432149',
      'upgradeProgress 3432149',
    ]);
    expect((await look({ ...running, status: 'changing' })).asked).toEqual(['getCluster 3432149']);
  });

  it('running as the spec asks: the endpoints and health, nothing else (the CA certificate is known)', async () => {
    expect((await look(running)).asked).toEqual(everyPoll);
  });

  it('the CA certificate, once per cluster id', async () => {
    const { asked, seen } = await look(running, { previous: {} });
    expect(asked).toEqual([...everyPoll, 'downloadCertificate 3432149']);
    expect(seen?.caCertificate).toBe('PEM');
    expect((await look(running, { previous: { tls: { clusterId: 'other', checkedAt: 'x' } } })).asked).toContain(
      'downloadCertificate 3432149',
    );
  });

  it('another node product asked for: the allowed products, for the OS image CDSS reports (the spec’s when it reports none)', async () => {
    expect((await look(running, { spec: spec({ broker: { nodeProductCode: BIG, subnetNo: 2, storageSizeGB: 100 } }) })).asked).toEqual([
      ...everyPoll,
      'nodeProductsForSpecChange 3432149 SW.CLOUD',
    ]);
    const managerChange = spec({
      manager: { userName: 'admin', passwordSecretRef: { name: 'm', key: 'p' }, nodeProductCode: BIG, subnetNo: 1 },
    });
    const noOs = { ...running, softwareProductCode: undefined };
    expect((await look(noOs, { spec: managerChange })).asked).toEqual([...everyPoll, 'nodeProductsForSpecChange 3432149 SW.SPEC']);
    // A code CDSS does not report is no difference; ObserveOnly changes nothing, so it asks nothing.
    expect(
      (await look({ ...running, brokerNodeProductCode: undefined, managerNodeProductCode: undefined }, { spec: managerChange })).asked,
    ).toEqual(everyPoll);
    expect((await look(running, { spec: { ...managerChange, managementPolicy: 'ObserveOnly' } })).asked).toEqual(everyPoll);
  });

  it('a public endpoint to enable without a named load balancer: the candidates, only then', async () => {
    const on = (lb?: string) => spec({ publicAccess: { brokers: { enabled: true, ...(lb ? { loadBalancerInstanceNo: lb } : {}) } } });
    expect((await look(running, { spec: on() })).asked).toEqual([...everyPoll, 'loadBalancersForPublicEndpoint 3432149']);
    expect((await look(running, { spec: on('77') })).asked).toEqual(everyPoll);
    expect((await look(running, { spec: on(), publicList: ['1.2.3.4:9092'] })).asked).toEqual(everyPoll);
    expect((await look(running, { spec: spec({ publicAccess: { brokers: { enabled: false } } }) })).asked).toEqual(everyPoll);
    expect((await look(running, { spec: { ...on(), managementPolicy: 'ObserveOnly' } })).asked).toEqual(everyPoll);
  });

  it('the manager public domain, only when the spec manages it, from this cluster’s list item (not a same-name one)', async () => {
    const r = await look(running, { spec: spec({ publicAccess: { manager: { enabled: true } } }) });
    expect(r.asked).toEqual([...everyPoll, 'findClustersByName events']);
    expect(r.seen?.listed).toMatchObject({ serviceGroupInstanceNo: ID, isUsePublicDomain: true });
  });
});
