// Create / get / auth / name uniqueness against the seed's examples (spec §2.1, §2.2, §1.2, §6.3).
import { afterEach, describe, expect, it } from 'vitest';
import type { HadoopEcoSimulator } from '../../../src/simulators/hadoop-eco/index.ts';
import { API, call, createCluster, fakeCredential, seedExample, startSim, validBody, waitForStatus } from './helpers.ts';

let sim: HadoopEcoSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('hadoop-eco simulator: create and get', () => {
  it.each([1, 2, 3] as const)('accepts seed create example %i and brings it to Running', async (n) => {
    const s = await startSim();
    sim = s.sim;
    const body = seedExample(n);
    const r = await call(sim, s.cred, 'POST', API, body);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: body.name, status: 'Initializing' });
    await waitForStatus(sim, r.json.id, 'Running');
    const got = await call(sim, s.cred, 'GET', `${API}/${r.json.id}`);
    expect(got.status).toBe(200);
    const d = got.json;
    expect(d).toMatchObject({
      id: r.json.id,
      name: body.name,
      status: 'Running',
      isScalable: true,
      isHa: body.isHa,
      clusterType: 'hadoop',
      apiKeyStatus: 'impossible',
    });
    expect(d.masterCnt).toBe(body.isHa ? 3 : 1);
    expect(d.workerCnt).toBe(body.workerCnt);
    expect(d.nodeCnt).toBe(d.masterCnt + d.workerCnt);
    expect(typeof d.runningAt).toBe('number');
    expect(d.runningAt).toBeGreaterThanOrEqual(d.createdAt);
    expect(d.nameNodeUrl).toMatch(/^http:\/\/10\.\d+\.\d+\.\d+:9870$/);
    expect(d.resourceManagerUrl).toMatch(/:8088$/);
    expect(d.hueUrl).toMatch(/:8888$/);
    expect(d.masterInfo).toEqual([{ flavorId: expect.any(String), flavorName: 'm2a.xlarge', volumeSize: 50 }]);
    expect(d.workerInfo).toEqual([{ flavorId: expect.any(String), flavorName: 'm2a.xlarge', volumeSize: 100 }]);
    // Never a password or the user script in a response (spec §2.2 notes).
    expect(got.text).not.toMatch(/userPw|userScript"/);
    if (body.adminInfo) expect(d.adminInfo).toEqual({ userId: body.adminInfo.userId });
  });

  it('echoes example 1: configText as sent, dataCatalog (seed spelling) as dataCatalogInfo, userTask with logUrl', async () => {
    const s = await startSim();
    sim = s.sim;
    const body = seedExample(1);
    const { json } = await call(sim, s.cred, 'POST', API, body);
    const d = (await call(sim, s.cred, 'GET', `${API}/${json.id}`)).json;
    expect(d.config).toEqual({ hdfsBlockSize: 128, hdfsReplication: 3, configText: body.config.configText });
    expect(d.dataCatalogInfo).toMatchObject({
      catalogId: body.dataCatalog.catalogId,
      vpcId: body.vpcId,
      subnetId: body.subnetId,
      metastoreUri: expect.stringMatching(/^thrift:\/\//),
    });
    expect(d.userTask).toMatchObject({
      type: 'hive',
      terminationPolicy: 'never',
      hiveQuery: body.userTask.hiveQuery,
      logBucketName: 'user-bucket',
    });
    expect(d.userTask.logUrl).toMatch(/\/user-bucket\/HadoopEco\/hive-job-cluster$/);
    expect(d.securityGroupIds).toHaveLength(1); // created from securityGroupName
  });

  it('echoes example 2: existing security groups, 3 masters for isHa', async () => {
    const s = await startSim();
    sim = s.sim;
    const body = seedExample(2);
    const { json } = await call(sim, s.cred, 'POST', API, body);
    const d = (await call(sim, s.cred, 'GET', `${API}/${json.id}`)).json;
    expect(d.securityGroupIds).toEqual(body.securityGroupIds);
    expect(d.masterCnt).toBe(3);
    expect(d.userTask).toMatchObject({ type: 'spark', deployMode: 'cluster', fileUrl: body.userTask.fileUrl });
  });

  it('echoes example 3: configFileUrl, hiveDbInfo without password; fileUrl accepted as an alias', async () => {
    const s = await startSim();
    sim = s.sim;
    const body = seedExample(3);
    const { json } = await call(sim, s.cred, 'POST', API, body);
    const d = (await call(sim, s.cred, 'GET', `${API}/${json.id}`)).json;
    expect(d.config.configFileUrl).toBe(body.config.configFileUrl);
    expect(d.hiveDbInfo).toEqual({
      objectId: body.hiveDbInfo.objectId,
      subnetId: body.subnetId,
      name: expect.any(String),
      host: expect.stringMatching(/^10\./),
      port: 3306,
      dbName: 'meta_db',
      userId: 'mysql_user',
    });
    expect(d.adminInfo.userId).toBeTruthy(); // IAM account when adminInfo is omitted

    const alias = validBody({
      config: { hdfsReplication: 2, hdfsBlockSize: 128, fileUrl: 'https://objectstorage.example/v1/p/b/config.json' },
    });
    const r = await call(sim, s.cred, 'POST', API, alias);
    expect(r.status).toBe(200);
    expect((await call(sim, s.cred, 'GET', `${API}/${r.json.id}`)).json.config.configFileUrl).toBe(
      'https://objectstorage.example/v1/p/b/config.json',
    );
  });

  it('builds URLs by cluster type and echoes redisInfo with default db ids', async () => {
    const s = await startSim({ provisionMs: 0 });
    sim = s.sim;
    const df = await createCluster(sim, s.cred, { clusterType: 'dataflow', redisInfo: { objectId: 'redis-obj-1' } });
    const hb = await createCluster(sim, s.cred, { clusterType: 'hbase' });
    const tr = await createCluster(sim, s.cred, { clusterType: 'trino' });
    for (const id of [df, hb, tr]) await waitForStatus(sim, id, 'Running');
    const d = (await call(sim, s.cred, 'GET', `${API}/${df}`)).json;
    expect(d.druidUrl).toMatch(/:3008$/);
    expect(d.supersetUrl).toMatch(/:4000$/);
    expect(d.nameNodeUrl).toBeUndefined();
    expect(d.redisInfo).toMatchObject({ objectId: 'redis-obj-1', port: 6379, dbIdSupersetCelery: 0, dbIdSupersetResults: 1 });
    const h = (await call(sim, s.cred, 'GET', `${API}/${hb}`)).json;
    expect(h.hmasterUrl).toMatch(/:16010$/);
    expect(h.nameNodeUrl).toMatch(/:9870$/);
    const t = (await call(sim, s.cred, 'GET', `${API}/${tr}`)).json;
    expect(t.trinoUrl).toBeDefined();
    expect(t.hueUrl).toMatch(/:8888$/);
  });

  it('uses the first master private IP for URLs and names VMs HadoopMST/HadoopWRK-{name}-{n}', async () => {
    const s = await startSim({ provisionMs: 0 });
    sim = s.sim;
    const id = await createCluster(sim, s.cred, { name: 'vm-names', isHa: true, workerCnt: 2 });
    await waitForStatus(sim, id, 'Running');
    const vms = (await call(sim, s.cred, 'GET', `${API}/${id}/vms?sort=name,asc`)).json.content;
    expect(vms.map((v: any) => v.name)).toEqual([
      'HadoopMST-vm-names-1',
      'HadoopMST-vm-names-2',
      'HadoopMST-vm-names-3',
      'HadoopWRK-vm-names-1',
      'HadoopWRK-vm-names-2',
    ]);
    for (const v of vms) {
      expect(v).toEqual({
        name: v.name,
        instanceId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        index: v.index,
        isMaster: v.name.includes('MST'),
        status: 'Running',
        flavorName: 'm2a.xlarge',
        ip: expect.stringMatching(/^10\.0\.\d+\.\d+$/),
        createdAt: expect.any(Number),
      });
      expect(v.floatingIp).toBeUndefined();
    }
    const d = (await call(sim, s.cred, 'GET', `${API}/${id}`)).json;
    expect(d.nameNodeUrl).toBe(`http://${vms[0].ip}:9870`);
  });

  it('answers 404 for unknown cluster ids on get, delete, scale and vms', async () => {
    const s = await startSim();
    sim = s.sim;
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [method, path, body] of [
      ['GET', `${API}/${id}`, undefined],
      ['DELETE', `${API}/${id}`, undefined],
      ['POST', `${API}/${id}/scale-out`, { scaleCnt: 1 }],
      ['POST', `${API}/${id}/scale-in`, { scaleCnt: 1 }],
      ['GET', `${API}/${id}/vms`, undefined],
    ] as const) {
      const r = await call(sim, s.cred, method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.json).toMatchObject({ status: 404, error: 'Not Found', path, message: expect.stringContaining(id) });
      expect(typeof r.json.timestamp).toBe('string');
    }
  });
});

