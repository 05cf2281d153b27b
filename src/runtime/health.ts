// /healthz (liveness) and /readyz (readiness) on one small plain-HTTP server, for the kubelet's
// probes (which send no token; /metrics has its own server, metrics-server.ts). Liveness never
// depends on the API server or a cloud being reachable: restarting the pod cures neither.
import { createServer, type Server } from 'node:http';
import { close, listen } from './listen.ts';

export type Check = () => { ok: boolean; reason?: string };

export interface HealthServerOptions {
  port: number;
  host?: string;
  liveness: Check;
  readiness: Check;
}

export class HealthServer {
  private readonly server: Server;
  private readonly opts: HealthServerOptions;

  constructor(opts: HealthServerOptions) {
    this.opts = opts;
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const reply = (check: Check) => {
        const r = check();
        res.writeHead(r.ok ? 200 : 503, { 'content-type': 'text/plain' });
        res.end(r.ok ? 'ok\n' : `not ready: ${r.reason ?? 'unknown'}\n`);
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
      } else if (path === '/healthz' || path === '/livez') {
        reply(this.opts.liveness);
      } else if (path === '/readyz') {
        reply(this.opts.readiness);
      } else {
        res.writeHead(404).end();
      }
    });
  }

  /** Resolves with the port actually bound (useful with port 0). */
  listen(): Promise<number> {
    return listen(this.server, this.opts.port, this.opts.host);
  }

  close(): Promise<void> {
    return close(this.server);
  }
}
