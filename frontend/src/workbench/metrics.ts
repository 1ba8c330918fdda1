// What the workbench says about metrics: labels, the columns of the children
// table, sorting, gaps to the target path. Pure: unit-tested.
import type { LagReason, LaggingRegion, Metrics, RateKey, RegionMetrics, TargetStatus } from './types';
import { DASH, int, pct } from '../screen/options/format';

export { DASH, int, pct };

export const RATE_KEYS: readonly RateKey[] = ['contactRate', 'rate1311', 'employmentRate', 'hardshipOneOnOneRate', 'helpSlaRate'];

export const RATE_LABEL: Record<RateKey, string> = {
  contactRate: '联系率',
  rate1311: '1311完成率',
  employmentRate: '就业率',
  hardshipOneOnOneRate: '一对一帮扶率',
  helpSlaRate: '求助及时联系率',
};

/** Rates whose target path rises linearly from 0 at the campaign start (docs/metrics.md); the others are flat. */
export const RISING: ReadonlySet<RateKey> = new Set<RateKey>(['contactRate', 'rate1311', 'employmentRate']);

/** Numerator and denominator of each rate, for "已联系 2,345 / 2,500 人". */
export const RATE_PARTS: Record<RateKey, { num: keyof Metrics; den: keyof Metrics; unit: string }> = {
  contactRate: { num: 'contacted', den: 'received', unit: '人' },
  rate1311: { num: 'completed1311', den: 'intentEmployment', unit: '人' },
  employmentRate: { num: 'employed', den: 'received', unit: '人' },
  hardshipOneOnOneRate: { num: 'hardshipOneOnOne', den: 'hardship', unit: '人' },
  helpSlaRate: { num: 'helpContactedInSla', den: 'helpRequests', unit: '件' },
};

export type SortKey = 'name' | 'received' | RateKey | 'helpOverdue';
export type SortDir = 'asc' | 'desc';

export interface Column {
  key: SortKey;
  label: string;
  kind: 'name' | 'count' | 'rate';
}

/** The children table: every column sorts. */
export const CHILD_COLUMNS: readonly Column[] = [
  { key: 'name', label: '地区', kind: 'name' },
  { key: 'received', label: '接收人数', kind: 'count' },
  ...RATE_KEYS.map((k) => ({ key: k, label: RATE_LABEL[k], kind: 'rate' as const })),
  { key: 'helpOverdue', label: '超时求助', kind: 'count' },
];

export function isSortKey(s: unknown): s is SortKey {
  return typeof s === 'string' && CHILD_COLUMNS.some((c) => c.key === s);
}

/** The direction a first click on a column sorts by: names A→Z, numbers worst first for rates, largest first for counts. */
export function defaultDir(key: SortKey): SortDir {
  if (key === 'name') return 'asc';
  if (key === 'received' || key === 'helpOverdue') return 'desc';
  return 'asc';
}

/** Clicking a column: the same column flips, another starts at its default direction. */
export function nextSort(cur: { key: SortKey; dir: SortDir } | null, key: SortKey): { key: SortKey; dir: SortDir } {
  if (cur && cur.key === key) return { key, dir: cur.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: defaultDir(key) };
}

const collator = new Intl.Collator('zh-Hans-CN');

/** Sorts a copy; regions without a value (rate undefined) always go last, ties keep code order. */
export function sortRegions<T extends RegionMetrics>(rows: readonly T[], key: SortKey, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (key === 'name') return sign * collator.compare(a.name, b.name) || a.region.localeCompare(b.region);
    const va = a[key];
    const vb = b[key];
    if (va === null && vb === null) return a.region.localeCompare(b.region);
    if (va === null) return 1;
    if (vb === null) return -1;
    return sign * (va - vb) || a.region.localeCompare(b.region);
  });
}

/** A gap in percentage points, signed with a real minus: −3.2 / +1.0 / 0.0; null → —. */
export function gapPoints(gap: number | null | undefined): string {
  if (gap === null || gap === undefined || !Number.isFinite(gap)) return DASH;
  const pts = Math.round(gap * 1000) / 10;
  if (pts === 0) return '0.0';
  return `${pts > 0 ? '+' : '−'}${Math.abs(pts).toFixed(1)}`;
}

export type GapTone = 'good' | 'near' | 'behind' | 'none';

/** Met the path / within 5 points / further behind. */
export function gapTone(gap: number | null | undefined): GapTone {
  if (gap === null || gap === undefined || !Number.isFinite(gap)) return 'none';
  if (gap >= -1e-9) return 'good';
  if (gap >= -0.05) return 'near';
  return 'behind';
}

export function gapOf(value: number | null, t: TargetStatus | undefined): number | null {
  if (value === null || !t) return null;
  return value - t.path;
}

/** A lag reason in a clerk's words. */
export function lagText(r: LagReason): string {
  const label = RATE_LABEL[r.metric];
  if (r.reason === 'below_target') return `${label}低于目标进度${r.gap === null ? '' : ` ${gapPoints(r.gap)} 个百分点`}`;
  return `${label}处于同级后四分之一`;
}

/** Lag reasons by child code, and per child the rates that lag. */
export function lagIndex(lagging: readonly LaggingRegion[]): Map<string, { reasons: LagReason[]; metrics: Set<RateKey> }> {
  return new Map(lagging.map((l) => [l.region, { reasons: l.reasons, metrics: new Set(l.reasons.map((r) => r.metric)) }]));
}

/** Width of a rate bar in percent of the cell (0–100). */
export function barWidth(v: number | null): number {
  if (v === null || !Number.isFinite(v)) return 0;
  return Math.max(0, Math.min(100, v * 100));
}

/** "第 3 / 11" or — */
export function rankText(r: { rank: number; of: number } | null | undefined): string {
  return r ? `第 ${r.rank} / ${r.of}` : DASH;
}

export interface ComponentRow {
  type: string;
  min: number;
  /** Job-seekers who still miss this component. */
  missing: number;
  /** missing ÷ job-seekers (null without job-seekers). */
  share: number | null;
}

/** The 1311 components from the wall's funnel (persons meeting each) as "who still misses what". */
export function componentsFromFunnel(f: { jobSeekers: number; components: ReadonlyArray<{ type: string; min: number; count: number }> }): ComponentRow[] {
  return f.components.map((c) => {
    const missing = Math.max(0, f.jobSeekers - c.count);
    return { type: c.type, min: c.min, missing, share: f.jobSeekers ? missing / f.jobSeekers : null };
  });
}

/** Children with the most of something still open (most first, at most `n`, zeros left out). */
export function topChildren<T extends RegionMetrics>(rows: readonly T[], value: (r: T) => number, n = 5): Array<{ row: T; value: number }> {
  return rows
    .map((row) => ({ row, value: value(row) }))
    .filter((x) => x.value > 0)
    .sort((a, b) => b.value - a.value || a.row.region.localeCompare(b.row.region))
    .slice(0, n);
}
