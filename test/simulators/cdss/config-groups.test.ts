// The simulator's config group, node spec and public access routes as raw signed requests, for
// the answers a correct client never provokes (spec §5.9, §5.14, §5.18): G5 fields the version
// does not have, a typed setting in the additional list, an additional entry without its value,
// wrong methods, G3 clusters in C10, and what the admin API shows.
import { afterEach, describe, expect, it } from 'vitest';
import { ERR, type CdssSimulator } from '../../../src/simulators/cdss/index.ts';
import { adminCall, call, KR, runningCluster, startSim, validBody, waitForStatus } from './helpers.ts';

let sim: CdssSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const G5 = (no: number) => `${KR}/configGroup/setKafkaConfigGroupDetail/${no}`;

describe('cdss simulator: G5 bodies', () => {
  it('refuses a typed field the version does not have and a typed property sent as additional, naming each', async () => {
    const s = await startSim();
    sim = s.sim;
    const r = await call(sim, s.cred, 'POST', G5(171), {
      kafkaVersionCode: 3713006,
      numPartitions: 3,
      fooBarBaz: 1,
      additionalKafkaConfigGroupDetailList: [{ configName: 'num.partitions', configValue: '4' }],
    });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe(ERR.INVALID_CONFIG);
    expect(r.json.message).toContain('fooBarBaz: unknown configuration for Kafka version code 3713006');
    expect(r.json.message).toContain('num.partitions: set it with its own field numPartitions');
    // Refused as a whole: nothing was stored.
    expect(sim.admin.configGroup(171)?.customValues).toEqual({});
  });

  it('keeps an additional entry sent without configValue with an empty value ([3P]); numbers as strings are accepted', async () => {
    const s = await startSim();
    sim = s.sim;
    const r = await call(sim, s.cred, 'POST', G5(171), {
      kafkaVersionCode: '3713006',
      logRetentionHours: '24',
      deleteTopicEnable: 'false',
      additionalKafkaConfigGroupDetailList: [{ configName: 'compression.type', customValue: 'gzip' }],
    });
    expect(r.json).toMatchObject({ code: 0, result: { configGroupNo: 171 } });
    expect(sim.admin.configGroup(171)?.customValues).toEqual({
      'log.retention.hours': '24',
      'delete.topic.enable': 'false',
      'compression.type': '',
    });
    const g4 = await call(sim, s.cred, 'POST', `${KR}/configGroup/getKafkaConfigGroupDetailList/171`, { kafkaVersionCode: 3713006 });
    expect(g4.json.result.additionalKafkaConfigGroupDetailList).toEqual([{ configName: 'compression.type', configValue: '' }]);
    expect(g4.json.result.kafkaConfigGroupDetailList).toHaveLength(15);
  });

  it('G9 is a DELETE and G5 a POST: other methods are the gateway 404/300; the admin API shows one group', async () => {
    const s = await startSim();
    sim = s.sim;
    expect((await call(sim, s.cred, 'POST', `${KR}/configGroup/deleteConfigGroup/172`)).json).toEqual({
      error: { errorCode: '300', message: 'Not Found Exception' },
    });
    expect((await call(sim, s.cred, 'GET', G5(172))).status).toBe(404);
    const one = await adminCall(sim, 'GET', '/config-groups/172');
    expect(one).toMatchObject({ status: 200, json: { configGroupNo: 172, kafkaVersionCode: '3903006', customValues: {} } });
    expect((await adminCall(sim, 'GET', '/config-groups/9999')).status).toBe(404);
  });

  it('G8 of an unknown group is a business error; G8 counts a cluster whose upgrade targets the group', async () => {
    const s = await startSim({ upgradeMs: 400 });
    sim = s.sim;
    expect((await call(sim, s.cred, 'POST', `${KR}/configGroup/getConfigGroupUsingClusterList/9999`, {})).json.code).toBe(
      ERR.CONFIG_GROUP_MISMATCH,
    );
    const id = await runningCluster(sim, s.cred);
    await call(sim, s.cred, 'POST', `${KR}/cluster/rollingUpgrade`, {
      serviceGroupInstanceNo: Number(id),
      upgradeKafkaVersionCode: 3903006,
      upgradeConfigGroupNo: 172,
    });
    const r = await call(sim, s.cred, 'POST', `${KR}/configGroup/getConfigGroupUsingClusterList/172`, { pageNo: 1, pageSize: 10 });
    expect(r.json.result.usingClusterNameList).toEqual([{ clusterName: expect.any(String), serviceGroupInstanceNo: Number(id) }]);
    expect((await call(sim, s.cred, 'DELETE', `${KR}/configGroup/deleteConfigGroup/172`)).json.code).toBe(ERR.CONFIG_GROUP_IN_USE);
  });
});

