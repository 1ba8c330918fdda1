// The forms as data: columns (with their grouped headers) and rows, built
// from per-region counts. Pure: the service fetches the counts, the XLSX
// writer lays the table out. docs/reports.md explains every column.
import { COUNTIES, PROVINCE_CODE, REGION_BY_CODE, UNITS, type Region } from '../regions/regions.data';
import type { MetricCounts } from '../metrics/metrics.types';
import type { Liaison } from '../liaisons/liaisons.service';
import { zeroMeasureCounts } from '../measures/measures.types';
import { NAMED_CATEGORIES, NAMED_SOURCES, type DispatchItem, type EventCountsRow, type PersonCounts } from './reports.types';

export type CellKind = 'index' | 'text' | 'int' | 'signed' | 'rate' | 'hours'
  | 'money';
export type CellValue = string | number | null;

export interface Column {
  key: string;
  header: string;
  /** Grouped header above the column (merged over its neighbours with the same group); none: the header spans both header rows. */
  group?: string;
  kind: CellKind;
  /** Rates: numerator and denominator keys of the same row. */
  num?: string;
  den?: string;
  width?: number;
}

export type RowKind = 'unit' | 'pending' | 'total' | 'item';

export interface TableRow {
  kind: RowKind;
  values: Record<string, CellValue>;
}

export interface FormTable {
  sheetName: string;
  /** Row 1: the form's name and its period. */
  title: string;
  /** Row 2, right: 填报日期. */
  filingDate: string;
  columns: Column[];
  rows: TableRow[];
  /** 填表说明 lines under the table. */
  notes: string[];
}

export type Numbers = Record<string, number>;

/** Label of the row for persons received but not yet distributed to a county (only the province has them). */
export const PENDING_LABEL = '未分解到县';
export const TOTAL_LABEL = '合计';

const key = (level: string, code: string) => `${level}:${code}`;

function zeroLike(n: Numbers): Numbers {
  return Object.fromEntries(Object.keys(n).map((k) => [k, 0]));
}

export function addNumbers(a: Numbers, b: Numbers): Numbers {
  const out: Numbers = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export function subtractNumbers(a: Numbers, b: Numbers): Numbers {
  const out: Numbers = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) - v;
  return out;
}

export function sumNumbers(rows: Numbers[]): Numbers {
  return rows.reduce((acc, r) => addNumbers(acc, r), rows[0] ? zeroLike(rows[0]) : {});
}

/** A rate cell: num / den of the same row, null when den is 0 (shown as —). */
export function rateOf(values: Record<string, CellValue>, c: Column): number | null {
  const num = Number(values[c.num!] ?? 0);
  const den = Number(values[c.den!] ?? 0);
  return den === 0 ? null : num / den;
}

/** Fills each rate column from its numerator and denominator (rates are never summed or averaged). */
export function withRates(columns: Column[], values: Record<string, CellValue>): Record<string, CellValue> {
  const out = { ...values };
  for (const c of columns) if (c.kind === 'rate') out[c.key] = rateOf(values, c);
  return out;
}

/**
 * Rows of a per-unit form: one row per reporting unit in the tree's order,
 * then 未分解到县 (province minus the units: persons with no county yet), then
 * 合计 = the sum of all rows above, which is the province exactly.
 */
export function unitFormRows(columns: Column[], byUnit: Map<string, Numbers>, province: Numbers, withPending = true): TableRow[] {
  const units = UNITS.map((u) => ({ u, n: byUnit.get(u.code) ?? zeroLike(province) }));
  const rows: TableRow[] = units.map(({ u, n }, i) => ({ kind: 'unit', values: withRates(columns, { ...n, index: i + 1, name: u.name }) }));
  const all = units.map((x) => x.n);
  if (withPending) {
    const pending = subtractNumbers(province, sumNumbers(all));
    rows.push({ kind: 'pending', values: withRates(columns, { ...pending, index: null, name: PENDING_LABEL }) });
    all.push(pending);
  }
  rows.push({ kind: 'total', values: withRates(columns, { ...sumNumbers(all), index: null, name: TOTAL_LABEL }) });
  return rows;
}