describe('hadoop-eco simulator: credentials', () => {
  it('401 without, with a wrong secret, or with an unknown id; lower-case header names work', async () => {
    const s = await startSim();
    sim = s.sim;
    expect((await call(sim, null, 'GET', API)).status).toBe(401);
    const wrong = await call(sim, { ...s.cred, credentialSecret: `${s.cred.credentialSecret}x` }, 'GET', API);
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ status: 401, error: 'Unauthorized', path: API });
    expect((await call(sim, fakeCredential(), 'GET', API)).status).toBe(401);
    expect((await call(sim, null, 'POST', API, validBody())).status).toBe(401);
    const lower = await call(sim, null, 'GET', API, undefined, {
      'credential-id': s.cred.credentialId,
      'credential-secret': s.cred.credentialSecret,
    });
    expect(lower.status).toBe(200);
    expect(sim.clusters()).toHaveLength(0);
  });

  it('403 on mutations for a read-only credential, 200 on reads', async () => {
    const ro = fakeCredential({ readOnly: true });
    const s = await startSim({ credentials: [ro] });
    sim = s.sim;
    const id = await createCluster(sim, s.cred);
    expect((await call(sim, ro, 'GET', `${API}/${id}`)).status).toBe(200);
    expect((await call(sim, ro, 'POST', API, validBody())).status).toBe(403);
    expect((await call(sim, ro, 'DELETE', `${API}/${id}`)).status).toBe(403);
    expect((await call(sim, ro, 'POST', `${API}/${id}/scale-out`, { scaleCnt: 1 })).status).toBe(403);
  });
});

