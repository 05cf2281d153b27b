// KafkaConfigGroup spec → CDSS request bodies (spec ncloud-cdss-api.md §5.18). Pure.
import type { CreateConfigGroupRequest } from '../../clouds/ncloud/config-group-types.ts';
import type { ObservedSetting } from './plan.ts';
import type { KafkaConfigGroupSpec } from './schema.ts';

/** G2: name, version and description; the settings follow with G5 once the group exists. */
export function buildCreateRequest(spec: KafkaConfigGroupSpec, name: string): CreateConfigGroupRequest {
  return {
    configGroupName: name,
    kafkaVersionCode: spec.kafkaVersionCode,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
  };
}

/**
 * G5's settings: the changed ones, plus every value the group already sets. §5.18 ([3P]) warns
 * that G5 replaces the group's whole custom configuration, so sending only the changed keys would
 * silently reset the others to CDSS's defaults (those set by hand in the console included).
 * Settings CDSS does not let anyone change (modifyYn false) are never resent.
 */
export function buildSetValues(
  current: Readonly<Record<string, ObservedSetting>>,
  changed: Record<string, string>,
): Record<string, string> {
  const kept = Object.entries(current).filter(([, v]) => v.custom && v.modifiable && v.value !== null);
  return { ...Object.fromEntries(kept.map(([k, v]) => [k, v.value!])), ...changed };
}
