// Cloud observations → HadoopEcoCluster status (pure). Computed fresh on every pass from what the
// cloud says now, so it never lies, and deterministic, so an unchanged cloud gives an unchanged
// status (and no write).
import type { ClusterDetail, Vm } from '../../clouds/kakaocloud/types.ts';
import { coreStatus, stored, type CoreStatusInput } from '../core/status.ts';
import type { HadoopEcoStatus } from './schema.ts';

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined);
const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

export function endpointsOf(d: ClusterDetail): NonNullable<HadoopEcoStatus['endpoints']> {
  return JSON.parse(
    JSON.stringify({
      nameNode: opt(d.nameNodeUrl),
      resourceManager: opt(d.resourceManagerUrl),
      hue: opt(d.hueUrl),
      hmaster: opt(d.hmasterUrl),
      trino: opt(d.trinoUrl),
      druid: opt(d.druidUrl),
      superset: opt(d.supersetUrl),
    }),
  ) as NonNullable<HadoopEcoStatus['endpoints']>;
}

/** The one URL for the printer column: the UI a user most likely wants. */
export function primaryUrl(e: NonNullable<HadoopEcoStatus['endpoints']>): string | undefined {
  return e.hue ?? e.superset ?? e.trino ?? e.hmaster ?? e.nameNode;
}

export interface StatusInput extends CoreStatusInput {
  previous: HadoopEcoStatus;
  observed: ClusterDetail | null | undefined;
  vms: Vm[] | undefined;
}

export function buildStatus(s: StatusInput): HadoopEcoStatus {
  const d = s.observed ?? undefined;
  const endpoints = d ? endpointsOf(d) : s.previous.endpoints;
  const terminated = s.plan.phase === 'Completed' || s.plan.phase === 'Failed';
  return stored<HadoopEcoStatus>({
    ...coreStatus(s),
    cloudStatus: d?.status ?? s.previous.cloudStatus,
    masterCount: opt(d?.masterCnt) ?? s.previous.masterCount,
    workerCount: opt(d?.workerCnt) ?? s.previous.workerCount,
    nodeCount: opt(d?.nodeCnt) ?? s.previous.nodeCount,
    scalable: opt(d?.isScalable) ?? undefined,
    ...(endpoints && Object.keys(endpoints).length && !terminated ? { endpoints, url: primaryUrl(endpoints) } : {}),
    vms: s.vms
      ? s.vms
          .map((v) => ({
            name: v.name,
            role: v.isMaster ? ('master' as const) : ('worker' as const),
            status: v.status ?? 'Unknown',
            flavor: opt(v.flavorName),
            privateIp: opt(v.ip),
          }))
          .sort((a, b) => a.name.localeCompare(b.name))
      : terminated
        ? undefined
        : s.previous.vms,
    createdAt: iso(d?.createdAt) ?? s.previous.createdAt,
    runningAt: iso(d?.runningAt) ?? s.previous.runningAt,
    apiKeyStatus: opt(d?.apiKeyStatus) ?? s.previous.apiKeyStatus,
    ...(d?.userTask || s.previous.job ? { job: jobOf(s.plan.phase, d, s.previous.job) } : {}),
  });
}

function jobOf(phase: string, d: ClusterDetail | undefined, previous: HadoopEcoStatus['job']): NonNullable<HadoopEcoStatus['job']> {
  const policy = d?.userTask?.terminationPolicy;
  // The API has no job-result field; the only evidence is how the cluster ends (spec §3.4). Once
  // its tombstone is gone there is no new evidence: the result stays what it was.
  const ended = policy === 'onSuccess' ? 'Succeeded' : 'Finished';
  const result = phase === 'Completed' ? (d ? ended : (previous?.result ?? ended)) : phase === 'Failed' ? 'Failed' : previous?.result;
  return {
    ...(result ? { result } : {}),
    ...((opt(d?.userTask?.logUrl) ?? previous?.logUrl) ? { logUrl: opt(d?.userTask?.logUrl) ?? previous?.logUrl } : {}),
  };
}
