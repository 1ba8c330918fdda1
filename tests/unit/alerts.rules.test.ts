// The alert rules' configuration per campaign year, the escalation math and
// the rules computed in Node (below_target, recruitment_missed), pure.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  alertsConfigFor, AlertsConfigError, belowTargetConditions, checkpointOn, completedDay, DEFAULT_ALERTS, dispatchLevel, endOfDay, escalationLevel,
  levelsCrossed, loadAlertsConfig, mergeAlertsConfig, nextEscalationAt, parseShanghai, recruitmentConditions, RULE_KEYS, shanghai, windowsFor,
  type RegionRate,
} from '../../backend/src/alerts/alerts.rules';

const H = 3_600_000;

describe('rule configuration per campaign year', () => {
  it('defaults: every rule on, with the parameters of the issue', () => {
    const c = mergeAlertsConfig(2022, undefined);
    expect(c.year).toBe(2022);
    expect(Object.keys(c.rules).sort()).toEqual([...RULE_KEYS].sort());
    // forecast_miss is the one optional rule (off until ALERTS_CONFIG turns it on; tests/unit/alerts.forecast.test.ts).
    expect(RULE_KEYS.filter((k) => k !== 'forecast_miss').every((k) => c.rules[k].enabled)).toBe(true);
    expect(c.rules.help_request_overdue.params.hours).toBe(24);
    expect(c.rules.not_contacted.params.days).toBe(7);
    expect(c.rules.not_distributed.params).toEqual({ days: 3, undistributedOn: '07-31' });
    expect(c.rules.hardship_no_one_on_one.params.days).toBe(7);
    expect(c.rules.hardship_no_followup.params.days).toBe(30);
    expect(c.rules.incomplete_1311.params.days).toBe(60);
    expect(c.rules.below_target.params.checkpointDays).toEqual([1, 16]);
    expect(c.rules.stale_data.params.days).toBe(7);
    expect(c.escalation).toEqual({ countyHours: 72, unitHours: 72, acknowledgedEscalates: true });
  });

  it('an override changes only what it names and never the defaults object', () => {
    const c = mergeAlertsConfig(2022, { rules: { not_contacted: { params: { days: 5 }, severity: 'high' }, recruitment_missed: { enabled: false } }, escalation: { countyHours: 48 } });
    expect(c.rules.not_contacted).toMatchObject({ enabled: true, severity: 'high', params: { days: 5 } });
    expect(c.rules.recruitment_missed.enabled).toBe(false);
    expect(c.escalation).toEqual({ countyHours: 48, unitHours: 72, acknowledgedEscalates: true });
    expect(DEFAULT_ALERTS.rules.not_contacted.params.days).toBe(7);
    expect(DEFAULT_ALERTS.escalation.countyHours).toBe(72);
  });

  it('a file keyed by year configures each campaign year on its own', () => {
    const raw = { '2022': { rules: { incomplete_1311: { params: { days: 45 } } } }, '2023': { rules: { incomplete_1311: { enabled: false } } } };
    expect(alertsConfigFor(2022, raw).rules.incomplete_1311).toMatchObject({ enabled: true, params: { days: 45 } });
    expect(alertsConfigFor(2023, raw).rules.incomplete_1311.enabled).toBe(false);
    // A year the file does not mention gets the defaults.
    expect(alertsConfigFor(2024, raw).rules.incomplete_1311).toMatchObject({ enabled: true, params: { days: 60 } });
  });

  it('per-rule escalation windows override the global ones', () => {
    const c = mergeAlertsConfig(2022, { rules: { help_request_overdue: { escalation: { countyHours: 24 } } } });
    expect(windowsFor(c, 'help_request_overdue')).toEqual({ countyHours: 24, unitHours: 72 });
    expect(windowsFor(c, 'not_contacted')).toEqual({ countyHours: 72, unitHours: 72 });
  });

  it('refuses unknown rules, keys, severities and bad parameters with a message naming them', () => {
    expect(() => mergeAlertsConfig(2022, { rules: { nope: {} } })).toThrow(/unknown rule nope/);
    expect(() => mergeAlertsConfig(2022, { rules: { not_contacted: { severity: 'urgent' } } })).toThrow(/severity/);
    expect(() => mergeAlertsConfig(2022, { rules: { not_contacted: { params: { days: 0 } } } })).toThrow(/days/);
    expect(() => mergeAlertsConfig(2022, { rules: { not_contacted: { params: { hours: 5 } } } })).toThrow(/unknown parameter hours/);
    expect(() => mergeAlertsConfig(2022, { rules: { not_distributed: { params: { undistributedOn: '7/31' } } } })).toThrow(/MM-DD/);
    expect(() => mergeAlertsConfig(2022, { rules: { below_target: { params: { metrics: ['speed'] } } } })).toThrow(/metrics/);
    expect(() => mergeAlertsConfig(2022, { escalation: { countyHours: -1 } })).toThrow(AlertsConfigError);
    expect(() => mergeAlertsConfig(2022, { alarms: {} })).toThrow(/unknown key alarms/);
  });

  it('ALERTS_CONFIG names the file', () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'alerts-cfg-')), 'alerts.json');
    fs.writeFileSync(f, JSON.stringify({ rules: { stale_data: { params: { days: 3 } } } }));
    expect(loadAlertsConfig(2022, { ALERTS_CONFIG: f }).rules.stale_data.params.days).toBe(3);
    fs.writeFileSync(f, '{ not json');
    expect(() => loadAlertsConfig(2022, { ALERTS_CONFIG: f })).toThrow(/ALERTS_CONFIG/);
    expect(loadAlertsConfig(2022, {}).rules.stale_data.params.days).toBe(7);
  });
});

