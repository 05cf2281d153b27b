// Readable status for HadoopEcoCluster on the real control plane: the Reason column, the -o wide
// columns, and `kubectl explain` for the objects that had no description (spec, hdfs,
// hiveMetastore, redis, userScript, the conditions) and for apiKeyStatus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phaseViolations } from '../../../src/resources/core/phases.ts';
import { condition, createHec, hecSpec, startHarness, waitForHec, type Harness } from '../../support/hadoop-eco.ts';
import { eventually } from '../../support/operator-process.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('hec-status');
});
afterAll(async () => {
  await h?.stop();
});

const ready = (o: any) => o.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True';

describe('HadoopEcoCluster in kubectl', () => {
  it('shows Reason by default, and the cluster id, last transition and message with -o wide', async () => {
    await createHec(h, 'shown', hecSpec());
    const creating = await waitForHec(h, 'shown', (o) => o.status?.phase === 'Creating');
    expect(phaseViolations(creating.status)).toEqual([]);
    const header = (await h.kubectl('get', 'hec', 'shown')).split('\n')[0]!;
    expect(header).toMatch(/WORKERS\s+PHASE\s+READY\s+REASON\s+PENDING\s+NEXT WINDOW\s+URL\s+AGE$/);
    const o = await waitForHec(h, 'shown', ready);
    const wide = (await h.kubectl('get', 'hec', 'shown', '-o', 'wide')).split('\n');
    expect(wide[0]).toMatch(/PHASE\s+READY\s+REASON\s+PENDING\s+NEXT WINDOW\s+HELD\s+URL\s+CLUSTER ID\s+LAST TRANSITION\s+AGE\s+MESSAGE$/);
    expect(wide[1]).toMatch(/Running\s+True\s+Running\s/);
    expect(wide[1]).toContain(o.status.clusterId);
    expect(wide[1]).toContain(condition(o, 'Ready').message);
  });

  it('kubectl explain describes spec, its nested objects, the conditions and apiKeyStatus', async () => {
    const explain = (path: string) =>
      eventually(async () => (await h.kubectl('explain', path).catch(() => undefined)) || undefined, 30_000);
    expect(await explain('hadoopecoclusters.spec')).toMatch(/DESCRIPTION:\s+The Hadoop Eco cluster this resource asks for/);
    expect(await explain('hadoopecoclusters.spec.hdfs')).toMatch(/HDFS settings/);
    expect(await explain('hadoopecoclusters.spec.hiveMetastore')).toMatch(/external Hive metastore/);
    expect(await explain('hadoopecoclusters.spec.redis')).toMatch(/KakaoCloud Redis/);
    expect(await explain('hadoopecoclusters.spec.userScript')).toMatch(/bootstrap script/);
    expect(await explain('hadoopecoclusters.status.conditions.lastTransitionTime')).toMatch(/When status last changed/);
    expect(await explain('hadoopecoclusters.status.apiKeyStatus')).toMatch(/impossible:[\s\S]*possible:[\s\S]*applied:/);
  });
});
