// KafkaConfigGroup status from what CDSS reports (status.ts): the managed keys' values, the
// clusters using the group, and how long the settings last sent are remembered.
import { describe, expect, it } from 'vitest';
import { buildConfigGroupStatus } from '../../../../src/resources/kafka-config-group/status.ts';
import type { ConfigGroupObservation } from '../../../../src/resources/kafka-config-group/plan.ts';
import { done, wait, type Plan } from '../../../../src/resources/core/plan.ts';

const observed: ConfigGroupObservation = {
  status: 'present',
  kafkaVersionCode: '3713006',
  description: '',
  settings: {
    'log.retention.hours': { value: '48', custom: true, modifiable: true },
    'num.partitions': { value: '1', custom: false, modifiable: true },
  },
  managedKeys: ['log.retention.hours', 'no.such.key'],
  usedBy: [{ clusterName: 'events', clusterId: '3432149' }],
};

function status(plan: Plan<{ type: string }> = done('Running', 'Ready', 'ok'), previous = {}, applied?: Record<string, string>) {
  return buildConfigGroupStatus({
    previous,
    plan,
    generation: 2,
    clusterId: '5301',
    clusterName: 'cfg',
    observed,
    prep: undefined,
    applied: applied ? { appliedConfig: applied } : undefined,
    now: new Date('2026-12-01T00:00:00Z'),
  });
}

describe('KafkaConfigGroup status', () => {
  it('reports the number, the version, the managed keys CDSS knows and the clusters using the group', () => {
    const s = status();
    expect(s).toMatchObject({ configGroupNo: '5301', kafkaVersionCode: '3713006', config: { 'log.retention.hours': '48' } });
    expect(s.config).not.toHaveProperty('num.partitions');
    expect(s.usedBy).toEqual([{ clusterName: 'events', clusterId: '3432149' }]);
    expect(s.description).toBeUndefined();
  });

  it('remembers the settings just sent while CDSS has yet to report them', () => {
    const sent = { 'log.retention.hours': '24' };
    expect(status(wait('Running', 'Updating', 'x'), {}, sent).appliedConfig).toEqual(sent);
    expect(status(wait('Running', 'Updating', 'x'), { appliedConfig: sent }).appliedConfig).toEqual(sent);
  });

  it('forgets them once the group is Ready, so a value sent before a crash never later passes for one CDSS did not take', () => {
    expect(status(done('Running', 'Ready', 'ok'), { appliedConfig: { 'log.retention.hours': '24' } }).appliedConfig).toBeUndefined();
  });
});
