// The cluster state machine (spec §3) with timer-driven transitions.
//
//   create ──► Initializing ──(provisionMs)──► Running ──(jobMs, job clusters only)──► job done
//   Running: scale-out/in keep status Running with isScalable=false for scaleMs, then the worker
//            count changes. Spec §3.2 only says isScalable is "the only documented scalability
//            signal" and that it is false while a scale is in flight; no scaling status string is
//            documented, so status staying `Running` is our interpretation.
//   DELETE (or termination by policy / admin) ──► Terminating ──(terminateMs)──► Terminated(…)
//            `Terminating` is not documented (§2.5, §3.1 [INF]); the end states are
//            Terminated(User) for DELETE (seed list example), Terminated(User Command) after a job
//            with terminationPolicy always/onSuccess (§3.4, spelled with a space per §5 #19), and
//            Terminated(Error) for admin-injected failures (§3.1 "likely").
//   Terminated clusters stay as tombstones with counts 0 and isScalable=false (§2.3, §6.5).
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { HttpError } from '../common/http.ts';
import type { ClusterRecord, JobOutcome, VmRecord } from './model.ts';
import type { Random } from '../common/random.ts';
import type { CreateClusterInput } from './validation.ts';
import { isLive, isTerminated } from './views.ts';

export interface Delays {
  provisionMs: number;
  scaleMs: number;
  terminateMs: number;
  jobMs: number;
}

export interface StoreOptions {
  random: Random;
  delays: Delays;
  /** Multiplies every delay: 0 makes transitions immediate (next tick), 10 makes them slow. */
  timeScale: number;
  now: () => number;
  defaultJobOutcome: JobOutcome;
  /** How many private addresses there are (default 65,024: all of 10.0.0.0/16's .2-.254). */
  addressPoolSize?: number;
  logger?: Logger;
}

/** Any of these in hiveQuery / execOpts / execParams / fileUrl makes the job fail (see README in index.ts). */
export const JOB_FAILURE_MARKER = '__SIM_JOB_FAILURE__';

type TimerKey = 'lifecycle' | 'scale' | 'job';

export class ClusterStore {
  readonly events = new EventEmitter();
  private readonly clusters = new Map<string, ClusterRecord>();
  private readonly timers = new Map<string, Map<TimerKey, NodeJS.Timeout>>();
  private readonly flavorIds = new Map<string, string>();
  private readonly usedIps = new Set<string>();
  /** Addresses an accepted scale-out will take when its VMs arrive, by cluster. */
  private readonly promisedIps = new Map<string, number>();
  private seq = 0;
  private readonly o: StoreOptions;
  defaultJobOutcome: JobOutcome;

  constructor(o: StoreOptions) {
    this.o = o;
    this.defaultJobOutcome = o.defaultJobOutcome;
  }

  // ---- queries -------------------------------------------------------------------------------

  all(): ClusterRecord[] {
    return [...this.clusters.values()];
  }

  find(id: string): ClusterRecord | undefined {
    return this.clusters.get(id);
  }

  /** 404 for unknown ids (spec §1.3: get, delete, scale-out, scale-in). */
  get(id: string): ClusterRecord {
    const c = this.clusters.get(id);
    if (c === undefined) throw new HttpError(404, `cluster not found: ${id}`);
    return c;
  }

  // ---- API mutations -------------------------------------------------------------------------

