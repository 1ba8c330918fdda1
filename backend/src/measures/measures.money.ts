// Money cells (元): at most 2 decimals, never negative, kept as exact decimal
// text all the way to ClickHouse's Decimal(18, 2) — never a float.

export type MoneyCheck = { ok: true; value: string } | { ok: false; reason: string };

// 1234 | 1234.5 | 1234.56 | 1,234.56 (what Excel's "Save as CSV" writes for a number with thousands separators)
const PLAIN = /^\d{1,16}(?:\.\d{1,2})?$/;
const GROUPED = /^\d{1,3}(?:,\d{3}){1,5}(?:\.\d{1,2})?$/;

export function checkMoney(raw: string, label: string): MoneyCheck {
  const s = raw.endsWith('元') ? raw.slice(0, -1).trim() : raw;
  if (PLAIN.test(s)) return { ok: true, value: s };
  if (GROUPED.test(s)) return { ok: true, value: s.replaceAll(',', '') };
  if (/^[-－]\s*[\d,]+(?:\.\d+)?$/.test(s)) return { ok: false, reason: `${label} 不能为负数：${raw}` };
  if (/^[\d,]+\.\d{3,}$/.test(s)) return { ok: false, reason: `${label} 最多保留两位小数（单位：元）：${raw}` };
  return { ok: false, reason: `${label} 应为金额数字（单位：元，最多两位小数，如 1500 或 1500.50）：${raw}` };
}

/** An Excel number cell of a money column as text: binary noise below a cent (0.1 + 0.2) is the cent it stands for. */
export function excelMoneyText(v: number): string {
  const cents = Math.round(v * 100);
  if (Number.isFinite(v) && Math.abs(v * 100 - cents) < 1e-6 && Math.abs(cents) < 1e17) {
    const neg = cents < 0 ? '-' : '';
    const a = Math.abs(cents);
    const frac = a % 100;
    return `${neg}${Math.floor(a / 100)}${frac === 0 ? '' : `.${String(frac).padStart(2, '0')}`}`;
  }
  return String(v);
}