describe('escalation math', () => {
  const w = { countyHours: 72, unitHours: 48 };
  const opened = parseShanghai('2022-07-10 23:59:59');

  it('a county alert climbs to the unit after the county window and to the province after the unit window', () => {
    expect(escalationLevel('county', opened, opened, w)).toBe('county');
    expect(escalationLevel('county', opened, opened + 72 * H - 1000, w)).toBe('county');
    expect(escalationLevel('county', opened, opened + 72 * H, w)).toBe('unit');
    expect(escalationLevel('county', opened, opened + 120 * H - 1000, w)).toBe('unit');
    expect(escalationLevel('county', opened, opened + 120 * H, w)).toBe('province');
  });

  it('a unit-owned alert has one window; a province-owned one never climbs', () => {
    expect(escalationLevel('unit', opened, opened + 48 * H - 1, w)).toBe('unit');
    expect(escalationLevel('unit', opened, opened + 48 * H, w)).toBe('province');
    expect(escalationLevel('province', opened, opened + 9999 * H, w)).toBe('province');
  });

  it('the due time is when the current level runs out', () => {
    expect(shanghai(nextEscalationAt('county', 'county', opened, w)!)).toBe('2022-07-13 23:59:59');
    expect(shanghai(nextEscalationAt('county', 'unit', opened, w)!)).toBe('2022-07-15 23:59:59');
    expect(shanghai(nextEscalationAt('unit', 'unit', opened, w)!)).toBe('2022-07-12 23:59:59');
    expect(nextEscalationAt('county', 'province', opened, w)).toBeNull();
  });

  it('each level passed on the way up is told once', () => {
    expect(levelsCrossed('county', 'unit')).toEqual(['unit']);
    expect(levelsCrossed('county', 'province')).toEqual(['unit', 'province']);
    expect(levelsCrossed('unit', 'unit')).toEqual([]);
  });

  it('a dispatch order climbs once its due date has ended, then after the unit window', () => {
    expect(dispatchLevel('2022-07-20', endOfDay('2022-07-20'), w)).toBe('county');
    expect(dispatchLevel('2022-07-20', endOfDay('2022-07-21'), w)).toBe('unit');
    expect(dispatchLevel('2022-07-20', endOfDay('2022-07-22'), w)).toBe('unit');
    expect(dispatchLevel('2022-07-20', endOfDay('2022-07-23'), w)).toBe('province');
  });
});

