// The hook that lets main.ts load client-node's KubeConfig without its generated API clients. It
// runs in a child process, as in the operator: hooks are process-wide, and this test process has
// loaded the whole of client-node already. If a client-node upgrade makes config.js import a name
// the shim lacks, the child fails to import it and this test fails with the loader's message.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const hook = fileURLToPath(new URL('../../../src/runtime/client-node-hook.ts', import.meta.url));

// Registered after the hook under test, so it runs first and sees every module that loads.
const child = `
import { registerHooks } from 'node:module';
import { clientNodeHookUsed, registerClientNodeHook } from ${JSON.stringify(hook)};
registerClientNodeHook();
const loaded = [];
registerHooks({ resolve: (specifier, context, next) => { const r = next(specifier, context); loaded.push(r.url); return r; } });
const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js');
const kc = new KubeConfig();
kc.loadFromClusterAndUser({ name: 'c', server: 'https://k8s.example:6443', caData: '' }, { name: 'u', token: 't' });
const opts = {};
await kc.applyToHTTPSOptions(opts);
process.stdout.write(JSON.stringify({
  used: clientNodeHookUsed(),
  server: kc.getCurrentCluster()?.server,
  authorization: opts.headers?.Authorization,
  generated: loaded.filter((u) => /\\/client-node\\/dist\\/gen\\/(index|apis\\/|models\\/)/.test(u)),
}));
`;

describe('client-node hook', () => {
  it('loads a working KubeConfig through the shim, without the generated API clients and models', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', child], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    });
    expect(JSON.parse(stdout)).toEqual({
      used: true,
      server: 'https://k8s.example:6443',
      authorization: 'Bearer t',
      generated: [],
    });
  });
});
