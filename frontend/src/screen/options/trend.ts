// Daily trends since the campaign start: the three headline rates, the
// legend naming each line's latest value.
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

export function buildTrendOption(trend: readonly ScreenTrendPoint[]): TrendOption {
  const days = trend.map((p) => p.asOf);
  const last = trend[trend.length - 1];
  // The legend carries each line's latest value: end labels of close lines would collide.
  const legendText = new Map(TREND_SERIES.map((s) => [s.label, `${s.label} ${pct(last ? last[s.key] : null)}`]));
  return {
    animationDurationUpdate: 600,
    grid: { left: 8, right: 20, top: 40, bottom: 6, containLabel: true },
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
      data: TREND_SERIES.map((s) => s.label),
    },
    tooltip: { ...TOOLTIP, trigger: 'axis', valueFormatter: (v) => pct(typeof v === 'number' ? v : null) },
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
    series: TREND_SERIES.map((s) => ({
      id: `trend-${s.key}`,
      type: 'line',
      name: s.label,
      showSymbol: false,
      smooth: false,
      lineStyle: { width: 4, color: s.color },
      itemStyle: { color: s.color },
      data: trend.map((p) => p[s.key]),
    })),
  };
}
