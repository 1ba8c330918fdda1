import { zeroMeasureMetrics } from '../../../backend/src/measures/measures.types';
import { describe, expect, it } from 'vitest';
import {
  barWidth, CHILD_COLUMNS, componentsFromFunnel, gapPoints, gapTone, lagIndex, lagText, nextSort, rankText, sortRegions, topChildren,
} from '../../../frontend/src/workbench/metrics';
import type { Metrics, RegionMetrics } from '../../../frontend/src/workbench/types';

const ZERO: Metrics = {
  received: 0, pendingDistribution: 0, contacted: 0, contactRate: null, intentEmployment: 0, completed1311: 0, rate1311: null, employed: 0,
  employmentRate: null, hardship: 0, hardshipOneOnOne: 0, hardshipEmployed: 0, helpRequests: 0, helpContactedInSla: 0, helpOverdue: 0,
  helpSlaRate: null, hardshipOneOnOneRate: null,
  ...zeroMeasureMetrics(),
};
const row = (region: string, name: string, m: Partial<Metrics>): RegionMetrics => ({ ...ZERO, region, name, level: 'county', asOf: '2022-09-30', ...m });

const rows = [
  row('220102', '南关区', { received: 50, contactRate: 0.8, helpOverdue: 2 }),
  row('220103', '宽城区', { received: 30, contactRate: null, helpOverdue: 0 }),
  row('220104', '朝阳区', { received: 70, contactRate: 0.6, helpOverdue: 5 }),
  row('220105', '二道区', { received: 70, contactRate: 0.8, helpOverdue: 1 }),
];

describe('sortRegions', () => {
  it('sorts a rate ascending and descending, regions without a value always last', () => {
    expect(sortRegions(rows, 'contactRate', 'asc').map((r) => r.region)).toEqual(['220104', '220102', '220105', '220103']);
    expect(sortRegions(rows, 'contactRate', 'desc').map((r) => r.region)).toEqual(['220102', '220105', '220104', '220103']);
  });

  it('breaks ties by code and leaves the input alone', () => {
    const before = rows.map((r) => r.region);
    expect(sortRegions(rows, 'received', 'desc').map((r) => r.region)).toEqual(['220104', '220105', '220102', '220103']);
    expect(rows.map((r) => r.region)).toEqual(before);
  });

  it('sorts names by Chinese collation', () => {
    const byName = sortRegions(rows, 'name', 'asc').map((r) => r.name);
    expect(byName).toHaveLength(4);
    expect(sortRegions(rows, 'name', 'desc').map((r) => r.name)).toEqual([...byName].reverse());
  });

  it('has a sortable column for every metric shown', () => {
    expect(CHILD_COLUMNS.map((c) => c.key)).toEqual(['name', 'received', 'contactRate', 'rate1311', 'employmentRate', 'hardshipOneOnOneRate', 'helpSlaRate', 'helpOverdue']);
  });
});

describe('nextSort', () => {
  it('flips the same column and starts another at its default direction', () => {
    expect(nextSort(null, 'contactRate')).toEqual({ key: 'contactRate', dir: 'asc' });
    expect(nextSort({ key: 'contactRate', dir: 'asc' }, 'contactRate')).toEqual({ key: 'contactRate', dir: 'desc' });
    expect(nextSort({ key: 'contactRate', dir: 'desc' }, 'received')).toEqual({ key: 'received', dir: 'desc' });
    expect(nextSort(null, 'name')).toEqual({ key: 'name', dir: 'asc' });
  });
});

describe('gaps', () => {
  it('shows points with a real minus sign and — without a value', () => {
    expect(gapPoints(-0.0321)).toBe('−3.2');
    expect(gapPoints(0.01)).toBe('+1.0');
    expect(gapPoints(0.00001)).toBe('0.0');
    expect(gapPoints(null)).toBe('—');
  });

  it('grades a gap: met, within 5 points, further behind', () => {
    expect(gapTone(0)).toBe('good');
    expect(gapTone(-0.05)).toBe('near');
    expect(gapTone(-0.051)).toBe('behind');
    expect(gapTone(null)).toBe('none');
  });

  it('clamps bars to the cell', () => {
    expect(barWidth(1.2)).toBe(100);
    expect(barWidth(-0.1)).toBe(0);
    expect(barWidth(null)).toBe(0);
    expect(barWidth(0.5)).toBe(50);
  });

  it('says lag reasons and ranks in words', () => {
    expect(lagText({ metric: 'contactRate', value: 0.5, path: 0.6, gap: -0.1, reason: 'below_target' })).toBe('联系率低于目标进度 −10.0 个百分点');
    expect(lagText({ metric: 'rate1311', value: 0.5, path: 0.4, gap: 0.1, reason: 'bottom_quarter' })).toBe('1311完成率处于同级后四分之一');
    expect(rankText({ rank: 3, of: 11 })).toBe('第 3 / 11');
    expect(rankText(null)).toBe('—');
    const idx = lagIndex([{ region: '220102', name: '南关区', level: 'county', reasons: [{ metric: 'contactRate', value: 0.5, path: 0.6, gap: -0.1, reason: 'below_target' }] }]);
    expect(idx.get('220102')?.metrics.has('contactRate')).toBe(true);
    expect(idx.has('220103')).toBe(false);
  });
});

describe('componentsFromFunnel', () => {
  it('turns "persons meeting each component" into "persons still missing it"', () => {
    const out = componentsFromFunnel({ jobSeekers: 200, components: [{ type: '职业指导', min: 1, count: 150 }, { type: '岗位推介', min: 3, count: 200 }] });
    expect(out).toEqual([
      { type: '职业指导', min: 1, missing: 50, share: 0.25 },
      { type: '岗位推介', min: 3, missing: 0, share: 0 },
    ]);
    expect(componentsFromFunnel({ jobSeekers: 0, components: [{ type: '技能培训', min: 1, count: 0 }] })[0]!.share).toBeNull();
  });
});

describe('topChildren', () => {
  it('lists the children with the most open cases, zeros left out', () => {
    expect(topChildren(rows, (r) => r.helpOverdue, 2).map((x) => [x.row.region, x.value])).toEqual([['220104', 5], ['220102', 2]]);
    expect(topChildren(rows, () => 0)).toEqual([]);
  });
});