/** Rows for the regions below a unit or a county (the scoped dispatch summary), then 合计. */
export function regionFormRows(columns: Column[], regions: Region[], byRegion: Map<string, Numbers>, zero: Numbers): TableRow[] {
  const parts = regions.map((r) => byRegion.get(r.code) ?? { ...zero });
  const rows: TableRow[] = regions.map((r, i) => ({ kind: 'unit', values: withRates(columns, { ...parts[i]!, index: i + 1, name: r.name }) }));
  rows.push({ kind: 'total', values: withRates(columns, { ...sumNumbers(parts.length ? parts : [zero]), index: null, name: TOTAL_LABEL }) });
  return rows;
}

// ---------------------------------------------------------------- weekly 附件2

const IDX: Column = { key: 'index', header: '序号', kind: 'index', width: 5 };
const NAME: Column = { key: 'name', header: '单位', kind: 'text', width: 18 };

export const WEEKLY_COLUMNS: Column[] = [
  IDX,
  NAME,
  { key: 'received', header: '合计', group: '接收未就业毕业生信息（人）', kind: 'int' },
  { key: 'src_edu', header: '教育部门', group: '接收未就业毕业生信息（人）', kind: 'int' },
  { key: 'src_college', header: '高校', group: '接收未就业毕业生信息（人）', kind: 'int' },
  { key: 'src_miniapp', header: '小程序', group: '接收未就业毕业生信息（人）', kind: 'int' },
  { key: 'src_unemployment', header: '失业登记', group: '接收未就业毕业生信息（人）', kind: 'int' },
  { key: 'src_other', header: '其他', group: '接收未就业毕业生信息（人）', kind: 'int' },
  { key: 'distributed', header: '已分解到县（人）', kind: 'int', width: 10 },
  { key: 'contacted', header: '已联系（人）', group: '实名联系', kind: 'int' },
  { key: 'contact_rate', header: '联系率', group: '实名联系', kind: 'rate', num: 'contacted', den: 'received' },
  { key: 'cat_employment', header: '有就业意愿', group: '分类建立帮扶台账（人）', kind: 'int' },
  { key: 'cat_startup', header: '有创业意愿', group: '分类建立帮扶台账（人）', kind: 'int' },
  { key: 'cat_unreachable', header: '无法联系', group: '分类建立帮扶台账（人）', kind: 'int' },
  { key: 'cat_none', header: '暂无就业意愿', group: '分类建立帮扶台账（人）', kind: 'int' },
  { key: 'cat_unset', header: '未分类', group: '分类建立帮扶台账（人）', kind: 'int' },
  { key: 'served', header: '已提供服务（人）', group: '就业服务', kind: 'int' },
  { key: 'completed1311', header: '完成“1311”（人）', group: '就业服务', kind: 'int' },
  { key: 'rate1311', header: '“1311”完成率', group: '就业服务', kind: 'rate', num: 'completed1311', den: 'cat_employment' },
  { key: 'employed', header: '已就业（人）', group: '就业情况', kind: 'int' },
  { key: 'employment_rate', header: '就业率', group: '就业情况', kind: 'rate', num: 'employed', den: 'received' },
  { key: 'hardship', header: '困难毕业生（人）', group: '困难帮扶', kind: 'int' },
  { key: 'hardship_o2o', header: '“一对一”服务（人）', group: '困难帮扶', kind: 'int' },
  { key: 'hardship_employed', header: '已就业（人）', group: '困难帮扶', kind: 'int' },
  { key: 'hardship_welfare', header: '公益性岗位安置（人）', group: '困难帮扶', kind: 'int' },
  { key: 'help', header: '求助（件）', group: '小程序求助', kind: 'int' },
  { key: 'help_in_sla', header: '24小时内联系（件）', group: '小程序求助', kind: 'int' },
  { key: 'help_overdue', header: '超时（件）', group: '小程序求助', kind: 'int' },
  { key: 'ev_week_professional', header: '本周专业性', group: '招聘活动（场）', kind: 'int' },
  { key: 'ev_week_comprehensive', header: '本周综合性', group: '招聘活动（场）', kind: 'int' },
  { key: 'ev_month_professional', header: '本月专业性', group: '招聘活动（场）', kind: 'int' },
  { key: 'ev_month_comprehensive', header: '本月综合性', group: '招聘活动（场）', kind: 'int' },
];

