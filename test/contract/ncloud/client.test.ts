// Wire contract of the CDSS client (spec ncloud-cdss-api.md §2, §3, §5) against a tiny recording
// server started here. The server re-computes the API Gateway signature v2 of every request with
// its own HMAC (not the client's signer) and records whether it matched.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloudHttp } from '../../../src/clouds/http.ts';
import { CdssClient } from '../../../src/clouds/ncloud/client.ts';
import { EndpointNotFoundError } from '../../../src/clouds/errors.ts';
import { CdssBusinessError, GatewayNotFoundError, UpgradeRejectedError } from '../../../src/clouds/ncloud/errors.ts';
import type { CreateClusterRequest } from '../../../src/clouds/ncloud/types.ts';
import { InvalidSpecError, TerminalError, TransientError } from '../../../src/runtime/errors.ts';
import { createLogger } from '../../../src/runtime/logger.ts';

// Obviously fake, assembled at run time.
const accessKey = ['fake', 'access', 'key', '0000'].join('-');
const secretKey = ['not', 'a', 'real', 'secret', '0000'].join('-');
const password = ['Fake', 'pw', '9!'].join('-');

interface Recorded {
  method: string;
  /** The raw request target as received (path + query). */
  target: string;
  headers: IncomingMessage['headers'];
  body: string;
  timestamp: string;
  signature: string;
  signatureValid: boolean;
}
interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}
type Handler = (req: Recorded, index: number) => Reply;

let server: Server;
let origin: string;
let recorded: Recorded[] = [];
let handler: Handler = () => ({ status: 500, body: { message: 'no handler' } });

function header(h: IncomingMessage['headers'], name: string): string {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : (v ?? '');
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? '';
      const target = req.url ?? '/';
      const timestamp = header(req.headers, 'x-ncp-apigw-timestamp');
      const signature = header(req.headers, 'x-ncp-apigw-signature-v2');
      const expected = createHmac('sha256', Buffer.from(secretKey, 'utf8'))
        .update(`${method} ${target}\n${timestamp}\n${accessKey}`, 'utf8')
        .digest('base64');
      const rec: Recorded = {
        method,
        target,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        timestamp,
        signature,
        signatureValid: signature === expected && header(req.headers, 'x-ncp-iam-access-key') === accessKey && /^\d{13}$/.test(timestamp),
      };
      recorded.push(rec);
      const reply = handler(rec, recorded.length - 1);
      const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const https: CloudHttp[] = [];
afterEach(async () => {
  const unsigned = recorded.filter((r) => !r.signatureValid).map((r) => `${r.method} ${r.target}`);
  recorded = [];
  await Promise.all(https.splice(0).map((h) => h.close()));
  expect(unsigned).toEqual([]);
});

function setup() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger({ pretty: false, level: 'debug', destination });
  const http = new CloudHttp({
    log,
    registry: new Registry(),
    backoff: { baseMs: 5, maxMs: 20, jitter: 0 },
    rateLimit: { qps: 1000, burst: 1000 },
  });
  https.push(http);
  // A clock that moves 1 ms per reading, so every attempt has its own timestamp.
  let t = Date.now();
  const client = new CdssClient({ baseUrl: `${origin}/api/v1/`, credentials: { accessKey, secretKey }, http, log, now: () => t++ });
  return { client, lines };
}

const ok = (result: unknown) => ({ body: { code: 0, message: 'SUCCESS', result, requestId: 'ec3559a4-00c8-42c7-ac87-6a60ba4df08e' } });

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`rejected with a non-Error: ${String(err)}`, { cause: err });
  }
  throw new Error('expected a rejection');
}

// §5.5 example, with the numbers-as-strings the spec warns about (§6 #3).
const clusterInfo = {
  clusterName: 'from-tf-cdss',
  kafkaVersionCode: '2823006',
  kafkaManagerUserName: 'terraform',
  softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
  vpcNo: 12345,
  managerNodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002',
  managerNodeSubnetNo: 111,
  brokerNodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002',
  brokerNodeSubnetNo: '222',
  brokerNodeCount: '3',
  brokerNodeStorageSize: 100,
  configGroupNo: 170,
  status: 'running',
  someNewField: 'kept',
};

