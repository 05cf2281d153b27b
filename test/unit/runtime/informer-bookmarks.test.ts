// What a watch bookmark does in the informer (runtime/informer.ts): its resourceVersion becomes the
// point the next WATCH resumes from, so a quiet resource whose watch closes (timeoutSeconds, an
// idle stream) re-watches from a recent revision instead of one etcd may have compacted meanwhile
// (which would cost a 410 and a full re-LIST). test/integration/runtime/bookmarks.test.ts shows that
// kube-apiserver's real bookmarks are accepted; this shows where their resourceVersion goes.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Informer } from '../../../src/runtime/informer.ts';
import type { KubeClient, RequestOptions, WatchEvent } from '../../../src/runtime/kube.ts';

const widgets = { group: 'test.cdo.dev', version: 'v1', plural: 'widgets', kind: 'Widget' };
const widget = {
  apiVersion: 'test.cdo.dev/v1',
  kind: 'Widget',
  metadata: { name: 'a', namespace: 'ns', uid: 'u1', resourceVersion: '100' },
};

/** An API server whose LIST is at revision 100 and whose watches each send `script`'s next events, then close. */
function fakeClient(script: WatchEvent[][]) {
  const watchedFrom: Array<string | undefined> = [];
  const lists: number[] = [];
  const client = {
    get: (_path: string, _opts?: RequestOptions) => {
      lists.push(lists.length);
      return Promise.resolve({ items: [widget], metadata: { resourceVersion: '100' } });
    },
    async *watch(_path: string, opts: RequestOptions & { idleTimeoutMs: number }): AsyncGenerator<WatchEvent> {
      watchedFrom.push(opts.query?.['resourceVersion'] as string | undefined);
      const events = script.shift();
      if (!events) {
        // The last watch stays open until the informer stops.
        await new Promise((resolve) => opts.signal?.addEventListener('abort', resolve));
        return;
      }
      yield* events;
    },
  };
  return { client: client as unknown as KubeClient, watchedFrom, lists };
}

async function run(script: WatchEvent[][], watches: number) {
  const fake = fakeClient(script);
  const informer = new Informer({
    client: fake.client,
    resource: widgets,
    log: pino({ level: 'silent' }),
    backoff: { baseMs: 1, maxMs: 2 },
  });
  informer.start();
  await informer.synced;
  while (fake.watchedFrom.length < watches) await new Promise((r) => setTimeout(r, 5));
  await informer.stop();
  return fake;
}

describe('informer: watch bookmarks', () => {
  it("resumes the next watch from a bookmark's resourceVersion", async () => {
    const { watchedFrom, lists } = await run([[{ type: 'BOOKMARK', object: { kind: 'Widget', metadata: { resourceVersion: '250' } } }]], 2);
    expect(watchedFrom).toEqual(['100', '250']);
    expect(lists).toHaveLength(1); // no re-LIST
  });

  it('resumes from the last object event when no bookmark came after it', async () => {
    const modified = { ...widget, metadata: { ...widget.metadata, resourceVersion: '180' } };
    const { watchedFrom } = await run(
      [
        [
          { type: 'BOOKMARK', object: { kind: 'Widget', metadata: { resourceVersion: '150' } } },
          { type: 'MODIFIED', object: modified },
        ],
      ],
      2,
    );
    expect(watchedFrom).toEqual(['100', '180']);
  });
});
