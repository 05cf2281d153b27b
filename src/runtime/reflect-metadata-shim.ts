// @peculiar/x509 2.x resolves its algorithm providers through tsyringe, which refuses to load
// unless a `Reflect.getMetadata` polyfill is installed. It only needs the handful of functions
// below (x509 declares no constructor parameters to inject), so a WeakMap-backed shim avoids a
// second dependency (`reflect-metadata`). Import this module before '@peculiar/x509'.

type MetadataStore = WeakMap<object, Map<unknown, unknown>>;
const store: MetadataStore = new WeakMap();

function own(target: object): Map<unknown, unknown> {
  let map = store.get(target);
  if (!map) {
    map = new Map();
    store.set(target, map);
  }
  return map;
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect['getMetadata'] !== 'function') {
  reflect['defineMetadata'] = (key: unknown, value: unknown, target: object): void => {
    own(target).set(key, value);
  };
  reflect['getOwnMetadata'] = (key: unknown, target: object): unknown => store.get(target)?.get(key);
  reflect['getMetadata'] = (key: unknown, target: object): unknown => {
    for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
      const map = store.get(t);
      if (map?.has(key)) return map.get(key);
    }
    return undefined;
  };
  reflect['hasMetadata'] = (key: unknown, target: object): boolean =>
    (reflect['getMetadata'] as (k: unknown, t: object) => unknown)(key, target) !== undefined;
  // TypeScript's emitted `__metadata` decorator calls Reflect.metadata(key, value).
  reflect['metadata'] =
    (key: unknown, value: unknown) =>
    (target: object): void => {
      own(target).set(key, value);
    };
}

export {};
