// The weekly 专项工作进展表: one row per reporting unit (then 合计) of the
// notice's measures (三) training centres, (四) job posts and (六) policy
// delivery, as of the end of the week (or today while it runs). Every record
// of these kinds carries a region, so there is no 未分解 row; a unit's row
// includes its own records (a unit's posts), and 合计 is the sum of the rows.
import type { Column, Numbers, TableRow } from '../reports/reports.forms';
import { unitFormRows } from '../reports/reports.forms';
import { PROVINCE_CODE, UNITS } from '../regions/regions.data';
import type { MetricCounts } from '../metrics/metrics.types';
import { zeroCounts } from '../metrics/metrics.types';
import { toMeasureMetrics } from './measures.types';

const IDX: Column = { key: 'index', header: '序号', kind: 'index', width: 5 };
const NAME: Column = { key: 'name', header: '单位', kind: 'text', width: 18 };

export const MEASURES_REPORT_COLUMNS: Column[] = [
  IDX,
  NAME,
  { key: 'centres', header: '已挂牌（个）', group: '实训中心', kind: 'int' },
  { key: 'county_centres', header: '已建县区（个）', group: '实训中心', kind: 'int' },
  { key: 'county_units', header: '县区数（个）', group: '实训中心', kind: 'int' },
  { key: 'county_rate', header: '县区覆盖率', group: '实训中心', kind: 'rate', num: 'county_centres', den: 'county_units' },
  { key: 'entrants', header: '累计进驻（人）', group: '实训进驻', kind: 'int' },
  { key: 'resident', header: '在驻（人）', group: '实训进驻', kind: 'int' },
  { key: 'exits', header: '退出（人次）', group: '实训进驻', kind: 'int' },
  { key: 'exits_work', header: '其中实现就业（人次）', group: '实训进驻', kind: 'int' },
  { key: 'exit_work_rate', header: '退出就业率', group: '实训进驻', kind: 'rate', num: 'exits_work', den: 'exits' },
  { key: 'allowance', header: '生活补助（元）', group: '实训进驻', kind: 'money' },
  { key: 'posts', header: '开发岗位（个）', group: '岗位开发', kind: 'int' },
  { key: 'posts_public', header: '事业单位、基层项目（个）', group: '岗位开发', kind: 'int' },
  { key: 'posts_enterprise', header: '企业及重大项目（个）', group: '岗位开发', kind: 'int' },
  { key: 'published', header: '96885已发布（个）', group: '岗位开发', kind: 'int' },
  { key: 'published_rate', header: '发布率', group: '岗位开发', kind: 'rate', num: 'published', den: 'posts' },
  { key: 'hired', header: '已招用毕业生（人）', group: '岗位开发', kind: 'int' },
  { key: 'granted', header: '办结（件）', group: '政策落实', kind: 'int' },
  { key: 'persons', header: '享受人数（人）', group: '政策落实', kind: 'int' },
  { key: 'amount', header: '资金（元）', group: '政策落实', kind: 'money' },
  { key: 'loans', header: '其中创业担保贷款（元）', group: '政策落实', kind: 'money' },
  { key: 'pending', header: '在办（件）', group: '政策落实', kind: 'int' },
  { key: 'online', header: '网上申办及主动发现（件）', group: '政策落实', kind: 'int' },
  { key: 'online_rate', header: '网办率', group: '政策落实', kind: 'rate', num: 'online', den: 'granted' },
];

export const MEASURES_REPORT_NOTES = [
  '填表说明：1. 均为截至统计日24时的累计数（在驻、在办为统计日当日状态），口径与系统“指标”一致；每条记录以最后一次报送为准。',
  '2. 实训中心按挂牌日期计；进驻按实训中心所在县区计；退出实现就业含岗位匹配、见习留用、实现创业、公益性岗位托底。',
  '3. 岗位开发按岗位数计，市级单位自行开发的岗位计入本市；事业单位、基层项目含事业单位招聘、三支一扶、其他基层项目。',
  '4. 政策落实按办结日期计，按县区代码计入；资金为补贴金额，创业担保贷款为放贷金额；网办率＝网上申办及主动发现件数÷办结件数。',
];

/** One region's numbers for the form, from its metric counts. */
export function measuresReportNumbers(c: MetricCounts): Numbers {
  const m = toMeasureMetrics(c);
  const s = m.postsBySource;
  const online = Math.round((m.policyOnlineRate ?? 0) * m.policyGranted);
  return {
    centres: m.centres,
    county_centres: c.county_centres,
    county_units: c.county_units,
    entrants: m.centreEntrants,
    resident: m.centreResident,
    exits: m.centreExits,
    exits_work: m.centreExitsToWork,
    allowance: m.centreAllowance,
    posts: m.postsDeveloped,
    posts_public: s.事业单位招聘 + s.三支一扶 + s.其他基层项目,
    posts_enterprise: s.重点企业 + s.重大项目 + s.专精特新企业 + s.其他企业,
    published: m.postsPublished,
    hired: m.postsHired,
    granted: m.policyGranted,
    persons: m.policyPersons,
    amount: m.policyAmount,
    loans: m.policyByType.创业担保贷款.amount,
    pending: m.policyPending,
    online,
  };
}

/** Units in the reporting order, then 合计 (the rows' sum; money summed in cents so it stays exact). */
export function measuresReportRows(counts: ReadonlyMap<string, MetricCounts>): TableRow[] {
  const get = (level: string, code: string) => counts.get(`${level}:${code}`) ?? zeroCounts();
  const byUnit = new Map(UNITS.map((u) => [u.code, measuresReportNumbers(get('unit', u.code))]));
  const rows = unitFormRows(MEASURES_REPORT_COLUMNS, byUnit, measuresReportNumbers(get('province', PROVINCE_CODE)), false);
  const total = rows.find((r) => r.kind === 'total');
  if (total) {
    for (const k of ['allowance', 'amount', 'loans']) {
      total.values[k] = [...byUnit.values()].reduce((a, n) => a + Math.round(n[k]! * 100), 0) / 100;
    }
  }
  return rows;
}