describe('CdssClient reads', () => {
  it('getCluster is a POST with {} to getClusterInfoList/{id}, and normalises numbers-as-strings', async () => {
    const { client } = setup();
    handler = () => ok({ ...clusterInfo, kafkaManagerUserPassword: 'echoed-by-cloud' });
    const c = await client.getCluster('3432149');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ method: 'POST', target: '/api/v1/cluster/getClusterInfoList/3432149', body: '{}' });
    expect(recorded[0]?.headers['content-type']).toBe('application/json');
    expect(c).toMatchObject({
      clusterName: 'from-tf-cdss',
      status: 'running',
      kafkaVersionCode: '2823006',
      vpcNo: '12345',
      managerNodeSubnetNo: '111',
      brokerNodeSubnetNo: '222',
      brokerNodeCount: 3,
      brokerNodeStorageSize: 100,
      configGroupNo: '170',
      someNewField: 'kept',
    });
    expect(c).not.toHaveProperty('kafkaManagerUserPassword');
  });

  it('getCluster accepts a numeric kafkaVersionCode too', async () => {
    const { client } = setup();
    handler = () => ok({ ...clusterInfo, kafkaVersionCode: 3903006 });
    expect((await client.getCluster(7))?.kafkaVersionCode).toBe('3903006');
  });

  it('getCluster: result null → null once the list (C4) agrees; a listed cluster is an inconsistency, never an absence', async () => {
    const { client } = setup();
    handler = () => ok(null);
    expect(await client.getCluster(42)).toBeNull();
    expect(recorded.map((r) => r.target)).toEqual(['/api/v1/cluster/getClusterInfoList/42', '/api/v1/cluster/getClusterInfoList']);
    const listed = {
      isLast: true,
      allowedClusters: [{ serviceGroupInstanceNo: '42', clusterName: 'x', serverStatus: 'running' }],
      disallowedClusters: [],
    };
    handler = (r) => (r.target.endsWith('/getClusterInfoList') ? ok(listed) : ok(null));
    const err = await rejection(client.getCluster(42));
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).reason).toBe('CloudInconsistent');
  });

  it('getCluster: a 404 that is neither the gateway nor a CDSS envelope (a proxy) is EndpointNotFound naming the URL', async () => {
    const { client } = setup();
    handler = () => ({ status: 404, body: '<html><body>404 Not Found</body></html>' });
    const err = await rejection(client.getCluster(42));
    expect(err).toBeInstanceOf(EndpointNotFoundError);
    expect((err as EndpointNotFoundError).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/cluster\/getClusterInfoList\/42$/);
    expect(recorded).toHaveLength(1);
  });

  it('getCluster: a business error for an id the list does not show → null; one it shows → rethrown', async () => {
    const { client } = setup();
    const listed = {
      currentPage: 1,
      isFirst: true,
      isLast: true,
      pageSize: 100,
      totalCount: 1,
      totalPage: 1,
      allowedClusters: [],
      disallowedClusters: [{ serviceGroupInstanceNo: '77', clusterName: 'x' }],
    };
    handler = (r) =>
      r.target.endsWith('/getClusterInfoList')
        ? ok(listed)
        : { body: { code: 20001, message: '클러스터가 존재하지 않습니다.', result: null, requestId: 'r-1' } };
    expect(await client.getCluster(42)).toBeNull();
    expect(recorded.map((r) => `${r.method} ${r.target}`)).toEqual([
      'POST /api/v1/cluster/getClusterInfoList/42',
      'POST /api/v1/cluster/getClusterInfoList',
    ]);
    const err = await rejection(client.getCluster(77));
    expect(err).toBeInstanceOf(CdssBusinessError);
  });

  it('listAllClusters follows isLast with the paging in the body; findClustersByName re-checks the exact name', async () => {
    const { client } = setup();
    const item = (id: string, name: string) => ({
      serviceGroupInstanceNo: id,
      clusterName: name,
      serverStatus: 'running',
      brokerNodeCount: 3,
      vpcNo: 5,
    });
    const pages = [
      {
        currentPage: 1,
        isFirst: true,
        isLast: false,
        pageSize: 2,
        totalCount: 5,
        totalPage: 3,
        allowedClusters: [item('1', 'kafka'), item('2', 'kafka-2')],
        disallowedClusters: [],
      },
      {
        currentPage: 2,
        isFirst: false,
        isLast: false,
        pageSize: 2,
        totalCount: 5,
        totalPage: 3,
        allowedClusters: [item('3', 'kafka'), item('4', 'my-kafka')],
        disallowedClusters: [],
      },
      {
        currentPage: 3,
        isFirst: false,
        isLast: true,
        pageSize: 2,
        totalCount: 5,
        totalPage: 3,
        allowedClusters: [item('5', 'kafkaa')],
        disallowedClusters: null,
      },
    ];
    handler = (_r, i) => ok(pages[i]);
    const found = await client.findClustersByName('kafka');
    expect(found.map((c) => c.serviceGroupInstanceNo)).toEqual(['1', '3']);
    expect(found[0]?.vpcNo).toBe('5');
    expect(recorded.map((r) => r.target)).toEqual(Array(3).fill('/api/v1/cluster/getClusterInfoList'));
    expect(recorded.map((r) => JSON.parse(r.body) as unknown)).toEqual([
      { inputText: 'kafka', pageNo: 1, pageSize: 100 },
      { inputText: 'kafka', pageNo: 2, pageSize: 100 },
      { inputText: 'kafka', pageNo: 3, pageSize: 100 },
    ]);
  });

  it('getClusterHealth is a GET to getClusterStatus/{id}', async () => {
    const { client } = setup();
    handler = () =>
      ok({
        clusterName: 'c',
        brokerNodeTotalNumber: 3,
        brokerNumber: 3,
        brokerStatus: 'green',
        brokerStatusPerNode: [{ hostname: 'b1', status: 'green' }],
        zookeeperStatus: 'green',
        cmakStatus: 'green',
      });
    const h = await client.getClusterHealth(3432149);
    expect(recorded[0]).toMatchObject({ method: 'GET', target: '/api/v1/cluster/getClusterStatus/3432149', body: '' });
    expect(h?.brokerStatus).toBe('green');
    expect(h?.zookeeperStatusPerNode).toEqual([]);
  });

  it('getBrokerInfo splits the comma and newline lists and drops empty items', async () => {
    const { client } = setup();
    handler = () =>
      ok({
        brokerNodeDnsInfoList: [{ opaque: true }],
        brokerNodeList: 'b1:9092,b2:9092,,b3:9092,',
        brokerTlsNodeList: 'b1:9093, b2:9093',
        publicEndpointBrokerNodeList: '',
        publicEndpointBrokerNodeListenerPortList: null,
        publicEndpointBrokerTlsNodeList: 'p1:9093\np2:9093\n',
        localDnsList: '10.0.0.1 b1\r\n10.0.0.2 b2\n',
        zookeeperList: 'z1:2181,z2:2181,z3:2181',
      });
    const b = await client.getBrokerInfo('3432149');
    expect(recorded[0]).toMatchObject({ method: 'GET', target: '/api/v1/cluster/getBrokerInfo/3432149' });
    expect(b).toMatchObject({
      brokerNodeDnsInfoList: [{ opaque: true }],
      brokerNodeList: ['b1:9092', 'b2:9092', 'b3:9092'],
      brokerTlsNodeList: ['b1:9093', 'b2:9093'],
      publicEndpointBrokerNodeList: [],
      publicEndpointBrokerNodeListenerPortList: [],
      publicEndpointBrokerTlsNodeList: ['p1:9093', 'p2:9093'],
      localDnsList: ['10.0.0.1 b1', '10.0.0.2 b2'],
      localDnsTlsList: [],
      zookeeperList: ['z1:2181', 'z2:2181', 'z3:2181'],
    });
  });

  it('getVersions is a GET to getCDSSVersionList', async () => {
    const { client } = setup();
    handler = () =>
      ok({
        kafkaVersionList: [
          { kafkaVersionCode: '2823006', kafkaVersionName: '2.8.2' },
          { kafkaVersionCode: 3903006, kafkaVersionName: '3.9.0' },
        ],
      });
    const v = await client.getVersions();
    expect(recorded[0]).toMatchObject({ method: 'GET', target: '/api/v1/cluster/getCDSSVersionList' });
    expect(v.map((x) => x.kafkaVersionCode)).toEqual(['2823006', '3903006']);
  });

  it('listConfigGroups paginates G1 with kafkaVersionCode as an integer; configGroupBelongsToVersion', async () => {
    const { client } = setup();
    const pages = [
      {
        currentPage: 1,
        isLast: false,
        totalPage: 2,
        kafkaConfigGroupList: [{ configGroupNo: 170, configGroupName: 'g170', kafkaVersionCode: '2823006' }],
      },
      {
        currentPage: 2,
        isLast: true,
        totalPage: 2,
        kafkaConfigGroupList: [{ configGroupNo: '171', configGroupName: 'g171', kafkaVersionCode: '2823006' }],
      },
    ];
    handler = (_r, i) => ok(pages[i % 2]);
    const groups = await client.listConfigGroups('2823006');
    expect(groups.map((g) => g.configGroupNo)).toEqual(['170', '171']);
    expect(recorded.map((r) => [r.method, r.target, r.body])).toEqual([
      ['POST', '/api/v1/configGroup/getKafkaVersionConfigGroupList', '{"kafkaVersionCode":2823006,"pageNo":1,"pageSize":100}'],
      ['POST', '/api/v1/configGroup/getKafkaVersionConfigGroupList', '{"kafkaVersionCode":2823006,"pageNo":2,"pageSize":100}'],
    ]);
    expect(await client.configGroupBelongsToVersion(171, 2823006)).toBe(true);
    expect(await client.configGroupBelongsToVersion('999', 2823006)).toBe(false);
  });

  it('upgradeProgress is a POST with the id in the body', async () => {
    const { client } = setup();
    handler = () => ok({ clusterName: 'c', brokerStatus: 'orange', zookeeperStatus: 'green' });
    const p = await client.upgradeProgress('3432149');
    expect(recorded[0]).toMatchObject({
      method: 'POST',
      target: '/api/v1/cluster/rollingUpgradeProgressCheck',
      body: '{"serviceGroupInstanceNo":3432149}',
    });
    expect(p?.brokerStatus).toBe('orange');
  });
});

