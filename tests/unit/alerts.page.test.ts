// The alert centre's URL state (frontend/src/alerts/alertsQuery.ts), pure:
// deep links round-trip, junk falls back to defaults, filters reset the page.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STATE, formatAge, parseAlertsQuery, rowKeyAction, toApiQuery, toRouteQuery, withFilter,
} from '../../frontend/src/alerts/alertsQuery';

describe('alert centre URL state', () => {
  it('the default state has an empty query and asks the API for unresolved alerts', () => {
    expect(parseAlertsQuery({})).toEqual(DEFAULT_STATE);
    expect(toRouteQuery(DEFAULT_STATE)).toEqual({});
    expect(toApiQuery(DEFAULT_STATE)).toBe('state=unresolved&limit=20&offset=0');
  });

  it('a notice link opens the right list', () => {
    const s = parseAlertsQuery({ rule: 'help_request_overdue', region: '220102', level: 'unit' });
    expect(s).toMatchObject({ rule: 'help_request_overdue', region: '220102', level: 'unit', tab: 'alerts' });
    expect(toApiQuery(s)).toBe('rule=help_request_overdue&region=220102&state=unresolved&level=unit&limit=20&offset=0');
    expect(parseAlertsQuery({ tab: 'dispatch', order: 'D20220712-abcdef' })).toMatchObject({ tab: 'dispatch', order: 'D20220712-abcdef' });
  });

  it('round-trips every field', () => {
    const s = { ...DEFAULT_STATE, rule: 'not_contacted' as const, region: '220100', state: 'all' as const, severity: 'high' as const, level: 'province' as const, ageMin: '3' as const, page: 3, size: 50, id: '0123456789abcdef', overdue: true };
    expect(parseAlertsQuery(toRouteQuery(s))).toEqual(s);
    expect(toApiQuery(s)).toBe('rule=not_contacted&region=220100&state=all&severity=high&level=province&ageMin=3&limit=50&offset=100');
  });

  it('ignores what the API would refuse', () => {
    expect(parseAlertsQuery({ rule: "x' OR 1=1", region: '22', state: 'nope', severity: 'urgent', page: '-2', size: '7', id: 'zz', order: '1' })).toEqual(DEFAULT_STATE);
    expect(parseAlertsQuery({ rule: ['stale_data', 'x'] }).rule).toBe('stale_data');
  });

  it('a filter change goes back to page 1 and closes the open alert', () => {
    const s = { ...DEFAULT_STATE, page: 4, id: '0123456789abcdef' };
    expect(withFilter(s, { severity: 'low' })).toMatchObject({ severity: 'low', page: 1, id: '' });
  });

  it('ages and keys', () => {
    expect(formatAge(null)).toBe('—');
    expect(formatAge(0)).toBe('不足1小时');
    expect(formatAge(5)).toBe('5小时');
    expect(formatAge(48)).toBe('2天');
    expect(formatAge(75)).toBe('3天3小时');
    expect(rowKeyAction('ArrowDown', 2, 3)).toEqual({ type: 'focus', index: 2 });
    expect(rowKeyAction('Home', 2, 3)).toEqual({ type: 'focus', index: 0 });
    expect(rowKeyAction(' ', 1, 3)).toEqual({ type: 'toggle', index: 1 });
    expect(rowKeyAction('Enter', 1, 3)).toEqual({ type: 'open', index: 1 });
    expect(rowKeyAction('x', 1, 3)).toBeNull();
    expect(rowKeyAction('Enter', 0, 0)).toBeNull();
  });
});
