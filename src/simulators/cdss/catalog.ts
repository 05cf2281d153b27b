// Kafka versions (C12, spec §5.10), config groups (G1-G10, §5.18) and the load balancers C18
// offers for a public endpoint (§5.14).
//
// Versions: the codes seen in the docs are 2823006, 3713006 and 3903006 (§5.10). The docs warn
// never to parse a code, so "later" is decided by position in the configured list, which is
// ordered oldest → newest and is also the order getCDSSVersionList returns (the real order is
// undocumented [INF]). The version names are our own [INF]: the docs name the fields only.
//
// Config groups: one per version is pre-seeded, numbered from 170 in version order, so group 170
// belongs to 2823006 as in the seed's rolling-upgrade example. Groups created with G2 get the
// next free number. Versions and config groups are shared by all regions (a simplification: the
// real service scopes them per region and account).
//
// Load balancers: C18's source is [SDK] only. Every VPC a cluster is created in gets two, named
// and numbered by us [INF]; their addresses are documentation ranges (never dialled).
import { applySetBody, detailView, settingsFor, type SettingDef } from './config-values.ts';
import { BusinessError, ERR } from './errors.ts';

export interface KafkaVersion {
  kafkaVersionCode: string;
  kafkaVersionName: string;
  applicationVersionName: string;
  cmakVersionName: string;
}

export interface ConfigGroup {
  configGroupNo: number;
  configGroupName: string;
  description: string;
  kafkaVersionCode: string;
  /** Property name → value for the settings set with G5; the rest have their defaults. */
  customValues: Record<string, string>;
}

/** [SDK] `LoadBalancerInstance` fields C18 reports. */
export interface LoadBalancer {
  instanceNo: number;
  loadBalancerName: string;
  loadBalancerDomain: string;
  loadBalancerIp: string;
  vpcNo: number;
}

const FIRST_LOAD_BALANCER_NO = 2_410_001;

export const DEFAULT_KAFKA_VERSIONS: readonly KafkaVersion[] = [
  { kafkaVersionCode: '2823006', kafkaVersionName: '2.8.2', applicationVersionName: 'Kafka 2.8.2', cmakVersionName: 'CMAK 3.0.0.6' },
  { kafkaVersionCode: '3713006', kafkaVersionName: '3.7.1', applicationVersionName: 'Kafka 3.7.1', cmakVersionName: 'CMAK 3.0.0.6' },
  { kafkaVersionCode: '3903006', kafkaVersionName: '3.9.0', applicationVersionName: 'Kafka 3.9.0', cmakVersionName: 'CMAK 3.0.0.6' },
];

export const FIRST_SEEDED_CONFIG_GROUP_NO = 170;

export class Catalog {
  readonly versions: readonly KafkaVersion[];
  private readonly groups = new Map<number, ConfigGroup>();
  private nextGroupNo = FIRST_SEEDED_CONFIG_GROUP_NO;
  private readonly lbs: LoadBalancer[] = [];
  readonly memberNo: string;

  constructor(versions: readonly KafkaVersion[], memberNo: string) {
    if (versions.length === 0) throw new Error('cdss simulator: at least one Kafka version is required');
    this.versions = versions.map((v) => ({ ...v }));
    this.memberNo = memberNo;
    this.seed();
  }

  reset(): void {
    this.groups.clear();
    this.lbs.length = 0;
    this.nextGroupNo = FIRST_SEEDED_CONFIG_GROUP_NO;
    this.seed();
  }

  private seed(): void {
    for (const v of this.versions) {
      this.add(
        `kafka-${v.kafkaVersionName.replaceAll('.', '')}-default`,
        `default config group for Kafka ${v.kafkaVersionName}`,
        v.kafkaVersionCode,
      );
    }
  }

  private add(name: string, description: string, kafkaVersionCode: string): ConfigGroup {
    const g: ConfigGroup = { configGroupNo: this.nextGroupNo++, configGroupName: name, description, kafkaVersionCode, customValues: {} };
    this.groups.set(g.configGroupNo, g);
    return g;
  }

  /** Index in the oldest → newest list, or -1. */
  versionIndex(code: string): number {
    return this.versions.findIndex((v) => v.kafkaVersionCode === code);
  }

  version(code: string): KafkaVersion {
    const v = this.versions.find((x) => x.kafkaVersionCode === code);
    if (v === undefined)
      throw new BusinessError(ERR.UNKNOWN_KAFKA_VERSION, `kafkaVersionCode: unknown Kafka version code ${code} (see getCDSSVersionList)`);
    return v;
  }

