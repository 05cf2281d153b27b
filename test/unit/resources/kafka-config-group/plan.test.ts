// The KafkaConfigGroup table as a specification (spec ncloud-cdss-api.md §5.18): what a group
// asks × what CDSS reports × the resource's flags → the one call to make now, with the phase,
// the kstatus state and how soon to look again. Identity and deletion are the core's shared
// decisions; the cases here pin how this kind speaks them (its words, its blocked deletion).
import { describe, expect, it } from 'vitest';
import { configGroupWords, configGroupSpecSchema, type KafkaConfigGroupSpec } from '../../../../src/resources/kafka-config-group/schema.ts';
import {
  plan,
  wantedConfig,
  type ConfigGroupObservation,
  type ObservedSetting,
  type PlanInput,
} from '../../../../src/resources/kafka-config-group/plan.ts';
import { buildCreateRequest, buildSetValues } from '../../../../src/resources/kafka-config-group/request.ts';

const NO = '5301';
const VERSION = 3903006;

function spec(over: Record<string, unknown> = {}): KafkaConfigGroupSpec {
  return configGroupSpecSchema.parse({ kafkaVersionCode: VERSION, config: { 'log.retention.hours': 72 }, ...over });
}

const setting = (value: string | null, o: Partial<ObservedSetting> = {}): ObservedSetting => ({
  value,
  custom: true,
  modifiable: true,
  ...o,
});

function observed(over: Partial<ConfigGroupObservation> = {}): ConfigGroupObservation {
  return {
    status: 'present',
    kafkaVersionCode: String(VERSION),
    description: '',
    settings: {
      'log.retention.hours': setting('72'),
      'num.partitions': setting('3', { custom: false }),
      'broker.id.generation.enable': setting('true', { custom: false, modifiable: false }),
    },
    managedKeys: ['log.retention.hours'],
    usedBy: [],
    ...over,
  };
}

/** A plan's decision without its list of pending changes (changes.test.ts covers those). */
function decision(p: ReturnType<typeof plan>): Omit<ReturnType<typeof plan>, 'changes'> {
  const { changes: _changes, ...rest } = p;
  return rest;
}

function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    spec: spec(),
    clusterName: 'orders-cfg',
    words: configGroupWords,
    deleting: false,
    paused: false,
    clusterId: NO,
    createRequested: true,
    observed: observed(),
    deleteSent: false,
    appliedConfig: undefined,
    ...over,
  };
}

