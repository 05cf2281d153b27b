// spec.configGroupRef → the group a KafkaCluster uses: when a referenced KafkaConfigGroup is
// usable, and what the cluster waits for until it is (config-group-ref.ts), and what the plan
// does meanwhile.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/runtime/object.ts';
import { configGroupRefNames, referencedGroup } from '../../../../src/resources/kafka/config-group-ref.ts';

const V = '3903006';

function group(o: { no?: string; version?: string; ready?: 'True' | 'False'; reason?: string; deleting?: boolean } = {}): KubeObject {
  return {
    apiVersion: 'ncloud.cdo.dev/v1alpha1',
    kind: 'KafkaConfigGroup',
    metadata: {
      name: 'orders-cfg',
      namespace: 'team-a',
      uid: 'u1',
      resourceVersion: '1',
      ...(o.deleting ? { deletionTimestamp: '2026-12-01T00:00:00Z' } : {}),
    },
    spec: { kafkaVersionCode: Number(o.version ?? V) },
    status: {
      ...(o.no !== undefined ? { configGroupNo: o.no } : {}),
      kafkaVersionCode: o.version ?? V,
      conditions: [
        {
          type: 'Ready',
          status: o.ready ?? 'True',
          reason: o.reason ?? 'Ready',
          message: 'm',
          lastTransitionTime: '2026-12-01T00:00:00Z',
        },
      ],
    },
  };
}

describe('a KafkaCluster’s configGroupRef', () => {
  it('a Ready group for the version the cluster needs gives its number and version', () => {
    expect(referencedGroup(group({ no: '5301' }), 'orders-cfg', V, undefined)).toEqual({ configGroupNo: 5301, madeFor: V });
  });

  it('no such KafkaConfigGroup: the cluster waits, naming it', () => {
    expect(referencedGroup(undefined, 'orders-cfg', V, undefined)).toEqual({
      pending: 'KafkaConfigGroup orders-cfg does not exist in this namespace',
    });
  });

  it('a group without a number yet, or not Ready: waits with the group’s own reason', () => {
    expect(referencedGroup(group(), 'orders-cfg', V, undefined)).toMatchObject({
      pending: expect.stringContaining('to be Ready (Ready: m)'),
    });
    const r = referencedGroup(group({ no: '5301', ready: 'False', reason: 'SettingNotApplied' }), 'orders-cfg', V, undefined);
    expect(r).toEqual({ pending: 'waiting for KafkaConfigGroup orders-cfg to be Ready (SettingNotApplied: m)' });
  });

  it('a group made for another version: waits, saying which version the cluster needs', () => {
    const r = referencedGroup(group({ no: '5301', version: '2823006' }), 'orders-cfg', V, undefined);
    expect(r).toMatchObject({ pending: expect.stringContaining('made for Kafka version 2823006, and this cluster needs one for 3903006') });
  });

  it('the group the cluster already runs with stays usable even when it is not Ready (its settings change stalled)', () => {
    const r = referencedGroup(group({ no: '5301', ready: 'False', version: '2823006' }), 'orders-cfg', V, 5301);
    expect(r).toEqual({ configGroupNo: 5301, madeFor: '2823006' });
  });

  it('a group being deleted is never taken up', () => {
    expect(referencedGroup(group({ no: '5301', deleting: true }), 'orders-cfg', V, 17)).toEqual({
      pending: 'KafkaConfigGroup orders-cfg is being deleted',
    });
  });
});

describe('a referenced group’s version and reasons, however little status it has', () => {
  it('the version comes from the group’s spec when its status has none yet', () => {
    const o = group({ no: '5301' });
    delete (o['status'] as Record<string, unknown>)['kafkaVersionCode'];
    expect(referencedGroup(o, 'orders-cfg', V, undefined)).toEqual({ configGroupNo: 5301, madeFor: V });
    (o['spec'] as Record<string, unknown>)['kafkaVersionCode'] = 2823006;
    expect(referencedGroup(o, 'orders-cfg', V, undefined)).toMatchObject({
      pending: expect.stringContaining('made for Kafka version 2823006'),
    });
  });

  it('no conditions yet, or a reason without a message', () => {
    const bare = group({ no: '5301' });
    delete (bare['status'] as Record<string, unknown>)['conditions'];
    expect(referencedGroup(bare, 'orders-cfg', V, undefined)).toEqual({ pending: 'waiting for KafkaConfigGroup orders-cfg to be Ready' });
    const terse = group({ ready: 'False', reason: 'Creating' });
    (terse['status'] as { conditions: Array<Record<string, unknown>> }).conditions[0]!['message'] = '';
    expect(referencedGroup(terse, 'orders-cfg', V, undefined)).toEqual({
      pending: 'waiting for KafkaConfigGroup orders-cfg to be Ready (Creating)',
    });
  });

  it('the whole message for another version', () => {
    expect(referencedGroup(group({ no: '5301', version: '2823006' }), 'orders-cfg', V, undefined)).toEqual({
      pending:
        'KafkaConfigGroup orders-cfg is made for Kafka version 2823006, and this cluster needs one for 3903006: ' +
        'point configGroupRef at a KafkaConfigGroup with kafkaVersionCode 3903006',
    });
  });

  it('configGroupRefNames: the name a spec references, or none', () => {
    expect(configGroupRefNames({ configGroupRef: { name: 'orders-cfg' } })).toEqual(['orders-cfg']);
    expect(configGroupRefNames({ configGroupNo: 171 })).toEqual([]);
    expect(configGroupRefNames({ configGroupRef: { name: 7 } })).toEqual([]);
    expect(configGroupRefNames(undefined)).toEqual([]);
  });
});
