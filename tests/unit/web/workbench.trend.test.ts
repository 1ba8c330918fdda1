import { zeroMeasureMetrics } from '../../../backend/src/measures/measures.types';
import { describe, expect, it } from 'vitest';
import {
  buildRegionTrendOption, targetPath, TREND_PARENT_ID, TREND_PATH_ID, TREND_SELF_ID,
} from '../../../frontend/src/workbench/trend.option';
import type { Metrics, TargetStatus, TrendPoint } from '../../../frontend/src/workbench/types';

const ZERO: Metrics = {
  received: 0, pendingDistribution: 0, contacted: 0, contactRate: null, intentEmployment: 0, completed1311: 0, rate1311: null, employed: 0,
  employmentRate: null, hardship: 0, hardshipOneOnOne: 0, hardshipEmployed: 0, helpRequests: 0, helpContactedInSla: 0, helpOverdue: 0,
  helpSlaRate: null, hardshipOneOnOneRate: null,
  ...zeroMeasureMetrics(),
};
const day = (i: number): string => new Date(Date.UTC(2022, 6, 1 + i)).toISOString().slice(0, 10);
const trend: TrendPoint[] = Array.from({ length: 11 }, (_, i) => ({ ...ZERO, asOf: day(i), contactRate: i === 0 ? null : i / 20, helpSlaRate: 0.9 }));
const target: TargetStatus = { target: 0.95, path: 0.05, value: 0.5, gap: 0.45, met: true };

type Series = { id: string; name: string; data: Array<number | null>; lineStyle?: { type?: string } };
const seriesOf = (o: ReturnType<typeof buildRegionTrendOption>): Series[] => o.series as Series[];

describe('targetPath', () => {
  it('rises linearly from 0 on the first day to the path on the last', () => {
    const p = targetPath(trend.map((t) => t.asOf), 'contactRate', target);
    expect(p[0]).toBe(0);
    expect(p[10]).toBeCloseTo(0.05);
    expect(p[5]).toBeCloseTo(0.025);
  });

  it('is flat for a flat target and empty without one', () => {
    expect(new Set(targetPath(['2022-07-01', '2022-07-02'], 'helpSlaRate', { ...target, target: 0.95, path: 0.95 }))).toEqual(new Set([0.95]));
    expect(targetPath(['2022-07-01'], 'contactRate', undefined)).toEqual([null]);
  });
});

describe('buildRegionTrendOption', () => {
  it('draws the region, its parent aligned by day, and the dashed target path', () => {
    const parentTrend = trend.slice(2).map((t) => ({ ...t, contactRate: 0.3 }));
    const o = buildRegionTrendOption({ trend, metric: 'contactRate', regionName: '南关区', target, parent: { name: '长春市', trend: parentTrend } });
    const s = seriesOf(o);
    expect(s.map((x) => x.id)).toEqual([TREND_SELF_ID, TREND_PARENT_ID, TREND_PATH_ID]);
    expect(s[0]!.name).toBe('南关区联系率');
    expect(s[0]!.data).toEqual(trend.map((t) => t.contactRate));
    expect(s[1]!.name).toBe('长春市联系率');
    expect(s[1]!.data.slice(0, 3)).toEqual([null, null, 0.3]);
    expect(s[2]!.lineStyle?.type).toBe('dashed');
    expect((o.xAxis as { data: string[] }).data).toEqual(trend.map((t) => t.asOf));
    expect(o.yAxis).toMatchObject({ min: 0, max: 1 });
  });

  it('leaves out the parent and the path when there are none', () => {
    const o = buildRegionTrendOption({ trend, metric: 'helpSlaRate', regionName: '吉林省' });
    expect(seriesOf(o).map((x) => x.id)).toEqual([TREND_SELF_ID]);
    expect(seriesOf(o)[0]!.data.every((v) => v === 0.9)).toBe(true);
  });

  it('formats the tooltip as percentages', () => {
    const o = buildRegionTrendOption({ trend, metric: 'contactRate', regionName: 'x' });
    const f = (o.tooltip as { valueFormatter: (v: unknown) => string }).valueFormatter;
    expect(f(0.1234)).toBe('12.3%');
    expect(f(null)).toBe('—');
  });
});
