// A simulator's HTTP server life cycle: route /_admin to the admin API and everything else to the
// cloud API, answer 500 if a handler fails before replying, listen on loopback by default, and
// close without waiting for keep-alive clients; and the part of the public simulator handle that
// is the same for every cloud (faults, records, cluster views, waiting for a state).
import type { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { FaultConfig, FaultConfigInput, Faults } from './faults.ts';
import { sendJson } from './http.ts';
import type { RecordedRequest, RequestLog } from './records.ts';

type RequestHandler = (req: IncomingMessage, res: ServerResponse, method: string, url: URL) => Promise<void>;

export interface SimulatorServerOptions {
  /** Log prefix, e.g. 'hadoop-eco simulator'. */
  name: string;
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** Default 0 (any free port). */
  port?: number | undefined;
  logger?: Logger | undefined;
  /** Runs first on every request (CDSS stamps its gateway clock's Date header). */
  onRequest?: (res: ServerResponse) => void;
  admin: RequestHandler;
  api: RequestHandler;
  /** Body of the 500 sent when a handler rejects before answering. */
  internalError(path: string): unknown;
}

export interface SimulatorServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  /** Stops listening and cuts open connections. */
  close(): Promise<void>;
}

export async function startSimulatorServer(o: SimulatorServerOptions): Promise<SimulatorServer> {
  const server = createServer((req, res) => {
    o.onRequest?.(res);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const done = url.pathname.startsWith('/_admin') ? o.admin(req, res, method, url) : o.api(req, res, method, url);
    done.catch((err: unknown) => {
      o.logger?.error({ err }, `${o.name}: request handler failed`);
      if (!res.headersSent) sendJson(res, 500, o.internalError(url.pathname));
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** What waitForCluster needs of a simulator's cluster store. */
export interface WatchableStore<R extends { status: string }> {
  readonly events: EventEmitter;
  find(id: string): R | undefined;
}

/** Resolves once cluster `id` satisfies `predicate` (checked now and on every store change). */
export function waitForCluster<R extends { status: string }, V>(
  name: string,
  store: WatchableStore<R>,
  view: (c: R) => V,
  id: string,
  predicate: (v: V) => boolean,
  timeoutMs: number,
): Promise<V> {
  return new Promise<V>((resolve, reject) => {
    const check = (): void => {
      const c = store.find(id);
      if (c === undefined) return;
      const v = view(c);
      if (!predicate(v)) return;
      cleanup();
      resolve(v);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(
          `${name}: cluster ${id} did not reach the expected state within ${timeoutMs} ms (status ${store.find(id)?.status ?? 'unknown'})`,
        ),
      );
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      store.events.off('change', check);
    };
    store.events.on('change', check);
    check();
  });
}

/** What simulatorHandle needs of a simulator's cluster store. */
export interface ClusterSource<R extends { status: string }> extends WatchableStore<R> {
  all(): R[];
  /** Cancels pending transitions (timers) on close. */
  stop(): void;
}

export interface SimulatorHandle<V> {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
  faults: { set(config: FaultConfigInput): FaultConfig; reset(): void; get(): FaultConfig };
  requests(): RecordedRequest[];
  clearRequests(): void;
  clusters(): V[];
  cluster(id: string): V | undefined;
  /** Resolves once the cluster satisfies `predicate` (checked now and on every change). */
  waitFor(id: string, predicate: (c: V) => boolean, timeoutMs?: number): Promise<V>;
}

/** The common members of startHadoopEcoSimulator's / startCdssSimulator's result. */
export function simulatorHandle<R extends { status: string }, V>(o: {
  name: string;
  server: SimulatorServer;
  /** Aborted first on close, so in-flight requests stop sleeping and are dropped. */
  closing: AbortController;
  store: ClusterSource<R>;
  faults: Faults;
  log: RequestLog;
  view: (c: R) => V;
}): SimulatorHandle<V> {
  const { store, faults, log, view } = o;
  return {
    url: o.server.url,
    port: o.server.port,
    close: async () => {
      o.closing.abort();
      store.stop();
      await o.server.close();
    },
    faults: { set: (c) => faults.set(c), reset: () => faults.reset(), get: () => faults.get() },
    requests: () => log.list(),
    clearRequests: () => log.clear(),
    clusters: () => store.all().map(view),
    cluster: (id) => {
      const c = store.find(id);
      return c && view(c);
    },
    waitFor: (id, predicate, timeoutMs = 30_000) => waitForCluster(o.name, store, view, id, predicate, timeoutMs),
  };
}
