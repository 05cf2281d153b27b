// kubectl cdo status, the parts without a cluster: the view of one resource, the table of many, the
// kind names it understands, and the "what to do" table, which must cover every reason the code can
// stall with and agree with the docs' list. On the control plane: test/integration/hadoop-eco/import-status-cli.test.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adviceFor, stalledAdvice } from '../../../src/cli/stalled-advice.ts';
import { age, formatStatus, formatStatusTable } from '../../../src/cli/status-report.ts';
import { resolveKind } from '../../../src/cli/status.ts';
import { kinds } from '../../../src/resources/index.ts';

const now = Date.parse('2026-12-01T12:00:00Z');
const obj = (status: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'ncloud.cdo.dev/v1alpha1',
  kind: 'KafkaCluster',
  metadata: {
    name: 'events',
    namespace: 'team-a',
    uid: 'u',
    resourceVersion: '1',
    generation: 2,
    creationTimestamp: '2026-12-01T10:00:00Z',
  },
  status,
  ...extra,
});
const cond = (type: string, status: string, reason: string, message = '') => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: '2026-12-01T11:55:00Z',
});

describe('formatStatus', () => {
  const stalled = obj({
    phase: 'Running',
    observedGeneration: 1,
    clusterId: '900',
    brokerCount: 3,
    kafkaVersion: { code: '3713006', name: '3.7.1' },
    bootstrapServers: { plaintext: 'b1:9092,b2:9092' },
    conditions: [
      cond('Ready', 'False', 'Stalled', 'blocked'),
      cond('Reconciling', 'False', 'Stalled'),
      cond('Stalled', 'True', 'BrokerRemovalUnsupported', 'the cluster has 4 brokers, spec 3'),
      cond('Healthy', 'True', 'AllGreen', 'brokers green'),
      cond('ChangesPending', 'True', 'Waiting', '1 change'),
    ],
    pendingChanges: [{ id: 'ab12', action: 'Upgrade', from: '3.7.1', to: '3.9.0', disruption: 'RollingRestart', waitingFor: 'Fix' }],
  });
  const text = formatStatus(
    stalled,
    [
      {
        type: 'Warning',
        reason: 'Stalled',
        note: 'BrokerRemovalUnsupported: the cluster has 4 brokers',
        eventTime: '2026-12-01T11:58:00Z',
      },
      {
        type: 'Normal',
        reason: 'Ready',
        note: 'running',
        eventTime: '2026-12-01T11:00:00Z',
        series: { count: 3, lastObservedTime: '2026-12-01T11:30:00Z' },
      },
    ],
    now,
  );

  it('shows the phase, every condition (kstatus first), the cloud cluster, the pending changes and the Events, oldest first', () => {
    expect(text).toContain('KafkaCluster team-a/events');
    expect(text).toContain('phase:      Running (generation 2, observed 1: the operator has not caught up with the spec yet)');
    expect(text).toMatch(/Stalled\s+True\s+BrokerRemovalUnsupported\s+5m\s+the cluster has 4 brokers, spec 3/);
    expect(text).toMatch(/ChangesPending\s+True\s+Waiting.*\n\s+Healthy\s+True\s+AllGreen\s+5m\s+brokers green/);
    expect(text.indexOf('Ready ')).toBeLessThan(text.indexOf('Reconciling '));
    expect(text).toMatch(/id:\s+900\n\s+brokers:\s+3\n\s+Kafka version:\s+3.7.1\n\s+bootstrap servers:\s+plaintext b1:9092,b2:9092/);
    expect(text).toMatch(/ab12\s+Upgrade\s+3.7.1\s+3.9.0\s+RollingRestart\s+Fix/);
    expect(text).toMatch(/30m\s+Normal\s+Ready\s+3\s+running\n\s+2m\s+Warning\s+Stalled\s+1\s+BrokerRemovalUnsupported/);
  });

  it('says what to do when Stalled, from the advice table', () => {
    expect(text).toContain(`what to do (Stalled, BrokerRemovalUnsupported): ${stalledAdvice['BrokerRemovalUnsupported']}`);
  });

  it('a resource the operator has not seen yet says so, and has no advice', () => {
    const fresh = formatStatus(obj({}), [], now);
    expect(fresh).toContain('none yet (the operator has not reconciled it');
    expect(fresh).toContain('cloud cluster: none known yet');
    expect(fresh).toContain('events: none');
    expect(fresh).not.toContain('what to do');
  });

  it('keeps only the last Events', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ reason: `R${i}`, eventTime: new Date(now - (15 - i) * 1000).toISOString() }));
    const shown = formatStatus(obj({}), many, now, 10);
    expect(shown).toContain('events (last 10)');
    expect(shown).not.toMatch(/\bR4\b/);
    expect(shown).toMatch(/\bR14\b/);
  });
});

