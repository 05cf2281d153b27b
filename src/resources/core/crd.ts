// What every managed kind's CRD has in common: the `cdo` category beside its cloud's, the rule that
// metadata.name must be a valid cloud cluster name unless spec.clusterName is set, and the Phase,
// Ready, Reason, Pending, Next Window and Age columns, with Held, the cloud id, Last Transition and
// Message under -o wide (kstatus readers and `kubectl get cdo` see every kind alike).
import type { z } from 'zod';
import type { CrdDefinition, PrinterColumn } from '../../runtime/crd.ts';
import type { ResourceType } from '../../runtime/kube.ts';

/**
 * How a kind names the cloud object it manages, for the spec fields the core reads and for its
 * messages: a cluster (`spec.clusterName`, adopted by `spec.clusterId`) or, for example, a config
 * group (`spec.configGroupName`, `spec.configGroupNo`).
 */
export interface CloudObjectWords {
  /** "cluster", "config group". */
  noun: string;
  /** The spec field naming the cloud object (metadata.name when omitted). */
  nameField: string;
  /** The spec field that adopts an existing cloud object by its id. */
  idField: string;
}

export const clusterWords: CloudObjectWords = { noun: 'cluster', nameField: 'clusterName', idField: 'clusterId' };

export interface ManagedCrd<Spec, Status> {
  resource: ResourceType;
  /** Default: a cluster (clusterWords). */
  words?: CloudObjectWords;
  schemas: { spec: z.ZodType<Spec, unknown>; status: z.ZodType<Status, unknown> };
  shortNames: string[];
  description: string;
  /** The cloud cluster's name: CEL that holds when `name` (a CEL expression) is valid, and the rule in words. */
  name: { valid(name: string): string; rule: string };
  /** The field the scale subresource reads: `.spec.<replicas>` and `.status.<replicas>`; none when omitted. */
  replicas?: string;
  /** Columns before Phase and Ready (what the cluster is) and after them (where to reach it). */
  columns: { what: PrinterColumn[]; where: PrinterColumn[] };
}

/** A kind of the operator: its group, the shared version, and the plural Kubernetes derives (lower case + s). */
export function kindResource(group: string, kind: string): ResourceType {
  return { group, version: 'v1alpha1', plural: `${kind.toLowerCase()}s`, kind };
}

/** A printer column; counts are integers, everything else is shown as a string. */
export function column(name: string, jsonPath: string, type: PrinterColumn['type'] = 'string'): PrinterColumn {
  return { name, type, jsonPath };
}

/** A kind's CRD, with its resource type and its typed schemas for the core to parse with. */
export interface KindCrd<Spec, Status> extends CrdDefinition {
  resource: ResourceType;
  spec: z.ZodType<Spec, unknown>;
  status: z.ZodType<Status, unknown>;
  words: CloudObjectWords;
}

/** The singular is the kind in lower case, and the category beside `cdo` is the cloud: the group's first label. */
export function managedCrd<Spec, Status>({
  resource,
  schemas,
  name,
  replicas,
  columns,
  words = clusterWords,
  ...crd
}: ManagedCrd<Spec, Status>): KindCrd<Spec, Status> {
  return {
    ...resource,
    ...crd,
    ...schemas,
    resource,
    words,
    singular: resource.kind.toLowerCase(),
    categories: ['cdo', resource.group.split('.')[0]!],
    ...(replicas !== undefined ? { scale: { specReplicasPath: `.spec.${replicas}`, statusReplicasPath: `.status.${replicas}` } } : {}),
    validations: [
      {
        rule: `has(self.spec.${words.nameField}) || ${name.valid('self.metadata.name')}`,
        message: `metadata.name is not a valid ${name.rule}; set spec.${words.nameField}`,
      },
    ],
    printerColumns: [
      ...columns.what,
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Ready', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
      // Ready's reason is the reason of whichever kstatus condition holds (Running, AddingBrokers,
      // CredentialsInvalid …: conditions.ts gives Ready the state's reason), so one column says why.
      {
        name: 'Reason',
        type: 'string',
        jsonPath: ".status.conditions[?(@.type=='Ready')].reason",
        description: 'Why the resource is (not) Ready: the reason of Ready, Reconciling or Stalled, whichever holds',
      },
      // Safe changes (changes.ts): what the plan holds and when the window it waits for opens.
      {
        name: 'Pending',
        type: 'string',
        // A summary field: a printer column shows only the first value of a list.
        jsonPath: '.status.pendingChangeIds',
        description: 'Ids of the changes the operator intends to make',
      },
      {
        name: 'Next Window',
        type: 'string',
        jsonPath: '.status.nextMaintenanceWindow',
        description: 'When the maintenance window a change waits for opens',
      },
      {
        name: 'Held',
        type: 'string',
        jsonPath: ".status.conditions[?(@.type=='ChangesPending')].reason",
        description: 'Why a change waits: AwaitingApproval or AwaitingMaintenanceWindow',
        priority: 1,
      },
      ...columns.where,
      // -o wide: which cloud object, since when the Ready condition says what it says, and its message.
      {
        // "Cluster ID", "Config Group ID": status.clusterId holds the cloud's id of either.
        name: `${words.noun.replace(/\b\w/g, (c) => c.toUpperCase())} ID`,
        type: 'string',
        jsonPath: '.status.clusterId',
        description: `The cloud's id of the ${words.noun}`,
        priority: 1,
      },
      {
        name: 'Last Transition',
        type: 'date',
        jsonPath: ".status.conditions[?(@.type=='Ready')].lastTransitionTime",
        description: 'When Ready last changed status',
        priority: 1,
      },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      {
        name: 'Message',
        type: 'string',
        jsonPath: ".status.conditions[?(@.type=='Ready')].message",
        description: 'What the operator is doing, or what a human must do (the message of Ready)',
        priority: 1,
      },
    ],
  };
}
