// Test-only preload for an operator child process (NODE_OPTIONS=--import): records every response
// body chunk the process receives over HTTP (undici's diagnostics channels, which every client in
// it goes through), one JSON line per chunk, to $CDO_TEST_RECEIVED_DIR/<pid>.jsonl. A test then
// knows what the operator fetched from the API server, byte for byte, not merely what it kept.
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env['CDO_TEST_RECEIVED_DIR'];
if (dir) {
  const file = join(dir, `${process.pid}.jsonl`);
  const ids = new WeakMap<object, number>();
  let next = 0;
  subscribe('undici:request:bodyChunkReceived', (message) => {
    const { request, chunk } = message as { request: { origin?: unknown; path: string }; chunk: Buffer };
    let id = ids.get(request);
    if (id === undefined) ids.set(request, (id = next++));
    appendFileSync(file, JSON.stringify({ id, path: request.path, chunk: Buffer.from(chunk).toString('base64') }) + '\n');
  });
}
