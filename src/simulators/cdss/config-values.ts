// Kafka settings of a CDSS config group (spec §5.18): the per-version table that G2 fills a new
// group from, G4's view of a group's values, and G5's body, checked and turned into the group's
// new custom values.
//
// Sources: the 15 typed G5 fields are [SDK] `SetKafkaConfigGroupDetailRequest` plus [3P]'s
// `offsetsTopicReplicationFactor` and `authorizerClassName`; each field is the camelCase of its
// Kafka property (G4's `configNameKey`). Defaults are Kafka's own. Ranges, the `type` / `range`
// strings and the additional (untyped) settings are OUR choice [INF]: the docs publish neither.
// authorizer.class.name is `modifyYn: false` as [3P] saw live (accepted, then discarded).
import { BusinessError, ERR } from './errors.ts';

type Kind = 'boolean' | 'int' | 'long' | 'string';

export interface SettingDef {
  configName: string;
  /** The G5 body field for a typed setting; additional settings have none on the wire. */
  configNameKey: string;
  defaultValue: string;
  type: Kind;
  range: string;
  modifyYn: boolean;
  /** true: a typed G5 field, listed in G4's kafkaConfigGroupDetailList. false: an additional setting. */
  typed: boolean;
  /** For int/long: inclusive bounds. For string: the allowed values (each item of a comma list). */
  min?: number;
  max?: number;
  allowed?: readonly string[];
}

