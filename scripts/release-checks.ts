// What `npm run release` checks before it packages anything, as pure functions over file
// contents (scripts/release.ts reads the files), so each refusal is unit-tested without a tree.
import { createHash } from 'node:crypto';
import { parse } from 'yaml';

/** The files that carry the operator's version, by path, as text. */
export interface VersionSources {
  'package.json': string;
  'package-lock.json': string;
  'deploy/helm/cloud-data-operator/Chart.yaml': string;
  'deploy/base/kustomization.yaml': string;
  'CHANGELOG.md': string;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

/**
 * The release version (package.json's) and every disagreement with it: the lockfile, the chart's
 * version, appVersion and Artifact Hub image tag, the kustomize base's image tag, and a
 * CHANGELOG section for it.
 */
export function checkVersions(src: VersionSources): { version: string; problems: string[] } {
  const raw = (JSON.parse(src['package.json']) as { version?: unknown }).version;
  const version = typeof raw === 'string' ? raw : JSON.stringify(raw ?? null);
  const problems: string[] = [];
  if (!SEMVER.test(version)) problems.push(`package.json version ${JSON.stringify(version)} is not a semantic version`);
  const lock = JSON.parse(src['package-lock.json']) as { version?: string; packages?: Record<string, { version?: string }> };
  const found: Array<[string, unknown]> = [
    ['package-lock.json version', lock.version],
    ['package-lock.json packages[""].version', lock.packages?.['']?.version],
  ];
  const chart = parse(src['deploy/helm/cloud-data-operator/Chart.yaml']) as {
    version?: unknown;
    appVersion?: unknown;
    annotations?: Record<string, string>;
  };
  found.push(['Chart.yaml version', chart.version], ['Chart.yaml appVersion', chart.appVersion]);
  // Artifact Hub lists the image a version runs; its tag is the version.
  const images = parse(chart.annotations?.['artifacthub.io/images'] ?? '[]') as Array<{ image?: string }> | null;
  for (const { image } of images ?? []) found.push(['Chart.yaml artifacthub.io/images tag', image?.split(':').at(-1)]);
  const kustomization = parse(src['deploy/base/kustomization.yaml']) as { images?: Array<{ name?: string; newTag?: unknown }> };
  const image = kustomization.images?.find((i) => i.name === 'cloud-data-operator');
  found.push(['deploy/base/kustomization.yaml images[cloud-data-operator].newTag', image?.newTag]);
  for (const [where, value] of found) {
    if (value !== version) problems.push(`${where} is ${JSON.stringify(value ?? null)}, package.json says ${version}`);
  }
  if (!new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm').test(src['CHANGELOG.md']))
    problems.push(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section`);
  return { version, problems };
}

/** Generated files whose checked-in copy differs from what `npm run generate` would write. */
export function staleGenerated(files: Array<{ path: string; content: string }>, onDisk: (path: string) => string | undefined): string[] {
  return files.filter(({ path, content }) => onDisk(path) !== content).map(({ path }) => path);
}

/** Container images of the Deployments in a rendered manifest that are not `<repository>:<version>`. */
export function wrongImages(docs: unknown[], version: string): string[] {
  const images = docs
    .filter((d): d is { kind: string; spec: { template: { spec: { containers: Array<{ image: string }> } } } } => {
      return typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'Deployment';
    })
    .flatMap((d) => d.spec.template.spec.containers.map((c) => c.image));
  if (images.length === 0) return ['no Deployment with a container'];
  return images.filter((image) => !image.endsWith(`:${version}`));
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A SHA256SUMS file in the format `sha256sum -c` reads: "<hex>  <name>", sorted by name. */
export function sha256sums(files: Array<{ name: string; data: Buffer | string }>): string {
  return [...files]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ name, data }) => `${sha256(data)}  ${name}\n`)
    .join('');
}
