// Fault injection and request records (architecture §4): 5xx, 429 + Retry-After, dropped
// connections, latency, scoping, reset; records redact the credential secret.
import { afterEach, describe, expect, it } from 'vitest';
import { REDACTED, type HadoopEcoSimulator } from '../../../src/simulators/hadoop-eco/index.ts';
import { API, b64, call, createCluster, startSim, validBody } from './helpers.ts';

let sim: HadoopEcoSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const admin = async (s: HadoopEcoSimulator, method: string, path: string, body?: unknown) => {
  const r = await fetch(`${s.url}/_admin${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as any };
};

describe('hadoop-eco simulator: fault injection', () => {
  it('errorRate 1 → 500/502/503 on every API call; admin stays reachable; reset restores service', async () => {
    const s = await startSim();
    sim = s.sim;
    expect((await admin(sim, 'PUT', '/faults', { errorRate: 1 })).status).toBe(200);
    const seen = new Set<number>();
    for (let k = 0; k < 12; k++) {
      const r = await call(sim, s.cred, 'GET', API);
      expect([500, 502, 503]).toContain(r.status);
      seen.add(r.status);
      if (r.status === 500) expect(r.json).toMatchObject({ status: 500, error: 'Internal Server Error' });
      else expect(r.headers.get('content-type')).toMatch(/text\/html/);
    }
    expect(seen.size).toBeGreaterThan(1);
    // Faults come before auth: even a bad credential sees the 5xx.
    expect((await call(sim, null, 'GET', API)).status).toBeGreaterThanOrEqual(500);
    expect((await admin(sim, 'DELETE', '/faults')).json).toMatchObject({ errorRate: 0, throttleRate: 0, dropRate: 0, latencyMs: 0 });
    expect((await call(sim, s.cred, 'GET', API)).status).toBe(200);
  });

  it('throttleRate 1 → 429 with Retry-After', async () => {
    const s = await startSim();
    sim = s.sim;
    sim.faults.set({ throttleRate: 1, retryAfterSeconds: 7 });
    const r = await call(sim, s.cred, 'POST', API, validBody());
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.json.error.message).toMatch(/rate limit/);
    expect(sim.clusters()).toHaveLength(0); // nothing was created
  });

  it('dropRate 1 → the socket is destroyed without a response', async () => {
    const s = await startSim();
    sim = s.sim;
    sim.faults.set({ dropRate: 1 });
    await expect(
      fetch(`${sim.url}${API}`, { headers: { 'Credential-ID': s.cred.credentialId, 'Credential-Secret': s.cred.credentialSecret } }),
    ).rejects.toThrow();
    expect(sim.requests().at(-1)).toMatchObject({ status: null, fault: 'drop' });
  });

  it("routeNotFoundRate 1 → a proxy's HTML 404 on the routes it is scoped to, not the API's own answer", async () => {
    const s = await startSim();
    sim = s.sim;
    const id = await createCluster(sim, s.cred);
    sim.faults.set({ routeNotFoundRate: 1, only: { paths: [`${API}/${id}`] } });
    const r = await fetch(`${sim.url}${API}/${id}`, {
      headers: { 'Credential-ID': s.cred.credentialId, 'Credential-Secret': s.cred.credentialSecret },
    });
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(await r.text()).toMatch(/<h1>404 Not Found<\/h1>/);
    expect(sim.requests().at(-1)).toMatchObject({ status: 404, fault: 'route-not-found' });
    // The list route is not scoped: it answers, and still shows the cluster.
    const list = await call(sim, s.cred, 'GET', API);
    expect(list.status).toBe(200);
    expect(list.json.content.map((c: { id: string }) => c.id)).toContain(id);
  });

  it('latencyMs delays responses', async () => {
    const s = await startSim();
    sim = s.sim;
    sim.faults.set({ latencyMs: 200 });
    const t0 = performance.now();
    expect((await call(sim, s.cred, 'GET', API)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    sim.faults.reset();
    const t1 = performance.now();
    await call(sim, s.cred, 'GET', API);
    expect(performance.now() - t1).toBeLessThan(150);
  });

  it('`only` scopes faults to methods/paths and `times` limits how many requests they hit', async () => {
    const s = await startSim({ provisionMs: 0 });
    sim = s.sim;
    const id = await createCluster(sim, s.cred);
    await sim.waitFor(id, (c) => c.status === 'Running');
    sim.faults.set({ errorRate: 1, only: { methods: ['post'], paths: ['/scale-out'] }, times: 2 });
    expect((await call(sim, s.cred, 'GET', `${API}/${id}`)).status).toBe(200);
    expect((await call(sim, s.cred, 'POST', `${API}/${id}/scale-out`, { scaleCnt: 1 })).status).toBeGreaterThanOrEqual(500);
    expect(sim.faults.get().times).toBe(1);
    expect((await call(sim, s.cred, 'POST', `${API}/${id}/scale-out`, { scaleCnt: 1 })).status).toBeGreaterThanOrEqual(500);
    expect(sim.faults.get()).toEqual({
      errorRate: 0,
      throttleRate: 0,
      retryAfterSeconds: 1,
      latencyMs: 0,
      dropRate: 0,
      routeNotFoundRate: 0,
      responseDelayMs: 0,
    });
    expect((await call(sim, s.cred, 'POST', `${API}/${id}/scale-out`, { scaleCnt: 1 })).status).toBe(200);
  });

  it('the same seed gives the same fault sequence', async () => {
    const statuses: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const s = await startSim({ seed: 7 });
      s.sim.faults.set({ errorRate: 0.5, throttleRate: 0.3 });
      const seq: number[] = [];
      for (let k = 0; k < 15; k++) seq.push((await call(s.sim, s.cred, 'GET', API)).status);
      statuses.push(seq);
      await s.sim.close();
    }
    expect(statuses[0]).toEqual(statuses[1]);
    expect(new Set(statuses[0]).size).toBeGreaterThan(1);
  });

  it('rejects an invalid fault config with 400', async () => {
    const s = await startSim();
    sim = s.sim;
    const r = await admin(sim, 'PUT', '/faults', { errorRate: 2 });
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/errorRate/);
    expect((await admin(sim, 'PUT', '/faults', { bogus: 1 })).status).toBe(400);
  });
});

describe('hadoop-eco simulator: request records', () => {
  it('records method, path, query, headers (secret redacted), parsed body and status', async () => {
    const s = await startSim();
    sim = s.sim;
    const body = validBody({ adminInfo: { userId: 'a', userPw: b64('throwaway') } });
    await call(sim, s.cred, 'POST', API, body);
    await call(sim, s.cred, 'GET', `${API}?sort=name,asc&sort=status,desc&size=5`);
    await call(sim, null, 'GET', API);
    const over = await admin(sim, 'GET', '/requests');
    expect(over.status).toBe(200);
    const recs = over.json;
    expect(recs).toHaveLength(3);
    expect(recs[0]).toMatchObject({ seq: 1, method: 'POST', path: API, status: 200, body });
    expect(recs[0].headers['credential-id']).toBe(s.cred.credentialId);
    expect(recs[0].headers['credential-secret']).toBe(REDACTED);
    expect(recs[1]).toMatchObject({ method: 'GET', query: { sort: ['name,asc', 'status,desc'], size: '5' }, status: 200, body: null });
    expect(recs[2]).toMatchObject({ status: 401 });
    expect(typeof recs[0].time).toBe('string');
    // The secret appears nowhere, over HTTP or in process.
    expect(JSON.stringify(recs)).not.toContain(s.cred.credentialSecret);
    expect(JSON.stringify(sim.requests())).not.toContain(s.cred.credentialSecret);
    // Admin calls are not recorded; clearing works both ways.
    expect(sim.requests()).toHaveLength(3);
    await admin(sim, 'DELETE', '/requests');
    expect(sim.requests()).toHaveLength(0);
    await call(sim, s.cred, 'GET', API);
    sim.clearRequests();
    expect(sim.requests()).toHaveLength(0);
  });

  it('records faults', async () => {
    const s = await startSim();
    sim = s.sim;
    sim.faults.set({ throttleRate: 1 });
    await call(sim, s.cred, 'GET', API);
    expect(sim.requests()[0]).toMatchObject({ status: 429, fault: 'throttle' });
  });
});

describe('hadoop-eco simulator: late responses', () => {
  it('handles the request at once but holds the answer for responseDelayMs', async () => {
    const { startHadoopEcoSimulator } = await import('../../../src/simulators/hadoop-eco/index.ts');
    const credentialId = ['late', 'id'].join('-');
    const credentialSecret = ['late', 'secret'].join('-');
    const sim = await startHadoopEcoSimulator({ credentials: [{ credentialId, credentialSecret }], seed: 7 });
    try {
      sim.faults.set({ responseDelayMs: 800, only: { methods: ['POST'] } });
      const body = JSON.parse(
        await (await import('node:fs/promises')).readFile(new URL('../../fixtures/hadoop-eco/seed-create-2.json', import.meta.url), 'utf8'),
      );
      const started = Date.now();
      const pending = fetch(`${sim.url}/v2/hadoop-eco/clusters`, {
        method: 'POST',
        headers: { 'Credential-ID': credentialId, 'Credential-Secret': credentialSecret, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      // The cluster exists while the caller is still waiting for the answer.
      await new Promise((r) => setTimeout(r, 200));
      expect(sim.clusters().map((c) => c.name)).toContain('spark-job-cluster');
      const res = await pending;
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(700);
      expect(sim.requests().at(-1)?.fault).toBe('response-delay');
    } finally {
      await sim.close();
    }
  });
});
