// `kubectl cdo status`, what it prints: one resource in full (phase, the kstatus conditions and the
// others, its cloud cluster as status reports it, pending changes, its last Events, and what to
// do when it is Stalled), or a table of many. Pure: it formats objects the command has read.
import type { PendingChange } from '../resources/core/changes.ts';
import { annotations } from '../resources/core/schema.ts';
import type { KubeObject } from '../runtime/object.ts';
import { adviceFor } from './stalled-advice.ts';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** An events.k8s.io/v1 Event, the fields shown. */
export interface EventLike {
  type?: string;
  reason?: string;
  note?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  deprecatedLastTimestamp?: string;
  metadata?: { creationTimestamp?: string };
}

/** The status fields read by name; the rest are shown through cloudFields. */
interface StatusView {
  phase?: string;
  observedGeneration?: number;
  clusterId?: string;
  pendingChangeIds?: string;
  pendingChanges?: PendingChange[];
  conditions?: Condition[];
}

const statusOf = (obj: KubeObject): StatusView => obj['status'] ?? {};

/** Conditions in this order first (kstatus, then the operator's own), any other after them. */
const conditionOrder = ['Ready', 'Reconciling', 'Stalled', 'ChangesPending', 'SpecApplied', 'Healthy'];
const rank = (type: string) => (conditionOrder.includes(type) ? conditionOrder.indexOf(type) : conditionOrder.length);

/** What status says about the cloud cluster, in the order shown: [label, path in status]. */
const cloudFields: ReadonlyArray<[string, string]> = [
  ['id', 'clusterId'],
  ['name', 'clusterName'],
  ['cloud status', 'cloudStatus'],
  ['masters', 'masterCount'],
  ['workers', 'workerCount'],
  ['nodes', 'nodeCount'],
  ['brokers', 'brokerCount'],
  ['Kafka version', 'kafkaVersion.name'],
  ['config group', 'configGroupNo'],
  ['health', 'health'],
  ['URL', 'url'],
  ['endpoints', 'endpoints'],
  ['bootstrap servers', 'bootstrapServers'],
  ['ZooKeeper', 'zookeeper'],
  ['upgrade', 'upgrade'],
  ['change', 'change'],
  ['next maintenance window', 'nextMaintenanceWindow'],
];

function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** A scalar as is; an object as `key value, …` (nested objects flattened one level). */
function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v !== 'object') return JSON.stringify(v);
  return Object.entries(v)
    .filter(([, x]) => x !== undefined && x !== null && x !== '')
    .map(([k, x]) => `${k} ${typeof x === 'object' ? JSON.stringify(x) : String(x as string | number | boolean)}`)
    .join(', ');
}

