// Page / sort / filter for the two list endpoints (spec §2.3 clusters, §2.4 VMs), answered in the
// Spring Data `Page` envelope. Parameter parsing mimics Spring's PageableHandlerMethodArgumentResolver
// so clients meet the same leniency they will meet for real: a non-numeric or negative `page`
// falls back to 0, a non-numeric or < 1 `size` to the default 20, sizes above 2000 are capped.
// An unknown sort property is a 400 naming it (Spring Data's PropertyReferenceException).
import { HttpError } from '../common/http.ts';

export interface SortInfo {
  sorted: boolean;
  unsorted: boolean;
  empty: boolean;
}

export interface Page<T> {
  content: T[];
  pageable: { pageNumber: number; pageSize: number; sort: SortInfo; offset: number; paged: boolean; unpaged: boolean };
  totalPages: number;
  totalElements: number;
  last: boolean;
  size: number;
  number: number;
  sort: SortInfo;
  numberOfElements: number;
  first: boolean;
  empty: boolean;
}

export interface SortOrder {
  field: string;
  direction: 'asc' | 'desc';
}

export const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 2000;

function parseNonNegativeInt(raw: string | null): number | undefined {
  if (raw === null || !/^\d+$/.test(raw.trim())) return undefined;
  const n = Number(raw.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

export function parsePaging(query: URLSearchParams): { page: number; size: number } {
  const page = parseNonNegativeInt(query.get('page')) ?? 0;
  const sizeRaw = parseNonNegativeInt(query.get('size'));
  const size = sizeRaw === undefined || sizeRaw < 1 ? DEFAULT_PAGE_SIZE : Math.min(sizeRaw, MAX_PAGE_SIZE);
  return { page, size };
}

/**
 * Repeatable `sort=field,dir` (priority = order given, spec §2.3). As in Spring, `sort=a,b,desc`
 * sorts a and b descending, and a trailing token that is not asc/desc is a property (ascending).
 */
export function parseSort(query: URLSearchParams, sortable: ReadonlySet<string>, fallback: SortOrder[], entity: string): SortOrder[] {
  const params = query.getAll('sort').filter((s) => s.trim() !== '');
  if (params.length === 0) return fallback;
  const orders: SortOrder[] = [];
  for (const param of params) {
    const tokens = param
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const last = tokens[tokens.length - 1]?.toLowerCase();
    const direction = last === 'desc' ? 'desc' : 'asc';
    const fields = last === 'asc' || last === 'desc' ? tokens.slice(0, -1) : tokens;
    for (const field of fields) {
      if (!sortable.has(field))
        throw new HttpError(400, `sort: no property '${field}' found for type '${entity}' (sortable: ${[...sortable].join(', ')})`);
      orders.push({ field, direction });
    }
  }
  return orders.length > 0 ? orders : fallback;
}

/** Spring's boolean conversion: true/false/on/off/yes/no/1/0, case-insensitive. */
export function parseBooleanParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null || raw.trim() === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['true', 'on', 'yes', '1'].includes(v)) return true;
  if (['false', 'off', 'no', '0'].includes(v)) return false;
  throw new HttpError(400, `${name}: failed to convert value '${raw}' to required type 'boolean'`);
}

/**
 * "like" filters (spec §2.3, §2.4, §5 #6) are substring matches. Case-insensitive, as a SQL LIKE
 * under MySQL's default collation would be [INF].
 */
export function likeMatch(value: string | undefined, needle: string | null): boolean {
  if (needle === null || needle === '') return true;
  return value !== undefined && value.toLowerCase().includes(needle.toLowerCase());
}

type Comparable = string | number | boolean | null | undefined;

function compareValues(a: Comparable, b: Comparable): number {
  // Nulls sort first ascending (MySQL's ordering of NULL).
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}

/** Stable multi-key sort; ties keep input order, so results are deterministic. */
export function sortBy<T>(items: readonly T[], orders: readonly SortOrder[], get: (item: T, field: string) => Comparable): T[] {
  return [...items].sort((x, y) => {
    for (const o of orders) {
      const c = compareValues(get(x, o.field), get(y, o.field));
      if (c !== 0) return o.direction === 'asc' ? c : -c;
    }
    return 0;
  });
}

/** 0-based page slice in the Spring `Page` envelope (field order as in the seed's examples). */
export function toPage<T>(items: readonly T[], page: number, size: number, sorted: boolean): Page<T> {
  const offset = page * size;
  const content = items.slice(offset, offset + size);
  const totalElements = items.length;
  const totalPages = Math.ceil(totalElements / size);
  const sort: SortInfo = { sorted, unsorted: !sorted, empty: !sorted };
  return {
    content,
    pageable: { pageNumber: page, pageSize: size, sort: { ...sort }, offset, paged: true, unpaged: false },
    totalPages,
    totalElements,
    last: page + 1 >= totalPages,
    size,
    number: page,
    sort,
    numberOfElements: content.length,
    first: page === 0,
    empty: content.length === 0,
  };
}
