// Lets the operator load client-node's KubeConfig without its generated API clients. config.js
// (2.0.1) imports `createConfiguration` and `ServerConfiguration` from './gen/index.js', which loads
// every generated API and model: about 40 MiB of RSS for two names that only `makeApiClient` uses,
// and the operator never calls it (it talks to the API server through runtime/kube.ts). This hook
// hands config.js a module with just those two names, from the small files that define them.
//
// A client-node that imports another name through './gen/index.js' makes the import fail at startup
// with "does not provide an export named …", never silently; test/unit/runtime/client-node-hook.test.ts
// loads config.js through the hook and builds a KubeConfig, so an upgrade that breaks it fails CI.
// Tests and tools keep importing the whole of client-node; only main.ts registers the hook.
import { registerHooks } from 'node:module';

const configModule = /\/@kubernetes\/client-node\/dist\/config\.js$/;
const shimUrl = 'cdo-shim:client-node/gen-index.js';

let registered = false;
let used = false;

/** Registers the hook (once per process). Must run before anything imports client-node's config.js. */
export function registerClientNodeHook(): void {
  if (registered) return;
  registered = true;
  const configuration = import.meta.resolve('@kubernetes/client-node/dist/gen/configuration.js');
  const servers = import.meta.resolve('@kubernetes/client-node/dist/gen/servers.js');
  const source = [
    `export { createConfiguration } from ${JSON.stringify(configuration)};`,
    `export * from ${JSON.stringify(servers)};`,
  ].join('\n');
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === './gen/index.js' && context.parentURL !== undefined && configModule.test(context.parentURL)) {
        used = true;
        return { url: shimUrl, shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      if (url === shimUrl) return { url, format: 'module', source, shortCircuit: true };
      return nextLoad(url, context);
    },
  });
}

/** Whether config.js was loaded through the hook (false if a client-node upgrade stopped importing gen/index.js). */
export function clientNodeHookUsed(): boolean {
  return used;
}
