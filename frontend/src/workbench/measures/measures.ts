// The workbench's 实训中心 / 岗位开发 / 政策落实 sections: which figures each
// shows, its children table's columns, its trend series, and the columns of
// its records. Pure (unit-tested); the components only lay these out.
import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { MeasureMetrics } from '../../../../backend/src/measures/measures.types';
import type { CentreRow, GrantRow, MeasureRecordKind, PostRow, RecordRowOfKind, StayRow } from '../../../../backend/src/measures/measures.records.types';
import { EXIT_CHANNELS, POLICY_TYPES, POST_SOURCES } from '../../../../backend/src/ledger/measures.schema';

export type SectionId = 'centres' | 'posts' | 'policies';

const n = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toLocaleString('zh-CN'));
const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
/** 元 with thousands separators and two decimals. */
export const yuan = (v: number | string | null | undefined): string =>
  v === null || v === undefined || v === '' ? '—' : Number(v).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export interface Figure {
  key: string;
  label: string;
  value: string;
  note?: string;
}

export interface Column<T> {
  key: string;
  label: string;
  value: (row: T) => string;
  numeric?: boolean;
}

export interface SectionDef {
  id: SectionId;
  title: string;
  /** The record kinds a user can drill into from this section. */
  drill: Array<{ kind: MeasureRecordKind; label: string }>;
  figures: (m: MeasureMetrics) => Figure[];
  columns: Array<Column<MeasureMetrics>>;
  /** Daily series of the trend chart. */
  trend: Array<{ key: keyof MeasureMetrics; label: string }>;
}

export const SECTIONS: readonly SectionDef[] = [
  {
    id: 'centres',
    title: '实训中心',
    drill: [{ kind: 'centre', label: '中心名单' }, { kind: 'stay', label: '进驻人员' }],
    figures: (m) => [
      { key: 'centres', label: '实训中心', value: n(m.centres), note: `县区覆盖率 ${pct(m.countyCentreRate)}` },
      { key: 'centreResident', label: '在驻人数', value: n(m.centreResident), note: `累计进驻 ${n(m.centreEntrants)} 人` },
      { key: 'centreExits', label: '退出人次', value: n(m.centreExits), note: EXIT_CHANNELS.map((c) => `${c} ${n(m.centreExitsByChannel[c])}`).join(' · ') },
      { key: 'centreExitWorkRate', label: '退出就业率', value: pct(m.centreExitWorkRate), note: `${n(m.centreExitsToWork)} 人次退出就业` },
      { key: 'centre1311', label: '进驻人员1311完成', value: n(m.centre1311) },
      { key: 'centreAllowance', label: '生活补助（元）', value: yuan(m.centreAllowance) },
    ],
    columns: [
      { key: 'centres', label: '实训中心', value: (m) => n(m.centres), numeric: true },
      { key: 'countyCentreRate', label: '县区覆盖率', value: (m) => pct(m.countyCentreRate), numeric: true },
      { key: 'centreEntrants', label: '累计进驻', value: (m) => n(m.centreEntrants), numeric: true },
      { key: 'centreResident', label: '在驻', value: (m) => n(m.centreResident), numeric: true },
      { key: 'centreExits', label: '退出', value: (m) => n(m.centreExits), numeric: true },
      { key: 'centreExitWorkRate', label: '退出就业率', value: (m) => pct(m.centreExitWorkRate), numeric: true },
      { key: 'centreAllowance', label: '生活补助（元）', value: (m) => yuan(m.centreAllowance), numeric: true },
    ],
    trend: [{ key: 'centreResident', label: '在驻人数' }, { key: 'centreExitsToWork', label: '退出就业人次' }],
  },
  {
    id: 'posts',
    title: '岗位开发',
    drill: [{ kind: 'post', label: '岗位明细' }],
    figures: (m) => [
      { key: 'postsDeveloped', label: '开发岗位', value: n(m.postsDeveloped) },
      { key: 'postsPublishedRate', label: '96885发布率', value: pct(m.postsPublishedRate), note: `已发布 ${n(m.postsPublished)} 个` },
      { key: 'postsHired', label: '已招用毕业生', value: n(m.postsHired) },
      ...POST_SOURCES.map((s) => ({ key: `src-${s}`, label: s, value: n(m.postsBySource[s]) })),
    ],
    columns: [
      { key: 'postsDeveloped', label: '开发岗位', value: (m) => n(m.postsDeveloped), numeric: true },
      ...POST_SOURCES.map((s) => ({ key: `src-${s}`, label: s, value: (m: MeasureMetrics) => n(m.postsBySource[s]), numeric: true })),
      { key: 'postsPublishedRate', label: '发布率', value: (m) => pct(m.postsPublishedRate), numeric: true },
      { key: 'postsHired', label: '已招用', value: (m) => n(m.postsHired), numeric: true },
    ],
    trend: [{ key: 'postsDeveloped', label: '开发岗位' }, { key: 'postsPublished', label: '96885已发布' }],
  },
  {
    id: 'policies',
    title: '政策落实',
    drill: [{ kind: 'grant', label: '政策明细' }],
    figures: (m) => [
      { key: 'policyGranted', label: '办结件数', value: n(m.policyGranted), note: `享受 ${n(m.policyPersons)} 人` },
      { key: 'policyAmount', label: '政策资金（元）', value: yuan(m.policyAmount) },
      { key: 'policyPending', label: '在办件数', value: n(m.policyPending) },
      { key: 'policyOnlineRate', label: '网办及主动发现率', value: pct(m.policyOnlineRate) },
      ...POLICY_TYPES.map((t) => ({ key: `type-${t}`, label: t, value: n(m.policyByType[t].granted), note: `${yuan(m.policyByType[t].amount)} 元` })),
    ],
    columns: [
      { key: 'policyGranted', label: '办结件数', value: (m) => n(m.policyGranted), numeric: true },
      { key: 'policyPersons', label: '享受人数', value: (m) => n(m.policyPersons), numeric: true },
      { key: 'policyAmount', label: '资金（元）', value: (m) => yuan(m.policyAmount), numeric: true },
      { key: 'policyPending', label: '在办', value: (m) => n(m.policyPending), numeric: true },
      { key: 'policyOnlineRate', label: '网办率', value: (m) => pct(m.policyOnlineRate), numeric: true },
    ],
    trend: [{ key: 'policyGranted', label: '办结件数' }, { key: 'policyPending', label: '在办件数' }],
  },
];

