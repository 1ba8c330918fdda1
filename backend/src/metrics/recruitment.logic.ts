// Recruitment-event quotas (通知 五(五)): each reporting unit holds at least one
// 专业性 event every ISO week and one 综合性 event every calendar month.
import { addDays } from './metrics.service';

export interface EventLite {
  event_date: string;
  event_type: string;
}

export interface WeekRow {
  week: string;
  start: string;
  end: string;
  professional: number;
  comprehensive: number;
  ended: boolean;
  missed: boolean;
}

export interface MonthRow {
  month: string;
  start: string;
  end: string;
  professional: number;
  comprehensive: number;
  ended: boolean;
  missed: boolean;
}

export const PROFESSIONAL = '专业性';
export const COMPREHENSIVE = '综合性';

/** Monday of the ISO week containing the day. */
export function isoWeekStart(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  return addDays(day, -dow);
}

/** ISO week label, e.g. 2022-W36. */
export function isoWeekLabel(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(d.getTime() + (3 - dow) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / 86_400_000 / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** First day (Monday) of an ISO week label like 2022-W36. */
export function isoWeekToStart(label: string): string | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  const jan4 = `${year}-01-04`;
  const start = addDays(isoWeekStart(jan4), (week - 1) * 7);
  return isoWeekLabel(start) === label ? start : null;
}

function monthEnd(day: string): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

/** Weeks and months overlapping [from, to], with counts and misses as of `asOf` (a period is judged once it has ended). */
export function compliance(events: EventLite[], from: string, to: string, asOf: string): { weeks: WeekRow[]; months: MonthRow[] } {
  const weeks: WeekRow[] = [];
  for (let s = isoWeekStart(from); s <= to; s = addDays(s, 7)) {
    const e = addDays(s, 6);
    const inWeek = events.filter((x) => x.event_date >= s && x.event_date <= e);
    const professional = inWeek.filter((x) => x.event_type === PROFESSIONAL).length;
    const ended = e <= asOf;
    weeks.push({
      week: isoWeekLabel(s), start: s, end: e, professional, comprehensive: inWeek.length - professional, ended, missed: ended && professional === 0,
    });
  }
  const months: MonthRow[] = [];
  for (let s = `${from.slice(0, 7)}-01`; s <= to; s = addDays(monthEnd(s), 1)) {
    const e = monthEnd(s);
    const inMonth = events.filter((x) => x.event_date >= s && x.event_date <= e);
    const comprehensive = inMonth.filter((x) => x.event_type === COMPREHENSIVE).length;
    const ended = e <= asOf;
    months.push({
      month: s.slice(0, 7), start: s, end: e, professional: inMonth.length - comprehensive, comprehensive, ended, missed: ended && comprehensive === 0,
    });
  }
  return { weeks, months };
}
