// The alert centre's state lives in the URL query (deep links; back and forward
// restore filters, page and the open alert). These functions read that query,
// keep only values the API accepts, and write the API's query. Pure.

import {
  LEVEL_LABELS, RULE_KEYS, RULE_LABELS, SEVERITIES as SEVERITY_KEYS, SEVERITY_LABELS, STATE_LABELS,
  type Level, type RuleKey, type Severity,
} from '../../../backend/src/alerts/alerts.types';

/** The rules, as the backend defines them (backend/src/alerts/alerts.types.ts). */
export const RULES = RULE_KEYS;
export type Rule = RuleKey;
export type { Level, Severity };
/** Labels for the page before GET /api/alerts/rules answers (the same labels the API sends). */
export { RULE_LABELS };

/** The severities with their labels, most urgent first (the order of the filter and the counts). */
export const SEVERITIES = Object.fromEntries([...SEVERITY_KEYS].reverse().map((k) => [k, SEVERITY_LABELS[k]])) as Record<Severity, string>;
/** The state filter: the alert states and two of the page's own, 未解除 (open or acknowledged) and 全部. */
export const STATES = { unresolved: '未解除', ...STATE_LABELS, all: '全部' } as const;
export type StateFilter = keyof typeof STATES;
export const LEVELS = LEVEL_LABELS;
/** Age filter: at least this many days open. */
export const AGES = { '': '不限', '1': '≥1天', '3': '≥3天', '7': '≥7天', '14': '≥14天' } as const;
export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_SIZE = 20;

export interface AlertsState {
  tab: 'alerts' | 'dispatch';
  /** Alerts tab: grouped by region × rule (the default), or one row per alert. */
  view: 'groups' | 'list';
  /** Groups view: the expanded group, 'REGION:rule'. */
  group: string;
  rule: Rule | '';
  region: string;
  state: StateFilter;
  severity: Severity | '';
  level: Level | '';
  ageMin: '' | '1' | '3' | '7' | '14';
  page: number;
  size: number;
  /** The alert whose detail is open. */
  id: string;
  /** The dispatch order whose detail is open. */
  order: string;
  /** Dispatch tab: only overdue orders. */
  overdue: boolean;
  /** Dispatch tab: only orders awaiting the county's first reply (status issued; the home page's to-do). */
  awaiting: boolean;
}

export const DEFAULT_STATE: Readonly<AlertsState> = Object.freeze({
  tab: 'alerts', view: 'groups', group: '', rule: '', region: '', state: 'unresolved', severity: '', level: '', ageMin: '', page: 1, size: DEFAULT_SIZE, id: '', order: '', overdue: false, awaiting: false,
});

type RawQuery = Record<string, string | null | undefined | Array<string | null>>;

function one(q: RawQuery, k: string): string {
  const v = q[k];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s : '';
}

function oneOf<T extends string>(s: string, list: readonly T[]): T | '' {
  return (list as readonly string[]).includes(s) ? (s as T) : '';
}

/** The state a URL query describes; anything unknown or malformed falls back to the default. */
export function parseAlertsQuery(q: RawQuery): AlertsState {
  const page = Number.parseInt(one(q, 'page'), 10);
  const size = Number.parseInt(one(q, 'size'), 10);
  const region = one(q, 'region');
  const id = one(q, 'id');
  const order = one(q, 'order');
  return {
    tab: one(q, 'tab') === 'dispatch' ? 'dispatch' : 'alerts',
    view: one(q, 'view') === 'list' || one(q, 'view') === 'groups' ? (one(q, 'view') as 'list' | 'groups') : defaultView(oneOf(one(q, 'rule'), RULES), /^[0-9a-f]{16}$/.test(id) ? id : ''),
    group: /^\d{6}:[a-z0-9_]{2,40}$/.test(one(q, 'group')) ? one(q, 'group') : '',
    rule: oneOf(one(q, 'rule'), RULES),
    region: /^\d{6}$/.test(region) ? region : '',
    state: oneOf(one(q, 'state'), Object.keys(STATES) as StateFilter[]) || 'unresolved',
    severity: oneOf(one(q, 'severity'), Object.keys(SEVERITIES) as Severity[]),
    level: oneOf(one(q, 'level'), Object.keys(LEVELS) as Level[]),
    ageMin: oneOf(one(q, 'ageMin'), ['1', '3', '7', '14'] as const),
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_SIZE,
    id: /^[0-9a-f]{16}$/.test(id) ? id : '',
    order: /^D\d{8}-[0-9a-f]{6}$/.test(order) ? order : '',
    overdue: one(q, 'overdue') === '1',
    awaiting: one(q, 'awaiting') === '1',
  };
}