export const RECORD_COLUMNS: { [K in MeasureRecordKind]: Array<Column<RecordRowOfKind[K]>> } = {
  centre: [
    { key: 'name', label: '中心名称', value: (r: CentreRow) => r.name },
    { key: 'opened', label: '挂牌日期', value: (r) => r.opened },
    { key: 'capacity', label: '容纳人数', value: (r) => n(r.capacity), numeric: true },
    { key: 'entrants', label: '累计进驻', value: (r) => n(r.entrants), numeric: true },
    { key: 'resident', label: '在驻', value: (r) => n(r.resident), numeric: true },
    { key: 'exits', label: '退出', value: (r) => `${n(r.exits)}（${EXIT_CHANNELS.map((c, i) => `${c}${r.exits_by_channel[i] ?? 0}`).join('、')}）` },
    { key: 'allowance', label: '生活补助（元）', value: (r) => yuan(r.allowance), numeric: true },
  ],
  stay: [
    { key: 'name', label: '姓名', value: (r: StayRow) => r.name || '—' },
    { key: 'id', label: '身份证号', value: (r) => r.id_masked },
    { key: 'centre', label: '实训中心', value: (r) => r.centre_name || r.centre_id },
    { key: 'entered', label: '进驻日期', value: (r) => r.entered },
    { key: 'exit', label: '退出', value: (r) => (r.exit_date ? `${r.exit_date} ${r.exit_channel}` : '在驻') },
    { key: 'allowance', label: '生活补助（元）', value: (r) => yuan(r.allowance), numeric: true },
  ],
  post: [
    { key: 'title', label: '岗位', value: (r: PostRow) => [r.employer, r.title].filter(Boolean).join(' · ') || r.id },
    { key: 'source', label: '来源', value: (r) => r.source },
    { key: 'developed', label: '开发日期', value: (r) => r.developed },
    { key: 'openings', label: '岗位数', value: (r) => n(r.openings), numeric: true },
    { key: 'published', label: '96885发布', value: (r) => r.published || '未发布' },
    { key: 'hired', label: '已招用', value: (r) => n(r.hired), numeric: true },
  ],
  grant: [
    { key: 'name', label: '姓名', value: (r: GrantRow) => r.name || '—' },
    { key: 'id', label: '身份证号', value: (r) => r.id_masked },
    { key: 'policy', label: '政策类型', value: (r) => r.policy },
    { key: 'amount', label: '金额（元）', value: (r) => yuan(r.amount), numeric: true },
    { key: 'applied', label: '受理日期', value: (r) => r.applied },
    { key: 'granted', label: '办结日期', value: (r) => r.granted || '在办' },
    { key: 'channel', label: '申办方式', value: (r) => r.channel || '—' },
  ],
};

export type MeasureTrendOption = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

/** The section's series day by day (counts; money shown in the figures). */
export function buildMeasureTrendOption(trend: ReadonlyArray<{ asOf: string } & MeasureMetrics>, series: SectionDef['trend']): MeasureTrendOption {
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 4, data: series.map((s) => s.label) },
    xAxis: { type: 'category', data: trend.map((p) => p.asOf.slice(5)), boundaryGap: false },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) => ({
      id: `measure-${String(s.key)}`, type: 'line', name: s.label, showSymbol: false,
      data: trend.map((p) => (typeof p[s.key] === 'number' ? (p[s.key] as number) : null)),
    })),
  };
}
