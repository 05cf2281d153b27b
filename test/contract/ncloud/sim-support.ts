// Shared setup for the CDSS contract tests that run the real client against the simulator: fake
// keys built at run time, a fast simulator, a client with quick backoff, and request counting
// from the simulator's own records (what reached the "cloud", retries included).
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { CloudHttp } from '../../../src/clouds/http.ts';
import { CdssClient } from '../../../src/clouds/ncloud/client.ts';
import type { CreateClusterRequest } from '../../../src/clouds/ncloud/types.ts';
import { createLogger } from '../../../src/runtime/logger.ts';
import { startCdssSimulator, type CdssSimulator, type CdssSimulatorOptions } from '../../../src/simulators/cdss/index.ts';

export interface SimClient {
  sim: CdssSimulator;
  client: CdssClient;
  /** Recorded API requests whose path contains `op`, e.g. `setKafkaConfigGroupDetail`. */
  calls: (op: string) => Array<{ method: string; path: string; body: unknown; status: number | null }>;
  /** A cluster created through the client and waited for until `running`. */
  runningCluster: (overrides?: Partial<CreateClusterRequest>) => Promise<string>;
  close: () => Promise<void>;
}

export async function startSimClient(opts: Partial<CdssSimulatorOptions> = {}): Promise<SimClient> {
  const accessKey = `FAKE-ACCESS-${randomUUID().slice(0, 8)}`;
  const secretKey = ['fake', 'secret', randomUUID()].join('-');
  const sim = await startCdssSimulator({
    credentials: [{ accessKey, secretKey }],
    provisionMs: 40,
    scaleMs: 40,
    upgradeMs: 80,
    deleteMs: 40,
    seed: 11,
    ...opts,
  });
  const log = createLogger({ pretty: false, level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  const http = new CloudHttp({
    log,
    registry: new Registry(),
    backoff: { baseMs: 5, maxMs: 20, jitter: 0 },
    rateLimit: { qps: 1000, burst: 1000 },
    timeoutMs: 2_000,
  });
  const client = new CdssClient({ baseUrl: sim.baseUrl('KR'), credentials: { accessKey, secretKey }, http, log });
  let n = 0;
  return {
    sim,
    client,
    calls: (op) =>
      sim
        .requests()
        .filter((r) => r.path.includes(`/${op}`))
        .map((r) => ({ method: r.method, path: r.path, body: r.body, status: r.status })),
    runningCluster: async (overrides = {}) => {
      n += 1;
      const id = await client.createCluster({
        clusterName: `ct-kafka-${n}`,
        kafkaVersionCode: '3713006',
        configGroupNo: 171,
        kafkaManagerUserName: 'kafkaadmin',
        kafkaManagerUserPassword: ['Fk', randomUUID().slice(0, 6), '1!'].join('-'),
        softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
        vpcNo: 1001,
        managerNodeSubnetNo: 2001,
        managerNodeProductCode: 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002',
        brokerNodeSubnetNo: 2002,
        brokerNodeCount: 3,
        brokerNodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002',
        brokerNodeStorageSize: 100,
        ...overrides,
      });
      await sim.waitFor(id, (c) => c.status === 'running', 5_000);
      return id;
    },
    close: async () => {
      await http.close();
      await sim.close();
    },
  };
}

export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`rejected with a non-Error: ${String(err)}`, { cause: err });
  }
  throw new Error('expected a rejection');
}
