// What `kubectl cdo import` gets from each kind's inverse mapping (<kind>/import.ts): the spec that
// adopts a cloud cluster, the Secrets the user must create for the passwords the cloud never
// returns, and notes on what could not be imported.
import type { z } from 'zod';

/** A password reference in the imported spec whose Secret the user creates. */
export interface SecretToFill {
  /** Where in the spec, e.g. manager.passwordSecretRef. */
  path: string;
  name: string;
  key: string;
  /** What the password is, for the comment ("the Kafka manager (CMAK) password"). */
  what: string;
}

/** What the user gives `kubectl cdo import`, beside the cluster. */
export interface ImportOptions<Region extends string> {
  region: Region;
  /** The credentials Secret the resource names (the one import read). */
  credentialsSecret: string;
  /** metadata.name of the resource, the prefix of the password Secrets to fill in. */
  resourceName: string;
}

/**
 * The fields every adopting spec starts with, whatever the kind: the cloud cluster's identity, the
 * credentials import read with, and the safe policies. Retain, because the cluster existed before
 * the resource: deleting the resource must not delete it unless the user decides so; Manage,
 * because adopting is meant to hand the cluster to the operator (ObserveOnly is one edit away).
 */
export function adoptingFields<Region extends string>(id: string, name: string, opts: ImportOptions<Region>) {
  return {
    clusterId: id,
    clusterName: name,
    region: opts.region,
    credentialsSecretRef: { name: opts.credentialsSecret },
    deletionPolicy: 'Retain' as const,
    managementPolicy: 'Manage' as const,
  };
}

/** A password Secret reference to fill in, `<resource>-<suffix>` key `password`, recorded in `secrets`. */
export function passwordToFill(secrets: SecretToFill[], resourceName: string, path: string, suffix: string, what: string) {
  const ref = { name: `${resourceName}-${suffix}`, key: 'password' };
  secrets.push({ path, ...ref, what });
  return ref;
}

export interface ImportedSpec<S> {
  spec: S;
  secrets: SecretToFill[];
  /** What the cloud did not tell, in words, for comments in the manifest. */
  notes: string[];
}

/** The cloud's answer does not make a spec the kind's schema accepts (a field it left empty, a value out of range). */
export class ImportMappingError extends Error {
  constructor(kind: string, id: string, error: z.ZodError) {
    const issues = error.issues.map((i) => `spec.${i.path.join('.')}: ${i.message}`).join('; ');
    super(`the cloud's answer for cluster ${id} does not make a valid ${kind} spec: ${issues}`);
    this.name = 'ImportMappingError';
  }
}