describe('CdssClient mutations', () => {
  const createReq: CreateClusterRequest = {
    clusterName: 'my-kafka',
    kafkaVersionCode: '2823006',
    configGroupNo: 170,
    kafkaManagerUserName: 'admin-user',
    kafkaManagerUserPassword: password,
    softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
    vpcNo: 12345,
    managerNodeSubnetNo: 111,
    managerNodeProductCode: 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002',
    brokerNodeSubnetNo: 222,
    brokerNodeCount: 3,
    brokerNodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002',
    brokerNodeStorageSize: 100,
  };

  it('createCluster posts the G2 body with integer ids and returns the id as a string', async () => {
    const { client } = setup();
    handler = () => ok({ serviceGroupInstanceNo: 3432149 });
    expect(await client.createCluster(createReq)).toBe('3432149');
    expect(recorded[0]).toMatchObject({ method: 'POST', target: '/api/v1/cluster/createCDSSClusterReturnServiceGroupInstanceNo' });
    expect(JSON.parse(recorded[0]?.body ?? '')).toEqual({ ...createReq, kafkaVersionCode: 2823006 });
  });

  it('createCluster rejects a bad spec locally without quoting the password', async () => {
    const { client } = setup();
    const err = await rejection(
      client.createCluster({ ...createReq, clusterName: 'Bad--Name', kafkaManagerUserPassword: `${password} x` }),
    );
    expect(err).toBeInstanceOf(InvalidSpecError);
    expect(err.message).toMatch(/clusterName/);
    expect(err.message).toMatch(/kafkaManagerUserPassword/);
    expect(err.message).not.toContain(password);
    expect(recorded).toHaveLength(0);
  });

  it('createCluster is not retried on a gateway 503', async () => {
    const { client } = setup();
    handler = () => ({ status: 503, body: { error: { errorCode: '500', message: 'Endpoint Error' } } });
    const err = await rejection(client.createCluster(createReq));
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).reason).toBe('CloudUnavailable');
    expect(recorded).toHaveLength(1);
  });

  it('createKvmCluster posts the dataNode* body', async () => {
    const { client } = setup();
    handler = () => ok(true);
    await client.createKvmCluster({
      clusterName: 'kvm-kafka',
      kafkaVersionCode: 3903006,
      configGroupNo: 171,
      kafkaManagerUserName: 'admin-user',
      kafkaManagerUserPassword: password,
      hypervisorCode: 'KVM',
      generationCode: 'G3',
      softwareProductCode: 'SW.VCDSS.OS.LNX64.ROCKY.08.G003',
      vpcName: 'vpc-a',
      vpcNo: 1,
      managerNodeSubnetName: 'sn-a',
      managerNodeSubnetNo: 2,
      dataNodeSubnetName: 'sn-b',
      dataNodeSubnetNo: 3,
      dataNodeCount: 3,
      dataNodeStorageSize: 200,
      serverSpecCode: 'cdss.s2-g3',
    });
    expect(recorded[0]).toMatchObject({ method: 'POST', target: '/api/v1/cluster/createKvmCluster' });
    expect(JSON.parse(recorded[0]?.body ?? '')).toMatchObject({
      dataNodeCount: 3,
      dataNodeSubnetNo: 3,
      vpcName: 'vpc-a',
      hypervisorCode: 'KVM',
    });
  });

  it('deleteCluster is a DELETE; addBrokers posts the delta', async () => {
    const { client } = setup();
    handler = () => ok(true);
    await client.deleteCluster('3432149');
    await client.addBrokers('3432149', 2);
    expect(recorded.map((r) => [r.method, r.target, r.body])).toEqual([
      ['DELETE', '/api/v1/cluster/deleteCDSSCluster/3432149', ''],
      ['POST', '/api/v1/cluster/changeCountOfBrokerNode/3432149', '{"newBrokerNodeCount":2}'],
    ]);
  });

  it('rollingUpgrade sends the seed body byte-for-byte', async () => {
    const { client } = setup();
    handler = () => ok(true);
    await client.rollingUpgrade({ serviceGroupInstanceNo: 3432149, upgradeKafkaVersionCode: 2823006, upgradeConfigGroupNo: 170 });
    // Ids held as strings in status serialise the same way.
    await client.rollingUpgrade({ serviceGroupInstanceNo: '3432149', upgradeKafkaVersionCode: '2823006', upgradeConfigGroupNo: '170' });
    for (const r of recorded) {
      expect(r).toMatchObject({ method: 'POST', target: '/api/v1/cluster/rollingUpgrade' });
      expect(r.body).toBe('{"serviceGroupInstanceNo":3432149,"upgradeKafkaVersionCode":2823006,"upgradeConfigGroupNo":170}');
    }
  });

  it("the seed's 10153 answer is an UpgradeRejectedError carrying the Korean message verbatim", async () => {
    const { client } = setup();
    const korean = '업데이트된 Kafka 버전은 현재 클러스터 버전보다 이후여야 합니다.';
    handler = () => ({ body: { code: 10153, message: korean, result: null, requestId: '251afd18-167c-4ce6-9b91-81831013ee88' } });
    const err = await rejection(
      client.rollingUpgrade({ serviceGroupInstanceNo: 3432149, upgradeKafkaVersionCode: 2823006, upgradeConfigGroupNo: 170 }),
    );
    expect(err).toBeInstanceOf(UpgradeRejectedError);
    expect(err).toBeInstanceOf(TerminalError);
    const e = err as UpgradeRejectedError;
    expect(e.reason).toBe('UpgradeRejected');
    expect(e.cloudMessage).toBe(korean);
    expect(e.message).toContain(korean);
    expect(e.message).toContain('251afd18-167c-4ce6-9b91-81831013ee88');
    expect(recorded).toHaveLength(1);
  });

  it('upgradePreCheck posts to rollingUpgradePreCheck and reports the cloud reason', async () => {
    const { client } = setup();
    handler = (_r, i) =>
      i === 0 ? ok(true) : { body: { code: 0, message: '복제 중인 topic이 있습니다.', result: null, requestId: 'r-2' } };
    const body = { serviceGroupInstanceNo: 3432149, upgradeKafkaVersionCode: 2823006, upgradeConfigGroupNo: 170 };
    expect(await client.upgradePreCheck(body)).toMatchObject({ upgradable: true, message: 'SUCCESS' });
    expect(await client.upgradePreCheck(body)).toEqual({ upgradable: false, message: '복제 중인 topic이 있습니다.', requestId: 'r-2' });
    expect(recorded[0]).toMatchObject({ method: 'POST', target: '/api/v1/cluster/rollingUpgradePreCheck' });
  });

  it('code != 0 with HTTP 200 is a failure: InvalidSpecError CloudRejectedSpec "code <n>: <message>"', async () => {
    const { client } = setup();
    handler = () => ({ body: { code: 3, message: 'Invalid Compute Instance No list', result: null, requestId: 'req-3' } });
    const err = await rejection(client.addBrokers(3432149, 1));
    expect(err).toBeInstanceOf(InvalidSpecError);
    expect((err as InvalidSpecError).reason).toBe('CloudRejectedSpec');
    expect(err.message).toContain('code 3: Invalid Compute Instance No list');
    expect(err.message).toContain('req-3');
  });
});

