// Wire contract of the Hadoop Eco client: exact methods, paths, queries, headers and bodies, as
// written in the seed (the Korean Open API page), against a tiny recording server started here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloudHttp } from '../../../src/clouds/http.ts';
import { HadoopEcoClient, type ScaleInVerb } from '../../../src/clouds/kakaocloud/client.ts';
import { EndpointNotFoundError } from '../../../src/clouds/errors.ts';
import { ClusterNameTakenError } from '../../../src/clouds/kakaocloud/errors.ts';
import type { CreateClusterRequest } from '../../../src/clouds/kakaocloud/types.ts';
import { InvalidSpecError, TerminalError, TransientError } from '../../../src/runtime/errors.ts';
import { createLogger } from '../../../src/runtime/logger.ts';

// Obviously fake, assembled at run time.
const credentialId = ['test', 'credential', 'id', '0000'].join('-');
const credentialSecret = ['not', 'a', 'real', 'secret', '0000'].join('-');
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

interface Recorded {
  method: string;
  path: string;
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}
interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}
type Handler = (req: Recorded, index: number) => Reply;

let server: Server;
let baseUrl: string;
let recorded: Recorded[] = [];
let handler: Handler = () => ({ status: 500, body: { message: 'no handler' } });

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const rec: Recorded = {
        method: req.method ?? '',
        path: url.pathname,
        rawQuery: url.search.replace(/^\?/, ''),
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      recorded.push(rec);
      const reply = handler(rec, recorded.length - 1);
      const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const https: CloudHttp[] = [];
afterEach(async () => {
  recorded = [];
  await Promise.all(https.splice(0).map((h) => h.close()));
});

function setup(opts: { scaleInVerb?: ScaleInVerb; registry?: Registry } = {}) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger({ pretty: false, level: 'debug', destination });
  const registry = opts.registry ?? new Registry();
  const http = new CloudHttp({ log, registry, backoff: { baseMs: 5, maxMs: 20, jitter: 0 }, rateLimit: { qps: 1000, burst: 1000 } });
  https.push(http);
  const client = new HadoopEcoClient({
    baseUrl: `${baseUrl}/`,
    credentials: { credentialId, credentialSecret },
    http,
    log,
    ...(opts.scaleInVerb ? { scaleInVerb: opts.scaleInVerb } : {}),
  });
  return { client, registry, lines };
}

const sort = { empty: false, sorted: true, unsorted: false };
function page<T>(content: T[], n: number, size: number, totalElements: number, last: boolean) {
  return {
    content,
    pageable: { pageNumber: n, pageSize: size, sort, offset: n * size, unpaged: false, paged: true },
    totalPages: Math.ceil(totalElements / size),
    totalElements,
    last,
    size,
    number: n,
    sort,
    numberOfElements: content.length,
    first: n === 0,
    empty: content.length === 0,
  };
}

// Seed, list example 1 (three tombstones sharing a name) and example 2.
const terminated = (id: string, createdAt: number) => ({
  id,
  name: 'sally-kbctest',
  status: 'Terminated(User)',
  owner: 'user@kakaoenterprise.com',
  clusterType: 'hadoop',
  clusterVersion: 'hde-2.0.1',
  isScalable: false,
  apiKeyStatus: 'impossible',
  masterCnt: 0,
  workerCnt: 0,
  nodeCnt: 0,
  createdAt,
  runningAt: createdAt + 344659,
  elapsedTime: 12108694,
});
const andy = {
  id: '90878bcd-0f38-4338-810e-40d6fbfd8b45',
  name: 'andy-cluster-test-01',
  status: 'Running',
  owner: 'user@kakaoenterprise.com',
  clusterType: 'hadoop',
  clusterVersion: 'hde-2.0.1',
  isScalable: true,
  apiKeyStatus: 'impossible',
  masterCnt: 1,
  workerCnt: 1,
  nodeCnt: 2,
  createdAt: 1720797464322,
  runningAt: 1720797856006,
  elapsedTime: 827416064,
};
const testCluster = {
  ...andy,
  id: 'eb9a91ad-d1b6-462c-8e20-0e8b2c0aa074',
  name: 'test',
  clusterType: 'dataflow',
  workerCnt: 2,
  nodeCnt: 3,
};

