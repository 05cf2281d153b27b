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