describe('CdssClient gateway errors and retries', () => {
  it('401 errorCode "200" → TerminalError CredentialsInvalid that mentions clock skew, free of secrets', async () => {
    const { client } = setup();
    handler = () => ({ status: 401, body: { error: { errorCode: '200', message: `Authentication Failed ${secretKey}` } } });
    const err = await rejection(client.getCluster(1));
    expect(err).toBeInstanceOf(TerminalError);
    expect((err as TerminalError).reason).toBe('CredentialsInvalid');
    expect(err.message).toMatch(/clock/);
    expect(err.message).toMatch(/5 minutes/);
    expect(err.message).not.toContain(secretKey);
    expect(err.message).not.toContain(accessKey);
  });

  it('401 errorCode 210 (a number) → TerminalError PermissionDenied', async () => {
    const { client } = setup();
    handler = () => ({ status: 401, body: { error: { errorCode: 210, message: 'Permission Denied' } } });
    const err = await rejection(client.getVersions());
    expect((err as TerminalError).reason).toBe('PermissionDenied');
    expect(err).toBeInstanceOf(TerminalError);
  });

  it('429 with Retry-After on a read is retried with a new timestamp and a new signature', async () => {
    const { client } = setup();
    handler = (_r, i) =>
      i === 0
        ? { status: 429, headers: { 'retry-after': '0.02' }, body: { error: { errorCode: '420', message: 'Rate Limited' } } }
        : ok({ clusterName: 'c', brokerStatus: 'green' });
    const h = await client.getClusterHealth(5);
    expect(h?.clusterName).toBe('c');
    expect(recorded).toHaveLength(2);
    const [a, b] = recorded;
    expect(a?.timestamp).not.toBe(b?.timestamp);
    expect(a?.signature).not.toBe(b?.signature);
  });

  it('429 on a mutation is not retried: TransientError CloudThrottled with the hint', async () => {
    const { client } = setup();
    handler = () => ({
      status: 429,
      headers: { 'retry-after': '0.02' },
      body: { error: { errorCode: '410', message: 'Throttle Limited' } },
    });
    const err = await rejection(client.deleteCluster(5));
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).reason).toBe('CloudThrottled');
    expect((err as TransientError).retryAfterMs).toBe(20);
    expect(recorded).toHaveLength(1);
  });

  it('gateway 504/510 on a read is retried and ends CloudUnavailable', async () => {
    const { client } = setup();
    handler = () => ({ status: 504, body: { error: { errorCode: '510', message: 'Endpoint Timeout' } } });
    const err = await rejection(client.getBrokerInfo(5));
    expect((err as TransientError).reason).toBe('CloudUnavailable');
    expect(recorded).toHaveLength(3);
    expect(new Set(recorded.map((r) => r.signature)).size).toBe(3);
  });

  it('gateway 404/300 is a GatewayNotFoundError (EndpointNotFound)', async () => {
    const { client } = setup();
    handler = () => ({ status: 404, body: { error: { errorCode: '300', message: 'Not Found Exception' } } });
    const err = await rejection(client.getVersions());
    expect(err).toBeInstanceOf(GatewayNotFoundError);
    expect((err as GatewayNotFoundError).reason).toBe('EndpointNotFound');
    expect(err.message).toMatch(/\/api\/v1\/cluster\/getCDSSVersionList answered 404.*errorCode 300/);
  });

  it('password reset falls back from resetMGMTPassword (404/300) to resetCMAKPassword once, then keeps it; logs hold no secrets', async () => {
    const { client, lines } = setup();
    handler = (r) =>
      r.target.includes('/resetMGMTPassword/')
        ? { status: 404, body: { error: { errorCode: '300', message: 'Not Found Exception' } } }
        : ok(true);
    await client.resetManagerPassword('3432149', password);
    await client.resetManagerPassword('3432149', password);
    expect(recorded.map((r) => [r.method, r.target])).toEqual([
      ['POST', '/api/v1/cluster/resetMGMTPassword/3432149'],
      ['POST', '/api/v1/cluster/resetCMAKPassword/3432149'],
      ['POST', '/api/v1/cluster/resetCMAKPassword/3432149'],
    ]);
    expect(recorded.every((r) => r.body === JSON.stringify({ kafkaManagerUserPassword: password }))).toBe(true);
    expect(client.passwordResetOperation).toBe('resetCMAKPassword');

    // A failure after the switch, echoing the password and credentials, must not leak them either.
    handler = () => ({
      status: 200,
      body: { code: 77, message: `bad password ${password} for ${accessKey}`, result: null, requestId: 'r-9' },
    });
    const err = await rejection(client.resetManagerPassword('3432149', password));
    expect(err).toBeInstanceOf(CdssBusinessError);
    expect(err.message).not.toContain(password);
    expect(err.message).not.toContain(accessKey);

    const log = lines.join('');
    expect(log).toContain('resetManagerPassword');
    expect(log).toContain('switched API path');
    for (const secret of [accessKey, secretKey, password]) expect(log).not.toContain(secret);
  });

  it('rejects a non-numeric cluster id before sending', async () => {
    const { client } = setup();
    const err = await rejection(client.getCluster('../x'));
    expect(err).toBeInstanceOf(InvalidSpecError);
    expect(recorded).toHaveLength(0);
  });
});

