// Which KakaoCloud credentials a HadoopEcoCluster uses: the Secret it names (same namespace
// only), else the operator-wide default a cluster admin configured. One client per credential
// and region is kept, so its token bucket limits that tenant's request rate.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { CloudHttp } from '../../clouds/http.ts';
import { HadoopEcoClient } from '../../clouds/kakaocloud/client.ts';
import { hadoopEcoBaseUrl } from '../../clouds/kakaocloud/regions.ts';
import type { ResourceCache } from '../../runtime/cache.ts';
import { readSecretKey, SecretMissingError } from '../common/secrets.ts';
import type { HadoopEcoSpec } from './schema.ts';

export interface CredentialsConfig {
  /** "namespace/name" of the operator-wide default credentials Secret, if any. */
  defaultSecret?: string | undefined;
  endpoints: Record<string, string>;
}

export class HadoopEcoClients {
  private readonly clients = new Map<string, HadoopEcoClient>();
  private readonly secrets: ResourceCache;
  private readonly http: CloudHttp;
  private readonly config: CredentialsConfig;
  private readonly log: Logger;

  constructor(opts: { secrets: ResourceCache; http: CloudHttp; config: CredentialsConfig; log: Logger }) {
    this.secrets = opts.secrets;
    this.http = opts.http;
    this.config = opts.config;
    this.log = opts.log;
  }

  /** The Secret ("namespace/name") a resource's credentials come from. */
  secretOf(namespace: string, spec: Pick<HadoopEcoSpec, 'credentialsSecretRef'>): { namespace: string; name: string } {
    if (spec.credentialsSecretRef) return { namespace, name: spec.credentialsSecretRef.name };
    const fallback = this.config.defaultSecret;
    if (!fallback) throw new SecretMissingError('CredentialsMissing', 'spec.credentialsSecretRef is not set and the operator has no default KakaoCloud credentials');
    const [ns, name] = fallback.split('/');
    return { namespace: ns ?? '', name: name ?? '' };
  }

  forResource(namespace: string, spec: HadoopEcoSpec): HadoopEcoClient {
    const ref = this.secretOf(namespace, spec);
    const what = 'KakaoCloud credentials';
    const credentialId = readSecretKey(this.secrets, ref.namespace, ref.name, 'credentialId', what);
    const credentialSecret = readSecretKey(this.secrets, ref.namespace, ref.name, 'credentialSecret', what);
    const baseUrl = hadoopEcoBaseUrl(spec.region, this.config.endpoints);
    // Keyed by a hash: the map must not hold secrets as readable keys.
    const key = createHash('sha256').update(`${baseUrl}\u0000${credentialId}\u0000${credentialSecret}`).digest('hex');
    let client = this.clients.get(key);
    if (!client) {
      client = new HadoopEcoClient({ baseUrl, credentials: { credentialId, credentialSecret }, http: this.http, log: this.log });
      this.clients.set(key, client);
    }
    return client;
  }
}
