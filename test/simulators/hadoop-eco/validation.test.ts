// Create-body validation (spec §2.1, §4, §5): each rule answers 400 with a Spring-style body whose
// message names the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HadoopEcoSimulator, SimulatorCredential } from '../../../src/simulators/hadoop-eco/index.ts';
import { API, b64, call, startSim, validBody } from './helpers.ts';

let sim: HadoopEcoSimulator;
let cred: SimulatorCredential;
beforeAll(async () => {
  ({ sim, cred } = await startSim());
});
afterAll(async () => {
  await sim.close();
});

const without = (key: string): Record<string, unknown> => {
  const b = validBody();
  delete b[key];
  return b;
};
const withConfig = (extra: Record<string, unknown>, base: Record<string, unknown> = { hdfsReplication: 2, hdfsBlockSize: 128 }) =>
  validBody({ config: { ...base, ...extra } });
const goodConfigText = b64(
  JSON.stringify({ configurations: [{ classification: 'core-site', properties: { 'io.file.buffer.size': '65536' } }] }),
);

const cases: Array<[string, Record<string, unknown>, RegExp]> = [
  // required top-level fields
  ...[
    'name',
    'clusterType',
    'clusterVersion',
    'isHa',
    'keypairName',
    'masterFlavorName',
    'masterVolumeSize',
    'workerCnt',
    'workerFlavorName',
    'workerVolumeSize',
    'monitoring',
    'vpcId',
    'subnetId',
    'config',
  ].map((k): [string, Record<string, unknown>, RegExp] => [`missing ${k}`, without(k), new RegExp(`(^|; )${k}: is required`)]),
  ['missing config.hdfsReplication', withConfig({}, { hdfsBlockSize: 128 }), /config\.hdfsReplication: is required/],
  ['missing config.hdfsBlockSize', withConfig({}, { hdfsReplication: 2 }), /config\.hdfsBlockSize: is required/],
  ['blank name', validBody({ name: '  ' }), /name: must not be blank/],
  ['bad clusterVersion', validBody({ clusterVersion: '2.0.1' }), /clusterVersion: must look like hde-X\.Y\.Z/],
  ['isHa as string', validBody({ isHa: 'true' }), /isHa: must be a boolean/],
  // integers
  ['fractional workerCnt', validBody({ workerCnt: 2.5 }), /workerCnt: must be an integer/],
  ['string masterVolumeSize', validBody({ masterVolumeSize: '50' }), /masterVolumeSize: must be an integer/],
  ['zero workerVolumeSize', validBody({ workerVolumeSize: 0 }), /workerVolumeSize: must be at least 1/],
  ['fractional hdfsBlockSize', withConfig({ hdfsBlockSize: 127.5 }), /config\.hdfsBlockSize: must be an integer/],
  // security groups: exactly one
  ['no security group', without('securityGroupName'), /securityGroupIds, securityGroupName: exactly one must be given \(got neither\)/],
  [
    'both security groups',
    validBody({ securityGroupIds: ['sg-1'] }),
    /securityGroupIds, securityGroupName: exactly one must be given \(got both\)/,
  ],
  ['empty securityGroupIds', { ...without('securityGroupName'), securityGroupIds: [] }, /securityGroupIds: must not be empty/],
  // replication
  [
    'workerCnt < hdfsReplication',
    validBody({ workerCnt: 2, config: { hdfsReplication: 3, hdfsBlockSize: 128 } }),
    /workerCnt: must be greater than or equal to config\.hdfsReplication/,
  ],
  ['hdfsReplication 0', withConfig({ hdfsReplication: 0 }), /config\.hdfsReplication: must be at least 1/],
  // userTask enums
  ['userTask.type', validBody({ userTask: { type: 'pig', terminationPolicy: 'never' } }), /userTask\.type: must be one of hive, spark/],
  [
    'userTask.terminationPolicy',
    validBody({ userTask: { type: 'hive', terminationPolicy: 'sometimes' } }),
    /userTask\.terminationPolicy: must be one of never, onSuccess, always/,
  ],
  ['userTask.terminationPolicy missing', validBody({ userTask: { type: 'hive' } }), /userTask\.terminationPolicy: is required/],
  [
    'userTask.deployMode',
    validBody({ userTask: { type: 'spark', terminationPolicy: 'always', deployMode: 'yarn' } }),
    /userTask\.deployMode: must be one of cluster, client/,
  ],
  // Redis db ids
  [
    'redis celery 16',
    validBody({ redisInfo: { objectId: 'r', dbIdSupersetCelery: 16 } }),
    /redisInfo\.dbIdSupersetCelery: must be between 0 and 15/,
  ],
  [
    'redis results -1',
    validBody({ redisInfo: { objectId: 'r', dbIdSupersetResults: -1 } }),
    /redisInfo\.dbIdSupersetResults: must be between 0 and 15/,
  ],
  // metastores
  [
    'hiveDbInfo and dataCatalogInfo',
    validBody({ hiveDbInfo: { objectId: 'm', dbName: 'd', userId: 'u', userPw: b64('x') }, dataCatalogInfo: { catalogId: 'c' } }),
    /hiveDbInfo, dataCatalogInfo: at most one Hive metastore/,
  ],
  [
    'hiveDbInfo and dataCatalog (seed spelling)',
    validBody({ hiveDbInfo: { objectId: 'm', dbName: 'd', userId: 'u', userPw: b64('x') }, dataCatalog: { catalogId: 'c' } }),
    /at most one Hive metastore/,
  ],
  [
    'dataCatalogInfo and dataCatalog disagree',
    validBody({ dataCatalogInfo: { catalogId: 'a' }, dataCatalog: { catalogId: 'b' } }),
    /dataCatalogInfo, dataCatalog: aliases/,
  ],
  [
    'configFileUrl and fileUrl disagree',
    withConfig({ configFileUrl: 'https://a', fileUrl: 'https://b' }),
    /config\.configFileUrl, config\.fileUrl: aliases/,
  ],
  ['hiveDbInfo.userPw missing', validBody({ hiveDbInfo: { objectId: 'm', dbName: 'd', userId: 'u' } }), /hiveDbInfo\.userPw: is required/],
  // Base64
  [
    'adminInfo.userPw not Base64',
    validBody({ adminInfo: { userId: 'admin', userPw: 'not base64!' } }),
    /adminInfo\.userPw: must be valid Base64/,
  ],
  [
    'hiveDbInfo.userPw not Base64',
    validBody({ hiveDbInfo: { objectId: 'm', dbName: 'd', userId: 'u', userPw: '<base_64_string>' } }),
    /hiveDbInfo\.userPw: must be valid Base64/,
  ],
  ['configText not Base64', withConfig({ configText: '{"configurations": []}' }), /config\.configText: must be valid Base64/],
  [
    'configText wrapped at 76 columns',
    withConfig({ configText: `${goodConfigText.slice(0, 76)}\n${goodConfigText.slice(76)}` }),
    /config\.configText: must be valid Base64/,
  ],
  [
    'configText not JSON',
    withConfig({ configText: b64('hello\n') }),
    /config\.configText: must be Base64 of a JSON document with a "configurations" array/,
  ],
  [
    'configText without configurations',
    withConfig({ configText: b64('{"core-site": {}}') }),
    /config\.configText: must be Base64 of a JSON document/,
  ],
  ['userScript not Base64', withConfig({ userScript: '#!/bin/bash\necho hi' }), /config\.userScript: must be valid Base64/],
];

