// The states of safe changes (docs/changing-safely.md) as GitOps tools see them, made by the
// operator's own code (the kinds' pure plans, the core gate, coreStatus, previewPlan) with a fixed
// clock, so the objects are what the operator would write: a change held by the maintenance
// window, one held for approval, one started while another is held, an approved one under way,
// a paused resource previewing an edit, and the condition once nothing waits. The integration
// test hands each to kstatus and to the Argo CD Lua check (test/integration/gitops/health.test.ts),
// beside the live stages it drives through the real operator.
import { plan as hadoopPlan, type PlanInput as HadoopPlanInput } from '../../src/resources/hadoop-eco/plan.ts';
import { plan as kafkaPlan, type PlanInput as KafkaPlanInput } from '../../src/resources/kafka/plan.ts';
import type { ChangeGate, PendingChange } from '../../src/resources/core/changes.ts';
import { previewPlan, type Plan } from '../../src/resources/core/plan.ts';
import type { CommonStatus } from '../../src/resources/core/schema.ts';
import { coreStatus, stored } from '../../src/resources/core/status.ts';
import type { MaintenanceWindow } from '../../src/resources/core/window.ts';

/** Tuesday 1 December 2026, 10:00 in Seoul: outside the window below. */
export const now = new Date('2026-12-01T01:00:00Z');
/** Saturday and Sunday, 02:00-06:00 in Seoul: the next opens 2026-12-04T17:00:00Z. */
export const window: MaintenanceWindow = { days: ['Saturday', 'Sunday'], start: '02:00', duration: '4h', timeZone: 'Asia/Seoul' };

export interface GitOpsState {
  name: string;
  object: { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown>; status: CommonStatus };
  /** What kstatus (Flux) and the Argo CD health check must say. */
  want: { kstatus: string; argo: string; argoMessage: RegExp };
}

const gate = (over: Partial<ChangeGate> = {}): ChangeGate => ({
  now,
  policy: 'Automatic',
  window,
  approvals: [],
  generation: 2,
  previous: [],
  ...over,
});

const hecSpec = (workerCount: number) => ({
  managementPolicy: 'Manage',
  deletionPolicy: 'Delete',
  workerCount,
  hdfs: { replication: 2, blockSizeMB: 128 },
  maintenanceWindow: window,
});

/** A running Hadoop Eco cluster of `workers` whose spec asks for `wanted`. */
function hecPlan(workers: number, wanted: number, g: ChangeGate): Plan<{ type: string }> {
  const input = {
    spec: hecSpec(wanted),
    clusterName: 'alpha',
    deleting: false,
    paused: false,
    clusterId: 'hec-1',
    createRequested: false,
    observed: { status: 'Running', runningAt: 1, workerCnt: workers, isScalable: true, config: { hdfsReplication: 2 } },
    deleteSent: false,
    previousPhase: 'Running',
    gate: g,
  } as unknown as HadoopPlanInput;
  return hadoopPlan(input);
}

