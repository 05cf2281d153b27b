// buildStatus as a specification: what the cloud reports (detail + VMs) and the plan's decision
// become the HadoopEcoCluster status, deterministically, so an unchanged cloud writes nothing.
import { describe, expect, it } from 'vitest';
import type { ClusterDetail, Vm } from '../../../../src/clouds/kakaocloud/types.ts';
import type { Plan } from '../../../../src/resources/hadoop-eco/plan.ts';
import type { HadoopEcoStatus } from '../../../../src/resources/hadoop-eco/schema.ts';
import { buildStatus, type StatusInput } from '../../../../src/resources/hadoop-eco/status.ts';

const NOW = new Date('2025-03-04T05:06:07.890Z');
const CREATED_AT = Date.UTC(2025, 2, 4, 4, 0, 0, 123); // 2025-03-04T04:00:00.123Z
const RUNNING_AT = Date.UTC(2025, 2, 4, 4, 9, 30, 999); // 2025-03-04T04:09:30.999Z

function detail(over: Partial<ClusterDetail> = {}): ClusterDetail {
  return {
    id: 'c-1',
    name: 'analytics',
    status: 'Running',
    clusterType: 'hadoop',
    isScalable: true,
    apiKeyStatus: 'impossible',
    masterCnt: 1,
    workerCnt: 3,
    nodeCnt: 4,
    nameNodeUrl: null,
    resourceManagerUrl: null,
    hueUrl: null,
    hmasterUrl: null,
    trinoUrl: null,
    druidUrl: null,
    supersetUrl: null,
    createdAt: CREATED_AT,
    runningAt: RUNNING_AT,
    elapsedTime: 3_725_000, // 1 h 2 min 5 s
    ...over,
  };
}

function vm(name: string, isMaster: boolean | null, over: Partial<Vm> = {}): Vm {
  return { name, isMaster, status: 'Running', flavorName: 'm2a.xlarge', ip: '10.0.0.21', ...over };
}

const plans = {
  running: {
    action: { type: 'Done' },
    phase: 'Running',
    state: { state: 'ready', reason: 'Running', message: 'cluster is Running with 3 workers' },
    cadence: 'steady',
  },
  scaling: {
    action: { type: 'ScaleOut', count: 2 },
    phase: 'Scaling',
    state: { state: 'reconciling', reason: 'ScalingOut', message: 'adding 2 workers (3 → 5)' },
    cadence: 'busy',
  },
  creating: {
    action: { type: 'Wait' },
    phase: 'Creating',
    state: { state: 'reconciling', reason: 'CloudBusy', message: 'the cloud reports Initializing' },
    cadence: 'busy',
  },
  completed: {
    action: { type: 'Done' },
    phase: 'Completed',
    state: { state: 'ready', reason: 'JobCompleted', message: 'the job ran and the cluster ended itself' },
    cadence: 'never',
  },
  failed: {
    action: { type: 'Stall' },
    phase: 'Failed',
    state: { state: 'stalled', reason: 'ClusterFailed', message: 'the cloud ended the cluster: Terminated(Error)' },
    cadence: 'never',
  },
  gone: {
    action: { type: 'Stall' },
    phase: 'Failed',
    state: { state: 'stalled', reason: 'ClusterGone', message: 'cloud cluster c-1 no longer exists' },
    cadence: 'never',
  },
} satisfies Record<string, Plan>;

function build(over: Partial<StatusInput> = {}): HadoopEcoStatus {
  return buildStatus({
    previous: {},
    plan: plans.running,
    generation: 4,
    clusterId: 'c-1',
    clusterName: 'analytics',
    observed: detail(),
    vms: [vm('HadoopMST-analytics-1', true), vm('HadoopWRK-analytics-1', false)],
    now: NOW,
    ...over,
  });
}

