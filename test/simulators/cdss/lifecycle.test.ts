// Cluster lifecycle (spec §4, §5): create → creating → running, C5/C6/C13 shapes, scale-out as
// a delta with the 10 cap, mutations refused while not running, delete → deleting → return (still
// listed), password reset paths, public endpoint, admin hooks, regions, business-error status.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ERR, type CdssSimulator } from '../../../src/simulators/cdss/index.ts';
import { adminCall, call, createCluster, fakePassword, KR, runningCluster, startSim, validBody, waitForStatus } from './helpers.ts';

let sim: CdssSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const c5 = (s: CdssSimulator, cred: any, id: string) => call(s, cred, 'POST', `${KR}/cluster/getClusterInfoList/${id}`);

describe('cdss simulator: create and read', () => {
  it('C2 returns a numeric id; the cluster goes creating → running; C5 has the documented shape', async () => {
    const s = await startSim({ provisionMs: 150 });
    sim = s.sim;
    const body = validBody({ clusterName: 'orders', kafkaVersionCode: 3713006, configGroupNo: '171' });
    const r = await call(sim, s.cred, 'POST', `${KR}/cluster/createCDSSClusterReturnServiceGroupInstanceNo`, body);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ code: 0, message: 'SUCCESS' });
    const no = r.json.result.serviceGroupInstanceNo;
    expect(typeof no).toBe('number');
    expect(String(no)).toMatch(/^\d{10}$/);
    const id = String(no);
    const first = await c5(sim, s.cred, id);
    expect(first.json.result.status).toBe('creating');
    await waitForStatus(sim, id, 'running');
    const d = (await c5(sim, s.cred, id)).json.result;
    expect(d).toEqual({
      clusterName: 'orders',
      kafkaVersionCode: '3713006', // a String in responses (§5.5)
      kafkaManagerUserName: 'kafkaadmin',
      softwareProductCode: body.softwareProductCode,
      vpcNo: 1001,
      managerNodeProductCode: body.managerNodeProductCode,
      managerNodeSubnetNo: 2001,
      brokerNodeProductCode: body.brokerNodeProductCode,
      brokerNodeSubnetNo: 2002,
      brokerNodeCount: 3,
      brokerNodeStorageSize: 100,
      configGroupNo: 171,
      status: 'running',
    });
    expect(JSON.stringify(d)).not.toContain(body.kafkaManagerUserPassword);
  });

  it('C1 and C3 (G3 dataNode* body) return true; the cluster is found by name', async () => {
    const s = await startSim();
    sim = s.sim;
    const c1 = await call(sim, s.cred, 'POST', `${KR}/cluster/createCDSSCluster`, validBody({ clusterName: 'gen-two' }));
    expect(c1.json).toMatchObject({ code: 0, result: true });
    const g3 = {
      clusterName: 'gen-three',
      kafkaVersionCode: '3903006',
      configGroupNo: 172,
      kafkaManagerUserName: 'kafkaadmin',
      kafkaManagerUserPassword: fakePassword(),
      hypervisorCode: 'KVM',
      generationCode: 'G3',
      softwareProductCode: 'SW.VCDSS.OS.LNX64.ROCKY.08.G003',
      vpcName: 'prod-vpc',
      vpcNo: 77,
      managerNodeSubnetName: 'mgr-subnet',
      managerNodeSubnetNo: 10,
      managerNodeProductCode: 'mgr-spec',
      dataNodeSubnetName: 'data-subnet',
      dataNodeSubnetNo: '11',
      dataNodeCount: 4,
      dataNodeProductCode: 'data-spec',
      dataNodeStorageSize: 200,
      serverSpecCode: 'cdss.s2-g3',
    };
    const c3 = await call(sim, s.cred, 'POST', `${KR}/cluster/createKvmCluster`, g3);
    expect(c3.json).toMatchObject({ code: 0, result: true });
    const list = await call(sim, s.cred, 'POST', `${KR}/cluster/getClusterInfoList`, { inputText: 'gen-three' });
    expect(list.json.result.allowedClusters).toHaveLength(1);
    const item = list.json.result.allowedClusters[0];
    expect(item).toMatchObject({ clusterName: 'gen-three', vpcName: 'prod-vpc', brokerNodeSubnetNo: 11, brokerStorageVolumeSize: 200 });
    await waitForStatus(sim, item.serviceGroupInstanceNo, 'running');
    expect((await c5(sim, s.cred, item.serviceGroupInstanceNo)).json.result).toMatchObject({
      brokerNodeCount: 4,
      brokerNodeProductCode: 'data-spec',
      kafkaVersionCode: '3903006',
    });
  });

  it('C5 for an unknown id: business error by default, `result: null` with unknownClusterResult "null"', async () => {
    const s = await startSim();
    sim = s.sim;
    const r = await c5(sim, s.cred, '1234567890');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: ERR.CLUSTER_NOT_FOUND, result: null });
    expect(r.json.message).toMatch(/1234567890/);
    await sim.close();
    const t = await startSim({ unknownClusterResult: 'null' });
    sim = t.sim;
    const n = await c5(sim, t.cred, '1234567890');
    expect(n.status).toBe(200);
    expect(n.json).toMatchObject({ code: 0, message: 'SUCCESS', result: null });
  });

  it('business errors can go out with HTTP 200 (businessErrorHttpStatus)', async () => {
    const s = await startSim({ businessErrorHttpStatus: 200 });
    sim = s.sim;
    const r = await c5(sim, s.cred, '1234567890');
    expect(r.status).toBe(200);
    expect(r.json.code).toBe(ERR.CLUSTER_NOT_FOUND);
  });

  it('C6 colours: orange while creating, green when running; C13 bootstrap strings', async () => {
    const s = await startSim({ provisionMs: 200 });
    sim = s.sim;
    const id = await createCluster(sim, s.cred);
    const creating = (await call(sim, s.cred, 'GET', `${KR}/cluster/getClusterStatus/${id}`)).json.result;
    expect(creating.brokerStatus).toBe('orange');
    expect(creating.brokerStatusPerNode.every((n: any) => n.status === 'orange')).toBe(true);
    await waitForStatus(sim, id, 'running');
    const h = (await call(sim, s.cred, 'GET', `${KR}/cluster/getClusterStatus/${id}`)).json.result;
    expect(h).toMatchObject({
      brokerNodeTotalNumber: 3,
      brokerNumber: 3,
      brokerStatus: 'green',
      zookeeperTotalNumber: 3,
      zookeeperNumber: 3,
      zookeeperStatus: 'green',
      cmakStatus: 'green',
    });
    expect(h.brokerStatusPerNode).toHaveLength(3);
    expect(h.brokerStatusPerNode[0]).toEqual({ hostname: expect.any(String), status: 'green' });

    const b = (await call(sim, s.cred, 'GET', `${KR}/cluster/getBrokerInfo/${id}`)).json.result;
    expect(b.brokerNodeList.split(',')).toHaveLength(3);
    expect(b.brokerNodeList).toMatch(/^(10\.\d+\.\d+\.\d+:9092,){2}10\.\d+\.\d+\.\d+:9092$/);
    expect(b.brokerTlsNodeList).toMatch(/^(10\.\d+\.\d+\.\d+:9093,){2}10\.\d+\.\d+\.\d+:9093$/);
    expect(b.zookeeperList).toMatch(/^(10\.\d+\.\d+\.\d+:2181,){2}10\.\d+\.\d+\.\d+:2181$/);
    expect(b.localDnsList.split('\n')).toHaveLength(3);
    expect(b.localDnsList.split('\n')[0]).toMatch(/^10\.\d+\.\d+\.\d+ \S+$/);
    expect(b.publicEndpointBrokerNodeList).toBe('');
    expect(b.publicEndpointBrokerTlsNodeList).toBe('');
  });

  it('C16 enables the public endpoint (changing, then public lists filled); C17 disables it', async () => {
    const s = await startSim();
    sim = s.sim;
    const id = await runningCluster(sim, s.cred);
    const lbs = (await call(sim, s.cred, 'GET', `${KR}/cluster/getLoadBalancerInstanceList/${id}`)).json.result.responses;
    const unknown = await call(sim, s.cred, 'POST', `${KR}/cluster/enableBrokerNodePublicEndpoint/${id}`, { loadBalancerInstanceNo: 555 });
    expect(unknown.json).toMatchObject({ code: ERR.UNKNOWN_LOAD_BALANCER, result: null });
    const en = await call(sim, s.cred, 'POST', `${KR}/cluster/enableBrokerNodePublicEndpoint/${id}`, {
      loadBalancerInstanceNo: lbs[0].instanceNo,
    });
    expect(en.json).toMatchObject({ code: 0, result: true });
    expect(sim.cluster(id)?.status).toBe('changing');
    await waitForStatus(sim, id, 'running');
    const b = (await call(sim, s.cred, 'GET', `${KR}/cluster/getBrokerInfo/${id}`)).json.result;
    expect(b.publicEndpointBrokerNodeList.split('\n')).toHaveLength(3);
    expect(b.publicEndpointBrokerNodeListenerPortList.split('\n')).toEqual(['9011', '9012', '9013']);
    expect((await call(sim, s.cred, 'GET', `${KR}/cluster/disableBrokerNodePublicEndpoint/${id}`)).json.result).toBe(true);
    expect((await call(sim, s.cred, 'GET', `${KR}/cluster/getBrokerInfo/${id}`)).json.result.publicEndpointBrokerNodeList).toBe('');
  });

  it('C12 lists the seeded versions with string codes', async () => {
    const s = await startSim();
    sim = s.sim;
    const r = await call(sim, s.cred, 'GET', `${KR}/cluster/getCDSSVersionList`);
    expect(r.json.result.kafkaVersionList.map((v: any) => v.kafkaVersionCode)).toEqual(['2823006', '3713006', '3903006']);
    expect(r.json.result.kafkaVersionList[0]).toMatchObject({
      kafkaVersionName: '2.8.2',
      applicationVersionName: expect.any(String),
      cmakVersionName: expect.any(String),
    });
  });

  it('clusters are per region', async () => {
    const s = await startSim();
    sim = s.sim;
    const id = await createCluster(sim, s.cred, {}, '/api/sgn-v1');
    expect((await c5(sim, s.cred, id)).json.code).toBe(ERR.CLUSTER_NOT_FOUND);
    expect((await call(sim, s.cred, 'POST', `/api/sgn-v1/cluster/getClusterInfoList/${id}`)).json.code).toBe(0);
    expect(sim.cluster(id)?.region).toBe('sgn-v1');
  });
});

