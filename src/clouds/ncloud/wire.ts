// What every CDSS call needs besides its path: the transport the client lends to its helper
// modules (config-groups.ts, node-spec.ts, public-access.ts), request validation, id and number
// checks, and the pagination rule (spec ncloud-cdss-api.md §3, §6).
import type { z } from 'zod';
import { InvalidSpecError } from '../../runtime/errors.ts';
import type { HttpMethod } from '../http.ts';
import type { Envelope } from './types.ts';

// A server that never says `isLast` must not keep a loop going forever.
export const MAX_PAGES = 1_000;
export const ALL_PAGE_SIZE = 100;

export interface SendOptions {
  body?: unknown;
  /** Only real reads (§6 #1); a mutating GET (C17, C19) is never idempotent. */
  idempotent: boolean;
  /** Extra values to keep out of error messages (a password being set). */
  secrets?: readonly string[];
}

/** The client's signed request and result parsing, lent to the modules that build CDSS calls. */
export interface CdssTransport {
  send(operation: string, method: HttpMethod, path: string, opts: SendOptions): Promise<Envelope>;
  result<S extends z.ZodType>(schema: S, env: Envelope, operation: string): z.output<S>;
}

export function isLastPage(
  p: { isLast?: boolean | null; totalPage?: number | null; currentPage?: number | null },
  pageNo: number,
  itemsOnPage: number,
): boolean {
  if (p.isLast === true || itemsOnPage === 0) return true;
  if (p.isLast === false) return false;
  return typeof p.totalPage === 'number' ? pageNo >= p.totalPage : true;
}

/**
 * Every item of a paged POST read, page by page until `isLast` (§6 #4: 1-based, paging in the
 * body; Terraform forgets to paginate). No result ends the list. A read, so retried.
 */
export async function readAllPages<S extends z.ZodType<{ isLast?: boolean | null; totalPage?: number | null }>, T>(
  t: CdssTransport,
  call: { operation: string; path: string; body?: Record<string, unknown>; schema: S; items: (page: z.output<S>) => T[] },
): Promise<T[]> {
  const out: T[] = [];
  for (let pageNo = 1; pageNo <= MAX_PAGES; pageNo++) {
    const env = await t.send(call.operation, 'POST', call.path, {
      body: { ...call.body, pageNo, pageSize: ALL_PAGE_SIZE },
      idempotent: true,
    });
    if (env.result === null || env.result === undefined) break;
    const page = t.result(call.schema, env, call.operation);
    const items = call.items(page);
    out.push(...items);
    if (isLastPage(page, pageNo, items.length)) break;
  }
  return out;
}

/** Cluster ids are decimal numbers (§6 #3); anything else must not reach a URL path. */
export function clusterId(id: string | number): string {
  const s = String(id).trim();
  if (!/^\d+$/.test(s)) throw new InvalidSpecError('InvalidClusterId', `CDSS cluster id must be a decimal number, got "${s.slice(0, 40)}"`);
  return s;
}

export function wireNumber(v: string | number, field: string): number {
  const s = String(v).trim();
  const n = Number(s);
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(n))
    throw new InvalidSpecError('InvalidRequest', `CDSS ${field} must be a decimal integer, got "${s.slice(0, 40)}"`);
  return n;
}

export function validate<S extends z.ZodType>(schema: S, value: unknown, reason: string, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidSpecError(reason, `CDSS ${what} is invalid: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

// Paths and zod's messages only: a rejected value may be a password.
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