  create(input: CreateClusterInput, owner: string): ClusterRecord {
    // Spec §2.1 409 + §6.3: names are unique among non-terminated clusters only.
    if (this.all().some((c) => isLive(c) && c.name === input.name)) throw new HttpError(409, `cluster name already in use: ${input.name}`);
    const r = this.o.random;
    const now = this.o.now();
    const masterCnt = input.isHa ? 3 : 1; // spec §2.1 isHa
    // Every address the cluster needs, or none: a full pool refuses the create before anything is taken.
    this.reserve(masterCnt + input.workerCnt + (input.hiveDbInfo ? 1 : 0) + (input.dataCatalogInfo ? 1 : 0) + (input.redisInfo ? 2 : 0));
    const c: ClusterRecord = {
      seq: ++this.seq,
      id: r.uuid(),
      name: input.name,
      owner,
      input,
      status: 'Initializing',
      isScalable: false,
      masterCnt,
      workerCnt: input.workerCnt,
      createdAt: now,
      runningAt: null,
      terminatedAt: null,
      // securityGroupName asks the service to create a group (spec §2.1); it gets a fresh id.
      securityGroupIds: input.securityGroupIds ? [...input.securityGroupIds] : [r.uuid()],
      masterFlavorId: this.flavorId(input.masterFlavorName),
      workerFlavorId: this.flavorId(input.workerFlavorName),
      vms: [],
      nextWorkerIndex: 1,
      retiredVmUptime: 0,
      ...(input.userTask && { job: { state: 'waiting' as const } }),
      linked: {
        ...(input.hiveDbInfo && { hiveDb: { name: `mysql-${input.hiveDbInfo.objectId.slice(0, 8)}`, host: this.allocateIp() } }),
        ...(input.dataCatalogInfo && {
          dataCatalog: {
            metastoreHost: this.allocateIp(),
            catalogName: `data-catalog-${input.dataCatalogInfo.catalogId.slice(0, 8)}`,
            vpcName: `vpc-${input.vpcId.slice(0, 8)}`,
            subnetName: `subnet-${input.subnetId.slice(0, 8)}`,
          },
        }),
        ...(input.redisInfo && {
          redis: {
            name: `redis-${input.redisInfo.objectId.slice(0, 8)}`,
            primaryEndpoint: this.allocateIp(),
            readEndpoint: this.allocateIp(),
          },
        }),
      },
    };
    for (let n = 1; n <= masterCnt; n++) c.vms.push(this.newVm(c, true, n, 'Initializing'));
    for (let n = 1; n <= input.workerCnt; n++) c.vms.push(this.newVm(c, false, c.nextWorkerIndex++, 'Initializing'));
    this.clusters.set(c.id, c);
    this.changed(c, 'created');
    this.schedule(c, 'lifecycle', this.o.delays.provisionMs, () => this.becomeRunning(c));
    return c;
  }

  /** Spec §2.5. Our choices for undocumented cases (§6.5): Terminated → 400, Terminating → 409. */
  delete(id: string): ClusterRecord {
    const c = this.get(id);
    if (isTerminated(c.status)) throw new HttpError(400, `cluster ${id} is already terminated (${c.status})`);
    if (c.status === 'Terminating') throw new HttpError(409, `cluster ${id} is already terminating`);
    this.startTermination(c, 'Terminated(User)');
    return c;
  }

  /**
   * Spec §2.6 / §2.7. A scale on a cluster that is not Running or not scalable answers 409: the
   * request is well-formed but conflicts with the current state and may succeed later (§1.3 lists
   * 409/400 as "to be expected"; we pick 409 so clients can tell "wait" from "wrong"). The scale-in
   * floor (§2.7) is a property of the request itself and answers 400.
   */
  scale(id: string, direction: 'out' | 'in', scaleCnt: number): ClusterRecord {
    const c = this.get(id);
    if (c.status !== 'Running') throw new HttpError(409, `cluster ${id} is not Running (status ${c.status}); cannot scale-${direction}`);
    if (!c.isScalable) throw new HttpError(409, `cluster ${id} is not scalable now (a previous scale is in progress)`);
    const target = direction === 'out' ? c.workerCnt + scaleCnt : c.workerCnt - scaleCnt;
    const replication = c.input.config.hdfsReplication;
    if (direction === 'in' && target < replication) {
      throw new HttpError(
        400,
        `scaleCnt: remaining worker count must be greater than or equal to config.hdfsReplication (${c.workerCnt} - ${scaleCnt} = ${target} < ${replication})`,
      );
    }
    if (direction === 'out') {
      this.reserve(scaleCnt); // refused now, not in the timer that adds the VMs
      this.promisedIps.set(c.id, scaleCnt);
    }
    c.isScalable = false;
    this.changed(c, `scale-${direction} started`);
    this.schedule(c, 'scale', this.o.delays.scaleMs, () => {
      const now = this.o.now();
      if (direction === 'out') {
        this.promisedIps.delete(c.id);
        for (let k = 0; k < scaleCnt; k++) {
          const vm = this.newVm(c, false, c.nextWorkerIndex++, 'Running');
          vm.runningAt = now;
          c.vms.push(vm);
        }
      } else {
        // Scale-in removes the highest-indexed workers (the service picks; spec §2.7 [INF]).
        const workers = c.vms.filter((v) => !v.isMaster).sort((a, b) => b.index - a.index);
        const remove = new Set(workers.slice(0, scaleCnt));
        for (const vm of remove) {
          c.retiredVmUptime += vm.runningAt === null ? 0 : now - vm.runningAt;
          this.usedIps.delete(vm.ip);
        }
        c.vms = c.vms.filter((v) => !remove.has(v));
        c.nextWorkerIndex = Math.max(0, ...c.vms.filter((v) => !v.isMaster).map((v) => v.index)) + 1;
      }
      c.workerCnt = target;
      c.isScalable = c.status === 'Running';
      this.changed(c, `scale-${direction} done`);
    });
    return c;
  }