const kafkaSpec = (over: Record<string, unknown> = {}) => ({
  managementPolicy: 'Manage',
  deletionPolicy: 'Delete',
  kafkaVersionCode: 3903006,
  configGroupNo: 172,
  brokerCount: 3,
  manager: { nodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002' },
  broker: { nodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002' },
  ...over,
});

/** A running CDSS cluster on Kafka 3713006 with 3 brokers whose spec asks for 3903006 (and more). */
function kafkaPlanOf(spec: Record<string, unknown>, g: ChangeGate, status = 'running', upgradeInFlight = false): Plan<{ type: string }> {
  const input = {
    spec,
    clusterName: 'events',
    deleting: false,
    paused: false,
    clusterId: '1001',
    createRequested: false,
    observed: {
      status,
      kafkaVersionCode: '3713006',
      configGroupNo: 171,
      brokerCount: 3,
      managerNodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002',
      brokerNodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002',
    },
    deleteSent: false,
    previousPhase: 'Running',
    gate: g,
    configGroup: { configGroupNo: 172, madeFor: '3903006' },
    upgradeInFlight,
    passwordChanged: false,
  } as unknown as KafkaPlanInput;
  return kafkaPlan(input);
}

/** The status the operator writes for a pass with this plan (acted: its action was carried out). */
function statusOf(p: Plan<{ type: string }>, previous: CommonStatus, acted = false): CommonStatus {
  return stored(coreStatus({ previous, plan: p, acted, generation: 2, clusterId: 'x', clusterName: 'x', now }));
}

function object(kind: 'HadoopEcoCluster' | 'KafkaCluster', spec: Record<string, unknown>, status: CommonStatus, annotations = {}) {
  const apiVersion = kind === 'HadoopEcoCluster' ? 'kakaocloud.cdo.dev/v1alpha1' : 'ncloud.cdo.dev/v1alpha1';
  const name = kind === 'HadoopEcoCluster' ? 'alpha' : 'events';
  return { apiVersion, kind, metadata: { name, namespace: 'default', generation: 2, annotations }, spec, status };
}

const ranBefore: CommonStatus = { observedGeneration: 1, phase: 'Running' };

function idOf(s: CommonStatus, action: string): string {
  const c = (s.pendingChanges ?? []).find((p: PendingChange) => p.action === action);
  if (!c) throw new Error(`no pending ${action} in ${JSON.stringify(s.pendingChanges)}`);
  return c.id;
}

export function gitOpsStates(): GitOpsState[] {
  // 1. Scale-in (DataMovement) outside the window: held; the cluster runs as before.
  const scaleIn = statusOf(hecPlan(3, 2, gate()), ranBefore);
  // 2. Upgrade (RollingRestart) under changePolicy Manual, no approval yet.
  const manual = kafkaSpec({ changePolicy: 'Manual' });
  const awaitingApproval = statusOf(kafkaPlanOf(manual, gate({ policy: 'Manual', window: undefined })), ranBefore);
  const upgradeId = idOf(awaitingApproval, 'Upgrade');
  // 3. Brokers added (None: at once) while the upgrade waits for the window.
  const more = kafkaSpec({ brokerCount: 5, maintenanceWindow: window });
  const addingWhileHeld = statusOf(kafkaPlanOf(more, gate()), ranBefore, true);
  // 4. The upgrade approved (no window): started, under way; CDSS then reports changing.
  const approvedGate = gate({
    policy: 'Manual',
    window: undefined,
    approvals: [upgradeId],
    previous: awaitingApproval.pendingChanges ?? [],
  });
  const started = statusOf(kafkaPlanOf(manual, approvedGate), awaitingApproval, true);
  const underWay = statusOf(kafkaPlanOf(manual, { ...approvedGate, previous: started.pendingChanges ?? [] }, 'changing', true), started);
  // 5. Paused while a scale-in is edited in: status previews the plan, nothing starts.
  const previewed = statusOf(previewPlan(hecPlan(3, 2, gate())), ranBefore);
  // 6. Nothing waits any more: ChangesPending False (NoneHeld).
  const settled = statusOf(hecPlan(2, 2, gate({ previous: scaleIn.pendingChanges ?? [] })), scaleIn);

  return [
    {
      name: 'scale-in held by the maintenance window',
      object: object('HadoopEcoCluster', hecSpec(2), scaleIn),
      want: {
        kstatus: 'Current',
        argo: 'Healthy',
        argoMessage: /^Held \(AwaitingMaintenanceWindow\): ScaleIn si-[0-9a-f]{6} \(DataMovement\)/,
      },
    },
    {
      name: 'upgrade held for approval (changePolicy Manual)',
      object: object('KafkaCluster', manual, awaitingApproval),
      want: {
        kstatus: 'Current',
        argo: 'Healthy',
        argoMessage: new RegExp(`^Held \\(AwaitingApproval\\): .*cdo\\.dev/approve=${upgradeId}`),
      },
    },
    {
      name: 'brokers being added while the upgrade waits for the window',
      object: object('KafkaCluster', more, addingWhileHeld),
      want: {
        kstatus: 'InProgress',
        argo: 'Progressing',
        argoMessage: /^adding 2 brokers .*; Held \(AwaitingMaintenanceWindow\): Upgrade u-/,
      },
    },
    {
      name: 'approved upgrade started',
      object: object('KafkaCluster', manual, started, { 'cdo.dev/approve': upgradeId }),
      want: { kstatus: 'InProgress', argo: 'Progressing', argoMessage: /^rolling upgrade from 3713006 to 3903006/ },
    },
    {
      name: 'approved upgrade under way (CDSS changing)',
      object: object('KafkaCluster', manual, underWay, { 'cdo.dev/approve': upgradeId }),
      want: { kstatus: 'InProgress', argo: 'Progressing', argoMessage: /^rolling upgrade in progress/ },
    },
    {
      name: 'paused: status previews a scale-in',
      object: object('HadoopEcoCluster', hecSpec(2), previewed, { 'cdo.dev/paused': 'true' }),
      want: {
        kstatus: 'InProgress',
        argo: 'Suspended',
        argoMessage: /changes nothing until it is removed; then: ScaleIn si-[0-9a-f]{6} \(waits for MaintenanceWindow\)$/,
      },
    },
    {
      name: 'nothing held any more (ChangesPending False)',
      object: object('HadoopEcoCluster', hecSpec(2), settled),
      want: { kstatus: 'Current', argo: 'Healthy', argoMessage: /^cluster is Running with 2 workers$/ },
    },
  ];
}
