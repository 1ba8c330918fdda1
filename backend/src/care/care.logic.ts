// Pure rules of the care metrics: when a hardship person's return visit is
// overdue (measures.md, hardshipVisitOverdue) and when a unit's 亮相
// checklist is complete. No engine here, so unit tests can walk the edges.
import { PLAN_ACTIVE } from './care.schema';

export const NEVER = '2149-06-06';

const DAY_MS = 86_400_000;
const dayNum = (d: string): number => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
const dayStr = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

export interface PlanLite {
  plan_id: string;
  plan_date: string;
  visit_days: number | null;
  status: string;
}

/**
 * The day intervals [from, to) on which a person's current plan (greatest
 * 制定日期 ≤ D, ties: greatest 计划编号) is 执行中 and its last visit (latest
 * 跟踪回访 day ≤ D, or the plan's 制定日期 when later or none) lies more than
 * its 回访周期 days before D. `to` = NEVER: still overdue. `visits`: distinct
 * visit days (any order). Employment is not looked at here: the metric drops
 * employed days where the person's state is known (person_spans).
 */
export function overdueIntervals(plans: readonly PlanLite[], visits: readonly string[], defaultDays: number): Array<[string, string]> {
  if (plans.length === 0) return [];
  const sorted = [...plans].sort((a, b) => (a.plan_date < b.plan_date ? -1 : a.plan_date > b.plan_date ? 1 : a.plan_id < b.plan_id ? -1 : a.plan_id > b.plan_id ? 1 : 0));
  // The plan in force from each distinct 制定日期: the last of that day (greatest 计划编号).
  const segs: Array<{ from: number; plan: PlanLite }> = [];
  for (const p of sorted) {
    const d = dayNum(p.plan_date);
    const last = segs[segs.length - 1];
    if (last && last.from === d) last.plan = p;
    else segs.push({ from: d, plan: p });
  }
  const vs = [...new Set(visits)].map(dayNum).sort((a, b) => a - b);
  const never = dayNum(NEVER);
  const out: Array<[number, number]> = [];
  segs.forEach((s, i) => {
    if (s.plan.status !== PLAN_ACTIVE) return;
    const end = i + 1 < segs.length ? segs[i + 1]!.from : never;
    const k = s.plan.visit_days ?? defaultDays;
    const anchors = [s.from, ...vs.filter((v) => v > s.from && v < end)];
    anchors.forEach((a, j) => {
      const next = j + 1 < anchors.length ? anchors[j + 1]! : end;
      const start = a + k + 1;
      if (start >= next) return;
      const prev = out[out.length - 1];
      if (prev && prev[1] === start) prev[1] = next;
      else out.push([start, next]);
    });
  });
  return out.map(([a, b]) => [dayStr(a), b >= never ? NEVER : dayStr(b)]);
}

/**
 * The day a unit's checklist became complete: every entry (any one of its
 * items) carried by some publication; null = not complete. `firstDay` maps an
 * item to the first day a publication of the unit or its counties carried it.
 */
export function completeDay(firstDay: ReadonlyMap<string, string>, checklist: readonly (readonly string[])[]): string | null {
  let day = '';
  for (const entry of checklist) {
    const days = entry.map((it) => firstDay.get(it)).filter((d): d is string => d !== undefined).sort();
    if (days.length === 0) return null;
    if (days[0]! > day) day = days[0]!;
  }
  return day || null;
}

/** The checklist entries a unit still misses as of a day (each named by its items joined with 或). */
export function missingItems(firstDay: ReadonlyMap<string, string>, checklist: readonly (readonly string[])[], asOf: string): string[] {
  return checklist.filter((entry) => !entry.some((it) => (firstDay.get(it) ?? '9999') <= asOf)).map((entry) => entry.join('或'));
}
