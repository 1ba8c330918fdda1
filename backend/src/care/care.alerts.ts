// Conditions of the region-level care rules (docs/alerts.md): a rights case
// open past its 纠正期限 (owner: the case's region) and a reporting unit
// whose 亮相 checklist is not complete after the deadline (naming what is
// missing). Pure: the alert service feeds them the cases and checklist.
import type { Condition, Severity } from '../alerts/alerts.rules';
import { REGION_BY_CODE } from '../regions/regions.data';
import type { ChecklistUnit, RightsCaseRow } from './care.api.types';

const nextDay = (d: string): string => {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
};

const nameOf = (code: string): string => REGION_BY_CODE.get(code)?.name ?? code;

/** One condition per open case whose 纠正期限 lies before `today`; breached at 00:00 of the day after the deadline. */
export function rightsCaseConditions(cases: readonly RightsCaseRow[], today: string, severity: Severity): Condition[] {
  const out: Condition[] = [];
  for (const c of cases) {
    if (!c.open || c.deadline === null || !(c.deadline < today)) continue;
    const region = REGION_BY_CODE.get(c.region);
    const county = region?.level === 'county';
    out.push({
      rule: 'rights_case_overdue', subject: `case:${c.caseId}`, subjectKind: 'region', countyCode: county ? c.region : '', unitCode: c.unit,
      ownerCode: c.region, ownerLevel: county ? 'county' : 'unit', severity, nameMasked: '',
      title: `${nameOf(c.region)}权益案件 ${c.caseId}（${c.caseType}，${c.action || '未填处置方式'}）纠正期限 ${c.deadline} 已过 ${c.daysOverdue} 天未办结`,
      detail: JSON.stringify({ caseId: c.caseId, caseType: c.caseType, action: c.action, deadline: c.deadline, opened: c.opened, daysOverdue: c.daysOverdue }),
      breachedAt: `${nextDay(c.deadline)} 00:00:00`,
    });
  }
  return out;
}

/** One condition per reporting unit whose checklist is still incomplete after the deadline, naming the missing items. */
export function publicityConditions(units: readonly ChecklistUnit[], today: string, deadline: string, severity: Severity): Condition[] {
  if (!(today > deadline)) return [];
  const out: Condition[] = [];
  for (const u of units) {
    if (u.complete !== null && u.complete <= today) continue;
    const missing = u.cells.filter((c) => c.done === null).map((c) => c.items.join('或'));
    out.push({
      rule: 'publicity_missing', subject: `publicity:${u.unit}`, subjectKind: 'region', countyCode: '', unitCode: u.unit, ownerCode: u.unit,
      ownerLevel: 'unit', severity, nameMasked: '',
      title: `${u.name}亮相行动发布不全（期限 ${deadline}）：缺${missing.join('、')}`,
      detail: JSON.stringify({ unit: u.unit, deadline, missing }),
      breachedAt: `${nextDay(deadline)} 00:00:00`,
    });
  }
  return out;
}
