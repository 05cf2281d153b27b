// The CDSS cluster state machine (spec §4) with timer-driven transitions.
//
//   create (C1/C2/C3) ──► creating ──(provisionMs)──► running
//   running ── C8 add brokers ──► changing ──(scaleMs)──► running (brokerNodeCount += delta)
//   running ── C21 rolling upgrade ──► changing: brokers restart one by one, upgradeMs in total
//              (upgradeMs / brokerCount each) ──► running on the new version and config group
//   running ── C16 ──► changing ──(publicEndpointMs)──► running (broker public endpoint on)
//   running ── G7 ──► changing ──(configApplyMs)──► running on the new config group (a restart, §5.18)
//   running ── C9 ──► changing ──(specChangeMs)──► running on the new product code(s) (§5.9)
//   running ── C17 / C19 ──► running at once (public endpoint off / manager public domain on|off)
//   running|error ── C7 delete ──► deleting ──(deleteMs)──► return (kept and listed, §4.2 [TF])
//   admin: fail → error at once; delete outside the operator; force any status.
//
// Which mutations a non-running cluster refuses is undocumented; following §6 #6 [INF from TF]
// every mutation needs `running`. Delete is also accepted in `error` by default (§7 leaves it
// open; a user must be able to clean up a failed cluster) — option deleteInErrorState.
// Password reset (C15) is applied at once and leaves the cluster `running` (§5.13 only says TF
// waits around it; modelling it as instantaneous is our choice). Likewise C17 and C19: §6 #5
// names "public endpoint enable" among the asynchronous calls but not the disable or the
// manager's public domain, so those two take effect at once (still only from `running`).
//
// Clusters live in one store; each has a region and is visible only under its region's prefix.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Random } from '../common/random.ts';
import type { Catalog } from './catalog.ts';
import { selfSignedCertificate } from './certificate.ts';
import { BusinessError, ERR, UPGRADE_NOT_LATER_MESSAGE } from './errors.ts';
import type { BrokerNode, ClusterRecord, Operation } from './model.ts';
import { requireOffered } from './products.ts';
import type { CreateClusterInput } from './validation.ts';

