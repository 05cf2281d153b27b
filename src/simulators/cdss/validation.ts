// Request-body validation for every modelled operation (spec §5). A failure is a business error
// (code 10001, see errors.ts) whose message names each offending field as `field: problem`,
// several joined by "; ", so an operator condition tells the user exactly what to fix.
//
// Numbers are accepted as JSON numbers or numeric strings (§6 #3: the SDK sends kafkaVersionCode
// as a string and it works). Unknown fields are ignored, as a Java backend would.
import { z } from 'zod';
import { BusinessError, ERR } from './errors.ts';

const typeError = (what: string) => (iss: { input?: unknown }) =>
  iss.input === undefined || iss.input === null ? 'is required' : `must be ${what}`;

/** Integer given as a JSON number or a string of digits (§6 #3). */
const num = () =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v),
    z.int({ error: typeError('an integer (number or numeric string)') }),
  );

/** kafkaVersionCode: Integer in requests, String in responses (§6 #3); kept as the string code. */
const versionCode = () =>
  z.preprocess(
    (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? String(v) : v),
    z
      .string({ error: typeError('a Kafka version code (number or numeric string)') })
      .regex(/^\d+$/, { error: 'must be a Kafka version code (number or numeric string)' }),
  );

const reqString = () => z.string({ error: typeError('a string') }).refine((s) => s.trim().length > 0, { error: 'must not be blank' });

// §5.2 clusterName / kafkaManagerUserName: 3-15 characters, lowercase letters, digits and "-",
// starting with a lowercase letter, ending with a letter or digit, no consecutive "-" [DOC]
// (stricter than TF's regex, which misses the consecutive-hyphen rule; we follow the docs).
const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const nameRule = () =>
  z
    .string({ error: typeError('a string') })
    .min(3, { error: 'must be 3-15 characters', abort: true })
    .max(15, { error: 'must be 3-15 characters', abort: true })
    .regex(NAME, {
      error: 'must use lowercase letters, digits and single hyphens, start with a lowercase letter and end with a letter or digit',
    });

// §5.18 G2 configGroupName: 3-30 [DOC] (TF says 3-15; we follow the docs, §7), same alphabet.
const configGroupNameRule = () =>
  z
    .string({ error: typeError('a string') })
    .min(3, { error: 'must be 3-30 characters', abort: true })
    .max(30, { error: 'must be 3-30 characters', abort: true })
    .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, {
      error: 'must use lowercase letters, digits and hyphens, start with a lowercase letter and end with a letter or digit',
    });

