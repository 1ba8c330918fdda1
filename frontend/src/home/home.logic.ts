// What the home page computes from the API's answers: the campaign-bound day,
// change since last week, the links of the to-do list. Pure: unit-tested.
import type { CampaignDay } from '../../../backend/src/metrics/metrics.types';
import type { TodoKind } from '../../../backend/src/home/home.types';
import type { RateKey, TrendPoint } from '../workbench/types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isRealDay(s: unknown): s is string {
  if (typeof s !== 'string' || !DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A picker's bounds: from the campaign's first valid day to its current day (no day without data yet). */
export function pickerBounds(c: Pick<CampaignDay, 'from' | 'day'>): { min: string; max: string } {
  return { min: c.from, max: c.day };
}

/** Why a day cannot be chosen ('' = it can). */
export function dayProblem(day: string, c: Pick<CampaignDay, 'from' | 'day'>): string {
  if (!isRealDay(day)) return '请输入有效日期（YYYY-MM-DD）';
  const { min, max } = pickerBounds(c);
  if (day < min || day > max) return `请选择攻坚行动期间 ${min} 至 ${max} 之间的日期`;
  return '';
}

/** The day a page shows: the URL's when it is inside the campaign, else the campaign's current day. */
export function pageDay(query: unknown, c: Pick<CampaignDay, 'from' | 'day'>): string {
  return isRealDay(query) && !dayProblem(query, c) ? query : c.day;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A rate's change over the 7 days up to `day` (from the daily trend); null when either end is unknown. */
export function weekChange(trend: readonly TrendPoint[], day: string, key: RateKey): number | null {
  const now = trend.find((t) => t.asOf === day)?.[key] ?? null;
  const before = trend.find((t) => t.asOf === addDays(day, -7))?.[key] ?? null;
  return now === null || before === null ? null : now - before;
}

/** "+1.2" / "−0.4" / "0.0" percentage points; null → —. */
export function points(delta: number | null): string {
  if (delta === null || !Number.isFinite(delta)) return '—';
  const p = Math.round(delta * 1000) / 10;
  if (p === 0) return '0.0';
  return `${p > 0 ? '+' : '−'}${Math.abs(p).toFixed(1)}`;
}

/** Where a to-do item opens: the county's case list with the to-do filter, or the dispatch orders awaiting a reply. */
export function todoLink(kind: TodoKind, county: string, day: string): string {
  if (kind === 'dispatch_awaiting') return `/alerts?tab=dispatch&awaiting=1`;
  return `/r/${county}/cases?asOf=${day}&todo=${kind}`;
}

/** Where an alert rule's row opens: the alert centre filtered on the rule and region. */
export function alertLink(rule: string, region: string): string {
  return `/alerts?rule=${encodeURIComponent(rule)}&region=${region}`;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
