// Which CDSS client a KafkaCluster uses: its credentials Secret (or the operator default), and the
// endpoint of its region on the operator's site (public, gov or financial).
import type { Logger } from 'pino';
import type { CloudHttp } from '../../clouds/http.ts';
import { CdssClient } from '../../clouds/ncloud/client.ts';
import { cdssBaseUrl, type CdssSite } from '../../clouds/ncloud/regions.ts';
import type { KafkaVersion } from '../../clouds/ncloud/types.ts';
import type { ResourceCache } from '../../runtime/cache.ts';
import { CloudClients } from '../common/credentials.ts';
import { readSecretKey } from '../common/secrets.ts';
import type { KafkaSpec } from './schema.ts';

export interface CdssConfig {
  site: CdssSite;
  endpoints: Record<string, string>;
  defaultSecret?: string | undefined;
}

const versionsTtlMs = 10 * 60_000;

export class CdssClients {
  readonly cache: CloudClients<CdssClient>;
  private readonly config: CdssConfig;
  private readonly secrets: ResourceCache;
  // The version list changes rarely; names for status are fetched once per client per TTL.
  private readonly versions = new WeakMap<CdssClient, { at: number; list: KafkaVersion[] }>();

  constructor(opts: { secrets: ResourceCache; http: CloudHttp; config: CdssConfig; log: Logger }) {
    this.config = opts.config;
    this.secrets = opts.secrets;
    this.cache = new CloudClients({
      secrets: opts.secrets,
      keys: ['accessKey', 'secretKey'],
      what: 'NAVER Cloud API key',
      defaultSecret: opts.config.defaultSecret,
      create: (baseUrl, accessKey, secretKey) =>
        new CdssClient({ baseUrl, credentials: { accessKey, secretKey }, http: opts.http, log: opts.log }),
    });
  }

  forResource(namespace: string, spec: KafkaSpec): CdssClient {
    return this.cache.get(namespace, spec.credentialsSecretRef, cdssBaseUrl(spec.region, this.config.site, this.config.endpoints));
  }

  /** The secret key of the resource's API key: the operator-only key of the password fingerprint. */
  secretKeyFor(namespace: string, spec: KafkaSpec): string {
    const ref = this.cache.secretOf(namespace, spec.credentialsSecretRef);
    return readSecretKey(this.secrets, ref.namespace, ref.name, 'secretKey', 'NAVER Cloud API key');
  }

  async versionsOf(client: CdssClient): Promise<KafkaVersion[]> {
    const cached = this.versions.get(client);
    if (cached && Date.now() - cached.at < versionsTtlMs) return cached.list;
    const list = await client.getVersions();
    this.versions.set(client, { at: Date.now(), list });
    return list;
  }
}
