// What the managed core needs to know about KafkaConfigGroup: how to reach CDSS (the same client
// and credentials as KafkaCluster), how to observe a group (G3, its values G4, the clusters using
// it G8), how to find one by name (G10), the create (G2), the two changes (G6 description, G5
// settings) and the delete (G9), and how the answers map to status.
import type { CdssClient } from '../../clouds/ncloud/client.ts';
import type { ConfigValue } from '../../clouds/ncloud/config-group-types.ts';
import type { KindAdapter } from '../core/kind.ts';
import type { FieldCheck } from '../core/verify.ts';
import { plan, wantedConfig, type Action, type ConfigGroupObservation, type ObservedSetting } from './plan.ts';
import { buildCreateRequest } from './request.ts';
import type { KafkaConfigGroupSpec, KafkaConfigGroupStatus } from './schema.ts';
import { buildConfigGroupStatus } from './status.ts';
import { cdssConnection, type CdssEnv } from '../kafka/cdss-connection.ts';

/** The types KafkaConfigGroup is made of. */
export interface KafkaConfigGroupKind {
  spec: KafkaConfigGroupSpec;
  status: KafkaConfigGroupStatus;
  cloud: CdssClient;
  observed: ConfigGroupObservation;
  action: Action;
  prep: undefined;
}

/** G3 echoes the name and the version: a group adopted by number must be the one the spec names. */
export const configGroupVerify: FieldCheck<KafkaConfigGroupSpec, ConfigGroupObservation>[] = [
  { field: 'kafkaVersionCode', spec: (s) => s.kafkaVersionCode, cloud: (o) => o.kafkaVersionCode },
];

/** G4's list, by property name: what applies (the group's value, else the default). */
export function settingsOf(values: readonly ConfigValue[]): Record<string, ObservedSetting> {
  return Object.fromEntries(
    values.map((v) => [
      v.configName,
      { value: v.customValue ?? v.defaultValue, custom: v.customValue !== null, modifiable: v.modifyYn } satisfies ObservedSetting,
    ]),
  );
}

export function configGroupAdapter(env: CdssEnv): KindAdapter<KafkaConfigGroupKind> {
  return {
    noun: 'CDSS config group',
    ...cdssConnection<KafkaConfigGroupKind>(env),

    async observe(ctx, configGroupNo) {
      const client = ctx.cloud();
      const version = String(ctx.spec.kafkaVersionCode);
      const info = await client.getConfigGroup(configGroupNo, version);
      if (!info) return null;
      // G4 and G8 need the group's own version (§6 #9); one made for another is reported by the plan.
      const own = info.kafkaVersionCode || version;
      const values = await client.getConfigGroupValues(configGroupNo, own);
      const users = await client.clustersUsingConfigGroup(configGroupNo);
      return {
        status: 'present',
        kafkaVersionCode: info.kafkaVersionCode,
        description: info.description,
        settings: settingsOf(values),
        managedKeys: Object.keys(wantedConfig(ctx.spec)),
        usedBy: users.map((u) => ({ clusterName: u.clusterName, clusterId: u.serviceGroupInstanceNo })),
      };
    },
    async findByName(ctx) {
      // Names are unique per Kafka version in CDSS; another version's group of the same name is not ours.
      const version = String(ctx.spec.kafkaVersionCode);
      const found = await ctx.cloud().findConfigGroupsByName(ctx.clusterName);
      return found
        .filter((g) => String(g.kafkaVersionCode) === version)
        .map((g) => ({ id: String(g.configGroupNo), lifecycle: 'running' }));
    },
    plan: (input) => plan({ ...input, appliedConfig: input.previous.appliedConfig }),
    async create(ctx) {
      return { id: await ctx.cloud().createConfigGroup(buildCreateRequest(ctx.spec, ctx.clusterName)) };
    },
    async delete(ctx, configGroupNo) {
      await ctx.cloud().deleteConfigGroup(configGroupNo);
    },
    actions: {
      SetDescription: {
        reason: 'ConfigUpdated',
        async run(ctx, a) {
          await ctx.cloud().setConfigGroupDescription(ctx.clusterId!, String(ctx.spec.kafkaVersionCode), a.description);
        },
      },
      SetConfig: {
        reason: 'ConfigUpdated',
        async run(ctx, a) {
          await ctx.cloud().setConfigGroupValues(ctx.clusterId!, String(ctx.spec.kafkaVersionCode), a.values);
          return { appliedConfig: wantedConfig(ctx.spec) };
        },
      },
    },
    status: (input) => buildConfigGroupStatus(input),
    connectionInfo: () => ({}),
    verify: configGroupVerify,
  };
}
