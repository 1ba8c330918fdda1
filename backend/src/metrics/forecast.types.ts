// "Where it is heading": the shape of a rate's forecast, shared by the
// metric object, the wall screen and the frontend (type-only, no Node).

/** One rate's projection to the campaign's end from the recent pace (docs/metrics.md, "Forecast"). */
export interface RateForecast {
  /** The rate projected to the end of the campaign's last day, in [0, 1]; null with fewer than 2 days of data or no denominator. */
  projectedEnd: number | null;
  /** projectedEnd ≥ the target value; null when projectedEnd is. */
  onTrack: boolean | null;
  /** Gain of the rate per remaining day needed to reach the target (0 when at or above it); null once the campaign has ended or without data. */
  neededPerDay: number | null;
}

/** The rates that have a target (RateKey), each with its forecast. */
export type ForecastKey = 'contactRate' | 'rate1311' | 'employmentRate' | 'helpSlaRate' | 'hardshipOneOnOneRate';

export type Forecasts = Record<ForecastKey, RateForecast>;