// §5.2 kafkaManagerUserPassword: 8-20 characters combining letters, digits and special
// characters; forbidden ' " ` ₩ / & and whitespace [DOC]. We follow the current docs: one letter
// of either case (not DOC-OLD's upper AND lower), and any other non-forbidden symbol counts as
// special (TF's narrower list of specials is not enforced).
const FORBIDDEN = /['"`₩/&\s]/u;
export function passwordProblem(p: string): string | undefined {
  const len = [...p].length;
  if (len < 8 || len > 20) return 'must be 8-20 characters';
  if (FORBIDDEN.test(p)) return 'must not contain \' " ` ₩ / & or whitespace';
  if (!/[A-Za-z]/.test(p) || !/[0-9]/.test(p) || !/[^A-Za-z0-9]/.test(p)) return 'must combine letters, digits and special characters';
  return undefined;
}
const passwordRule = () =>
  z.string({ error: typeError('a string') }).superRefine((p, ctx) => {
    const problem = passwordProblem(p);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

const brokerCount = () => num().pipe(z.int().min(3, { error: 'must be between 3 and 10' }).max(10, { error: 'must be between 3 and 10' }));
const storageSize = () =>
  num().pipe(
    z
      .int()
      .min(100, { error: 'must be between 100 and 2000 (GB)' })
      .max(2000, { error: 'must be between 100 and 2000 (GB)' })
      .multipleOf(10, { error: 'must be a multiple of 10 (GB)' }),
  );
const positive = () => num().pipe(z.int().min(1, { error: 'must be at least 1' }));

const common = {
  clusterName: nameRule(),
  kafkaVersionCode: versionCode(),
  // §7: required in the docs, optional in the SDK; we follow the docs (a client should always send it).
  configGroupNo: num(),
  kafkaManagerUserName: nameRule(),
  kafkaManagerUserPassword: passwordRule(),
  softwareProductCode: reqString(),
  vpcNo: num(),
  managerNodeSubnetNo: num(),
};

// §5.2 (C1/C2, G2 servers).
const createG2Schema = z.looseObject({
  ...common,
  managerNodeProductCode: reqString(),
  brokerNodeSubnetNo: num(),
  brokerNodeCount: brokerCount(),
  brokerNodeProductCode: reqString(),
  brokerNodeStorageSize: storageSize(),
});

// §5.3 (C3, G3/KVM servers). serverSpecCode and the product codes carry no "Y" in the spec, so
// they are optional here; the storage-type fields are passed through [3P].
const createG3Schema = z.looseObject({
  ...common,
  hypervisorCode: reqString(),
  generationCode: reqString(),
  vpcName: reqString(),
  managerNodeSubnetName: reqString(),
  managerNodeProductCode: reqString().optional(),
  dataNodeSubnetName: reqString(),
  dataNodeSubnetNo: num(),
  dataNodeCount: brokerCount(),
  dataNodeProductCode: reqString().optional(),
  dataNodeStorageSize: storageSize(),
  serverSpecCode: reqString().optional(),
  dataNodeStorageType2Code: reqString().optional(),
  dataNodeStorageInfraResourceDetailTypeCode: reqString().optional(),
});

/** What the store needs to create a cluster, whichever create API was used. */
export interface CreateClusterInput {
  generation: 'G2' | 'G3';
  clusterName: string;
  kafkaVersionCode: string;
  configGroupNo: number;
  kafkaManagerUserName: string;
  kafkaManagerUserPassword: string;
  softwareProductCode: string;
  vpcNo: number;
  vpcName?: string;
  managerNodeProductCode: string;
  managerNodeSubnetNo: number;
  brokerNodeProductCode: string;
  brokerNodeSubnetNo: number;
  brokerNodeCount: number;
  brokerNodeStorageSize: number;
}

// §5.4: every field optional; pageNo/pageSize 1..N.
const listSchema = z.looseObject({
  inputText: z.string({ error: typeError('a string') }).optional(),
  vpcName: z.string({ error: typeError('a string') }).optional(),
  pageNo: positive().optional(),
  pageSize: positive().optional(),
});

// §5.8: newBrokerNodeCount is a DELTA of 1-10.
const addBrokersSchema = z.looseObject({
  newBrokerNodeCount: num().pipe(
    z.int().min(1, { error: 'must be between 1 and 10 (brokers to add)' }).max(10, { error: 'must be between 1 and 10 (brokers to add)' }),
  ),
});

const passwordSchema = z.looseObject({ kafkaManagerUserPassword: passwordRule() });
const publicEndpointSchema = z.looseObject({ loadBalancerInstanceNo: num() });
const upgradeSchema = z.looseObject({ serviceGroupInstanceNo: num(), upgradeKafkaVersionCode: versionCode(), upgradeConfigGroupNo: num() });
const progressSchema = z.looseObject({ serviceGroupInstanceNo: num() });
const versionGroupListSchema = z.looseObject({
  kafkaVersionCode: versionCode(),
  pageNo: positive().optional(),
  pageSize: positive().optional(),
});
const createConfigGroupSchema = z.looseObject({
  configGroupName: configGroupNameRule(),
  kafkaVersionCode: versionCode(),
  description: z
    .string({ error: typeError('a string') })
    .max(255, { error: 'must be at most 255 characters' })
    .optional(),
});
const versionOnlySchema = z.looseObject({ kafkaVersionCode: versionCode() });
const applyConfigGroupSchema = z.looseObject({ kafkaVersionCode: versionCode(), serviceGroupInstanceNo: num() });

function formatIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

/** JSON null means "absent" for optional fields; dropping nulls gives one code path. */
function dropNulls(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BusinessError(ERR.INVALID_PARAMETER, 'request body must be a JSON object');
  const r = schema.safeParse(dropNulls(body as Record<string, unknown>));
  if (!r.success) throw new BusinessError(ERR.INVALID_PARAMETER, formatIssues(r.error.issues));
  return r.data;
}

export function validateCreateG2(body: unknown): CreateClusterInput {
  const b = parseWith(createG2Schema, body);
  return {
    generation: 'G2',
    clusterName: b.clusterName,
    kafkaVersionCode: b.kafkaVersionCode,
    configGroupNo: b.configGroupNo,
    kafkaManagerUserName: b.kafkaManagerUserName,
    kafkaManagerUserPassword: b.kafkaManagerUserPassword,
    softwareProductCode: b.softwareProductCode,
    vpcNo: b.vpcNo,
    managerNodeProductCode: b.managerNodeProductCode,
    managerNodeSubnetNo: b.managerNodeSubnetNo,
    brokerNodeProductCode: b.brokerNodeProductCode,
    brokerNodeSubnetNo: b.brokerNodeSubnetNo,
    brokerNodeCount: b.brokerNodeCount,
    brokerNodeStorageSize: b.brokerNodeStorageSize,
  };
}

export function validateCreateG3(body: unknown): CreateClusterInput {
  const b = parseWith(createG3Schema, body);
  return {
    generation: 'G3',
    clusterName: b.clusterName,
    kafkaVersionCode: b.kafkaVersionCode,
    configGroupNo: b.configGroupNo,
    kafkaManagerUserName: b.kafkaManagerUserName,
    kafkaManagerUserPassword: b.kafkaManagerUserPassword,
    softwareProductCode: b.softwareProductCode,
    vpcNo: b.vpcNo,
    vpcName: b.vpcName,
    managerNodeProductCode: b.managerNodeProductCode ?? b.serverSpecCode ?? '',
    managerNodeSubnetNo: b.managerNodeSubnetNo,
    // G3 names its brokers "data nodes" (§5.3, §6 #12); C5 reports them as brokerNode* either way.
    brokerNodeProductCode: b.dataNodeProductCode ?? b.serverSpecCode ?? '',
    brokerNodeSubnetNo: b.dataNodeSubnetNo,
    brokerNodeCount: b.dataNodeCount,
    brokerNodeStorageSize: b.dataNodeStorageSize,
  };
}

export const validateList = (body: unknown) => parseWith(listSchema, body);
export const validateAddBrokers = (body: unknown) => parseWith(addBrokersSchema, body);
export const validatePasswordReset = (body: unknown) => parseWith(passwordSchema, body);
export const validatePublicEndpoint = (body: unknown) => parseWith(publicEndpointSchema, body);
export const validateUpgrade = (body: unknown) => parseWith(upgradeSchema, body);
export const validateProgress = (body: unknown) => parseWith(progressSchema, body);
export const validateVersionGroupList = (body: unknown) => parseWith(versionGroupListSchema, body);
export const validateCreateConfigGroup = (body: unknown) => parseWith(createConfigGroupSchema, body);
export const validateVersionOnly = (body: unknown) => parseWith(versionOnlySchema, body);
export const validateApplyConfigGroup = (body: unknown) => parseWith(applyConfigGroupSchema, body);

// §5.18 G6: description 0-255 (absent reads as empty, as [3P] clears it by omitting it).
const setDescriptionSchema = z.looseObject({
  kafkaVersionCode: versionCode(),
  description: z
    .string({ error: typeError('a string') })
    .max(255, { error: 'must be at most 255 characters' })
    .optional(),
});
// §5.18 G8 / G10: paging only.
const pagingSchema = z.looseObject({ pageNo: positive().optional(), pageSize: positive().optional() });
// §5.9 C9: either code or both, at least one.
const changeSpecSchema = z
  .looseObject({ managerNodeProductCode: reqString().optional(), brokerNodeProductCode: reqString().optional() })
  .refine((b) => b.managerNodeProductCode !== undefined || b.brokerNodeProductCode !== undefined, {
    error: 'managerNodeProductCode or brokerNodeProductCode is required',
  });
// §5.9 C10: the OS image code, required.
const nodeProductsSchema = z.looseObject({ softwareProductCode: reqString() });

export const validateSetDescription = (body: unknown) => parseWith(setDescriptionSchema, body);
export const validatePaging = (body: unknown) => parseWith(pagingSchema, body);
export const validateChangeSpec = (body: unknown) => parseWith(changeSpecSchema, body);
export const validateNodeProducts = (body: unknown) => parseWith(nodeProductsSchema, body);

/** G5: the version code checked; the settings themselves are checked by config-values.ts. */
export function validateSetValues(body: unknown): { kafkaVersionCode: string; body: Record<string, unknown> } {
  const { kafkaVersionCode } = parseWith(versionOnlySchema, body);
  return { kafkaVersionCode, body: body as Record<string, unknown> };
}
