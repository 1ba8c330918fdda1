// Daily trends since the campaign start: the three headline rates, the
// legend naming each line's latest value, and (issue 18) the previous
// campaign year's same days as dashed, muted lines.
import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ScreenTrendPoint } from '../../../../backend/src/screen/screen.types';
import { pct } from './format';
import { COLORS, FONT, FS, TOOLTIP } from './theme';

export type TrendOption = ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export const TREND_SERIES: ReadonlyArray<{ key: 'contactRate' | 'rate1311' | 'employmentRate'; label: string; color: string }> = [
  { key: 'contactRate', label: '联系率', color: COLORS.series[0] },
  { key: 'employmentRate', label: '就业率', color: COLORS.series[2] },
  { key: 'rate1311', label: '1311', color: COLORS.series[1] },
];

/** "2022-08-01" → "8月": month starts label the axis. */
function monthLabel(day: string): string {
  return day.endsWith('-01') ? `${Number(day.slice(5, 7))}月` : '';
}

/** The previous campaign year on this trend's days: one point (or null) per day of `trend`, by campaign day. */
export interface PreviousTrend {
  campaign: number;
  points: ReadonlyArray<ScreenTrendPoint | null>;
}

/** The series name of the overlay: one legend entry switches all three dashed lines. */
export function previousTrendName(campaign: number): string {
  return `${campaign}年同期`;
}

interface TooltipParam {
  seriesId?: string;
  marker?: unknown;
  value?: unknown;
  axisValueLabel?: string;
}

export function buildTrendOption(trend: readonly ScreenTrendPoint[], previous: PreviousTrend | null = null): TrendOption {
  const days = trend.map((p) => p.asOf);
  const last = trend[trend.length - 1];
  // The legend carries each line's latest value: end labels of close lines would collide.
  const legendText = new Map(TREND_SERIES.map((s) => [s.label, `${s.label} ${pct(last ? last[s.key] : null)}`]));
  const prevName = previous ? previousTrendName(previous.campaign) : null;
  const lineLabel = new Map<string, string>(TREND_SERIES.flatMap((s) => [
    [`trend-${s.key}`, s.label] as [string, string],
    ...(prevName ? [[`trend-prev-${s.key}`, `${prevName}${s.label}`] as [string, string]] : []),
  ]));
  const overlay: LineSeriesOption[] = previous && prevName
    ? TREND_SERIES.map((s) => ({
      id: `trend-prev-${s.key}`,
      type: 'line',
      name: prevName,
      showSymbol: false,
      smooth: false,
      z: 1,
      silent: true,
      lineStyle: { width: 2, type: 'dashed', color: s.color, opacity: 0.5 },
      itemStyle: { color: s.color, opacity: 0.5 },
      data: days.map((_, i) => previous.points[i]?.[s.key] ?? null),
    }))
    : [];
  return {
    animationDurationUpdate: 600,
    // The overlay's legend entry may wrap to a second row.
    grid: { left: 8, right: 20, top: previous ? 58 : 40, bottom: 6, containLabel: true },
    legend: {
      top: 0,
      left: 0,
      right: 0,
      padding: 0,
      itemWidth: 14,
      itemHeight: 10,
      itemGap: 10,
      textStyle: { color: COLORS.text, fontSize: FS.axis, fontFamily: FONT },
      formatter: (name: string) => legendText.get(name) ?? name,
      data: [...TREND_SERIES.map((s) => s.label), ...(prevName ? [prevName] : [])],
    },
    tooltip: {
      ...TOOLTIP,
      trigger: 'axis',
      // Three dashed lines share one name: the tooltip says which rate each is.
      formatter: (raw: unknown) => {
        const list = (Array.isArray(raw) ? raw : [raw]) as TooltipParam[];
        const head = list[0]?.axisValueLabel ?? '';
        const rows = list.map((p) => `${typeof p.marker === 'string' ? p.marker : ''}${lineLabel.get(p.seriesId ?? '') ?? ''} ${pct(typeof p.value === 'number' ? p.value : null)}`);
        return [head, ...rows].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: days,
      boundaryGap: false,
      axisLine: { lineStyle: { color: COLORS.grid, width: 2 } },
      axisTick: { show: false },
      axisLabel: {
        color: COLORS.soft,
        fontSize: FS.axis,
        fontFamily: FONT,
        interval: (i: number) => monthLabel(days[i] ?? '') !== '',
        formatter: (d: string) => monthLabel(d),
      },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 1,
      interval: 0.25,
      axisLabel: { color: COLORS.soft, fontSize: FS.axis, fontFamily: FONT, formatter: (v: number) => `${Math.round(v * 100)}%` },
      splitLine: { lineStyle: { color: COLORS.grid, type: 'dashed' } },
    },
    series: [...TREND_SERIES.map((s): LineSeriesOption => ({
      id: `trend-${s.key}`,
      type: 'line',
      name: s.label,
      showSymbol: false,
      smooth: false,
      lineStyle: { width: 4, color: s.color },
      itemStyle: { color: s.color },
      data: trend.map((p) => p[s.key]),
    })), ...overlay],
  };
}