export const WEEKLY_NOTES = [
  '填表说明：1. 人数均为截至统计日24时的累计数，口径与系统“指标”一致；求助件数为截至统计日已登记的求助，招聘活动为统计日所在ISO周（周一至统计日）和所在月（1日至统计日）已举办的场次。',
  '2. 已联系：有“联系”且结果为“已联系”的服务记录，或有任何其他类型服务记录的人数；已提供服务：有“联系”以外任一服务记录的人数。',
  '3. 完成“1311”：有就业意愿且至少1次职业指导、3次岗位推介、1次技能培训、1次就业见习；完成率＝完成人数÷有就业意愿人数；联系率、就业率＝÷接收合计。',
  '4. 已就业含已就业、自主创业、灵活就业、公益性岗位；公益性岗位安置：困难毕业生中就业状态为公益性岗位或有“公益性岗位安置”服务记录的人数。',
  '5. 24小时内联系：求助后24小时内首次联系；超时：求助满24小时仍未联系或联系晚于24小时。“未分解到县”为已接收但尚未分解到县（市、区）的人数，只计入合计。',
];

interface RegionInputs {
  metrics: MetricCounts;
  persons: PersonCounts;
  events?: EventCountsRow;
}

/** One region's numbers for the weekly form. 其他 and 未分类 take what the named columns leave, so the groups add up to 接收合计. */
export function weeklyNumbers(x: RegionInputs): Numbers {
  const m = x.metrics;
  const p = x.persons;
  const src = NAMED_SOURCES.map((_s, i) => p.by_source[i] ?? 0);
  const cat = NAMED_CATEGORIES.map((_c, i) => p.by_category[i] ?? 0);
  return {
    received: m.received,
    src_edu: src[0]!,
    src_college: src[1]!,
    src_miniapp: src[2]!,
    src_unemployment: src[3]!,
    src_other: m.received - src.reduce((a, b) => a + b, 0),
    distributed: m.received - m.pending,
    contacted: m.contacted,
    cat_employment: m.intent,
    cat_startup: cat[1]!,
    cat_unreachable: cat[2]!,
    cat_none: cat[3]!,
    cat_unset: m.received - m.intent - cat[1]! - cat[2]! - cat[3]!,
    served: p.served,
    completed1311: m.completed1311,
    employed: m.employed,
    hardship: m.hardship,
    hardship_o2o: m.hardship_o2o,
    hardship_employed: m.hardship_employed,
    hardship_welfare: p.hardship_welfare,
    help: m.help_requests,
    help_in_sla: m.help_in_sla,
    help_overdue: m.help_overdue,
    ev_week_professional: x.events?.week_professional ?? 0,
    ev_week_comprehensive: x.events?.week_comprehensive ?? 0,
    ev_month_professional: x.events?.month_professional ?? 0,
    ev_month_comprehensive: x.events?.month_comprehensive ?? 0,
  };
}

export interface DayCounts {
  /** MetricsService counts, keyed `${level}:${code}`. */
  metrics: Map<string, MetricCounts>;
  /** report_persons.sql counts, keyed `${level}:${code}`. */
  persons: Map<string, PersonCounts>;
}

export function zeroPersons(): PersonCounts {
  return { received: 0, by_source: NAMED_SOURCES.map(() => 0), by_category: NAMED_CATEGORIES.map(() => 0), served: 0, hardship_welfare: 0 };
}

function zeroMetrics(): MetricCounts {
  return { received: 0, pending: 0, contacted: 0, intent: 0, completed1311: 0, employed: 0, hardship: 0, hardship_o2o: 0, hardship_employed: 0, help_requests: 0, help_in_sla: 0, help_overdue: 0, ...zeroMeasureCounts() };
}

