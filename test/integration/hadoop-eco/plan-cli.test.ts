// `kubectl cdo plan -f` against the real control plane and the Hadoop Eco simulator: what the
// operator would do if a manifest were applied, from the live resource and the cloud, with no
// change anywhere (no cloud mutation, no write to the resource).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  adminPassword,
  cloudRequests,
  createHec,
  credentialSecret,
  getHec,
  hecSpec,
  startHarness,
  waitForHec,
  type Harness,
} from '../../support/hadoop-eco.ts';
import { runPlugin } from '../../support/plugin.ts';

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await startHarness('plan-cli');
  dir = await mkdtemp(join(tmpdir(), 'cdo-plan-'));
});
afterAll(async () => {
  await h?.stop();
});

const ready = (o: any) => o.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';

const cdo = (...args: string[]) => runPlugin(args, { CDO_KAKAOCLOUD_ENDPOINTS: `kr-central-2=${h.sim.url}` });

async function manifest(name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const file = join(dir, `${name}-${Date.now()}.yaml`);
  const doc = { apiVersion: 'kakaocloud.cdo.dev/v1alpha1', kind: 'HadoopEcoCluster', metadata: { name, namespace: h.ns }, spec, ...extra };
  const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: h.ns }, data: {} };
  await writeFile(file, `${stringify(doc)}---\n${stringify(other)}`);
  return file;
}

describe('kubectl cdo plan', () => {
  it('a new resource: would create it; nothing is created', async () => {
    const file = await manifest('fresh', hecSpec());
    const before = cloudRequests(h, { mutations: true }).length;
    const { stdout } = await cdo('plan', '-f', file, '-o', 'json');
    const out = JSON.parse(stdout);
    expect(out.skipped).toEqual(['ConfigMap unrelated']);
    expect(out.reports).toEqual([
      expect.objectContaining({
        kind: 'HadoopEcoCluster',
        name: 'fresh',
        live: false,
        action: 'Create',
        phase: 'Creating',
        pendingChanges: [],
      }),
    ]);
    expect(cloudRequests(h, { mutations: true })).toHaveLength(before);
    await expect(getHec(h, 'fresh')).rejects.toThrow();
  });

  it('a live resource: a scale-in held by a closed window and a scale-out that would start now, without any change', async () => {
    await createHec(h, 'live', hecSpec({ workerCount: 3 }));
    const live = await waitForHec(h, 'live', ready);
    const requestsBefore = cloudRequests(h).length;
    // A window that is never open now: one minute a week, on a day that is not today in UTC.
    const day = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][(new Date().getUTCDay() + 2) % 7];
    const window = { days: [day], start: '03:00', duration: '1m', timeZone: 'UTC' };

    const scaleIn = await manifest('live', hecSpec({ workerCount: 2, maintenanceWindow: window }));
    const text = (await cdo('plan', '-f', scaleIn)).stdout;
    expect(text).toContain(
      `HadoopEcoCluster ${h.ns}/live (live, generation ${live.metadata.generation} → ${live.metadata.generation + 1} (spec changes))`,
    );
    expect(text).toMatch(/ScaleIn\s+3 workers\s+2 workers\s+DataMovement\s+MaintenanceWindow/);
    expect(text).toContain('nothing starts now');
    // It read the credentials and the admin password to plan; neither is ever printed.
    for (const secret of [credentialSecret, adminPassword]) expect(text).not.toContain(secret);
    const held = JSON.parse((await cdo('plan', '-f', scaleIn, '-o', 'json')).stdout).reports[0];
    expect(held.action).toBe('Done');
    expect(held.pendingChanges).toEqual([expect.objectContaining({ action: 'ScaleIn', waitingFor: 'MaintenanceWindow' })]);
    expect(Date.parse(held.nextMaintenanceWindow)).toBeGreaterThan(Date.now());

    const scaleOut = await manifest('live', hecSpec({ workerCount: 5, maintenanceWindow: window }));
    const now = JSON.parse((await cdo('plan', '-f', scaleOut, '-o', 'json')).stdout).reports[0];
    expect(now).toMatchObject({ action: 'ScaleOut', phase: 'Scaling' });
    expect(now.pendingChanges).toEqual([expect.objectContaining({ action: 'ScaleOut', disruption: 'None', waitingFor: 'Nothing' })]);

    // The plugin only read: no cloud mutation, and the resource is as it was.
    expect(
      cloudRequests(h)
        .slice(requestsBefore)
        .filter((r) => r.method !== 'GET'),
    ).toEqual([]);
    const after = await getHec(h, 'live');
    expect(after.metadata.generation).toBe(live.metadata.generation);
    expect(after.metadata.resourceVersion).toBe(live.metadata.resourceVersion);
  });

  it('explains itself, and refuses a command it does not know', async () => {
    expect((await cdo('--help')).stdout).toContain('kubectl cdo plan -f FILE');
    await expect(cdo('destroy')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command destroy') });
  });
});
