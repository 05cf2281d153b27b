// Rolling upgrade (spec §5.15) and config groups (§5.18): pre-check, upgrade to a later version
// with its config group → changing with per-broker progress → running on the new version; the
// seed's exact request on a cluster already on 2823006 → 10153 with the seed's message.
import { afterEach, describe, expect, it } from 'vitest';
import { ERR, UPGRADE_NOT_LATER_MESSAGE, type CdssSimulator } from '../../../src/simulators/cdss/index.ts';
import { call, KR, runningCluster, startSim, waitForStatus } from './helpers.ts';

let sim: CdssSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const UP = `${KR}/cluster`;

describe('cdss simulator: rolling upgrade', () => {
  it('pre-check, upgrade, per-broker progress, then running on the new version and config group', async () => {
    const s = await startSim({ upgradeMs: 900 });
    sim = s.sim;
    const id = await runningCluster(sim, s.cred, { kafkaVersionCode: '2823006', configGroupNo: 170 });
    const body = { serviceGroupInstanceNo: Number(id), upgradeKafkaVersionCode: 3713006, upgradeConfigGroupNo: 171 };
    const pre = await call(sim, s.cred, 'POST', `${UP}/rollingUpgradePreCheck`, body);
    expect(pre.status).toBe(200);
    expect(pre.json).toMatchObject({ code: 0, message: 'SUCCESS', result: true });
    expect(sim.cluster(id)?.status).toBe('running'); // the pre-check changes nothing

    const up = await call(sim, s.cred, 'POST', `${UP}/rollingUpgrade`, body);
    expect(up.json).toMatchObject({ code: 0, message: 'SUCCESS', result: true });
    const during = (await call(sim, s.cred, 'POST', `${UP}/getClusterInfoList/${id}`)).json.result;
    expect(during).toMatchObject({ status: 'changing', kafkaVersionCode: '2823006', configGroupNo: 170 });

    // Progress: brokers turn green one by one.
    const seen = new Set<number>();
    for (;;) {
      const p = await call(sim, s.cred, 'POST', `${UP}/rollingUpgradeProgressCheck`, { serviceGroupInstanceNo: id });
      expect(p.json.code).toBe(0);
      const r = p.json.result;
      expect(r.brokerNodeTotalNumber).toBe(3);
      expect(r.brokerStatusPerNode.every((n: any) => n.status === 'green' || n.status === 'yellow')).toBe(true);
      seen.add(r.brokerNumber);
      if (sim.cluster(id)?.status === 'running') break;
      expect(r.brokerStatus).toBe('orange');
      await new Promise((res) => setTimeout(res, 40));
    }
    expect([...seen].some((n) => n > 0 && n < 3)).toBe(true);
    await waitForStatus(sim, id, 'running');
    const after = (await call(sim, s.cred, 'POST', `${UP}/getClusterInfoList/${id}`)).json.result;
    expect(after).toMatchObject({ status: 'running', kafkaVersionCode: '3713006', configGroupNo: 171 });
    const health = (await call(sim, s.cred, 'GET', `${UP}/getClusterStatus/${id}`)).json.result;
    expect(health).toMatchObject({ brokerStatus: 'green', brokerNumber: 3 });
  });

  it("the seed's exact request to a cluster already on 2823006 → 10153 with the seed's message and result null", async () => {
    const s = await startSim();
    sim = s.sim;
    const id = await runningCluster(sim, s.cred, { kafkaVersionCode: 2823006, configGroupNo: 170 });
    const seedBody = `{
  "serviceGroupInstanceNo": ${id},
  "upgradeKafkaVersionCode": 2823006,
  "upgradeConfigGroupNo": 170
}`;
    const r = await call(sim, s.cred, 'POST', `${UP}/rollingUpgrade`, seedBody);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe(10153);
    expect(r.json.message).toBe('업데이트된 Kafka 버전은 현재 클러스터 버전보다 이후여야 합니다.');
    expect(r.json.message).toBe(UPGRADE_NOT_LATER_MESSAGE);
    expect(r.json.result).toBeNull();
    expect(Object.keys(r.json).sort()).toEqual(['code', 'message', 'requestId', 'result']);
    // The pre-check says the same.
    const pre = await call(sim, s.cred, 'POST', `${UP}/rollingUpgradePreCheck`, seedBody);
    expect(pre.json).toMatchObject({ code: 10153, message: UPGRADE_NOT_LATER_MESSAGE, result: null });
    expect(sim.cluster(id)?.status).toBe('running');
  });

  it('an older target is also 10153 (list order, not code parsing)', async () => {
    const s = await startSim({
      kafkaVersions: [
        { kafkaVersionCode: '9000001', kafkaVersionName: 'old', applicationVersionName: 'a', cmakVersionName: 'c' },
        { kafkaVersionCode: '1000002', kafkaVersionName: 'new', applicationVersionName: 'a', cmakVersionName: 'c' },
      ],
    });
    sim = s.sim;
    // Seeded groups: 170 → 9000001, 171 → 1000002.
    const id = await runningCluster(sim, s.cred, { kafkaVersionCode: '1000002', configGroupNo: 171 });
    const r = await call(sim, s.cred, 'POST', `${UP}/rollingUpgrade`, {
      serviceGroupInstanceNo: id,
      upgradeKafkaVersionCode: '9000001',
      upgradeConfigGroupNo: 170,
    });
    expect(r.json.code).toBe(10153);
    const id2 = await runningCluster(sim, s.cred, { kafkaVersionCode: '9000001', configGroupNo: 170 });
    const ok = await call(sim, s.cred, 'POST', `${UP}/rollingUpgrade`, {
      serviceGroupInstanceNo: id2,
      upgradeKafkaVersionCode: '1000002',
      upgradeConfigGroupNo: 171,
    });
    expect(ok.json.code).toBe(0);
  });

  it('a config group of another version → business error; pre-check says why with result null', async () => {
    const s = await startSim();
    sim = s.sim;
    const id = await runningCluster(sim, s.cred, { kafkaVersionCode: '2823006', configGroupNo: 170 });
    const body = { serviceGroupInstanceNo: id, upgradeKafkaVersionCode: 3903006, upgradeConfigGroupNo: 171 };
    for (const op of ['rollingUpgradePreCheck', 'rollingUpgrade']) {
      const r = await call(sim, s.cred, 'POST', `${UP}/${op}`, body);
      expect(r.json).toMatchObject({ code: ERR.CONFIG_GROUP_MISMATCH, result: null });
      expect(r.json.message).toMatch(/upgradeConfigGroupNo/);
    }
    expect((await call(sim, s.cred, 'POST', `${UP}/rollingUpgrade`, { ...body, upgradeKafkaVersionCode: 1234567 })).json.code).toBe(
      ERR.UNKNOWN_KAFKA_VERSION,
    );
    expect((await call(sim, s.cred, 'POST', `${UP}/rollingUpgrade`, { ...body, serviceGroupInstanceNo: 1 })).json.code).toBe(
      ERR.CLUSTER_NOT_FOUND,
    );
    expect((await call(sim, s.cred, 'POST', `${UP}/rollingUpgrade`, { serviceGroupInstanceNo: id })).json.message).toMatch(
      /upgradeKafkaVersionCode: is required/,
    );
    expect(sim.cluster(id)?.status).toBe('running');
  });

  it('an upgrade is refused while the cluster is changing', async () => {
    const s = await startSim({ upgradeMs: 2000 });
    sim = s.sim;
    const id = await runningCluster(sim, s.cred, { kafkaVersionCode: '2823006', configGroupNo: 170 });
    const body = { serviceGroupInstanceNo: id, upgradeKafkaVersionCode: 3713006, upgradeConfigGroupNo: 171 };
    expect((await call(sim, s.cred, 'POST', `${UP}/rollingUpgrade`, body)).json.code).toBe(0);
    expect(
      (await call(sim, s.cred, 'POST', `${UP}/rollingUpgrade`, { ...body, upgradeKafkaVersionCode: 3903006, upgradeConfigGroupNo: 172 }))
        .json.code,
    ).toBe(ERR.CLUSTER_NOT_RUNNING);
  });
});

