// The plan panel's and the care sections' view models. Pure.
import type { ChecklistCell, PersonPlanPanel } from '../../../../backend/src/care/care.api.types';

export type { ChecklistCell, ChecklistResponse, ChecklistUnit, PersonPlanPanel, RightsCasesResponse, RightsCaseRow } from '../../../../backend/src/care/care.api.types';

/** What the next return visit looks like: none due (no plan / finished), due on a day, or overdue by N days. */
export function nextVisitText(p: PersonPlanPanel): { tone: 'ok' | 'bad' | 'plain'; text: string } {
  if (!p.current) return { tone: 'plain', text: '尚未制定帮扶计划' };
  if (p.current.status !== '执行中') return { tone: 'plain', text: `计划${p.current.status}，无需回访` };
  if (!p.nextDue) return { tone: 'plain', text: '—' };
  if (p.overdueDays > 0) return { tone: 'bad', text: `回访已逾期 ${p.overdueDays} 天（应于 ${p.nextDue} 前回访）` };
  return { tone: 'ok', text: `下次回访应于 ${p.nextDue} 前` };
}

export function cadenceText(p: PersonPlanPanel): string {
  if (!p.current) return '—';
  return `每 ${p.current.visitDays} 天${p.current.visitDaysDefaulted ? '（未填，按默认）' : ''}`;
}

/** A checklist cell's text: the day it was published (and by which county), or 未发布. */
export function cellText(c: ChecklistCell): string {
  if (!c.done) return c.late ? '未发布（已逾期）' : '未发布';
  return `${c.done.day.slice(5)}${c.late ? ' 逾期' : ''}`;
}
