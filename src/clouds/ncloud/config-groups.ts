// CDSS config group calls G2-G10 (spec ncloud-cdss-api.md §5.18), used through CdssClient. Reads
// that are POSTs (G3, G4, G8, G10) are real reads and retried; every write is sent once (§6 #1).
import type { z } from 'zod';
import { InvalidSpecError } from '../../runtime/errors.ts';
import { CloudInconsistentError } from '../errors.ts';
import {
  ApplyConfigGroupRequestSchema,
  ConfigDetailListSchema,
  ConfigGroupInfoSchema,
  ConfigValuesInputSchema,
  CreateConfigGroupRequestSchema,
  CreateConfigGroupResultSchema,
  DeleteConfigGroupResultSchema,
  SetDescriptionRequestSchema,
  UsingClusterPageSchema,
  type ConfigGroupInfo,
  type ConfigValue,
  type CreateConfigGroupRequest,
} from './config-group-types.ts';
import { CdssBusinessError, malformedResponse } from './errors.ts';
import { ConfigGroupPageSchema, type ConfigGroup, type Envelope } from './types.ts';
import { readAllPages, validate, wireNumber, type CdssTransport } from './wire.ts';

type WireType = 'boolean' | 'integer' | 'string';

/**
 * G5's typed fields: [SDK] `SetKafkaConfigGroupDetailRequest` (Boolean / Integer / String) plus
 * the two [3P] adds (§5.18). Their JSON types decide how a value goes on the wire; a setting G4
 * lists that is not here takes its type from G4's `type`.
 */
const SDK_FIELD_TYPES: Readonly<Record<string, WireType>> = {
  'auto.create.topics.enable': 'boolean',
  'delete.topic.enable': 'boolean',
  'log.cleaner.enable': 'boolean',
  'allow.everyone.if.no.acl.found': 'boolean',
  'log.cleanup.policy': 'string',
  'authorizer.class.name': 'string',
  'log.cleaner.threads': 'integer',
  'log.flush.interval.messages': 'integer',
  'log.retention.bytes': 'integer',
  'log.retention.hours': 'integer',
  'log.segment.bytes': 'integer',
  'num.io.threads': 'integer',
  'num.network.threads': 'integer',
  'num.partitions': 'integer',
  'offsets.topic.replication.factor': 'integer',
};

/** Body fields G5 has besides the typed settings: a setting must never overwrite them. */
const RESERVED_KEYS = new Set(['kafkaVersionCode', 'additionalKafkaConfigGroupDetailList', 'configGroupNo']);

/** `log.retention.hours` → `logRetentionHours`: how every [SDK] field name relates to its property. */
function camelKey(configName: string): string {
  return configName.replace(/[._-]+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function typeFromG4(type: string | undefined): WireType {
  const t = (type ?? '').toLowerCase();
  if (t.includes('bool')) return 'boolean';
  if (/\b(int|integer|long|short)\b/.test(t)) return 'integer';
  return 'string';
}

function toWire(name: string, value: string, type: WireType): string | number | boolean {
  const v = value.trim();
  if (type === 'boolean') {
    if (v.toLowerCase() === 'true') return true;
    if (v.toLowerCase() === 'false') return false;
    throw new InvalidSpecError('InvalidConfigValue', `CDSS config ${name} must be true or false, got "${value.slice(0, 40)}"`);
  }
  if (type === 'integer') {
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n))
      throw new InvalidSpecError('InvalidConfigValue', `CDSS config ${name} must be an integer, got "${value.slice(0, 40)}"`);
    return n;
  }
  return value;
}

const groupNo = (no: string | number): string => String(wireNumber(no, 'configGroupNo'));
const present = (env: Envelope): boolean => env.result !== null && env.result !== undefined;

export class CdssConfigGroups {
  private readonly t: CdssTransport;

  constructor(transport: CdssTransport) {
    this.t = transport;
  }

  async create(req: CreateConfigGroupRequest): Promise<string> {
    const body = validate(CreateConfigGroupRequestSchema, req, 'InvalidConfigGroupRequest', 'config group create request');
    const env = await this.t.send('createConfigGroup', 'POST', 'configGroup/createConfigGroup', { body, idempotent: false });
    return this.t.result(CreateConfigGroupResultSchema, env, 'createConfigGroup').configGroupNo;
  }

  async get(configGroupNo: string | number, kafkaVersionCode: string | number): Promise<ConfigGroupInfo | null> {
    const no = groupNo(configGroupNo);
    const body = { kafkaVersionCode: wireNumber(kafkaVersionCode, 'kafkaVersionCode') };
    let env: Envelope;
    try {
      env = await this.t.send('getConfigGroup', 'POST', `configGroup/getKafkaConfigGroup/${no}`, { body, idempotent: true });
    } catch (err) {
      if (err instanceof CdssBusinessError && !(await this.listed(no))) return null;
      throw err;
    }
    if (present(env)) return this.t.result(ConfigGroupInfoSchema, env, 'getConfigGroup');
    if (!(await this.listed(no))) return null;
    throw new CloudInconsistentError(
      `CDSS getKafkaConfigGroup answered no result for config group ${no}, but the config group list shows it`,
    );
  }

  async listAll(): Promise<ConfigGroup[]> {
    return readAllPages(this.t, {
      operation: 'listAllConfigGroups',
      path: 'configGroup/getKafkaConfigGroupList',
      schema: ConfigGroupPageSchema,
      items: (p) => p.kafkaConfigGroupList,
    });
  }