export interface Delays {
  provisionMs: number;
  scaleMs: number;
  upgradeMs: number;
  deleteMs: number;
  /** C9 (§5.9). */
  specChangeMs: number;
  /** G7's restart (§5.18). */
  configApplyMs: number;
  /** C16 (§5.14). */
  publicEndpointMs: number;
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
      publicDomain: null,
      pendingConfigGroupNo: null,
      certificatePem: null,
      upgrade: null,
      passwordSha256: sha256(kafkaManagerUserPassword),
      passwordResets: 0,
      createdAt: this.o.now(),
      memberNo: catalog.memberNo,
    };
    for (let n = 1; n <= input.brokerNodeCount; n++) c.brokers.push(this.newBroker(c, n, false));
    catalog.loadBalancersFor(input.vpcNo); // C18 has something to offer in this VPC
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

  /**
   * C16 (`enable`) and C17. Enabling needs a load balancer C18 lists for the cluster's VPC and
   * takes publicEndpointMs in `changing`; the public address is the load balancer's. Disabling is
   * immediate (and a no-op when nothing is enabled).
   */
  setPublicEndpoint(region: string, id: string, loadBalancerInstanceNo: number | null): ClusterRecord {
    const c = this.get(region, id);
    this.requireRunning(c, loadBalancerInstanceNo === null ? 'disableBrokerNodePublicEndpoint' : 'enableBrokerNodePublicEndpoint');
    if (loadBalancerInstanceNo === null) {
      c.publicEndpoint = null;
      this.changed(c, 'public endpoint disabled');
      return c;
    }
    if (c.publicEndpoint !== null) {
      throw new BusinessError(
        ERR.PUBLIC_ENDPOINT_ENABLED,
        `cluster ${c.id}: the broker public endpoint is already enabled (load balancer ${c.publicEndpoint.loadBalancerInstanceNo}); disable it first`,
      );
    }
    const lbs = this.o.catalog.loadBalancersFor(c.input.vpcNo);
    const lb = lbs.find((l) => l.instanceNo === loadBalancerInstanceNo);
    if (lb === undefined) {
      throw new BusinessError(
        ERR.UNKNOWN_LOAD_BALANCER,
        `loadBalancerInstanceNo: load balancer ${loadBalancerInstanceNo} is not usable for cluster ${c.id} ` +
          `(VPC ${c.input.vpcNo} has ${lbs.map((l) => l.instanceNo).join(', ')}; see getLoadBalancerInstanceList)`,
      );
    }
    this.begin(c, 'public-endpoint');
    this.schedule(c, this.o.delays.publicEndpointMs, () => {
      c.publicEndpoint = { loadBalancerInstanceNo, publicIp: lb.loadBalancerIp };
      this.finish(c, 'running');
    });
    return c;
  }

  /** C19: the manager UI's public domain, on or off at once (a no-op if already so). */
  setPublicDomain(region: string, id: string, enabled: boolean): ClusterRecord {
    const c = this.get(region, id);
    this.requireRunning(c, enabled ? 'enablePublicDomain' : 'disablePublicDomain');
    c.publicDomain = enabled ? `cmak-${c.id}.${c.region}.cdss-sim.invalid` : null;
    this.changed(c, `manager public domain ${enabled ? 'enabled' : 'disabled'}`);
    return c;
  }

  /** C9: each code must be one C10 offers for its role (products.ts); changing for specChangeMs. */
  changeSpec(region: string, id: string, codes: { managerNodeProductCode?: string; brokerNodeProductCode?: string }): ClusterRecord {
    const c = this.get(region, id);
    this.requireRunning(c, 'changeSpecNode');
    const { managerNodeProductCode: manager, brokerNodeProductCode: broker } = codes;
    if (manager !== undefined) requireOffered('managerNodeProductCode', manager, c.input.managerNodeProductCode, c.input.generation);
    if (broker !== undefined) requireOffered('brokerNodeProductCode', broker, c.input.brokerNodeProductCode, c.input.generation);
    if (
      (manager ?? c.input.managerNodeProductCode) === c.input.managerNodeProductCode &&
      (broker ?? c.input.brokerNodeProductCode) === c.input.brokerNodeProductCode
    ) {
      throw new BusinessError(
        ERR.SPEC_CHANGE_NOT_ALLOWED,
        `cluster ${c.id}: the node specs asked for are the current ones; nothing to change`,
      );
    }
    this.begin(c, 'spec-change');
    this.schedule(c, this.o.delays.specChangeMs, () => {
      if (manager !== undefined) c.input.managerNodeProductCode = manager;
      if (broker !== undefined) c.input.brokerNodeProductCode = broker;
      this.finish(c, 'running');
    });
    return c;
  }

  /** G8 / G9: live clusters using a group, counting a G7 or upgrade in flight towards it. */
  usersOf(configGroupNo: number): ClusterRecord[] {
    return this.all().filter(
      (c) =>
        c.status !== 'return' &&
        (c.configGroupNo === configGroupNo || c.pendingConfigGroupNo === configGroupNo || c.upgrade?.toConfigGroupNo === configGroupNo),
    );
  }

  /** C25: the cluster's certificate, made on first use. */
  certificate(region: string, id: string): string {
    const c = this.get(region, id);
    c.certificatePem ??= selfSignedCertificate(`cdss-${c.id}-ca`, this.o.now());
    return c.certificatePem;
  }

  /** G7: the cluster restarts with the group (§5.18), modelled as configApplyMs in `changing`. */
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
    c.pendingConfigGroupNo = configGroupNo;
    this.begin(c, 'config-group');
    this.schedule(c, this.o.delays.configApplyMs, () => {
      c.configGroupNo = configGroupNo;
      c.pendingConfigGroupNo = null;
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
    c.pendingConfigGroupNo = null;
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
    c.pendingConfigGroupNo = null;
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
    c.pendingConfigGroupNo = null;
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
    c.publicDomain = null;
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
