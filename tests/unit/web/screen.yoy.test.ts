import { describe, expect, it } from 'vitest';
import type { PreviousYear } from '../../../backend/src/campaigns/campaigns.types';
import type { ScreenTrendPoint } from '../../../backend/src/screen/screen.types';
import { buildKpiTiles } from '../../../frontend/src/screen/options/kpis';
import { buildTrendOption } from '../../../frontend/src/screen/options/trend';
import { alignByCampaignDay, yoyLine } from '../../../frontend/src/screen/options/yoy';
import { payload } from './screen.fixture';

function previousYear(over: Partial<PreviousYear> = {}): PreviousYear {
  return {
    campaign: 2021,
    asOf: '2021-09-30',
    day: 91,
    rates: { contactRate: 0.712, rate1311: 0.5, employmentRate: 0.65, helpSlaRate: null, hardshipOneOnOneRate: 0.8 },
    diff: { contactRate: 0.034, rate1311: 0, employmentRate: -0.05, helpSlaRate: null, hardshipOneOnOneRate: 0.00004 },
    ...over,
  };
}

function point(asOf: string, contactRate: number | null): ScreenTrendPoint {
  return { asOf, received: 100, contactRate, rate1311: null, employmentRate: null, hardshipOneOnOneRate: null, helpOverdue: 0 };
}

describe('yoyLine', () => {
  it('says last year\'s value and the change in points, signed', () => {
    const up = yoyLine(previousYear(), 'contactRate')!;
    expect(up.text).toBe('去年同期 71.2%，+3.4 个百分点');
    expect(up).toMatchObject({ value: '71.2%', raw: 0.712, points: 3.4, dir: 'up', campaign: 2021 });
    expect(yoyLine(previousYear(), 'employmentRate')!).toMatchObject({ diffText: '−5.0 个百分点', dir: 'down' });
    expect(yoyLine(previousYear(), 'rate1311')!).toMatchObject({ diffText: '持平', dir: 'flat' });
    // Rounds to the tenth of a point it shows.
    expect(yoyLine(previousYear(), 'hardshipOneOnOneRate')!).toMatchObject({ diffText: '持平', points: 0 });
  });

  it('shows a dash without last year\'s value, and nothing without a previous year', () => {
    expect(yoyLine(previousYear(), 'helpSlaRate')!).toMatchObject({ text: '去年同期 —', dir: null, points: null, diffText: '' });
    expect(yoyLine(null, 'contactRate')).toBeNull();
    expect(yoyLine(undefined, 'contactRate')).toBeNull();
  });

  it('names the day compared with (day 0 is the first)', () => {
    expect(yoyLine(previousYear(), 'contactRate')!.title).toBe('2021年同期（第92天，2021-09-30）');
  });
});

describe('the KPI tiles year over year', () => {
  it('gives each rate tile last year\'s value and an arrow, counts none', () => {
    const tiles = buildKpiTiles(payload({ previousYear: previousYear() }));
    const t = (k: string) => tiles.find((x) => x.key === k)!;
    expect(t('contactRate').yoy).toMatchObject({ text: '去年同期 71.2%', delta: '▲3.4', dir: 'up', raw: 0.712 });
    expect(t('employmentRate').yoy).toMatchObject({ delta: '▼5.0', dir: 'down' });
    expect(t('received').yoy).toBeNull();
    expect(t('helpOverdue').yoy).toBeNull();
  });

  it('has no year-over-year line without a previous year', () => {
    expect(buildKpiTiles(payload({ previousYear: null })).every((t) => t.yoy === null)).toBe(true);
    expect(buildKpiTiles(payload()).every((t) => t.yoy === null)).toBe(true);
  });
});

describe('alignByCampaignDay', () => {
  it('lays last year\'s days on this year\'s by days since each start', () => {
    // 2022 starts on 07-01, 2021 (say) on 07-05: 2022-07-02 is day 1, 2021-07-06.
    const prev = [point('2021-07-05', 0.1), point('2021-07-06', 0.2), point('2021-07-08', 0.4)];
    const aligned = alignByCampaignDay(['2022-07-01', '2022-07-02', '2022-07-03', '2022-07-04', '2022-07-05'], '2022-07-01', prev, '2021-07-05');
    expect(aligned.map((p) => p?.contactRate ?? null)).toEqual([0.1, 0.2, null, 0.4, null]);
  });
});

describe('buildTrendOption with the previous year', () => {
  const trend = payload().trend;
  const points = trend.map((p, i) => (i === 1 ? null : { ...p, contactRate: 0.3 + i / 10 }));
  const o = buildTrendOption(trend, { campaign: 2021, points });
  const series = (o.series as Array<{ id: string; name: string; data: unknown[]; lineStyle: { type?: string; opacity?: number } }>);

  it('adds one dashed, muted line per rate, all under one legend entry', () => {
    const prev = series.filter((s) => s.id.startsWith('trend-prev-'));
    expect(prev.map((s) => s.name)).toEqual(['2021年同期', '2021年同期', '2021年同期']);
    expect(prev.every((s) => s.lineStyle.type === 'dashed' && (s.lineStyle.opacity ?? 1) < 1)).toBe(true);
    expect(series.find((s) => s.id === 'trend-prev-contactRate')!.data).toEqual([0.3, null, 0.5]);
    expect((o.legend as { data: string[] }).data).toEqual(['联系率', '就业率', '1311', '2021年同期']);
  });

  it('says in the tooltip which rate a dashed line is', () => {
    const f = (o.tooltip as { formatter: (p: unknown) => string }).formatter;
    const text = f([
      { seriesId: 'trend-contactRate', marker: '', value: 0.7, axisValueLabel: '2022-08-02' },
      { seriesId: 'trend-prev-contactRate', marker: '', value: 0.5, axisValueLabel: '2022-08-02' },
    ]);
    expect(text).toBe('2022-08-02<br/>联系率 70.0%<br/>2021年同期联系率 50.0%');
  });

  it('draws the three rates alone without a previous year', () => {
    expect((buildTrendOption(trend).series as unknown[]).length).toBe(3);
    expect((buildTrendOption(trend).legend as { data: string[] }).data).toEqual(['联系率', '就业率', '1311']);
  });
});
