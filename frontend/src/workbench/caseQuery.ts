// The case list's state lives in the URL query (deep links; back and forward
// restore filters and page). These functions read that query, validate every
// value against what the API accepts, and write the API's query. Pure.
import type { PersonTodoKind } from '../../../backend/src/home/home.types';
import { CATEGORIES, EMPLOYMENT_STATUSES, SERVICE_TYPES } from '../../../backend/src/ledger/ledger.schema';

export { CATEGORIES };
export const EMPLOYMENT = [...EMPLOYMENT_STATUSES, '未填写'] as const;
/** The home page's to-do kinds, each a server-side filter of the list (home_todo_persons.sql). */
export const TODOS: Record<PersonTodoKind, string> = {
  help_due: '今日到期求助',
  no_contact: '下发超期未联系',
  visit_due: '困难毕业生回访到期',
};
export const SORTS = { received: '接收日期', updated: '更新时间', lastService: '最近服务', name: '姓名' } as const;
export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_SIZE = 20;

export type YesNo = 'yes' | 'no';
export type CaseSort = keyof typeof SORTS;

export interface CaseState {
  asOf: string;
  category: string;
  contacted: YesNo | '';
  complete1311: YesNo | '';
  missing: string;
  hardship: YesNo | '';
  noOneOnOne: boolean;
  employment: string;
  overdue: boolean;
  /** A to-do of the home page ('' = none). */
  todo: PersonTodoKind | '';
  /** 无帮扶计划 / 回访逾期 (help plans). */
  noPlan: boolean;
  visitOverdue: boolean;
  sort: CaseSort;
  order: 'asc' | 'desc';
  /** 1-based. */
  page: number;
  size: number;
}

export const DEFAULT_STATE: Readonly<CaseState> = Object.freeze({
  asOf: '',
  category: '',
  contacted: '',
  complete1311: '',
  missing: '',
  hardship: '',
  noOneOnOne: false,
  employment: '',
  overdue: false,
  todo: '',
  noPlan: false,
  visitOverdue: false,
  sort: 'received',
  order: 'desc',
  page: 1,
  size: DEFAULT_SIZE,
});

type RawQuery = Record<string, string | null | undefined | Array<string | null>>;

function one(q: RawQuery, k: string): string {
  const v = q[k];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s : '';
}

const yesNo = (s: string): YesNo | '' => (s === 'yes' || s === 'no' ? s : '');
const oneOf = <T extends string>(s: string, list: readonly T[]): T | '' => ((list as readonly string[]).includes(s) ? (s as T) : '');
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The state a URL query describes; anything unknown or malformed falls back to the default. */
export function parseCaseQuery(q: RawQuery): CaseState {
  const page = Number.parseInt(one(q, 'page'), 10);
  const size = Number.parseInt(one(q, 'size'), 10);
  const sort = one(q, 'sort');
  const order = one(q, 'order');
  const asOf = one(q, 'asOf');
  return {
    asOf: DAY.test(asOf) ? asOf : '',
    category: oneOf(one(q, 'category'), CATEGORIES),
    contacted: yesNo(one(q, 'contacted')),
    complete1311: yesNo(one(q, 'complete1311')),
    // Any service type the API accepts; the page offers the campaign's 1311 components (GET /api/campaign `rule1311`).
    missing: oneOf(one(q, 'missing'), SERVICE_TYPES),
    hardship: yesNo(one(q, 'hardship')),
    noOneOnOne: one(q, 'noOneOnOne') === '1',
    employment: oneOf(one(q, 'employment'), EMPLOYMENT),
    overdue: one(q, 'overdue') === '1',
    todo: oneOf(one(q, 'todo'), Object.keys(TODOS) as PersonTodoKind[]),
    noPlan: one(q, 'noPlan') === '1',
    visitOverdue: one(q, 'visitOverdue') === '1',
    sort: sort in SORTS ? (sort as CaseSort) : DEFAULT_STATE.sort,
    order: order === 'asc' || order === 'desc' ? order : DEFAULT_STATE.order,
    page: Number.isFinite(page) && page >= 1 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_SIZE,
  };
}

/** The URL query of a state: only what differs from the default, in a stable order. */
export function toRouteQuery(s: CaseState): Record<string, string> {
  const out: Record<string, string> = {};
  if (s.asOf) out.asOf = s.asOf;
  if (s.category) out.category = s.category;
  if (s.contacted) out.contacted = s.contacted;
  if (s.complete1311) out.complete1311 = s.complete1311;
  if (s.missing) out.missing = s.missing;
  if (s.hardship) out.hardship = s.hardship;
  if (s.noOneOnOne) out.noOneOnOne = '1';
  if (s.employment) out.employment = s.employment;
  if (s.overdue) out.overdue = '1';
  if (s.todo) out.todo = s.todo;
  if (s.noPlan) out.noPlan = '1';
  if (s.visitOverdue) out.visitOverdue = '1';
  if (s.sort !== DEFAULT_STATE.sort) out.sort = s.sort;
  if (s.order !== DEFAULT_STATE.order) out.order = s.order;
  if (s.page !== 1) out.page = String(s.page);
  if (s.size !== DEFAULT_SIZE) out.size = String(s.size);
  return out;
}

/** The filters only (what the export takes: all pages). */
function filterParams(county: string, s: CaseState): URLSearchParams {
  const p = new URLSearchParams({ county });
  if (s.asOf) p.set('asOf', s.asOf);
  if (s.category) p.set('category', s.category);
  if (s.contacted) p.set('contacted', s.contacted);
  if (s.complete1311) p.set('complete1311', s.complete1311);
  if (s.missing) p.set('missing', s.missing);
  if (s.hardship) p.set('hardship', s.hardship);
  if (s.noOneOnOne) p.set('noOneOnOne', '1');
  if (s.employment) p.set('employment', s.employment);
  if (s.overdue) p.set('overdue', '1');
  if (s.todo) p.set('todo', s.todo);
  if (s.noPlan) p.set('noPlan', '1');
  if (s.visitOverdue) p.set('visitOverdue', '1');
  p.set('sort', s.sort);
  p.set('order', s.order);
  return p;
}

/** GET /api/cases?… for a page of the list. */
export function casesApiUrl(county: string, s: CaseState): string {
  const p = filterParams(county, s);
  p.set('limit', String(s.size));
  p.set('offset', String((s.page - 1) * s.size));
  return `/api/cases?${p.toString()}`;
}

/** GET /api/cases/export.xlsx?… with the same filters and order (every page). */
export function casesExportUrl(county: string, s: CaseState): string {
  return `/api/cases/export.xlsx?${filterParams(county, s).toString()}`;
}

/** A change of filters starts again at page 1; paging keeps the filters. */
export function withFilter(s: CaseState, patch: Partial<Omit<CaseState, 'page'>>): CaseState {
  return { ...s, ...patch, page: 1 };
}

export function pageCount(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

/** Whether any filter narrows the list (for "清除筛选" and the empty state's wording). */
export function hasFilters(s: CaseState): boolean {
  return Boolean(s.category || s.contacted || s.complete1311 || s.missing || s.hardship || s.noOneOnOne || s.employment || s.overdue || s.todo || s.noPlan || s.visitOverdue);
}
