// The in-place changes of a running KafkaCluster beside brokers and version, as pure decisions
// the plan (plan.ts) takes in its fixed order: the config group's version check, the node spec
// (C9, checked against C10), and public access (C16/C17 brokers, C19 manager). Each returns the
// plan for its change, or undefined when it has nothing to do.
import type { Candidate } from '../core/changes.ts';
import type { PhaseOf } from '../core/phases.ts';
import { act, stall } from '../core/plan.ts';
import type { Action, CdssObservation, LoadBalancerChoice, Plan, PlanInput, ResolvedConfigGroup } from './plan.ts';
import type { KafkaSpec, KafkaStatus } from './schema.ts';

export type ChangeType = NonNullable<KafkaStatus['change']>['type'];

/**
 * §5.2, §5.15, §6 #9: a config group belongs to one Kafka version, and CDSS takes a cluster's
 * group only if it was made for the version the cluster will run. Stalls (never sends) when the
 * resolved group is known to belong elsewhere; an unknown origin is left to CDSS to judge.
 */
export function groupMismatch(
  group: Extract<ResolvedConfigGroup, { configGroupNo: number }>,
  version: string,
  phase: PhaseOf<'stalled'>,
): Plan | undefined {
  if (group.madeFor === undefined || group.madeFor === version) return undefined;
  const which =
    group.madeFor === null
      ? `config group ${group.configGroupNo} is not one CDSS lists for Kafka version ${version}`
      : `config group ${group.configGroupNo} was made for Kafka version ${group.madeFor}`;
  return stall(
    phase,
    'ConfigGroupVersionMismatch',
    `${which}; a cluster on ${version} needs a group made for that version: create a config group for ${version} ` +
      '(a KafkaConfigGroup, or the console) and point spec.configGroupRef or spec.configGroupNo at it',
  );
}

/**
 * §5.9: C9 changes the manager and/or broker node product, only to one C10 marks `isChangeSpec`
 * (downgrades are refused, [3P]). Only the changed code is sent (Terraform sends both). A target
 * CDSS does not offer stalls listing what it does offer, and waits for a spec change. (C10 is
 * asked only while the cluster runs; while CDSS works the change is listed as waiting for it.)
 */
export function nodeSpecChange(spec: KafkaSpec, o: CdssObservation): Candidate<Action> | undefined {
  const manager = differs(spec.manager.nodeProductCode, o.managerNodeProductCode);
  const broker = differs(spec.broker.nodeProductCode, o.brokerNodeProductCode);
  if (!manager && !broker) return undefined;
  const side = (m: string | undefined, b: string | undefined) => [m && `manager ${m}`, b && `brokers ${b}`].filter(Boolean).join(', ');
  const from = side(manager && o.managerNodeProductCode, broker && o.brokerNodeProductCode);
  return { action: 'ChangeNodeSpec', from, to: side(manager, broker), plan: planNodeSpec(manager, broker, o) };
}

function planNodeSpec(manager: string | undefined, broker: string | undefined, o: CdssObservation): Plan {
  const allowed = o.specChangeAllowed ?? { manager: [], broker: [] };
  const refused: string[] = [];
  if (manager && !allowed.manager.includes(manager)) refused.push(`the manager to ${manager} (allowed: ${listOf(allowed.manager)})`);
  if (broker && !allowed.broker.includes(broker)) refused.push(`the brokers to ${broker} (allowed: ${listOf(allowed.broker)})`);
  if (refused.length) {
    return stall(
      'Running',
      'NodeSpecChangeNotAllowed',
      `CDSS does not allow changing ${refused.join(', nor ')}; set spec.manager.nodeProductCode / spec.broker.nodeProductCode ` +
        'to an allowed product or back to the current one (CDSS refuses downgrades; G3 clusters list none)',
    );
  }
  const change = [manager && `manager → ${manager}`, broker && `brokers → ${broker}`].filter(Boolean).join(', ');
  return act<Action>(
    {
      type: 'ChangeNodeSpec',
      ...(manager ? { managerNodeProductCode: manager } : {}),
      ...(broker ? { brokerNodeProductCode: broker } : {}),
    },
    'Scaling',
    'ChangingNodeSpec',
    `changing the node spec: ${change}`,
  );
}

/**
 * §5.14: the broker public endpoint needs a load balancer. The spec's is used as given (CDSS judges
 * it); without one, the only candidate C18 lists is taken; none or several stall, listing them.
 * The manager public domain (C19) is its own change.
 */