describe('buildStatus: endpoints', () => {
  const cases: Array<[string, Partial<ClusterDetail>, NonNullable<HadoopEcoStatus['endpoints']>, string | undefined]> = [
    [
      'hadoop: NameNode, ResourceManager and Hue',
      {
        clusterType: 'hadoop',
        nameNodeUrl: 'http://10.0.0.1:9870',
        resourceManagerUrl: 'http://10.0.0.1:8088',
        hueUrl: 'http://10.0.0.1:8888',
      },
      { nameNode: 'http://10.0.0.1:9870', resourceManager: 'http://10.0.0.1:8088', hue: 'http://10.0.0.1:8888' },
      'http://10.0.0.1:8888',
    ],
    [
      'hbase: HMaster with NameNode and ResourceManager',
      {
        clusterType: 'hbase',
        hmasterUrl: 'http://10.0.0.1:16010',
        nameNodeUrl: 'http://10.0.0.1:9870',
        resourceManagerUrl: 'http://10.0.0.1:8088',
      },
      { hmaster: 'http://10.0.0.1:16010', nameNode: 'http://10.0.0.1:9870', resourceManager: 'http://10.0.0.1:8088' },
      'http://10.0.0.1:16010',
    ],
    [
      'trino: Trino and Hue',
      { clusterType: 'trino', trinoUrl: 'http://10.0.0.1:8080', hueUrl: 'http://10.0.0.1:8888' },
      { trino: 'http://10.0.0.1:8080', hue: 'http://10.0.0.1:8888' },
      'http://10.0.0.1:8888',
    ],
    [
      'dataflow: Druid and Superset',
      { clusterType: 'dataflow', druidUrl: 'http://10.0.0.1:3008', supersetUrl: 'http://10.0.0.1:4000' },
      { druid: 'http://10.0.0.1:3008', superset: 'http://10.0.0.1:4000' },
      'http://10.0.0.1:4000',
    ],
  ];
  it.each(cases)('%s: only the URLs the cloud reports', (_label, urls, endpoints, url) => {
    const s = build({ observed: detail(urls) });
    expect(s.endpoints).toEqual(endpoints);
    expect(s.url).toBe(url);
  });

  it('omitted and null URLs alike are left out; no URL at all means no endpoints and no url', () => {
    const { nameNodeUrl: _n, hueUrl: _h, ...withoutKeys } = detail();
    for (const observed of [detail(), withoutKeys as ClusterDetail]) {
      const s = build({ observed });
      expect(s).not.toHaveProperty('endpoints');
      expect(s).not.toHaveProperty('url');
    }
  });

  it('url priority: hue > superset > trino > hmaster > nameNode', () => {
    const all: Partial<ClusterDetail> = {
      hueUrl: 'http://hue',
      supersetUrl: 'http://superset',
      trinoUrl: 'http://trino',
      hmasterUrl: 'http://hmaster',
      nameNodeUrl: 'http://namenode',
      resourceManagerUrl: 'http://rm',
      druidUrl: 'http://druid',
    };
    const order = ['hueUrl', 'supersetUrl', 'trinoUrl', 'hmasterUrl', 'nameNodeUrl'] as const;
    for (let i = 0; i < order.length; i++) {
      const urls: Partial<ClusterDetail> = { ...all };
      for (const gone of order.slice(0, i)) urls[gone] = null;
      expect(build({ observed: detail(urls) }).url).toBe(all[order[i]!]);
    }
  });
});