function table(rows: string[][], indent = ''): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `${indent}${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd());
}

/** "5m", "2h", "3d" since `iso`, as kubectl prints ages. */
export function age(iso: string | undefined, now: number): string {
  if (!iso) return '-';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 2 * 3600) return `${Math.floor(s / 60)}m`;
  if (s < 2 * 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const conditionsOf = (obj: KubeObject): Condition[] => (obj['status'] as { conditions?: Condition[] } | undefined)?.conditions ?? [];
const find = (obj: KubeObject, type: string) => conditionsOf(obj).find((c) => c.type === type);

/** When an Event last happened. */
const lastSeen = (e: EventLike) =>
  e.series?.lastObservedTime ?? e.eventTime ?? e.deprecatedLastTimestamp ?? e.metadata?.creationTimestamp ?? '';

export function formatStatus(obj: KubeObject, events: readonly EventLike[], now = Date.now(), lastEvents = 10): string {
  const status = statusOf(obj);
  const meta = obj.metadata;
  const lines = [`${obj.kind} ${meta.namespace}/${meta.name}`];
  const observed = status.observedGeneration;
  lines.push(
    `  phase:      ${status.phase ?? '-'} (generation ${meta.generation ?? '-'}, observed ${observed ?? 'never'}` +
      `${observed !== undefined && observed !== meta.generation ? ': the operator has not caught up with the spec yet' : ''})`,
  );
  if (meta.annotations?.[annotations.paused] === 'true')
    lines.push('  paused:     cdo.dev/paused=true: the operator changes nothing until it is removed');
  if (meta.deletionTimestamp) lines.push(`  deleting:   since ${meta.deletionTimestamp}`);

  lines.push('  conditions:');
  const rows = [['TYPE', 'STATUS', 'REASON', 'SINCE', 'MESSAGE']];
  for (const c of [...conditionsOf(obj)].sort((a, b) => rank(a.type) - rank(b.type)))
    rows.push([c.type, c.status, c.reason ?? '', age(c.lastTransitionTime, now), c.message ?? '']);
  if (rows.length === 1) lines.push('    none yet (the operator has not reconciled it: is it running and watching this namespace?)');
  else lines.push(...table(rows, '    '));

  const cloud = cloudFields.map(([label, path]): [string, string] => [label, show(at(status, path))]).filter(([, v]) => v !== '');
  lines.push(cloud.length ? '  cloud cluster:' : '  cloud cluster: none known yet');
  for (const [label, v] of cloud) lines.push(`    ${`${label}:`.padEnd(25)}${v}`);

  const pending = status.pendingChanges ?? [];
  if (pending.length === 0) lines.push('  pending changes: none');
  else {
    lines.push('  pending changes:');
    lines.push(
      ...table(
        [
          ['ID', 'ACTION', 'FROM', 'TO', 'DISRUPTION', 'WAITING FOR', 'WHY'],
          ...pending.map((c) => [c.id, c.action, c.from ?? '-', c.to, c.disruption, c.waitingFor, c.message ?? '']),
        ],
        '    ',
      ),
    );
  }

  const stalled = find(obj, 'Stalled');
  if (stalled?.status === 'True') lines.push(`  what to do (Stalled, ${stalled.reason}): ${adviceFor(stalled.reason ?? '')}`);

  const recent = [...events].sort((a, b) => lastSeen(a).localeCompare(lastSeen(b))).slice(-lastEvents);
  if (recent.length === 0) lines.push('  events: none');
  else {
    lines.push(`  events (last ${recent.length}):`);
    lines.push(
      ...table(
        [
          ['AGE', 'TYPE', 'REASON', 'COUNT', 'NOTE'],
          ...recent.map((e) => [age(lastSeen(e), now), e.type ?? '', e.reason ?? '', String(e.series?.count ?? 1), e.note ?? '']),
        ],
        '    ',
      ),
    );
  }
  return lines.join('\n');
}

/** One line per resource: kind, name, phase, Ready, what it waits for or why it is stuck, its cluster. */
export function formatStatusTable(objects: readonly KubeObject[], allNamespaces: boolean, now = Date.now()): string {
  if (objects.length === 0) return 'no resources of the operator’s kinds found';
  const rows = [[...(allNamespaces ? ['NAMESPACE'] : []), 'KIND', 'NAME', 'PHASE', 'READY', 'REASON', 'CLUSTER', 'PENDING', 'AGE']];
  for (const o of objects) {
    const status = statusOf(o);
    const ready = find(o, 'Ready');
    const stalled = find(o, 'Stalled');
    const reconciling = find(o, 'Reconciling');
    // The reason that matters most: the stall, else what it is doing, else why it is (not) Ready.
    const reason =
      stalled?.status === 'True'
        ? `Stalled: ${stalled.reason}`
        : reconciling?.status === 'True'
          ? (reconciling.reason ?? '')
          : (ready?.reason ?? '');
    rows.push([
      ...(allNamespaces ? [o.metadata.namespace ?? ''] : []),
      o.kind ?? '',
      o.metadata.name,
      status.phase ?? '-',
      ready?.status ?? 'Unknown',
      reason,
      status.clusterId ?? '-',
      status.pendingChangeIds || '-',
      age(o.metadata['creationTimestamp'] as string | undefined, now),
    ]);
  }
  return table(rows).join('\n');
}