export function publicAccessChanges(spec: KafkaSpec, o: CdssObservation): Candidate<Action>[] {
  const out: Candidate<Action>[] = [];
  const brokers = spec.publicAccess?.brokers;
  if (brokers && o.brokerPublicEndpoint !== undefined && brokers.enabled !== o.brokerPublicEndpoint) {
    const change = {
      from: `broker public endpoint ${onOff(o.brokerPublicEndpoint)}`,
      to: `broker public endpoint ${onOff(brokers.enabled)}`,
    };
    if (!brokers.enabled) {
      const plan = act<Action>(
        { type: 'DisableBrokerPublicEndpoint' },
        'Running',
        'ChangingPublicAccess',
        'disabling the broker public endpoint',
      );
      out.push({ action: 'DisableBrokerPublicEndpoint', ...change, plan });
    } else out.push({ action: 'EnableBrokerPublicEndpoint', ...change, plan: enableBrokerEndpoint(brokers.loadBalancerInstanceNo, o) });
  }
  const manager = spec.publicAccess?.manager;
  if (manager && o.managerPublicDomain !== undefined && manager.enabled !== o.managerPublicDomain) {
    const plan = act<Action>(
      { type: 'SetManagerPublicDomain', enabled: manager.enabled },
      'Running',
      'ChangingPublicAccess',
      `${manager.enabled ? 'enabling' : 'disabling'} the manager public domain`,
    );
    out.push({
      action: 'SetManagerPublicDomain',
      from: `manager public domain ${onOff(o.managerPublicDomain)}`,
      to: `manager public domain ${onOff(manager.enabled)}`,
      plan,
    });
  }
  return out;
}

function enableBrokerEndpoint(named: string | undefined, o: CdssObservation): Plan {
  const candidates = o.loadBalancers ?? [];
  const lb = named ?? (candidates.length === 1 ? candidates[0]!.loadBalancerInstanceNo : undefined);
  if (lb === undefined) {
    return stall(
      'Running',
      'LoadBalancerRequired',
      candidates.length === 0
        ? 'the broker public endpoint needs a load balancer and CDSS offers none for this cluster: create one in the cluster’s VPC, ' +
            'then set spec.publicAccess.brokers.loadBalancerInstanceNo'
        : `the broker public endpoint needs a load balancer and CDSS offers ${candidates.length}: ${candidates.map(lbName).join(', ')}; ` +
            'set spec.publicAccess.brokers.loadBalancerInstanceNo to one of them',
    );
  }
  return act<Action>(
    { type: 'EnableBrokerPublicEndpoint', loadBalancerInstanceNo: lb },
    'Running',
    'ChangingPublicAccess',
    `enabling the broker public endpoint through load balancer ${lb}`,
  );
}

/** What differs between the spec and the cloud, for ObserveOnly's Drifted message. */
export function driftOf(input: PlanInput, o: CdssObservation, brokers: number): string[] {
  const { spec, configGroup } = input;
  const wantedVersion = String(spec.kafkaVersionCode);
  const drift: string[] = [];
  if (spec.brokerCount !== brokers) drift.push(`spec asks for ${spec.brokerCount} brokers, CDSS has ${brokers}`);
  if (wantedVersion !== o.kafkaVersionCode) drift.push(`spec asks for Kafka version ${wantedVersion}, CDSS runs ${o.kafkaVersionCode}`);
  else if (configGroup.configGroupNo === undefined) drift.push(configGroup.pending);
  else if (o.configGroupNo !== undefined && configGroup.configGroupNo !== o.configGroupNo) {
    drift.push(`spec asks for config group ${configGroup.configGroupNo}, CDSS uses ${o.configGroupNo}`);
  }
  const manager = differs(spec.manager.nodeProductCode, o.managerNodeProductCode);
  if (manager) drift.push(`spec asks for manager node ${manager}, CDSS has ${o.managerNodeProductCode}`);
  const broker = differs(spec.broker.nodeProductCode, o.brokerNodeProductCode);
  if (broker) drift.push(`spec asks for broker nodes ${broker}, CDSS has ${o.brokerNodeProductCode}`);
  const pb = spec.publicAccess?.brokers;
  if (pb && o.brokerPublicEndpoint !== undefined && pb.enabled !== o.brokerPublicEndpoint)
    drift.push(`spec asks for the broker public endpoint ${onOff(pb.enabled)}, CDSS has it ${onOff(o.brokerPublicEndpoint)}`);
  const pm = spec.publicAccess?.manager;
  if (pm && o.managerPublicDomain !== undefined && pm.enabled !== o.managerPublicDomain)
    drift.push(`spec asks for the manager public domain ${onOff(pm.enabled)}, CDSS has it ${onOff(o.managerPublicDomain)}`);
  return drift;
}

/** The spec's code when CDSS reports another one (an unreported code is not a difference). */
const differs = (wanted: string, current: string | undefined) => (current !== undefined && wanted !== current ? wanted : undefined);
const listOf = (codes: string[]) => (codes.length ? codes.join(', ') : 'none');
const onOff = (on: boolean) => (on ? 'on' : 'off');
const lbName = (lb: LoadBalancerChoice) => (lb.name ? `${lb.loadBalancerInstanceNo} (${lb.name})` : lb.loadBalancerInstanceNo);
