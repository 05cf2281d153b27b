// Every CRD the operator serves, generated from the kinds' zod schemas. `npm run generate` writes
// them to crds/; a test fails when the checked-in files are stale.
import { customResourceDefinition, type CrdDefinition } from '../runtime/crd.ts';
import { kinds } from './index.ts';

export const crdDefinitions: CrdDefinition[] = kinds.map((k) => k.crd);

export function crds(): Array<{ file: string; crd: Record<string, unknown> }> {
  return crdDefinitions.map((def) => ({ file: `${def.plural}.${def.group}.yaml`, crd: customResourceDefinition(def) }));
}
