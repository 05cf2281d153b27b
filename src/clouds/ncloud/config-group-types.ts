// Wire types of the CDSS config group calls G2-G10 (spec ncloud-cdss-api.md §5.18). Same rules as
// types.ts: requests strict, responses loose, ids and version codes come out as strings.
import { z } from 'zod';
import { bool, idString, list, pagingShape, str, wireInt } from './types.ts';

// ---------------------------------------------------------------------------------------------
// Requests.

// §5.18 G2 / §7: 3-30 characters per the docs (Terraform's 3-15 is stricter; the docs win, §7
// "validate 3-30"), lowercase letters, digits and `-`, starting with a letter and ending with a
// letter or digit.
const configGroupName = z
  .string()
  .min(3)
  .max(30)
  .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, 'lowercase letters, digits and "-"; start with a letter, end with a letter or digit');
const description = z.string().max(255);

/** G2 body (§5.18). `kafkaVersionCode` goes out as a JSON integer, as the docs type it. */
export const CreateConfigGroupRequestSchema = z.strictObject({
  configGroupName,
  kafkaVersionCode: wireInt,
  description: description.optional(),
});
export type CreateConfigGroupRequest = z.input<typeof CreateConfigGroupRequestSchema>;

/** G6 body. */
export const SetDescriptionRequestSchema = z.strictObject({ kafkaVersionCode: wireInt, description });

/** G7 body: both Integers, both required (§5.18). */
export const ApplyConfigGroupRequestSchema = z.strictObject({ kafkaVersionCode: wireInt, serviceGroupInstanceNo: wireInt });

/** G5's input as the operator holds it: Kafka property name → value as a string (G4's `configName`). */
export const ConfigValuesInputSchema = z.record(z.string().min(1).max(255), z.string().max(4096));

// ---------------------------------------------------------------------------------------------
// Results.

/** G2 `result`. */
export const CreateConfigGroupResultSchema = z.looseObject({ configGroupNo: idString });

/** G3 `result` ([SDK] `GetKafkaConfigGroupResponseVo`). */
export const ConfigGroupInfoSchema = z
  .looseObject({ configGroupNo: idString, configGroupName: str, description: str, kafkaVersionCode: idString, memberNo: str })
  .transform((g): ConfigGroupInfo => ({
    configGroupNo: g.configGroupNo,
    configGroupName: g.configGroupName ?? '',
    description: g.description ?? '',
    kafkaVersionCode: g.kafkaVersionCode,
  }));
export interface ConfigGroupInfo {
  configGroupNo: string;
  configGroupName: string;
  description: string;
  kafkaVersionCode: string;
}

/** A config value may come as a string, number or boolean; it is handled as a string. */
const valueString = z
  .union([z.string(), z.number(), z.boolean()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : String(v)));
/** `modifyYn` is Boolean in [SDK]; a `Y`/`N` string (the name's convention) reads the same. */
const yn = z
  .union([z.boolean(), z.enum(['Y', 'N', 'y', 'n'])])
  .nullish()
  .transform((v) => (typeof v === 'string' ? v.toUpperCase() === 'Y' : (v ?? true)));

/** One setting as G4 reports it. */
export interface ConfigValue {
  /** The Kafka property name, e.g. `log.retention.hours`. */
  configName: string;
  /** The camelCase name G5 takes as a field, e.g. `logRetentionHours` (absent for additional settings). */
  configNameKey?: string;
  /** null: not customised (the default applies). */
  customValue: string | null;
  defaultValue: string | null;
  /** false: G5 accepts a value for it and discards it ([3P], §5.18). */
  modifyYn: boolean;
  range?: string;
  type?: string;
}

/** G4 `kafkaConfigGroupDetailList[]` ([SDK] `KafkaConfigDetail`). */
const ConfigDetailSchema = z
  .looseObject({
    configName: z.string(),
    configNameKey: str,
    customValue: valueString,
    defaultValue: valueString,
    modifyYn: yn,
    range: str,
    type: str,
  })
  .transform((d): ConfigValue => {
    const out: ConfigValue = { configName: d.configName, customValue: d.customValue, defaultValue: d.defaultValue, modifyYn: d.modifyYn };
    if (d.configNameKey) out.configNameKey = d.configNameKey;
    if (d.range !== null && d.range !== undefined) out.range = d.range;
    if (d.type !== null && d.type !== undefined) out.type = d.type;
    return out;
  });

/**
 * G4 `additionalKafkaConfigGroupDetailList[]` ([3P]): settings without a typed G5 field, each
 * `{configName, configValue}` (the value field is `configValue`, not `customValue`).
 */
const AdditionalDetailSchema = z
  .looseObject({ configName: z.string(), configValue: valueString })
  .transform((d): ConfigValue => ({ configName: d.configName, customValue: d.configValue, defaultValue: null, modifyYn: true }));

/** G4 `result`. */
export const ConfigDetailListSchema = z.looseObject({
  configGroupNo: idString.nullish(),
  kafkaVersionCode: idString.nullish(),
  kafkaConfigGroupDetailList: list(ConfigDetailSchema),
  additionalKafkaConfigGroupDetailList: list(AdditionalDetailSchema),
});

/** G8 `result` ([SDK] `GetConfigGroupUsingClusterListResponseVo`); the id is an Integer there. */
export const UsingClusterPageSchema = z.looseObject({
  ...pagingShape,
  usingClusterNameList: list(
    z
      .looseObject({ clusterName: str, serviceGroupInstanceNo: idString })
      .transform((c) => ({ clusterName: c.clusterName ?? '', serviceGroupInstanceNo: c.serviceGroupInstanceNo })),
  ),
});

/** G9 `result` (§5.18 [DOC]). */
export const DeleteConfigGroupResultSchema = z.looseObject({ isDelete: bool });
