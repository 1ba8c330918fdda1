// The forecast of a rate on hand-made series: flat, rising, already above
// the target, no data, capped at 1, a short history, the campaign's end.
import { describe, expect, it } from 'vitest';
import { FORECAST_WINDOW_DAYS, forecastRate, forecastsOf, type RatePoint } from '../../backend/src/metrics/forecast.logic';
import { DEFAULT_CAMPAIGN } from '../../backend/src/metrics/campaign.config';

const END = '2022-12-31';

/** Daily points ending on `last`, oldest first. */
function series(last: string, values: Array<number | null>): RatePoint[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return values.map((value, i) => ({ asOf: new Date(end - (values.length - 1 - i) * 86_400_000).toISOString().slice(0, 10), value }));
}

describe('forecastRate', () => {
  it('flat: no gain, the projection is today’s value and it misses a higher target', () => {
    const f = forecastRate(series('2022-10-31', Array(20).fill(0.5)), '2022-10-31', END, 0.95);
    // 61 days from 31 Oct to 31 Dec.
    expect(f.projectedEnd).toBeCloseTo(0.5, 12);
    expect(f.onTrack).toBe(false);
    expect(f.neededPerDay).toBeCloseTo(0.45 / 61, 12);
  });

  it('rising: the average gain of the last 14 days, projected linearly', () => {
    // 1 point a day for 30 days, then 0.5 points a day for the last 14: only the last 14 count.
    const values = [...Array.from({ length: 30 }, (_, i) => 0.1 + i * 0.01), ...Array.from({ length: 14 }, (_, i) => 0.39 + (i + 1) * 0.005)];
    const f = forecastRate(series('2022-11-30', values), '2022-11-30', END, 0.9);
    const current = 0.39 + 14 * 0.005;
    // 31 days left; pace 0.005 a day.
    expect(f.projectedEnd).toBeCloseTo(current + 31 * 0.005, 10);
    expect(f.onTrack).toBe(false);
    expect(f.neededPerDay).toBeCloseTo((0.9 - current) / 31, 12);
  });

  it('rising fast enough: on track', () => {
    const values = Array.from({ length: 15 }, (_, i) => 0.3 + i * 0.02);
    const f = forecastRate(series('2022-10-01', values), '2022-10-01', END, 0.95);
    // 0.58 + 91 days × 0.02 → capped at 1.
    expect(f.projectedEnd).toBe(1);
    expect(f.onTrack).toBe(true);
    expect(f.neededPerDay).toBeCloseTo((0.95 - 0.58) / 91, 12);
  });

  it('already above the target: needs 0 a day, even when falling a little', () => {
    const values = Array.from({ length: 15 }, (_, i) => 0.99 - i * 0.0001);
    const f = forecastRate(series('2022-12-01', values), '2022-12-01', END, 0.95);
    expect(f.neededPerDay).toBe(0);
    expect(f.projectedEnd).toBeCloseTo(0.9886 - 30 * 0.0001, 10);
    expect(f.onTrack).toBe(true);
  });

  it('exactly at the target counts as on track and needing nothing', () => {
    const f = forecastRate(series('2022-12-01', [0.95, 0.95]), '2022-12-01', END, 0.95);
    expect(f).toEqual({ projectedEnd: 0.95, onTrack: true, neededPerDay: 0 });
  });

  it('falling fast: capped at 0', () => {
    const f = forecastRate(series('2022-09-01', [0.8, 0.4]), '2022-09-01', END, 0.9);
    expect(f.projectedEnd).toBe(0);
    expect(f.onTrack).toBe(false);
  });

  it('no data at all, or no denominator today: everything null', () => {
    expect(forecastRate([], '2022-10-01', END, 0.9)).toEqual({ projectedEnd: null, onTrack: null, neededPerDay: null });
    expect(forecastRate(series('2022-10-01', [0.2, 0.3, null]), '2022-10-01', END, 0.9)).toEqual({ projectedEnd: null, onTrack: null, neededPerDay: null });
  });

  it('one day of data: no projection yet, but the daily gain needed is known', () => {
    const f = forecastRate(series('2022-12-21', [null, null, 0.5]), '2022-12-21', END, 0.9);
    expect(f.projectedEnd).toBeNull();
    expect(f.onTrack).toBeNull();
    expect(f.neededPerDay).toBeCloseTo(0.4 / 10, 12);
  });

  it('a short history: the pace from the first day with a value', () => {
    // Data for 4 days (3 gains of 0.1 over 3 days): pace 0.1 a day.
    const f = forecastRate(series('2022-12-21', [null, null, 0.1, 0.2, 0.3, 0.4]), '2022-12-21', END, 0.9);
    expect(f.projectedEnd).toBe(1);
    expect(f.onTrack).toBe(true);
  });

  it('only the window counts: a value 15 days back is outside it', () => {
    const s = series('2022-11-15', [0, ...Array(FORECAST_WINDOW_DAYS).fill(null), 0.6]);
    expect(s[0]!.asOf).toBe('2022-10-31');
    expect(forecastRate(s, '2022-11-15', END, 0.9).projectedEnd).toBeNull();
    const inside = series('2022-11-15', [0, ...Array(FORECAST_WINDOW_DAYS - 1).fill(null), 0.7]);
    expect(forecastRate(inside, '2022-11-15', END, 0.9).projectedEnd).toBeCloseTo(Math.min(1, 0.7 + 46 * (0.7 / 14)), 12);
  });

  it('days after asOf are not read', () => {
    const s = [...series('2022-10-01', [0.1, 0.2]), { asOf: '2022-10-02', value: 0.9 }];
    // From 0.1 to 0.2 in a day, 91 days left: capped at 1; the 0.9 of the next day would not change that, so check the pace too.
    expect(forecastRate(s, '2022-10-01', END, 0.95).projectedEnd).toBe(1);
    const slow = [...series('2022-10-01', [0.1, 0.1]), { asOf: '2022-10-02', value: 0.9 }];
    expect(forecastRate(slow, '2022-10-01', END, 0.95).projectedEnd).toBeCloseTo(0.1, 12);
  });

  it('on the last day and after it: the value is final, nothing more is needed per day', () => {
    const last = forecastRate(series(END, [0.8, 0.85]), END, END, 0.9);
    expect(last).toEqual({ projectedEnd: 0.85, onTrack: false, neededPerDay: null });
    const after = forecastRate(series('2023-01-05', [0.9, 0.92]), '2023-01-05', END, 0.9);
    expect(after).toEqual({ projectedEnd: 0.92, onTrack: true, neededPerDay: null });
  });
});

