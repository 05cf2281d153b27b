// Fault injection (shared with the Hadoop Eco simulator) with NCP gateway bodies (spec §3.2):
// 5xx as 503/500 errorCode "500" / 500/900, 429 errorCode "420" with Retry-After, drops,
// latency, late answers, scoping; request records redact the signature and the manager password.
import { afterEach, describe, expect, it } from 'vitest';
import { REDACTED, type CdssSimulator } from '../../../src/simulators/cdss/index.ts';
import { adminCall, call, KR, runningCluster, startSim, validBody } from './helpers.ts';

let sim: CdssSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const VERSIONS = `${KR}/cluster/getCDSSVersionList`;
const CREATE = `${KR}/cluster/createCDSSClusterReturnServiceGroupInstanceNo`;

describe('cdss simulator: fault injection', () => {
  it('errorRate 1 → gateway 503/500 bodies; faults come before auth; reset restores service', async () => {
    const s = await startSim();
    sim = s.sim;
    expect((await adminCall(sim, 'PUT', '/faults', { errorRate: 1 })).status).toBe(200);
    const seen = new Set<number>();
    for (let k = 0; k < 12; k++) {
      const r = await call(sim, s.cred, 'GET', VERSIONS);
      seen.add(r.status);
      if (r.status === 503) expect(r.json).toEqual({ error: { errorCode: '500', message: 'Endpoint Error' } });
      else expect(r.json).toEqual({ error: { errorCode: '900', message: 'Unexpected Error' } });
    }
    expect([...seen].every((st) => st === 500 || st === 503)).toBe(true);
    expect(seen.size).toBe(2);
    expect((await call(sim, null, 'GET', VERSIONS)).status).toBeGreaterThanOrEqual(500);
    await adminCall(sim, 'DELETE', '/faults');
    expect((await call(sim, s.cred, 'GET', VERSIONS)).status).toBe(200);
  });

  it('throttleRate 1 → 429 errorCode "420" with Retry-After, and nothing is created', async () => {
    const s = await startSim();
    sim = s.sim;
    sim.faults.set({ throttleRate: 1, retryAfterSeconds: 7 });
    const r = await call(sim, s.cred, 'POST', CREATE, validBody());
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.json).toEqual({ error: { errorCode: '420', message: 'Rate Limited' } });
    expect(sim.clusters()).toHaveLength(0);
  });

  it('dropRate 1 → socket destroyed; latencyMs delays', async () => {
    const s = await startSim();
    sim = s.sim;
    sim.faults.set({ dropRate: 1 });
    await expect(call(sim, s.cred, 'GET', VERSIONS)).rejects.toThrow();
    expect(sim.requests().at(-1)).toMatchObject({ status: null, fault: 'drop' });
    sim.faults.set({ latencyMs: 200 });
    const t0 = performance.now();
    expect((await call(sim, s.cred, 'GET', VERSIONS)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('responseDelayMs: the create happens at once, the answer comes late', async () => {
    const s = await startSim();
    sim = s.sim;
    sim.faults.set({ responseDelayMs: 600, only: { methods: ['POST'], paths: ['createCDSSCluster'] } });
    const started = Date.now();
    const pending = call(sim, s.cred, 'POST', CREATE, validBody({ clusterName: 'late-answer' }));
    await new Promise((r) => setTimeout(r, 150));
    expect(sim.clusters().map((c) => c.clusterName)).toContain('late-answer');
    const r = await pending;
    expect(r.json.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(sim.requests().at(-1)?.fault).toBe('response-delay');
  });

  it('`only` scopes faults and `times` limits them', async () => {
    const s = await startSim();
    sim = s.sim;
    const id = await runningCluster(sim, s.cred);
    sim.faults.set({ errorRate: 1, only: { methods: ['post'], paths: ['/changeCountOfBrokerNode'] }, times: 1 });
    expect((await call(sim, s.cred, 'GET', VERSIONS)).status).toBe(200);
    expect(
      (await call(sim, s.cred, 'POST', `${KR}/cluster/changeCountOfBrokerNode/${id}`, { newBrokerNodeCount: 1 })).status,
    ).toBeGreaterThanOrEqual(500);
    expect((await call(sim, s.cred, 'POST', `${KR}/cluster/changeCountOfBrokerNode/${id}`, { newBrokerNodeCount: 1 })).json.code).toBe(0);
  });

  it('the same seed gives the same fault sequence', async () => {
    const runs: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const s = await startSim({ seed: 7 });
      s.sim.faults.set({ errorRate: 0.5, throttleRate: 0.3 });
      const seq: number[] = [];
      for (let k = 0; k < 15; k++) seq.push((await call(s.sim, s.cred, 'GET', VERSIONS)).status);
      runs.push(seq);
      await s.sim.close();
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(new Set(runs[0]).size).toBeGreaterThan(1);
  });
});

describe('cdss simulator: request records', () => {
  it('keep the access key, redact the signature and kafkaManagerUserPassword', async () => {
    const s = await startSim();
    sim = s.sim;
    const body = validBody();
    const password = body.kafkaManagerUserPassword as string;
    const created = await call(sim, s.cred, 'POST', CREATE, body);
    const id = String(created.json.result.serviceGroupInstanceNo);
    await sim.waitFor(id, (c) => c.status === 'running');
    await call(sim, s.cred, 'POST', `${KR}/cluster/resetCMAKPassword/${id}`, { kafkaManagerUserPassword: password });
    await call(sim, s.cred, 'POST', `${KR}/cluster/getClusterInfoList?pageNo=1`, '{"kafkaManagerUserPassword": broken');
    await call(sim, null, 'GET', VERSIONS);
    const recs = (await adminCall(sim, 'GET', '/requests')).json;
    expect(recs).toHaveLength(4);
    expect(recs[0]).toMatchObject({
      seq: 1,
      method: 'POST',
      path: CREATE,
      status: 200,
      body: { ...body, kafkaManagerUserPassword: REDACTED },
    });
    expect(recs[0].headers['x-ncp-iam-access-key']).toBe(s.cred.accessKey);
    expect(recs[0].headers['x-ncp-apigw-signature-v2']).toBe(REDACTED);
    expect(recs[0].headers['x-ncp-apigw-timestamp']).toMatch(/^\d{13}$/);
    expect(recs[1].body).toEqual({ kafkaManagerUserPassword: REDACTED });
    expect(recs[2]).toMatchObject({ query: { pageNo: '1' }, body: REDACTED, status: 400 });
    expect(recs[3]).toMatchObject({ status: 401, body: null });
    for (const text of [JSON.stringify(recs), JSON.stringify(sim.requests())]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(s.cred.secretKey);
    }
    await adminCall(sim, 'DELETE', '/requests');
    expect(sim.requests()).toHaveLength(0);
  });

  it('record faults', async () => {
    const s = await startSim();
    sim = s.sim;
    sim.faults.set({ throttleRate: 1 });
    await call(sim, s.cred, 'GET', VERSIONS);
    expect(sim.requests()[0]).toMatchObject({ status: 429, fault: 'throttle' });
  });

  it('rejects an invalid fault config with 400', async () => {
    const s = await startSim();
    sim = s.sim;
    expect((await adminCall(sim, 'PUT', '/faults', { errorRate: 2 })).status).toBe(400);
    expect((await adminCall(sim, 'PUT', '/clock', { skewMs: 'x' })).status).toBe(400);
  });
});
