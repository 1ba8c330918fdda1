// Day deltas of kinds 5–8 (packed per region and day, as measure_days holds
// them) → the counts as of each day, merged into the metric count rows.
import { REGIONS, countiesUnder } from '../regions/regions.data';
import { zeroCounts, type CountsRow } from '../metrics/metrics.types';
import { MEASURE_DELTA_KEYS, type MeasureCounts } from './measures.types';

export interface PackedDelta {
  level: string;
  code: string;
  day: string;
  vec: Array<number | string>;
}

/** County-level units under each region (the denominator of countyCentreRate), by `level:code`. */
const COUNTY_UNITS = new Map(REGIONS.map((r) => [`${r.level}:${r.code}`, countiesUnder(r.code).length]));

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * Running sums of the deltas (oldest first, any days before `from` included)
 * for every day of [from, to]: `level:code` → one vector per day (index = day − from).
 */
export function cumulate(deltas: readonly PackedDelta[], from: string, to: string): Map<string, number[][]> {
  const n = MEASURE_DELTA_KEYS.length;
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  // per region: the delta sum before `from`, and per day of the range
  const per = new Map<string, { base: number[]; byDay: Map<number, number[]> }>();
  for (const r of deltas) {
    if (r.day > to) continue;
    const k = `${r.level}:${r.code}`;
    let e = per.get(k);
    if (!e) per.set(k, (e = { base: new Array<number>(n).fill(0), byDay: new Map() }));
    let target = e.base;
    if (r.day >= from) {
      const i = dayIndex.get(r.day)!;
      target = e.byDay.get(i) ?? new Array<number>(n).fill(0);
      e.byDay.set(i, target);
    }
    for (let j = 0; j < n; j++) target[j]! += Number(r.vec[j] ?? 0);
  }
  const out = new Map<string, number[][]>();
  for (const [k, e] of per) {
    const series: number[][] = [];
    let run = e.base;
    for (let i = 0; i < days.length; i++) {
      const d = e.byDay.get(i);
      if (d) run = run.map((v, j) => v + d[j]!);
      series.push(run);
    }
    out.set(k, series);
  }
  return out;
}

function countsOf(level: string, code: string, vec: number[] | undefined): MeasureCounts {
  const c = { county_units: COUNTY_UNITS.get(`${level}:${code}`) ?? 0 } as Record<string, number>;
  MEASURE_DELTA_KEYS.forEach((key, j) => (c[key] = vec ? vec[j]! : 0));
  return c as unknown as MeasureCounts;
}

/**
 * Adds the measures' counts to metric count rows for each day of [from, to]:
 * every region gets a row for every day (a region with no data at all still
 * has its county-level units, so countyCentreRate is 0, not null). `withDay`
 * = the rows carry as_of (the daily queries) or not (a single day).
 */
export function mergeMeasures<T extends CountsRow>(rows: T[], deltas: readonly PackedDelta[], from: string, to: string, withDay: boolean): T[] {
  const sums = cumulate(deltas, from, to);
  const byKey = new Map(rows.map((r) => [withDay ? `${r.as_of}|${r.level}:${r.code}` : `${from}|${r.level}:${r.code}`, r]));
  const out: T[] = [];
  let i = 0;
  for (let d = from; d <= to; d = addDays(d, 1), i++) {
    for (const reg of REGIONS) {
      const rk = `${reg.level}:${reg.code}`;
      const base = byKey.get(`${d}|${rk}`);
      const m = countsOf(reg.level, reg.code, sums.get(rk)?.[i]);
      if (base) out.push(Object.assign(base, m));
      else out.push({ ...zeroBase(reg.level, reg.code, withDay ? d : undefined), ...m } as T);
    }
  }
  // rows of regions outside the tree (none expected) are kept as they were
  for (const r of rows) if (!REGIONS.some((x) => x.level === r.level && x.code === r.code)) out.push(r);
  return out;
}

function zeroBase(level: string, code: string, asOf: string | undefined): Record<string, unknown> {
  const z: Record<string, unknown> = { ...zeroCounts(), level, code };
  if (asOf !== undefined) z.as_of = asOf;
  return z;
}