  // ---- admin ---------------------------------------------------------------------------------

  /** Termination "outside the operator" (console, another tool): like DELETE but never refused. */
  adminTerminate(id: string, opts: { status?: string; immediate?: boolean } = {}): ClusterRecord {
    const c = this.get(id);
    if (isTerminated(c.status)) return c;
    const final = opts.status ?? 'Terminated(User)';
    if (opts.immediate) this.finishTermination(c, final);
    else this.startTermination(c, final);
    return c;
  }

  /** A fatal error: resources released at once (spec §3.1, error termination). */
  adminFail(id: string, status = 'Terminated(Error)'): ClusterRecord {
    const c = this.get(id);
    this.finishTermination(c, status);
    return c;
  }

  setJobOutcome(id: string, outcome: JobOutcome): ClusterRecord {
    const c = this.get(id);
    if (c.job === undefined) throw new HttpError(400, `cluster ${id} has no userTask`);
    c.job.outcomeOverride = outcome;
    return c;
  }

  /** Force raw fields, e.g. an undocumented status string, to test a client's open-enum handling. */
  force(id: string, patch: { status?: string; isScalable?: boolean }): ClusterRecord {
    const c = this.get(id);
    if (patch.status !== undefined) c.status = patch.status;
    if (patch.isScalable !== undefined) c.isScalable = patch.isScalable;
    this.changed(c, 'forced');
    return c;
  }

  /** Stops every pending transition (server close). */
  stop(): void {
    for (const m of this.timers.values()) for (const t of m.values()) clearTimeout(t);
    this.timers.clear();
  }

  reset(): void {
    this.stop();
    this.clusters.clear();
    this.usedIps.clear();
    this.promisedIps.clear();
  }

  // ---- transitions ---------------------------------------------------------------------------

  private becomeRunning(c: ClusterRecord): void {
    const now = this.o.now();
    c.status = 'Running';
    c.runningAt = now;
    c.isScalable = true;
    for (const vm of c.vms) {
      vm.status = 'Running';
      vm.runningAt = now;
    }
    this.changed(c, 'running');
    if (c.job) {
      c.job.state = 'running';
      this.schedule(c, 'job', this.o.delays.jobMs, () => this.finishJob(c));
    }
  }

  private finishJob(c: ClusterRecord): void {
    const job = c.job;
    const task = c.input.userTask;
    if (job === undefined || task === undefined) return;
    const marked = [task.hiveQuery, task.execOpts, task.execParams, task.fileUrl].some((s) => s?.includes(JOB_FAILURE_MARKER));
    const outcome = job.outcomeOverride ?? (marked ? 'failure' : this.defaultJobOutcome);
    job.state = outcome === 'success' ? 'succeeded' : 'failed';
    this.changed(c, `job ${job.state}`);
    // Spec §3.4: never → keep running; always → terminate; onSuccess → terminate only on success.
    const terminate = task.terminationPolicy === 'always' || (task.terminationPolicy === 'onSuccess' && outcome === 'success');
    if (terminate && c.status === 'Running') this.startTermination(c, 'Terminated(User Command)');
  }

  private startTermination(c: ClusterRecord, final: string): void {
    this.cancel(c, 'scale');
    this.cancel(c, 'job');
    if (c.job && c.job.state !== 'succeeded' && c.job.state !== 'failed') c.job.state = 'failed';
    c.status = 'Terminating';
    c.isScalable = false;
    for (const vm of c.vms) vm.status = 'Terminating';
    this.changed(c, 'terminating');
    this.schedule(c, 'lifecycle', this.o.delays.terminateMs, () => this.finishTermination(c, final));
  }

  private finishTermination(c: ClusterRecord, final: string): void {
    const now = this.o.now();
    for (const t of this.timers.get(c.id)?.values() ?? []) clearTimeout(t);
    this.timers.delete(c.id);
    for (const vm of c.vms) c.retiredVmUptime += vm.runningAt === null ? 0 : now - vm.runningAt;
    this.releaseIps(c);
    this.promisedIps.delete(c.id);
    c.vms = [];
    c.status = final;
    c.isScalable = false;
    c.masterCnt = 0;
    c.workerCnt = 0;
    c.terminatedAt = now;
    this.changed(c, 'terminated');
  }