describe('CdssClient config group, node spec and public access answers the simulator does not produce', () => {
  it('getConfigGroup: result null for a group G10 lists is an inconsistency; unlisted → null', async () => {
    const { client } = setup();
    const listed = { isLast: true, kafkaConfigGroupList: [{ configGroupNo: 170, configGroupName: 'g', kafkaVersionCode: '2823006' }] };
    handler = (r) => (r.target.endsWith('/getKafkaConfigGroupList') ? ok(listed) : ok(null));
    const err = await rejection(client.getConfigGroup('170', '2823006'));
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).reason).toBe('CloudInconsistent');
    expect(await client.getConfigGroup('171', '2823006')).toBeNull();
    expect(recorded.map((r) => `${r.method} ${r.target}`)).toEqual([
      'POST /api/v1/configGroup/getKafkaConfigGroup/170',
      'POST /api/v1/configGroup/getKafkaConfigGroupList',
      'POST /api/v1/configGroup/getKafkaConfigGroup/171',
      'POST /api/v1/configGroup/getKafkaConfigGroupList',
    ]);
  });

  it("setConfigGroupValues names typed fields by G4's configNameKey and types them; G4 without a result stops it", async () => {
    const { client } = setup();
    const detail = {
      kafkaConfigGroupDetailList: [
        {
          configName: 'log.retention.hours',
          configNameKey: 'retentionHoursField',
          customValue: 48,
          defaultValue: '168',
          modifyYn: 'Y',
          type: 'int',
        },
        { configName: 'x.flag', configNameKey: null, customValue: null, defaultValue: 'false', modifyYn: true, type: 'Boolean' },
      ],
      additionalKafkaConfigGroupDetailList: [{ configName: 'compression.type', configValue: 'gzip' }],
    };
    handler = (r) => (r.target.includes('/getKafkaConfigGroupDetailList/') ? ok(detail) : ok({ configGroupNo: 5 }));
    const values = await client.getConfigGroupValues('5', '3903006');
    expect(values).toEqual([
      {
        configName: 'log.retention.hours',
        configNameKey: 'retentionHoursField',
        customValue: '48',
        defaultValue: '168',
        modifyYn: true,
        type: 'int',
      },
      { configName: 'x.flag', customValue: null, defaultValue: 'false', modifyYn: true, type: 'Boolean' },
      { configName: 'compression.type', customValue: 'gzip', defaultValue: null, modifyYn: true },
    ]);
    await client.setConfigGroupValues('5', '3903006', { 'log.retention.hours': '12', 'x.flag': 'TRUE', 'compression.type': 'gzip' });
    const g5 = recorded.at(-1);
    expect(g5?.target).toBe('/api/v1/configGroup/setKafkaConfigGroupDetail/5');
    expect(JSON.parse(g5?.body ?? '')).toEqual({
      kafkaVersionCode: 3903006,
      retentionHoursField: 12,
      xFlag: true,
      additionalKafkaConfigGroupDetailList: [{ configName: 'compression.type', configValue: 'gzip' }],
    });

    recorded = [];
    handler = () => ok(null);
    const err = await rejection(client.setConfigGroupValues('5', '3903006', { 'log.retention.hours': '12' }));
    expect((err as TransientError).reason).toBe('CloudResponseInvalid');
    expect(recorded.map((r) => r.target)).toEqual(['/api/v1/configGroup/getKafkaConfigGroupDetailList/5']);
  });

  it('code 0 with isDelete false (G9) or isAllPossible false (C9) is a refusal; C18 reads instanceNo or loadBalancerInstanceNo', async () => {
    const { client } = setup();
    handler = () => ({ body: { code: 0, message: 'in use', result: { isDelete: false }, requestId: 'r-1' } });
    expect(await rejection(client.deleteConfigGroup('9'))).toBeInstanceOf(CdssBusinessError);
    handler = () => ({ body: { code: 0, message: 'no', result: { isAllPossible: false }, requestId: 'r-2' } });
    expect(await rejection(client.changeNodeSpec('7', { brokerNodeProductCode: 'SVR.X' }))).toBeInstanceOf(CdssBusinessError);
    handler = () =>
      ok({
        responses: [
          { instanceNo: 11, loadBalancerName: 'a', loadBalancerIp: '198.51.100.1' },
          { loadBalancerInstanceNo: '12', loadBalancerName: null },
        ],
      });
    expect(await client.loadBalancersForPublicEndpoint('7')).toEqual([
      { loadBalancerInstanceNo: '11', loadBalancerName: 'a', loadBalancerIp: '198.51.100.1' },
      { loadBalancerInstanceNo: '12', loadBalancerName: '' },
    ]);
    handler = () => ok({ certification: '' });
    expect(await client.downloadCertificate('7')).toBeNull();
  });
});