describe('cdss simulator: node spec and public access', () => {
  it('C10 lists nothing for a G3 cluster, so C9 allows nothing there', async () => {
    const s = await startSim();
    sim = s.sim;
    const g3 = {
      ...validBody(),
      hypervisorCode: 'KVM',
      generationCode: 'G3',
      softwareProductCode: 'SW.VCDSS.OS.LNX64.ROCKY.08.G003',
      vpcName: 'vpc-a',
      managerNodeSubnetName: 'sn-a',
      dataNodeSubnetName: 'sn-b',
      dataNodeSubnetNo: 3,
      dataNodeCount: 3,
      dataNodeStorageSize: 200,
      serverSpecCode: 'cdss.s2-g3',
    };
    expect((await call(sim, s.cred, 'POST', `${KR}/cluster/createKvmCluster`, g3)).json.code).toBe(0);
    const id = sim.clusters().find((c) => c.generation === 'G3')?.serviceGroupInstanceNo ?? '';
    await waitForStatus(sim, id, 'running');
    const p = await call(sim, s.cred, 'POST', `${KR}/cluster/getNodeProductListForSpecChange/${id}`, {
      softwareProductCode: 'SW.VCDSS.OS.LNX64.ROCKY.08.G003',
    });
    expect(p.json.result).toEqual({ managerNodeProductList: [], brokerNodeProductList: [] });
    const c9 = await call(sim, s.cred, 'POST', `${KR}/cluster/changeSpecNode/${id}`, {
      brokerNodeProductCode: 'SVR.VCDSS.STAND.C032.M128.NET.SSD.B050.G002',
    });
    expect(c9.json.code).toBe(ERR.SPEC_CHANGE_NOT_ALLOWED);
    expect(c9.json.message).toContain('allowed: none');
  });

  it('C9 accepts the current code next to a changed one (Terraform sends both), not alone', async () => {
    const s = await startSim();
    sim = s.sim;
    const id = await runningCluster(sim, s.cred);
    const current = 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002';
    const alone = await call(sim, s.cred, 'POST', `${KR}/cluster/changeSpecNode/${id}`, {
      managerNodeProductCode: current,
      brokerNodeProductCode: current,
    });
    expect(alone.json.code).toBe(ERR.SPEC_CHANGE_NOT_ALLOWED);
    const both = await call(sim, s.cred, 'POST', `${KR}/cluster/changeSpecNode/${id}`, {
      managerNodeProductCode: current,
      brokerNodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002',
    });
    expect(both.json).toMatchObject({ code: 0, result: { isAllPossible: true } });
    expect(sim.cluster(id)).toMatchObject({ status: 'changing', operation: 'spec-change' });
    await waitForStatus(sim, id, 'running');
    expect(sim.cluster(id)?.brokerNodeProductCode).toBe('SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002');
  });

  it('C18 offers the load balancers of the cluster VPC only; the admin API lists them all', async () => {
    const s = await startSim();
    sim = s.sim;
    const a = await runningCluster(sim, s.cred, { vpcNo: 5001 });
    const b = await runningCluster(sim, s.cred, { vpcNo: 5002 });
    const lbs = async (id: string) =>
      (await call(sim!, s.cred, 'GET', `${KR}/cluster/getLoadBalancerInstanceList/${id}`)).json.result.responses.map(
        (l: any) => l.instanceNo,
      );
    const inA: number[] = await lbs(a);
    const inB: number[] = await lbs(b);
    expect(inA).toHaveLength(2);
    expect(inA.some((n) => inB.includes(n))).toBe(false);
    const en = await call(sim, s.cred, 'POST', `${KR}/cluster/enableBrokerNodePublicEndpoint/${a}`, { loadBalancerInstanceNo: inB[0] });
    expect(en.json.code).toBe(ERR.UNKNOWN_LOAD_BALANCER);
    const all = await adminCall(sim, 'GET', '/load-balancers');
    expect(all.json.map((l: any) => l.vpcNo)).toEqual([5001, 5001, 5002, 5002]);
  });
});
