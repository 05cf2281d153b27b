// Signature v2 verification (spec §2) and gateway errors (§3.2): 401/200 for a bad signature,
// stale timestamp or unknown key, 401/210 without CDSS permission, 404/300 for an unknown path
// or wrong method.
import { afterEach, describe, expect, it } from 'vitest';
import type { CdssSimulator } from '../../../src/simulators/cdss/index.ts';
import { adminCall, call, fakeCredential, KR, sign, startSim, UUID } from './helpers.ts';

let sim: CdssSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const VERSIONS = `${KR}/cluster/getCDSSVersionList`;

describe('cdss simulator: signature v2', () => {
  it('our test signer reproduces the published check value (spec §2.4)', () => {
    const ak = ['Test', 'AccessKey'].join('');
    const sk = ['Test', 'SecretKey'].join('');
    expect(sign('GET', '/vserver/v2/getServerInstanceList?responseFormatType=json', '1234567890123', ak, sk)).toBe(
      'FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M=',
    );
  });

  it('accepts a valid signature and answers the §3.1 envelope', async () => {
    const s = await startSim();
    sim = s.sim;
    const r = await call(sim, s.cred, 'GET', VERSIONS);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ code: 0, message: 'SUCCESS' });
    expect(r.json.requestId).toMatch(UUID);
  });

  it('signs the query string exactly as sent, and rejects a signature over a different target', async () => {
    const s = await startSim();
    sim = s.sim;
    const uri = `${KR}/cluster/getClusterInfoList?pageNo=1&pageSize=2`;
    expect((await call(sim, s.cred, 'POST', uri, {})).json.result.pageSize).toBe(2);
    // Signed without the query: mismatch.
    const bad = await call(sim, s.cred, 'POST', uri, {}, { signedUri: `${KR}/cluster/getClusterInfoList` });
    expect(bad.status).toBe(401);
    // A lone "?" must not be appended (§2.2).
    expect((await call(sim, s.cred, 'GET', VERSIONS, undefined, { signedUri: `${VERSIONS}?` })).status).toBe(401);
  });

  it('wrong secret → 401 errorCode "200" Authentication Failed', async () => {
    const s = await startSim();
    sim = s.sim;
    const r = await call(sim, s.cred, 'GET', VERSIONS, undefined, { secretKey: 'not-the-secret' });
    expect(r.status).toBe(401);
    expect(r.json.error).toMatchObject({ errorCode: '200', message: 'Authentication Failed' });
    expect(r.json.error.details).toMatch(/signature/);
  });

  it('timestamp 5 minutes or more off → 401; just under 5 minutes is fine (boundary on a fixed clock)', async () => {
    const fixed = Date.UTC(2024, 2, 6, 9, 21, 33);
    const s = await startSim({ now: () => fixed });
    sim = s.sim;
    for (const off of [5 * 60_000, -5 * 60_000, 3_600_000]) {
      const r = await call(sim, s.cred, 'GET', VERSIONS, undefined, { timestamp: fixed + off });
      expect(r.status).toBe(401);
      expect(r.json.error).toMatchObject({ errorCode: '200', message: 'Authentication Failed' });
      expect(r.json.error.details).toMatch(/timestamp/);
    }
    for (const off of [5 * 60_000 - 1, -(5 * 60_000 - 1), 0]) {
      expect((await call(sim, s.cred, 'GET', VERSIONS, undefined, { timestamp: fixed + off })).status).toBe(200);
    }
    expect((await call(sim, s.cred, 'GET', VERSIONS, undefined, { timestamp: 'yesterday' })).status).toBe(401);
  });

  it('a skewed gateway clock (admin /_admin/clock) rejects a correct client clock', async () => {
    const s = await startSim();
    sim = s.sim;
    expect((await adminCall(sim, 'PUT', '/clock', { skewMs: 6 * 60_000 })).json).toEqual({ skewMs: 360_000 });
    expect((await call(sim, s.cred, 'GET', VERSIONS)).status).toBe(401);
    // A client that follows the gateway's clock gets through.
    expect((await call(sim, s.cred, 'GET', VERSIONS, undefined, { timestamp: Date.now() + 6 * 60_000 })).status).toBe(200);
    sim.admin.setClockSkew(0);
    expect((await call(sim, s.cred, 'GET', VERSIONS)).status).toBe(200);
  });

  it('the simulator clock comes from opts.now', async () => {
    const fixed = Date.UTC(2024, 2, 6, 9, 21, 33);
    const s = await startSim({ now: () => fixed });
    sim = s.sim;
    expect((await call(sim, s.cred, 'GET', VERSIONS)).status).toBe(401);
    expect((await call(sim, s.cred, 'GET', VERSIONS, undefined, { timestamp: fixed + 1000 })).status).toBe(200);
  });

  it('missing headers and unknown access keys → 401/200', async () => {
    const s = await startSim();
    sim = s.sim;
    expect((await call(sim, null, 'GET', VERSIONS)).json.error).toMatchObject({ errorCode: '200' });
    const noSig = await call(sim, s.cred, 'GET', VERSIONS, undefined, { headers: { 'x-ncp-apigw-signature-v2': '' } });
    expect(noSig.status).toBe(401);
    expect(noSig.json.error.details).toMatch(/x-ncp-apigw-signature-v2/);
    const stranger = fakeCredential();
    const r = await call(sim, stranger, 'GET', VERSIONS);
    expect(r.status).toBe(401);
    expect(r.json.error.errorCode).toBe('200');
  });

  it('a key without CDSS permission → 401 errorCode "210" Permission Denied', async () => {
    const limited = fakeCredential({ noCdssPermission: true });
    const s = await startSim({ credentials: [limited] });
    sim = s.sim;
    const r = await call(sim, limited, 'GET', VERSIONS);
    expect(r.status).toBe(401);
    expect(r.json.error).toMatchObject({ errorCode: '210', message: 'Permission Denied' });
  });
});

describe('cdss simulator: routing', () => {
  it('unknown path, unknown region and wrong method → 404 errorCode "300"', async () => {
    const s = await startSim();
    sim = s.sim;
    for (const [method, uri] of [
      ['GET', `${KR}/cluster/getKafkaVersionList`], // §5.10: the doc slug's name is not the op
      ['GET', '/api/xx-v1/cluster/getCDSSVersionList'],
      ['POST', VERSIONS], // wrong method
      ['GET', `${KR}/cluster/getClusterInfoList/123`], // C5 is POST (§6 #1)
      ['GET', '/nothing'],
    ] as const) {
      const r = await call(sim, s.cred, method, uri);
      expect(r.status, `${method} ${uri}`).toBe(404);
      expect(r.json).toEqual({ error: { errorCode: '300', message: 'Not Found Exception' } });
    }
  });

  it('serves all three region prefixes', async () => {
    const s = await startSim();
    sim = s.sim;
    for (const region of ['KR', 'SGN', 'JPN'] as const) {
      const uri = new URL(`${sim.baseUrl(region)}/cluster/getCDSSVersionList`).pathname;
      expect((await call(sim, s.cred, 'GET', uri)).json.code).toBe(0);
    }
    expect(sim.baseUrl()).toBe(`${sim.url}/api/v1`);
    expect(sim.baseUrl('SGN')).toBe(`${sim.url}/api/sgn-v1`);
  });
});
