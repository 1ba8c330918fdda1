// The recruitment compliance calendar: for each unit, every ISO week (a 专业性
// event due) and every month (a 综合性 event due), misses in red. Pure.
import type { RecruitmentCompliance } from './types';

export type CellStatus = 'ok' | 'missed' | 'running';

export interface CalendarCell {
  key: string;
  status: CellStatus;
  count: number;
  /** Says the period, the count and the verdict (tooltip and screen readers). */
  title: string;
}

export interface CalendarColumn {
  key: string;
  label: string;
  /** Month starts get a divider in the weeks band. */
  monthStart: boolean;
}

export interface CalendarRow {
  code: string;
  name: string;
  weeks: CalendarCell[];
  months: CalendarCell[];
  weeksMissed: number;
  monthsMissed: number;
}

export interface CalendarGrid {
  weeks: CalendarColumn[];
  months: CalendarColumn[];
  rows: CalendarRow[];
  judgedAsOf: string;
}

const md = (d: string): string => `${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}`;

function status(ended: boolean, missed: boolean): CellStatus {
  return missed ? 'missed' : ended ? 'ok' : 'running';
}

const VERDICT: Record<CellStatus, string> = { ok: '达标', missed: '未达标', running: '进行中' };

export function recruitmentGrid(list: readonly RecruitmentCompliance[]): CalendarGrid {
  const first = list[0];
  if (!first) return { weeks: [], months: [], rows: [], judgedAsOf: '' };
  let lastMonth = '';
  const weeks = first.weeks.map((w) => {
    const m = w.start.slice(0, 7);
    const monthStart = m !== lastMonth;
    lastMonth = m;
    return { key: w.week, label: md(w.start), monthStart };
  });
  const months = first.months.map((m) => ({ key: m.month, label: `${Number(m.month.slice(5, 7))}月`, monthStart: true }));
  const rows = list.map((c) => ({
    code: c.unitCode,
    name: c.name,
    weeksMissed: c.weeksMissed,
    monthsMissed: c.monthsMissed,
    weeks: c.weeks.map((w) => {
      const s = status(w.ended, w.missed);
      return { key: w.week, status: s, count: w.professional, title: `${c.name} ${w.week}（${md(w.start)}–${md(w.end)}）专业性招聘 ${w.professional} 场：${VERDICT[s]}` };
    }),
    months: c.months.map((m) => {
      const s = status(m.ended, m.missed);
      return { key: m.month, status: s, count: m.comprehensive, title: `${c.name} ${m.month} 综合性招聘 ${m.comprehensive} 场：${VERDICT[s]}` };
    }),
  }));
  return { weeks, months, rows, judgedAsOf: first.judgedAsOf };
}
