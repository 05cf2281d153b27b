// What the Hadoop Eco GET answer echoes back, compared with the spec (hadoopEcoVerify in
// resources/hadoop-eco/adapter.ts): a field the answer leaves out is not compared, and a
// configFileUrl the cloud dropped is reported.
import { describe, expect, it } from 'vitest';
import { ClusterDetailSchema } from '../../../../src/clouds/kakaocloud/types.ts';
import { hadoopEcoVerify } from '../../../../src/resources/hadoop-eco/adapter.ts';
import { hadoopEcoSpecSchema } from '../../../../src/resources/hadoop-eco/schema.ts';
import { differences } from '../../../../src/resources/core/verify.ts';

const spec = (over: Record<string, unknown> = {}) =>
  hadoopEcoSpecSchema.parse({
    region: 'kr-central-2',
    clusterType: 'hadoop',
    clusterVersion: 'hde-2.0.1',
    keyPairName: 'kp',
    master: { flavorName: 'm2a.xlarge', volumeSize: 50 },
    worker: { flavorName: 'm2a.xlarge', volumeSize: 100 },
    workerCount: 2,
    vpcId: 'vpc-1',
    subnetId: 'subnet-1',
    securityGroupName: 'sg',
    hdfs: { replication: 2, blockSizeMB: 128 },
    ...over,
  });
const observed = (over: Record<string, unknown> = {}) => ({
  detail: ClusterDetailSchema.parse({ id: 'c-1', name: 'alpha', status: 'Running', ...over }),
  vms: undefined,
});

describe('hadoopEcoVerify', () => {
  it('names the node groups and HDFS settings the cloud reports differently', () => {
    const diffs = differences(
      hadoopEcoVerify,
      spec(),
      observed({
        masterInfo: [{ flavorName: 'm2a.xlarge', volumeSize: 50 }],
        workerInfo: [{ flavorName: 'm2a.2xlarge', volumeSize: 200 }],
        config: { hdfsReplication: 3, hdfsBlockSize: 128 },
      }),
    );
    expect(diffs.map((d) => d.field)).toEqual(['worker.flavorName', 'worker.volumeSize', 'hdfs.replication']);
  });

  const silent: Array<[string, Record<string, unknown>]> = [
    ['no node groups and no config at all', {}],
    ['node groups and config reported as null', { masterInfo: null, workerInfo: null, config: null }],
    ['empty node groups', { masterInfo: [], workerInfo: [] }],
  ];
  it.each(silent)('an answer with %s compares nothing and reports no difference', (_why, over) => {
    expect(differences(hadoopEcoVerify, spec({ configFileUrl: 'https://objectstorage.example/conf.json' }), observed(over))).toEqual([]);
  });

  it('a configFileUrl the cloud did not keep is a difference that says the cloud has none', () => {
    const [diff, ...rest] = differences(
      hadoopEcoVerify,
      spec({ configFileUrl: 'https://objectstorage.example/conf.json' }),
      observed({ config: { hdfsReplication: 2, hdfsBlockSize: 128 } }),
    );
    expect(rest).toEqual([]);
    expect(diff).toMatchObject({ field: 'configFileUrl', spec: 'https://objectstorage.example/conf.json' });
    expect(diff!.cloud).not.toBe(''); // the SpecApplied message reads "cloud (none)", not "cloud "
  });
});
