// CDSS vertical scaling, C9/C10 (spec ncloud-cdss-api.md §5.9), used through CdssClient.
import { CdssBusinessError } from './errors.ts';
import {
  ChangeSpecRequestSchema,
  ChangeSpecResultSchema,
  NodeProductsRequestSchema,
  NodeProductsSchema,
  type ChangeSpecRequest,
  type NodeProduct,
} from './types.ts';
import { clusterId, validate, type CdssTransport } from './wire.ts';

export interface SpecChangeProducts {
  managerNodeProductList: NodeProduct[];
  brokerNodeProductList: NodeProduct[];
}

export class CdssNodeSpec {
  private readonly t: CdssTransport;

  constructor(transport: CdssTransport) {
    this.t = transport;
  }

  /** C9, only the code(s) given (§5.9: Terraform sends both; we send what changes). Never retried. */
  async change(id: string | number, codes: ChangeSpecRequest): Promise<void> {
    const sgId = clusterId(id);
    const body = validate(ChangeSpecRequestSchema, codes, 'InvalidNodeSpec', 'node spec change');
    const env = await this.t.send('changeNodeSpec', 'POST', `cluster/changeSpecNode/${sgId}`, { body, idempotent: false });
    if (env.result === null || env.result === undefined) return;
    // §5.9: success is `{isAllPossible: true}`; an explicit false is a refusal even with code 0.
    if (this.t.result(ChangeSpecResultSchema, env, 'changeNodeSpec').isAllPossible === false) {
      const message = env.message ?? '';
      throw new CdssBusinessError(
        0,
        message,
        env.requestId ?? undefined,
        `NCloud CDSS changeNodeSpec refused: isAllPossible false: ${message}`,
      );
    }
  }

  /** C10, a POST read (retried). No result reads as two empty lists, as [3P] saw on G3 clusters. */
  async productsForChange(id: string | number, softwareProductCode: string): Promise<SpecChangeProducts> {
    const sgId = clusterId(id);
    const body = validate(NodeProductsRequestSchema, { softwareProductCode }, 'InvalidNodeSpec', 'spec change product query');
    const env = await this.t.send('nodeProductsForSpecChange', 'POST', `cluster/getNodeProductListForSpecChange/${sgId}`, {
      body,
      idempotent: true,
    });
    if (env.result === null || env.result === undefined) return { managerNodeProductList: [], brokerNodeProductList: [] };
    const r = this.t.result(NodeProductsSchema, env, 'nodeProductsForSpecChange');
    return { managerNodeProductList: r.managerNodeProductList, brokerNodeProductList: r.brokerNodeProductList };
  }
}
