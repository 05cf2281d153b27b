// The CDSS cluster state machine (spec §4) with timer-driven transitions.
//
//   create (C1/C2/C3) ──► creating ──(provisionMs)──► running
//   running ── C8 add brokers ──► changing ──(scaleMs)──► running (brokerNodeCount += delta)
//   running ── C21 rolling upgrade ──► changing: brokers restart one by one, upgradeMs in total
//              (upgradeMs / brokerCount each) ──► running on the new version and config group
//   running ── C16 / G7 ──► changing ──(scaleMs)──► running (public endpoint / config group applied)
//   running|error ── C7 delete ──► deleting ──(deleteMs)──► return (kept and listed, §4.2 [TF])
//   admin: fail → error at once; delete outside the operator; force any status.
//
// Which mutations a non-running cluster refuses is undocumented; following §6 #6 [INF from TF]
// every mutation needs `running`. Delete is also accepted in `error` by default (§7 leaves it
// open; a user must be able to clean up a failed cluster) — option deleteInErrorState.
// Password reset (C15) is applied at once and leaves the cluster `running` (§5.13 only says TF
// waits around it; modelling it as instantaneous is our choice).
//
// Clusters live in one store; each has a region and is visible only under its region's prefix.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Random } from '../common/random.ts';
import type { Catalog } from './catalog.ts';
import { BusinessError, ERR, UPGRADE_NOT_LATER_MESSAGE } from './errors.ts';
import type { BrokerNode, ClusterRecord, Operation } from './model.ts';
import type { CreateClusterInput } from './validation.ts';

export interface Delays {
  provisionMs: number;
  scaleMs: number;
  upgradeMs: number;
  deleteMs: number;
}

export interface StoreOptions {
  random: Random;
  catalog: Catalog;
  delays: Delays;
  /** Multiplies every delay: 0 makes transitions happen on the next tick. */
  timeScale: number;
  now: () => number;
  /** Total broker cap after a scale-out (§5.8 [INF]: 10). */
  maxBrokerNodeCount: number;
  deleteInErrorState: boolean;
  logger?: Logger;
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

export class ClusterStore {
  readonly events = new EventEmitter();
  private readonly clusters = new Map<string, ClusterRecord>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly usedIps = new Set<string>();
  private seq = 0;
  private readonly o: StoreOptions;

  constructor(o: StoreOptions) {
    this.o = o;
  }

  // ---- queries -------------------------------------------------------------------------------

  all(): ClusterRecord[] {
    return [...this.clusters.values()].sort((a, b) => a.seq - b.seq);
  }

  find(id: string): ClusterRecord | undefined {
    return this.clusters.get(id);
  }

  /** Admin lookup (any region). */
  require(id: string): ClusterRecord {
    const c = this.clusters.get(id);
    if (c === undefined) throw new BusinessError(ERR.CLUSTER_NOT_FOUND, `serviceGroupInstanceNo: cluster ${id} does not exist`);
    return c;
  }

  /** API lookup: a cluster of another region does not exist under this prefix. */
  get(region: string, id: string | number): ClusterRecord {
    const c = this.clusters.get(String(id));
    if (c === undefined || c.region !== region)
      throw new BusinessError(ERR.CLUSTER_NOT_FOUND, `serviceGroupInstanceNo: cluster ${String(id)} does not exist`);
    return c;
  }

  inRegion(region: string): ClusterRecord[] {
    return this.all().filter((c) => c.region === region);
  }

  // ---- API mutations -------------------------------------------------------------------------

  create(region: string, input: CreateClusterInput): ClusterRecord {
    const { catalog } = this.o;
    catalog.version(input.kafkaVersionCode);
    catalog.requireGroupFor('configGroupNo', input.configGroupNo, input.kafkaVersionCode);
    // §6 #7: uniqueness is undocumented. Our choice: a name is unique among the region's
    // non-returned clusters in the same VPC.
    if (
      this.inRegion(region).some((c) => c.status !== 'return' && c.input.vpcNo === input.vpcNo && c.input.clusterName === input.clusterName)
    ) {
      throw new BusinessError(
        ERR.DUPLICATE_CLUSTER_NAME,
        `clusterName: a cluster named ${input.clusterName} already exists in VPC ${input.vpcNo}`,
      );
    }
    const { kafkaManagerUserPassword, ...kept } = input;
    const c: ClusterRecord = {
      seq: ++this.seq,
      id: this.newId(),
      region,
      input: kept,
      // G2 creates carry only vpcNo; we name such VPCs `vpc-{vpcNo}` [INF].
      vpcName: input.vpcName ?? `vpc-${input.vpcNo}`,
      status: 'creating',
      operation: 'create',
      kafkaVersionCode: input.kafkaVersionCode,
      configGroupNo: input.configGroupNo,
      brokers: [],
      managerHostname: `${input.clusterName}-manager-1`,
      managerPrivateIp: this.allocateIp(),
      publicEndpoint: null,
      upgrade: null,
      passwordSha256: sha256(kafkaManagerUserPassword),
      passwordResets: 0,
      createdAt: this.o.now(),
      memberNo: catalog.memberNo,
    };
    for (let n = 1; n <= input.brokerNodeCount; n++) c.brokers.push(this.newBroker(c, n, false));
    this.clusters.set(c.id, c);
    this.changed(c, 'creating');
    this.schedule(c, this.o.delays.provisionMs, () => {
      for (const b of c.brokers) b.ready = true;
      this.finish(c, 'running');
    });
    return c;
  }

