// Which KakaoCloud client a HadoopEcoCluster uses: its credentials Secret (or the operator
// default) and the endpoint of its region, through the shared credential-keyed client cache.
import type { Logger } from 'pino';
import type { CloudHttp } from '../../clouds/http.ts';
import { HadoopEcoClient } from '../../clouds/kakaocloud/client.ts';
import { hadoopEcoBaseUrl } from '../../clouds/kakaocloud/regions.ts';
import type { ResourceCache } from '../../runtime/cache.ts';
import { CloudClients } from '../common/credentials.ts';
import type { HadoopEcoSpec } from './schema.ts';

export interface CredentialsConfig {
  /** "namespace/name" of the operator-wide default credentials Secret, if any. */
  defaultSecret?: string | undefined;
  endpoints: Record<string, string>;
}

export class HadoopEcoClients {
  readonly cache: CloudClients<HadoopEcoClient>;
  private readonly endpoints: Record<string, string>;

  constructor(opts: { secrets: ResourceCache; http: CloudHttp; config: CredentialsConfig; log: Logger }) {
    this.endpoints = opts.config.endpoints;
    this.cache = new CloudClients({
      secrets: opts.secrets,
      keys: ['credentialId', 'credentialSecret'],
      what: 'KakaoCloud credentials',
      defaultSecret: opts.config.defaultSecret,
      create: (baseUrl, credentialId, credentialSecret) =>
        new HadoopEcoClient({ baseUrl, credentials: { credentialId, credentialSecret }, http: opts.http, log: opts.log }),
    });
  }

  forResource(namespace: string, spec: HadoopEcoSpec): HadoopEcoClient {
    return this.cache.get(namespace, spec.credentialsSecretRef, hadoopEcoBaseUrl(spec.region, this.endpoints));
  }
}