describe('time in Asia/Shanghai', () => {
  it('end of day and the last completed day', () => {
    expect(shanghai(endOfDay('2022-07-10'))).toBe('2022-07-10 23:59:59');
    expect(completedDay(endOfDay('2022-07-10'))).toBe('2022-07-10');
    expect(completedDay(parseShanghai('2022-07-10 14:00:00'))).toBe('2022-07-09');
    expect(completedDay(parseShanghai('2022-07-11 00:00:00'))).toBe('2022-07-10');
  });

  it('the latest semi-monthly checkpoint inside the campaign', () => {
    expect(checkpointOn('2022-07-15', [1, 16], '2022-07-01', '2022-12-31')).toBe('2022-07-01');
    expect(checkpointOn('2022-07-16', [1, 16], '2022-07-01', '2022-12-31')).toBe('2022-07-16');
    expect(checkpointOn('2022-08-03', [1, 16], '2022-07-01', '2022-12-31')).toBe('2022-08-01');
    expect(checkpointOn('2022-06-30', [1, 16], '2022-07-01', '2022-12-31')).toBeNull();
    expect(checkpointOn('2023-02-10', [1, 16], '2022-07-01', '2022-12-31')).toBe('2022-12-16');
  });
});

describe('rules computed in Node', () => {
  const cfg = mergeAlertsConfig(2022, undefined);
  const path = (_m: string, d: string) => (d === '2022-08-16' ? 0.4 : 0.45);

  it('below_target: below the path at the checkpoint and still below it now', () => {
    const regions: RegionRate[] = [
      { level: 'county', code: '220102', name: '南关区', unitCode: '220100', atCheckpoint: { contactRate: 0.3, rate1311: 0.5 }, now: { contactRate: 0.35, rate1311: 0.5 } },
      // Caught up since the checkpoint: no alert.
      { level: 'county', code: '220103', name: '宽城区', unitCode: '220100', atCheckpoint: { contactRate: 0.3, rate1311: 0.5 }, now: { contactRate: 0.46, rate1311: 0.5 } },
      // Exactly on the path: not below.
      { level: 'county', code: '220104', name: '朝阳区', unitCode: '220100', atCheckpoint: { contactRate: 0.4, rate1311: 0.4 }, now: { contactRate: 0.3, rate1311: 0.3 } },
      // No one to rate: no alert.
      { level: 'unit', code: '220100', name: '长春市', unitCode: '220100', atCheckpoint: { contactRate: null, rate1311: 0.1 }, now: { contactRate: null, rate1311: 0.1 } },
    ];
    const out = belowTargetConditions(regions, '2022-08-16', '2022-08-18', path, cfg.rules.below_target);
    expect(out.map((c) => c.subject)).toEqual(['county:220102:contactRate', 'unit:220100:rate1311']);
    expect(out[0]).toMatchObject({ ownerCode: '220102', ownerLevel: 'county', countyCode: '220102', unitCode: '220100', breachedAt: '2022-08-16 23:59:59' });
    expect(out[1]).toMatchObject({ ownerCode: '220100', ownerLevel: 'unit', countyCode: '' });
    expect(out[0]!.title).toContain('联系率 35.0%');
    const noUnits = belowTargetConditions(regions, '2022-08-16', '2022-08-18', path, { ...cfg.rules.below_target, params: { ...cfg.rules.below_target.params, units: false } });
    expect(noUnits.map((c) => c.subject)).toEqual(['county:220102:contactRate']);
  });

  it('recruitment_missed: a miss stays open until the unit holds such an event later', () => {
    const misses = [
      { unitCode: '220100', unitName: '长春市', kind: 'week' as const, label: '2022-W28', start: '2022-07-11', end: '2022-07-17' },
      { unitCode: '220200', unitName: '吉林市', kind: 'week' as const, label: '2022-W28', start: '2022-07-11', end: '2022-07-17' },
      { unitCode: '220200', unitName: '吉林市', kind: 'month' as const, label: '2022-07', start: '2022-07-01', end: '2022-07-31' },
    ];
    const heldLater = (unit: string, kind: string) => unit === '220100' && kind === 'week';
    const out = recruitmentConditions(misses, heldLater, cfg.rules.recruitment_missed);
    expect(out.map((c) => c.subject)).toEqual(['220200:week:2022-W28', '220200:month:2022-07']);
    expect(out[0]).toMatchObject({ ownerCode: '220200', ownerLevel: 'unit', breachedAt: '2022-07-17 23:59:59' });
    const weeklyOff = recruitmentConditions(misses, heldLater, { ...cfg.rules.recruitment_missed, params: { weekly: false, monthly: true } });
    expect(weeklyOff.map((c) => c.subject)).toEqual(['220200:month:2022-07']);
  });
});
