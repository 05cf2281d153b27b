// An events.k8s.io/v1 recorder. client-node has none. Like kube-rs's, it folds repeats of the same
// event (same object, reason, action, type and note) within six minutes into one Event whose
// `series.count` grows, so a resource stuck in a loop cannot flood etcd with Events. Recording
// never fails a reconcile: an Event is a courtesy, so errors are logged and dropped.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { apiVersionOf, collectionPath, microTime, objectPath, type KubeClient, type ResourceType } from './kube.ts';
import type { KubeObject } from './object.ts';
import { errorMessage } from './errors.ts';

export interface EventInput {
  type: 'Normal' | 'Warning';
  /** CamelCase, stable: what happened (Created, ScaledOut, CloudError …). */
  reason: string;
  /** CamelCase: what the operator did or tried (Create, Scale, Delete …). */
  action: string;
  note: string;
}

export const eventsResource: ResourceType = { group: 'events.k8s.io', version: 'v1', plural: 'events', kind: 'Event' };
const seriesWindowMs = 6 * 60_000;
const maxNoteLength = 1024; // the API rejects longer notes

export class EventRecorder {
  private readonly client: KubeClient;
  private readonly controller: string;
  private readonly instance: string;
  private readonly log: Logger;
  private readonly recent = new Map<string, { name: string; count: number; at: number }>();

  constructor(opts: { client: KubeClient; reportingController: string; reportingInstance: string; log: Logger }) {
    this.client = opts.client;
    this.controller = opts.reportingController;
    this.instance = opts.reportingInstance.slice(0, 128);
    this.log = opts.log;
  }

  async record(rt: ResourceType, obj: KubeObject, ev: EventInput): Promise<void> {
    const namespace = obj.metadata.namespace ?? 'default';
    const note = ev.note.length > maxNoteLength ? ev.note.slice(0, maxNoteLength - 1) + '…' : ev.note;
    const key = [obj.metadata.uid, ev.type, ev.reason, ev.action, note].join('\u0000');
    const now = Date.now();
    this.forgetOld(now);
    const seen = this.recent.get(key);
    try {
      if (seen) {
        seen.count += 1;
        seen.at = now;
        // Moved to the end: the map stays in the order of last use, which forgetOld relies on.
        this.recent.delete(key);
        this.recent.set(key, seen);
        await this.client.patch(objectPath(eventsResource, namespace, seen.name), 'merge', {
          series: { count: seen.count, lastObservedTime: microTime() },
        });
        return;
      }
      const name = `${obj.metadata.name}.${randomBytes(8).toString('hex')}`;
      await this.client.create(collectionPath(eventsResource, namespace), {
        apiVersion: apiVersionOf(eventsResource),
        kind: eventsResource.kind,
        metadata: { name, namespace },
        eventTime: microTime(),
        type: ev.type,
        reason: ev.reason,
        action: ev.action,
        note,
        reportingController: this.controller,
        reportingInstance: this.instance,
        regarding: {
          apiVersion: apiVersionOf(rt),
          kind: rt.kind,
          name: obj.metadata.name,
          namespace,
          uid: obj.metadata.uid,
          resourceVersion: obj.metadata.resourceVersion,
        },
      });
      this.recent.set(key, { name, count: 1, at: now });
    } catch (err) {
      if (seen) this.recent.delete(key); // the Event may be gone: start a new one next time
      this.log.warn({ reason: ev.reason, object: obj.metadata.name, err: errorMessage(err) }, 'could not record event');
    }
  }

  /** Drops series older than the window: the oldest come first, so it stops at the first recent one. */
  private forgetOld(now: number): void {
    for (const [k, v] of this.recent) {
      if (now - v.at <= seriesWindowMs) return;
      this.recent.delete(k);
    }
  }
}
