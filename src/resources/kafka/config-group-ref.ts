// spec.configGroupRef → the config group a KafkaCluster uses (pure). A referenced KafkaConfigGroup
// is usable once it is Ready, has a CDSS number and is made for the version the cluster needs;
// until then the cluster waits with the reason, and the group's next change re-reconciles it
// (the kind's descriptor references KafkaConfigGroup). A group the cluster already runs with stays
// usable whatever its own state, so a Stalled settings change on the group never holds the
// cluster up.
import { findCondition } from '../../runtime/conditions.ts';
import type { KubeObject } from '../../runtime/object.ts';
import { configGroupStatusSchema } from '../kafka-config-group/schema.ts';
import type { ResolvedConfigGroup } from './plan.ts';

/**
 * @param obj the KafkaConfigGroup named `name`, from the cache (undefined: none exists)
 * @param version the Kafka version code the cluster needs (spec.kafkaVersionCode)
 * @param inUse the config group number CDSS reports for the cluster, if it exists
 */
export function referencedGroup(
  obj: KubeObject | undefined,
  name: string,
  version: string,
  inUse: number | undefined,
): ResolvedConfigGroup {
  if (obj === undefined) return { pending: `KafkaConfigGroup ${name} does not exist in this namespace` };
  const parsed = configGroupStatusSchema.safeParse(obj['status'] ?? {});
  const status = parsed.success ? parsed.data : {};
  const no = status.configGroupNo !== undefined ? Number(status.configGroupNo) : undefined;
  const specVersion = (obj['spec'] as { kafkaVersionCode?: unknown } | undefined)?.kafkaVersionCode;
  const madeFor = status.kafkaVersionCode ?? (typeof specVersion === 'number' ? String(specVersion) : '');
  if (no !== undefined && no === inUse) return { configGroupNo: no, madeFor };
  if (obj.metadata.deletionTimestamp !== undefined) return { pending: `KafkaConfigGroup ${name} is being deleted` };
  const ready = findCondition(status.conditions ?? [], 'Ready');
  if (no === undefined || ready?.status !== 'True') {
    const why = ready?.reason ? ` (${ready.reason}${ready.message ? `: ${ready.message}` : ''})` : '';
    return { pending: `waiting for KafkaConfigGroup ${name} to be Ready${why}` };
  }
  if (madeFor !== version) {
    return {
      pending:
        `KafkaConfigGroup ${name} is made for Kafka version ${madeFor}, and this cluster needs one for ${version}: ` +
        `point configGroupRef at a KafkaConfigGroup with kafkaVersionCode ${version}`,
    };
  }
  return { configGroupNo: no, madeFor };
}

/** The KafkaConfigGroup a KafkaCluster spec names, for the watches both kinds' descriptors set up. */
export function configGroupRefNames(spec: unknown): string[] {
  const ref = (spec as { configGroupRef?: { name?: unknown } } | undefined)?.configGroupRef?.name;
  return typeof ref === 'string' ? [ref] : [];
}
