// Objects read one by one when a reconcile needs them, instead of cached whole from a watch of
// every object of their kind: the operator's Secrets. A namespace-wide watch would hold every
// Secret of the cluster (Helm keeps each release in one), and one watch per referenced Secret
// does not scale to thousands of resources; a label selector would hold only labelled Secrets but
// needs every user to label theirs (a silent break for those who don't), and a field selector
// names one Secret per watch. So a metadata-only watch (names and resourceVersions, never data)
// says what exists and when it changed, and an object's body is fetched by GET only when a
// reconcile asks for it, then held while it is still current and still needed:
//
// - An object the watch has not seen is absent, without a request. When it appears, the watch's
//   event re-reconciles whoever names it (the caller's business), and that pass fetches it.
// - A held copy is used only while its resourceVersion is the one the watch last saw; any change
//   (data, key added, deletion) drops it at once, and the next read fetches it again.
// - Each reader (one resource) declares the keys it needs on every read; a copy nobody needs any
//   more (the reference changed, the resource is gone) is dropped.
import { httpStatusOf } from './errors.ts';
import type { InformerHandler } from './informer.ts';
import { collectionPath, type KubeClient, type ResourceType } from './kube.ts';
import type { Metrics } from './metrics.ts';
import { keyOf, kubeObjectSchema, parseKey, type KubeObject } from './object.ts';
import { identityOf } from './trim.ts';

/** The metadata-only cache that says what exists, and at which resourceVersion. */
export interface ObjectIndex {
  get(key: string): KubeObject | undefined;
  on(handler: InformerHandler): void;
}

export interface OnDemandOptions {
  client: Pick<KubeClient, 'get'>;
  resource: ResourceType;
  index: ObjectIndex;
  /**
   * What to keep of a fetched object beside its identity (for Secrets: `data`). Everything else
   * is dropped, annotations included: kubectl's last-applied-configuration copies a Secret's data.
   */
  fields: readonly string[];
  metrics?: Metrics;
}

export class OnDemandObjects {
  private readonly opts: OnDemandOptions;
  private readonly held = new Map<string, KubeObject>();
  /** The keys each reader needed at its last read. */
  private readonly needs = new Map<string, readonly string[]>();
  /** How many readers need each key. */
  private readonly readers = new Map<string, number>();
  private readonly label: string;

  constructor(opts: OnDemandOptions) {
    this.opts = opts;
    this.label = opts.resource.plural + (opts.resource.group ? `.${opts.resource.group}` : '');
    opts.index.on((type, obj) => {
      const key = keyOf(obj.metadata);
      const copy = this.held.get(key);
      if (copy && (type === 'delete' || copy.metadata.resourceVersion !== obj.metadata.resourceVersion)) this.drop(key);
    });
    this.report();
  }

  /**
   * The current objects of `keys` ("namespace/name"), fetching those not held; an absent object
   * is missing from the result. `reader` now needs exactly these keys (replacing what it needed
   * before). The result is the reader's own: later changes do not alter it halfway through a pass.
   */
  async read(reader: string, keys: readonly string[]): Promise<Map<string, KubeObject>> {
    const unique = [...new Set(keys)];
    this.need(reader, unique);
    const found = new Map<string, KubeObject>();
    await Promise.all(
      unique.map(async (key) => {
        const obj = await this.current(key);
        if (obj) found.set(key, obj);
      }),
    );
    return found;
  }

  /** `reader` needs nothing any more (its resource is gone). */
  release(reader: string): void {
    this.need(reader, []);
  }

  /** The keys whose objects are held now. */
  heldKeys(): string[] {
    return [...this.held.keys()];
  }

  private async current(key: string): Promise<KubeObject | undefined> {
    const seen = this.opts.index.get(key);
    if (!seen) return undefined;
    const copy = this.held.get(key);
    if (copy && copy.metadata.resourceVersion === seen.metadata.resourceVersion) return copy;
    const fetched = await this.fetch(key);
    // A quorum read, at least as new as what the watch had seen when it was sent. Held only if
    // someone still needs it; used only while the watch agrees it is current (above).
    if (fetched && (this.readers.get(key) ?? 0) > 0) {
      this.held.set(key, fetched);
      this.report();
    }
    return fetched;
  }

  private async fetch(key: string): Promise<KubeObject | undefined> {
    const { namespace, name } = parseKey(key);
    this.opts.metrics?.objectFetches.inc({ resource: this.label });
    let raw: unknown;
    try {
      raw = await this.opts.client.get(`${collectionPath(this.opts.resource, namespace)}/${encodeURIComponent(name)}`);
    } catch (err) {
      // Deleted since the watch saw it: absent, as the watch's delete event will say too.
      if (httpStatusOf(err) === 404) return undefined;
      throw err;
    }
    const parsed = kubeObjectSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`GET ${this.label} ${key}: malformed object: ${parsed.error.message}`);
    const { metadata, ...body } = parsed.data;
    const kept = Object.fromEntries(this.opts.fields.filter((f) => f in body).map((f) => [f, body[f]]));
    return { ...identityOf(metadata), ...kept };
  }

  private need(reader: string, keys: readonly string[]): void {
    const before = this.needs.get(reader) ?? [];
    for (const key of keys) this.readers.set(key, (this.readers.get(key) ?? 0) + 1);
    for (const key of before) {
      const left = (this.readers.get(key) ?? 1) - 1;
      if (left > 0) this.readers.set(key, left);
      else {
        this.readers.delete(key);
        this.drop(key);
      }
    }
    if (keys.length) this.needs.set(reader, keys);
    else this.needs.delete(reader);
  }

  private drop(key: string): void {
    if (this.held.delete(key)) this.report();
  }

  private report(): void {
    this.opts.metrics?.objectsHeld.set({ resource: this.label }, this.held.size);
  }
}