describe('cdss simulator: scale-out', () => {
  it('newBrokerNodeCount is a DELTA; changing for scaleMs; total capped at 10', async () => {
    const s = await startSim({ scaleMs: 150 });
    sim = s.sim;
    const id = await runningCluster(sim, s.cred);
    const add = await call(sim, s.cred, 'POST', `${KR}/cluster/changeCountOfBrokerNode/${id}`, { newBrokerNodeCount: 4 });
    expect(add.json).toMatchObject({ code: 0, result: true });
    const during = (await c5(sim, s.cred, id)).json.result;
    expect(during).toMatchObject({ status: 'changing', brokerNodeCount: 3 });
    const health = (await call(sim, s.cred, 'GET', `${KR}/cluster/getClusterStatus/${id}`)).json.result;
    expect(health.brokerStatus).toBe('orange');
    expect(health.brokerNodeTotalNumber).toBe(7);
    // Mutations are refused while changing (§6 #6).
    const again = await call(sim, s.cred, 'POST', `${KR}/cluster/changeCountOfBrokerNode/${id}`, { newBrokerNodeCount: 1 });
    expect(again.status).toBe(400);
    expect(again.json).toMatchObject({ code: ERR.CLUSTER_NOT_RUNNING, result: null });
    expect(again.json.message).toMatch(/changing/);
    expect((await call(sim, s.cred, 'DELETE', `${KR}/cluster/deleteCDSSCluster/${id}`)).json.code).toBe(ERR.CLUSTER_NOT_RUNNING);
    expect(
      (await call(sim, s.cred, 'POST', `${KR}/cluster/resetCMAKPassword/${id}`, { kafkaManagerUserPassword: fakePassword() })).json.code,
    ).toBe(ERR.CLUSTER_NOT_RUNNING);
    await waitForStatus(sim, id, 'running');
    expect((await c5(sim, s.cred, id)).json.result.brokerNodeCount).toBe(7); // 3 + 4, not 4
    // 7 + 4 = 11 > 10.
    const over = await call(sim, s.cred, 'POST', `${KR}/cluster/changeCountOfBrokerNode/${id}`, { newBrokerNodeCount: 4 });
    expect(over.json.code).toBe(ERR.BROKER_LIMIT_EXCEEDED);
    expect(over.json.message).toMatch(/newBrokerNodeCount/);
    expect((await call(sim, s.cred, 'POST', `${KR}/cluster/changeCountOfBrokerNode/${id}`, { newBrokerNodeCount: '3' })).json.code).toBe(0);
    await waitForStatus(sim, id, 'running');
    expect(sim.cluster(id)?.brokerNodeCount).toBe(10);
  });

  it('refuses mutations while creating', async () => {
    const s = await startSim({ provisionMs: 5000 });
    sim = s.sim;
    const id = await createCluster(sim, s.cred);
    const r = await call(sim, s.cred, 'POST', `${KR}/cluster/changeCountOfBrokerNode/${id}`, { newBrokerNodeCount: 1 });
    expect(r.json).toMatchObject({ code: ERR.CLUSTER_NOT_RUNNING, result: null });
  });
});

