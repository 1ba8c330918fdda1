// The 1311 funnel: received → contacted → job-seekers → each 1311 component
// → all four complete, drawn as centred bars so it reads as a funnel.
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ScreenFunnel } from '../../../../backend/src/screen/screen.types';
import { int, pct } from './format';
import { COLORS, FONT, FS, TOOLTIP } from './theme';

export type FunnelOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export interface FunnelStage {
  label: string;
  count: number;
  /** Share of the stage it is measured against (received for the first three, job-seekers after). */
  share: number | null;
  color: string;
}

export const FUNNEL_SERIES_ID = 'funnel';

export function funnelStages(f: ScreenFunnel): FunnelStage[] {
  const ofReceived = (n: number) => (f.received ? n / f.received : null);
  const ofSeekers = (n: number) => (f.jobSeekers ? n / f.jobSeekers : null);
  return [
    { label: '已接收', count: f.received, share: f.received ? 1 : null, color: '#2f8fe0' },
    { label: '已联系', count: f.contacted, share: ofReceived(f.contacted), color: '#37a8f0' },
    { label: '有就业意愿', count: f.jobSeekers, share: ofReceived(f.jobSeekers), color: '#3cc8ff' },
    ...f.components.map((c) => ({
      label: `${c.type}≥${c.min}次`,
      count: c.count,
      share: ofSeekers(c.count),
      color: COLORS.near,
    })),
    { label: '1311全部完成', count: f.completed, share: ofSeekers(f.completed), color: COLORS.good },
  ];
}

export function buildFunnelOption(f: ScreenFunnel): FunnelOption {
  const stages = funnelStages(f);
  const max = Math.max(1, ...stages.map((s) => s.count));
  return {
    animationDurationUpdate: 600,
    grid: { left: 8, right: 8, top: 4, bottom: 4, containLabel: true },
    tooltip: {
      ...TOOLTIP,
      trigger: 'item',
      formatter: (p: unknown) => {
        const s = stages[(p as { dataIndex: number }).dataIndex];
        return s ? `${s.label}：${int(s.count)} 人（${pct(s.share)}）` : '';
      },
    },
    xAxis: { type: 'value', max, show: false },
    yAxis: {
      type: 'category',
      inverse: true,
      data: stages.map((s) => s.label),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { color: COLORS.text, fontSize: FS.axis, fontFamily: FONT },
    },
    series: [
      {
        id: 'funnel-pad',
        type: 'bar',
        stack: 'funnel',
        silent: true,
        itemStyle: { color: 'transparent' },
        data: stages.map((s) => (max - s.count) / 2),
        barWidth: '70%',
      },
      {
        id: FUNNEL_SERIES_ID,
        type: 'bar',
        stack: 'funnel',
        data: stages.map((s) => ({ value: s.count, itemStyle: { color: s.color, borderRadius: 3 } })),
        label: {
          show: true,
          position: 'inside',
          color: '#041020',
          fontSize: FS.axis,
          fontWeight: 'bold',
          fontFamily: FONT,
          formatter: (p: { dataIndex: number }) => {
            const s = stages[p.dataIndex];
            if (!s) return '';
            return p.dataIndex === 0 ? int(s.count) : `${int(s.count)}  ${pct(s.share, 0)}`;
          },
        },
      },
    ],
  };
}
