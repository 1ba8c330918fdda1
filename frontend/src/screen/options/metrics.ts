// The metrics the map and the ranking rotate through.
import type { ScreenPayload, ScreenRateKey } from '../../../../backend/src/screen/screen.types';

export type MapMetricKey = 'contactRate' | 'rate1311' | 'employmentRate' | 'hardshipOneOnOneRate' | 'received';

export interface MapMetric {
  key: MapMetricKey;
  label: string;
  kind: 'rate' | 'count';
}

export const MAP_METRICS: readonly MapMetric[] = [
  { key: 'contactRate', label: '联系率', kind: 'rate' },
  { key: 'rate1311', label: '1311服务完成率', kind: 'rate' },
  { key: 'employmentRate', label: '就业率', kind: 'rate' },
  { key: 'hardshipOneOnOneRate', label: '困难人员一对一帮扶率', kind: 'rate' },
  { key: 'received', label: '已接收人数', kind: 'count' },
];

/** The metric's target path on the day (rates only). */
export function pathOf(p: Pick<ScreenPayload, 'targets'>, metric: MapMetric): number | null {
  return metric.kind === 'rate' ? p.targets[metric.key as ScreenRateKey].path : null;
}

/** Every county's value of the metric, by code. */
export function countyValues(p: Pick<ScreenPayload, 'counties'>, key: MapMetricKey): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [code, c] of Object.entries(p.counties)) out[code] = key === 'received' ? c.received : c[key];
  return out;
}

/** Each county's most negative gap to the target path over the rates (0 or more = on path), by code. */
export function worstGapValues(p: Pick<ScreenPayload, 'counties' | 'targets'>): Record<string, number | null> {
  const keys: ScreenRateKey[] = ['contactRate', 'rate1311', 'employmentRate', 'hardshipOneOnOneRate'];
  const out: Record<string, number | null> = {};
  for (const [code, c] of Object.entries(p.counties)) {
    const gaps = keys.map((k) => (c[k] === null ? null : c[k] - p.targets[k].path)).filter((g): g is number => g !== null);
    out[code] = gaps.length ? Math.min(...gaps) : null;
  }
  return out;
}
