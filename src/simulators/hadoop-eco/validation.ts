// Request-body validation for create (spec §2.1) and scale (§2.6, §2.7). Every failure becomes a
// 400 whose message names the offending field as `path: problem`, several joined by "; ", so a
// user reading an operator condition knows exactly what to fix.
//
// Deliberately stricter than a default Jackson backend in one way: numbers must be JSON integers
// (Jackson would coerce "3" or 3.0); the simulator exists to catch client bugs early.
import { z } from 'zod';

export interface CreateClusterInput {
  name: string;
  clusterType: string;
  clusterVersion: string;
  isHa: boolean;
  keypairName: string;
  masterFlavorName: string;
  masterVolumeSize: number;
  workerCnt: number;
  workerFlavorName: string;
  workerVolumeSize: number;
  monitoring: boolean;
  securityGroupIds?: string[];
  securityGroupName?: string;
  vpcId: string;
  subnetId: string;
  adminInfo?: { userId?: string; userPw?: string };
  config: {
    hdfsReplication: number;
    hdfsBlockSize: number;
    configText?: string;
    configFileUrl?: string;
    userScript?: string;
    userScriptFileUrl?: string;
  };
  userTask?: UserTaskInput;
  hiveDbInfo?: { objectId: string; dbName: string; userId: string; userPw: string };
  dataCatalogInfo?: { catalogId: string };
  redisInfo?: { objectId: string; dbIdSupersetCelery?: number; dbIdSupersetResults?: number };
}

export interface UserTaskInput {
  type: 'hive' | 'spark';
  terminationPolicy: 'never' | 'onSuccess' | 'always';
  fileUrl?: string;
  hiveQuery?: string;
  deployMode?: 'cluster' | 'client';
  execOpts?: string;
  execParams?: string;
  logBucketName?: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

const typeError = (what: string) => (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : `must be ${what}`);

const reqString = () => z.string({ error: typeError('a string') }).refine((s) => s.trim().length > 0, { error: 'must not be blank' });
const optString = () => z.string({ error: typeError('a string') }).optional();
const reqBool = () => z.boolean({ error: typeError('a boolean (true or false)') });
const int = () => z.int({ error: typeError('an integer') });

// RFC 4648 standard alphabet with padding and no line breaks: what the spec tells clients to emit
// (§5 "Base64 rules"). GNU base64's 76-column wrapping is rejected on purpose.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export function isBase64(s: string): boolean {
  return s.length > 0 && BASE64.test(s);
}
const base64 = () =>
  z
    .string({ error: typeError('a Base64-encoded string') })
    .refine(isBase64, { error: 'must be valid Base64 (RFC 4648, padded, no line breaks)', abort: true });

const configTextMessage = 'must be Base64 of a JSON document with a "configurations" array of {classification, properties}';
function isConfigDocument(b64: string): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
  } catch {
    return false;
  }
  if (typeof doc !== 'object' || doc === null || !('configurations' in doc)) return false;
  const configurations = doc.configurations;
  if (!Array.isArray(configurations)) return false;
  return configurations.every((c: unknown) => {
    if (typeof c !== 'object' || c === null) return false;
    const { classification, properties } = c as { classification?: unknown; properties?: unknown };
    return typeof classification === 'string' && typeof properties === 'object' && properties !== null && !Array.isArray(properties);
  });
}