// Seed, VM example 1 (no floatingIp on any VM).
const vms = [
  {
    name: 'HadoopMST-test-cluster-1',
    instanceId: '23948ac6-86e0-42f6-acdb-d214cdd200c0',
    index: 1,
    isMaster: true,
    status: 'Running',
    flavorName: 'm2a.xlarge',
    ip: '10.0.129.243',
    createdAt: 1719452777733,
  },
  {
    name: 'HadoopWRK-test-cluster-1',
    instanceId: '8606bbb2-52bf-4154-82f5-647c9da4ac2d',
    index: 1,
    isMaster: false,
    status: 'Running',
    flavorName: 'm2a.xlarge',
    ip: '10.0.132.127',
    createdAt: 1719452777733,
  },
  {
    name: 'HadoopWRK-test-cluster-2',
    instanceId: '7db47633-5676-42ad-bf34-c6e5da5c30c7',
    index: 2,
    isMaster: false,
    status: 'Running',
    flavorName: 'm2a.xlarge',
    ip: '10.0.131.196',
    createdAt: 1719413846446,
  },
  {
    name: 'HadoopWRK-test-cluster-3',
    instanceId: '2fdda50e-cf40-4976-a394-7ead7e32f042',
    index: 3,
    isMaster: false,
    status: 'Running',
    flavorName: 'm2a.xlarge',
    ip: '10.0.128.201',
    createdAt: 1719413114832,
  },
];

const clusterId = '90ac14f2-3837-11ef-b1da-72300678fa60';
const action = { id: '48fd271f-01f8-47bd-8e42-8c872fb6bf3a', name: 'hive-job-cluster', status: 'Initializing' };

// The seed's three create examples, with placeholders made real: example 1's `dataCatalog` is
// sent as `dataCatalogInfo` (spec §5 #2) and `<base_64_string>` becomes real Base64.
const configText1 =
  'ewogICJjb25maWd1cmF0aW9ucyI6IFsKICAgIHsKICAgICAgImNsYXNzaWZpY2F0aW9uIjogImNvcmUtc2l0ZSIsCiAgICAgICJwcm9wZXJ0aWVzIjogewogICAgICAgICJpby5maWxlLmJ1ZmZlci5zaXplIjogIjY1NTM2IgogICAgICB9CiAgICB9CiAgXQp9Cg==';