function inputs(day: DayCounts, level: string, code: string, events?: EventCountsRow): RegionInputs {
  return { metrics: day.metrics.get(key(level, code)) ?? zeroMetrics(), persons: day.persons.get(key(level, code)) ?? zeroPersons(), events };
}

export function weeklyRows(day: DayCounts, events: EventCountsRow[]): TableRow[] {
  const ev = new Map(events.map((e) => [e.unit_code, e]));
  const byUnit = new Map(UNITS.map((u) => [u.code, weeklyNumbers(inputs(day, 'unit', u.code, ev.get(u.code)))]));
  const provinceEvents: EventCountsRow = {
    unit_code: PROVINCE_CODE,
    week_professional: events.reduce((a, e) => a + e.week_professional, 0),
    week_comprehensive: events.reduce((a, e) => a + e.week_comprehensive, 0),
    month_professional: events.reduce((a, e) => a + e.month_professional, 0),
    month_comprehensive: events.reduce((a, e) => a + e.month_comprehensive, 0),
  };
  return unitFormRows(WEEKLY_COLUMNS, byUnit, weeklyNumbers(inputs(day, 'province', PROVINCE_CODE, provinceEvents)));
}

// ------------------------------------------------------- semi-monthly progress

export const SEMIMONTHLY_COLUMNS: Column[] = [
  IDX,
  NAME,
  { key: 'received', header: '接收（人）', kind: 'int', width: 10 },
  { key: 'contacted', header: '累计已联系（人）', group: '实名联系', kind: 'int' },
  { key: 'contact_rate', header: '联系率', group: '实名联系', kind: 'rate', num: 'contacted', den: 'received' },
  { key: 'contacted_delta', header: '本期净增（人）', group: '实名联系', kind: 'signed' },
  { key: 'cat_employment', header: '有就业意愿', group: '分类帮扶（人）', kind: 'int' },
  { key: 'cat_startup', header: '有创业意愿', group: '分类帮扶（人）', kind: 'int' },
  { key: 'cat_unreachable', header: '无法联系', group: '分类帮扶（人）', kind: 'int' },
  { key: 'cat_none', header: '暂无就业意愿', group: '分类帮扶（人）', kind: 'int' },
  { key: 'cat_unset', header: '未分类', group: '分类帮扶（人）', kind: 'int' },
  { key: 'served', header: '累计（人）', group: '已提供服务', kind: 'int' },
  { key: 'served_delta', header: '本期净增（人）', group: '已提供服务', kind: 'signed' },
  { key: 'completed1311', header: '完成（人）', group: '“1311”服务', kind: 'int' },
  { key: 'rate1311', header: '完成率', group: '“1311”服务', kind: 'rate', num: 'completed1311', den: 'cat_employment' },
  { key: 'completed1311_delta', header: '本期净增（人）', group: '“1311”服务', kind: 'signed' },
  { key: 'employed', header: '已就业（人）', group: '就业情况', kind: 'int' },
  { key: 'employment_rate', header: '就业率', group: '就业情况', kind: 'rate', num: 'employed', den: 'received' },
  { key: 'employed_delta', header: '本期净增（人）', group: '就业情况', kind: 'signed' },
  { key: 'hardship', header: '困难毕业生（人）', group: '困难帮扶', kind: 'int' },
  { key: 'hardship_o2o', header: '“一对一”服务（人）', group: '困难帮扶', kind: 'int' },
  { key: 'o2o_rate', header: '“一对一”覆盖率', group: '困难帮扶', kind: 'rate', num: 'hardship_o2o', den: 'hardship' },
  { key: 'hardship_employed', header: '已就业（人）', group: '困难帮扶', kind: 'int' },
  { key: 'hardship_welfare', header: '公益性岗位安置（人）', group: '困难帮扶', kind: 'int' },
];