describe('cdss simulator: delete', () => {
  it('C7 → deleting → return; the cluster is still listed as return and refuses a second delete', async () => {
    const s = await startSim({ deleteMs: 150 });
    sim = s.sim;
    const id = await runningCluster(sim, s.cred, { clusterName: 'doomed' });
    const del = await call(sim, s.cred, 'DELETE', `${KR}/cluster/deleteCDSSCluster/${id}`);
    expect(del.json).toMatchObject({ code: 0, result: true });
    expect((await c5(sim, s.cred, id)).json.result.status).toBe('deleting');
    expect((await call(sim, s.cred, 'GET', `${KR}/cluster/getClusterStatus/${id}`)).json.result.brokerStatus).toBe('gray');
    await waitForStatus(sim, id, 'return');
    expect((await c5(sim, s.cred, id)).json.result.status).toBe('return');
    const list = (await call(sim, s.cred, 'POST', `${KR}/cluster/getClusterInfoList`, {})).json.result;
    expect(list.allowedClusters).toEqual([expect.objectContaining({ serviceGroupInstanceNo: id, serverStatus: 'return' })]);
    expect((await call(sim, s.cred, 'DELETE', `${KR}/cluster/deleteCDSSCluster/${id}`)).json.code).toBe(ERR.CLUSTER_NOT_RUNNING);
    // The name is free again once returned.
    expect(await createCluster(sim, s.cred, { clusterName: 'doomed' })).not.toBe(id);
  });

  it('delete is accepted in error (default) and refused with deleteInErrorState false', async () => {
    const s = await startSim();
    sim = s.sim;
    const id = await runningCluster(sim, s.cred);
    sim.admin.fail(id);
    expect((await c5(sim, s.cred, id)).json.result.status).toBe('error');
    expect((await call(sim, s.cred, 'GET', `${KR}/cluster/getClusterStatus/${id}`)).json.result.brokerStatus).toBe('red');
    expect((await call(sim, s.cred, 'DELETE', `${KR}/cluster/deleteCDSSCluster/${id}`)).json.code).toBe(0);
    await sim.close();
    const t = await startSim({ deleteInErrorState: false });
    sim = t.sim;
    const id2 = await runningCluster(sim, t.cred);
    sim.admin.fail(id2);
    expect((await call(sim, t.cred, 'DELETE', `${KR}/cluster/deleteCDSSCluster/${id2}`)).json.code).toBe(ERR.CLUSTER_NOT_RUNNING);
  });

  it('admin: delete outside the operator, fail, force, reset', async () => {
    const s = await startSim();
    sim = s.sim;
    const id = await runningCluster(sim, s.cred);
    expect((await adminCall(sim, 'POST', `/clusters/${id}/delete`, { immediate: true })).json.status).toBe('return');
    const id2 = await runningCluster(sim, s.cred);
    expect((await adminCall(sim, 'POST', `/clusters/${id2}/delete`)).json.status).toBe('deleting');
    await waitForStatus(sim, id2, 'return');
    const id3 = await runningCluster(sim, s.cred);
    expect((await adminCall(sim, 'POST', `/clusters/${id3}/fail`)).json.status).toBe('error');
    expect((await adminCall(sim, 'PATCH', `/clusters/${id3}`, { status: 'mystery' })).json.status).toBe('mystery');
    expect((await c5(sim, s.cred, id3)).json.result.status).toBe('mystery');
    expect((await adminCall(sim, 'GET', '/clusters/999')).status).toBe(404);
    expect((await adminCall(sim, 'GET', '/clusters')).json).toHaveLength(3);
    expect((await adminCall(sim, 'POST', '/reset')).json).toEqual({ reset: true });
    expect(sim.clusters()).toHaveLength(0);
  });
});