describe('cdss simulator: config groups', () => {
  it('G1 lists the seeded group per version; G2 creates one usable for an upgrade; G3 reads it', async () => {
    const s = await startSim();
    sim = s.sim;
    const g1 = await call(sim, s.cred, 'POST', `${KR}/configGroup/getKafkaVersionConfigGroupList`, { kafkaVersionCode: 2823006 });
    expect(g1.json.result).toMatchObject({ currentPage: 1, isFirst: true, isLast: true, totalCount: 1, pageSize: 10 });
    expect(g1.json.result.kafkaConfigGroupList).toEqual([
      {
        configGroupNo: 170,
        configGroupName: expect.any(String),
        description: expect.any(String),
        kafkaVersion: '2.8.2',
        kafkaVersionCode: '2823006',
      },
    ]);
    const g2 = await call(sim, s.cred, 'POST', `${KR}/configGroup/createConfigGroup`, {
      configGroupName: 'my-kafka-39-config',
      kafkaVersionCode: '3903006',
      description: 'tuned',
    });
    expect(g2.json.code).toBe(0);
    const no = g2.json.result.configGroupNo;
    expect(no).toBe(173);
    const list = await call(sim, s.cred, 'POST', `${KR}/configGroup/getKafkaVersionConfigGroupList`, { kafkaVersionCode: '3903006' });
    expect(list.json.result.kafkaConfigGroupList.map((g: any) => g.configGroupNo)).toEqual([172, 173]);
    const g3 = await call(sim, s.cred, 'POST', `${KR}/configGroup/getKafkaConfigGroup/${no}`, { kafkaVersionCode: 3903006 });
    expect(g3.json.result).toMatchObject({
      configGroupNo: no,
      configGroupName: 'my-kafka-39-config',
      description: 'tuned',
      kafkaVersionCode: '3903006',
    });
    expect((await call(sim, s.cred, 'POST', `${KR}/configGroup/getKafkaConfigGroup/${no}`, { kafkaVersionCode: 2823006 })).json.code).toBe(
      ERR.CONFIG_GROUP_MISMATCH,
    );
    // Duplicate name for the same version; bad names.
    expect(
      (
        await call(sim, s.cred, 'POST', `${KR}/configGroup/createConfigGroup`, {
          configGroupName: 'my-kafka-39-config',
          kafkaVersionCode: '3903006',
        })
      ).json.code,
    ).toBe(ERR.DUPLICATE_CONFIG_GROUP_NAME);
    const bad = await call(sim, s.cred, 'POST', `${KR}/configGroup/createConfigGroup`, {
      configGroupName: 'x'.repeat(31),
      kafkaVersionCode: '3903006',
    });
    expect(bad.json.message).toMatch(/configGroupName: must be 3-30 characters/);
    expect((await call(sim, s.cred, 'POST', `${KR}/configGroup/getKafkaVersionConfigGroupList`, { kafkaVersionCode: 1 })).json.code).toBe(
      ERR.UNKNOWN_KAFKA_VERSION,
    );

    // Upgrade to 3.9.0 with the new group.
    const id = await runningCluster(sim, s.cred);
    expect(
      (
        await call(sim, s.cred, 'POST', `${KR}/cluster/rollingUpgrade`, {
          serviceGroupInstanceNo: id,
          upgradeKafkaVersionCode: 3903006,
          upgradeConfigGroupNo: no,
        })
      ).json.code,
    ).toBe(0);
    const done = await waitForStatus(sim, id, 'running');
    expect(done).toMatchObject({ kafkaVersionCode: '3903006', configGroupNo: no });
  });

  it('G7 applies a group of the same version (changing, then running with it)', async () => {
    const s = await startSim();
    sim = s.sim;
    const id = await runningCluster(sim, s.cred);
    const no = (
      await call(sim, s.cred, 'POST', `${KR}/configGroup/createConfigGroup`, { configGroupName: 'alt', kafkaVersionCode: 3713006 })
    ).json.result.configGroupNo;
    const r = await call(sim, s.cred, 'POST', `${KR}/configGroup/setClusterKafkaConfigGroup/${no}`, {
      kafkaVersionCode: 3713006,
      serviceGroupInstanceNo: id,
    });
    expect(r.json).toMatchObject({ code: 0, result: true });
    expect(sim.cluster(id)?.status).toBe('changing');
    expect((await waitForStatus(sim, id, 'running')).configGroupNo).toBe(no);
    expect(
      (
        await call(sim, s.cred, 'POST', `${KR}/configGroup/setClusterKafkaConfigGroup/170`, {
          kafkaVersionCode: 2823006,
          serviceGroupInstanceNo: id,
        })
      ).json.code,
    ).toBe(ERR.CONFIG_GROUP_MISMATCH);
  });
});
