// kubectl cdo plan, the parts without a cluster: the object an apply would leave (plan-objects.ts),
// whether the spec changes (so the generation moves), reading manifests, and the report it prints.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { proposedObject, sameSpec } from '../../../src/cli/plan-objects.ts';
import { formatReport, type PlanReport } from '../../../src/cli/plan-report.ts';
import { readManifests } from '../../../src/cli/plan.ts';
import { hadoopEcoSpecSchema } from '../../../src/resources/hadoop-eco/schema.ts';
import { hecSpec } from '../../support/hadoop-eco.ts';

const live = {
  apiVersion: 'kakaocloud.cdo.dev/v1alpha1',
  kind: 'HadoopEcoCluster',
  metadata: {
    name: 'a',
    namespace: 'team',
    uid: 'u1',
    resourceVersion: '42',
    generation: 3,
    finalizers: ['cdo.dev/finalizer'],
    annotations: { 'cdo.dev/approve': 'si-1', keep: 'me' },
    labels: { team: 'data' },
  },
  spec: { workerCount: 3 },
  status: { clusterId: 'c-1', phase: 'Running' },
};

describe('proposedObject', () => {
  it('an apply over a live object: its identity, finalizers and status, with the manifest’s spec, labels and annotations', () => {
    const doc = {
      ...live,
      metadata: { name: 'a', annotations: { 'cdo.dev/approve': 'si-2', keep: null }, labels: { tier: 'gold' } },
      spec: { workerCount: 2 },
    };
    const o = proposedObject(doc, live, 'team', true);
    expect(o.metadata).toMatchObject({ uid: 'u1', finalizers: ['cdo.dev/finalizer'], generation: 4, namespace: 'team' });
    expect(o.metadata.annotations).toEqual({ 'cdo.dev/approve': 'si-2' });
    expect(o.metadata.labels).toEqual({ team: 'data', tier: 'gold' });
    expect(o['status']).toEqual(live.status);
    expect(o.spec).toEqual({ workerCount: 2 });
  });

  it('the generation moves only when the spec does; a new object starts at 1 with no status', () => {
    expect(proposedObject(live, live, 'team', false).metadata.generation).toBe(3);
    const fresh = proposedObject({ ...live, metadata: { name: 'b' } }, undefined, 'team', true);
    expect(fresh.metadata).toMatchObject({ name: 'b', namespace: 'team', generation: 1 });
    expect(fresh['status']).toBeUndefined();
  });

  it('specs that differ only by defaults are the same spec', () => {
    const base = hecSpec({ workerCount: 3 });
    const parse = (s: unknown) => hadoopEcoSpecSchema.parse(s);
    expect(sameSpec(parse, base, { ...base, changePolicy: 'Automatic', deletionPolicy: 'Delete' })).toBe(true);
    expect(sameSpec(parse, base, { ...base, workerCount: 4 })).toBe(false);
    expect(sameSpec(parse, base, { ...base, workerCount: 'four' })).toBe(false);
  });
});

describe('readManifests', () => {
  it('reads every document of every file, Lists unpacked, and standard input for "-"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cdo-manifests-'));
    const file = join(dir, 'm.yaml');
    await writeFile(file, 'kind: A\nmetadata: {name: a}\n---\nkind: List\nitems:\n- {kind: B, metadata: {name: b}}\n---\n');
    const docs = await readManifests([file, '-'], () => Promise.resolve('kind: C\nmetadata: {name: c}\n'));
    expect(docs.map((d) => d.kind)).toEqual(['A', 'B', 'C']);
  });

  it('a file that is not YAML is an error naming it', async () => {
    await expect(readManifests(['-'], () => Promise.resolve('a: [1, 2'))).rejects.toThrow(/^-: /);
  });
});

describe('formatReport', () => {
  const report: PlanReport = {
    kind: 'HadoopEcoCluster',
    namespace: 'team',
    name: 'a',
    live: true,
    generation: { from: 3, to: 4 },
    action: 'Done',
    phase: 'Running',
    state: {
      state: 'ready',
      reason: 'Running',
      message: 'cluster is Running with 3 workers; ScaleIn si-1 waits for the maintenance window',
    },
    pendingChanges: [
      {
        id: 'si-1',
        action: 'ScaleIn',
        from: '3 workers',
        to: '2 workers',
        disruption: 'DataMovement',
        waitingFor: 'MaintenanceWindow',
        message: 'waits for the maintenance window: the next opens 2026-12-04T17:00:00.000Z',
      },
    ],
    nextMaintenanceWindow: '2026-12-04T17:00:00Z',
  };

  it('says what starts now, the status, each change in a table and the next window', () => {
    expect(formatReport(report).split('\n')).toEqual([
      'HadoopEcoCluster team/a (live, generation 3 → 4 (spec changes))',
      '  now:     nothing starts now (ready, Running)',
      '  status:  phase Running, Ready — cluster is Running with 3 workers; ScaleIn si-1 waits for the maintenance window',
      '  changes:',
      '    ID    ACTION   FROM       TO         DISRUPTION    WAITING FOR        WHY',
      '    si-1  ScaleIn  3 workers  2 workers  DataMovement  MaintenanceWindow  waits for the maintenance window: the next opens 2026-12-04T17:00:00.000Z',
      '  next maintenance window: 2026-12-04T17:00:00Z',
    ]);
  });

  it('an action that would start now, a new object, no changes, an approval matching nothing', () => {
    const text = formatReport({
      ...report,
      live: false,
      generation: { to: 1 },
      action: 'Create',
      state: { state: 'reconciling', reason: 'Creating', message: 'creating cluster a' },
      pendingChanges: [],
      nextMaintenanceWindow: undefined,
      unmatchedApprovals: ['x-1'],
    });
    expect(text).toContain('HadoopEcoCluster team/a (not created yet)');
    expect(text).toContain('  now:     Create: creating cluster a');
    expect(text).toContain('  changes: none');
    expect(text).toContain('cdo.dev/approve matches no pending change: x-1');
  });
});
