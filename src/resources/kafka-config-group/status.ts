// CDSS's answers → KafkaConfigGroup status (pure, deterministic: an unchanged group gives an
// unchanged status and no write).
import { coreStatus, stored } from '../core/status.ts';
import type { KindStatusInput } from '../core/kind.ts';
import type { KafkaConfigGroupKind } from './adapter.ts';
import type { KafkaConfigGroupStatus } from './schema.ts';

export function buildConfigGroupStatus(input: KindStatusInput<KafkaConfigGroupKind>): KafkaConfigGroupStatus {
  const { previous, observed, applied } = input;
  const core = coreStatus(input);
  // Unobserved this pass (an error, a deletion): what was known stays.
  if (!observed) {
    return stored({ ...previous, ...core, ...(applied ?? {}), configGroupNo: input.clusterId ?? previous.configGroupNo });
  }
  const config = Object.fromEntries(
    observed.managedKeys.filter((k) => observed.settings[k]?.value != null).map((k) => [k, observed.settings[k]!.value!] as const),
  );
  return stored({
    ...core,
    configGroupNo: input.clusterId,
    kafkaVersionCode: observed.kafkaVersionCode,
    description: observed.description || undefined,
    config: Object.keys(config).length ? config : undefined,
    // What was sent matters only until CDSS reports the spec's values: once the group is Ready it
    // is forgotten, so a value sent before a crash can never later pass for one CDSS did not take.
    appliedConfig: applied?.appliedConfig ?? (input.plan.state.state === 'ready' ? undefined : previous.appliedConfig),
    usedBy: observed.usedBy,
  });
}
