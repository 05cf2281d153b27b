// Loads the sample resources in deploy/examples/ (the seed's examples as Kubernetes objects).
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';

export async function loadExample(path: string): Promise<any[]> {
  const text = await readFile(new URL(`../../deploy/examples/${path}`, import.meta.url), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJS());
}

/** stringData of the sample Secrets, by Secret name. */
export async function exampleSecrets(dir: string): Promise<Record<string, Record<string, string>>> {
  const docs = await loadExample(`${dir}/00-secrets.yaml`);
  return Object.fromEntries(docs.map((d) => [d.metadata.name, d.stringData]));
}