  /** C7. */
  delete(region: string, id: string): ClusterRecord {
    const c = this.get(region, id);
    const allowed = c.status === 'running' || (c.status === 'error' && this.o.deleteInErrorState);
    if (!allowed) this.refuse(c, 'delete');
    this.startDelete(c);
    return c;
  }

  /** C8: `delta` brokers are added (§5.8: the field is a delta); the total stays ≤ the cap. */
  addBrokers(region: string, id: string, delta: number): ClusterRecord {
    const c = this.get(region, id);
    this.requireRunning(c, 'changeCountOfBrokerNode');
    const current = c.brokers.length;
    const max = this.o.maxBrokerNodeCount;
    if (current + delta > max) {
      throw new BusinessError(
        ERR.BROKER_LIMIT_EXCEEDED,
        `newBrokerNodeCount: adding ${delta} broker node(s) to ${current} would make ${current + delta}; ` +
          `a cluster has at most ${max} broker nodes (newBrokerNodeCount is the number to ADD)`,
      );
    }
    for (let k = 1; k <= delta; k++) c.brokers.push(this.newBroker(c, current + k, false));
    this.begin(c, 'scale');
    this.schedule(c, this.o.delays.scaleMs, () => {
      for (const b of c.brokers) b.ready = true;
      this.finish(c, 'running');
    });
    return c;
  }

  /**
   * C20 / C21 checks, in this order: cluster state, target version known, target later than the
   * current version by list order (10153 with the seed's message, §5.15), config group created for
   * the target version (§5.15 rule 1).
   */
  checkUpgrade(region: string, id: number, toVersion: string, toGroup: number): ClusterRecord {
    const c = this.get(region, id);
    this.requireRunning(c, 'rollingUpgrade');
    const { catalog } = this.o;
    catalog.version(toVersion);
    if (catalog.versionIndex(toVersion) <= catalog.versionIndex(c.kafkaVersionCode)) {
      throw new BusinessError(ERR.UPGRADE_NOT_LATER, UPGRADE_NOT_LATER_MESSAGE);
    }
    catalog.requireGroupFor('upgradeConfigGroupNo', toGroup, toVersion);
    return c;
  }

  /** C21: brokers restart on the new version one by one, upgradeMs in total. */
  upgrade(region: string, id: number, toVersion: string, toGroup: number): ClusterRecord {
    const c = this.checkUpgrade(region, id, toVersion, toGroup);
    c.upgrade = { fromKafkaVersionCode: c.kafkaVersionCode, toKafkaVersionCode: toVersion, toConfigGroupNo: toGroup, upgradedBrokers: 0 };
    this.begin(c, 'upgrade');
    const step = this.o.delays.upgradeMs / Math.max(1, c.brokers.length);
    const next = (): void => {
      const u = c.upgrade;
      if (u === null) return;
      u.upgradedBrokers += 1;
      if (u.upgradedBrokers < c.brokers.length) {
        this.changed(c, `upgraded broker ${u.upgradedBrokers}/${c.brokers.length}`);
        this.schedule(c, step, next);
        return;
      }
      c.kafkaVersionCode = u.toKafkaVersionCode;
      c.configGroupNo = u.toConfigGroupNo;
      c.upgrade = null;
      this.finish(c, 'running');
    };
    this.schedule(c, step, next);
    return c;
  }

  /** C15. */
  resetPassword(region: string, id: string, password: string): ClusterRecord {
    const c = this.get(region, id);
    this.requireRunning(c, 'password reset');
    c.passwordSha256 = sha256(password);
    c.passwordResets += 1;
    this.changed(c, 'manager password reset');
    return c;
  }

  /** C16 (`enable`) and C17. Enabling takes scaleMs in `changing`; disabling is immediate. */
  setPublicEndpoint(region: string, id: string, loadBalancerInstanceNo: number | null): ClusterRecord {
    const c = this.get(region, id);
    this.requireRunning(c, loadBalancerInstanceNo === null ? 'disableBrokerNodePublicEndpoint' : 'enableBrokerNodePublicEndpoint');
    if (loadBalancerInstanceNo === null) {
      c.publicEndpoint = null;
      this.changed(c, 'public endpoint disabled');
      return c;
    }
    this.begin(c, 'public-endpoint');
    this.schedule(c, this.o.delays.scaleMs, () => {
      c.publicEndpoint = { loadBalancerInstanceNo, publicIp: `203.0.113.${this.o.random.int(1, 254)}` };
      this.finish(c, 'running');
    });
    return c;
  }

