// Credentials and TLS for each Kubernetes API request, taken from client-node's KubeConfig, which
// keeps owning what a kubeconfig means: the in-cluster service account, token files, exec plugins,
// client certificates, CAs, proxies. What this adds is connection reuse: KubeConfig builds a new
// undici Agent (so a new TLS connection) for every request it authenticates, while this keeps one
// Agent per set of TLS settings and replaces it only when they change (an exec plugin that rotates
// its client certificate, a re-read CA file).
import { createHash } from 'node:crypto';
import type { AgentOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';

export interface RequestAuth {
  headers: Record<string, string>;
  /** undefined: undici's global dispatcher (plain HTTP, no TLS settings). */
  dispatcher: Dispatcher | undefined;
}

export class KubeAuth {
  private readonly kubeConfig: KubeConfig;
  private current: { key: string; dispatcher: Dispatcher | undefined } | undefined;

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig;
  }

  /** Headers and dispatcher for one request, with credentials as fresh as KubeConfig makes them. */
  async forRequest(): Promise<RequestAuth> {
    const opts: { headers?: Record<string, unknown>; auth?: string } & AgentOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = String(v);
    if (opts.auth) headers['authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;

    // The same subset of options KubeConfig.applySecurityAuthentication hands to its dispatcher.
    const tls: AgentOptions = { ca: opts.ca, cert: opts.cert, key: opts.key, pfx: opts.pfx, passphrase: opts.passphrase };
    if (opts.rejectUnauthorized !== undefined) tls.rejectUnauthorized = opts.rejectUnauthorized;
    if (opts.servername !== undefined) tls.servername = opts.servername;
    const settings = this.kubeConfig.createDispatcherOptions(this.kubeConfig.getCurrentCluster(), tls);
    if (settings.type === 'socks') {
      // No public way to build client-node's SOCKS connector: let it make its per-request dispatcher.
      let dispatcher: Dispatcher | undefined;
      await this.kubeConfig.applySecurityAuthentication({
        setHeaderParam: () => undefined,
        setDispatcher: (d: Dispatcher) => (dispatcher = d),
      } as unknown as Parameters<KubeConfig['applySecurityAuthentication']>[0]);
      return { headers, dispatcher };
    }
    // A digest, so the cache holds no second copy of a private key.
    const key = createHash('sha256')
      .update(
        JSON.stringify(settings, function (this: Record<string, unknown>, k: string, v: unknown) {
          const raw = this[k];
          return Buffer.isBuffer(raw) ? raw.toString('base64') : v;
        }),
      )
      .digest('base64');
    if (this.current?.key !== key) {
      const previous = this.current?.dispatcher;
      const dispatcher =
        settings.type === 'agent'
          ? new Agent({ connect: settings.connect })
          : settings.type === 'proxy'
            ? new ProxyAgent({ uri: settings.uri, requestTls: settings.requestTls, connect: settings.connect })
            : undefined;
      this.current = { key, dispatcher };
      // Requests in flight on the old one (a watch) finish first; then its connections close.
      void previous?.close().catch(() => undefined);
    }
    return { headers, dispatcher: this.current.dispatcher };
  }

  /** Closes the connections this opened. */
  async close(): Promise<void> {
    const d = this.current?.dispatcher;
    this.current = undefined;
    await d?.close();
  }
}
