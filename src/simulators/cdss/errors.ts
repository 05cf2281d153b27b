// The two error families a CDSS client meets (spec §3):
//   - GatewayError: the NCP API Gateway answers before the service is reached (auth, routing,
//     throttling, backend trouble). Body `{"error":{"errorCode","message"[,"details"]}}` (§3.2).
//   - BusinessError: the CDSS service refuses the request. Body is the §3.1 envelope with a
//     non-zero `code`, a human-readable `message` and `result: null`.
//
// Business error codes. Only 10153 is documented (§3.1, seed); the docs publish no CDSS error-code
// table, so every other code below is OUR invention [INF], picked from the same 10xxx range.
// Clients must not depend on them (nor parse `message`, §3.1); tests may.
export const ERR = {
  /** A request field is missing, of the wrong type or outside its documented limits (§5.2). */
  INVALID_PARAMETER: 10001,
  /** No cluster with this serviceGroupInstanceNo (in this region). */
  CLUSTER_NOT_FOUND: 10002,
  /** The cluster is not `running`, so it accepts no mutation (§6 #6 [INF from TF]). */
  CLUSTER_NOT_RUNNING: 10003,
  /** A live cluster with this name already exists in the VPC (§6 #7, our choice). */
  DUPLICATE_CLUSTER_NAME: 10004,
  /** Scale-out would exceed the broker cap (§5.8 [INF] total ≤ 10). */
  BROKER_LIMIT_EXCEEDED: 10005,
  /** Config group unknown, or not created for the requested Kafka version (§5.18, §6 #9). */
  CONFIG_GROUP_MISMATCH: 10006,
  /** kafkaVersionCode not in getCDSSVersionList (§5.10). */
  UNKNOWN_KAFKA_VERSION: 10007,
  /** Duplicate config group name for the same Kafka version (our choice). */
  DUPLICATE_CONFIG_GROUP_NAME: 10008,
  /** G5: an unknown setting for the group's Kafka version, or a value of the wrong type or range (§5.18). */
  INVALID_CONFIG: 10009,
  /** G9 of a config group some cluster still uses (§5.18 [INF] "probably rejected"). */
  CONFIG_GROUP_IN_USE: 10010,
  /** C9: a product C10 does not offer for the role (a downgrade, [3P], or an unknown code). */
  SPEC_CHANGE_NOT_ALLOWED: 10011,
  /** C16: a load balancer C18 does not list for the cluster. */
  UNKNOWN_LOAD_BALANCER: 10012,
  /** C16 while the broker public endpoint is already enabled. */
  PUBLIC_ENDPOINT_ENABLED: 10013,
  /** Documented (§3.1, §5.15, seed): the upgrade target is not later than the current version. */
  UPGRADE_NOT_LATER: 10153,
} as const;

/** The seed's exact message for 10153 (cdss-rollingupgrade error example). */
export const UPGRADE_NOT_LATER_MESSAGE = '업데이트된 Kafka 버전은 현재 클러스터 버전보다 이후여야 합니다.';

export class BusinessError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = 'BusinessError';
    this.code = code;
  }
}

export class GatewayError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly details: string | undefined;
  readonly headers: Record<string, string>;
  constructor(status: number, errorCode: string, message: string, details?: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'GatewayError';
    this.status = status;
    this.errorCode = errorCode;
    this.details = details;
    this.headers = headers;
  }

  /** §3.2 shape. `errorCode` is a string, as in the docs' example (the table says Integer). */
  body(): { error: { errorCode: string; message: string; details?: string } } {
    return { error: { errorCode: this.errorCode, message: this.message, ...(this.details !== undefined && { details: this.details }) } };
  }
}

// §3.2 table rows the simulator produces.
export const authFailed = (details: string): GatewayError => new GatewayError(401, '200', 'Authentication Failed', details);
export const permissionDenied = (): GatewayError =>
  new GatewayError(401, '210', 'Permission Denied', 'this access key has no Cloud Data Streaming Service permission');
export const notFound = (): GatewayError => new GatewayError(404, '300', 'Not Found Exception');
export const tooLarge = (): GatewayError => new GatewayError(413, '430', 'Request Entity Too Large');
export const rateLimited = (retryAfterSeconds: number): GatewayError =>
  new GatewayError(429, '420', 'Rate Limited', undefined, { 'retry-after': String(retryAfterSeconds) });
export const endpointError = (): GatewayError => new GatewayError(503, '500', 'Endpoint Error');
export const unexpectedError = (): GatewayError => new GatewayError(500, '900', 'Unexpected Error');

export const invalid = (field: string, problem: string): BusinessError => new BusinessError(ERR.INVALID_PARAMETER, `${field}: ${problem}`);