const camel = (name: string): string => name.replace(/\.([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function def(configName: string, type: Kind, defaultValue: string, rule: Partial<SettingDef> = {}): SettingDef {
  const range =
    rule.range ??
    (type === 'boolean'
      ? 'true, false'
      : rule.allowed !== undefined
        ? rule.allowed.join(', ')
        : rule.min !== undefined && rule.max !== undefined
          ? `${rule.min} ~ ${rule.max}`
          : '');
  return { configName, configNameKey: camel(configName), defaultValue, type, range, modifyYn: true, typed: true, ...rule };
}

const INT_MAX = 2_147_483_647;

/** Typed settings, the same for every version we model. */
const TYPED: readonly SettingDef[] = [
  def('auto.create.topics.enable', 'boolean', 'true'),
  def('delete.topic.enable', 'boolean', 'true'),
  def('log.cleaner.enable', 'boolean', 'true'),
  def('allow.everyone.if.no.acl.found', 'boolean', 'true'),
  def('log.cleanup.policy', 'string', 'delete', { allowed: ['delete', 'compact'] }),
  def('authorizer.class.name', 'string', 'kafka.security.authorizer.AclAuthorizer', { modifyYn: false, range: '' }),
  def('log.cleaner.threads', 'int', '1', { min: 1, max: 16 }),
  def('log.flush.interval.messages', 'long', '9223372036854775807', { min: 1, max: INT_MAX }),
  def('log.retention.bytes', 'long', '-1', { min: -1, max: 1_099_511_627_776 }),
  def('log.retention.hours', 'int', '168', { min: 1, max: 87_600 }),
  def('log.segment.bytes', 'int', '1073741824', { min: 14, max: INT_MAX }),
  def('num.io.threads', 'int', '8', { min: 1, max: 64 }),
  def('num.network.threads', 'int', '3', { min: 1, max: 64 }),
  def('num.partitions', 'int', '1', { min: 1, max: 1000 }),
  def('offsets.topic.replication.factor', 'int', '3', { min: 1, max: 10 }),
];

const additional = (d: SettingDef): SettingDef => ({ ...d, typed: false });

/** Additional settings (sent in additionalKafkaConfigGroupDetailList), some per version [INF]. */
function additionalFor(kafkaVersionName: string): SettingDef[] {
  const [major = 0, minor = 0] = kafkaVersionName.split('.').map(Number);
  const out = [
    additional(def('compression.type', 'string', 'producer', { allowed: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] })),
    additional(def('message.max.bytes', 'int', '1048588', { min: 0, max: INT_MAX })),
    additional(def('min.insync.replicas', 'int', '1', { min: 1, max: 10 })),
    additional(def('default.replication.factor', 'int', '1', { min: 1, max: 10 })),
    additional(def('unclean.leader.election.enable', 'boolean', 'false')),
  ];
  // Kafka 3.0 deprecated the message format setting; 3.6 added tiered storage.
  if (major < 3) out.push(additional(def('log.message.format.version', 'string', `${major}.${minor}`, { range: 'a Kafka version' })));
  if (major > 3 || (major === 3 && minor >= 6)) out.push(additional(def('remote.log.storage.system.enable', 'boolean', 'false')));
  return out;
}

/** Every setting a group of this Kafka version knows, typed first. */
export function settingsFor(kafkaVersionName: string): SettingDef[] {
  return [...TYPED, ...additionalFor(kafkaVersionName)];
}

/** The value's problem, or undefined. Returns the canonical string in `ok`. */
function check(d: SettingDef, raw: unknown): { ok: string } | { problem: string } {
  if (d.type === 'boolean') {
    if (typeof raw === 'boolean') return { ok: String(raw) };
    if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return { ok: raw.trim().toLowerCase() };
    return { problem: 'must be true or false' };
  }
  if (d.type === 'int' || d.type === 'long') {
    const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
    if (!/^-?\d+$/.test(s)) return { problem: 'must be an integer' };
    const n = Number(s);
    if ((d.min !== undefined && n < d.min) || (d.max !== undefined && n > d.max))
      return { problem: `must be between ${d.min} and ${d.max}` };
    return { ok: String(n) };
  }
  if (typeof raw !== 'string' || raw.trim() === '') return { problem: 'must be a non-empty string' };
  if (d.allowed !== undefined) {
    const items = raw.split(',').map((x) => x.trim());
    const bad = items.filter((x) => !d.allowed?.includes(x));
    if (bad.length > 0) return { problem: `must be one of ${d.allowed.join(', ')}` };
    return { ok: items.join(',') };
  }
  return { ok: raw.trim() };
}

/** Body fields of G5 that are not settings. */
const NON_SETTINGS = new Set(['kafkaVersionCode', 'additionalKafkaConfigGroupDetailList', 'configGroupNo']);

/**
 * G5: the group's NEW custom values (property name → value) from the body. §5.18 [3P]: the call
 * REPLACES the whole custom configuration, so every setting the body leaves out reverts to its
 * default (is absent from the result), and a `modifyYn: false` setting is accepted and dropped.
 * Refused with a business error naming each offending key: a typed field or additional
 * configName this version does not know (a real backend might ignore an unknown field; we refuse
 * it so a client's mistake shows, [INF]), a typed property sent in the additional list, and a
 * value of the wrong type or out of range. An additional entry without `configValue` is kept
 * with an empty value, as [3P] saw when it sent `customValue` instead.
 */
export function applySetBody(
  settings: readonly SettingDef[],
  kafkaVersionCode: string,
  body: Record<string, unknown>,
): Record<string, string> {
  const byKey = new Map(settings.filter((d) => d.typed).map((d) => [d.configNameKey, d]));
  const byName = new Map(settings.map((d) => [d.configName, d]));
  const problems: string[] = [];
  const out: Record<string, string> = {};
  const take = (d: SettingDef, raw: unknown, label: string): void => {
    const r = check(d, raw);
    if ('problem' in r) problems.push(`${label}: ${r.problem}`);
    else if (d.modifyYn) out[d.configName] = r.ok;
  };
  for (const [field, raw] of Object.entries(body)) {
    if (NON_SETTINGS.has(field) || raw === null) continue;
    const d = byKey.get(field);
    if (d === undefined) problems.push(`${field}: unknown configuration for Kafka version code ${kafkaVersionCode}`);
    else take(d, raw, `${field} (${d.configName})`);
  }
  const extra = body['additionalKafkaConfigGroupDetailList'];
  if (extra !== undefined && extra !== null) {
    if (!Array.isArray(extra)) problems.push('additionalKafkaConfigGroupDetailList: must be an array');
    else
      extra.forEach((e: unknown, i) => {
        const at = `additionalKafkaConfigGroupDetailList.${i}`;
        const entry = typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : {};
        const name = entry['configName'];
        if (typeof name !== 'string' || name === '') return void problems.push(`${at}.configName: is required`);
        const d = byName.get(name);
        if (d === undefined) return void problems.push(`${name}: unknown configuration for Kafka version code ${kafkaVersionCode}`);
        if (d.typed) return void problems.push(`${name}: set it with its own field ${d.configNameKey}`);
        if (entry['configValue'] === undefined || entry['configValue'] === null) out[name] = '';
        else take(d, entry['configValue'], name);
      });
  }
  if (problems.length > 0) throw new BusinessError(ERR.INVALID_CONFIG, problems.join('; '));
  return out;
}

/** G4 `result` for a group's custom values ([SDK] shape, plus [3P]'s additional list). */
export function detailView(settings: readonly SettingDef[], custom: Readonly<Record<string, string>>) {
  return {
    kafkaConfigGroupDetailList: settings
      .filter((d) => d.typed)
      .map((d) => ({
        configName: d.configName,
        configNameKey: d.configNameKey,
        customValue: custom[d.configName] ?? null,
        defaultValue: d.defaultValue,
        modifyYn: d.modifyYn,
        range: d.range,
        type: d.type,
      })),
    additionalKafkaConfigGroupDetailList: settings
      .filter((d) => !d.typed && custom[d.configName] !== undefined)
      .map((d) => ({ configName: d.configName, configValue: custom[d.configName] ?? '' })),
  };
}
