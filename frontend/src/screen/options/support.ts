// The 就业支持 scene (training centres, job posts, policy delivery): its
// number tiles, the county map's values, and three bar charts — centre exits
// by channel, posts developed by source (the share published on 96885 in a tile),
// policy money by type. Pure builders over the payload's metric object.
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { MeasureMetrics } from '../../../../backend/src/measures/measures.types';
import type { ScreenPayload } from '../../../../backend/src/screen/screen.types';
import { int, pct } from './format';
import { COLORS, FONT, FS, TOOLTIP } from './theme';

export type SupportBarOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export const SUPPORT_SERIES_ID = 'support';

export interface SupportTile {
  key: string;
  label: string;
  value: string;
  unit: string;
  note: string;
}

/** 元 as the wall reads it: 万元 from ten thousand up, two decimals below. */
export function money(yuan: number): { value: string; unit: string } {
  if (Math.abs(yuan) >= 10_000) return { value: (yuan / 10_000).toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 }), unit: '万元' };
  return { value: yuan.toLocaleString('en-US', { maximumFractionDigits: 2 }), unit: '元' };
}

export function buildSupportTiles(m: MeasureMetrics): SupportTile[] {
  const amount = money(m.policyAmount);
  const allowance = money(m.centreAllowance);
  return [
    { key: 'centres', label: '实训中心', value: int(m.centres), unit: '个', note: `县区覆盖 ${pct(m.countyCentreRate)}` },
    { key: 'centreResident', label: '在驻毕业生', value: int(m.centreResident), unit: '人', note: `累计进驻 ${int(m.centreEntrants)} 人` },
    { key: 'centreExitWorkRate', label: '退出就业率', value: pct(m.centreExitWorkRate), unit: '', note: `${int(m.centreExitsToWork)}/${int(m.centreExits)} 人次 · 补助 ${allowance.value}${allowance.unit}` },
    { key: 'postsDeveloped', label: '开发岗位', value: int(m.postsDeveloped), unit: '个', note: `已招用 ${int(m.postsHired)} 人` },
    { key: 'postsPublishedRate', label: '96885发布率', value: pct(m.postsPublishedRate), unit: '', note: `已发布 ${int(m.postsPublished)} 个` },
    { key: 'policyAmount', label: '政策资金', value: amount.value, unit: amount.unit, note: `${int(m.policyGranted)} 件 · ${int(m.policyPersons)} 人 · 在办 ${int(m.policyPending)} 件 · 网办 ${pct(m.policyOnlineRate)}` },
  ];
}

/** Each county's number of graduates in a centre (the map's colour), by code. */
export function residentValues(p: Pick<ScreenPayload, 'counties'>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [code, c] of Object.entries(p.counties)) out[code] = c.centreResident;
  return out;
}

function bars(labels: string[], values: number[], fmt: (v: number) => string): SupportBarOption {
  return {
    animationDurationUpdate: 600,
    grid: { left: 8, right: 96, top: 8, bottom: 4, containLabel: true },
    tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmt(typeof v === 'number' ? v : 0) },
    xAxis: { type: 'value', show: false, max: Math.max(1, ...values) },
    yAxis: {
      type: 'category', inverse: true, data: labels, axisLine: { show: false }, axisTick: { show: false },
      axisLabel: { color: COLORS.text, fontSize: FS.label, fontFamily: FONT, interval: 0 },
    },
    series: [
      {
        id: SUPPORT_SERIES_ID,
        type: 'bar',
        barWidth: '58%',
        showBackground: true,
        backgroundStyle: { color: 'rgba(60, 120, 190, 0.14)', borderRadius: 4 },
        itemStyle: { color: COLORS.accent, borderRadius: 4 },
        label: { show: true, position: 'right', color: COLORS.text, fontSize: FS.label, fontFamily: FONT, formatter: (p) => fmt(Number(p.value)) },
        data: values,
      },
    ],
  };
}

/** Exits of the stays by 退出方式, in the enum's order. */
export function buildExitsOption(m: MeasureMetrics): SupportBarOption {
  const e = Object.entries(m.centreExitsByChannel);
  return bars(e.map(([k]) => k), e.map(([, v]) => v), (v) => `${int(v)} 人次`);
}

/** Posts developed (岗位数) by source, in the enum's order. */
export function buildPostsOption(m: MeasureMetrics): SupportBarOption {
  const e = Object.entries(m.postsBySource);
  return bars(e.map(([k]) => k), e.map(([, v]) => v), (v) => `${int(v)} 个`);
}

/** Policy money by 政策类型 (万元), largest first. */
export function buildPolicyOption(m: MeasureMetrics): SupportBarOption {
  const e = Object.entries(m.policyByType).sort((a, b) => b[1].amount - a[1].amount);
  return bars(e.map(([k]) => k.replace('补贴', '').replace('补助', '')), e.map(([, v]) => Math.round(v.amount / 100) / 100), (v) => `${v.toLocaleString('en-US')} 万元`);
}
