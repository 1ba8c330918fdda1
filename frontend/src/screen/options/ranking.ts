// The ranking of the units (or a unit's counties) on one metric, best first,
// each bar coloured by where it stands against the target path.
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, MarkLineComponentOption, TooltipComponentOption } from 'echarts/components';
import { int, pct, shortName } from './format';
import type { MapMetric } from './metrics';
import { COLORS, FONT, FS, STATUS_COLOR, statusOf, TOOLTIP } from './theme';

export type RankingOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption | MarkLineComponentOption>;

export interface RankingRow {
  code: string;
  name: string;
  value: number | null;
}

export const RANKING_SERIES_ID = 'ranking';

/** Best first; regions without a value last, in their given order. */
export function sortRanking(rows: readonly RankingRow[]): RankingRow[] {
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const av = a.r.value, bv = b.r.value;
      if (av === null && bv === null) return a.i - b.i;
      if (av === null) return 1;
      if (bv === null) return -1;
      return bv - av || a.i - b.i;
    })
    .map((x) => x.r);
}

export function buildRankingOption(input: {
  rows: readonly RankingRow[];
  metric: MapMetric;
  path: number | null;
  highlight?: string | null;
}): RankingOption {
  const rows = sortRanking(input.rows);
  const isRate = input.metric.kind === 'rate';
  const fmt = (v: number | null) => (isRate ? pct(v) : int(v));
  const path = isRate ? input.path : null;
  const max = isRate ? 1 : Math.max(1, ...rows.map((r) => r.value ?? 0));
  return {
    animationDurationUpdate: 600,
    grid: { left: 8, right: 96, top: path !== null ? 26 : 8, bottom: 4, containLabel: true },
    tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmt(typeof v === 'number' ? v : null) },
    xAxis: { type: 'value', max, show: false },
    yAxis: {
      type: 'category',
      inverse: true,
      triggerEvent: true,
      data: rows.map((r) => shortName(r.name)),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: {
        interval: 0,
        color: COLORS.text,
        fontSize: FS.label,
        fontFamily: FONT,
        formatter: (name: string, i: number) => (rows[i]?.code === input.highlight ? `{hl|${name}}` : name),
        rich: { hl: { color: COLORS.path, fontSize: FS.label, fontWeight: 'bold', fontFamily: FONT } },
      },
    },
    series: [
      {
        id: RANKING_SERIES_ID,
        type: 'bar',
        name: input.metric.label,
        barWidth: '62%',
        showBackground: true,
        backgroundStyle: { color: 'rgba(60, 120, 190, 0.14)', borderRadius: 4 },
        data: rows.map((r) => ({
          value: r.value ?? 0,
          itemStyle: {
            color: path !== null ? STATUS_COLOR[statusOf(r.value, path)] : COLORS.accent,
            borderRadius: 4,
            borderColor: r.code === input.highlight ? COLORS.path : 'transparent',
            borderWidth: r.code === input.highlight ? 3 : 0,
          },
        })),
        label: {
          show: true,
          position: 'right',
          color: COLORS.title,
          fontSize: FS.value,
          fontWeight: 'bold',
          fontFamily: FONT,
          textBorderColor: '#081528',
          textBorderWidth: 3,
          formatter: (p: { dataIndex: number }) => fmt(rows[p.dataIndex]?.value ?? null),
        },
        markLine: path === null ? undefined : {
          silent: true,
          symbol: 'none',
          animation: false,
          lineStyle: { color: COLORS.path, type: 'dashed', width: 2 },
          // The axis is inverted: the line's start is at the top, above the bars.
          label: { position: 'start', distance: 2, color: COLORS.path, fontSize: FS.axis, fontFamily: FONT, formatter: '目标进度' },
          data: [{ xAxis: path }],
        },
      },
    ],
  };
}
