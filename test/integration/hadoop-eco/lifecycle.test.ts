// HadoopEcoCluster end to end: real control plane, the Hadoop Eco simulator, the operator as a
// child process. Create → Running with URLs and VMs; kubectl scale out and in; admission rejects
// scale-in below replication and immutable edits; delete with Delete and Retain; a job cluster
// ends Completed; no secret value appears in logs, events or status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminPassword,
  cloudRequests,
  condition,
  createHec,
  credentialId,
  credentialSecret,
  eventually,
  getHec,
  hecSpec,
  patchHec,
  startHarness,
  waitForHec,
  HEC,
  type Harness,
} from '../../support/hadoop-eco.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('hec-life');
});
afterAll(async () => {
  await h?.stop();
});

const running = (o: any) =>
  o.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True' && o.status.observedGeneration === o.metadata.generation;

describe('HadoopEcoCluster lifecycle', () => {
  it('creates the cloud cluster and reports Running with URLs, counts and VMs', async () => {
    await createHec(h, 'alpha', hecSpec({ workerCount: 2, connectionInfo: { configMapName: 'alpha-endpoints' } }));
    const o = await waitForHec(h, 'alpha', running);
    expect(o.metadata.finalizers).toContain('cdo.dev/finalizer');
    expect(o.metadata.annotations['cdo.dev/cluster-id']).toBe(o.status.clusterId);
    expect(o.metadata.annotations['cdo.dev/create-requested']).toMatch(/^alpha@/);
    expect(o.status).toMatchObject({ cloudStatus: 'Running', masterCount: 1, workerCount: 2, nodeCount: 3, clusterName: 'alpha' });
    expect(o.status.endpoints.hue).toMatch(/^http:\/\/10\.\d+\.\d+\.\d+:8888$/);
    expect(o.status.endpoints.nameNode).toBeDefined();
    expect(o.status.url).toBe(o.status.endpoints.hue);
    expect(o.status.vms.map((v: any) => [v.name, v.role])).toEqual([
      ['HadoopMST-alpha-1', 'master'],
      ['HadoopWRK-alpha-1', 'worker'],
      ['HadoopWRK-alpha-2', 'worker'],
    ]);
    expect(o.status.createdAt).toMatch(/Z$/);
    expect(o.status.runningAt).toMatch(/Z$/);
    // Exactly one create reached the cloud, with the admin password Base64-encoded.
    const creates = cloudRequests(h, { mutations: true }).filter((r) => r.method === 'POST' && r.path === '/v2/hadoop-eco/clusters');
    expect(creates).toHaveLength(1);
    expect((creates[0]!.body as any).adminInfo.userPw).toBe(Buffer.from(adminPassword).toString('base64'));
    // The connection details, in a ConfigMap the resource owns.
    // Written right after the status, so give it a moment.
    const cm = await eventually(async () => {
      const c = await h.kc.core.readNamespacedConfigMap({ name: 'alpha-endpoints', namespace: h.ns });
      return c.data?.['hueUrl'] ? c : undefined;
    });
    expect(cm.data).toMatchObject({
      clusterId: o.status.clusterId,
      hueUrl: o.status.endpoints.hue,
      nameNodeUrl: o.status.endpoints.nameNode,
      url: o.status.url,
    });
    expect(cm.metadata?.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'HadoopEcoCluster', name: 'alpha', uid: o.metadata.uid, controller: true }),
    ]);
    // The table a user sees.
    const table = await h.kubectl('get', 'hec', 'alpha');
    expect(table).toMatch(/alpha\s+hadoop\s+hde-2\.0\.1\s+2\s+Running\s+True\s+Running\s+http:\/\//);
  });

  it('kubectl scale adds workers, then removes them, through the cloud', async () => {
    await h.kubectl('scale', 'hec/alpha', '--replicas=4');
    let o = await waitForHec(h, 'alpha', (x) => running(x) && x.status.workerCount === 4);
    expect(o.status.vms.filter((v: any) => v.role === 'worker')).toHaveLength(4);
    const out = cloudRequests(h, { mutations: true }).filter((r) => r.path.endsWith('/scale-out'));
    expect(out.map((r) => r.body)).toEqual([{ scaleCnt: 2 }]);

    await h.kubectl('scale', 'hec/alpha', '--replicas=3');
    o = await waitForHec(h, 'alpha', (x) => running(x) && x.status.workerCount === 3);
    const inn = cloudRequests(h, { mutations: true }).filter((r) => r.path.endsWith('/scale-in'));
    expect(inn.map((r) => [r.method, r.body])).toEqual([['POST', { scaleCnt: 1 }]]);
    expect(o.status.vms.filter((v: any) => v.role === 'worker')).toHaveLength(3);
  });

  it('rejects scaling in below hdfs.replication at admission', async () => {
    await expect(h.kubectl('scale', 'hec/alpha', '--replicas=1')).rejects.toThrow(/workerCount must be at least hdfs.replication/);
    expect((await getHec(h, 'alpha')).spec.workerCount).toBe(3);
  });

  it('rejects an edit of an immutable field with a message that says what to do', async () => {
    await expect(patchHec(h, 'alpha', { spec: { worker: { flavorName: 'r2a.2xlarge', volumeSize: 100 } } })).rejects.toThrow(
      /worker is immutable: Hadoop Eco cannot change it on an existing cluster; create a new HadoopEcoCluster instead/,
    );
    await expect(h.kubectl('patch', 'hec/alpha', '--type=merge', '-p', '{"spec":{"clusterVersion":"hde-2.1.0"}}')).rejects.toThrow(
      /clusterVersion is immutable/,
    );
  });

  it('deletionPolicy Delete: deleting the resource terminates the cloud cluster, then the finalizer goes', async () => {
    const id = (await getHec(h, 'alpha')).status.clusterId;
    await h.kc.custom.deleteNamespacedCustomObject({ ...HEC, namespace: h.ns, name: 'alpha' });
    await eventually(async () => {
      try {
        await getHec(h, 'alpha');
        return false;
      } catch (err: any) {
        return err.code === 404;
      }
    }, 45_000);
    expect(h.sim.cluster(id)?.status).toBe('Terminated(User)');
    await expect(h.kc.core.readNamespacedConfigMap({ name: 'alpha-endpoints', namespace: h.ns })).rejects.toThrow();
    expect(cloudRequests(h, { mutations: true }).filter((r) => r.method === 'DELETE' && r.path.endsWith(id))).toHaveLength(1);
  });

  it('deletionPolicy Retain: the resource goes, the cloud cluster keeps running', async () => {
    await createHec(h, 'kept', hecSpec({ deletionPolicy: 'Retain' }));
    const o = await waitForHec(h, 'kept', running);
    await h.kc.custom.deleteNamespacedCustomObject({ ...HEC, namespace: h.ns, name: 'kept' });
    await eventually(async () => (await h.kubectl('get', 'hec', '--no-headers')).includes('kept') === false);
    expect(h.sim.cluster(o.status.clusterId)?.status).toBe('Running');
    expect(cloudRequests(h, { mutations: true }).filter((r) => r.method === 'DELETE' && r.path.endsWith(o.status.clusterId))).toHaveLength(
      0,
    );
  });

  it('a job cluster that ends by its termination policy becomes Completed and is never recreated', async () => {
    await createHec(
      h,
      'nightly',
      hecSpec({
        userTask: {
          type: 'spark',
          terminationPolicy: 'always',
          fileUrl: 'https://objectstorage.example/job.jar',
          deployMode: 'cluster',
          logBucketName: 'logs',
        },
      }),
    );
    const o = await waitForHec(h, 'nightly', (x) => x.status?.phase === 'Completed');
    expect(o.status.cloudStatus).toBe('Terminated(User Command)');
    expect(o.status.job).toMatchObject({ result: 'Finished' });
    expect(o.status.job.logUrl).toContain('/logs/HadoopEco/nightly');
    expect(condition(o, 'Stalled')?.status).toBe('False');
    expect(condition(o, 'Reconciling')?.status).toBe('False');
    // Give the operator a few polls: it must not create the cluster again.
    await new Promise((r) => setTimeout(r, 3000));
    const creates = cloudRequests(h, { mutations: true }).filter((r) => r.method === 'POST' && (r.body as any)?.name === 'nightly');
    expect(creates).toHaveLength(1);
  });

  it('never lets a secret value reach a log line, an event or a status', async () => {
    const secrets = [credentialId, credentialSecret, adminPassword, Buffer.from(adminPassword).toString('base64')];
    const logs = h.op.lines.map((l) => JSON.stringify(l)).join('\n');
    expect(h.op.lines.length).toBeGreaterThan(20);
    const events = JSON.stringify(await h.kc.events.listNamespacedEvent({ namespace: h.ns }));
    const statuses = JSON.stringify(await h.kc.custom.listNamespacedCustomObject({ ...HEC, namespace: h.ns }));
    for (const s of secrets) {
      expect(logs).not.toContain(s);
      expect(events).not.toContain(s);
      expect(statuses).not.toContain(s);
    }
    // …while the things that should be there are there.
    expect(events).toContain('CreateRequested');
    expect(logs).toContain('cloud cluster create accepted');
  });
});
