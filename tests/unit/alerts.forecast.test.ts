// The optional forecast_miss rule: off by default, configurable like the
// others, and its boundaries (the first judged day, the last day, exactly on
// the target, no projection), pure.
import { describe, expect, it } from 'vitest';
import { AlertsConfigError, forecastMissConditions, mergeAlertsConfig, type RegionForecast } from '../../backend/src/alerts/alerts.rules';
import { DEFAULT_CAMPAIGN } from '../../backend/src/metrics/campaign.config';

const on = () => {
  const c = mergeAlertsConfig(2022, { rules: { forecast_miss: { enabled: true } } });
  return c.rules.forecast_miss;
};

const regions: RegionForecast[] = [
  { level: 'county', code: '220102', name: '南关区', unitCode: '220100', forecast: { contactRate: { projectedEnd: 0.7, onTrack: false, neededPerDay: 0.004 }, rate1311: { projectedEnd: 0.95, onTrack: true, neededPerDay: 0.001 } } },
  // Projected exactly to the target: on track (the forecast's own ≥), no alert.
  { level: 'county', code: '220103', name: '宽城区', unitCode: '220100', forecast: { contactRate: { projectedEnd: 0.95, onTrack: true, neededPerDay: 0.002 } } },
  // No projection yet (fewer than 2 days of data): no alert.
  { level: 'county', code: '220104', name: '朝阳区', unitCode: '220100', forecast: { contactRate: { projectedEnd: null, onTrack: null, neededPerDay: 0.01 } } },
  { level: 'unit', code: '220100', name: '长春市', unitCode: '220100', forecast: { employmentRate: { projectedEnd: 0.5, onTrack: false, neededPerDay: 0.005 } } },
];

describe('forecast_miss', () => {
  it('is off by default, low, with the three progress rates and a 30-day start', () => {
    const c = mergeAlertsConfig(2022, undefined);
    expect(c.rules.forecast_miss).toEqual({
      enabled: false, severity: 'low', params: { metrics: ['contactRate', 'rate1311', 'employmentRate'], counties: true, units: true, startAfterDays: 30 },
    });
    expect(forecastMissConditions(regions, '2022-10-01', DEFAULT_CAMPAIGN, c.rules.forecast_miss)).toEqual([]);
  });

  it('is configured like the others, and refuses what it does not know', () => {
    const c = mergeAlertsConfig(2022, { rules: { forecast_miss: { enabled: true, severity: 'medium', params: { metrics: ['contactRate'], startAfterDays: 0, units: false } } } });
    expect(c.rules.forecast_miss).toMatchObject({ enabled: true, severity: 'medium', params: { metrics: ['contactRate'], startAfterDays: 0, units: false, counties: true } });
    expect(() => mergeAlertsConfig(2022, { rules: { forecast_miss: { params: { startAfterDays: -1 } } } })).toThrow(AlertsConfigError);
    expect(() => mergeAlertsConfig(2022, { rules: { forecast_miss: { params: { startAfterDays: 1.5 } } } })).toThrow(/startAfterDays/);
    expect(() => mergeAlertsConfig(2022, { rules: { forecast_miss: { params: { metrics: ['speed'] } } } })).toThrow(/metrics/);
    expect(() => mergeAlertsConfig(2022, { rules: { forecast_miss: { params: { margin: 1 } } } })).toThrow(/unknown parameter margin/);
  });

  it('alerts a county and a unit whose projection misses, not one exactly on the target or without a projection', () => {
    const out = forecastMissConditions(regions, '2022-10-01', DEFAULT_CAMPAIGN, on());
    expect(out.map((c) => c.subject)).toEqual(['county:220102:contactRate', 'unit:220100:employmentRate']);
    expect(out[0]).toMatchObject({ rule: 'forecast_miss', ownerCode: '220102', ownerLevel: 'county', countyCode: '220102', unitCode: '220100', severity: 'low', breachedAt: '2022-10-01 23:59:59' });
    expect(out[0]!.title).toBe('南关区联系率按近14天进度预计年底 70.0%，达不到目标 95.0%，需每天提高 0.40 个百分点');
    expect(JSON.parse(out[0]!.detail)).toEqual({ metric: 'contactRate', day: '2022-10-01', projectedEnd: 0.7, target: 0.95, neededPerDay: 0.004, end: '2022-12-31' });
    expect(out[1]).toMatchObject({ ownerCode: '220100', ownerLevel: 'unit', countyCode: '' });
  });

  it('judges from start + startAfterDays up to the day before the end', () => {
    const s = on();
    // 1 July + 30 days = 31 July: the first judged day.
    expect(forecastMissConditions(regions, '2022-07-30', DEFAULT_CAMPAIGN, s)).toHaveLength(0);
    expect(forecastMissConditions(regions, '2022-07-31', DEFAULT_CAMPAIGN, s)).toHaveLength(2);
    expect(forecastMissConditions(regions, '2022-12-30', DEFAULT_CAMPAIGN, s)).toHaveLength(2);
    // On the last day the value is final: below_target speaks for it.
    expect(forecastMissConditions(regions, '2022-12-31', DEFAULT_CAMPAIGN, s)).toHaveLength(0);
    const now = { ...s, params: { ...s.params, startAfterDays: 0 } };
    expect(forecastMissConditions(regions, '2022-07-01', DEFAULT_CAMPAIGN, now)).toHaveLength(2);
    expect(forecastMissConditions(regions, '2022-06-30', DEFAULT_CAMPAIGN, now)).toHaveLength(0);
  });

  it('keeps to the configured rates and levels', () => {
    const s = on();
    expect(forecastMissConditions(regions, '2022-10-01', DEFAULT_CAMPAIGN, { ...s, params: { ...s.params, units: false } }).map((c) => c.subject)).toEqual(['county:220102:contactRate']);
    expect(forecastMissConditions(regions, '2022-10-01', DEFAULT_CAMPAIGN, { ...s, params: { ...s.params, counties: false } }).map((c) => c.subject)).toEqual(['unit:220100:employmentRate']);
    expect(forecastMissConditions(regions, '2022-10-01', DEFAULT_CAMPAIGN, { ...s, params: { ...s.params, metrics: ['rate1311'] } })).toEqual([]);
  });
});
