// Contract of the CDSS client's public access calls C16-C19 (spec §5.14) and the certificate C25
// (§5.11) against the simulator: the load balancer choice, the endpoint lists filling and
// clearing, the manager's public domain in C4, mutating GETs never retried, and a real PEM.
import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CloudRequestError } from '../../../src/clouds/http.ts';
import { CdssBusinessError } from '../../../src/clouds/ncloud/errors.ts';
import { TransientError } from '../../../src/runtime/errors.ts';
import { ERR } from '../../../src/simulators/cdss/index.ts';
import { rejection, startSimClient, type SimClient } from './sim-support.ts';

let s: SimClient | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});
const start = async (o = {}) => (s = await startSimClient(o));

describe('broker public endpoint (C16-C18)', () => {
  it('C18 lists load balancers; C16 with one of them goes changing, then C13 has the public lists; C17 clears them', async () => {
    const { client, sim, calls, runningCluster } = await start({ publicEndpointMs: 150 });
    const id = await runningCluster();
    const lbs = await client.loadBalancersForPublicEndpoint(id);
    expect(calls('getLoadBalancerInstanceList')).toEqual([
      expect.objectContaining({ method: 'GET', path: `/api/v1/cluster/getLoadBalancerInstanceList/${id}` }),
    ]);
    expect(lbs.length).toBeGreaterThanOrEqual(1);
    const lb = lbs[0]!;
    expect(lb.loadBalancerInstanceNo).toMatch(/^\d+$/);
    expect(lb.loadBalancerName).not.toBe('');

    expect((await client.getBrokerInfo(id))?.publicEndpointBrokerNodeList).toEqual([]);
    await client.enableBrokerPublicEndpoint(id, lb.loadBalancerInstanceNo);
    expect(calls('enableBrokerNodePublicEndpoint')).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/api/v1/cluster/enableBrokerNodePublicEndpoint/${id}`,
        body: { loadBalancerInstanceNo: Number(lb.loadBalancerInstanceNo) },
      }),
    ]);
    expect((await client.getCluster(id))?.status).toBe('changing');
    await sim.waitFor(id, (c) => c.status === 'running', 5_000);

    const b = await client.getBrokerInfo(id);
    expect(b?.publicEndpointBrokerNodeList).toHaveLength(3);
    expect(b?.publicEndpointBrokerNodeList[0]).toMatch(/^\d+\.\d+\.\d+\.\d+:\d+$/);
    expect(b?.publicEndpointBrokerTlsNodeList).toHaveLength(3);
    expect(b?.publicEndpointBrokerNodeListenerPortList).toEqual(['9011', '9012', '9013']);
    expect(b?.publicEndpointBrokerTlsNodeListenerPortList).toEqual(['9021', '9022', '9023']);
    expect(b?.localDnsTlsList).toHaveLength(3);
    expect(b?.localDnsList).toHaveLength(3);
    expect(sim.cluster(id)?.publicEndpoint?.loadBalancerInstanceNo).toBe(Number(lb.loadBalancerInstanceNo));

    // A second enable is refused while one is on.
    const again = await rejection(client.enableBrokerPublicEndpoint(id, lb.loadBalancerInstanceNo));
    expect((again as CdssBusinessError).code).toBe(ERR.PUBLIC_ENDPOINT_ENABLED);

    await client.disableBrokerPublicEndpoint(id);
    expect(calls('disableBrokerNodePublicEndpoint')).toEqual([
      expect.objectContaining({ method: 'GET', path: `/api/v1/cluster/disableBrokerNodePublicEndpoint/${id}` }),
    ]);
    const off = await client.getBrokerInfo(id);
    expect(off?.publicEndpointBrokerNodeList).toEqual([]);
    expect(off?.publicEndpointBrokerNodeListenerPortList).toEqual([]);
    expect(off?.localDnsTlsList).toEqual([]);
    expect(sim.cluster(id)?.status).toBe('running');
  });

  it("C16 with a load balancer C18 does not list is the cloud's business error, sent once", async () => {
    const { client, calls, runningCluster } = await start();
    const id = await runningCluster();
    const err = await rejection(client.enableBrokerPublicEndpoint(id, '555'));
    expect(err).toBeInstanceOf(CdssBusinessError);
    expect((err as CdssBusinessError).code).toBe(ERR.UNKNOWN_LOAD_BALANCER);
    expect((err as CdssBusinessError).cloudMessage).toContain('555');
    expect(calls('enableBrokerNodePublicEndpoint')).toHaveLength(1);
  });

  it('C17 (a mutating GET) is never retried: one request under a 5xx, one under a dropped connection', async () => {
    const { client, sim, calls, runningCluster } = await start();
    const id = await runningCluster();
    sim.faults.set({ errorRate: 1, only: { paths: ['disableBrokerNodePublicEndpoint'] } });
    expect(await rejection(client.disableBrokerPublicEndpoint(id))).toBeInstanceOf(TransientError);
    expect(calls('disableBrokerNodePublicEndpoint')).toHaveLength(1);
    sim.faults.set({ dropRate: 1, only: { paths: ['disableBrokerNodePublicEndpoint'] } });
    const dropped = await rejection(client.disableBrokerPublicEndpoint(id));
    expect((dropped as CloudRequestError).outcomeUnknown).toBe(true);
    expect(calls('disableBrokerNodePublicEndpoint')).toHaveLength(2);
    // The same fault on C18, a real read, is retried.
    sim.faults.set({ dropRate: 1, only: { paths: ['getLoadBalancerInstanceList'] }, times: 2 });
    expect((await client.loadBalancersForPublicEndpoint(id)).length).toBeGreaterThan(0);
    expect(calls('getLoadBalancerInstanceList')).toHaveLength(3);
  });

  it('a wrong method is the gateway 404/300 (C16 is a POST, C17 a GET)', async () => {
    const { sim, runningCluster } = await start();
    const id = await runningCluster();
    // Straight through the simulator's router: the client cannot send the wrong method.
    const r = await fetch(`${sim.baseUrl('KR')}/cluster/enableBrokerNodePublicEndpoint/${id}`, { method: 'GET' });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: { errorCode: '300', message: 'Not Found Exception' } });
    const p = await fetch(`${sim.baseUrl('KR')}/cluster/disableBrokerNodePublicEndpoint/${id}`, { method: 'POST' });
    expect(p.status).toBe(404);
  });
});

describe('manager public domain (C19)', () => {
  it('enablePublicDomain / disablePublicDomain are GETs that toggle isUsePublicDomain and clusterPublicDomain in C4', async () => {
    const { client, calls, runningCluster } = await start();
    const id = await runningCluster();
    const item = async () => (await client.listAllClusters()).allowedClusters.find((c) => c.serviceGroupInstanceNo === id);
    expect(await item()).toMatchObject({ isUsePublicDomain: false, clusterPublicDomain: '' });
    await client.setManagerPublicDomain(id, true);
    const on = await item();
    expect(on?.isUsePublicDomain).toBe(true);
    expect(on?.clusterPublicDomain).toMatch(/\S+\.\S+/);
    await client.setManagerPublicDomain(id, false);
    expect(await item()).toMatchObject({ isUsePublicDomain: false, clusterPublicDomain: '' });
    expect([...calls('enablePublicDomain'), ...calls('disablePublicDomain')].map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET /api/v1/cluster/enablePublicDomain/${id}`,
      `GET /api/v1/cluster/disablePublicDomain/${id}`,
    ]);
  });

  it('C19 is never retried under a 5xx, and refused while the cluster is changing', async () => {
    const { client, sim, calls, runningCluster } = await start({ scaleMs: 300 });
    const id = await runningCluster();
    sim.faults.set({ errorRate: 1, only: { paths: ['enablePublicDomain'] } });
    expect(await rejection(client.setManagerPublicDomain(id, true))).toBeInstanceOf(TransientError);
    expect(calls('enablePublicDomain')).toHaveLength(1);
    sim.faults.reset();
    await client.addBrokers(id, 1);
    const busy = await rejection(client.setManagerPublicDomain(id, true));
    expect((busy as CdssBusinessError).code).toBe(ERR.CLUSTER_NOT_RUNNING);
  });
});

describe('certificate (C25)', () => {
  it('downloadCertificate returns a PEM CA certificate, the same on every call, one per cluster; a dropped read is retried', async () => {
    const { client, sim, calls, runningCluster } = await start();
    const a = await runningCluster();
    const b = await runningCluster();
    const pem = await client.downloadCertificate(a);
    expect(calls('downloadCertificate')).toEqual([
      expect.objectContaining({ method: 'GET', path: `/api/v1/cluster/downloadCertificate/${a}` }),
    ]);
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
    const cert = new X509Certificate(pem ?? '');
    expect(cert.ca).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.subject).toContain(a);
    expect(await client.downloadCertificate(a)).toBe(pem);
    expect(await client.downloadCertificate(b)).not.toBe(pem);

    sim.faults.set({ dropRate: 1, only: { paths: ['downloadCertificate'] }, times: 1 });
    expect(await client.downloadCertificate(a)).toBe(pem);
  });

  it('an unknown cluster is a business error', async () => {
    const { client } = await start();
    const err = await rejection(client.downloadCertificate('1234567'));
    expect(err).toBeInstanceOf(CdssBusinessError);
    expect((err as CdssBusinessError).code).toBe(ERR.CLUSTER_NOT_FOUND);
  });
});