  // ---- helpers -------------------------------------------------------------------------------

  private schedule(c: ClusterRecord, key: TimerKey, ms: number, fn: () => void): void {
    this.cancel(c, key);
    const delay = Math.max(0, Math.round(ms * this.o.timeScale));
    const t = setTimeout(() => {
      this.timers.get(c.id)?.delete(key);
      fn();
    }, delay);
    // The HTTP server keeps a CLI process alive; pending transitions alone must not.
    t.unref();
    let m = this.timers.get(c.id);
    if (m === undefined) this.timers.set(c.id, (m = new Map<TimerKey, NodeJS.Timeout>()));
    m.set(key, t);
  }

  private cancel(c: ClusterRecord, key: TimerKey): void {
    const t = this.timers.get(c.id)?.get(key);
    if (t !== undefined) clearTimeout(t);
    this.timers.get(c.id)?.delete(key);
  }

  private changed(c: ClusterRecord, what: string): void {
    this.o.logger?.info(
      { clusterId: c.id, name: c.name, status: c.status, isScalable: c.isScalable, workerCnt: c.workerCnt },
      `hadoop-eco simulator: ${what}`,
    );
    this.events.emit('change', c);
  }

  private flavorId(name: string): string {
    let id = this.flavorIds.get(name);
    if (id === undefined) this.flavorIds.set(name, (id = this.o.random.uuid()));
    return id;
  }

  /** Private 10.0.128.0/21 addresses, as in the seed's VM examples. Data only: never dialled. */
  /**
   * A free private address in 10.0.0.0/16 (.2-.254 of each /24: 65,024 of them, enough for 5,000
   * clusters several times over). A few seeded random picks keep addresses realistic; then a scan
   * from a random point finds any free one. A full pool answers an error, never a hang.
   */
  private allocateIp(): string {
    const size = this.poolSize();
    const at = (n: number) => `10.0.${Math.floor(n / 253)}.${(n % 253) + 2}`;
    for (let tries = 0; tries < 8; tries++) {
      const ip = at(this.o.random.int(0, size - 1));
      if (!this.usedIps.has(ip)) return this.take(ip);
    }
    if (this.usedIps.size < size) {
      const start = this.o.random.int(0, size - 1);
      for (let k = 0; k < size; k++) {
        const ip = at((start + k) % size);
        if (!this.usedIps.has(ip)) return this.take(ip);
      }
    }
    throw new HttpError(503, `simulator: the private address pool (${size} addresses in 10.0.0.0/16) is exhausted`);
  }

  /** Refuses (503) a request that needs more addresses than the pool has free. */
  private reserve(count: number): void {
    let promised = 0;
    for (const n of this.promisedIps.values()) promised += n;
    const free = this.poolSize() - this.usedIps.size - promised;
    if (count > free) throw new HttpError(503, `simulator: the private address pool has ${free} free addresses, ${count} needed`);
  }

  private poolSize(): number {
    return Math.min(this.o.addressPoolSize ?? 256 * 253, 256 * 253);
  }

  private take(ip: string): string {
    this.usedIps.add(ip);
    return ip;
  }

  /** A cluster's addresses go back to the pool: its VMs' and its services' (Hive DB, metastore, Redis). */
  private releaseIps(c: ClusterRecord): void {
    for (const vm of c.vms) this.usedIps.delete(vm.ip);
    const extra = [
      c.linked.hiveDb?.host,
      c.linked.dataCatalog?.metastoreHost,
      c.linked.redis?.primaryEndpoint,
      c.linked.redis?.readEndpoint,
    ];
    for (const ip of extra) if (ip) this.usedIps.delete(ip);
  }

  private newVm(c: ClusterRecord, isMaster: boolean, index: number, status: string): VmRecord {
    return {
      // Spec §2.1 / §2.4: HadoopMST-{name}-{n}, HadoopWRK-{name}-{n}, n 1-based.
      name: `${isMaster ? 'HadoopMST' : 'HadoopWRK'}-${c.name}-${index}`,
      instanceId: this.o.random.uuid(),
      index,
      isMaster,
      status,
      flavorName: isMaster ? c.input.masterFlavorName : c.input.workerFlavorName,
      ip: this.allocateIp(),
      createdAt: this.o.now(),
      runningAt: null,
    };
  }
}
