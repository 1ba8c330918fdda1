// Year over year (issue 18): a rate beside the same region's value on the same
// campaign day of the previous campaign year, and the difference in
// percentage points. Shared by the workbench's rate cards and the wall's KPI
// tiles. Pure: unit-tested.
import type { PreviousYear } from '../../../../backend/src/campaigns/campaigns.types';
import type { ScreenRateKey, ScreenTrendPoint } from '../../../../backend/src/screen/screen.types';
import { addDays, daysBetween } from '../../campaign/campaignQuery';
import { DASH, pct } from './format';

export interface YoyLine {
  /** The previous campaign year, its day compared with, and that day's date. */
  campaign: number;
  day: number;
  asOf: string;
  /** Last year's value as shown ("71.2%", "—"), and raw (a fraction). */
  value: string;
  raw: number | null;
  /** This year minus last year in percentage points, rounded to one decimal; null when either side has no value. */
  points: number | null;
  /** The API's unrounded difference (a fraction). */
  rawDiff: number | null;
  /** "+3.4 个百分点" / "−1.2 个百分点" / "持平" / "". */
  diffText: string;
  /** Higher rates are better: up is good. */
  dir: 'up' | 'down' | 'flat' | null;
  /** "去年同期 71.2%，+3.4 个百分点". */
  text: string;
  /** "2021年同期（第93天，2021-10-01）". */
  title: string;
}

export function yoyLine(py: PreviousYear | null | undefined, key: ScreenRateKey): YoyLine | null {
  if (!py) return null;
  const raw = py.rates[key] ?? null;
  const rawDiff = py.diff[key] ?? null;
  const points = rawDiff === null || !Number.isFinite(rawDiff) ? null : Math.round(rawDiff * 1000) / 10;
  const dir = points === null ? null : points > 0 ? 'up' : points < 0 ? 'down' : 'flat';
  const diffText = points === null ? '' : points === 0 ? '持平' : `${points > 0 ? '+' : '−'}${Math.abs(points).toFixed(1)} 个百分点`;
  const value = pct(raw);
  return {
    campaign: py.campaign,
    day: py.day,
    asOf: py.asOf,
    value,
    raw,
    points,
    rawDiff,
    diffText,
    dir,
    text: `去年同期 ${value}${diffText ? `，${diffText}` : ''}`,
    title: `${py.campaign}年同期（第${py.day + 1}天，${py.asOf}）${value === DASH ? '：无数据' : ''}`,
  };
}

/**
 * The previous campaign's trend laid on this campaign's days: for each day of `days`, the previous trend's
 * point on the same campaign day (day N since each campaign's start), or null where it has none.
 */
export function alignByCampaignDay<P extends Pick<ScreenTrendPoint, 'asOf'>>(
  days: readonly string[],
  start: string,
  previous: readonly P[],
  previousStart: string,
): Array<P | null> {
  const byDay = new Map(previous.map((p) => [p.asOf, p]));
  return days.map((d) => byDay.get(addDays(previousStart, daysBetween(start, d))) ?? null);
}
