// Every documented create limit (spec §5.2, §5.3) and the lenient number parsing of §6 #3.
// Failures are business errors (code 10001, result null) naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERR, type CdssSimulator, type SimulatorCredential } from '../../../src/simulators/cdss/index.ts';
import { call, fakePassword, KR, startSim, validBody } from './helpers.ts';

let sim: CdssSimulator;
let cred: SimulatorCredential;
beforeAll(async () => {
  ({ sim, cred } = await startSim({ provisionMs: 60_000 }));
});
afterAll(async () => {
  await sim.close();
});

const CREATE = `${KR}/cluster/createCDSSClusterReturnServiceGroupInstanceNo`;
const create = (body: unknown) => call(sim, cred, 'POST', CREATE, body);

async function rejects(overrides: Record<string, unknown>, field: string, pattern?: RegExp) {
  const r = await create(validBody(overrides));
  expect(r.status, JSON.stringify(overrides)).toBe(400);
  expect(r.json, JSON.stringify(overrides)).toMatchObject({ code: expect.any(Number), result: null });
  expect(r.json.message, JSON.stringify(overrides)).toContain(`${field}:`);
  if (pattern) expect(r.json.message).toMatch(pattern);
  return r.json;
}

async function accepts(overrides: Record<string, unknown>) {
  const r = await create(validBody(overrides));
  expect(r.json.code, `${JSON.stringify(overrides)} → ${r.text}`).toBe(0);
}

