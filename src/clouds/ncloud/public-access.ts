// CDSS public access, C16-C19 (spec ncloud-cdss-api.md §5.14), and the TLS certificate, C25
// (§5.11), used through CdssClient. C17 and C19 are GETs that mutate: never retried (§6 #1).
import { CertificateSchema, EnablePublicEndpointRequestSchema, LoadBalancerListSchema, type LoadBalancerCandidate } from './types.ts';
import { clusterId, validate, type CdssTransport } from './wire.ts';

export class CdssPublicAccess {
  private readonly t: CdssTransport;

  constructor(transport: CdssTransport) {
    this.t = transport;
  }

  /** C18 `GET`, a real read (retried). */
  async loadBalancers(id: string | number): Promise<LoadBalancerCandidate[]> {
    const env = await this.t.send('loadBalancersForPublicEndpoint', 'GET', `cluster/getLoadBalancerInstanceList/${clusterId(id)}`, {
      idempotent: true,
    });
    if (env.result === null || env.result === undefined) return [];
    return this.t.result(LoadBalancerListSchema, env, 'loadBalancersForPublicEndpoint').responses;
  }

  /** C16 POST (§5.14, §7: the doc's GET curl is wrong; [SDK] and [3P] say POST). Never retried. */
  async enableBroker(id: string | number, loadBalancerInstanceNo: string | number): Promise<void> {
    const sgId = clusterId(id);
    const body = validate(EnablePublicEndpointRequestSchema, { loadBalancerInstanceNo }, 'InvalidLoadBalancer', 'public endpoint request');
    await this.t.send('enableBrokerPublicEndpoint', 'POST', `cluster/enableBrokerNodePublicEndpoint/${sgId}`, { body, idempotent: false });
  }

  /** C17: a GET that mutates (§6 #1). Never retried. */
  async disableBroker(id: string | number): Promise<void> {
    await this.t.send('disableBrokerPublicEndpoint', 'GET', `cluster/disableBrokerNodePublicEndpoint/${clusterId(id)}`, {
      idempotent: false,
    });
  }

  /** C19: GETs that mutate (§6 #1). Never retried. */
  async setManagerDomain(id: string | number, enabled: boolean): Promise<void> {
    const op = enabled ? 'enablePublicDomain' : 'disablePublicDomain';
    await this.t.send('setManagerPublicDomain', 'GET', `cluster/${op}/${clusterId(id)}`, { idempotent: false });
  }

  /** C25 `GET`, a real read (retried): the PEM, or null when the cloud gives none. */
  async certificate(id: string | number): Promise<string | null> {
    const env = await this.t.send('downloadCertificate', 'GET', `cluster/downloadCertificate/${clusterId(id)}`, { idempotent: true });
    if (env.result === null || env.result === undefined) return null;
    const cert = this.t.result(CertificateSchema, env, 'downloadCertificate').certification;
    return cert === null || cert === undefined || cert === '' ? null : cert;
  }
}
