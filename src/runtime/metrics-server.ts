// /metrics on its own port (CDO_METRICS_PORT), apart from the probes: the kubelet's probes send
// no token, Prometheus does. Secure (the default): HTTPS, and only callers whose bearer token the
// API server accepts and whose user may `get` /metrics (metrics-auth.ts). Plain
// (CDO_METRICS_SECURE=false): HTTP with no authentication, for a local run or a cluster that
// secures the port otherwise (a NetworkPolicy, a mesh).
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { MetricsAuth } from './metrics-auth.ts';
import type { ServingCert } from './serving-cert.ts';
import { close, listen } from './listen.ts';

export type MetricsServerOptions = {
  port: number;
  host?: string;
  registry: Registry;
  log: Logger;
} & ({ secure: false } | { secure: true; cert: ServingCert; auth: MetricsAuth });

export class MetricsServer {
  private readonly server: Server | HttpsServer;
  private readonly opts: MetricsServerOptions;

  constructor(opts: MetricsServerOptions) {
    this.opts = opts;
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = opts.secure
      ? // No HTTP/2 (Node's https is HTTP/1.1 only), which kubebuilder also turns off for metrics.
        createHttpsServer({ cert: opts.cert.certPem, key: opts.cert.keyPem, minVersion: 'TLSv1.2' }, handler)
      : createHttpServer(handler);
  }

  get scheme(): 'https' | 'http' {
    return this.opts.secure ? 'https' : 'http';
  }

  /** Serves a new certificate to new connections (a renewed one from the certificate directory). */
  setCertificate(cert: ServingCert): void {
    if (!this.opts.secure) return;
    (this.server as HttpsServer).setSecureContext({ cert: cert.certPem, key: cert.keyPem, minVersion: 'TLSv1.2' });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (this.opts.secure) {
      const d = await this.opts.auth.decide({ authorization: req.headers.authorization, method: req.method, path });
      if (d.status !== 200) {
        if (d.status === 500) this.opts.log.error({ err: d.error, ...(d.hint ? { hint: d.hint } : {}) }, d.message);
        // As controller-runtime: refusals at its verbose level only, a scraper retries every interval.
        else this.opts.log.debug({ status: d.status, ...(d.status === 403 ? { user: d.user, reason: d.reason } : {}) }, d.message);
        const retry = d.status === 429 ? { 'retry-after': '1' } : {};
        res.writeHead(d.status, { 'content-type': 'text/plain; charset=utf-8', ...retry }).end(`${d.message}\n`);
        return;
      }
    }
    try {
      const body = await this.opts.registry.metrics();
      res.writeHead(200, { 'content-type': this.opts.registry.contentType }).end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(500).end();
    }
  }

  /** Resolves with the port actually bound (useful with port 0). */
  listen(): Promise<number> {
    return listen(this.server, this.opts.port, this.opts.host);
  }

  close(): Promise<void> {
    return close(this.server);
  }
}