const userScript3 = 'IyEvYmluL2Jhc2gKCmZ1bmN0aW9uIHByaW50KCl7CiAgICBtc2c9JDEKICAgIGVjaG8gIiR7bXNnfSIKfQoKcHJpbnQgImhlbGxvIHdvcmxkISIK';
const network = { vpcId: '3ebb3020-d416-f1a4-534c-d3ad0fa1bec0', subnetId: '5c1632bf-a7da-fdbf-a594-e6a7bedb328c' };
const flavors = { masterFlavorName: 'm2a.xlarge', workerFlavorName: 'm2a.xlarge', masterVolumeSize: 50, workerVolumeSize: 100 };
const goldenCreates: Record<string, CreateClusterRequest> = {
  'example 1 (hive job, data catalog, configText)': {
    name: 'hive-job-cluster',
    clusterType: 'hadoop',
    clusterVersion: 'hde-2.0.1',
    isHa: false,
    workerCnt: 3,
    ...network,
    securityGroupName: 'test-security-group1',
    keypairName: 'keypairname',
    monitoring: true,
    ...flavors,
    adminInfo: { userId: 'admin_user', userPw: b64(['fake', 'admin', 'pw'].join('-')) },
    config: { hdfsReplication: 3, hdfsBlockSize: 128, configText: configText1 },
    userTask: {
      type: 'hive',
      terminationPolicy: 'never',
      hiveQuery: "create table if not exists t1 (col1 string); insert into table t1 values ('a'), ('b'), ('c');",
      execOpts: '--hiveconf hive.tez.container.size=1024 --hiveconf hive.tez.java.opts=-Xmx1600m',
      logBucketName: 'user-bucket',
    },
    dataCatalogInfo: { catalogId: 'e1ebae48-daba-a4c5-56da-fbb2b684ae07' },
  },
  'example 2 (spark job, HA, existing security groups, user script file)': {
    name: 'spark-job-cluster',
    clusterType: 'hadoop',
    clusterVersion: 'hde-2.0.1',
    isHa: true,
    workerCnt: 5,
    ...network,
    securityGroupIds: ['56aa3028-b163-b114-baac-gg1dtfa1bec1', '76163abf-j11a-fbbd-a123-d1a4bedb123c'],
    keypairName: 'keypairname',
    monitoring: true,
    ...flavors,
    config: {
      hdfsReplication: 3,
      hdfsBlockSize: 128,
      userScriptFileUrl: 'https://objectstorage.kr-central-2.kakaocloud.com/v1/111c5b646a194bf09ac123566a39d123/user-bucket/user_script.sh',
    },
    userTask: {
      type: 'spark',
      terminationPolicy: 'onSuccess',
      fileUrl:
        'https://objectstorage.kr-central-2.kakaocloud.com/v1/111c5b646a194bf09ac123566a39d123/user-bucket/sparkjob/spark_example.jar',
      deployMode: 'cluster',
      execOpts: '--class org.apache.spark.examples.SparkPi --master yarn',
      logBucketName: 'user-bucket',
    },
  },
  'example 3 (config file URL, user script, MySQL metastore)': {
    name: 'test-cluster',
    clusterType: 'hadoop',
    clusterVersion: 'hde-2.0.1',
    isHa: false,
    workerCnt: 3,
    ...network,
    securityGroupName: 'security-group-test',
    keypairName: 'keypairname',
    monitoring: true,
    ...flavors,
    config: {
      hdfsReplication: 3,
      hdfsBlockSize: 128,
      configFileUrl: 'https://objectstorage.kr-central-2.kakaocloud.com/v1/111c5b646a194bf09ac123566a39d123/user-bucket/config.json',
      userScript: userScript3,
    },
    hiveDbInfo: {
      objectId: 'cfdbd7cd-f0ce-bbfb-de5b-e73bdbbcb0cf',
      dbName: 'meta_db',
      userId: 'mysql_user',
      userPw: b64(['fake', 'mysql', 'pw'].join('-')),
    },
  },
};

function expectCredentialHeaders(r: Recorded) {
  expect(r.headers['credential-id']).toBe(credentialId);
  expect(r.headers['credential-secret']).toBe(credentialSecret);
}

