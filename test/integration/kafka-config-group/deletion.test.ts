// Deleting a KafkaConfigGroup that a KafkaCluster uses: CDSS refuses to delete a group in use
// (§5.18 G8/G9), so the operator does not send the delete; the resource stays with its finalizer,
// Stalled DeletionBlocked naming the cluster, looked at again at the steady cadence (5 s here),
// and the cluster keeps running on it. Once the cluster is deleted, the group goes by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  condition,
  configGroupCalls,
  configGroupSpec,
  createConfigGroup,
  createKafka,
  deleteConfigGroup,
  eventually,
  findConfigGroup,
  getConfigGroup,
  kafkaSpec,
  ready,
  stalledBecause,
  startConfigGroupHarness,
  waitForConfigGroup,
  waitForKafka,
  KAFKA,
  type KafkaHarness,
} from '../../support/kafka.ts';

let h: KafkaHarness;
beforeAll(async () => {
  h = await startConfigGroupHarness('kcg-del');
});
afterAll(async () => {
  await h?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KafkaConfigGroup deletion while a cluster uses it', () => {
  it(
    'is blocked (no G9) naming the cluster, the cluster keeps running, and goes once the cluster is deleted',
    { timeout: 90_000 },
    async () => {
      await createConfigGroup(h, 'shared-cfg', configGroupSpec({ config: { 'num.partitions': 3 } }));
      const group = await waitForConfigGroup(h, 'shared-cfg', ready);
      const no = group.status.configGroupNo;
      await createKafka(h, 'user', kafkaSpec({ configGroupNo: undefined, configGroupRef: { name: 'shared-cfg' } }));
      const cluster = await waitForKafka(h, 'user', ready);
      const clusterId = cluster.status.clusterId;
      expect(cluster.status.configGroupNo).toBe(Number(no));
      // The group learns its user at its next steady look.
      await waitForConfigGroup(h, 'shared-cfg', (x) => x.status.usedBy?.some((u: any) => u.clusterName === 'user'), 15_000);

      await deleteConfigGroup(h, 'shared-cfg');
      const blocked = await waitForConfigGroup(h, 'shared-cfg', stalledBecause('DeletionBlocked'));
      expect(condition(blocked, 'Stalled').message).toContain(`user (${clusterId})`);
      expect(blocked.metadata.deletionTimestamp).toBeDefined();
      expect(blocked.metadata.finalizers).toContain('cdo.dev/finalizer');
      expect(blocked.status.phase).toBe('Deleting');
      // Past a steady re-check (5 s): still blocked, still never sent.
      const g3Before = configGroupCalls(h, 'getKafkaConfigGroup', no).length;
      await sleep(6000);
      expect(configGroupCalls(h, 'getKafkaConfigGroup', no).length).toBeGreaterThan(g3Before);
      expect(stalledBecause('DeletionBlocked')(await getConfigGroup(h, 'shared-cfg'))).toBe(true);
      expect(configGroupCalls(h, 'deleteConfigGroup')).toEqual([]);
      expect(h.sim.admin.configGroup(Number(no))).toBeDefined();
      // A group being deleted that the cluster already runs with does not disturb the cluster.
      const still = await waitForKafka(h, 'user', ready);
      expect(condition(still, 'Stalled')?.status).not.toBe('True');

      await h.kc.custom.deleteNamespacedCustomObject({ ...KAFKA, namespace: h.ns, name: 'user' });
      await eventually(async () => !(await h.kubectl('get', 'nkafka', '--no-headers')).includes('user '), 45_000);
      await eventually(async () => (await findConfigGroup(h, 'shared-cfg')) === undefined, 20_000);
      expect(configGroupCalls(h, 'deleteConfigGroup', no)).toHaveLength(1);
      expect(configGroupCalls(h, 'deleteConfigGroup')).toHaveLength(1);
      expect(h.sim.admin.configGroup(Number(no))).toBeUndefined();
    },
  );
});