describe('KafkaConfigGroup plan: a group CDSS reports', () => {
  it('matching the spec is Ready and looked at again at the steady cadence', () => {
    const p = plan(input());
    expect(p.action).toEqual({ type: 'Done' });
    expect(p.state).toMatchObject({ state: 'ready', reason: 'Ready' });
    expect(p.state.message).toContain('used by 0 clusters');
    expect(p.cadence).toBe('steady');
  });

  it('a changed setting is sent together with every value the group already sets, so G5 resets none of them (§5.18 [3P])', () => {
    const p = plan(
      input({
        spec: spec({ config: { 'log.retention.hours': 24 } }),
        observed: observed({ settings: { 'log.retention.hours': setting('72'), 'log.segment.bytes': setting('1048576') } }),
      }),
    );
    expect(p.action).toEqual({ type: 'SetConfig', values: { 'log.retention.hours': '24', 'log.segment.bytes': '1048576' } });
    expect(p.state).toMatchObject({ state: 'reconciling', reason: 'Updating' });
    expect(p.cadence).toBe('busy');
  });

  it('a setting the group inherits (the default) is not resent when another changes', () => {
    const p = plan(input({ spec: spec({ config: { 'log.retention.hours': 24 } }) }));
    expect(p.action).toEqual({ type: 'SetConfig', values: { 'log.retention.hours': '24' } });
  });

  it('a key CDSS does not list is still sent: CDSS refuses it in its own words (the refusal stalls)', () => {
    const p = plan(input({ spec: spec({ config: { 'log.retention.hours': 72, 'no.such.key': 'x' } }) }));
    expect(p.action).toEqual({ type: 'SetConfig', values: { 'log.retention.hours': '72', 'no.such.key': 'x' } });
  });

  it('booleans and numbers compare as CDSS reports them, as strings', () => {
    expect(wantedConfig(spec({ config: { a: true, b: 3, c: 'x' } }))).toEqual({ a: 'true', b: '3', c: 'x' });
    const p = plan(input({ spec: spec({ config: { 'num.partitions': 3 } }) }));
    expect(p.action).toEqual({ type: 'Done' });
  });

  it('a setting CDSS does not let anyone change stalls, naming it, instead of sending a value CDSS would discard', () => {
    const p = plan(input({ spec: spec({ config: { 'broker.id.generation.enable': false } }) }));
    expect(p.action).toEqual({ type: 'Stall' });
    expect(p.state).toMatchObject({ state: 'stalled', reason: 'SettingNotModifiable' });
    expect(p.state.message).toContain('broker.id.generation.enable');
    expect(p.cadence).toBe('never');
  });

  it('a value sent before that CDSS still does not report stalls instead of sending it again (no loop)', () => {
    const p = plan(input({ spec: spec({ config: { 'log.retention.hours': 24 } }), appliedConfig: { 'log.retention.hours': '24' } }));
    expect(p.action).toEqual({ type: 'Stall' });
    expect(p.state).toMatchObject({ reason: 'SettingNotApplied' });
    expect(p.state.message).toContain('log.retention.hours=24 (reports 72)');
  });

  it('a value sent before for an older spec is sent again when the spec asks another', () => {
    const p = plan(input({ spec: spec({ config: { 'log.retention.hours': 24 } }), appliedConfig: { 'log.retention.hours': '48' } }));
    expect(p.action).toMatchObject({ type: 'SetConfig' });
  });

  it('a new description is set first (one call per pass), then the settings', () => {
    const p = plan(input({ spec: spec({ description: 'orders', config: { 'log.retention.hours': 24 } }) }));
    expect(p.action).toEqual({ type: 'SetDescription', description: 'orders' });
  });

  it('no description in the spec leaves the cloud one alone', () => {
    expect(plan(input({ observed: observed({ description: 'set in the console' }) })).action).toEqual({ type: 'Done' });
  });

  it('a group CDSS made for another version (adopted by number) stalls as VersionMismatch', () => {
    const p = plan(input({ observed: observed({ kafkaVersionCode: '2823006' }) }));
    expect(p.state).toMatchObject({ state: 'stalled', reason: 'VersionMismatch' });
    expect(p.state.message).toContain('2823006');
  });

  it('ObserveOnly reports a difference as Drifted and changes nothing', () => {
    const p = plan(input({ spec: spec({ managementPolicy: 'ObserveOnly', config: { 'log.retention.hours': 24 } }) }));
    expect(p.action).toEqual({ type: 'Done' });
    expect(p.state).toMatchObject({ state: 'reconciling', reason: 'Drifted' });
    expect(p.state.message).toContain('log.retention.hours: spec 24, CDSS 72');
  });
});

