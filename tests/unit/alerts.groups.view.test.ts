// The alert centre's groups view, pure: filters, the group key in the URL,
// a notice link opening its group, and the words shown for a group.
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, parseAlertsQuery, toRouteQuery } from '../../frontend/src/alerts/alertsQuery';
import { ackShare, ageText, canDispatch, dueAfter, filterGroups, groupKey, linkedGroup, parseGroupKey, type AlertGroup } from '../../frontend/src/alerts/groupsView';

const g = (region: string, rule: string, over: Partial<AlertGroup> = {}): AlertGroup => ({
  region, regionName: region, rule, ruleLabel: rule, severity: 'medium', count: 4, acknowledged: 1, oldestOpenedAt: '2022-07-01 23:59:59',
  oldestAgeDays: 5, escalationLevel: 0, ...over,
});

describe('alert groups view', () => {
  const groups = [g('220102', 'not_contacted'), g('220102', 'help_request_overdue', { severity: 'high', escalationLevel: 1, oldestAgeDays: 9 }), g('220103', 'not_contacted', { oldestAgeDays: 0 })];

  it('groups are the default view; the list and an expanded group travel in the URL', () => {
    expect(parseAlertsQuery({}).view).toBe('groups');
    const s = { ...DEFAULT_STATE, view: 'list' as const };
    expect(toRouteQuery(s)).toEqual({ view: 'list' });
    const t = { ...DEFAULT_STATE, group: '220102:not_contacted', page: 2 };
    expect(parseAlertsQuery(toRouteQuery(t))).toEqual(t);
    expect(parseAlertsQuery({ group: '2201:x;drop' }).group).toBe('');
    expect(parseGroupKey('220102:not_contacted')).toEqual({ region: '220102', rule: 'not_contacted' });
    expect(parseGroupKey('nope')).toBeNull();
    expect(groupKey(groups[0]!)).toBe('220102:not_contacted');
  });

  it('filters by rule, severity, the level climbed and the oldest age', () => {
    expect(filterGroups(groups, DEFAULT_STATE)).toHaveLength(3);
    expect(filterGroups(groups, { ...DEFAULT_STATE, rule: 'not_contacted' }).map((x) => x.region)).toEqual(['220102', '220103']);
    expect(filterGroups(groups, { ...DEFAULT_STATE, severity: 'high' })).toEqual([groups[1]]);
    expect(filterGroups(groups, { ...DEFAULT_STATE, level: 'unit' })).toEqual([groups[1]]);
    expect(filterGroups(groups, { ...DEFAULT_STATE, level: 'county' })).toHaveLength(2);
    expect(filterGroups(groups, { ...DEFAULT_STATE, ageMin: '7' })).toEqual([groups[1]]);
  });

  it('a notice link (rule + county) opens its one group; otherwise nothing is forced open', () => {
    expect(linkedGroup(groups, { rule: 'not_contacted', region: '220103', group: '' })).toBe('220103:not_contacted');
    expect(linkedGroup(groups, { rule: 'not_contacted', region: '220100', group: '' })).toBe('');
    expect(linkedGroup(groups, { rule: '', region: '220103', group: '' })).toBe('');
    expect(linkedGroup(groups, { rule: 'not_contacted', region: '220103', group: '220102:not_contacted' })).toBe('220102:not_contacted');
  });

  it('share, age, who may dispatch, the default due date', () => {
    expect(ackShare({ count: 4, acknowledged: 1 })).toEqual({ text: '1/4', percent: 25 });
    expect(ackShare({ count: 0, acknowledged: 0 }).percent).toBe(0);
    expect(ageText(0)).toBe('不足1天');
    expect(ageText(12)).toBe('12天');
    const counties = new Set(['220102']);
    expect(canDispatch('unit', '220102', counties)).toBe(true);
    expect(canDispatch('county', '220102', counties)).toBe(false);
    expect(canDispatch('province', '220100', counties)).toBe(false);
    expect(dueAfter('2022-12-30')).toBe('2023-01-02');
  });
});