/**
 * The view a URL without `view` opens: the groups, unless it names a rule or one alert — a notice's link
 * (`/alerts?rule=…&region=…`) asks for those alerts themselves, one row each.
 */
function defaultView(rule: string, id: string): 'groups' | 'list' {
  return rule || id ? 'list' : 'groups';
}

/** The URL query of a state: defaults left out, so links stay short and stable. */
export function toRouteQuery(s: AlertsState): Record<string, string> {
  const out: Record<string, string> = {};
  if (s.tab !== 'alerts') out.tab = s.tab;
  if (s.view !== defaultView(s.rule, s.id)) out.view = s.view;
  if (s.group) out.group = s.group;
  if (s.rule) out.rule = s.rule;
  if (s.region) out.region = s.region;
  if (s.state !== 'unresolved') out.state = s.state;
  if (s.severity) out.severity = s.severity;
  if (s.level) out.level = s.level;
  if (s.ageMin) out.ageMin = s.ageMin;
  if (s.page !== 1) out.page = String(s.page);
  if (s.size !== DEFAULT_SIZE) out.size = String(s.size);
  if (s.id) out.id = s.id;
  if (s.order) out.order = s.order;
  if (s.overdue) out.overdue = '1';
  if (s.awaiting) out.awaiting = '1';
  return out;
}

/** GET /api/alerts?… for a state. */
export function toApiQuery(s: AlertsState): string {
  const p = new URLSearchParams();
  if (s.rule) p.set('rule', s.rule);
  if (s.region) p.set('region', s.region);
  p.set('state', s.state);
  if (s.severity) p.set('severity', s.severity);
  if (s.level) p.set('level', s.level);
  if (s.ageMin) p.set('ageMin', s.ageMin);
  p.set('limit', String(s.size));
  p.set('offset', String((s.page - 1) * s.size));
  return p.toString();
}

/** A filter change starts again at page 1 and closes the open alert. */
export function withFilter(s: AlertsState, patch: Partial<AlertsState>): AlertsState {
  return { ...s, ...patch, page: 1, id: '' };
}

export function formatAge(hours: number | null): string {
  if (hours === null) return '—';
  if (hours < 1) return '不足1小时';
  if (hours < 24) return `${hours}小时`;
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return h ? `${d}天${h}小时` : `${d}天`;
}

export type RowAction = { type: 'focus'; index: number } | { type: 'open'; index: number } | { type: 'toggle'; index: number } | null;

/** Keyboard use of the alert table: arrows move, Home/End jump, Enter opens, Space selects. */
export function rowKeyAction(key: string, index: number, count: number): RowAction {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowDown':
      return { type: 'focus', index: Math.min(count - 1, index + 1) };
    case 'ArrowUp':
      return { type: 'focus', index: Math.max(0, index - 1) };
    case 'Home':
      return { type: 'focus', index: 0 };
    case 'End':
      return { type: 'focus', index: count - 1 };
    case 'Enter':
      return { type: 'open', index };
    case ' ':
    case 'Spacebar':
      return { type: 'toggle', index };
    default:
      return null;
  }
}
