// The operator reads only the Secrets its resources reference (core/secrets.ts,
// runtime/on-demand.ts), and still notices every change of those at once. Every response body the
// operator process receives is recorded (test/support/received-bodies.ts), so "never fetched" is
// checked on the bytes that reached it: large Secrets nobody references, listed at start, created
// later and changed, never arrive; the referenced ones do, and only they are held. The steady poll
// is ten minutes and a missing Secret waits for a change, so only the Secret watch can explain a
// resource that moves within seconds of a Secret being created or changed.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminPassword,
  condition,
  createHec,
  credentialId,
  credentialSecret,
  eventually,
  hecSpec,
  startHarness,
  waitForHec,
  type Harness,
} from '../../support/hadoop-eco.ts';

const preload = pathToFileURL(new URL('../../support/received-bodies.ts', import.meta.url).pathname).href;
const ready = (o: any) => o.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True';
const stalled = (reason: string) => (o: any) => condition(o, 'Stalled')?.status === 'True' && condition(o, 'Stalled')?.reason === reason;
/** Far less than the ten-minute steady poll and resync: only a watch event explains it. */
const AT_ONCE_MS = 20_000;

/** A large value nobody references (a Helm release holds about this much), and a piece of it to look for. */
function bulky(): { value: string; marks: string[] } {
  const value = randomBytes(384 * 1024).toString('base64');
  const mid = value.length / 2;
  return {
    value,
    marks: [
      value.slice(mid, mid + 64),
      Buffer.from(value)
        .toString('base64')
        .slice(mid, mid + 64),
    ],
  };
}
const atStart = bulky();
const later = bulky();
const changed = bulky();

let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cdo-received-'));
  h = await startHarness(
    'hec-secrets',
    {},
    {
      env: {
        NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import=${preload}`.trim(),
        CDO_TEST_RECEIVED_DIR: dir,
        CDO_POLL_STEADY: '600',
      },
      before: async (kc, ns) => {
        await kc.core.createNamespacedSecret({
          namespace: ns,
          body: { metadata: { name: 'release-at-start' }, stringData: { blob: atStart.value } },
        });
      },
    },
  );
});
afterAll(async () => {
  await h?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function receivedBodies(): Promise<string[]> {
  const bodies = new Map<string, Buffer[]>();
  for (const file of await readdir(dir)) {
    for (const line of (await readFile(join(dir, file), 'utf8')).split('\n')) {
      if (!line) continue;
      const { id, chunk } = JSON.parse(line) as { id: number; chunk: string };
      const key = `${file}:${id}`;
      bodies.set(key, [...(bodies.get(key) ?? []), Buffer.from(chunk, 'base64')]);
    }
  }
  return [...bodies.values()].map((parts) => Buffer.concat(parts).toString('utf8'));
}

const secret = (name: string, data: Record<string, string>) =>
  h.kc.core.createNamespacedSecret({ namespace: h.ns, body: { metadata: { name }, stringData: data } });
const replace = (name: string, data: Record<string, string>) =>
  h.kc.core.replaceNamespacedSecret({ name, namespace: h.ns, body: { metadata: { name }, stringData: data } });

describe('Secrets: only the referenced ones are read, and their changes take effect at once', () => {
  it('a resource created before its credentials Secret proceeds as soon as the Secret is created', async () => {
    await createHec(h, 'early', hecSpec({ credentialsSecretRef: { name: 'late-kakao' } }));
    const o = await waitForHec(h, 'early', stalled('SecretNotFound'));
    expect(condition(o, 'Stalled').message).toContain(`Secret ${h.ns}/late-kakao does not exist`);
    await secret('late-kakao', { credentialId, credentialSecret });
    await waitForHec(h, 'early', (x) => x.status?.phase !== 'Failed' && condition(x, 'Stalled')?.status !== 'True', AT_ONCE_MS);
    await waitForHec(h, 'early', ready);
  });

  it('a referenced Secret changed (a key removed, then added back) re-reconciles at once, read afresh each time', async () => {
    await secret('rotating-kakao', { credentialId, credentialSecret });
    await createHec(h, 'rotating', hecSpec({ credentialsSecretRef: { name: 'rotating-kakao' } }));
    await waitForHec(h, 'rotating', ready);
    const fetches = await h.op.metric('cdo_object_fetches_total', { resource: 'secrets' });
    await replace('rotating-kakao', { credentialId });
    const o = await waitForHec(h, 'rotating', stalled('SecretKeyMissing'), AT_ONCE_MS);
    expect(condition(o, 'Stalled').message).toContain(`Secret ${h.ns}/rotating-kakao has no key credentialSecret`);
    await replace('rotating-kakao', { credentialId, credentialSecret });
    await waitForHec(h, 'rotating', ready, AT_ONCE_MS);
    expect(await h.op.metric('cdo_object_fetches_total', { resource: 'secrets' })).toBeGreaterThanOrEqual(fetches + 2);
  });

  it('Secrets nobody references are never fetched, whether listed at start, created later or changed; only referenced ones are held', async () => {
    await secret('release-later', { blob: later.value });
    await replace('release-at-start', { blob: changed.value });
    // Let the watch deliver both (each re-reconciles nobody), and the operator fetch what it would.
    await new Promise((r) => setTimeout(r, 3000));
    const bodies = await receivedBodies();
    // The recording works: the referenced values did arrive (by GET of those Secrets).
    for (const v of [adminPassword, credentialSecret]) expect(bodies.some((b) => b.includes(Buffer.from(v).toString('base64')))).toBe(true);
    for (const mark of [...atStart.marks, ...later.marks, ...changed.marks]) {
      expect(bodies.filter((b) => b.includes(mark)).length, 'an unreferenced value reached the operator').toBe(0);
    }
    // Held: hue-admin (both resources), late-kakao and rotating-kakao; never kakao (nobody names it any more) or a release.
    await eventually(async () => (await h.op.metric('cdo_objects_held', { resource: 'secrets' })) === 3);
  });

  it('a deleted resource lets go of the Secrets only it referenced', async () => {
    await h.kc.custom.deleteNamespacedCustomObject({
      group: 'kakaocloud.cdo.dev',
      version: 'v1alpha1',
      plural: 'hadoopecoclusters',
      namespace: h.ns,
      name: 'early',
    });
    await eventually(async () => (await h.op.metric('cdo_objects_held', { resource: 'secrets' })) === 2, 45_000);
  });
});
