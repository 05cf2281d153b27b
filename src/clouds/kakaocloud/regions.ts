// Default Hadoop Eco endpoints. kr-central-1 lives on a different domain (spec §1.1), so a region
// name alone cannot build every URL: operator configuration may override or add any region.
import { InvalidSpecError } from '../../runtime/errors.ts';

/** The regions Hadoop Eco runs in (spec §1.1): what a spec may name. */
export const HADOOP_ECO_REGIONS = ['kr-central-2', 'kr-central-1'] as const;
export type HadoopEcoRegion = (typeof HADOOP_ECO_REGIONS)[number];

export const HADOOP_ECO_DEFAULT_BASE_URLS: Readonly<Record<string, string>> = Object.freeze({
  'kr-central-2': 'https://hadoop-eco.kr-central-2.kakaocloud.com',
  'kr-central-1': 'https://hadoop-eco.kr-central-1.kakaoi.io',
});

/** The base URL for `region`: an override first, then the defaults. No trailing slash. */
export function hadoopEcoBaseUrl(region: string, overrides: Readonly<Record<string, string>> = {}): string {
  const url = overrides[region] ?? HADOOP_ECO_DEFAULT_BASE_URLS[region];
  if (url === undefined) {
    const known = [...new Set([...Object.keys(HADOOP_ECO_DEFAULT_BASE_URLS), ...Object.keys(overrides)])].sort().join(', ');
    throw new InvalidSpecError('UnknownRegion', `Hadoop Eco region "${region}" has no endpoint; known regions: ${known}`);
  }
  return url.replace(/\/+$/, '');
}