  /** G7: the cluster restarts with the group (§5.18), modelled as scaleMs in `changing`. */
  applyConfigGroup(region: string, id: number, configGroupNo: number, kafkaVersionCode: string): ClusterRecord {
    const c = this.get(region, id);
    this.requireRunning(c, 'setClusterKafkaConfigGroup');
    this.o.catalog.requireGroupFor('configGroupNo', configGroupNo, kafkaVersionCode);
    if (kafkaVersionCode !== c.kafkaVersionCode) {
      throw new BusinessError(
        ERR.CONFIG_GROUP_MISMATCH,
        `kafkaVersionCode: cluster ${c.id} runs Kafka version code ${c.kafkaVersionCode}, not ${kafkaVersionCode}`,
      );
    }
    this.begin(c, 'config-group');
    this.schedule(c, this.o.delays.scaleMs, () => {
      c.configGroupNo = configGroupNo;
      this.finish(c, 'running');
    });
    return c;
  }

  // ---- admin ---------------------------------------------------------------------------------

  /** Force `error` at once (a failed provisioning or a broken cluster). */
  adminFail(id: string): ClusterRecord {
    const c = this.require(id);
    this.cancel(c);
    c.upgrade = null;
    this.finish(c, 'error');
    return c;
  }

  /** Deleted outside the operator (console, another tool): never refused unless already returned. */
  adminDelete(id: string, immediate = false): ClusterRecord {
    const c = this.require(id);
    if (c.status === 'return') return c;
    if (immediate) {
      this.cancel(c);
      this.release(c);
      this.finish(c, 'return');
    } else {
      this.startDelete(c);
    }
    return c;
  }

  /** Overwrite the raw status (no transition logic; pending transitions are cancelled). */
  force(id: string, status: string): ClusterRecord {
    const c = this.require(id);
    this.cancel(c);
    c.upgrade = null;
    c.operation = null;
    c.status = status;
    this.changed(c, 'forced');
    return c;
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  reset(): void {
    this.stop();
    this.clusters.clear();
    this.usedIps.clear();
  }

  // ---- transitions ---------------------------------------------------------------------------

  private requireRunning(c: ClusterRecord, what: string): void {
    if (c.status !== 'running') this.refuse(c, what);
  }

  private refuse(c: ClusterRecord, what: string): never {
    throw new BusinessError(
      ERR.CLUSTER_NOT_RUNNING,
      `cluster ${c.id} is ${c.status}, not running; ${what} is not possible now (wait until it is running)`,
    );
  }

  private begin(c: ClusterRecord, op: Operation): void {
    c.status = 'changing';
    c.operation = op;
    this.changed(c, `changing (${op})`);
  }

  private finish(c: ClusterRecord, status: string): void {
    c.status = status;
    c.operation = null;
    this.changed(c, status);
  }

  private startDelete(c: ClusterRecord): void {
    this.cancel(c);
    c.upgrade = null;
    c.status = 'deleting';
    c.operation = 'delete';
    this.changed(c, 'deleting');
    this.schedule(c, this.o.delays.deleteMs, () => {
      this.release(c);
      this.finish(c, 'return');
    });
  }

  private release(c: ClusterRecord): void {
    for (const b of c.brokers) this.usedIps.delete(b.privateIp);
    this.usedIps.delete(c.managerPrivateIp);
    c.publicEndpoint = null;
  }

  private schedule(c: ClusterRecord, ms: number, fn: () => void): void {
    this.cancel(c);
    const t = setTimeout(
      () => {
        this.timers.delete(c.id);
        fn();
      },
      Math.max(0, Math.round(ms * this.o.timeScale)),
    );
    // The HTTP server keeps a CLI process alive; pending transitions alone must not.
    t.unref();
    this.timers.set(c.id, t);
  }

  private cancel(c: ClusterRecord): void {
    const t = this.timers.get(c.id);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(c.id);
  }

  private changed(c: ClusterRecord, what: string): void {
    this.o.logger?.info({ serviceGroupInstanceNo: c.id, clusterName: c.input.clusterName, status: c.status }, `cdss simulator: ${what}`);
    this.events.emit('change', c);
  }

  /** ~10 digits like real ids (§6 #3 "1009*****"), seeded, unique. */
  private newId(): string {
    for (;;) {
      const id = String(this.o.random.int(1_009_000_000, 1_009_999_999));
      if (!this.clusters.has(id)) return id;
    }
  }

  /** Private addresses for bootstrap strings. Data only: never dialled. */
  private allocateIp(): string {
    for (;;) {
      const ip = `10.0.${this.o.random.int(1, 254)}.${this.o.random.int(2, 254)}`;
      if (!this.usedIps.has(ip)) {
        this.usedIps.add(ip);
        return ip;
      }
    }
  }

  private newBroker(c: ClusterRecord, index: number, ready: boolean): BrokerNode {
    return { index, hostname: `${c.input.clusterName}-broker-${index}`, privateIp: this.allocateIp(), ready };
  }
}
