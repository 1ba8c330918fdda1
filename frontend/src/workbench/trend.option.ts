// The region page's trend: one rate day by day since the campaign start, the
// parent region's line for comparison and the target path (dashed). Pure.
import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { pct } from '../screen/options/format';
import { RATE_LABEL, RISING } from './metrics';
import type { RateKey, TargetStatus, TrendPoint } from './types';

export type RegionTrendOption = ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export const TREND_SELF_ID = 'trend-self';
export const TREND_PARENT_ID = 'trend-parent';
export const TREND_PATH_ID = 'trend-path';
export const TREND_PREVIOUS_ID = 'trend-previous';

export interface RegionTrendInput {
  trend: readonly TrendPoint[];
  metric: RateKey;
  regionName: string;
  /** The target of the metric on the last day of the trend (its path value and final target). */
  target?: TargetStatus;
  parent?: { name: string; trend: readonly TrendPoint[] } | null;
  /** The previous campaign year on this trend's days (same campaign day), one point or null per day. */
  previous?: { campaign: number; points: ReadonlyArray<Pick<TrendPoint, RateKey> | null> } | null;
}

const DAY_MS = 86_400_000;

/**
 * The target path on each day. A rising target's path is linear from 0 on the
 * first day of the campaign (docs/metrics.md), so it is the path on the last
 * day scaled by elapsed time; a flat target is its value every day.
 */
export function targetPath(days: readonly string[], metric: RateKey, target: TargetStatus | undefined): Array<number | null> {
  if (!target || !days.length) return days.map(() => null);
  if (!RISING.has(metric)) return days.map(() => target.target);
  const first = Date.parse(days[0]!);
  const last = Date.parse(days[days.length - 1]!);
  const span = (last - first) / DAY_MS;
  return days.map((d) => {
    if (span <= 0) return target.path;
    const f = (Date.parse(d) - first) / DAY_MS / span;
    return Math.min(target.target, Math.round(target.path * f * 1e6) / 1e6);
  });
}

/** "2022-08-01" → "8月1日"; other days by their day of month. */
function axisLabel(day: string): string {
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
}

export function buildRegionTrendOption(input: RegionTrendInput): RegionTrendOption {
  const days = input.trend.map((p) => p.asOf);
  const label = RATE_LABEL[input.metric];
  const parentByDay = new Map((input.parent?.trend ?? []).map((p) => [p.asOf, p[input.metric]]));
  const series: LineSeriesOption[] = [
    {
      id: TREND_SELF_ID,
      type: 'line',
      name: `${input.regionName}${label}`,
      showSymbol: false,
      lineStyle: { width: 3 },
      data: input.trend.map((p) => p[input.metric]),
    },
  ];
  if (input.parent) {
    series.push({
      id: TREND_PARENT_ID,
      type: 'line',
      name: `${input.parent.name}${label}`,
      showSymbol: false,
      lineStyle: { width: 2, opacity: 0.8 },
      data: days.map((d) => parentByDay.get(d) ?? null),
    });
  }
  if (input.previous) {
    const points = input.previous.points;
    series.push({
      id: TREND_PREVIOUS_ID,
      type: 'line',
      name: `${input.previous.campaign}年同期`,
      showSymbol: false,
      lineStyle: { width: 2, type: 'dotted', color: '#829ab1' },
      itemStyle: { color: '#829ab1' },
      data: days.map((_, i) => points[i]?.[input.metric] ?? null),
    });
  }
  if (input.target) {
    series.push({
      id: TREND_PATH_ID,
      type: 'line',
      name: '目标进度',
      showSymbol: false,
      lineStyle: { width: 2, type: 'dashed', color: '#c9a227' },
      itemStyle: { color: '#c9a227' },
      data: targetPath(days, input.metric, input.target),
    });
  }
  return {
    animationDuration: 300,
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 16, itemHeight: 8 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => pct(typeof v === 'number' ? v : null) },
    xAxis: {
      type: 'category',
      data: days,
      boundaryGap: false,
      axisTick: { show: false },
      axisLabel: {
        // Month starts label the axis; with a short range, every seventh day.
        interval: (i: number) => (days.length > 45 ? (days[i] ?? '').endsWith('-01') : i % 7 === 0),
        formatter: (d: string) => (days.length > 45 ? `${Number(d.slice(5, 7))}月` : axisLabel(d)),
      },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 1,
      interval: 0.25,
      axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
      splitLine: { lineStyle: { type: 'dashed' } },
    },
    series,
  };
}
