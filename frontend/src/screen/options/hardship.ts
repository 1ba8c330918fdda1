// Hardship cases and help requests: a progress ring each (one-on-one coverage
// of hardship cases; help requests contacted within the SLA) against its target.
import type { ComposeOption } from 'echarts/core';
import type { GaugeSeriesOption } from 'echarts/charts';
import { pct } from './format';
import { COLORS, FONT, STATUS_COLOR, statusOf } from './theme';

export type RingOption = ComposeOption<GaugeSeriesOption>;

export const RING_SERIES_ID = 'ring';

export function buildRingOption(value: number | null, target: number): RingOption {
  const color = STATUS_COLOR[statusOf(value, target)];
  return {
    animationDurationUpdate: 600,
    series: [
      {
        id: RING_SERIES_ID,
        type: 'gauge',
        center: ['50%', '50%'],
        radius: '92%',
        startAngle: 90,
        endAngle: -270,
        min: 0,
        max: 1,
        pointer: { show: false },
        progress: { show: true, roundCap: true, width: 13, itemStyle: { color } },
        axisLine: { lineStyle: { width: 13, color: [[1, 'rgba(60, 120, 190, 0.25)']] } },
        splitLine: { show: false },
        axisTick: { show: false },
        axisLabel: { show: false },
        anchor: { show: false },
        title: { show: false },
        detail: {
          valueAnimation: false,
          offsetCenter: [0, 0],
          fontSize: 25,
          fontWeight: 'bold',
          fontFamily: FONT,
          color: value === null ? COLORS.soft : color,
          formatter: () => pct(value),
        },
        data: [{ value: value ?? 0 }],
      },
    ],
  };
}

export interface RingFacts {
  key: 'hardship' | 'help';
  title: string;
  value: number | null;
  target: number;
  lines: string[];
}

/** What the two rings say beside them. */
export function ringFacts(
  hardship: { hardship: number; oneOnOne: number; employed: number; oneOnOneRate: number | null; target: number },
  help: { requests: number; inSla: number; overdue: number; slaRate: number | null; target: number; slaHours: number },
): RingFacts[] {
  const n = (x: number) => x.toLocaleString('en-US');
  return [
    {
      key: 'hardship',
      title: '困难人员帮扶',
      value: hardship.oneOnOneRate,
      target: hardship.target,
      lines: [`${n(hardship.oneOnOne)}/${n(hardship.hardship)}人`, `已就业${n(hardship.employed)}人`, `一对一目标${pct(hardship.target, 0)}`],
    },
    {
      key: 'help',
      title: '求助及时联系',
      value: help.slaRate,
      target: help.target,
      lines: [`${n(help.inSla)}/${n(help.requests)}件`, `超时${n(help.overdue)}件`, `${help.slaHours}小时目标${pct(help.target, 0)}`],
    },
  ];
}
