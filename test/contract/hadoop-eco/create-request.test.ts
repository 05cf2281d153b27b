// Contract: for each of the seed's three create examples, the body the operator builds from the
// matching sample resource equals the seed's body field for field. Base64 fields are compared
// decoded; the seed's password placeholders stand for "the Secret's value, Base64-encoded".
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hadoopEcoSpecSchema } from '../../../src/resources/hadoop-eco/schema.ts';
import { buildCreateRequest } from '../../../src/resources/hadoop-eco/request.ts';
import { CreateClusterRequestSchema } from '../../../src/clouds/kakaocloud/types.ts';
import { exampleSecrets, loadExample } from '../../support/examples.ts';

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

/** Turns a create body into a comparable form: Base64 decoded, seed spelling resolved. */
function comparable(body: any, passwords: { admin?: string; mysql?: string }): any {
  const out = structuredClone(body);
  if (out.dataCatalog) {
    // spec §5 #2: the seed's example 1 says `dataCatalog`; we send `dataCatalogInfo`.
    out.dataCatalogInfo = out.dataCatalog;
    delete out.dataCatalog;
  }
  if (out.config?.configText) out.config.configText = JSON.parse(decode(out.config.configText));
  if (out.config?.userScript) out.config.userScript = decode(out.config.userScript);
  if (out.adminInfo?.userPw)
    out.adminInfo.userPw = out.adminInfo.userPw === '<base_64_string>' ? passwords.admin : decode(out.adminInfo.userPw);
  if (out.hiveDbInfo?.userPw)
    out.hiveDbInfo.userPw = out.hiveDbInfo.userPw === '<base_64_string>' ? passwords.mysql : decode(out.hiveDbInfo.userPw);
  return out;
}

const cases = [
  { seed: 1, example: 'hadoop-eco/01-hive-job-cluster.yaml' },
  { seed: 2, example: 'hadoop-eco/02-spark-job-cluster.yaml' },
  { seed: 3, example: 'hadoop-eco/03-test-cluster.yaml' },
];

describe('HadoopEcoCluster → create request (seed examples)', () => {
  for (const { seed, example } of cases) {
    it(`matches the seed's create example ${seed}`, async () => {
      const [resource] = await loadExample(example);
      const secrets = await exampleSecrets('hadoop-eco');
      const passwords = { admin: secrets['hue-admin']!['password'], mysql: secrets['hive-metastore-mysql']!['password'] };
      const spec = hadoopEcoSpecSchema.parse(resource.spec);
      const body = buildCreateRequest(spec, resource.metadata.name, { adminPassword: passwords.admin, mysqlPassword: passwords.mysql });
      expect(CreateClusterRequestSchema.safeParse(body).success).toBe(true);
      const expected = JSON.parse(await readFile(new URL(`../../fixtures/hadoop-eco/seed-create-${seed}.json`, import.meta.url), 'utf8'));
      expect(comparable(body, passwords)).toEqual(comparable(expected, passwords));
    });
  }

  it('encodes configurations exactly as the seed does (byte-identical configText)', async () => {
    const [resource] = await loadExample('hadoop-eco/01-hive-job-cluster.yaml');
    const body = buildCreateRequest(hadoopEcoSpecSchema.parse(resource.spec), 'x', { adminPassword: 'p' });
    const seed = JSON.parse(await readFile(new URL('../../fixtures/hadoop-eco/seed-create-1.json', import.meta.url), 'utf8'));
    expect(body.config.configText).toBe(seed.config.configText);
  });

  it('encodes passwords without a trailing newline', () => {
    const spec = hadoopEcoSpecSchema.parse({
      clusterType: 'hadoop',
      clusterVersion: 'hde-2.0.1',
      keyPairName: 'k',
      master: { flavorName: 'f', volumeSize: 50 },
      worker: { flavorName: 'f', volumeSize: 100 },
      workerCount: 1,
      vpcId: 'v',
      subnetId: 's',
      securityGroupName: 'g',
      hdfs: { replication: 1, blockSizeMB: 128 },
      adminAccount: { passwordSecretRef: { name: 'a', key: 'b' } },
    });
    expect(buildCreateRequest(spec, 'n', { adminPassword: 'hello' }).adminInfo?.userPw).toBe('aGVsbG8=');
  });
});