export const SEMIMONTHLY_NOTES = [
  '填表说明：1. 累计数为截至本期末24时的人数，口径与周报（附件2）和系统“指标”一致。',
  '2. 本期净增＝本期末累计数－上期末（本期第一天的前一天）累计数；人员在县区间调整、状态变更时可能为负数。',
  '3. “一对一”覆盖率＝接受“一对一”服务的困难毕业生÷困难毕业生；“未分解到县”为已接收但尚未分解到县（市、区）的人数，只计入合计。',
];

function semimonthlyNumbers(end: RegionInputs, before: RegionInputs): Numbers {
  const a = weeklyNumbers(end);
  const b = weeklyNumbers(before);
  return {
    received: a.received!,
    contacted: a.contacted!,
    contacted_delta: a.contacted! - b.contacted!,
    cat_employment: a.cat_employment!,
    cat_startup: a.cat_startup!,
    cat_unreachable: a.cat_unreachable!,
    cat_none: a.cat_none!,
    cat_unset: a.cat_unset!,
    served: a.served!,
    served_delta: a.served! - b.served!,
    completed1311: a.completed1311!,
    completed1311_delta: a.completed1311! - b.completed1311!,
    employed: a.employed!,
    employed_delta: a.employed! - b.employed!,
    hardship: a.hardship!,
    hardship_o2o: a.hardship_o2o!,
    hardship_employed: a.hardship_employed!,
    hardship_welfare: a.hardship_welfare!,
  };
}

/** The period's end against the day before it started. */
export function semimonthlyRows(end: DayCounts, before: DayCounts): TableRow[] {
  const byUnit = new Map(UNITS.map((u) => [u.code, semimonthlyNumbers(inputs(end, 'unit', u.code), inputs(before, 'unit', u.code))]));
  return unitFormRows(SEMIMONTHLY_COLUMNS, byUnit, semimonthlyNumbers(inputs(end, 'province', PROVINCE_CODE), inputs(before, 'province', PROVINCE_CODE)));
}

// ----------------------------------------------------------- dispatch list

export const DISPATCH_SUMMARY_COLUMNS: Column[] = [
  IDX,
  NAME,
  { key: 'open', header: '合计（件）', group: '待首次联系的求助', kind: 'int' },
  { key: 'overdue', header: '其中超过24小时（件）', group: '待首次联系的求助', kind: 'int' },
  { key: 'within', header: '其中未满24小时（件）', group: '待首次联系的求助', kind: 'int' },
  { key: 'max_hours', header: '最长已等待（小时）', kind: 'hours', width: 12 },
];

export const DISPATCH_LIST_COLUMNS: Column[] = [
  IDX,
  { key: 'unit', header: '市（州）', group: '所在地区', kind: 'text', width: 16 },
  { key: 'county', header: '县（市、区）', group: '所在地区', kind: 'text', width: 18 },
  { key: 'request_id', header: '求助编号', group: '求助信息', kind: 'text', width: 18 },
  { key: 'name', header: '姓名', group: '求助信息', kind: 'text', width: 10 },
  { key: 'requested_at', header: '求助时间', group: '求助信息', kind: 'text', width: 20 },
  { key: 'hours', header: '已等待（小时）', group: '等待情况', kind: 'hours', width: 12 },
  { key: 'status', header: '状态', group: '等待情况', kind: 'text', width: 22 },
];

export const DISPATCH_NOTES = [
  '说明：1. 清单列出截至统计时点仍未首次联系的小程序求助（每个求助编号取最新登记），按所在县（市、区）排列，请当日联系并在系统中登记首次联系时间。',
  '2. 已等待＝统计时点－求助时间（小时，保留一位小数）；超过24小时即为超时。姓名已脱敏，仅供核对，不含身份证号和电话。',
];

/** Items in the reporting tree's order: unit, county, then the longest waiting first. */
export function sortDispatch(items: DispatchItem[]): DispatchItem[] {
  const unitIdx = new Map(COUNTIES.map((c) => [c.code, UNITS.findIndex((u) => u.code === c.parentCode)]));
  return [...items].sort((a, b) =>
    (unitIdx.get(a.countyCode) ?? 99) - (unitIdx.get(b.countyCode) ?? 99)
    || a.countyCode.localeCompare(b.countyCode)
    || a.requestedAt.localeCompare(b.requestedAt)
    || a.requestId.localeCompare(b.requestId),
  );
}