// Unknown keys are kept and ignored (Jackson's default in a Spring Boot app), hence looseObject.
const createSchema = z.looseObject({
  name: reqString(),
  clusterType: reqString(), // free string, not an enum: spec §4.1
  clusterVersion: reqString().refine((v) => /^hde-\d+\.\d+\.\d+$/.test(v), { error: 'must look like hde-X.Y.Z (spec §4.2)' }),
  isHa: reqBool(),
  keypairName: reqString(),
  masterFlavorName: reqString(),
  masterVolumeSize: int().min(1, { error: 'must be at least 1 (GB)' }),
  workerCnt: int().min(1, { error: 'must be at least 1' }),
  workerFlavorName: reqString(),
  workerVolumeSize: int().min(1, { error: 'must be at least 1 (GB)' }),
  monitoring: reqBool(),
  securityGroupIds: z
    .array(reqString(), { error: typeError('an array of strings') })
    .min(1, { error: 'must not be empty (or use securityGroupName)' })
    .optional(),
  securityGroupName: reqString().optional(),
  vpcId: reqString(),
  subnetId: reqString(),
  adminInfo: z.looseObject({ userId: optString(), userPw: base64().optional() }, { error: typeError('an object') }).optional(),
  config: z.looseObject(
    {
      hdfsReplication: int().min(1, { error: 'must be at least 1' }),
      hdfsBlockSize: int().min(1, { error: 'must be at least 1 (MB)' }),
      configText: base64().refine(isConfigDocument, { error: configTextMessage }).optional(),
      configFileUrl: optString(),
      fileUrl: optString(),
      userScript: base64().optional(),
      userScriptFileUrl: optString(),
    },
    { error: typeError('an object') },
  ),
  userTask: z
    .looseObject(
      {
        type: z.enum(['hive', 'spark'], { error: typeError('one of hive, spark') }),
        terminationPolicy: z.enum(['never', 'onSuccess', 'always'], { error: typeError('one of never, onSuccess, always') }),
        fileUrl: optString(),
        hiveQuery: optString(),
        deployMode: z.enum(['cluster', 'client'], { error: typeError('one of cluster, client') }).optional(),
        execOpts: optString(),
        execParams: optString(),
        logBucketName: optString(),
      },
      { error: typeError('an object') },
    )
    .optional(),
  hiveDbInfo: z
    .looseObject({ objectId: reqString(), dbName: reqString(), userId: reqString(), userPw: base64() }, { error: typeError('an object') })
    .optional(),
  dataCatalogInfo: z.looseObject({ catalogId: reqString() }, { error: typeError('an object') }).optional(),
  dataCatalog: z.looseObject({ catalogId: reqString() }, { error: typeError('an object') }).optional(),
  redisInfo: z
    .looseObject(
      {
        objectId: reqString(),
        dbIdSupersetCelery: int().min(0, { error: 'must be between 0 and 15' }).max(15, { error: 'must be between 0 and 15' }).optional(),
        dbIdSupersetResults: int().min(0, { error: 'must be between 0 and 15' }).max(15, { error: 'must be between 0 and 15' }).optional(),
      },
      { error: typeError('an object') },
    )
    .optional(),
});

const scaleSchema = z.looseObject({ scaleCnt: int().min(1, { error: 'must be at least 1' }) });

