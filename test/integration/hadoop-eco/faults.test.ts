// HadoopEcoCluster under faults: bad or missing credentials end in Stalled without a retry storm
// and recover when the Secret is fixed; 30 % injected 5xx/429 still converge with one cluster;
// an operator killed right after its create call adopts its own cluster on restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cloudRequests,
  condition,
  createHec,
  getHec,
  hecSpec,
  startHarness,
  waitForHec,
  credentialSecret,
  type Harness,
} from '../../support/hadoop-eco.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('hec-faults');
});
afterAll(async () => {
  await h?.stop();
});

const ready = (o: any) => o.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True';
const createsOf = (name: string) =>
  cloudRequests(h, { mutations: true }).filter(
    (r) => r.method === 'POST' && r.path === '/v2/hadoop-eco/clusters' && (r.body as any)?.name === name,
  );

describe('HadoopEcoCluster under faults', () => {
  it("wrong credentials: Stalled with the cloud's message, no retry storm; fixing the Secret recovers", async () => {
    await h.kc.core.createNamespacedSecret({
      namespace: h.ns,
      body: { metadata: { name: 'wrong' }, stringData: { credentialId: 'nobody', credentialSecret: 'not-it' } },
    });
    await createHec(h, 'locked', hecSpec({ credentialsSecretRef: { name: 'wrong' } }));
    const o = await waitForHec(h, 'locked', (x) => condition(x, 'Stalled')?.status === 'True');
    expect(condition(o, 'Stalled').reason).toBe('CredentialsInvalid');
    expect(condition(o, 'Stalled').message).toMatch(/401/);
    const attempts = () => cloudRequests(h).filter((r) => r.status === 401).length;
    await new Promise((r) => setTimeout(r, 5000)); // five busy-poll periods
    // One attempt per refusal: the operator's own finalizer write does not send the create again.
    expect(attempts()).toBe(1);
    expect(createsOf('locked')).toHaveLength(1);
    // One Warning for the one stall: no second Warning for the same failure.
    const warnings = (await h.kc.events.listNamespacedEvent({ namespace: h.ns })).items.filter(
      (e) => e.regarding?.name === 'locked' && e.type === 'Warning',
    );
    expect(warnings.map((e) => [e.reason, e.series?.count ?? 1])).toEqual([['Stalled', 1]]);
    expect(warnings[0]!.note).toMatch(/^CredentialsInvalid: /);
    await h.kc.core.replaceNamespacedSecret({
      name: 'wrong',
      namespace: h.ns,
      body: { metadata: { name: 'wrong' }, stringData: { credentialId: await secretValue('kakao', 'credentialId'), credentialSecret } },
    });
    await waitForHec(h, 'locked', ready);
  });

  it('missing credentials Secret: Stalled with a clear message, and no cloud call at all', async () => {
    await createHec(h, 'orphan', hecSpec({ credentialsSecretRef: { name: 'does-not-exist' } }));
    const o = await waitForHec(h, 'orphan', (x) => condition(x, 'Stalled')?.status === 'True');
    expect(condition(o, 'Stalled')).toMatchObject({ reason: 'SecretNotFound' });
    expect(condition(o, 'Stalled').message).toContain(`Secret ${h.ns}/does-not-exist does not exist`);
    expect(cloudRequests(h).filter((r) => JSON.stringify(r).includes('orphan'))).toEqual([]);
  });

  it('converges through 30% injected 5xx and 429 answers, with exactly one cloud cluster', { timeout: 180_000 }, async () => {
    // 15 % 5xx, then 15 % of the rest 429: about 30 % of all requests fail.
    h.sim.faults.set({ errorRate: 0.15, throttleRate: 0.15, retryAfterSeconds: 1 });
    try {
      await createHec(h, 'flaky', hecSpec({ workerCount: 2 }));
      await waitForHec(h, 'flaky', (x) => ready(x) && x.status.workerCount === 2, 90_000);
      await h.kubectl('scale', 'hec/flaky', '--replicas=3');
      await waitForHec(h, 'flaky', (x) => ready(x) && x.status.workerCount === 3, 90_000);
    } finally {
      h.sim.faults.reset();
    }
    const faulted = cloudRequests(h).filter((r) => r.fault === 'error' || r.fault === 'throttle');
    expect(faulted.length).toBeGreaterThan(0);
    expect(h.sim.clusters().filter((c) => c.name === 'flaky')).toHaveLength(1);
    expect(createsOf('flaky').filter((r) => r.status === 200)).toHaveLength(1);
  });

  it(
    'killed right after the create call, a restarted operator adopts its own cluster instead of creating another',
    { timeout: 90_000 },
    async () => {
      // The cloud creates the cluster at once but answers 10 s later: the operator dies waiting.
      h.sim.faults.set({ responseDelayMs: 10_000, only: { methods: ['POST'], paths: ['/v2/hadoop-eco/clusters'] } });
      await createHec(h, 'phoenix', hecSpec());
      await waitForCloud(() => h.sim.clusters().some((c) => c.name === 'phoenix'));
      await h.op.stop('SIGKILL');
      h.sim.faults.reset();
      const before = await getHec(h, 'phoenix');
      expect(before.metadata.annotations['cdo.dev/create-requested']).toMatch(/^phoenix@/);
      expect(before.metadata.annotations['cdo.dev/cluster-id']).toBeUndefined();

      const again = h.startOperator('operator-restarted');
      await again.waitForLog((l) => l.msg === 'controller started');
      const o = await waitForHec(h, 'phoenix', ready);
      const inCloud = h.sim.clusters().filter((c) => c.name === 'phoenix');
      expect(inCloud).toHaveLength(1);
      expect(o.status.clusterId).toBe(inCloud[0]!.id);
      expect(o.metadata.annotations['cdo.dev/cluster-id']).toBe(inCloud[0]!.id);
      // The simulator records the first create once its delayed answer has gone out.
      await waitForCloud(() => createsOf('phoenix').length > 0, 15_000);
      expect(createsOf('phoenix')).toHaveLength(1);
      const events = await h.kc.events.listNamespacedEvent({ namespace: h.ns });
      expect(events.items.some((e) => e.regarding?.name === 'phoenix' && e.reason === 'Adopted')).toBe(true);
    },
  );
});

async function secretValue(name: string, key: string): Promise<string> {
  const s = await h.kc.core.readNamespacedSecret({ name, namespace: h.ns });
  return Buffer.from(s.data![key]!, 'base64').toString('utf8');
}

async function waitForCloud(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (let i = 0; i < timeoutMs / 50 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(check()).toBe(true);
}