describe('buildStatus: cluster facts', () => {
  it('VMs are sorted by name, with the role from isMaster and nulls left out', () => {
    const s = build({
      vms: [
        vm('HadoopWRK-analytics-2', false),
        vm('HadoopMST-analytics-1', true),
        vm('HadoopWRK-analytics-1', null, { status: null, flavorName: null, ip: null }),
      ],
    });
    expect(s.vms).toEqual([
      { name: 'HadoopMST-analytics-1', role: 'master', status: 'Running', flavor: 'm2a.xlarge', privateIp: '10.0.0.21' },
      { name: 'HadoopWRK-analytics-1', role: 'worker', status: 'Unknown' },
      { name: 'HadoopWRK-analytics-2', role: 'worker', status: 'Running', flavor: 'm2a.xlarge', privateIp: '10.0.0.21' },
    ]);
  });

  it('the VM list does not depend on the order the cloud returns it in', () => {
    const vms = [
      vm('HadoopWRK-analytics-3', false),
      vm('HadoopMST-analytics-1', true),
      vm('HadoopWRK-analytics-10', false),
      vm('HadoopWRK-analytics-2', false),
    ];
    expect(build({ vms })).toEqual(build({ vms: [...vms].reverse() }));
  });

  it('createdAt and runningAt are RFC 3339 with whole seconds, UTC', () => {
    const s = build();
    expect(s.createdAt).toBe('2025-03-04T04:00:00Z');
    expect(s.runningAt).toBe('2025-03-04T04:09:30Z');
  });

  it('carries no uptime field: a value that moves with time would make every poll a status write', () => {
    const first = build({ observed: detail({ elapsedTime: 3_721_000 }) });
    const second = build({ previous: first, observed: detail({ elapsedTime: 9_999_000 }), now: new Date(NOW.getTime() + 600_000) });
    expect(second).toEqual(first);
    expect(Object.keys(first)).not.toContain('elapsedSeconds');
  });

  it('scalability is reported both ways', () => {
    expect(build({ observed: detail({ isScalable: true }) }).scalable).toBe(true);
    expect(build({ observed: detail({ isScalable: false }) }).scalable).toBe(false);
    expect(build({ observed: detail({ isScalable: null }) })).not.toHaveProperty('scalable');
  });

  it('counts, cloud status and scalability come from the cloud', () => {
    const s = build({
      observed: detail({ status: 'Running', masterCnt: 3, workerCnt: 5, nodeCnt: 8, isScalable: false, apiKeyStatus: 'possible' }),
    });
    expect(s).toMatchObject({
      cloudStatus: 'Running',
      masterCount: 3,
      workerCount: 5,
      nodeCount: 8,
      scalable: false,
      apiKeyStatus: 'possible',
      clusterId: 'c-1',
      clusterName: 'analytics',
    });
  });

  it('without a fresh observation the last known facts are kept', () => {
    const first = build({ plan: plans.running });
    const s = build({ previous: first, observed: undefined, vms: undefined, plan: plans.running });
    for (const key of ['cloudStatus', 'masterCount', 'workerCount', 'nodeCount', 'endpoints', 'vms', 'createdAt', 'runningAt'] as const) {
      expect(s[key]).toEqual(first[key]);
    }
  });
});

describe('buildStatus: generation and conditions', () => {
  it('observedGeneration is set on the status and on every condition', () => {
    const s = build({ generation: 7 });
    expect(s.observedGeneration).toBe(7);
    expect(s.conditions?.map((c) => c.type)).toEqual(['Ready', 'Reconciling', 'Stalled']);
    for (const c of s.conditions ?? []) expect(c.observedGeneration).toBe(7);
  });

  it.each([
    ['ready', plans.running, { Ready: 'True', Reconciling: 'False', Stalled: 'False' }],
    ['reconciling', plans.scaling, { Ready: 'False', Reconciling: 'True', Stalled: 'False' }],
    ['stalled', plans.failed, { Ready: 'False', Reconciling: 'False', Stalled: 'True' }],
  ] as const)("the plan's %s state sets the kstatus conditions", (_label, plan, expected) => {
    const s = build({ plan, observed: plan === plans.failed ? detail({ status: 'Terminated(Error)' }) : detail() });
    expect(Object.fromEntries((s.conditions ?? []).map((c) => [c.type, c.status]))).toEqual(expected);
    expect(s.phase).toBe(plan.phase);
  });

  it('a state change moves lastTransitionTime of the flipped conditions only', () => {
    const first = build({ plan: plans.scaling });
    const later = new Date(NOW.getTime() + 600_000);
    const second = build({ previous: first, plan: plans.running, now: later });
    const at = (s: HadoopEcoStatus, type: string) => s.conditions?.find((c) => c.type === type)?.lastTransitionTime;
    expect(at(second, 'Ready')).toBe('2025-03-04T05:16:07Z');
    expect(at(second, 'Reconciling')).toBe('2025-03-04T05:16:07Z');
    expect(at(second, 'Stalled')).toBe(at(first, 'Stalled'));
    expect(at(first, 'Stalled')).toBe('2025-03-04T05:06:07Z');
  });
});

