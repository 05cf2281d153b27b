// A pass that observes the cloud and plans, and stops there (`kubectl cdo plan`): the same Pass the
// operator runs, with a store that refuses every write, so a preview cannot change anything.
import type { Logger } from 'pino';
import type { KubeObject } from '../../runtime/object.ts';
import type { KindCrd } from './crd.ts';
import type { KindAdapter, KindTypes } from './kind.ts';
import type { Plan } from './plan.ts';
import { Pass, type ManagedDeps } from './reconciler.ts';
import type { CommonStatus } from './schema.ts';
import type { ResourceStore } from './store.ts';

/** What a pass would do: its plan (with the changes it lists) and the status it would write. */
export interface Preview {
  plan: Plan<{ type: string }>;
  status: CommonStatus;
}

/**
 * One pass over `object` that observes the cloud and plans, and stops there: no action, no write,
 * no Event (`kubectl cdo plan`). It reads the Secrets and the cloud exactly as a pass would.
 */
export async function previewPass<K extends KindTypes>(
  crd: KindCrd<K['spec'], K['status']>,
  kind: KindAdapter<K>,
  deps: Omit<ManagedDeps<K['cloud']>, 'store'>,
  object: KubeObject,
  log: Logger,
): Promise<Preview> {
  const key = `${object.metadata.namespace}/${object.metadata.name}`;
  const pass = new Pass(crd, kind, { ...deps, store: refusingStore }, object, log, new Map(), key, true);
  await pass.run();
  if (!pass.previewed)
    throw new Error(`${crd.kind} ${key}: nothing to preview (its spec does not parse, or it is being deleted without our finalizer)`);
  return pass.previewed;
}

/** A preview writes nothing: a store that says so if anything tries. */
const refusingStore = new Proxy({} as ResourceStore, {
  get: (_t, prop) => () => {
    throw new Error(`a preview writes nothing (store.${String(prop)})`);
  },
});
