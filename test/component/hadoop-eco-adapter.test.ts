// The HadoopEcoCluster adapter (resources/hadoop-eco/adapter.ts) through real passes of the core
// against the in-process Hadoop Eco simulator: the passwords a create reads from Secrets, when VMs
// are listed, what the connection-info ConfigMap holds, and how missing credentials are named.
import { afterEach, describe, expect, it } from 'vitest';
import type { HadoopEcoSimulator } from '../../src/simulators/hadoop-eco/index.ts';
import { NS, hadoopEco, hecSpec, type Component } from '../support/component.ts';

const sims: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function hec(name: string, spec = hecSpec(), opts: Parameters<typeof hadoopEco>[2] = {}): Promise<Component<HadoopEcoSimulator>> {
  const c = await hadoopEco(name, spec, opts);
  sims.push(c.sim);
  return c;
}

const ready = (c: Component<unknown>) => c.store.condition('Ready')?.status === 'True';
const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const createBody = (sim: HadoopEcoSimulator) =>
  sim.requests().find((r) => r.method === 'POST' && r.path === '/v2/hadoop-eco/clusters')?.body as Record<string, any> | undefined;

// Obviously fake passwords, built at run time.
const adminPassword = ['Adm', 'pass1!', 'q'].join('-');
const mysqlPassword = ['Sql', 'pass2@', 'r'].join('-');
const mysql = { objectId: 'mysql-1', databaseName: 'metastore', userId: 'hive', passwordSecretRef: { name: 'hive-db', key: 'password' } };
const admin = { userId: 'analyst', passwordSecretRef: { name: 'hue-login', key: 'password' } };

describe('create', () => {
  it('sends the admin and Hive metastore passwords read from their Secrets, and keeps them out of status', async () => {
    const c = await hec('alpha', hecSpec({ adminAccount: admin, hiveMetastore: { mysql } }));
    c.secrets.set(NS, 'hue-login', { password: adminPassword });
    c.secrets.set(NS, 'hive-db', { password: mysqlPassword });
    await c.pass();
    const body = createBody(c.sim)!;
    expect(decode(body['adminInfo'].userPw)).toBe(adminPassword);
    expect(decode(body['hiveDbInfo'].userPw)).toBe(mysqlPassword);
    expect(JSON.stringify(c.store.status())).not.toMatch(/Adm-|Sql-/);
  });

  const missing: Array<[string, Record<string, unknown>, RegExp]> = [
    ['the admin password', { adminAccount: admin }, /admin/i],
    ['the Hive metastore password', { hiveMetastore: { mysql } }, /metastore/i],
  ];
  it.each(missing)('a missing Secret for %s stalls the create, naming the Secret and what it is for', async (_what, over, purpose) => {
    const c = await hec('alpha', hecSpec(over));
    await c.pass();
    const stalled = c.store.condition('Stalled')!;
    expect(stalled.reason).toBe('SecretNotFound');
    expect(stalled.message).toMatch(purpose);
    expect(c.sim.clusters()).toEqual([]);
  });

  it('a Data Catalog metastore needs no password: the create goes out without one', async () => {
    const c = await hec('alpha', hecSpec({ hiveMetastore: { dataCatalog: { catalogId: 'catalog-1' } } }));
    await c.pass();
    expect(createBody(c.sim)!['dataCatalogInfo']).toEqual({ catalogId: 'catalog-1' });
    expect(c.sim.clusters()).toHaveLength(1);
  });

  it('missing credentials name the KakaoCloud credentials they are', async () => {
    const c = await hec('alpha');
    c.secrets.remove(NS, 'kakao');
    await c.pass();
    expect(c.store.condition('Stalled')!.message).toMatch(/KakaoCloud/);
  });
});

describe('observe', () => {
  it('lists the VMs only once the cluster runs, and status shows them', async () => {
    const c = await hec('alpha', hecSpec(), { simOptions: { timeScale: 1, provisionMs: 600_000 } });
    await c.pass(); // Create
    await c.pass(); // provisioning
    const vmLists = () => c.sim.requests().filter((r) => r.path.endsWith('/vms'));
    expect(vmLists()).toEqual([]);
    expect(c.store.status()['vms']).toBeUndefined();
    c.sim.admin.force(c.sim.clusters()[0]!.id, { status: 'Running' });
    await c.pass();
    expect(vmLists()).not.toEqual([]);
    expect(c.store.status()['vms']).toEqual(expect.arrayContaining([expect.objectContaining({ name: expect.any(String) })]));
  });

  it('a steady Running poll costs one call; a scale lists the VMs again, once it is done', async () => {
    const c = await hec('steady', hecSpec({ workerCount: 2 }), { simOptions: { timeScale: 0 } });
    await c.until(ready);
    const calls = () => c.sim.requests().length;
    const vmLists = () => c.sim.requests().filter((r) => r.path.endsWith('/vms')).length;
    const listed = vmLists();
    expect(listed).toBeGreaterThan(0);
    const before = calls();
    for (let i = 0; i < 3; i++) await c.pass();
    expect(calls() - before).toBe(3); // one GET of the cluster per poll, no VM list
    expect(vmLists()).toBe(listed);
    c.store.setSpec(hecSpec({ workerCount: 3 }));
    await c.until((x) => x.store.status()['workerCount'] === 3 && ready(x));
    expect(vmLists()).toBeGreaterThan(listed);
    expect((c.store.status()['vms'] as unknown[]).length).toBe(4); // one master, three workers
  });
});

describe('connection info', () => {
  it('the ConfigMap holds the cluster identity and every endpoint status reports', async () => {
    const c = await hec('alpha', hecSpec({ connectionInfo: { configMapName: 'alpha-endpoints' } }));
    await c.until(ready);
    const endpoints = c.store.status()['endpoints'] as Record<string, string>;
    expect(Object.keys(endpoints).length).toBeGreaterThan(0);
    const data = c.store.configMaps.get('alpha-endpoints')!;
    expect(data).toMatchObject({ clusterName: 'alpha', clusterId: c.store.status()['clusterId'], url: c.store.status()['url'] });
    expect(Object.values(data)).toEqual(expect.arrayContaining(Object.values(endpoints)));
  });
});