describe('KafkaConfigGroup plan: identity and deletion in its own words', () => {
  it('no number yet: creates the config group', () => {
    const p = plan(input({ clusterId: undefined, createRequested: false, observed: undefined }));
    expect(p.action).toEqual({ type: 'Create' });
    expect(p.state.message).toBe('creating config group orders-cfg');
  });

  it('ObserveOnly without a number names spec.configGroupNo', () => {
    const p = plan(input({ spec: spec({ managementPolicy: 'ObserveOnly' }), clusterId: undefined, observed: undefined }));
    expect(p.state).toMatchObject({ state: 'stalled', reason: 'ClusterIdRequired' });
    expect(p.state.message).toContain('spec.configGroupNo');
    expect(p.state.message).toContain('never creates a config group');
  });

  it('an adopted number CDSS does not know stalls naming spec.configGroupNo', () => {
    const p = plan(input({ spec: spec({ configGroupNo: NO }), adopting: true, observed: null }));
    expect(p.state).toMatchObject({ reason: 'ClusterNotFound' });
    expect(p.state.message).toBe(`spec.configGroupNo ${NO} does not exist in CDSS`);
  });

  it('deleting a group no cluster uses sends the delete', () => {
    const p = plan(input({ deleting: true }));
    expect(p.action).toEqual({ type: 'Delete' });
    expect(p.state.message).toBe(`deleting CDSS config group ${NO}`);
  });

  it('deleting a group clusters still use keeps the finalizer, names them, and looks again at the steady cadence', () => {
    const p = plan(
      input({
        deleting: true,
        observed: observed({
          usedBy: [
            { clusterName: 'orders', clusterId: '3432149' },
            { clusterName: 'billing', clusterId: '3432150' },
          ],
        }),
      }),
    );
    expect(p.action).toEqual({ type: 'Stall' });
    expect(p.phase).toBe('Deleting');
    expect(p.state).toMatchObject({ state: 'stalled', reason: 'DeletionBlocked' });
    expect(p.state.message).toContain('orders (3432149), billing (3432150)');
    expect(p.cadence).toBe('steady');
  });

  it('a group in use under deletionPolicy Retain is let go: nothing is deleted', () => {
    const p = plan(
      input({
        spec: spec({ deletionPolicy: 'Retain' }),
        deleting: true,
        observed: observed({ usedBy: [{ clusterName: 'o', clusterId: '1' }] }),
      }),
    );
    expect(p.action).toEqual({ type: 'ReleaseFinalizer' });
    expect(p.state.message).toBe('deletionPolicy Retain: the CDSS config group stays');
  });

  it('a group CDSS no longer has releases the finalizer', () => {
    expect(plan(input({ deleting: true, observed: null })).action).toEqual({ type: 'ReleaseFinalizer' });
  });
});

describe('KafkaConfigGroup requests', () => {
  it('G2 carries name, version and the description when there is one', () => {
    expect(buildCreateRequest(spec(), 'orders-cfg')).toEqual({ configGroupName: 'orders-cfg', kafkaVersionCode: VERSION });
    expect(buildCreateRequest(spec({ description: 'd' }), 'x')).toMatchObject({ description: 'd' });
  });

  it('G5 keeps the values the group sets and are changeable, and overrides them with the changed ones', () => {
    const current = {
      a: setting('1'),
      b: setting('2', { custom: false }),
      c: setting('3', { modifiable: false }),
      d: setting(null),
    };
    expect(buildSetValues(current, { a: '9', e: '5' })).toEqual({ a: '9', e: '5' });
    expect(buildSetValues({ ...current, f: setting('7') }, { a: '9' })).toEqual({ a: '9', f: '7' });
  });
});

describe('KafkaConfigGroup admission (the schema the CRD is made from)', () => {
  it('takes the stricter name rule (Terraform 3-15, the docs 3-30)', () => {
    expect(configGroupSpecSchema.safeParse({ kafkaVersionCode: VERSION, configGroupName: 'a'.repeat(15) }).success).toBe(true);
    expect(configGroupSpecSchema.safeParse({ kafkaVersionCode: VERSION, configGroupName: 'a'.repeat(16) }).success).toBe(false);
    expect(configGroupSpecSchema.safeParse({ kafkaVersionCode: VERSION, configGroupName: '1abc' }).success).toBe(false);
    expect(configGroupSpecSchema.safeParse({ kafkaVersionCode: VERSION, configGroupName: 'abc-' }).success).toBe(false);
  });

  it('refuses a setting name that is no Kafka property name', () => {
    expect(configGroupSpecSchema.safeParse({ kafkaVersionCode: VERSION, config: { 'Log Retention': 1 } }).success).toBe(false);
    expect(configGroupSpecSchema.safeParse({ kafkaVersionCode: VERSION, config: { 'log.retention.hours': 1 } }).success).toBe(true);
  });
});

