// Two managers in one namespace: exactly one leads; SIGTERM makes it step down (the lease is
// released and the standby takes over without waiting out the lease); kill -9 leaves the lease
// held until it expires, then the standby takes over. Both replicas are ready throughout.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clients, createWidget, freshNamespace, getWidget, installCrd } from '../../support/cluster.ts';
import { eventually, OperatorProcess } from '../../support/operator-process.ts';

const kubeconfigPath = inject('kubeconfigPath');
const { kc, coordination } = clients(kubeconfigPath);
const lease = 'toy-leader';
let ns: string;
const running: OperatorProcess[] = [];

function start(name: string): OperatorProcess {
  const p = new OperatorProcess(name, '../fixtures/toy-operator.ts', {
    KUBECONFIG: kubeconfigPath,
    CDO_WATCH_NAMESPACES: ns,
    CDO_LEADER_ELECT: 'true',
    CDO_LEADER_ELECTION_NAMESPACE: ns,
    CDO_LEASE_NAME: lease,
    // Short periods keep the test quick; the algorithm is the same as with the 15/10/2 s defaults.
    CDO_LEASE_DURATION: '6',
    CDO_RENEW_DEADLINE: '4',
    CDO_RETRY_PERIOD: '1',
  });
  running.push(p);
  return p;
}

const holder = async () => (await coordination.readNamespacedLease({ name: lease, namespace: ns })).spec!;
const leaders = async (ps: OperatorProcess[]) => {
  const status = await Promise.all(ps.map((p) => p.metric('leader_election_master_status', { name: lease })));
  return ps.filter((_, i) => status[i] === 1).map((p) => p.name);
};

beforeAll(async () => {
  await installCrd(kc);
  ns = await freshNamespace(kc, 'election');
});

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
});

describe('leader election', () => {
  it('exactly one of two managers leads; both are ready; only the leader reconciles', async () => {
    const a = start('replica-a');
    const b = start('replica-b');
    const leader = await eventually(async () => {
      const l = await leaders([a, b]);
      return l.length === 1 ? l[0] : undefined;
    });
    expect((await holder()).holderIdentity).toBe(leader);
    // Stay with exactly one leader for a few retry periods.
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      expect(await leaders([a, b])).toEqual([leader]);
    }
    expect((await a.get('/readyz')).status).toBe(200);
    expect((await b.get('/readyz')).status).toBe(200);

    await createWidget(kc, ns, 'elected', { replicas: 3, size: 'small' });
    await eventually(async () => (await getWidget(kc, ns, 'elected')).status?.replicas === 3);
    const [leaderProc, standby] = leader === a.name ? [a, b] : [b, a];
    expect(leaderProc.count('reconcile started')).toBeGreaterThan(0);
    expect(standby.count('reconcile started')).toBe(0);
    expect(standby.count('controller started')).toBe(0);
  });

  it('on SIGTERM the leader releases the lease and the standby takes over', async () => {
    const [a, b] = running as [OperatorProcess, OperatorProcess];
    const [leaderProc, standby] = (await leaders([a, b]))[0] === a.name ? [a, b] : [b, a];
    const before = await holder();
    const exit = await leaderProc.stop('SIGTERM');
    expect(exit.code).toBe(0);
    expect(leaderProc.lines.some((l) => l.msg === 'released leadership')).toBe(true);
    await standby.waitForLog((l) => l.msg === 'became leader', 15_000);
    const after = await holder();
    expect(after.holderIdentity).toBe(standby.name);
    expect(after.leaseTransitions).toBe((before.leaseTransitions ?? 0) + 1);
    // The new leader works: a change is reconciled.
    await createWidget(kc, ns, 'after-sigterm', { replicas: 4, size: 'small' });
    await eventually(async () => (await getWidget(kc, ns, 'after-sigterm')).status?.replicas === 4);
  });

  it('after kill -9 the lease stays held until it expires, then the standby takes over', async () => {
    const leaderProc = running.find((p) => p.child.exitCode === null && p.lines.some((l) => l.msg === 'became leader'))!;
    const standby = start('replica-c');
    await standby.waitForLog((l) => l.msg === 'caches synced');
    const killedAt = Date.now();
    await leaderProc.stop('SIGKILL');
    // Nobody released the lease: right after the kill it still names the dead leader.
    expect((await holder()).holderIdentity).toBe(leaderProc.name);
    await standby.waitForLog((l) => l.msg === 'became leader', 30_000);
    const waited = Date.now() - killedAt;
    expect((await holder()).holderIdentity).toBe(standby.name);
    // It took over only once the 6 s lease had expired, not at once as after a release.
    expect(waited).toBeGreaterThanOrEqual(4000);
    await createWidget(kc, ns, 'after-kill', { replicas: 6, size: 'small' });
    await eventually(async () => (await getWidget(kc, ns, 'after-kill')).status?.replicas === 6);
  });
});
