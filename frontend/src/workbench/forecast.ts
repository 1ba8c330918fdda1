// "Where it is heading" on a region's rate card: the projection to the
// campaign's end (docs/metrics.md, "Forecast"). Pure: unit-tested.
import type { RateForecast } from '../../../backend/src/metrics/forecast.types';
import { DASH, forecastHint, pct } from '../screen/options/format';
import type { GapTone } from './metrics';

export interface ForecastLine {
  /** "77.9%（达不到）" / "96.2%（可达）" / "—". */
  text: string;
  tone: GapTone;
  /** "需日增 0.54 个百分点" / "已达目标" / "数据不足，暂无法推算" / "行动已结束". */
  hint: string;
}

export function forecastLine(f: RateForecast | undefined): ForecastLine {
  const hint = forecastHint(f);
  if (!f || f.projectedEnd === null) return { text: DASH, tone: 'none', hint };
  return { text: `${pct(f.projectedEnd)}（${f.onTrack ? '可达' : '达不到'}）`, tone: f.onTrack ? 'good' : 'behind', hint };
}
