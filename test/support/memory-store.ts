// An in-memory ResourceStore (src/resources/core/store.ts): the narrow interface through which the
// managed core writes, kept in memory so component tests run real reconcile passes against the
// in-process cloud simulators without a control plane. It is the core's own port, not a fake of
// the Kubernetes API (the integration tier keeps the real API server). It holds one object as the
// API server would, records every write and Event, and can be told to fail an operation once, as a
// crash or a lost connection at that point would.
import { isDeepStrictEqual } from 'node:util';
import pino from 'pino';
import type { EventInput } from '../../src/runtime/events.ts';
import { TransientError } from '../../src/runtime/errors.ts';
import type { KubeObject } from '../../src/runtime/object.ts';
import { finalizerName, staleCache, type ResourceStore } from '../../src/resources/core/store.ts';
import type { SecretReader, SecretSource } from '../../src/resources/core/secrets.ts';

export type StoreOp = 'recordIntent' | 'annotate' | 'addFinalizer' | 'removeFinalizer' | 'writeStatus' | 'publish' | 'unpublish';

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryStore implements ResourceStore {
  /** The object as the API server has it; undefined once deleted. */
  object: KubeObject | undefined;
  /** Every write, in order (reads are not writes). */
  readonly writes: Array<{ op: StoreOp; detail?: unknown }> = [];
  readonly events: EventInput[] = [];
  readonly configMaps = new Map<string, Record<string, string>>();
  private failures: Array<{ op: StoreOp; error: unknown; skip: number }> = [];
  private rv = 1;

  constructor(object: KubeObject) {
    this.object = clone(object);
  }

  /**
   * Makes an `op` throw `error` (by default a lost connection) before it takes effect: the next one,
   * or the one after `skip` more of the same op have gone through.
   */
  failNext(op: StoreOp, opts: { error?: unknown; skip?: number } = {}): void {
    this.failures.push({
      op,
      error: opts.error ?? new TransientError('ConnectionLost', `simulated failure of ${op}`),
      skip: opts.skip ?? 0,
    });
  }

  /** The object as the next pass would get it from the cache. */
  current(): KubeObject | undefined {
    return this.object && clone(this.object);
  }

  /** A user edit of the spec: the generation moves. */
  setSpec(spec: Record<string, unknown>): void {
    const o = this.must();
    o['spec'] = clone(spec);
    o.metadata.generation = (o.metadata.generation ?? 1) + 1;
    this.bump();
  }

  /** A user's annotation edit (null removes). */
  setAnnotations(values: Record<string, string | null>): void {
    this.applyAnnotations(this.must(), values);
    this.bump();
  }

  /** `kubectl delete`: the object goes at once without finalizers, else it gets a deletionTimestamp. */
  delete(): void {
    const o = this.must();
    if (!o.metadata.finalizers?.length) this.object = undefined;
    else o.metadata.deletionTimestamp ??= new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  status(): Record<string, unknown> {
    return (this.object?.['status'] ?? {}) as Record<string, unknown>;
  }

  condition(type: string): { status: string; reason: string; message: string } | undefined {
    const list = (this.status()['conditions'] ?? []) as Array<{ type: string; status: string; reason: string; message: string }>;
    return list.find((c) => c.type === type);
  }

  eventReasons(): string[] {
    return this.events.map((e) => e.reason);
  }

  ops(): StoreOp[] {
    return this.writes.map((w) => w.op);
  }

  annotate(_obj: KubeObject, values: Record<string, string | null>): Promise<KubeObject> {
    this.write('annotate', values);
    this.applyAnnotations(this.must(), values);
    this.bump();
    return Promise.resolve(clone(this.must()));
  }

  recordIntent(obj: KubeObject, values: Record<string, string>): Promise<KubeObject> {
    const o = this.must();
    // As the API server does with the resourceVersion the patch carries: refused if the object moved.
    if (o.metadata.resourceVersion !== obj.metadata.resourceVersion) return Promise.reject(staleCache());
    const hold = !obj.metadata.finalizers?.includes(finalizerName);
    this.write('recordIntent', hold ? { ...values, finalizer: finalizerName } : values);
    if (hold) o.metadata.finalizers = [...(o.metadata.finalizers ?? []), finalizerName];
    this.applyAnnotations(o, values);
    this.bump();
    return Promise.resolve(clone(o));
  }

  addFinalizer(obj: KubeObject): Promise<KubeObject> {
    if (obj.metadata.finalizers?.includes(finalizerName)) return Promise.resolve(obj);
    this.write('addFinalizer');
    const o = this.must();
    o.metadata.finalizers = [...(o.metadata.finalizers ?? []), finalizerName];
    this.bump();
    return Promise.resolve(clone(o));
  }

  removeFinalizer(): Promise<void> {
    this.write('removeFinalizer');
    const o = this.must();
    o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== finalizerName);
    this.bump();
    if (o.metadata.deletionTimestamp !== undefined && o.metadata.finalizers.length === 0) this.object = undefined;
    return Promise.resolve();
  }

  writeStatus(obj: KubeObject, status: unknown): Promise<boolean> {
    const next = JSON.parse(JSON.stringify(status)) as unknown;
    if (isDeepStrictEqual(JSON.parse(JSON.stringify(obj['status'] ?? {})), next)) return Promise.resolve(false);
    this.write('writeStatus', next);
    this.must()['status'] = next;
    this.bump();
    return Promise.resolve(true);
  }

  publish(_obj: KubeObject, name: string, data: Record<string, string>): Promise<void> {
    if (isDeepStrictEqual(this.configMaps.get(name), data)) return Promise.resolve();
    this.write('publish', { name, data });
    this.configMaps.set(name, { ...data });
    return Promise.resolve();
  }

  unpublish(_obj: KubeObject, name: string): Promise<void> {
    if (!this.configMaps.has(name)) return Promise.resolve();
    this.write('unpublish', { name });
    this.configMaps.delete(name);
    return Promise.resolve();
  }

  event(_obj: KubeObject, e: EventInput): Promise<void> {
    this.events.push(e);
    return Promise.resolve();
  }

  private write(op: StoreOp, detail?: unknown): void {
    this.maybeFail(op);
    this.writes.push({ op, ...(detail !== undefined ? { detail } : {}) });
  }

  private maybeFail(op: StoreOp): void {
    const failure = this.failures.find((f) => f.op === op);
    if (!failure) return;
    if (failure.skip-- > 0) return;
    this.failures.splice(this.failures.indexOf(failure), 1);
    throw failure.error;
  }

  private must(): KubeObject {
    if (!this.object) throw new Error('the object is gone');
    return this.object;
  }

  private applyAnnotations(o: KubeObject, values: Record<string, string | null>): void {
    const next = { ...(o.metadata.annotations ?? {}) };
    for (const [k, v] of Object.entries(values)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    o.metadata.annotations = next;
  }

  private bump(): void {
    if (this.object) this.object.metadata.resourceVersion = String(++this.rv);
  }
}

/** Secrets held in memory, as the operator's Secret store holds them (base64 data); every pass reads them all as they are. */
export class MemorySecrets implements SecretSource, SecretReader {
  private readonly secrets = new Map<string, KubeObject>();
  /** The keys each reader asked for last. */
  readonly reads = new Map<string, readonly string[]>();

  read(reader: string, keys: readonly string[]): Promise<SecretSource> {
    this.reads.set(reader, keys);
    return Promise.resolve(this);
  }

  release(reader: string): void {
    this.reads.delete(reader);
  }

  set(namespace: string, name: string, data: Record<string, string>): void {
    const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
    this.secrets.set(`${namespace}/${name}`, { metadata: { name, namespace, uid: `secret-${name}`, resourceVersion: '1' }, data: encoded });
  }

  remove(namespace: string, name: string): void {
    this.secrets.delete(`${namespace}/${name}`);
  }

  get(key: string): KubeObject | undefined {
    return this.secrets.get(key);
  }
}

export const silentLog = pino({ level: 'silent' });
