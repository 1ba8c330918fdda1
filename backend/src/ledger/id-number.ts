// 身份证号 per GB 11643-1999: 17 digits and an ISO 7064 MOD 11-2 check character.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

function isRealDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

export type IdCheck = { ok: true; id: string } | { ok: false; reason: string };

/** Validates and normalises (lower-case x → X). Reasons are for a county clerk. */
export function checkIdNumber(raw: string): IdCheck {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) {
    return { ok: false, reason: `身份证号格式错误，应为18位（invalid ID number）` };
  }
  if (!isRealDate(id.slice(6, 14))) {
    return { ok: false, reason: `身份证号出生日期无效（invalid ID number）` };
  }
  if (checkChar(id.slice(0, 17)) !== id[17]) {
    return { ok: false, reason: `身份证号校验位错误（invalid ID number）` };
  }
  return { ok: true, id };
}

/** Builds a valid ID from a 6-digit area code, a birth date (YYYYMMDD) and a 3-digit sequence. */
export function makeIdNumber(area: string, birth: string, seq: number): string {
  const first17 = `${area}${birth}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + checkChar(first17);
}