describe('cdss simulator: create validation', () => {
  it('clusterName: 3-15, lowercase letter first, single hyphens, ends alphanumeric', async () => {
    for (const bad of ['ab', 'a'.repeat(16), '1abc', 'Abc', 'ab--cd', 'abc-', 'ab_cd', 'ab cd']) {
      expect((await rejects({ clusterName: bad }, 'clusterName')).code).toBe(ERR.INVALID_PARAMETER);
    }
    for (const good of ['abc', 'a'.repeat(15), 'a-b-c', 'k8s-2']) await accepts({ clusterName: good });
  });

  it('kafkaManagerUserName: same rules', async () => {
    for (const bad of ['ad', '9admin', 'ad--min', 'admin-', 'Admin']) await rejects({ kafkaManagerUserName: bad }, 'kafkaManagerUserName');
  });

  it('kafkaManagerUserPassword: 8-20, letters + digits + special, forbidden characters', async () => {
    const tooShort = ['Ab1!', 'x'].join('');
    await rejects({ kafkaManagerUserPassword: tooShort }, 'kafkaManagerUserPassword', /8-20/);
    await rejects({ kafkaManagerUserPassword: `Ab1!${'x'.repeat(17)}` }, 'kafkaManagerUserPassword', /8-20/);
    await rejects({ kafkaManagerUserPassword: 'abcdefgh1' }, 'kafkaManagerUserPassword', /combine/);
    await rejects({ kafkaManagerUserPassword: 'abcdefgh!' }, 'kafkaManagerUserPassword', /combine/);
    await rejects({ kafkaManagerUserPassword: '12345678!' }, 'kafkaManagerUserPassword', /combine/);
    for (const ch of ["'", '"', '`', '₩', '/', '&', ' ', '\t']) {
      await rejects({ kafkaManagerUserPassword: `Fake1${ch}pw9x` }, 'kafkaManagerUserPassword', /must not contain/);
    }
    await accepts({ kafkaManagerUserPassword: fakePassword() });
  });

  it('brokerNodeCount 3-10 and brokerNodeStorageSize 100-2000 in steps of 10', async () => {
    for (const n of [2, 11, 0]) await rejects({ brokerNodeCount: n }, 'brokerNodeCount', /between 3 and 10/);
    for (const n of [90, 2010, 105]) await rejects({ brokerNodeStorageSize: n }, 'brokerNodeStorageSize');
    await rejects({ brokerNodeStorageSize: 155 }, 'brokerNodeStorageSize', /multiple of 10/);
    await accepts({ brokerNodeCount: 10, brokerNodeStorageSize: 2000 });
  });

  it('numbers may be numeric strings (§6 #3); other strings and fractions are refused', async () => {
    await accepts({ brokerNodeCount: '4', brokerNodeStorageSize: '300', vpcNo: '1001', configGroupNo: '171', kafkaVersionCode: '3713006' });
    await rejects({ brokerNodeCount: 'four' }, 'brokerNodeCount', /integer/);
    await rejects({ vpcNo: 1.5 }, 'vpcNo');
    await rejects({ kafkaVersionCode: true }, 'kafkaVersionCode');
  });

  it('required fields are named when missing', async () => {
    for (const field of [
      'clusterName',
      'kafkaVersionCode',
      'configGroupNo',
      'kafkaManagerUserName',
      'kafkaManagerUserPassword',
      'softwareProductCode',
      'vpcNo',
      'managerNodeSubnetNo',
      'managerNodeProductCode',
      'brokerNodeSubnetNo',
      'brokerNodeCount',
      'brokerNodeProductCode',
      'brokerNodeStorageSize',
    ]) {
      const body = validBody();
      delete body[field];
      const r = await create(body);
      expect(r.json.code, field).toBe(ERR.INVALID_PARAMETER);
      expect(r.json.message, field).toContain(`${field}: is required`);
    }
    await rejects({ softwareProductCode: '  ' }, 'softwareProductCode', /blank/);
  });

  it('several problems are reported together', async () => {
    const r = await create(validBody({ clusterName: 'X', brokerNodeCount: 1 }));
    expect(r.json.message).toMatch(/clusterName: .*; brokerNodeCount: /);
  });

  it('kafkaVersionCode must be known and configGroupNo must belong to it', async () => {
    expect((await rejects({ kafkaVersionCode: '1234567' }, 'kafkaVersionCode')).code).toBe(ERR.UNKNOWN_KAFKA_VERSION);
    const wrong = await rejects({ kafkaVersionCode: '3713006', configGroupNo: 170 }, 'configGroupNo', /2823006/);
    expect(wrong.code).toBe(ERR.CONFIG_GROUP_MISMATCH);
    expect((await rejects({ configGroupNo: 99999 }, 'configGroupNo', /does not exist/)).code).toBe(ERR.CONFIG_GROUP_MISMATCH);
  });

  it('body problems: not JSON, not an object', async () => {
    const r = await call(sim, cred, 'POST', CREATE, '{nope');
    expect(r.json).toMatchObject({ code: ERR.INVALID_PARAMETER, result: null });
    expect(r.json.message).toMatch(/JSON/);
    expect((await call(sim, cred, 'POST', CREATE, '[1]')).json.message).toMatch(/JSON object/);
  });

  it('C3 (G3) checks the dataNode* limits and its extra required fields', async () => {
    const g3 = {
      ...validBody(),
      hypervisorCode: 'KVM',
      generationCode: 'G3',
      vpcName: 'v',
      managerNodeSubnetName: 'm',
      dataNodeSubnetName: 'd',
      dataNodeSubnetNo: 1,
      dataNodeCount: 11,
      dataNodeStorageSize: 95,
    };
    const r = await call(sim, cred, 'POST', `${KR}/cluster/createKvmCluster`, g3);
    expect(r.json.code).toBe(ERR.INVALID_PARAMETER);
    expect(r.json.message).toMatch(/dataNodeCount: must be between 3 and 10/);
    expect(r.json.message).toMatch(/dataNodeStorageSize: /);
    const { hypervisorCode: _h, ...noHypervisor } = { ...g3, dataNodeCount: 3, dataNodeStorageSize: 100 };
    expect((await call(sim, cred, 'POST', `${KR}/cluster/createKvmCluster`, noHypervisor)).json.message).toMatch(
      /hypervisorCode: is required/,
    );
  });

  it('C8 newBrokerNodeCount must be 1-10', async () => {
    const id = String((await create(validBody())).json.result.serviceGroupInstanceNo);
    for (const n of [0, 11, 'x']) {
      const r = await call(sim, cred, 'POST', `${KR}/cluster/changeCountOfBrokerNode/${id}`, { newBrokerNodeCount: n });
      expect(r.json.code).toBe(ERR.INVALID_PARAMETER);
      expect(r.json.message).toMatch(/newBrokerNodeCount/);
    }
  });
});