describe('formatStatusTable', () => {
  it('one row per resource: the stall reason first, else what it is doing', () => {
    const rows = formatStatusTable(
      [
        obj({
          phase: 'Running',
          clusterId: '900',
          conditions: [cond('Ready', 'False', 'Stalled'), cond('Stalled', 'True', 'ClusterError')],
        }),
        obj(
          {
            phase: 'Scaling',
            clusterId: '901',
            pendingChangeIds: 'ab12',
            conditions: [cond('Ready', 'False', 'Scaling'), cond('Reconciling', 'True', 'AddingBrokers')],
          },
          { metadata: { name: 'other', namespace: 'team-b', uid: 'v', resourceVersion: '1', creationTimestamp: '2026-11-28T12:00:00Z' } },
        ),
      ],
      true,
      now,
    ).split('\n');
    expect(rows[0]).toMatch(/^NAMESPACE\s+KIND\s+NAME\s+PHASE\s+READY\s+REASON\s+CLUSTER\s+PENDING\s+AGE$/);
    expect(rows[1]).toMatch(/^team-a\s+KafkaCluster\s+events\s+Running\s+False\s+Stalled: ClusterError\s+900\s+-\s+2h$/);
    expect(rows[2]).toMatch(/^team-b\s+KafkaCluster\s+other\s+Scaling\s+False\s+AddingBrokers\s+901\s+ab12\s+3d$/);
    expect(formatStatusTable([], false)).toContain('no resources');
  });

  it('ages as kubectl prints them', () => {
    expect([
      age('2026-12-01T11:59:30Z', now),
      age('2026-12-01T11:00:00Z', now),
      age('2026-11-30T12:00:00Z', now),
      age(undefined, now),
    ]).toEqual(['30s', '60m', '24h', '-']);
  });
});

describe('resolveKind', () => {
  it('takes the kind, its plural, a short name or kind.group, any case', () => {
    for (const word of ['hec', 'HadoopEcoCluster', 'hadoopecoclusters', 'hadoopecocluster.kakaocloud.cdo.dev'])
      expect(resolveKind(kinds, word)?.crd.resource.kind).toBe('HadoopEcoCluster');
    expect(resolveKind(kinds, 'nkafka')?.crd.resource.kind).toBe('KafkaCluster');
    expect(resolveKind(kinds, 'kafkaconfiggroup')?.crd.resource.kind).toBe('KafkaConfigGroup');
    expect(resolveKind(kinds, 'pod')).toBeUndefined();
  });
});

/** Every reason the source can stall with: the literal reasons of stalls and of invalid/terminal errors. */
function stallReasonsInCode(): Set<string> {
  const root = fileURLToPath(new URL('../../../src', import.meta.url));
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) {
        if (f !== 'simulators') walk(p);
      } else if (p.endsWith('.ts') && !p.includes(`${join('src', 'cli')}`)) files.push(p);
    }
  };
  walk(root);
  const patterns = [
    /new (?:InvalidSpecError|TerminalError|SecretMissingError)\(\s*'(\w+)'/g,
    /\bstall\(\s*[\w'.]+,\s*'(\w+)'/g,
    /\bstalledFrom\([^,]+,\s*'(\w+)'/g,
    // The request checks of the cloud clients: validate(schema, value, 'Reason', …) throws InvalidSpecError.
    /\bvalidate\(\w+,[^;]*?'(Invalid\w+)'/g,
    // Error classes of the invalid or terminal class name their reason in super().
    /class \w+ extends (?!TransientError|CloudRequestError|Error\b)\w+ \{[^}]*?super\(\s*'(\w+)'/g,
  ];
  const found = new Set<string>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const re of patterns) for (const m of text.matchAll(re)) found.add(m[1]!);
  }
  return found;
}

describe('stalledAdvice', () => {
  it('has advice for every reason the code can stall with', () => {
    const reasons = stallReasonsInCode();
    // The scan finds the well-known ones (a broken scan would find nothing and pass).
    for (const r of [
      'SecretNotFound',
      'ClusterNotFound',
      'BrokerRemovalUnsupported',
      'ClusterNameTaken',
      'InvalidSpec',
      'InvalidBrokerCount',
    ])
      expect(reasons).toContain(r);
    expect([...reasons].filter((r) => !(r in stalledAdvice))).toEqual([]);
  });

  it('lists the same reasons as docs/operations.md#stalled-reasons and the config group’s table', () => {
    const read = (f: string) => readFileSync(new URL(`../../../docs/${f}`, import.meta.url), 'utf8');
    const ops = read('operations.md');
    const section = ops.slice(ops.indexOf('### Stalled reasons'), ops.indexOf('\n### ', ops.indexOf('### Stalled reasons') + 1));
    const documented = new Set<string>();
    for (const row of section.matchAll(/^\| ((?:`\w+`(?:, )?)+) \|/gm)) for (const r of row[1]!.matchAll(/`(\w+)`/g)) documented.add(r[1]!);
    const cg = read('kafka-config-group.md');
    for (const r of cg.slice(cg.indexOf('| phase | Ready')).matchAll(/`(\w+)`/g)) if (r[1]! in stalledAdvice) documented.add(r[1]!);
    expect([...documented].filter((r) => !(r in stalledAdvice))).toEqual([]);
    expect(Object.keys(stalledAdvice).filter((r) => !documented.has(r))).toEqual([]);
  });

  it('points to the docs for a reason it does not know', () => {
    expect(adviceFor('SomethingNew')).toContain('docs/operations.md#stalled-reasons');
  });
});
