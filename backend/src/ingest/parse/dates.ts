// Date and date-time cells (ledger-format.md, "Dates"): `2022-07-05`,
// `2022/7/5`, `2022年7月5日`, or an Excel date cell; a date-time is a date
// followed by one space or 'T' and `HH:mm` or `HH:mm:ss`. Everything is
// Asia/Shanghai wall time. Output: 'YYYY-MM-DD' / 'YYYY-MM-DD HH:mm:ss'.

/** Returned instead of a string: the text is not a date in an accepted form. */
export const BAD_FORMAT = 1;
/** Returned instead of a string: the form is right but the date does not exist (2022-02-30). */
export const BAD_DATE = 2;

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(y: number, m: number): number {
  if (m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return 29;
  return DAYS[m]!;
}

function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/**
 * Normalises a trimmed, non-empty cell. `withTime` selects the output form;
 * a bare date in a date-time column means 00:00:00, and a date-time in a date
 * column keeps its date (Excel often exports dates as `2022/7/5 0:00`).
 */
export function normDate(s: string, withTime: boolean): string | number {
  const len = s.length;
  // Fast paths: the canonical forms come back unchanged (no allocation).
  if (len === 19 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(10) === 32 &&
      s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58) {
    const y1 = d2(s, 0);
    const y2 = d2(s, 2);
    const m = d2(s, 5);
    const d = d2(s, 8);
    const hh = d2(s, 11);
    const mi = d2(s, 14);
    const ss = d2(s, 17);
    if (y1 >= 0 && y2 >= 0 && m >= 0 && d >= 0 && hh >= 0 && mi >= 0 && ss >= 0) {
      const y = y1 * 100 + y2;
      if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) || hh > 23 || mi > 59 || ss > 59) return BAD_DATE;
      return withTime ? s : s.slice(0, 10);
    }
    return BAD_FORMAT;
  }
  if (len === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    const y1 = d2(s, 0);
    const y2 = d2(s, 2);
    const m = d2(s, 5);
    const d = d2(s, 8);
    if (y1 >= 0 && y2 >= 0 && m >= 0 && d >= 0) {
      const y = y1 * 100 + y2;
      if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return BAD_DATE;
      return withTime ? `${s} 00:00:00` : s;
    }
    return BAD_FORMAT;
  }
  return slowDate(s, withTime);
}

function slowDate(s: string, withTime: boolean): string | number {
  const len = s.length;
  let i = 0;
  const num = (maxDigits: number): number => {
    let v = 0;
    const start = i;
    while (i < len && i - start < maxDigits) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
      i++;
    }
    return i === start ? -1 : v;
  };
  if (len < 8) return BAD_FORMAT;
  const y = num(4);
  if (i !== 4) return BAD_FORMAT;
  const sep = s.charCodeAt(i++);
  const cn = sep === 0x5e74; // 年
  if (sep !== 45 && sep !== 47 && !cn) return BAD_FORMAT;
  const m = num(2);
  if (m < 0) return BAD_FORMAT;
  const sep2 = s.charCodeAt(i++);
  if (cn ? sep2 !== 0x6708 /* 月 */ : sep2 !== sep) return BAD_FORMAT;
  const d = num(2);
  if (d < 0) return BAD_FORMAT;
  if (cn) {
    if (s.charCodeAt(i) !== 0x65e5 /* 日 */) return BAD_FORMAT;
    i++;
  }
  let hh = 0;
  let mi = 0;
  let ss = 0;
  if (i < len) {
    const t = s.charCodeAt(i++);
    if (t !== 32 && t !== 84 /* T */) return BAD_FORMAT;
    hh = num(2);
    if (hh < 0 || s.charCodeAt(i++) !== 58) return BAD_FORMAT;
    const mStart = i;
    mi = num(2);
    if (mi < 0 || i - mStart !== 2) return BAD_FORMAT;
    if (i < len) {
      if (s.charCodeAt(i++) !== 58) return BAD_FORMAT;
      const sStart = i;
      ss = num(2);
      if (ss < 0 || i - sStart !== 2) return BAD_FORMAT;
    }
    if (i !== len) return BAD_FORMAT;
  }
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) || hh > 23 || mi > 59 || ss > 59) return BAD_DATE;
  const date = `${y}-${pad2(m)}-${pad2(d)}`;
  return withTime ? `${date} ${pad2(hh)}:${pad2(mi)}:${pad2(ss)}` : date;
}

/**
 * An Excel date cell as read by exceljs: a JS Date whose UTC fields are the
 * wall time typed in the cell. Rounded to the second (serials carry float noise).
 */
export function excelDateToString(d: Date, withTime: boolean): string | number {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) return BAD_DATE;
  const t = new Date(Math.round(ms / 1000) * 1000);
  const y = t.getUTCFullYear();
  if (y < 1900 || y > 9999) return BAD_DATE;
  const date = `${y}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
  if (!withTime) return date;
  return `${date} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}`;
}

/** An Excel serial day number (a date cell stored as a plain number) as a wall-time Date. */
export function excelSerialToDate(serial: number, date1904: boolean): Date | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return null;
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86400000));
}

/** Shanghai wall time of an instant, as 'YYYY-MM-DD HH:mm:ss' (China has no DST since 1991). */
export function shanghaiWallTime(instant: Date): string {
  const s = excelDateToString(new Date(instant.getTime() + 8 * 3600 * 1000), true);
  return typeof s === 'string' ? s : '9999-12-31 23:59:59';
}