describe('HadoopEcoClient wire contract', () => {
  describe('createCluster', () => {
    for (const [name, req] of Object.entries(goldenCreates)) {
      it(`sends the seed's ${name} as is`, async () => {
        const { client } = setup();
        handler = () => ({ body: action });
        const res = await client.createCluster(req);
        expect(res).toEqual(action);
        expect(recorded).toHaveLength(1);
        const r = recorded[0]!;
        expect(r.method).toBe('POST');
        expect(r.path).toBe('/v2/hadoop-eco/clusters');
        expect(r.rawQuery).toBe('');
        expectCredentialHeaders(r);
        expect(r.headers['content-type']).toBe('application/json');
        expect(JSON.parse(r.body)).toEqual(req);
      });
    }

    it('rejects an invalid request before sending it, without quoting values', async () => {
      const { client } = setup();
      const pw = ['not', 'base64', '!!'].join(' ');
      const req = {
        ...goldenCreates['example 3 (config file URL, user script, MySQL metastore)']!,
        securityGroupIds: ['sg'],
        workerCnt: 2,
      };
      req.hiveDbInfo = { ...req.hiveDbInfo!, userPw: pw };
      const err = await client.createCluster(req).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidSpecError);
      expect((err as InvalidSpecError).reason).toBe('InvalidClusterRequest');
      expect((err as Error).message).toContain('securityGroupIds');
      expect((err as Error).message).toContain('workerCnt');
      expect((err as Error).message).toContain('hiveDbInfo.userPw');
      expect((err as Error).message).not.toContain(pw);
      expect(recorded).toHaveLength(0);
    });

    it('maps 409 to ClusterNameTakenError so the reconciler can adopt', async () => {
      const { client } = setup();
      handler = () => ({ status: 409, body: { error: { code: 'Conflict', message: 'cluster name already exists' } } });
      const req = goldenCreates['example 1 (hive job, data catalog, configText)']!;
      const err = await client.createCluster(req).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClusterNameTakenError);
      expect(err).toBeInstanceOf(InvalidSpecError);
      expect((err as ClusterNameTakenError).reason).toBe('ClusterNameTaken');
      expect((err as ClusterNameTakenError).clusterName).toBe('hive-job-cluster');
      expect((err as Error).message).toContain('HTTP 409 (Conflict): cluster name already exists');
    });

    it('does not retry a create on 503: exactly one request, a transient error with the hint', async () => {
      const { client } = setup();
      handler = () => ({ status: 503, body: 'upstream unavailable', headers: { 'retry-after': '2' } });
      const err = await client.createCluster(goldenCreates['example 1 (hive job, data catalog, configText)']!).catch((e: unknown) => e);
      expect(recorded).toHaveLength(1);
      expect(err).toBeInstanceOf(TransientError);
      expect((err as TransientError).retryAfterMs).toBe(2000);
      expect((err as Error).message).toContain('HTTP 503: upstream unavailable');
    });

    it('maps 401 to CredentialsInvalid without ever quoting the credentials, even when echoed back', async () => {
      const { client, lines } = setup();
      handler = (r) => ({
        status: 401,
        body: { message: `bad credential ${String(r.headers['credential-id'])}/${String(r.headers['credential-secret'])}` },
      });
      const err = await client
        .createCluster(goldenCreates['example 2 (spark job, HA, existing security groups, user script file)']!)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TerminalError);
      expect((err as TerminalError).reason).toBe('CredentialsInvalid');
      expect((err as Error).message).toContain('HTTP 401');
      expect((err as Error).message).not.toContain(credentialSecret);
      expect((err as Error).message).not.toContain(credentialId);
      expect(lines.join('')).not.toContain(credentialSecret);
    });

    it('maps 400 (Spring Boot body) to CloudRejectedSpec and 403 to PermissionDenied', async () => {
      const { client } = setup();
      handler = (_r, i) =>
        i === 0
          ? {
              status: 400,
              body: {
                timestamp: '2024-07-01T00:00:00Z',
                status: 400,
                error: 'Bad Request',
                message: 'invalid flavor',
                path: '/v2/hadoop-eco/clusters',
              },
            }
          : { status: 403, body: { error: 'Forbidden' } };
      const req = goldenCreates['example 3 (config file URL, user script, MySQL metastore)']!;
      const bad = await client.createCluster(req).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(InvalidSpecError);
      expect((bad as InvalidSpecError).reason).toBe('CloudRejectedSpec');
      expect((bad as Error).message).toContain('HTTP 400: invalid flavor');
      const denied = await client.createCluster(req).catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(TerminalError);
      expect((denied as TerminalError).reason).toBe('PermissionDenied');
      expect((denied as Error).message).toContain('HTTP 403: Forbidden');
    });
  });

  describe('getCluster', () => {
    it('GETs the cluster and parses a detail with extra fields and missing or null URLs', async () => {
      const { client } = setup();
      const detail = {
        id: clusterId,
        name: 'test-cluster',
        owner: 'user@kakaoenterprise.com',
        clusterType: 'hadoop',
        clusterVersion: 'hde-2.0.1',
        isHa: false,
        isScalable: true,
        status: 'Running',
        apiKeyStatus: 'impossible',
        masterCnt: 1,
        workerCnt: 3,
        nodeCnt: 4,
        ...network,
        securityGroupIds: ['56aa3028-b163-b114-baac-gg1dtfa1bec1'],
        keypairName: 'keypairname',
        monitoring: true,
        imageName: 'HadoopEco-2.0.1',
        nameNodeUrl: 'http://10.0.129.243:9870',
        hueUrl: null,
        createdAt: 1719452777733,
        runningAt: 1719453121000,
        elapsedTime: 1000,
        totalVmUptime: 4000,
        masterInfo: [{ flavorId: 'f1', flavorName: 'm2a.xlarge', volumeSize: 50 }],
        workerInfo: [{ flavorId: 'f1', flavorName: 'm2a.xlarge', volumeSize: 100 }],
        adminInfo: { userId: 'admin_user' },
        config: { hdfsBlockSize: 128, hdfsReplication: 3, configText: configText1 },
        brandNewField: { nested: true },
      };
      handler = () => ({ body: detail });
      const got = await client.getCluster(clusterId);
      const r = recorded[0]!;
      expect(r.method).toBe('GET');
      expect(r.path).toBe(`/v2/hadoop-eco/clusters/${clusterId}`);
      expect(r.rawQuery).toBe('');
      expectCredentialHeaders(r);
      expect(r.headers['content-type']).toBeUndefined();
      expect(r.body).toBe('');
      expect(got?.status).toBe('Running');
      expect(got?.hueUrl).toBeNull();
      expect(got?.trinoUrl).toBeUndefined();
      expect(got?.config?.hdfsReplication).toBe(3);
      expect(got?.['brandNewField']).toEqual({ nested: true });
    });

    const page = (content: unknown[]) => ({ content, last: true, totalPages: 1, number: 0 });
    const notFound = { timestamp: '2026-01-01T00:00:00Z', status: 404, error: 'Not Found', message: 'cluster not found', path: '/x' };

    it("returns null on the API's own 404 once the cluster list (tombstones included) agrees", async () => {
      const { client } = setup();
      handler = (req) => (req.path.endsWith('/nope') ? { status: 404, body: notFound } : { body: page([]) });
      expect(await client.getCluster('nope')).toBeNull();
      expect(recorded.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v2/hadoop-eco/clusters/nope', 'GET /v2/hadoop-eco/clusters']);
      expect(recorded[1]!.query.get('includeTerminated')).toBe('true');
    });

    it('returns null when the list still shows the cluster as a tombstone', async () => {
      const { client } = setup();
      handler = (req) =>
        req.path.endsWith('/nope')
          ? { status: 404, body: notFound }
          : { body: page([{ id: 'nope', name: 'n', status: 'Terminated(User)' }]) };
      expect(await client.getCluster('nope')).toBeNull();
    });

    it("a 404 whose body is not the API's own (a proxy page, an empty body) proves nothing: EndpointNotFound naming the URL", async () => {
      const { client } = setup();
      for (const body of ['<html><body><h1>404 Not Found</h1>nginx</body></html>', '']) {
        recorded = [];
        handler = () => ({ status: 404, body, headers: { 'content-type': 'text/html' } });
        const err = await client.getCluster('c-1').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(EndpointNotFoundError);
        expect((err as EndpointNotFoundError).reason).toBe('EndpointNotFound');
        expect((err as EndpointNotFoundError).url).toBe(`${baseUrl}/v2/hadoop-eco/clusters/c-1`);
        expect((err as Error).message).toContain(`${baseUrl}/v2/hadoop-eco/clusters/c-1`);
        expect(recorded).toHaveLength(1); // no lookup: the answer is not the API's
      }
    });

    it('an API-shaped 404 whose lookup route 404s too (a wrong endpoint) is EndpointNotFound', async () => {
      const { client } = setup();
      handler = () => ({ status: 404, body: notFound });
      const err = await client.getCluster('c-1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EndpointNotFoundError);
      expect((err as Error).message).toContain(`${baseUrl}/v2/hadoop-eco/clusters`);
    });

    it('a 404 for a cluster the list shows alive is an inconsistency to ask about again, never an absence', async () => {
      const { client } = setup();
      handler = (req) =>
        req.path.endsWith('/c-1') ? { status: 404, body: notFound } : { body: page([{ id: 'c-1', name: 'n', status: 'Running' }]) };
      const err = await client.getCluster('c-1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransientError);
      expect((err as TransientError).reason).toBe('CloudInconsistent');
    });

    it('retries a GET on 503, honouring Retry-After, then succeeds', async () => {
      const { client } = setup();
      handler = (_r, i) =>
        i === 0
          ? { status: 503, headers: { 'retry-after': '0.15' }, body: '' }
          : { body: { id: clusterId, name: 'x', status: 'Initializing' } };
      const started = Date.now();
      const got = await client.getCluster(clusterId);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(recorded).toHaveLength(2);
      expect(got?.status).toBe('Initializing');
    });

    it('gives up after three attempts and reports a transient error', async () => {
      const { client } = setup();
      handler = () => ({ status: 502, body: '<html>bad gateway</html>' });
      const err = await client.getCluster(clusterId).catch((e: unknown) => e);
      expect(recorded).toHaveLength(3);
      expect(err).toBeInstanceOf(TransientError);
      expect((err as TransientError).reason).toBe('CloudUnavailable');
    });

    it('reports a 200 with the wrong shape as a transient CloudResponseInvalid', async () => {
      const { client } = setup();
      handler = () => ({ body: { id: 7 } });
      const err = await client.getCluster(clusterId).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransientError);
      expect((err as TransientError).reason).toBe('CloudResponseInvalid');
    });
  });

  describe('listClusters', () => {
    it("sends the seed's list example 1 query: 0-based page, repeated sort with literal commas", async () => {
      const { client } = setup();
      const content = [
        terminated('fa70ff9f-98a2-446c-9f33-75d7dce7c160', 1716359078000),
        terminated('3ec42a8d-a5a3-42ef-9c34-e270db0354b1', 1716536420000),
      ];
      handler = () => ({ body: { ...page(content, 2, 3, 96, false), totalPages: 32 } });
      const p = await client.listClusters({ page: 0, size: 3, includeTerminated: true, sort: ['name,desc', 'status,asc'] });
      const r = recorded[0]!;
      expect(r.method).toBe('GET');
      expect(r.path).toBe('/v2/hadoop-eco/clusters');
      expect(r.rawQuery).toBe('page=0&size=3&includeTerminated=true&sort=name,desc&sort=status,asc');
      expectCredentialHeaders(r);
      expect(p.content).toHaveLength(2);
      expect(p.number).toBe(2);
      expect(p.pageable?.offset).toBe(6);
      expect(p.last).toBe(false);
      expect(p.content[0]?.status).toBe('Terminated(User)');
    });

    it('sends name and apiKeyStatus filters (seed list example 2)', async () => {
      const { client } = setup();
      handler = () => ({ body: page([andy, testCluster], 0, 5, 2, true) });
      await client.listClusters({
        page: 0,
        size: 5,
        includeTerminated: false,
        name: 'test',
        apiKeyStatus: 'impossible',
        sort: ['createdAt,asc'],
      });
      const q = recorded[0]!.query;
      expect(q.get('includeTerminated')).toBe('false');
      expect(q.get('name')).toBe('test');
      expect(q.get('apiKeyStatus')).toBe('impossible');
      expect(q.getAll('sort')).toEqual(['createdAt,asc']);
    });

    it('listAllClusters walks pages from 0 until last', async () => {
      const { client } = setup();
      handler = (r) => {
        const n = Number(r.query.get('page'));
        return { body: n === 0 ? page([andy], 0, 1, 2, false) : page([testCluster], 1, 1, 2, true) };
      };
      const names: string[] = [];
      for await (const c of client.listAllClusters({ size: 1 })) names.push(c.name);
      expect(names).toEqual(['andy-cluster-test-01', 'test']);
      expect(recorded.map((r) => r.query.get('page'))).toEqual(['0', '1']);
      expect(recorded.every((r) => r.query.get('size') === '1')).toBe(true);
    });

    it('findLiveClustersByName asks for live clusters only and re-checks the exact name', async () => {
      const { client } = setup();
      const tombstone = { ...testCluster, id: 'dead', status: 'Terminated(User)' };
      handler = () => ({ body: page([andy, testCluster, tombstone], 0, 100, 3, true) });
      const found = await client.findLiveClustersByName('test');
      expect(found.map((c) => c.id)).toEqual([testCluster.id]);
      const q = recorded[0]!.query;
      expect(q.get('includeTerminated')).toBe('false');
      expect(q.get('name')).toBe('test');
      expect(q.get('page')).toBe('0');
    });
  });

  describe('VMs', () => {
    it("sends the seed's VM example 2 query and tolerates a missing floatingIp", async () => {
      const { client } = setup();
      const withIp = { ...vms[1]!, floatingIp: '203.0.113.10', extra: 'kept' };
      handler = () => ({ body: page([vms[0]!, withIp], 0, 10, 2, true) });
      const p = await client.listVms('31ca7ea4-93f3-4c76-9f9e-c0b3d947c17e', {
        name: 'WRK',
        page: 0,
        size: 10,
        sort: ['name,desc', 'status,asc'],
      });
      const r = recorded[0]!;
      expect(r.method).toBe('GET');
      expect(r.path).toBe('/v2/hadoop-eco/clusters/31ca7ea4-93f3-4c76-9f9e-c0b3d947c17e/vms');
      expect(r.rawQuery).toBe('page=0&size=10&name=WRK&sort=name,desc&sort=status,asc');
      expectCredentialHeaders(r);
      expect(p?.content[0]?.floatingIp).toBeUndefined();
      expect(p?.content[1]?.floatingIp).toBe('203.0.113.10');
      expect(p?.content[1]?.['extra']).toBe('kept');
    });

    it('sends ip and instanceId as strings and listAllVms collects every page', async () => {
      const { client } = setup();
      handler = (r) => {
        const n = Number(r.query.get('page'));
        return { body: page(vms.slice(n * 2, n * 2 + 2), n, 2, 4, n === 1) };
      };
      const all = await client.listAllVms('bbe8ce14-3497-476e-894c-142c48c9c469', { size: 2, ip: '10.0.1', instanceId: '-4c3b' });
      expect(all?.map((v) => v.name)).toEqual(vms.map((v) => v.name));
      expect(recorded).toHaveLength(2);
      expect(recorded[0]!.query.get('ip')).toBe('10.0.1');
      expect(recorded[0]!.query.get('instanceId')).toBe('-4c3b');
    });

    it("reads the API's own 404 on /vms as a missing cluster, and any other 404 as a wrong endpoint", async () => {
      const { client } = setup();
      handler = () => ({ status: 404, body: { status: 404, error: 'Not Found', message: 'cluster not found: gone' } });
      expect(await client.listVms('gone')).toBeNull();
      expect(await client.listAllVms('gone')).toBeNull();
      handler = () => ({ status: 404, body: '' });
      await expect(client.listVms('gone')).rejects.toBeInstanceOf(EndpointNotFoundError);
    });
  });

  describe('deleteCluster', () => {
    it('DELETEs without a body and returns the action response', async () => {
      const { client } = setup();
      handler = () => ({ body: { id: clusterId, name: 'test-cluster', status: 'Terminating' } });
      const res = await client.deleteCluster(clusterId);
      const r = recorded[0]!;
      expect(r.method).toBe('DELETE');
      expect(r.path).toBe(`/v2/hadoop-eco/clusters/${clusterId}`);
      expect(r.body).toBe('');
      expect(r.headers['content-type']).toBeUndefined();
      expectCredentialHeaders(r);
      expect(res?.status).toBe('Terminating');
    });

    it('returns null on 404 and is never retried', async () => {
      const { client } = setup();
      handler = () => ({ status: 404, body: { message: 'not found' } });
      expect(await client.deleteCluster(clusterId)).toBeNull();
      handler = () => ({ status: 503, body: '' });
      await expect(client.deleteCluster(clusterId)).rejects.toBeInstanceOf(TransientError);
      expect(recorded).toHaveLength(2);
    });
  });

  describe('scaling', () => {
    it('scale-out POSTs {"scaleCnt":n}', async () => {
      const { client } = setup();
      handler = () => ({ body: { id: clusterId, name: 'test-cluster', status: 'Running' } });
      await client.scaleOut(clusterId, 3);
      const r = recorded[0]!;
      expect(r.method).toBe('POST');
      expect(r.path).toBe(`/v2/hadoop-eco/clusters/${clusterId}/scale-out`);
      expect(r.body).toBe('{"scaleCnt":3}');
      expect(r.headers['content-type']).toBe('application/json');
      expectCredentialHeaders(r);
    });

    it('scale-in falls back to DELETE after a 405, then keeps using DELETE', async () => {
      const { client } = setup();
      handler = (r) =>
        r.method === 'POST'
          ? { status: 405, body: { error: 'Method Not Allowed' } }
          : { body: { id: clusterId, name: 'test-cluster', status: 'Running' } };
      expect(client.scaleInVerb).toBe('POST');
      await client.scaleIn(clusterId, 5);
      await client.scaleIn(clusterId, 1);
      expect(recorded.map((r) => r.method)).toEqual(['POST', 'DELETE', 'DELETE']);
      expect(recorded.every((r) => r.path === `/v2/hadoop-eco/clusters/${clusterId}/scale-in`)).toBe(true);
      expect(recorded.map((r) => r.body)).toEqual(['{"scaleCnt":5}', '{"scaleCnt":5}', '{"scaleCnt":1}']);
      expect(recorded[1]!.headers['content-type']).toBe('application/json');
      expect(client.scaleInVerb).toBe('DELETE');
    });

    it('scale-in uses the configured verb first', async () => {
      const { client } = setup({ scaleInVerb: 'DELETE' });
      handler = () => ({ body: { id: clusterId, name: 'test-cluster', status: 'Running' } });
      await client.scaleIn(clusterId, 2);
      expect(recorded.map((r) => r.method)).toEqual(['DELETE']);
    });

    it('scale on a missing cluster is ClusterNotFound, and the verb is not switched', async () => {
      const { client } = setup();
      handler = () => ({ status: 404, body: { message: 'cluster does not exist' } });
      const err = await client.scaleIn(clusterId, 1).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TerminalError);
      expect((err as TerminalError).reason).toBe('ClusterNotFound');
      expect(recorded.map((r) => r.method)).toEqual(['POST', 'DELETE']);
      expect(client.scaleInVerb).toBe('POST');
      await expect(client.scaleOut(clusterId, 1)).rejects.toMatchObject({ reason: 'ClusterNotFound' });
    });

    it('rejects a non-positive scale count without a request', async () => {
      const { client } = setup();
      await expect(client.scaleOut(clusterId, 0)).rejects.toBeInstanceOf(InvalidSpecError);
      await expect(client.scaleIn(clusterId, 1.5)).rejects.toBeInstanceOf(InvalidSpecError);
      expect(recorded).toHaveLength(0);
    });
  });

  describe('observability', () => {
    it('records labelled metrics once per registry, shared by two clients', async () => {
      const registry = new Registry();
      const a = setup({ registry });
      const b = setup({ registry });
      handler = (_r, i) =>
        i === 0 ? { status: 503, headers: { 'retry-after': '0' }, body: '' } : { body: { id: clusterId, name: 'x', status: 'Running' } };
      await a.client.getCluster(clusterId);
      await b.client.getCluster(clusterId);
      const json = await registry.getMetricsAsJSON();
      const requests = json.find((m) => m.name === 'cdo_cloud_requests_total');
      const values = requests?.values.map((v) => ({ ...v.labels, value: v.value }));
      expect(values).toEqual(
        expect.arrayContaining([
          { cloud: 'kakaocloud', operation: 'getCluster', code: '503', value: 1 },
          { cloud: 'kakaocloud', operation: 'getCluster', code: '200', value: 2 },
        ]),
      );
      const text = await registry.metrics();
      expect(text).toContain('cdo_cloud_request_duration_seconds_count{cloud="kakaocloud",operation="getCluster"} 3');
      expect(text).toContain('# TYPE cdo_cloud_throttled_total counter');
    });

    it('logs each attempt with method, path and status, and never a credential', async () => {
      const { client, lines } = setup();
      handler = (_r, i) =>
        i === 0 ? { status: 503, headers: { 'retry-after': '0' }, body: '' } : { body: { id: clusterId, name: 'x', status: 'Running' } };
      await client.getCluster(clusterId);
      await client.scaleOut(clusterId, 1);
      const all = lines.join('');
      expect(all).not.toContain(credentialSecret);
      expect(all).not.toContain(credentialId);
      const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(
        entries.filter((e) => e['operation'] === 'getCluster').map((e) => [e['method'], e['path'], e['status'], e['attempt']]),
      ).toEqual([
        ['GET', `/v2/hadoop-eco/clusters/${clusterId}`, 503, 1],
        ['GET', `/v2/hadoop-eco/clusters/${clusterId}`, 200, 2],
      ]);
      expect(entries.every((e) => !('headers' in e) && !('body' in e))).toBe(true);
      expect(all).not.toContain('scaleCnt');
    });
  });
});