/** JSON `null` means "absent" to Jackson for optional fields; dropping nulls gives one code path. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
    return out;
  }
  return value;
}

function formatIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

function asObject(body: unknown): Validated<Record<string, unknown>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, message: 'request body must be a JSON object' };
  return { ok: true, value: dropNulls(body) as Record<string, unknown> };
}

export function validateCreate(body: unknown): Validated<CreateClusterInput> {
  const obj = asObject(body);
  if (!obj.ok) return obj;
  const parsed = createSchema.safeParse(obj.value);
  if (!parsed.success) return { ok: false, message: formatIssues(parsed.error.issues) };
  const b = parsed.data;
  const problems: string[] = [];

  // §2.1: "one of the two must be given"; both at once is ambiguous (reuse or create?), so exactly one.
  const hasIds = b.securityGroupIds !== undefined;
  const hasName = b.securityGroupName !== undefined;
  if (hasIds === hasName)
    problems.push(`securityGroupIds, securityGroupName: exactly one must be given (got ${hasIds ? 'both' : 'neither'})`);

  // §2.1 / §5 #15: one rule, workerCnt >= config.hdfsReplication (>= 1 is checked by the schema).
  if (b.workerCnt < b.config.hdfsReplication) {
    problems.push(
      `workerCnt: must be greater than or equal to config.hdfsReplication (workerCnt ${b.workerCnt} < hdfsReplication ${b.config.hdfsReplication})`,
    );
  }

  // §5 #1: the field table says config.fileUrl, example 3 and GET say configFileUrl; accept both,
  // and both at once when they agree (the spec suggests clients may send both).
  const { configFileUrl, fileUrl } = b.config;
  if (configFileUrl !== undefined && fileUrl !== undefined && configFileUrl !== fileUrl) {
    problems.push('config.configFileUrl, config.fileUrl: aliases of one field; they must not differ');
  }
  // §5 #2: likewise dataCatalogInfo (table, GET) and dataCatalog (example 1).
  if (b.dataCatalogInfo !== undefined && b.dataCatalog !== undefined && b.dataCatalogInfo.catalogId !== b.dataCatalog.catalogId) {
    problems.push('dataCatalogInfo, dataCatalog: aliases of one field; they must not differ');
  }
  const dataCatalog = b.dataCatalogInfo ?? b.dataCatalog;
  // Spec §2.1 [INF]: the console offers a single "Hive metastore" choice.
  if (b.hiveDbInfo !== undefined && dataCatalog !== undefined)
    problems.push('hiveDbInfo, dataCatalogInfo: at most one Hive metastore may be given');

  if (problems.length > 0) return { ok: false, message: problems.join('; ') };

  const value: CreateClusterInput = {
    name: b.name,
    clusterType: b.clusterType,
    clusterVersion: b.clusterVersion,
    isHa: b.isHa,
    keypairName: b.keypairName,
    masterFlavorName: b.masterFlavorName,
    masterVolumeSize: b.masterVolumeSize,
    workerCnt: b.workerCnt,
    workerFlavorName: b.workerFlavorName,
    workerVolumeSize: b.workerVolumeSize,
    monitoring: b.monitoring,
    securityGroupIds: b.securityGroupIds,
    securityGroupName: b.securityGroupName,
    vpcId: b.vpcId,
    subnetId: b.subnetId,
    adminInfo: b.adminInfo && { userId: b.adminInfo.userId, userPw: b.adminInfo.userPw },
    config: {
      hdfsReplication: b.config.hdfsReplication,
      hdfsBlockSize: b.config.hdfsBlockSize,
      configText: b.config.configText,
      configFileUrl: configFileUrl ?? fileUrl,
      userScript: b.config.userScript,
      userScriptFileUrl: b.config.userScriptFileUrl,
    },
    userTask: b.userTask && {
      type: b.userTask.type,
      terminationPolicy: b.userTask.terminationPolicy,
      fileUrl: b.userTask.fileUrl,
      hiveQuery: b.userTask.hiveQuery,
      deployMode: b.userTask.deployMode,
      execOpts: b.userTask.execOpts,
      execParams: b.userTask.execParams,
      logBucketName: b.userTask.logBucketName,
    },
    hiveDbInfo: b.hiveDbInfo && {
      objectId: b.hiveDbInfo.objectId,
      dbName: b.hiveDbInfo.dbName,
      userId: b.hiveDbInfo.userId,
      userPw: b.hiveDbInfo.userPw,
    },
    dataCatalogInfo: dataCatalog && { catalogId: dataCatalog.catalogId },
    redisInfo: b.redisInfo && {
      objectId: b.redisInfo.objectId,
      dbIdSupersetCelery: b.redisInfo.dbIdSupersetCelery,
      dbIdSupersetResults: b.redisInfo.dbIdSupersetResults,
    },
  };
  return { ok: true, value };
}

export function validateScale(body: unknown): Validated<{ scaleCnt: number }> {
  const obj = asObject(body);
  if (!obj.ok) return obj;
  const parsed = scaleSchema.safeParse(obj.value);
  if (!parsed.success) return { ok: false, message: formatIssues(parsed.error.issues) };
  return { ok: true, value: { scaleCnt: parsed.data.scaleCnt } };
}
