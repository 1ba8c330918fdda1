// "Where it is heading" on the wall: the panel that counts the counties
// whose current pace misses each target by the campaign's end, and the
// projection cell of the lagging list (tables.ts). Pure view models (docs/metrics.md, "Forecast").
import type { ScreenForecastMiss, ScreenRateKey } from '../../../../backend/src/screen/screen.types';
import type { Status } from './theme';
import { RATE_LABEL } from './tables';

/** A target as the notice writes it: 0.95 → "95%", 0.925 → "92.5%". */
export function targetText(v: number): string {
  const p = Math.round(v * 1000) / 10;
  return `${Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** "12月31日" from "2022-12-31". */
function endText(end: string): string {
  return `${Number(end.slice(5, 7))}月${Number(end.slice(8, 10))}日`;
}

export interface ForecastRow {
  metric: ScreenRateKey;
  label: string;
  target: string;
  miss: number;
  onTrack: number;
  unknown: number;
  /** "6 个县区达不到 95%" / "全部可达 95%". */
  text: string;
  /** Share of the projected counties that will miss, 0..1, for the bar. */
  missShare: number;
  status: Status;
}

export interface ForecastPanel {
  /** "按当前进度：6 个县区12月31日前联系率达不到 95%" — the rate with the most misses. */
  headline: string;
  rows: ForecastRow[];
  /** "距行动结束 92 天 · 按近14天日均进度推算". */
  note: string;
}

function rowStatus(miss: number, projected: number): Status {
  if (projected === 0) return 'none';
  if (miss === 0) return 'good';
  const share = miss / projected;
  return share <= 0.1 ? 'near' : share <= 0.3 ? 'behind' : 'far';
}

export function buildForecastPanel(f: ScreenForecastMiss, windowDays = 14): ForecastPanel {
  const rows: ForecastRow[] = f.rates.map((r) => {
    const projected = r.miss + r.onTrack;
    const target = targetText(r.target);
    return {
      metric: r.metric,
      label: RATE_LABEL[r.metric],
      target,
      miss: r.miss,
      onTrack: r.onTrack,
      unknown: r.unknown,
      text: projected === 0 ? '暂无足够数据' : r.miss === 0 ? `全部可达 ${target}` : `${r.miss} 个县区达不到 ${target}`,
      missShare: projected === 0 ? 0 : r.miss / projected,
      status: rowStatus(r.miss, projected),
    };
  });
  // The rate with the most counties missing; ties keep the order of the rates.
  const worst = rows.reduce<ForecastRow | null>((w, r) => (r.miss > (w?.miss ?? 0) ? r : w), null);
  const by = endText(f.end);
  const headline = f.daysLeft === 0
    ? `行动已结束：按${by}的数值${worst ? `，${worst.miss} 个县区${worst.label}未达到 ${worst.target}` : '，各县区均达到目标'}`
    : worst
      ? `按当前进度：${worst.miss} 个县区${by}前${worst.label}达不到 ${worst.target}`
      : rows.some((r) => r.onTrack > 0)
        ? `按当前进度：各县区${by}前均可达到目标`
        : '按当前进度：数据不足，暂无法推算';
  return { headline, rows, note: `${f.daysLeft > 0 ? `距行动结束 ${f.daysLeft} 天 · ` : ''}按近${windowDays}天日均进度推算，共 ${f.counties} 个县区` };
}
