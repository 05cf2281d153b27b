// The abort signal of the reconcile that is running, carried implicitly through async calls, so
// the HTTP layers can abort a call when its reconcile passes its deadline or the manager stops,
// without every client method taking a signal parameter.
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<AbortSignal>();

export function runWithSignal<T>(signal: AbortSignal, fn: () => T): T {
  return current.run(signal, fn);
}

/** The running reconcile's signal, if any. */
export function currentSignal(): AbortSignal | undefined {
  return current.getStore();
}

/** `own`, the running reconcile's signal, or both. */
export function withCurrentSignal(own: AbortSignal | undefined): AbortSignal | undefined {
  const ambient = currentSignal();
  if (own && ambient) return AbortSignal.any([own, ambient]);
  return own ?? ambient;
}