describe('buildStatus: job clusters and terminal phases', () => {
  const job = (terminationPolicy: string, logUrl: string | null = 'https://objectstorage/logs/HadoopEco/analytics') => ({
    type: 'hive',
    terminationPolicy,
    hiveQuery: 'select 1',
    logUrl,
  });
  const tombstone = (status: string, over: Partial<ClusterDetail> = {}) =>
    detail({
      status,
      isScalable: false,
      masterCnt: 0,
      workerCnt: 0,
      nodeCnt: 0,
      hueUrl: 'http://10.0.0.1:8888',
      nameNodeUrl: 'http://10.0.0.1:9870',
      ...over,
    });

  it('a Completed onSuccess job reports Succeeded and echoes the log URL', () => {
    const s = build({
      plan: plans.completed,
      observed: tombstone('Terminated(User Command)', { userTask: job('onSuccess') }),
      vms: undefined,
    });
    expect(s.phase).toBe('Completed');
    expect(s.job).toEqual({ result: 'Succeeded', logUrl: 'https://objectstorage/logs/HadoopEco/analytics' });
  });

  it('a Completed job keeps its result and log once the cloud has removed the tombstone (no new evidence)', () => {
    const first = build({
      plan: plans.completed,
      observed: tombstone('Terminated(User Command)', { userTask: job('onSuccess') }),
      vms: undefined,
    });
    const later = build({ previous: first, plan: plans.completed, observed: null, vms: undefined });
    expect(later.job).toEqual({ result: 'Succeeded', logUrl: 'https://objectstorage/logs/HadoopEco/analytics' });
  });

  it('a Completed always job does not claim the job succeeded (it ends whatever the result)', () => {
    const s = build({
      plan: plans.completed,
      observed: tombstone('Terminated(User Command)', { userTask: job('always') }),
      vms: undefined,
    });
    expect(s.job?.result).toBeDefined();
    expect(s.job?.result).not.toBe('Succeeded');
  });

  it('a job cluster still running has no result yet but shows its log URL', () => {
    const s = build({ observed: detail({ status: 'Processing', userTask: job('onSuccess') }), plan: plans.creating });
    expect(s.job).toEqual({ logUrl: 'https://objectstorage/logs/HadoopEco/analytics' });
  });

  it('a cluster without userTask has no job', () => {
    expect(build()).not.toHaveProperty('job');
  });

  it('a Failed job cluster reports the job Failed and keeps its log URL', () => {
    const s = build({ plan: plans.failed, observed: tombstone('Terminated(Error)', { userTask: job('onSuccess') }), vms: undefined });
    expect(s.job).toEqual({ result: 'Failed', logUrl: 'https://objectstorage/logs/HadoopEco/analytics' });
  });

  it('a Completed job whose log URL the cloud does not give has a result and no logUrl', () => {
    const s = build({
      plan: plans.completed,
      observed: tombstone('Terminated(User Command)', { userTask: job('onSuccess', null) }),
      vms: undefined,
    });
    expect(s.job).toStrictEqual({ result: 'Succeeded' });
  });

  it('a pass that could not observe the cluster keeps the job as last known', () => {
    const first = build({ observed: detail({ status: 'Processing', userTask: job('onSuccess') }), plan: plans.creating });
    const s = build({ previous: first, observed: undefined, vms: undefined, plan: plans.creating });
    expect(s.job).toEqual({ logUrl: 'https://objectstorage/logs/HadoopEco/analytics' });
  });

  it('a detail without userTask keeps the job as last known', () => {
    const first = build({ observed: detail({ status: 'Processing', userTask: job('onSuccess') }), plan: plans.creating });
    const s = build({ previous: first, observed: detail({ status: 'Processing' }), plan: plans.creating });
    expect(s.job).toEqual(first.job);
  });

  const terminal: Array<[string, Plan, ClusterDetail | null]> = [
    ['Completed', plans.completed, tombstone('Terminated(User Command)', { userTask: job('onSuccess') })],
    ['Failed (Terminated(Error))', plans.failed, tombstone('Terminated(Error)')],
    ['Failed (404)', plans.gone, null],
  ];
  it.each(terminal)('%s: no endpoints, url or VMs, even if they were known before', (_label, plan, observed) => {
    const running = build({ observed: detail({ hueUrl: 'http://10.0.0.1:8888' }) });
    expect(running.url).toBe('http://10.0.0.1:8888');
    expect(running.vms).toHaveLength(2);
    const s = build({ previous: running, plan, observed, vms: undefined });
    expect(s.phase).toBe(plan.phase);
    expect(s).not.toHaveProperty('endpoints');
    expect(s).not.toHaveProperty('url');
    expect(s).not.toHaveProperty('vms');
  });

  it('the counts of a tombstone are 0, as the cloud says', () => {
    const s = build({ plan: plans.failed, observed: tombstone('Terminated(Error)'), vms: undefined });
    expect(s).toMatchObject({ cloudStatus: 'Terminated(Error)', masterCount: 0, workerCount: 0, nodeCount: 0 });
  });
});

