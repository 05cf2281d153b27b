// The KafkaConfigGroup table, one pure function: (what the resource asks, what CDSS reports) → the
// one thing to do now. Identity and deletion are the core's (core/managed-plan.ts); a config group
// has no status word of its own, so one that CDSS answers for is `running`. Unit-tested case by case.
import type { CloudLifecycle } from '../../clouds/lifecycle.ts';
import { planChanges, type Candidate, type DisruptionTable } from '../core/changes.ts';
import { planManaged, type ManagedPlanInput } from '../core/managed-plan.ts';
import { act, done, drifted, stall, type CoreAction, type Plan as PlanOf } from '../core/plan.ts';
import { buildSetValues } from './request.ts';
import type { KafkaConfigGroupSpec } from './schema.ts';

/** One setting as CDSS reports it for the group. */
export interface ObservedSetting {
  /** What applies: the group's own value, else CDSS's default. */
  value: string | null;
  /** The group sets it (G4 customValue), rather than inheriting CDSS's default. */
  custom: boolean;
  /** false: CDSS accepts a value for it and discards it (§5.18, [3P]). */
  modifiable: boolean;
}

export interface ConfigGroupObservation {
  /** Always `present`: a group CDSS answers for exists (no lifecycle of its own). */
  status: 'present';
  kafkaVersionCode: string;
  description: string;
  settings: Record<string, ObservedSetting>;
  /** The keys spec.config manages, when observed (status reports their values). */
  managedKeys: string[];
  usedBy: { clusterName: string; clusterId: string }[];
}

export type Action = CoreAction | { type: 'SetDescription'; description: string } | { type: 'SetConfig'; values: Record<string, string> };

export type Plan = PlanOf<Action>;

/** What each change does to the clusters using the group (docs/changing-safely.md mirrors this). */
export const disruptions: DisruptionTable<'SetDescription' | 'SetConfig'> = {
  SetDescription: { disruption: 'None', why: 'a label of the group', source: 'ncloud-cdss-api §5.18 G6' },
  SetConfig: {
    disruption: 'None',
    why: 'the group’s stored settings change; clusters using it get them only when the group is next applied (a KafkaCluster change, classed there)',
    source: 'ncloud-cdss-api §5.18 G5 ("changes take effect only when the group is (re)applied with G7" [INF])',
  },
};

export interface PlanInput extends ManagedPlanInput<KafkaConfigGroupSpec, ConfigGroupObservation> {
  /** The settings the operator last sent (status.appliedConfig). */
  appliedConfig: Record<string, string> | undefined;
}

/** The spec's settings as CDSS handles them: strings (true, 72). */
export function wantedConfig(spec: KafkaConfigGroupSpec): Record<string, string> {
  return Object.fromEntries(Object.entries(spec.config).map(([k, v]) => [k, String(v)]));
}

export function plan(input: PlanInput): Plan {
  return planManaged(input, {
    cloud: 'CDSS',
    kind: 'KafkaConfigGroup',
    lifecycle: (): CloudLifecycle => 'running',
    deletionBlocked: (o) =>
      o.usedBy.length === 0
        ? undefined
        : `CDSS refuses to delete a config group in use: ${o.usedBy.map((c) => `${c.clusterName} (${c.clusterId})`).join(', ')} ` +
          'use it; point those clusters at another config group (or delete them), and the deletion goes on',
    planObserved,
  });
}

function planObserved(input: PlanInput, o: ConfigGroupObservation): Plan {
  const { spec } = input;
  const version = String(spec.kafkaVersionCode);
  if (o.kafkaVersionCode !== version) {
    return stall(
      'Failed',
      'VersionMismatch',
      `CDSS config group ${input.clusterId} is made for Kafka version code ${o.kafkaVersionCode}, not ${version}; ` +
        'a config group belongs to one version: set spec.kafkaVersionCode to it, or adopt another group',
    );
  }
  const wanted = wantedConfig(spec);
  const differing = Object.entries(wanted).filter(([k, v]) => o.settings[k]?.value !== v);
  const descriptionDiffers = spec.description !== undefined && spec.description !== o.description;
  const drift = [
    ...(descriptionDiffers ? [`description differs`] : []),
    ...differing.map(([k, v]) => `${k}: spec ${v}, CDSS ${o.settings[k]?.value ?? 'unset'}`),
  ];
  if (spec.managementPolicy !== 'Manage') return drift.length ? drifted(`${drift.join('; ')}; ObserveOnly changes nothing`) : ready(o);
  const candidates: Candidate<Action>[] = [];
  if (descriptionDiffers) {
    const plan = act<Action>({ type: 'SetDescription', description: spec.description! }, 'Running', 'Updating', 'setting the description');
    candidates.push({ action: 'SetDescription', from: o.description, to: spec.description!, plan });
  }
  if (differing.length > 0) {
    const from = differing.map(([k]) => `${k}=${o.settings[k]?.value ?? 'unset'}`).join(', ');
    candidates.push({
      action: 'SetConfig',
      from,
      to: differing.map(([k, v]) => `${k}=${v}`).join(', '),
      plan: planSettings(input, o, differing),
    });
  }
  return planChanges(candidates, disruptions, input.gate, ready(o));
}

function planSettings(input: PlanInput, o: ConfigGroupObservation, differing: [string, string][]): Plan {
  const fixedKeys = differing.filter(([k]) => o.settings[k]?.modifiable === false).map(([k]) => k);
  if (fixedKeys.length > 0) {
    return stall(
      'Running',
      'SettingNotModifiable',
      `CDSS does not let a config group change ${fixedKeys.join(', ')} (modifyYn false); remove ${fixedKeys.length > 1 ? 'them' : 'it'} from spec.config`,
    );
  }
  // Sent before and still not what CDSS reports: CDSS took the call but not the value. Sending it
  // again would loop; say which values it kept instead.
  const notTaken = differing.filter(([k, v]) => input.appliedConfig?.[k] === v);
  if (notTaken.length === differing.length) {
    return stall(
      'Running',
      'SettingNotApplied',
      `CDSS accepted but did not apply ${notTaken.map(([k, v]) => `${k}=${v} (reports ${o.settings[k]?.value ?? 'unset'})`).join(', ')}`,
    );
  }
  const values = buildSetValues(o.settings, Object.fromEntries(differing));
  return act<Action>(
    { type: 'SetConfig', values },
    'Running',
    'Updating',
    `setting ${differing.map(([k, v]) => `${k}=${v}`).join(', ')}; clusters using the group get it when it is next applied`,
  );
}

function ready(o: ConfigGroupObservation): Plan {
  const users = o.usedBy.length;
  return done('Running', 'Ready', `config group for Kafka ${o.kafkaVersionCode}, used by ${users} cluster${users === 1 ? '' : 's'}`);
}
