// The home page's pure helpers: campaign-bound days, change since last week, to-do links.
import { describe, expect, it } from 'vitest';
import { addDays, dayProblem, formatBytes, isRealDay, pageDay, pickerBounds, points, todoLink, weekChange } from '../../../frontend/src/home/home.logic';
import type { TrendPoint } from '../../../frontend/src/workbench/types';

const campaign = { from: '2022-07-01', day: '2022-10-15' };

describe('campaign-bound days', () => {
  it('bounds a picker from the campaign’s first day to its current day', () => {
    expect(pickerBounds(campaign)).toEqual({ min: '2022-07-01', max: '2022-10-15' });
  });
  it('refuses a day outside the campaign or not a real date, accepts the ends', () => {
    expect(dayProblem('2022-07-01', campaign)).toBe('');
    expect(dayProblem('2022-10-15', campaign)).toBe('');
    expect(dayProblem('2022-06-30', campaign)).toContain('2022-07-01 至 2022-10-15');
    expect(dayProblem('2022-10-16', campaign)).toContain('攻坚行动期间');
    expect(dayProblem('2022-02-30', campaign)).toContain('有效日期');
    expect(isRealDay('2022-2-3')).toBe(false);
  });
  it('shows the URL’s day when the campaign allows it, else the campaign’s current day', () => {
    expect(pageDay('2022-09-01', campaign)).toBe('2022-09-01');
    expect(pageDay('2023-01-01', campaign)).toBe('2022-10-15');
    expect(pageDay(undefined, campaign)).toBe('2022-10-15');
    expect(pageDay(['2022-09-01'], campaign)).toBe('2022-10-15');
  });
});

describe('change since last week', () => {
  const point = (asOf: string, contactRate: number | null): TrendPoint => ({ asOf, contactRate } as unknown as TrendPoint);
  it('is the rate on the day minus the rate 7 days before', () => {
    const trend = [point('2022-09-23', 0.5), point('2022-09-29', 0.58), point('2022-09-30', 0.6)];
    expect(weekChange(trend, '2022-09-30', 'contactRate')).toBeCloseTo(0.1, 10);
    expect(points(0.1)).toBe('+10.0');
    expect(points(-0.004)).toBe('−0.4');
    expect(points(0)).toBe('0.0');
  });
  it('is unknown when either end is missing or undefined', () => {
    expect(weekChange([point('2022-07-03', 0.1)], '2022-07-03', 'contactRate')).toBeNull();
    expect(weekChange([point('2022-09-23', null), point('2022-09-30', 0.6)], '2022-09-30', 'contactRate')).toBeNull();
    expect(points(null)).toBe('—');
    expect(addDays('2022-07-01', -7)).toBe('2022-06-24');
  });
});

describe('to-do links', () => {
  it('open the county’s case list with the to-do filter and day, or the orders awaiting a reply', () => {
    expect(todoLink('help_due', '220102', '2022-08-10')).toBe('/r/220102/cases?asOf=2022-08-10&todo=help_due');
    expect(todoLink('visit_due', '220103', '2022-08-10')).toBe('/r/220103/cases?asOf=2022-08-10&todo=visit_due');
    expect(todoLink('dispatch_awaiting', '', '2022-08-10')).toBe('/alerts?tab=dispatch&awaiting=1');
  });
  it('formats a data directory’s size', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
  });
});

describe('alerts by rule from the alert groups', () => {
  it('sums each rule’s groups: counts, acknowledged, regions, the oldest age and the highest severity', async () => {
    const { byRule } = await import('../../../frontend/src/home/alertRules');
    const g = (region: string, rule: string, severity: string, count: number, acknowledged: number, oldestAgeDays: number) => ({
      region, regionName: region, rule, ruleLabel: rule, severity, count, acknowledged, oldestOpenedAt: '', oldestAgeDays, escalationLevel: 0,
    });
    const rows = byRule([
      g('220102', 'not_contacted', 'medium', 3, 1, 2),
      g('220103', 'not_contacted', 'high', 2, 0, 9),
      g('220102', 'stale_data', 'high', 1, 0, 1),
      g('220104', 'incomplete_1311', 'low', 7, 7, 30),
    ]);
    expect(rows.map((r) => [r.rule, r.count, r.acknowledged, r.regions, r.oldestAgeDays, r.severity])).toEqual([
      ['incomplete_1311', 7, 7, 1, 30, 'low'],
      ['not_contacted', 5, 1, 2, 9, 'high'],
      ['stale_data', 1, 0, 1, 1, 'high'],
    ]);
  });
});
