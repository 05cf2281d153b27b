// What a CDSS simulator route handler gets and how routes are registered (server.ts matches
// them; config-group-routes.ts and access-routes.ts add theirs).
import { invalid } from './errors.ts';

export interface Call {
  /** Region path prefix segment: 'v1', 'sgn-v1', 'jpn-v1'. */
  region: string;
  method: string;
  param: string | undefined;
  query: URLSearchParams;
  body: () => unknown;
}
export type Handler = (call: Call) => unknown;
/** Registers `{group}/{op}[/{param}]` for one method (§5.1); any other method is a gateway 404. */
export type On = (group: 'cluster' | 'configGroup', op: string, method: string, param: boolean, handler: Handler) => void;

export function idParam(call: Call): string {
  const p = call.param ?? '';
  if (!/^\d+$/.test(p)) throw invalid('serviceGroupInstanceNo', 'must be an integer path parameter');
  return p;
}

export function groupParam(call: Call): number {
  const p = call.param ?? '';
  if (!/^\d+$/.test(p)) throw invalid('configGroupNo', 'must be an integer path parameter');
  return Number(p);
}
