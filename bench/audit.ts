// The operator's requests to the API server, read from the control plane's audit log (one JSON
// object per line). Watch streams carry client-node's own user agent and are not counted.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface AuditEntry {
  stage: string;
  userAgent?: string;
  requestReceivedTimestamp: string;
  verb: string;
  objectRef?: { resource?: string; subresource?: string; name?: string };
}

const WRITES = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** The operator's completed requests received at or after `since`. */
export async function operatorRequests(auditLogPath: string, since: Date): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const line of createInterface({ input: createReadStream(auditLogPath), crlfDelay: Infinity })) {
    if (!line.includes('cloud-data-operator/')) continue;
    const e = JSON.parse(line) as AuditEntry;
    if (
      e.stage === 'ResponseComplete' &&
      String(e.userAgent).startsWith('cloud-data-operator/') &&
      new Date(e.requestReceivedTimestamp) >= since
    )
      out.push(e);
  }
  return out;
}

/** "verb resource[/subresource]", e.g. "patch hadoopecoclusters/status". */
export const requestKey = (e: AuditEntry) =>
  `${e.verb} ${e.objectRef?.resource ?? ''}${e.objectRef?.subresource ? '/' + e.objectRef.subresource : ''}`;

export function tally(keys: string[]): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m].sort((a, b) => a[0].localeCompare(b[0]));
}

/** The operator's writes since `since`: the total and a count per verb and resource. */
export async function apiWrites(auditLogPath: string, since: Date): Promise<{ total: number; byVerb: Array<[string, number]> }> {
  const writes = (await operatorRequests(auditLogPath, since)).filter((e) => WRITES.has(e.verb));
  return { total: writes.length, byVerb: tally(writes.map(requestKey)) };
}
