// Server products for a node spec change, C9/C10 (spec §5.9). The codes follow the pattern of the
// spec's examples (`SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002`); the list itself is ours [INF].
// Items carry [SDK] `ProductListForCreation` fields: `cpuCount` a String, `memorySize` an Integer
// (bytes, our reading). A product is offered (`isChangeSpec: true`) only if it is no smaller
// than the node's current one in CPU and in memory and differs from it: [3P] reports that
// downgrades are refused.
import { BusinessError, ERR } from './errors.ts';

export interface ProductDef {
  productCode: string;
  productName: string;
  productType2Code: 'STAND' | 'HICPU' | 'HIMEM';
  cpu: number;
  memoryGb: number;
}

const product = (type: ProductDef['productType2Code'], cpu: number, memoryGb: number): ProductDef => {
  const c = String(cpu).padStart(3, '0');
  const m = String(memoryGb).padStart(3, '0');
  return {
    productCode: `SVR.VCDSS.${type}.C${c}.M${m}.NET.SSD.B050.G002`,
    productName: `vCPU ${cpu}EA, Memory ${memoryGb}GB`,
    productType2Code: type,
    cpu,
    memoryGb,
  };
};

export const NODE_PRODUCTS: readonly ProductDef[] = [
  product('STAND', 2, 8),
  product('HICPU', 4, 8),
  product('STAND', 4, 16),
  product('HIMEM', 4, 32),
  product('STAND', 8, 32),
  product('STAND', 16, 64),
  product('STAND', 32, 128),
];

/** A code's size: from the list, else from its `C###.M###` part, else the smallest possible. */
function sizeOf(code: string): { cpu: number; memoryGb: number } {
  const known = NODE_PRODUCTS.find((p) => p.productCode === code);
  if (known !== undefined) return known;
  const m = /\.C(\d+)\.M(\d+)\./.exec(code);
  return m === null ? { cpu: 0, memoryGb: 0 } : { cpu: Number(m[1]), memoryGb: Number(m[2]) };
}

const offered = (p: ProductDef, current: string): boolean => {
  const cur = sizeOf(current);
  return p.productCode !== current && p.cpu >= cur.cpu && p.memoryGb >= cur.memoryGb;
};

/** C10 items for a node whose product is `current`. */
export function productsForChange(current: string) {
  return NODE_PRODUCTS.map((p) => ({
    productCode: p.productCode,
    productName: p.productName,
    productType2Code: p.productType2Code,
    productEnglishDesc: `${p.productType2Code.toLowerCase()} ${p.productName}`,
    cpuCount: String(p.cpu),
    memorySize: p.memoryGb * 1024 ** 3,
    diskType2Code: 'SSD',
    isChangeSpec: offered(p, current),
    isSelected: p.productCode === current,
  }));
}

/**
 * C9 check for one role: `wanted` must be a product C10 offers, or the current one (Terraform
 * sends both codes even when one is unchanged, §5.9, and works live). Throws naming the allowed codes.
 */
export function requireOffered(field: string, wanted: string, current: string, generation: 'G2' | 'G3'): void {
  if (wanted === current) return;
  // [3P]: C10 lists nothing for G3 clusters, so nothing can be chosen there.
  const allowed = generation === 'G3' ? [] : NODE_PRODUCTS.filter((p) => offered(p, current)).map((p) => p.productCode);
  if (allowed.includes(wanted)) return;
  throw new BusinessError(
    ERR.SPEC_CHANGE_NOT_ALLOWED,
    `${field}: ${wanted} cannot be chosen for this node (current ${current}; smaller specs are refused); ` +
      `allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none'}`,
  );
}