  groupsOf(kafkaVersionCode: string): ConfigGroup[] {
    return [...this.groups.values()]
      .filter((g) => g.kafkaVersionCode === kafkaVersionCode)
      .sort((a, b) => a.configGroupNo - b.configGroupNo);
  }

  findGroup(no: number): ConfigGroup | undefined {
    return this.groups.get(no);
  }

  requireGroup(no: number): ConfigGroup {
    const g = this.groups.get(no);
    if (g === undefined) throw new BusinessError(ERR.CONFIG_GROUP_MISMATCH, `configGroupNo: config group ${no} does not exist`);
    return g;
  }

  /** §5.2 / §5.15 / §6 #9: a cluster's config group must have been created for its Kafka version. */
  requireGroupFor(field: string, configGroupNo: number, kafkaVersionCode: string): ConfigGroup {
    const g = this.groups.get(configGroupNo);
    if (g === undefined) throw new BusinessError(ERR.CONFIG_GROUP_MISMATCH, `${field}: config group ${configGroupNo} does not exist`);
    if (g.kafkaVersionCode !== kafkaVersionCode) {
      throw new BusinessError(
        ERR.CONFIG_GROUP_MISMATCH,
        `${field}: config group ${configGroupNo} was created for Kafka version code ${g.kafkaVersionCode}, not ${kafkaVersionCode}`,
      );
    }
    return g;
  }

  /** G2. Names are unique per Kafka version (undocumented; our choice). */
  createGroup(name: string, kafkaVersionCode: string, description: string): ConfigGroup {
    this.version(kafkaVersionCode);
    if (this.groupsOf(kafkaVersionCode).some((g) => g.configGroupName === name)) {
      throw new BusinessError(
        ERR.DUPLICATE_CONFIG_GROUP_NAME,
        `configGroupName: a config group named ${name} already exists for Kafka version code ${kafkaVersionCode}`,
      );
    }
    return this.add(name, description, kafkaVersionCode);
  }

  /** Every group of every version, by number (G10). */
  allGroups(): ConfigGroup[] {
    return [...this.groups.values()].sort((a, b) => a.configGroupNo - b.configGroupNo);
  }

  /** The settings a group of this version knows (config-values.ts). */
  settings(kafkaVersionCode: string): SettingDef[] {
    return settingsFor(this.version(kafkaVersionCode).kafkaVersionName);
  }

  /** G4 view of a group. */
  values(g: ConfigGroup) {
    return {
      configGroupNo: g.configGroupNo,
      kafkaVersionCode: g.kafkaVersionCode,
      memberNo: this.memberNo,
      ...detailView(this.settings(g.kafkaVersionCode), g.customValues),
    };
  }

  /** G5: replaces the group's whole custom configuration (§5.18 [3P]; see applySetBody). */
  setValues(g: ConfigGroup, body: Record<string, unknown>): void {
    g.customValues = applySetBody(this.settings(g.kafkaVersionCode), g.kafkaVersionCode, body);
  }

  /** G9. `users` are the clusters still using the group (G8): the delete is refused then (§5.18 [INF]). */
  deleteGroup(no: number, users: ReadonlyArray<{ clusterName: string; id: string }>): void {
    this.requireGroup(no);
    if (users.length > 0) {
      throw new BusinessError(
        ERR.CONFIG_GROUP_IN_USE,
        `configGroupNo: config group ${no} is used by ${users.map((c) => `${c.clusterName} (${c.id})`).join(', ')}; ` +
          'apply another config group to those clusters or delete them first',
      );
    }
    this.groups.delete(no);
  }

  /** C18: the load balancers of a VPC; the first cluster in a VPC creates two. */
  loadBalancersFor(vpcNo: number): LoadBalancer[] {
    if (!this.lbs.some((l) => l.vpcNo === vpcNo)) {
      for (const suffix of ['a', 'b']) {
        const instanceNo = FIRST_LOAD_BALANCER_NO + this.lbs.length;
        this.lbs.push({
          instanceNo,
          loadBalancerName: `lb-${vpcNo}-${suffix}`,
          loadBalancerDomain: `slb-${instanceNo}.lb.cdss-sim.invalid`,
          loadBalancerIp: `198.51.100.${(this.lbs.length % 250) + 1}`,
          vpcNo,
        });
      }
    }
    return this.lbs.filter((l) => l.vpcNo === vpcNo).map((l) => ({ ...l }));
  }

  allLoadBalancers(): LoadBalancer[] {
    return this.lbs.map((l) => ({ ...l }));
  }
}