  async values(configGroupNo: string | number, kafkaVersionCode: string | number): Promise<ConfigValue[]> {
    const r = await this.details(groupNo(configGroupNo), wireNumber(kafkaVersionCode, 'kafkaVersionCode'));
    return [...r.kafkaConfigGroupDetailList, ...r.additionalKafkaConfigGroupDetailList];
  }

  /**
   * G5 wire format (§5.18): `kafkaVersionCode` plus one typed camelCase field per setting G4 lists
   * in `kafkaConfigGroupDetailList` (named by its `configNameKey`, else the camelCase of the
   * property name as every [SDK] field is), as a JSON boolean / integer / string; every other
   * property goes in `additionalKafkaConfigGroupDetailList` as `{configName, configValue}` ([3P]:
   * the read shape, which a live test found the server needs). A property the cloud does not
   * know therefore reaches it and is refused by it, never dropped here.
   */
  async setValues(configGroupNo: string | number, kafkaVersionCode: string | number, values: Record<string, string>): Promise<void> {
    const no = groupNo(configGroupNo);
    const version = wireNumber(kafkaVersionCode, 'kafkaVersionCode');
    const wanted = validate(ConfigValuesInputSchema, values, 'InvalidConfigValue', 'config values');
    const typed = new Map((await this.details(no, version)).kafkaConfigGroupDetailList.map((v) => [v.configName, v]));
    const body: Record<string, unknown> = { kafkaVersionCode: version };
    const additional: Array<{ configName: string; configValue: string }> = [];
    for (const [name, value] of Object.entries(wanted)) {
      const item = typed.get(name);
      if (item === undefined) {
        additional.push({ configName: name, configValue: value });
        continue;
      }
      const key = item.configNameKey ?? camelKey(name);
      if (RESERVED_KEYS.has(key) || !/^[A-Za-z][A-Za-z0-9]*$/.test(key))
        throw malformedResponse('getConfigGroupValues', 200, `config ${name} has an unusable configNameKey "${key.slice(0, 60)}"`);
      body[key] = toWire(name, value, SDK_FIELD_TYPES[name] ?? typeFromG4(item.type));
    }
    if (additional.length > 0) body['additionalKafkaConfigGroupDetailList'] = additional;
    await this.t.send('setConfigGroupValues', 'POST', `configGroup/setKafkaConfigGroupDetail/${no}`, { body, idempotent: false });
  }

  async setDescription(configGroupNo: string | number, kafkaVersionCode: string | number, description: string): Promise<void> {
    const no = groupNo(configGroupNo);
    const body = validate(
      SetDescriptionRequestSchema,
      { kafkaVersionCode, description },
      'InvalidConfigGroupRequest',
      'config group description',
    );
    await this.t.send('setConfigGroupDescription', 'POST', `configGroup/setKafkaConfigGroupMemo/${no}`, { body, idempotent: false });
  }

  async apply(clusterId: string, configGroupNo: string | number, kafkaVersionCode: string | number): Promise<void> {
    const no = groupNo(configGroupNo);
    const body = validate(
      ApplyConfigGroupRequestSchema,
      { kafkaVersionCode, serviceGroupInstanceNo: clusterId },
      'InvalidConfigGroupRequest',
      'config group apply request',
    );
    await this.t.send('applyConfigGroup', 'POST', `configGroup/setClusterKafkaConfigGroup/${no}`, { body, idempotent: false });
  }

  async usingClusters(configGroupNo: string | number): Promise<Array<{ clusterName: string; serviceGroupInstanceNo: string }>> {
    const no = groupNo(configGroupNo);
    return readAllPages(this.t, {
      operation: 'clustersUsingConfigGroup',
      path: `configGroup/getConfigGroupUsingClusterList/${no}`,
      schema: UsingClusterPageSchema,
      items: (p) => p.usingClusterNameList,
    });
  }

  async delete(configGroupNo: string | number): Promise<void> {
    const no = groupNo(configGroupNo);
    const env = await this.t.send('deleteConfigGroup', 'DELETE', `configGroup/deleteConfigGroup/${no}`, { idempotent: false });
    // Code 0 with `isDelete: false` is a refusal all the same (§5.18 documents `{isDelete: true}`).
    if (present(env) && this.t.result(DeleteConfigGroupResultSchema, env, 'deleteConfigGroup').isDelete === false) {
      const message = env.message ?? '';
      throw new CdssBusinessError(
        0,
        message,
        env.requestId ?? undefined,
        `NCloud CDSS deleteConfigGroup refused: isDelete false: ${message}`,
      );
    }
  }

  /** G4, both lists kept apart: only `kafkaConfigGroupDetailList` entries have typed G5 fields. */
  private async details(no: string, kafkaVersionCode: number): Promise<z.output<typeof ConfigDetailListSchema>> {
    const env = await this.t.send('getConfigGroupValues', 'POST', `configGroup/getKafkaConfigGroupDetailList/${no}`, {
      body: { kafkaVersionCode },
      idempotent: true,
    });
    // An empty answer must not read as "no settings": a caller writing back what it read (G5
    // replaces everything, §5.18) would reset the whole group.
    if (!present(env)) throw malformedResponse('getConfigGroupValues', 200, `no result for config group ${no}`);
    return this.t.result(ConfigDetailListSchema, env, 'getConfigGroupValues');
  }

  /** Whether G10 lists the group at all (the proof of absence getConfigGroup needs). */
  private async listed(no: string): Promise<boolean> {
    return (await this.listAll()).some((g) => g.configGroupNo === no);
  }
}
