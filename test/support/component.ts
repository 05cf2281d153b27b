// Harness of the component tier: a kind's real adapter and the managed core's real reconciler,
// run pass by pass against an in-process cloud simulator, with object writes going through the
// core's in-memory store (test/support/memory-store.ts). No control plane, no child process: a
// pass is a function call, so a test can stop between any two writes, as a crash would.
import pino from 'pino';
import { CloudHttp } from '../../src/clouds/http.ts';
import type { ReconcileOutcome } from '../../src/runtime/controller.ts';
import { CloudClients } from '../../src/resources/core/credentials.ts';
import type { KindAdapter, KindTypes } from '../../src/resources/core/kind.ts';
import { managedReconciler } from '../../src/resources/core/reconciler.ts';
import type { KubeObject } from '../../src/runtime/object.ts';
import type { KindCrd } from '../../src/resources/core/crd.ts';
import { hadoopEcoAdapter } from '../../src/resources/hadoop-eco/adapter.ts';
import { hadoopEcoCrd } from '../../src/resources/hadoop-eco/schema.ts';
import { kafkaCrd } from '../../src/resources/kafka/schema.ts';
import { kafkaAdapter } from '../../src/resources/kafka/adapter.ts';
import { configGroupAdapter } from '../../src/resources/kafka-config-group/adapter.ts';
import { configGroupCrd } from '../../src/resources/kafka-config-group/schema.ts';
import { startCdssSimulator, type CdssSimulator, type CdssSimulatorOptions } from '../../src/simulators/cdss/index.ts';
import { startHadoopEcoSimulator, type HadoopEcoSimulator, type HadoopEcoSimulatorOptions } from '../../src/simulators/hadoop-eco/index.ts';
import { hecSpec } from './hadoop-eco.ts';
import { kafkaSpec } from './kafka.ts';
import { MemorySecrets, MemoryStore, silentLog } from './memory-store.ts';
import { afterEach } from 'vitest';

export const NS = 'team-a';

export interface PassResult {
  outcome?: ReconcileOutcome | void;
  error?: unknown;
}

/** One resource, its store, its reconciler and the simulator behind it. */
export class Component<Sim> {
  readonly store: MemoryStore;
  readonly secrets: MemorySecrets;
  readonly sim: Sim;
  /** What the passes logged (info and above), one parsed JSON line each. */
  readonly logs: Array<Record<string, unknown>> = [];
  private readonly log = pino({ level: 'info' }, { write: (line: string) => this.logs.push(JSON.parse(line) as Record<string, unknown>) });
  private reconcile: ReturnType<typeof managedReconciler>;
  private readonly build: (clock: () => Date) => ReturnType<typeof managedReconciler>;
  /** The resource's name, also once it is gone. */
  private readonly name: string;
  /** The clock the passes judge maintenance windows by; the wall clock until a test sets it. */
  now: Date | undefined;

  constructor(sim: Sim, store: MemoryStore, secrets: MemorySecrets, build: (clock: () => Date) => ReturnType<typeof managedReconciler>) {
    this.sim = sim;
    this.store = store;
    this.secrets = secrets;
    this.build = build;
    this.reconcile = build(this.clock);
    this.name = store.current()?.metadata.name ?? 'gone';
  }

  /** One reconcile pass on the object as it is now (or as a lagging cache hands it); errors are returned. */
  async pass(cached?: KubeObject): Promise<PassResult> {
    const object = cached ?? this.store.current();
    const name = object?.metadata.name ?? this.name;
    try {
      const outcome = await this.reconcile({ key: { namespace: NS, name }, object, signal: new AbortController().signal, log: this.log });
      return { outcome };
    } catch (error) {
      return { error };
    }
  }

  /** Passes until `done` holds (the simulator moves between them), failing after `max` passes. */
  async until(done: (c: this) => boolean, max = 40): Promise<void> {
    for (let i = 0; i < max; i++) {
      if (done(this)) return;
      await this.pass();
      await tick();
    }
    if (!done(this)) throw new Error(`not reached after ${max} passes; status: ${JSON.stringify(this.store.status())}`);
  }

  /** A new operator process: the reconciler and its memory (clients last used) start afresh. */
  restart(): void {
    this.reconcile = this.build(this.clock);
  }

  private readonly clock = () => this.now ?? new Date();
}

export const tick = () => new Promise((r) => setTimeout(r, 5));

/** The cloud HTTP layer of the component tier: fast retries, no rate limit to speak of. */
export function http(timeoutMs = 2_000): CloudHttp {
  return new CloudHttp({
    log: silentLog,
    backoff: { baseMs: 1, maxMs: 2, jitter: 0 },
    rateLimit: { qps: 10_000, burst: 10_000 },
    timeoutMs,
  });
}

function resource(
  apiVersion: string,
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: NS, uid: `uid-${name}`, resourceVersion: '1', generation: 1, ...(annotations ? { annotations } : {}) },
    spec,
  };
}

function component<K extends KindTypes, Sim>(
  sim: Sim,
  crd: KindCrd<K['spec'], K['status']>,
  adapter: KindAdapter<K>,
  object: KubeObject,
  secrets: MemorySecrets,
): Component<Sim> {
  const store = new MemoryStore(object);
  const build = (clock: () => Date) =>
    managedReconciler(crd, adapter, {
      store,
      secrets,
      clients: new CloudClients({ ...adapter.credentials, connect: adapter.connect }),
      cadence: { busySeconds: 1, steadySeconds: 60 },
      clock,
    });
  return new Component(sim, store, secrets, build);
}

