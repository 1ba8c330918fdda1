import { describe, expect, it } from 'vitest';
import {
  buildExitsOption, buildPolicyOption, buildPostsOption, buildSupportTiles, money, residentValues, SUPPORT_SERIES_ID,
} from '../../../frontend/src/screen/options/support';
import { zeroMeasureMetrics, type MeasureMetrics } from '../../../backend/src/measures/measures.types';

function m(over: Partial<MeasureMetrics> = {}): MeasureMetrics {
  return { ...zeroMeasureMetrics(), ...over };
}

const series = (o: ReturnType<typeof buildExitsOption>) => (o.series as Array<{ id: string; data: number[] }>)[0]!;
const labels = (o: ReturnType<typeof buildExitsOption>) => (o.yAxis as { data: string[] }).data;

describe('就业支持 scene builders', () => {
  it('shows money in 元 below ten thousand and in 万元 from there', () => {
    expect(money(0)).toEqual({ value: '0', unit: '元' });
    expect(money(1500.1)).toEqual({ value: '1,500.1', unit: '元' });
    expect(money(306500.45)).toEqual({ value: '30.7', unit: '万元' });
  });

  it('tiles: counts, rates (— without a denominator) and money', () => {
    const tiles = buildSupportTiles(m({
      centres: 4, countyCentreRate: 4 / 72, centreEntrants: 4, centreResident: 3, centreExits: 3, centreExitsToWork: 2, centreExitWorkRate: 2 / 3,
      postsDeveloped: 21, postsPublished: 16, postsPublishedRate: 16 / 21, policyGranted: 5, policyPersons: 4, policyAmount: 307735.01,
      policyPending: 0, policyOnlineRate: 0.6, centreAllowance: 3800.76,
    }));
    const by = Object.fromEntries(tiles.map((t) => [t.key, t]));
    expect(by.centres).toMatchObject({ value: '4', note: '县区覆盖 5.6%' });
    expect(by.centreExitWorkRate).toMatchObject({ value: '66.7%', note: '2/3 人次 · 补助 3,800.76元' });
    expect(by.postsPublishedRate!.value).toBe('76.2%');
    expect(by.policyAmount).toMatchObject({ value: '30.8', unit: '万元' });
    expect(buildSupportTiles(m()).find((t) => t.key === 'centreExitWorkRate')!.value).toBe('—');
  });

  it('exits by channel and posts by source keep every enum value in order, zeros included', () => {
    const exits = buildExitsOption(m({ centreExitsByChannel: { 岗位匹配: 5, 见习留用: 0, 实现创业: 1, 公益性岗位托底: 2, 其他: 3 } }));
    expect(labels(exits)).toEqual(['岗位匹配', '见习留用', '实现创业', '公益性岗位托底', '其他']);
    expect(series(exits)).toMatchObject({ id: SUPPORT_SERIES_ID, data: [5, 0, 1, 2, 3] });
    const posts = buildPostsOption(m({ postsBySource: { 事业单位招聘: 5, 三支一扶: 2, 其他基层项目: 0, 重点企业: 10, 重大项目: 0, 专精特新企业: 4, 其他企业: 0 } }));
    expect(labels(posts)).toHaveLength(7);
    expect(series(posts).data).toEqual([5, 2, 0, 10, 0, 4, 0]);
  });

  it('policy money by type, largest first, in 万元', () => {
    const base = zeroMeasureMetrics().policyByType;
    const o = buildPolicyOption(m({ policyByType: { ...base, 创业担保贷款: { granted: 1, amount: 300000 }, 一次性扩岗补助: { granted: 1, amount: 1500.1 } } }));
    expect(labels(o).slice(0, 2)).toEqual(['创业担保贷款', '一次性扩岗']);
    expect(series(o).data.slice(0, 2)).toEqual([30, 0.15]);
  });

  it('colours the map by graduates in a centre per county', () => {
    const counties = { '220102': { centreResident: 3 }, '220103': { centreResident: 0 } } as unknown as Parameters<typeof residentValues>[0]['counties'];
    expect(residentValues({ counties })).toEqual({ '220102': 3, '220103': 0 });
  });
});
