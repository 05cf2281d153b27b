// CDSS endpoints: one host per site, one path prefix per region (spec ncloud-cdss-api.md §1).
// The base URL includes the prefix, so operation paths are relative to it. Operator
// configuration may override any region, e.g. to point at a simulator.
import { InvalidSpecError } from '../../runtime/errors.ts';

export type CdssSite = 'public' | 'gov' | 'fin';

interface SiteEndpoints {
  host: string;
  prefixes: Readonly<Record<string, string>>;
}

export const CDSS_SITES: Readonly<Record<CdssSite, SiteEndpoints>> = Object.freeze({
  public: {
    host: 'https://clouddatastreamingservice.apigw.ntruss.com',
    prefixes: { KR: '/api/v1', SGN: '/api/sgn-v1', JPN: '/api/jpn-v1' },
  },
  gov: {
    // KR = capital area (수도권), KRS = southern area (남부권).
    host: 'https://clouddatastreamingservice.apigw.gov-ntruss.com',
    prefixes: { KR: '/api/v1', KRS: '/api/krs-v1' },
  },
  fin: {
    // §1: derived from the SDK/Terraform host rewrite, not checked against docs. The SDK names
    // the region FKR; KR is accepted too since the site already says "financial".
    host: 'https://fin-clouddatastreamingservice.apigw.fin-ntruss.com',
    prefixes: { FKR: '/api/v1', KR: '/api/v1' },
  },
});

/** Every region of every site (§1), for admission: the site itself is operator configuration. */
export const CDSS_REGIONS = ['KR', 'SGN', 'JPN', 'KRS', 'FKR'] as const;

/** Which regions each site serves, in words (CRD description, admission and UnknownRegion messages). */
export const regionsBySite =
  'The public site serves KR, SGN and JPN; the gov site KR (capital area) and KRS (southern area); the fin site FKR ' +
  '(KR there means FKR). The site is operator configuration (CDO_NCLOUD_SITE).';

/**
 * The base URL (host + region prefix, no trailing slash) for `region` on `site`. Region codes
 * are case-insensitive. An override is looked up as `${site}/${REGION}` first (gov and public
 * both have a KR), then as the bare region code, and is used verbatim.
 */
export function cdssBaseUrl(region: string, site: CdssSite = 'public', overrides: Readonly<Record<string, string>> = {}): string {
  const code = region.trim().toUpperCase();
  const override = overrides[`${site}/${code}`] ?? overrides[code] ?? overrides[region];
  if (override !== undefined) return override.replace(/\/+$/, '');
  const endpoints = CDSS_SITES[site] as SiteEndpoints | undefined;
  if (endpoints === undefined) {
    throw new InvalidSpecError('UnknownSite', `NCloud site "${site}" is not one of: ${Object.keys(CDSS_SITES).join(', ')}`);
  }
  const prefix = endpoints.prefixes[code];
  if (prefix === undefined) {
    const known = [...new Set([...Object.keys(endpoints.prefixes), ...Object.keys(overrides)])].sort().join(', ');
    throw new InvalidSpecError(
      'UnknownRegion',
      `NCloud CDSS region "${region}" has no endpoint on the ${site} site this operator is configured for (CDO_NCLOUD_SITE); ` +
        `it serves: ${known}. ${regionsBySite}`,
    );
  }
  return endpoints.host + prefix;
}
