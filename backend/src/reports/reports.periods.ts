// Report periods (docs/reports.md, "Periods"): pure date arithmetic, no I/O.
// Every report is as of the END of its period, or of today while the period
// still runs (the same rule as the recruitment compliance's judgedAsOf).
import { addDays, isValidDay } from '../metrics/metrics.service';
import { isoWeekLabel, isoWeekToStart } from '../metrics/recruitment.logic';
import type { ReportPeriod } from './reports.types';

/** A period a report cannot be made for; the message is shown to the user. */
export class PeriodError extends Error {}

function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

function checkDay(day: string, name: string): void {
  if (!isValidDay(day)) throw new PeriodError(`${name} 日期格式错误：“${day}”，应为 YYYY-MM-DD 的有效日期 / ${name} must be a real date YYYY-MM-DD`);
}

export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function monthEnd(day: string): string {
  const d = new Date(`${monthStart(day)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

/** 2022-09-16 → 2022年9月16日 */
export function cnDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 2022-09-16 → 9月16日 */
export function cnMonthDay(day: string): string {
  const [, m, d] = day.split('-').map(Number);
  return `${m}月${d}日`;
}

/**
 * The weekly 附件2 period: the ISO week Monday–Sunday. It is as of the Sunday,
 * or of today while the week runs (the Thursday 12:00 job reports the current
 * week as of that Thursday; re-made after Sunday it becomes final).
 */
export function weeklyPeriod(week: string, today: string): ReportPeriod {
  const start = isoWeekToStart(week);
  if (!start) throw new PeriodError(`周次格式错误：“${week}”，应为 ISO 周次如 2022-W36 / week must be an ISO week like 2022-W36`);
  if (start > today) throw new PeriodError(`${week}（${start} 起）尚未开始 / the week has not started yet`);
  const end = addDays(start, 6);
  return { kind: 'weekly', label: week, start, end, asOf: minDay(end, today), complete: end < today };
}

/** The ISO week of a day, as a label (the weekly job's week). */
export function weekOf(day: string): string {
  return isoWeekLabel(day);
}

/**
 * The semi-monthly period for a 调度日 (the 1st or 16th the job runs on, or
 * any day): the last half-month (1st–15th, 16th–end) that ended before it.
 * 2022-09-16 → 2022-09-01..15; 2022-09-01 → 2022-08-16..31.
 */
export function semimonthlyPeriod(date: string, today: string): ReportPeriod {
  checkDay(date, 'date');
  const day = Number(date.slice(8, 10));
  let start: string;
  let end: string;
  let label: string;
  if (day >= 16) {
    start = monthStart(date);
    end = `${date.slice(0, 7)}-15`;
    label = `${date.slice(0, 7)}-H1`;
  } else {
    const prev = addDays(monthStart(date), -1);
    start = `${prev.slice(0, 7)}-16`;
    end = prev;
    label = `${prev.slice(0, 7)}-H2`;
  }
  if (start > today) throw new PeriodError(`${label}（${start} 起）尚未开始 / the half-month has not started yet`);
  return { kind: 'semimonthly', label, start, end, asOf: minDay(end, today), complete: end < today };
}

/** A half-month label (2022-09-H1) back to its period; null when malformed. */
export function parseHalfMonth(label: string): { start: string; end: string } | null {
  const m = /^(\d{4}-\d{2})-H([12])$/.exec(label);
  if (!m || !isValidDay(`${m[1]}-01`)) return null;
  return m[2] === '1' ? { start: `${m[1]}-01`, end: `${m[1]}-15` } : { start: `${m[1]}-16`, end: monthEnd(`${m[1]}-01`) };
}

/**
 * The dispatch list of a day: requests still waiting for a first contact at
 * the cut-off, which is the end of the day (23:59:59 Asia/Shanghai) or now
 * when the day is today.
 */
export function dispatchPeriod(date: string, now: Date): ReportPeriod & { cutoff: string } {
  checkDay(date, 'date');
  const nowLocal = shanghaiDateTime(now);
  const today = nowLocal.slice(0, 10);
  if (date > today) throw new PeriodError(`${date} 尚未到来 / the day has not come yet`);
  const cutoff = date === today ? nowLocal : `${date} 23:59:59`;
  return { kind: 'dispatch', label: date, start: date, end: date, asOf: date, complete: date < today, cutoff };
}

/** The liaison directory has no period of its own: it is as of the day it is made. */
export function liaisonsPeriod(today: string): ReportPeriod {
  return { kind: 'liaisons', label: today, start: today, end: today, asOf: today, complete: true };
}

/** 'YYYY-MM-DD HH:mm:ss' in Asia/Shanghai (UTC+8, no daylight saving). */
export function shanghaiDateTime(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Hours between two Asia/Shanghai date-times, to one decimal. */
export function hoursBetween(from: string, to: string): number {
  const ms = Date.parse(`${to.replace(' ', 'T')}+08:00`) - Date.parse(`${from.replace(' ', 'T')}+08:00`);
  return Math.round(ms / 360_000) / 10;
}

/** The period as the title row states it. */
export function periodText(p: ReportPeriod): string {
  const until = p.complete ? `数据截至${cnDate(p.asOf)}24时` : `本期尚未结束，数据截至${cnDate(p.asOf)}`;
  switch (p.kind) {
    case 'weekly':
    case 'measures': {
      const w = Number(p.label.slice(6));
      return `${p.label.slice(0, 4)}年第${w}周：${cnMonthDay(p.start)}—${cnMonthDay(p.end)}，${until}`;
    }
    case 'semimonthly': {
      const half = p.label.endsWith('H1') ? '上半月' : '下半月';
      return `${cnDate(p.start).replace(/\d+日$/, '')}${half}：${cnMonthDay(p.start)}—${cnMonthDay(p.end)}，${until}`;
    }
    case 'dispatch':
      return `${cnDate(p.asOf)}`;
    case 'liaisons':
    case 'rights':
      return `${cnDate(p.asOf)}`;
  }
}
