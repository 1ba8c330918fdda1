import { describe, expect, it } from 'vitest';
import { zeroMeasureMetrics } from '../../../backend/src/measures/measures.types';
import type { CampaignsResponse } from '../../../backend/src/campaigns/campaigns.types';
import { shownCampaign } from '../../../frontend/src/campaign/campaigns';
import { alignByCampaignDay } from '../../../frontend/src/screen/options/yoy';
import { buildRegionTrendOption, TREND_PREVIOUS_ID } from '../../../frontend/src/workbench/trend.option';
import type { Metrics, TrendPoint } from '../../../frontend/src/workbench/types';

const ZERO: Metrics = {
  received: 0, pendingDistribution: 0, contacted: 0, contactRate: null, intentEmployment: 0, completed1311: 0, rate1311: null, employed: 0,
  employmentRate: null, hardship: 0, hardshipOneOnOne: 0, hardshipEmployed: 0, helpRequests: 0, helpContactedInSla: 0, helpOverdue: 0,
  helpSlaRate: null, hardshipOneOnOneRate: null,
  ...zeroMeasureMetrics(),
};
const at = (asOf: string, contactRate: number | null): TrendPoint => ({ ...ZERO, asOf, contactRate });

const LIST: CampaignsResponse = {
  campaigns: [
    { year: 2021, start: '2021-07-01', end: '2021-12-31', archived: true, home: false },
    { year: 2022, start: '2022-07-01', end: '2022-12-31', archived: false, home: true },
  ],
  current: 2022,
};

describe('the region trend with the previous campaign year', () => {
  const trend = [at('2022-07-01', 0.1), at('2022-07-02', 0.2), at('2022-07-03', 0.3)];
  const before = [at('2021-07-01', 0.05), at('2021-07-03', 0.25)];
  const points = alignByCampaignDay(trend.map((t) => t.asOf), '2022-07-01', before, '2021-07-01');

  it('draws last year\'s same campaign days as a muted dotted line named for the year', () => {
    const o = buildRegionTrendOption({ trend, metric: 'contactRate', regionName: '长春市', previous: { campaign: 2021, points } });
    const s = (o.series as Array<{ id: string; name: string; data: unknown[]; lineStyle: { type?: string } }>).find((x) => x.id === TREND_PREVIOUS_ID)!;
    expect(s.name).toBe('2021年同期');
    expect(s.lineStyle.type).toBe('dotted');
    expect(s.data).toEqual([0.05, null, 0.25]);
  });

  it('has no such line without a previous year', () => {
    const o = buildRegionTrendOption({ trend, metric: 'contactRate', regionName: '长春市', previous: null });
    expect((o.series as Array<{ id: string }>).some((x) => x.id === TREND_PREVIOUS_ID)).toBe(false);
  });
});

describe('shownCampaign', () => {
  it('is the URL\'s year, else the one whose window holds the day, else the current', () => {
    expect(shownCampaign(LIST, '2022-09-30', 2021)?.year).toBe(2021);
    expect(shownCampaign(LIST, '2021-09-30', null)?.year).toBe(2021);
    expect(shownCampaign(LIST, '2023-01-05', null)?.year).toBe(2022);
    expect(shownCampaign(LIST, undefined, null)?.year).toBe(2022);
    expect(shownCampaign(null, '2022-09-30', null)).toBeNull();
  });
});
