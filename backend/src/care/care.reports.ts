// The care parts of the official forms (docs/reports.md): the semi-monthly
// form's 帮扶计划与回访 sheet (plan coverage and overdue return visits per
// unit) and the rights-case list (one row per open case). Pure.
import { COUNTIES, PROVINCE_CODE, REGION_BY_CODE, UNITS } from '../regions/regions.data';
import { unitFormRows, type Column, type Numbers, type TableRow } from '../reports/reports.forms';
import type { RightsCaseRow } from './care.api.types';
import type { CareMetrics } from './care.types';

const IDX: Column = { key: 'index', header: '序号', kind: 'index', width: 5 };
const NAME: Column = { key: 'name', header: '单位', kind: 'text', width: 18 };

export const PLAN_COLUMNS: Column[] = [
  IDX,
  NAME,
  { key: 'hardship', header: '困难毕业生（人）', kind: 'int', width: 12 },
  { key: 'with_plan', header: '已制定（人）', group: '帮扶计划', kind: 'int' },
  { key: 'plan_rate', header: '覆盖率', group: '帮扶计划', kind: 'rate', num: 'with_plan', den: 'hardship' },
  { key: 'visited', header: '已回访（人）', group: '跟踪回访', kind: 'int' },
  { key: 'visit_overdue', header: '回访逾期（人）', group: '跟踪回访', kind: 'int' },
];

export const PLAN_NOTES = [
  '填表说明：1. 人数均为截至本期末24时的累计数，口径与系统“指标”一致；困难毕业生、帮扶计划和回访按人员所属县区统计。',
  '2. 覆盖率＝制定日期不晚于期末的帮扶计划所覆盖的困难毕业生÷困难毕业生；回访逾期：当前计划执行中、未就业，且距最近一次跟踪回访（或计划制定日期）超过回访周期的人数。',
];

type Care = Pick<CareMetrics, 'hardshipWithPlan' | 'hardshipVisited' | 'hardshipVisitOverdue'> & { hardship: number };

function planNumbers(c: Care): Numbers {
  return { hardship: c.hardship, with_plan: c.hardshipWithPlan, visited: c.hardshipVisited, visit_overdue: c.hardshipVisitOverdue };
}

/** Per unit, then 未分解到县 (the province's persons not yet in a county) and 合计 (= the province). */
export function planRows(byUnit: ReadonlyMap<string, Care>, province: Care): TableRow[] {
  return unitFormRows(PLAN_COLUMNS, new Map(UNITS.map((u) => [u.code, planNumbers(byUnit.get(u.code) ?? { hardship: 0, hardshipWithPlan: 0, hardshipVisited: 0, hardshipVisitOverdue: 0 })])), planNumbers(province));
}

export const RIGHTS_COLUMNS: Column[] = [
  IDX,
  { key: 'unit', header: '市（州）', group: '所在地区', kind: 'text', width: 14 },
  { key: 'county', header: '县（市、区）', group: '所在地区', kind: 'text', width: 16 },
  { key: 'case_id', header: '案件编号', group: '案件', kind: 'text', width: 18 },
  { key: 'case_type', header: '案件类型', group: '案件', kind: 'text', width: 12 },
  { key: 'party_kind', header: '单位性质', group: '案件', kind: 'text', width: 16 },
  { key: 'action', header: '处置方式', group: '处置', kind: 'text', width: 10 },
  { key: 'opened', header: '受理日期', group: '处置', kind: 'text', width: 12 },
  { key: 'deadline', header: '纠正期限', group: '处置', kind: 'text', width: 12 },
  { key: 'days_overdue', header: '逾期天数', group: '处置', kind: 'int', width: 10 },
];

export const RIGHTS_NOTES = [
  '说明：1. 清单列出截至统计日24时仍未办结的就业权益保障案件（每个案件编号取最新报送），逾期的在前，按逾期天数从多到少排列。',
  '2. 逾期天数＝统计日－纠正期限（纠正期限早于统计日且未办结即为逾期）；约谈、限期纠正的案件须填写纠正期限。市（州）本级受理的案件“县（市、区）”为空。',
];

/** One row per open case, overdue first (the rows arrive in that order). */
export function rightsRows(cases: readonly RightsCaseRow[]): TableRow[] {
  const name = (c: string) => REGION_BY_CODE.get(c)?.name ?? c;
  const isCounty = new Set(COUNTIES.map((c) => c.code));
  return cases.filter((c) => c.open).map((c, i) => ({
    kind: 'item',
    values: {
      index: i + 1, unit: name(c.unit || PROVINCE_CODE), county: isCounty.has(c.region) && c.region !== c.unit ? name(c.region) : '',
      case_id: c.caseId, case_type: c.caseType, party_kind: c.partyKind, action: c.action, opened: c.opened, deadline: c.deadline ?? '',
      days_overdue: c.overdue ? c.daysOverdue : 0,
    },
  }));
}