describe('hadoop-eco simulator: create validation', () => {
  it.each(cases)('400 for %s', async (_label, body, message) => {
    const r = await call(sim, cred, 'POST', API, body);
    expect(r.status, r.text).toBe(400);
    expect(r.json).toMatchObject({ status: 400, error: 'Bad Request', path: API });
    expect(r.json.message).toMatch(message);
  });

  it('reports several problems at once', async () => {
    const b = validBody({ workerCnt: 'x', isHa: 1 });
    delete b['vpcId'];
    const r = await call(sim, cred, 'POST', API, b);
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/isHa: must be a boolean/);
    expect(r.json.message).toMatch(/workerCnt: must be an integer/);
    expect(r.json.message).toMatch(/vpcId: is required/);
  });

  it('accepts valid optional parts: Base64 configText/userScript/passwords, Redis 0–15, agreeing aliases, unknown fields', async () => {
    const r = await call(
      sim,
      cred,
      'POST',
      API,
      validBody({
        adminInfo: { userId: 'admin', userPw: b64('throwaway') },
        config: {
          hdfsReplication: 2,
          hdfsBlockSize: 128,
          configText: goodConfigText,
          userScript: b64('#!/bin/bash\necho hi\n'),
          configFileUrl: 'https://x/c.json',
          fileUrl: 'https://x/c.json',
        },
        redisInfo: { objectId: 'r', dbIdSupersetCelery: 15, dbIdSupersetResults: 0 },
        dataCatalogInfo: { catalogId: 'c' },
        dataCatalog: { catalogId: 'c' },
        userTask: { type: 'spark', terminationPolicy: 'never', deployMode: 'client' },
        someFutureField: { anything: true },
      }),
    );
    expect(r.status, r.text).toBe(200);
  });

  it('validates scale bodies', async () => {
    const created = await call(sim, cred, 'POST', API, validBody());
    const id = created.json.id;
    await sim.waitFor(id, (c) => c.status === 'Running');
    for (const body of [{}, { scaleCnt: 0 }, { scaleCnt: 1.5 }, { scaleCnt: '1' }]) {
      const r = await call(sim, cred, 'POST', `${API}/${id}/scale-out`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.message).toMatch(/^scaleCnt: /);
    }
  });
});