describe('KafkaConfigGroup plan: the whole plan of each decision (action, phase, state, words)', () => {
  const used = [
    { clusterName: 'orders', clusterId: '3432149' },
    { clusterName: 'billing', clusterId: '3432150' },
  ];

  it('ready, with one user', () => {
    expect(decision(plan(input({ observed: observed({ usedBy: used.slice(0, 1) }) })))).toEqual({
      action: { type: 'Done' },
      phase: 'Running',
      state: { state: 'ready', reason: 'Ready', message: 'config group for Kafka 3903006, used by 1 cluster' },
      cadence: 'steady',
    });
  });

  it('a new description', () => {
    expect(decision(plan(input({ spec: spec({ description: 'orders' }) })))).toEqual({
      action: { type: 'SetDescription', description: 'orders' },
      phase: 'Running',
      state: { state: 'reconciling', reason: 'Updating', message: 'setting the description' },
      cadence: 'busy',
    });
  });

  it('new settings', () => {
    expect(decision(plan(input({ spec: spec({ config: { 'log.retention.hours': 24, 'num.partitions': 6 } }) })))).toEqual({
      action: { type: 'SetConfig', values: { 'log.retention.hours': '24', 'num.partitions': '6' } },
      phase: 'Running',
      state: {
        state: 'reconciling',
        reason: 'Updating',
        message: 'setting log.retention.hours=24, num.partitions=6; clusters using the group get it when it is next applied',
      },
      cadence: 'busy',
    });
  });

  it('settings CDSS does not let change, one or several', () => {
    const fixed = { 'a.b': setting('1', { modifiable: false }), 'c.d': setting('2', { modifiable: false }) };
    expect(decision(plan(input({ spec: spec({ config: { 'a.b': 9 } }), observed: observed({ settings: fixed }) })))).toEqual({
      action: { type: 'Stall' },
      phase: 'Running',
      state: {
        state: 'stalled',
        reason: 'SettingNotModifiable',
        message: 'CDSS does not let a config group change a.b (modifyYn false); remove it from spec.config',
      },
      cadence: 'never',
    });
    expect(plan(input({ spec: spec({ config: { 'a.b': 9, 'c.d': 9 } }), observed: observed({ settings: fixed }) })).state.message).toBe(
      'CDSS does not let a config group change a.b, c.d (modifyYn false); remove them from spec.config',
    );
  });

  it('settings sent that CDSS does not report, even as unset', () => {
    const p = plan(
      input({
        spec: spec({ config: { 'x.y': 'a', 'log.retention.hours': 24 } }),
        appliedConfig: { 'x.y': 'a', 'log.retention.hours': '24' },
      }),
    );
    expect(decision(p)).toEqual({
      action: { type: 'Stall' },
      phase: 'Running',
      state: {
        state: 'stalled',
        reason: 'SettingNotApplied',
        message: 'CDSS accepted but did not apply x.y=a (reports unset), log.retention.hours=24 (reports 72)',
      },
      cadence: 'never',
    });
  });

  it('a group made for another version', () => {
    expect(decision(plan(input({ observed: observed({ kafkaVersionCode: '2823006' }) })))).toEqual({
      action: { type: 'Stall' },
      phase: 'Failed',
      state: {
        state: 'stalled',
        reason: 'VersionMismatch',
        message:
          'CDSS config group 5301 is made for Kafka version code 2823006, not 3903006; a config group belongs to one version: ' +
          'set spec.kafkaVersionCode to it, or adopt another group',
      },
      cadence: 'never',
    });
  });

  it('ObserveOnly names every difference, the description first', () => {
    const p = plan(
      input({ spec: spec({ managementPolicy: 'ObserveOnly', description: 'd', config: { 'log.retention.hours': 24, 'z.z': 1 } }) }),
    );
    expect(p.state.message).toBe(
      'description differs; log.retention.hours: spec 24, CDSS 72; z.z: spec 1, CDSS unset; ObserveOnly changes nothing',
    );
    expect(p.phase).toBe('Running');
  });

  it('a deletion blocked by clusters, in CDSS’s words and the way out', () => {
    expect(plan(input({ deleting: true, observed: observed({ usedBy: used }) })).state.message).toBe(
      'CDSS refuses to delete a config group in use: orders (3432149), billing (3432150) use it; point those clusters at another ' +
        'config group (or delete them), and the deletion goes on',
    );
  });

  it('a group CDSS no longer has names the kind', () => {
    expect(plan(input({ createRequested: false, observed: null })).state.message).toBe(
      'CDSS config group 5301 no longer exists; delete and re-apply this KafkaConfigGroup to create a new one',
    );
  });
});
