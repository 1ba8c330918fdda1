// Number and time formats of the wall. Pure and dependency-free: the e2e
// test formats the API's numbers with these same functions.

export const DASH = '—';

/** 0.8883 → "88.8%"; null → "—". */
export function pct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return `${(v * 100).toFixed(digits)}%`;
}

/** 3000 → "3,000". */
export function int(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  return Math.round(n).toLocaleString('en-US');
}

/** A change of a rate in percentage points: +1.2 / −0.4 / 0.0. */
export function pointsDelta(cur: number | null | undefined, prev: number | null | undefined): number | null {
  if (cur === null || cur === undefined || prev === null || prev === undefined) return null;
  return Math.round((cur - prev) * 1000) / 10;
}

/** Signed with a real minus sign, as a wall reads best. */
export function signed(n: number, digits = 0): string {
  const s = Math.abs(n).toFixed(digits);
  if (Number(s) === 0) return digits ? (0).toFixed(digits) : '0';
  return `${n > 0 ? '+' : '−'}${digits ? s : Number(s).toLocaleString('en-US')}`;
}

/** An ISO instant → "HH:MM" in Asia/Shanghai (UTC+8 all year, no DST). */
export function hhmmShanghai(iso: string | null | undefined): string {
  if (!iso) return '--:--';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '--:--';
  const d = new Date(t + 8 * 3600_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** A ledger time "2022-12-31 20:59:48" (already Asia/Shanghai) → "12-31 20:59". */
export function dataTimeLabel(dataTime: string | null | undefined): string {
  if (!dataTime) return '暂无数据';
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(dataTime);
  return m ? `${m[2]}-${m[3]} ${m[4]}:${m[5]}` : dataTime;
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** "2022-12-31" → "2022年12月31日 星期六". */
export function dayLabel(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日 星期${WEEKDAYS[dow]}`;
}

/** "2022-12-26" → "12/26". */
export function shortDay(day: string): string {
  return `${day.slice(5, 7)}/${day.slice(8, 10)}`;
}

/**
 * Long region names shortened for tight spots: 延边朝鲜族自治州 → 延边州, 长白山管委会 → 长白山,
 * 长春净月高新技术产业开发区 → 净月高新区, 吉林经济技术开发区 → 吉林经开区.
 */
export function shortName(name: string): string {
  let s = name
    .replace(/朝鲜族自治州$/, '州')
    .replace(/管委会$/, '')
    .replace(/经济技术开发区$/, '经开区')
    .replace(/高新技术产业开发区$/, '高新区')
    .replace(/经济开发区$/, '经开区');
  // A zone named after its city keeps the city only when nothing else would be left.
  if (s !== name) s = s.replace(/^(长春|吉林|松原|白城)(?=.{4,})/, '');
  return s;
}

/** What a rate's forecast says is needed (docs/metrics.md, "Forecast"): "需日增 0.54 个百分点" / "已达目标" / "行动已结束" / "数据不足，暂无法推算". */
export function forecastHint(f: { projectedEnd: number | null; neededPerDay: number | null } | undefined): string {
  const need = f && f.neededPerDay !== null && f.neededPerDay > 0 ? `需日增 ${(f.neededPerDay * 100).toFixed(2)} 个百分点` : '';
  if (!f || f.projectedEnd === null) return need ? `数据不足，暂无法推算，${need}` : '数据不足，暂无法推算';
  return f.neededPerDay === null ? '行动已结束' : need || '已达目标';
}
