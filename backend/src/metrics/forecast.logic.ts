// The forecast of a rate (docs/metrics.md, "Forecast"): the average daily
// gain over the last FORECAST_WINDOW_DAYS days, projected linearly to the
// campaign's end and capped to [0, 1]. Pure: series in, numbers out.
import type { ForecastKey, Forecasts, RateForecast } from './forecast.types';

export const FORECAST_KEYS: readonly ForecastKey[] = ['contactRate', 'rate1311', 'employmentRate', 'helpSlaRate', 'hardshipOneOnOneRate'];

export const FORECAST_WINDOW_DAYS = 14;

/** Float noise of summed fractions must not turn "exactly at the target" into a miss. */
const EPS = 1e-12;

export interface RatePoint {
  asOf: string;
  value: number | null;
}

function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}

export const NO_FORECAST: RateForecast = { projectedEnd: null, onTrack: null, neededPerDay: null };

/**
 * One rate's forecast on `asOf` from its daily series.
 * - current = the rate on asOf; without it (no denominator) everything is null.
 * - pace = (current − the earliest value in [asOf − window, asOf]) ÷ the days between them,
 *   i.e. the average of the daily gains over the window; fewer than 2 days with a value → no projection.
 * - projectedEnd = clamp(current + pace × (end − asOf), 0, 1); after the end, the current value.
 * - neededPerDay = (target − current) ÷ (end − asOf), 0 when at or above the target, null once the end is reached.
 */
export function forecastRate(series: readonly RatePoint[], asOf: string, end: string, target: number, windowDays = FORECAST_WINDOW_DAYS): RateForecast {
  const today = dayNumber(asOf);
  const from = today - windowDays;
  let current: number | null = null;
  let first: { day: number; value: number } | null = null;
  let points = 0;
  for (const p of series) {
    if (p.value === null || !Number.isFinite(p.value)) continue;
    const d = dayNumber(p.asOf);
    if (d < from || d > today) continue;
    points++;
    if (d === today) current = p.value;
    if (!first || d < first.day) first = { day: d, value: p.value };
  }
  if (current === null) return NO_FORECAST;
  const remaining = Math.max(0, dayNumber(end) - today);
  const neededPerDay = remaining === 0 ? null : current >= target - EPS ? 0 : (target - current) / remaining;
  if (points < 2 || !first || first.day === today) return { projectedEnd: null, onTrack: null, neededPerDay };
  const pace = (current - first.value) / (today - first.day);
  const projectedEnd = Math.min(1, Math.max(0, current + pace * remaining));
  return { projectedEnd, onTrack: projectedEnd >= target - EPS, neededPerDay };
}

type RateSeries = ReadonlyArray<{ asOf: string } & Record<ForecastKey, number | null>>;

/** Every targeted rate's forecast from a region's daily metrics (days outside the window are ignored). */
export function forecastsOf(series: RateSeries, asOf: string, cfg: { end: string; targets: Record<ForecastKey, { value: number }> }): Forecasts {
  const out = {} as Forecasts;
  for (const k of FORECAST_KEYS) {
    out[k] = forecastRate(series.map((p) => ({ asOf: p.asOf, value: p[k] })), asOf, cfg.end, cfg.targets[k].value);
  }
  return out;
}
