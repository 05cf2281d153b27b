// KafkaConfigGroup (ncloud.cdo.dev/v1alpha1): a named set of Kafka broker settings for one Kafka
// version (spec ncloud-cdss-api.md §5.18). The single source of the kind's TypeScript types, its
// runtime validation and its CRD.
import { z } from 'zod';
import { immutable } from '../../runtime/crd.ts';
import { column, kindResource, managedCrd, type CloudObjectWords } from '../core/crd.ts';
import { changeSafety, commonStatus, deletionPolicy, managementPolicy } from '../core/schema.ts';
import { cdssCredentialsRef, cdssRegion } from '../kafka/schema.ts';

export type KafkaConfigGroupSpec = z.output<typeof configGroupSpecSchema>;
export type KafkaConfigGroupStatus = z.output<typeof configGroupStatusSchema>;

export const configGroupResource = kindResource('ncloud.cdo.dev', 'KafkaConfigGroup');

export const configGroupWords: CloudObjectWords = { noun: 'config group', nameField: 'configGroupName', idField: 'configGroupNo' };

const recreate = 'a CDSS config group belongs to one name and Kafka version; create a new KafkaConfigGroup instead';
const fixed = <T extends z.ZodType>(schema: T, what: string) => immutable(schema, what, recreate);

// §5.18 G2 and §7: the docs allow 3-30 characters, Terraform's provider 3-15. We take the stricter
// (a name Terraform refuses cannot move between the two tools), with the docs' character rules:
// lowercase letters, digits and hyphens, a letter first, a letter or digit last.
export const configGroupNamePattern = '^[a-z][a-z0-9-]{1,13}[a-z0-9]$';
const nameRule = 'must be 3-15 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit';

// Kafka property names as CDSS lists them (G4 `configName`): `log.retention.hours`.
const propertyName = z
  .string()
  .regex(/^[a-z][a-z0-9]*([._-][a-z0-9]+)*$/, 'a Kafka property name such as log.retention.hours')
  .max(255);

export const configGroupSpecSchema = z
  .object({
    configGroupName: fixed(z.string().regex(new RegExp(configGroupNamePattern), nameRule), 'configGroupName')
      .optional()
      .describe(`Name of the CDSS config group; defaults to metadata.name. ${nameRule} (Terraform's limit, stricter than the docs' 30).`),
    region: fixed(cdssRegion, 'region')
      .default('KR')
      .describe('NAVER Cloud region of the config group (the clusters using it are there too).'),
    credentialsSecretRef: cdssCredentialsRef,
    configGroupNo: fixed(z.string().regex(/^\d+$/), 'configGroupNo')
      .optional()
      .describe('Adopt this existing config group (its configGroupNo) instead of creating one.'),
    deletionPolicy,
    managementPolicy,
    ...changeSafety,
    kafkaVersionCode: fixed(z.number().int().min(1), 'kafkaVersionCode').describe(
      'The Kafka version code the group is made for (getCDSSVersionList, e.g. 3903006); only clusters of that version can use it.',
    ),
    description: z.string().max(255).optional().describe('Description shown in the NAVER Cloud console, up to 255 characters.'),
    config: z
      .record(propertyName, z.union([z.string().max(4096), z.number(), z.boolean()]))
      .default({})
      .describe(
        'Kafka broker settings by property name (log.retention.hours: 72). Only the keys given are managed; every other setting keeps ' +
          "CDSS's default. A key CDSS does not know ends Stalled with CDSS's message.",
      ),
  })
  .meta({
    'x-kubernetes-validations': (['configGroupName', 'configGroupNo'] as const).map((f) => ({
      rule: `has(self.${f}) == has(oldSelf.${f})`,
      message: `${f} cannot be added or removed after creation: ${recreate}`,
    })),
  })
  .describe('The CDSS config group this resource asks for: its Kafka version and the broker settings it manages.');

export const configGroupStatusSchema = z
  .object({
    ...commonStatus,
    configGroupNo: z.string().optional().describe("CDSS's number of the config group (what a KafkaCluster's configGroupNo takes)."),
    kafkaVersionCode: z.string().optional().describe('The Kafka version code the group is made for, as CDSS reports it.'),
    description: z.string().optional().describe('The description CDSS reports.'),
    config: z
      .record(z.string(), z.string())
      .optional()
      .describe('The values CDSS reports for the managed keys (its default where the group does not set one).'),
    appliedConfig: z
      .record(z.string(), z.string())
      .optional()
      .describe('The settings last sent to CDSS, to tell a value CDSS did not take from one not yet sent.'),
    usedBy: z
      .array(
        z
          .object({
            clusterName: z.string().describe('Name of the CDSS cluster.'),
            clusterId: z.string().describe('Its CDSS id (serviceGroupInstanceNo).'),
          })
          .describe('A CDSS cluster using the group.'),
      )
      .optional()
      .describe('The CDSS clusters using this config group; it cannot be deleted while any does.'),
  })
  .describe('What the operator last observed of the CDSS config group, and the conditions of this resource.');

export const configGroupCrd = managedCrd({
  resource: configGroupResource,
  words: configGroupWords,
  schemas: { spec: configGroupSpecSchema, status: configGroupStatusSchema },
  shortNames: ['kcg'],
  description:
    'A NAVER Cloud Data Streaming Service Kafka config group (broker settings for one Kafka version), managed by cloud-data-operator.',
  name: {
    valid: (name) => `${name}.matches('${configGroupNamePattern}')`,
    rule: 'CDSS config group name (3-15 lowercase letters, digits and hyphens, letter first)',
  },
  columns: {
    what: [column('Group', '.status.configGroupNo'), column('Version', '.status.kafkaVersionCode')],
    where: [column('Used-By', '.status.usedBy[*].clusterName')],
  },
});