describe('buildStatus: idempotence (an unchanged cloud gives an unchanged status)', () => {
  const scenarios: Array<[string, Partial<StatusInput>]> = [
    ['Running with endpoints and VMs', { observed: detail({ hueUrl: 'http://10.0.0.1:8888', nameNodeUrl: 'http://10.0.0.1:9870' }) }],
    ['Scaling', { plan: plans.scaling, observed: detail({ isScalable: false }) }],
    [
      'Creating',
      { plan: plans.creating, observed: detail({ status: 'Initializing', runningAt: null, elapsedTime: 30_000 }), vms: undefined },
    ],
    [
      'Completed job',
      {
        plan: plans.completed,
        observed: detail({
          status: 'Terminated(User Command)',
          workerCnt: 0,
          userTask: { type: 'hive', terminationPolicy: 'onSuccess', logUrl: 'https://logs' },
        }),
        vms: undefined,
      },
    ],
    ['Failed on 404', { plan: plans.gone, observed: null, vms: undefined }],
    ['not observed', { observed: undefined, vms: undefined }],
    [
      'deleting',
      {
        deleteRequestedAt: '2025-03-04T05:00:00Z',
        lastHandledReconcileAt: '2025-03-04T04:59:00Z',
        plan: { ...plans.creating, phase: 'Deleting' },
      },
    ],
    ['no generation', { generation: undefined }],
  ];
  it.each(scenarios)('%s: building twice, the first as previous, gives a deep-equal status', (_label, over) => {
    const first = build(over);
    const second = build({ ...over, previous: first });
    expect(second).toEqual(first);
    expect(second.conditions?.map((c) => c.lastTransitionTime)).toEqual([
      '2025-03-04T05:06:07Z',
      '2025-03-04T05:06:07Z',
      '2025-03-04T05:06:07Z',
    ]);
  });

  it.each(scenarios)('%s: a later pass with nothing changed keeps lastTransitionTime too', (_label, over) => {
    const first = build(over);
    const second = build({ ...over, previous: first, now: new Date(NOW.getTime() + 3_600_000) });
    expect(second).toEqual(first);
  });

  it('the output is plain JSON (no undefined-valued keys that a merge patch would see as removals)', () => {
    const s = build({ observed: undefined, vms: undefined });
    expect(JSON.parse(JSON.stringify(s))).toStrictEqual(s);
  });
});