// Obviously fake credentials and passwords, built at run time.
export const kakao = {
  credentialId: ['component', 'key', 'id'].join('-'),
  credentialSecret: ['component', 'secret', 'never', 'shown'].join('-'),
};
export const ncp = { accessKey: ['component', 'access'].join('-'), secretKey: ['component', 'ncp', 'secret', 'never', 'shown'].join('-') };
export const managerPassword = ['Cmp', 'pass1!', 'y'].join('-');
const adminPassword = ['component', 'admin', 'pw'].join('-');

export { hecSpec } from './hadoop-eco.ts';

/** The Secrets a Hadoop Eco resource of `hecSpec()` reads: the cloud credentials and the Hue admin password. */
export function hadoopSecrets(): MemorySecrets {
  const secrets = new MemorySecrets();
  secrets.set(NS, 'kakao', kakao);
  secrets.set(NS, 'hue-admin', { password: adminPassword });
  return secrets;
}

export async function hadoopEco(
  name: string,
  spec: Record<string, unknown>,
  opts: {
    sim?: HadoopEcoSimulator;
    simOptions?: Partial<HadoopEcoSimulatorOptions>;
    annotations?: Record<string, string>;
    /** Per-attempt timeout of cloud calls (to make an answer late). */
    httpTimeoutMs?: number;
  } = {},
): Promise<Component<HadoopEcoSimulator>> {
  const sim = opts.sim ?? (await startHadoopEcoSimulator({ credentials: [kakao], timeScale: 0, seed: 11, ...opts.simOptions }));
  const secrets = hadoopSecrets();
  const adapter = hadoopEcoAdapter({ http: http(opts.httpTimeoutMs), log: silentLog, endpoints: { 'kr-central-2': sim.url } });
  return component(
    sim,
    hadoopEcoCrd,
    adapter,
    resource('kakaocloud.cdo.dev/v1alpha1', 'HadoopEcoCluster', name, spec, opts.annotations),
    secrets,
  );
}

export { kafkaSpec } from './kafka.ts';

export async function kafka(
  name: string,
  spec: Record<string, unknown>,
  opts: { sim?: CdssSimulator; simOptions?: Partial<CdssSimulatorOptions> } = {},
): Promise<Component<CdssSimulator>> {
  const sim = opts.sim ?? (await startCdssSimulator({ credentials: [ncp], timeScale: 0, seed: 13, ...opts.simOptions }));
  const secrets = new MemorySecrets();
  secrets.set(NS, 'ncp', ncp);
  secrets.set(NS, 'cmak', { password: managerPassword });
  const adapter = kafkaAdapter({ http: http(), log: silentLog, site: 'public', endpoints: { KR: sim.baseUrl('KR') } });
  return component(sim, kafkaCrd, adapter, resource('ncloud.cdo.dev/v1alpha1', 'KafkaCluster', name, spec), secrets);
}

/** A KafkaConfigGroup against the in-process CDSS simulator (pass `sim` to share one with a `kafka(...)`). */
export async function kafkaConfigGroup(
  name: string,
  spec: Record<string, unknown>,
  opts: { sim?: CdssSimulator; simOptions?: Partial<CdssSimulatorOptions> } = {},
): Promise<Component<CdssSimulator>> {
  const sim = opts.sim ?? (await startCdssSimulator({ credentials: [ncp], timeScale: 0, seed: 17, ...opts.simOptions }));
  const secrets = new MemorySecrets();
  secrets.set(NS, 'ncp', ncp);
  const adapter = configGroupAdapter({ http: http(), log: silentLog, site: 'public', endpoints: { KR: sim.baseUrl('KR') } });
  return component(sim, configGroupCrd, adapter, resource('ncloud.cdo.dev/v1alpha1', 'KafkaConfigGroup', name, spec), secrets);
}

/** The Ready condition is True. */
export const ready = (c: Component<unknown>) => c.store.condition('Ready')?.status === 'True';
/** The object is gone from the store (its finalizer was released). */
export const gone = (c: Component<unknown>) => c.store.object === undefined;

/**
 * Builders for a test file's components, each on its own simulator unless one is passed in; every
 * simulator they start (and any handed to `track`) is closed after each test. Call at the file's top level.
 */
export function components() {
  const sims: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.close()));
  });
  return {
    hec: async (name: string, spec = hecSpec(), opts: Parameters<typeof hadoopEco>[2] = {}): Promise<Component<HadoopEcoSimulator>> => {
      const c = await hadoopEco(name, spec, opts);
      if (!opts.sim) sims.push(c.sim);
      return c;
    },
    nkafka: async (name: string, spec = kafkaSpec(), opts: Parameters<typeof kafka>[2] = {}): Promise<Component<CdssSimulator>> => {
      const c = await kafka(name, spec, opts);
      if (!opts.sim) sims.push(c.sim);
      return c;
    },
    track: <S extends { close(): Promise<void> }>(sim: S): S => {
      sims.push(sim);
      return sim;
    },
  };
}
