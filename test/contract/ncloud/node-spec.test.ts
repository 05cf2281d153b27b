// Contract of the CDSS client's node spec calls C9/C10 (spec §5.9) against the simulator: only
// the changed code goes out, downgrades are refused with the allowed codes named, the change is
// asynchronous, and C9 is never retried while C10 (a POST read) is.
import { afterEach, describe, expect, it } from 'vitest';
import { CloudRequestError } from '../../../src/clouds/http.ts';
import { CdssBusinessError } from '../../../src/clouds/ncloud/errors.ts';
import { InvalidSpecError, TransientError } from '../../../src/runtime/errors.ts';
import { ERR } from '../../../src/simulators/cdss/index.ts';
import { rejection, startSimClient, type SimClient } from './sim-support.ts';

let s: SimClient | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});
const start = async (o = {}) => (s = await startSimClient(o));

const OS = 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050';
const C002_M008 = 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002';
const C004_M016 = 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002';
const C008_M032 = 'SVR.VCDSS.STAND.C008.M032.NET.SSD.B050.G002';
const HICPU_C004_M008 = 'SVR.VCDSS.HICPU.C004.M008.NET.SSD.B050.G002';

describe('node spec: C10 products for a change', () => {
  it('is a POST with the OS code; the current product is selected, smaller ones are not offered, larger ones are', async () => {
    const { client, calls, runningCluster } = await start();
    const id = await runningCluster(); // manager C002.M008, brokers C004.M016
    const p = await client.nodeProductsForSpecChange(id, OS);
    expect(calls('getNodeProductListForSpecChange')).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/api/v1/cluster/getNodeProductListForSpecChange/${id}`,
        body: { softwareProductCode: OS },
      }),
    ]);
    const broker = new Map(p.brokerNodeProductList.map((x) => [x.productCode, x]));
    expect(broker.get(C004_M016)).toMatchObject({ isSelected: true, isChangeSpec: false, cpuCount: '4' });
    expect(broker.get(C002_M008)?.isChangeSpec).toBe(false);
    expect(broker.get(HICPU_C004_M008)?.isChangeSpec).toBe(false); // less memory: a downgrade
    expect(broker.get(C008_M032)).toMatchObject({ isChangeSpec: true, isSelected: false });
    expect(typeof broker.get(C008_M032)?.memorySize).toBe('number');
    const manager = new Map(p.managerNodeProductList.map((x) => [x.productCode, x]));
    expect(manager.get(C002_M008)?.isSelected).toBe(true);
    expect(manager.get(HICPU_C004_M008)?.isChangeSpec).toBe(true);
  });

  it("another OS code than the cluster's is a business error; a dropped read is retried", async () => {
    const { client, sim, calls, runningCluster } = await start();
    const id = await runningCluster();
    expect(await rejection(client.nodeProductsForSpecChange(id, 'SW.VCDSS.OS.OTHER'))).toBeInstanceOf(CdssBusinessError);
    sim.faults.set({ dropRate: 1, only: { paths: ['getNodeProductListForSpecChange'] }, times: 1 });
    expect((await client.nodeProductsForSpecChange(id, OS)).brokerNodeProductList.length).toBeGreaterThan(0);
    expect(calls('getNodeProductListForSpecChange').map((c) => c.status)).toEqual([400, null, 200]);
  });
});

describe('node spec: C9 change', () => {
  it('sends only the code given, goes changing, and C5 then reports the new broker product (manager unchanged)', async () => {
    const { client, sim, calls, runningCluster } = await start({ specChangeMs: 150 });
    const id = await runningCluster();
    await client.changeNodeSpec(id, { brokerNodeProductCode: C008_M032 });
    expect(calls('changeSpecNode')).toEqual([
      expect.objectContaining({ method: 'POST', path: `/api/v1/cluster/changeSpecNode/${id}`, body: { brokerNodeProductCode: C008_M032 } }),
    ]);
    expect((await client.getCluster(id))?.status).toBe('changing');
    // One mutation at a time (§6 #6).
    const busy = await rejection(client.changeNodeSpec(id, { managerNodeProductCode: C004_M016 }));
    expect((busy as CdssBusinessError).code).toBe(ERR.CLUSTER_NOT_RUNNING);
    await sim.waitFor(id, (c) => c.status === 'running', 5_000);
    expect(await client.getCluster(id)).toMatchObject({
      status: 'running',
      brokerNodeProductCode: C008_M032,
      managerNodeProductCode: C002_M008,
    });
    const now = await client.nodeProductsForSpecChange(id, OS);
    expect(now.brokerNodeProductList.find((x) => x.isSelected)?.productCode).toBe(C008_M032);
  });

  it('a downgrade is refused naming the allowed codes; not retried', async () => {
    const { client, calls, runningCluster } = await start();
    const id = await runningCluster();
    const err = await rejection(client.changeNodeSpec(id, { brokerNodeProductCode: C002_M008 }));
    expect(err).toBeInstanceOf(CdssBusinessError);
    const e = err as CdssBusinessError;
    expect(e.code).toBe(ERR.SPEC_CHANGE_NOT_ALLOWED);
    expect(e.cloudMessage).toContain('brokerNodeProductCode');
    expect(e.cloudMessage).toContain(C008_M032);
    expect(e.cloudMessage).not.toMatch(new RegExp(`allowed:.*${C002_M008.replaceAll('.', '\\.')}`));
    expect(calls('changeSpecNode')).toHaveLength(1);
  });

  it('no code at all is refused before sending', async () => {
    const { client, calls, runningCluster } = await start();
    const id = await runningCluster();
    const err = await rejection(client.changeNodeSpec(id, {}));
    expect(err).toBeInstanceOf(InvalidSpecError);
    expect(calls('changeSpecNode')).toHaveLength(0);
  });

  it('is never retried: one request under a 5xx, one under a dropped connection (outcome unknown)', async () => {
    const { client, sim, calls, runningCluster } = await start();
    const id = await runningCluster();
    sim.faults.set({ errorRate: 1, only: { paths: ['changeSpecNode'] } });
    expect(await rejection(client.changeNodeSpec(id, { brokerNodeProductCode: C008_M032 }))).toBeInstanceOf(TransientError);
    expect(calls('changeSpecNode')).toHaveLength(1);
    sim.faults.set({ dropRate: 1, only: { paths: ['changeSpecNode'] } });
    const dropped = await rejection(client.changeNodeSpec(id, { brokerNodeProductCode: C008_M032 }));
    expect(dropped).toBeInstanceOf(CloudRequestError);
    expect((dropped as CloudRequestError).outcomeUnknown).toBe(true);
    expect(calls('changeSpecNode')).toHaveLength(2);
  });
});
