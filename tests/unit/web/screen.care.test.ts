import { describe, expect, it } from 'vitest';
import {
  buildCampaignOption, buildPlanCoverageOption, buildRightsTypeOption, CAMPAIGN_SERIES_ID, checklistSummary, coverageColor, PLAN_SERIES_ID,
  RIGHTS_SERIES_ID,
} from '../../../frontend/src/screen/options/care';
import { COLORS } from '../../../frontend/src/screen/options/theme';
import { payload } from './screen.fixture';

type Series = { id: string; data: Array<{ value: number; itemStyle: { color: string }; label?: { formatter: () => string } }> };
const first = (o: { series?: unknown }) => (o.series as Series[])[0]!;
const axis = (o: { yAxis?: unknown }) => (o.yAxis as { data: string[] }).data;

describe('care scene options', () => {
  const care = payload().care;

  it('plan coverage: lowest first, units without hardship persons last, labelled with overdue visits', () => {
    const rows = [
      { code: 'a', name: '甲市', hardship: 10, withPlan: 10, planRate: 1, visitOverdue: 0 },
      { code: 'b', name: '乙市', hardship: 0, withPlan: 0, planRate: null, visitOverdue: 0 },
      { code: 'c', name: '丙市', hardship: 10, withPlan: 5, planRate: 0.5, visitOverdue: 3 },
    ];
    const o = buildPlanCoverageOption(rows);
    expect(axis(o)).toEqual(['丙市', '甲市', '乙市']);
    const s = first(o);
    expect(s.id).toBe(PLAN_SERIES_ID);
    expect(s.data.map((d) => d.value)).toEqual([0.5, 1, 0]);
    expect(s.data.map((d) => d.itemStyle.color)).toEqual([COLORS.far, COLORS.good, COLORS.none]);
    expect(s.data[0]!.label!.formatter()).toBe('50.0%  逾期3人');
  });

  it('coverage colours by band', () => {
    expect([coverageColor(null), coverageColor(1), coverageColor(0.85), coverageColor(0.5)]).toEqual([COLORS.none, COLORS.good, COLORS.near, COLORS.far]);
  });

  it('rights by type and campaigns keep every enum key in order, zero bars greyed', () => {
    const r = buildRightsTypeOption(care.rights.byType);
    expect(first(r).id).toBe(RIGHTS_SERIES_ID);
    expect(axis(r)).toEqual(['黑职介', '虚假招聘', '求职培训贷']);
    expect(first(r).data.map((d) => [d.value, d.itemStyle.color === COLORS.none])).toEqual([[2, false], [3, false], [0, true]]);
    const c = buildCampaignOption(care.campaigns);
    expect(first(c).id).toBe(CAMPAIGN_SERIES_ID);
    expect(axis(c)).toEqual(['百日千万网络招聘', '金秋招聘月', '其他']);
    expect((c.xAxis as { max: number }).max).toBe(6);
  });

  it('summarises the checklist', () => {
    expect(checklistSummary(care.checklist)).toBe('2 个单位 · 齐全 1 · 按期 0');
  });
});
