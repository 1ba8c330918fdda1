// Scene 困难帮扶与权益保障: plan coverage and overdue visits by unit, rights
// cases by type, "10+N" activities by campaign, the 亮相 checklist grid.
// Pure option builders (tested in tests/unit/web/screen.care.test.ts).
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ScreenCare } from '../../../../backend/src/care/care.api.types';
import { int, pct, shortName } from './format';
import { COLORS, FONT, FS, TOOLTIP } from './theme';

export type CareBarOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export const PLAN_SERIES_ID = 'plan-coverage';
export const RIGHTS_SERIES_ID = 'rights-by-type';
export const CAMPAIGN_SERIES_ID = 'campaigns';

const axisLabel = { color: COLORS.text, fontSize: FS.label, fontFamily: FONT, interval: 0 } as const;

/** Coverage colour: full plans green, most of them amber, fewer red; no hardship person grey. */
export function coverageColor(rate: number | null): string {
  if (rate === null) return COLORS.none;
  if (rate >= 0.999) return COLORS.good;
  if (rate >= 0.8) return COLORS.near;
  return COLORS.far;
}

/** Plan coverage per unit (lowest first, those without hardship persons last), labelled with the overdue visits. */
export function buildPlanCoverageOption(rows: ScreenCare['rows']): CareBarOption {
  const sorted = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.planRate === null ? 1 : 0) - (b.r.planRate === null ? 1 : 0) || (a.r.planRate ?? 0) - (b.r.planRate ?? 0) || a.i - b.i)
    .map((x) => x.r);
  return {
    grid: { left: 8, right: 190, top: 6, bottom: 4, containLabel: true },
    tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', max: 1, show: false },
    yAxis: { type: 'category', inverse: true, data: sorted.map((r) => shortName(r.name)), axisLine: { show: false }, axisTick: { show: false }, axisLabel },
    series: [{
      id: PLAN_SERIES_ID,
      type: 'bar',
      name: '帮扶计划覆盖率',
      barWidth: '60%',
      showBackground: true,
      backgroundStyle: { color: 'rgba(60, 120, 190, 0.14)', borderRadius: 4 },
      data: sorted.map((r) => ({
        value: r.planRate ?? 0,
        itemStyle: { color: coverageColor(r.planRate), borderRadius: 4 },
        label: {
          show: true,
          position: 'right',
          color: r.visitOverdue > 0 ? COLORS.far : COLORS.text,
          fontSize: FS.value,
          fontFamily: FONT,
          formatter: () => `${pct(r.planRate)}  逾期${int(r.visitOverdue)}人`,
        },
      })),
    }],
  };
}

/** Horizontal bars of counts by category, in the given (enum) order. */
function countBars(id: string, name: string, entries: Array<[string, number]>, color: string): CareBarOption {
  const max = Math.max(1, ...entries.map(([, n]) => n));
  return {
    grid: { left: 8, right: 70, top: 6, bottom: 4, containLabel: true },
    tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', max, show: false },
    yAxis: { type: 'category', inverse: true, data: entries.map(([k]) => k), axisLine: { show: false }, axisTick: { show: false }, axisLabel },
    series: [{
      id,
      type: 'bar',
      name,
      barWidth: '60%',
      data: entries.map(([, n]) => ({ value: n, itemStyle: { color: n > 0 ? color : COLORS.none, borderRadius: 4 } })),
      label: { show: true, position: 'right', color: COLORS.text, fontSize: FS.value, fontFamily: FONT },
    }],
  };
}

export function buildRightsTypeOption(byType: Record<string, number>): CareBarOption {
  return countBars(RIGHTS_SERIES_ID, '权益案件', Object.entries(byType), COLORS.behind);
}

export function buildCampaignOption(campaigns: Record<string, number>): CareBarOption {
  return countBars(CAMPAIGN_SERIES_ID, '专项活动场次', Object.entries(campaigns), COLORS.accent);
}

export const CELL_TEXT: Record<'ok' | 'late' | 'missing', string> = { ok: '✔', late: '逾期', missing: '✘' };
export const CELL_COLOR: Record<'ok' | 'late' | 'missing', string> = { ok: COLORS.good, late: COLORS.near, missing: COLORS.far };

/** The checklist's summary line: units complete, on time. */
export function checklistSummary(c: ScreenCare['checklist']): string {
  const complete = c.units.filter((u) => u.complete !== null).length;
  const onTime = c.units.filter((u) => u.onTime).length;
  return `${c.units.length} 个单位 · 齐全 ${complete} · 按期 ${onTime}`;
}
