// `kubectl cdo plan -f manifest.yaml`: what the operator would do if the manifest were applied,
// against the live resource and the cloud, changing nothing. Each object of the operator's kinds is
// read from the API server, merged with the manifest as an apply would, and previewed by the same
// pass the operator runs (reconciler.ts previewPass): same Secrets, same cloud reads, same plan,
// same gate. It needs the rights to read those objects and Secrets, and the operator's cloud
// endpoint settings (CDO_* variables; the defaults are the real clouds).
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import type { Logger } from 'pino';
import { CloudHttp } from '../clouds/http.ts';
import type { Config } from '../config.ts';
import type { KindDescriptor } from '../resources/core/descriptor.ts';
import { objectPath, type KubeClient } from '../runtime/kube.ts';
import type { KubeObject } from '../runtime/object.ts';
import { proposedObject, sameSpec, type ManifestDoc } from './plan-objects.ts';
import { planReport, type PlanReport } from './plan-report.ts';

export interface PlanEnv {
  client: KubeClient;
  config: Config;
  log: Logger;
  kinds: readonly KindDescriptor[];
  /** -n, else the kubeconfig context's namespace. */
  namespace: string;
}

/** The documents of the files ("-" is standard input). */
export async function readManifests(files: readonly string[], stdin: () => Promise<string>): Promise<ManifestDoc[]> {
  const docs: ManifestDoc[] = [];
  for (const file of files) {
    const text = file === '-' ? await stdin() : await readFile(file, 'utf8');
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      const value = doc.toJS() as ManifestDoc | null;
      if (value && typeof value === 'object') docs.push(...(isList(value) ? value.items : [value]));
    }
  }
  return docs;
}

const isList = (v: ManifestDoc): v is ManifestDoc & { items: ManifestDoc[] } =>
  v.kind === 'List' && Array.isArray((v as { items?: unknown }).items);

/** One report per object of the operator's kinds; other objects are named in `skipped`. */
export async function plan(env: PlanEnv, docs: readonly ManifestDoc[]): Promise<{ reports: PlanReport[]; skipped: string[] }> {
  const http = new CloudHttp({ log: env.log, rateLimit: { qps: env.config.CDO_CLOUD_QPS, burst: env.config.CDO_CLOUD_BURST } });
  const reports: PlanReport[] = [];
  const skipped: string[] = [];
  for (const doc of docs) {
    const kind = env.kinds.find((k) => doc.apiVersion === `${k.crd.group}/${k.crd.version}` && doc.kind === k.crd.kind);
    const name = doc.metadata?.name;
    if (!kind || !name) {
      skipped.push(`${doc.kind ?? '?'} ${name ?? '?'}`);
      continue;
    }
    const namespace = doc.metadata?.namespace ?? env.namespace;
    const live = await env.client.getIfExists<KubeObject>(objectPath(kind.crd.resource, namespace, name));
    const changed = !live || !sameSpec((spec) => kind.crd.spec.parse(spec), live['spec'], doc.spec);
    const object = proposedObject(doc, live, namespace, changed);
    const preview = await kind.preview({ client: env.client, config: env.config, http, log: env.log }, object);
    const generation = { from: live?.metadata.generation, to: object.metadata.generation ?? 1 };
    reports.push(planReport({ kind: kind.crd.kind, namespace, name, live: live !== undefined, generation }, preview));
  }
  return { reports, skipped };
}
