// How every ncloud.cdo.dev kind reaches CDSS: the NAVER Cloud API key's two Secret keys, the
// endpoint of the spec's region on the operator's site (CDO_NCLOUD_SITE, overridable per region
// by CDO_NCLOUD_ENDPOINTS), and one client per key and endpoint. KafkaCluster and
// KafkaConfigGroup use the same account, so they share this, written once.
import type { Logger } from 'pino';
import type { CloudHttp } from '../../clouds/http.ts';
import { CdssClient } from '../../clouds/ncloud/client.ts';
import { cdssBaseUrl, type CdssSite } from '../../clouds/ncloud/regions.ts';
import type { KindAdapter, KindTypes } from '../core/kind.ts';

export interface CdssEnv {
  http: CloudHttp;
  log: Logger;
  site: CdssSite;
  /** Endpoint overrides by region (CDO_NCLOUD_ENDPOINTS). */
  endpoints: Record<string, string>;
}

type Connection<K extends KindTypes> = Pick<KindAdapter<K>, 'credentials' | 'endpoint' | 'connect'>;

export function cdssConnection<K extends KindTypes & { spec: { region: string }; cloud: CdssClient }>(env: CdssEnv): Connection<K> {
  return {
    credentials: { keys: ['accessKey', 'secretKey'], what: 'NAVER Cloud API key' },
    endpoint: (spec) => cdssBaseUrl(spec.region, env.site, env.endpoints),
    connect: (baseUrl, accessKey, secretKey) =>
      new CdssClient({ baseUrl, credentials: { accessKey, secretKey }, http: env.http, log: env.log }),
  };
}