describe('cdss simulator: duplicate names', () => {
  it('a live name is unique per VPC (other VPCs may reuse it)', async () => {
    const s = await startSim();
    sim = s.sim;
    await createCluster(sim, s.cred, { clusterName: 'twin' });
    const dup = await call(
      sim,
      s.cred,
      'POST',
      `${KR}/cluster/createCDSSClusterReturnServiceGroupInstanceNo`,
      validBody({ clusterName: 'twin' }),
    );
    expect(dup.json).toMatchObject({ code: ERR.DUPLICATE_CLUSTER_NAME, result: null });
    expect(dup.json.message).toMatch(/clusterName/);
    await createCluster(sim, s.cred, { clusterName: 'twin', vpcNo: 9999 });
  });
});

describe('cdss simulator: manager password reset (C15)', () => {
  const sha = (p: string) => createHash('sha256').update(p).digest('hex');

  it('default: resetCMAKPassword works, resetMGMTPassword is a gateway 404/300', async () => {
    const s = await startSim();
    sim = s.sim;
    const id = await runningCluster(sim, s.cred);
    const pw = fakePassword();
    const r = await call(sim, s.cred, 'POST', `${KR}/cluster/resetCMAKPassword/${id}`, { kafkaManagerUserPassword: pw });
    expect(r.json).toMatchObject({ code: 0, result: true });
    expect(sim.cluster(id)).toMatchObject({ status: 'running', passwordResets: 1, kafkaManagerUserPasswordSha256: sha(pw) });
    const m = await call(sim, s.cred, 'POST', `${KR}/cluster/resetMGMTPassword/${id}`, { kafkaManagerUserPassword: pw });
    expect(m.status).toBe(404);
    expect(m.json.error.errorCode).toBe('300');
    const bad = await call(sim, s.cred, 'POST', `${KR}/cluster/resetCMAKPassword/${id}`, { kafkaManagerUserPassword: 'short1!' });
    expect(bad.json.code).toBe(ERR.INVALID_PARAMETER);
    expect(bad.json.message).toMatch(/kafkaManagerUserPassword/);
  });

  it("passwordResetPath 'MGMT' flips it", async () => {
    const s = await startSim({ passwordResetPath: 'MGMT' });
    sim = s.sim;
    const id = await runningCluster(sim, s.cred);
    expect(
      (await call(sim, s.cred, 'POST', `${KR}/cluster/resetMGMTPassword/${id}`, { kafkaManagerUserPassword: fakePassword() })).json.code,
    ).toBe(0);
    expect(
      (await call(sim, s.cred, 'POST', `${KR}/cluster/resetCMAKPassword/${id}`, { kafkaManagerUserPassword: fakePassword() })).status,
    ).toBe(404);
  });
});
