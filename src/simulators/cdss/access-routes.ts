// Routes for node spec changes (C9/C10, spec §5.9), public access (C16-C19, §5.14) and the TLS
// certificate (C25, §5.11). C17 and C19 are GETs that mutate (§6 #1).
import type { Catalog } from './catalog.ts';
import { BusinessError, ERR } from './errors.ts';
import { productsForChange } from './products.ts';
import { idParam, type On } from './route-kit.ts';
import type { ClusterStore } from './state.ts';
import { validateChangeSpec, validateNodeProducts, validatePublicEndpoint } from './validation.ts';

export function registerAccessRoutes(on: On, catalog: Catalog, store: ClusterStore): void {
  // C9: `{isAllPossible: true}` on success (§5.9 [DOC]).
  on('cluster', 'changeSpecNode', 'POST', true, (call) => {
    const id = idParam(call);
    store.get(call.region, id); // unknown id before body problems, as a path lookup would
    store.changeSpec(call.region, id, validateChangeSpec(call.body()));
    return { isAllPossible: true };
  });
  // C10, a POST read. The OS code must be the cluster's own [INF]; G3 clusters get empty lists [3P].
  on('cluster', 'getNodeProductListForSpecChange', 'POST', true, (call) => {
    const c = store.get(call.region, idParam(call));
    const { softwareProductCode } = validateNodeProducts(call.body());
    if (softwareProductCode !== c.input.softwareProductCode) {
      throw new BusinessError(
        ERR.INVALID_PARAMETER,
        `softwareProductCode: ${softwareProductCode} is not the OS of cluster ${c.id} (${c.input.softwareProductCode})`,
      );
    }
    if (c.input.generation === 'G3') return { managerNodeProductList: [], brokerNodeProductList: [] };
    return {
      managerNodeProductList: productsForChange(c.input.managerNodeProductCode),
      brokerNodeProductList: productsForChange(c.input.brokerNodeProductCode),
    };
  });
  // C18 [SDK]: `{responses: [LoadBalancerInstance]}` for the cluster's VPC.
  on('cluster', 'getLoadBalancerInstanceList', 'GET', true, (call) => {
    const c = store.get(call.region, idParam(call));
    return {
      responses: catalog.loadBalancersFor(c.input.vpcNo).map((l) => ({
        instanceNo: l.instanceNo,
        loadBalancerName: l.loadBalancerName,
        loadBalancerDomain: l.loadBalancerDomain,
        loadBalancerIp: l.loadBalancerIp,
        instanceStatusCode: 'USED',
        instanceStatusName: 'Running',
        ipTypeCode: 'PUBLIC',
        layerTypeCode: 'NETWORK_PROXY',
        memberNo: Number(catalog.memberNo),
        regionNo: 1,
        permission: 'Create',
        disable: false,
        zoneList: [],
      })),
      returnCode: '0',
    };
  });
  // C16 / C17 (§5.14): POST per [SDK]/[3P] (§7); disable is a mutating GET.
  on('cluster', 'enableBrokerNodePublicEndpoint', 'POST', true, (call) => {
    const id = idParam(call);
    store.get(call.region, id);
    store.setPublicEndpoint(call.region, id, validatePublicEndpoint(call.body()).loadBalancerInstanceNo);
    return true;
  });
  on('cluster', 'disableBrokerNodePublicEndpoint', 'GET', true, (call) => {
    store.setPublicEndpoint(call.region, idParam(call), null);
    return true;
  });
  // C19 [SDK]/[3P]: mutating GETs for the manager UI's public domain.
  on('cluster', 'enablePublicDomain', 'GET', true, (call) => {
    store.setPublicDomain(call.region, idParam(call), true);
    return true;
  });
  on('cluster', 'disablePublicDomain', 'GET', true, (call) => {
    store.setPublicDomain(call.region, idParam(call), false);
    return true;
  });
  // C25 [SDK]: `{certification: PEM}`.
  on('cluster', 'downloadCertificate', 'GET', true, (call) => ({ certification: store.certificate(call.region, idParam(call)) }));
}
