// leader_election_master_status says who reconciles, also without election: a single replica run
// with CDO_LEADER_ELECT=false reports 1, so the NoLeader alert and the dashboard's leader panel do
// not read its missing series as "nobody leads". With election, nothing is 1 before a Lease is won.
import { describe, expect, it } from 'vitest';
import { NO_ELECTION } from '../../../src/runtime/manager.ts';
import { offlineManagerMetrics } from '../../support/metric-names.ts';

const leaderSeries = async (env: Record<string, string>) =>
  (await offlineManagerMetrics(env)).find((m) => m.name === 'leader_election_master_status')!.values;

describe('leader_election_master_status', () => {
  it('is 1 when leader election is off: this process is the one that reconciles', async () => {
    expect(await leaderSeries({ CDO_LEADER_ELECT: 'false' })).toEqual([{ labels: { name: NO_ELECTION }, value: 1 }]);
  });

  it('is not 1 for anyone with election on, before the Lease is won', async () => {
    expect((await leaderSeries({ CDO_LEADER_ELECT: 'true' })).filter((v) => v.value === 1)).toEqual([]);
  });
});