describe('hadoop-eco simulator: name uniqueness', () => {
  it('409 for a live duplicate name, reusable once the holder is terminated', async () => {
    const s = await startSim({ terminateMs: 30 });
    sim = s.sim;
    const first = await createCluster(sim, s.cred, { name: 'dup-name' });
    const dup = await call(sim, s.cred, 'POST', API, validBody({ name: 'dup-name' }));
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({ status: 409, error: 'Conflict', message: expect.stringContaining('dup-name') });
    expect((await call(sim, s.cred, 'DELETE', `${API}/${first}`)).json.status).toBe('Terminating');
    // Still live while Terminating.
    expect((await call(sim, s.cred, 'POST', API, validBody({ name: 'dup-name' }))).status).toBe(409);
    await waitForStatus(sim, first, 'Terminated(User)');
    const again = await call(sim, s.cred, 'POST', API, validBody({ name: 'dup-name' }));
    expect(again.status).toBe(200);
    expect(again.json.id).not.toBe(first);
  });

  it('415 for a non-JSON content type and 400 for malformed JSON', async () => {
    const s = await startSim();
    sim = s.sim;
    const r = await call(sim, s.cred, 'POST', API, JSON.stringify(validBody()), { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    const bad = await call(sim, s.cred, 'POST', API, '{"name": ');
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/JSON parse error/);
    expect((await call(sim, s.cred, 'POST', API, '[]')).json.message).toMatch(/JSON object/);
  });
});