describe('forecastsOf', () => {
  it('gives every targeted rate its forecast against the year’s targets', () => {
    const days = series('2022-12-01', Array(15).fill(0));
    const rows = days.map((d, i) => ({
      asOf: d.asOf, contactRate: 0.5 + i * 0.01, rate1311: null, employmentRate: 0.2, helpSlaRate: 1, hardshipOneOnOneRate: 0.99,
    }));
    const f = forecastsOf(rows, '2022-12-01', DEFAULT_CAMPAIGN);
    expect(Object.keys(f).sort()).toEqual(['contactRate', 'employmentRate', 'hardshipOneOnOneRate', 'helpSlaRate', 'rate1311']);
    expect(f.contactRate.projectedEnd).toBeCloseTo(0.64 + 30 * 0.01, 10);
    expect(f.contactRate.onTrack).toBe(false);
    expect(f.rate1311).toEqual({ projectedEnd: null, onTrack: null, neededPerDay: null });
    expect(f.employmentRate).toEqual({ projectedEnd: 0.2, onTrack: false, neededPerDay: (0.9 - 0.2) / 30 });
    expect(f.helpSlaRate).toEqual({ projectedEnd: 1, onTrack: true, neededPerDay: 0 });
    // hardshipOneOnOneRate's target is 1.00: 0.99 flat misses it.
    expect(f.hardshipOneOnOneRate.onTrack).toBe(false);
    expect(f.hardshipOneOnOneRate.neededPerDay).toBeCloseTo(0.01 / 30, 12);
  });
});
