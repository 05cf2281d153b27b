// Watch bookmarks from the real API server: a bookmark carries only metadata.resourceVersion (no
// name, no uid). The informer must take it as the point to resume from, not reject it as a
// malformed object (which it did, logging an error about once a minute per watch and throwing the
// resourceVersion away). A short server-side watch timeout makes kube-apiserver send one within
// seconds (it sends a bookmark shortly before a watch's deadline).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clients, createWidget, freshNamespace, installCrd } from '../../support/cluster.ts';
import { OperatorProcess } from '../../support/operator-process.ts';

const kubeconfigPath = inject('kubeconfigPath');
const { kc } = clients(kubeconfigPath);
let op: OperatorProcess;

beforeAll(async () => {
  await installCrd(kc);
  const ns = await freshNamespace(kc, 'bookmarks');
  await createWidget(kc, ns, 'alpha', { replicas: 1, size: 'small', message: 'hello' });
  op = new OperatorProcess('toy-bookmarks', '../fixtures/toy-operator.ts', {
    KUBECONFIG: kubeconfigPath,
    CDO_LEADER_ELECT: 'false',
    CDO_WATCH_NAMESPACES: ns,
    CDO_WATCH_TIMEOUT: '6',
    CDO_LOG_LEVEL: 'debug',
  });
  await op.waitForLog((l) => l.msg === 'controller started');
});

afterAll(async () => {
  await op?.stop();
});

describe('watch bookmarks', () => {
  it('are taken as the resume point, never logged as malformed', { timeout: 60_000 }, async () => {
    const bookmark = await op.waitForLog((l) => l.msg === 'watch bookmark', 30_000);
    expect(bookmark['resourceVersion']).toMatch(/^\d+$/);
    // Let a few more watches come and go (each 6 s), then look at everything logged.
    await new Promise((r) => setTimeout(r, 8_000));
    const bad = op.lines.filter((l) => JSON.stringify(l).includes('malformed') || (typeof l.level === 'number' && l.level >= 50));
    expect(bad).toEqual([]);
  });
});