function countyRegion(code: string): Region | undefined {
  return COUNTIES.find((c) => c.code === code);
}

export function dispatchListRows(items: DispatchItem[]): TableRow[] {
  return sortDispatch(items).map((it, i) => {
    const county = countyRegion(it.countyCode);
    const unit = county?.parentCode ? REGION_BY_CODE.get(county.parentCode) : undefined;
    return {
      kind: 'item',
      values: {
        index: i + 1, unit: unit?.name ?? '', county: county?.name ?? it.countyCode, request_id: it.requestId, name: it.nameMasked || '—',
        requested_at: it.requestedAt, hours: it.hoursWaiting, status: it.overdue ? '超时未联系' : '待联系（未满24小时）',
      },
    };
  });
}

function dispatchNumbers(items: DispatchItem[]): Numbers {
  const overdue = items.filter((i) => i.overdue).length;
  return { open: items.length, overdue, within: items.length - overdue, max_hours: items.reduce((m, i) => Math.max(m, i.hoursWaiting), 0) };
}

/**
 * The dispatch summary: per reporting unit for the province-wide list, per
 * county-level unit for a list scoped to a unit or a county; then 合计.
 */
export function dispatchSummaryRows(items: DispatchItem[], regionCode: string): TableRow[] {
  const region = REGION_BY_CODE.get(regionCode);
  const zero = dispatchNumbers([]);
  let rows: TableRow[];
  if (!region || region.level === 'province') {
    const byUnit = new Map(UNITS.map((u) => [u.code, dispatchNumbers(items.filter((i) => countyRegion(i.countyCode)?.parentCode === u.code))]));
    rows = unitFormRows(DISPATCH_SUMMARY_COLUMNS, byUnit, dispatchNumbers(items), false);
  } else {
    const counties = region.level === 'county' ? [region] : COUNTIES.filter((c) => c.parentCode === region.code);
    const byCounty = new Map(counties.map((c) => [c.code, dispatchNumbers(items.filter((i) => i.countyCode === c.code))]));
    rows = regionFormRows(DISPATCH_SUMMARY_COLUMNS, counties, byCounty, zero);
  }
  // 最长已等待 is a maximum, not a sum.
  const total = rows[rows.length - 1]!;
  total.values.max_hours = items.reduce((m, i) => Math.max(m, i.hoursWaiting), 0);
  for (const r of rows) if (r.values.open === 0) r.values.max_hours = null;
  return rows;
}

// ------------------------------------------------------------ liaisons 附件3

export const LIAISON_COLUMNS: Column[] = [
  IDX,
  NAME,
  { key: 'liaison', header: '姓名', group: '工作联络员', kind: 'text', width: 10 },
  { key: 'title', header: '单位及职务', group: '工作联络员', kind: 'text', width: 28 },
  { key: 'phone', header: '办公电话', group: '工作联络员', kind: 'text', width: 16 },
  { key: 'mobile', header: '手机', group: '工作联络员', kind: 'text', width: 14 },
  { key: 'email', header: '电子邮箱', group: '工作联络员', kind: 'text', width: 24 },
];

export const LIAISON_NOTES = ['说明：联络员信息取自系统“联络员”目录，由管理员维护；空白表示该单位尚未报送联络员。'];

/** One row per reporting unit (blank where no liaison is on file). */
export function liaisonRows(liaisons: Liaison[]): TableRow[] {
  const byCode = new Map(liaisons.map((l) => [l.regionCode, l]));
  return UNITS.map((u, i) => {
    const l = byCode.get(u.code);
    return {
      kind: 'unit',
      values: { index: i + 1, name: u.name, liaison: l?.name ?? '', title: l?.title ?? '', phone: l?.phone ?? '', mobile: l?.mobile ?? '', email: l?.email ?? '' },
    };
  });
}
