// Kinds 5–8 of ../shared/spec/measures.md as data: training centres (实训中心),
// stays in a centre (实训进驻), job posts developed (岗位开发) and policy
// delivery (政策落实). ledger.schema.ts merges these into its registries.
import type { ColumnSpec } from './ledger.schema';

export type MeasureKind = 'centre' | 'stay' | 'post' | 'grant';

export const MEASURE_KINDS: readonly MeasureKind[] = ['centre', 'stay', 'post', 'grant'];

export const EXIT_CHANNELS = ['岗位匹配', '见习留用', '实现创业', '公益性岗位托底', '其他'] as const;
export const POST_SOURCES = ['事业单位招聘', '三支一扶', '其他基层项目', '重点企业', '重大项目', '专精特新企业', '其他企业'] as const;
export const POLICY_TYPES = [
  '一次性扩岗补助', '一次性吸纳就业补贴', '社会保险补贴', '灵活就业社保补贴', '初创补贴', '创业培训补贴', '创业担保贷款', '职业技能培训补贴', '职业技能鉴定补贴',
] as const;
export const POLICY_CHANNELS = ['网上申办', '主动发现', '窗口办理'] as const;

export const MEASURE_KIND_LABELS: Record<MeasureKind, string> = {
  centre: '实训中心',
  stay: '实训进驻',
  post: '岗位开发',
  grant: '政策落实',
};

export const MEASURE_SCHEMA: Record<MeasureKind, readonly ColumnSpec[]> = {
  centre: [
    { header: '中心编号', key: 'centre_id', type: 'text', required: true },
    { header: '中心名称', key: 'name', type: 'text', required: true },
    { header: '县区代码', key: 'county_code', type: 'county', required: true },
    { header: '挂牌日期', key: 'opened_date', type: 'date', required: true },
    { header: '容纳人数', key: 'capacity', type: 'int', required: false, min: 1 },
  ],
  stay: [
    { header: '进驻编号', key: 'stay_id', type: 'text', required: true },
    { header: '身份证号', key: 'id_number', type: 'id', required: true },
    { header: '中心编号', key: 'centre_id', type: 'text', required: true },
    { header: '进驻日期', key: 'entered_date', type: 'date', required: true },
    { header: '生活补助', key: 'allowance', type: 'money', required: false },
    { header: '退出日期', key: 'exit_date', type: 'date', required: false },
    // Required when 退出日期 is filled; the validator enforces that cross-field rule.
    { header: '退出方式', key: 'exit_channel', type: 'enum', required: false, values: EXIT_CHANNELS },
  ],
  post: [
    { header: '岗位编号', key: 'post_id', type: 'text', required: true },
    { header: '地区代码', key: 'region_code', type: 'unitOrRegion', required: true },
    { header: '岗位来源', key: 'post_source', type: 'enum', required: true, values: POST_SOURCES },
    { header: '用人单位', key: 'employer', type: 'text', required: false },
    { header: '岗位名称', key: 'title', type: 'text', required: false },
    { header: '开发日期', key: 'developed_date', type: 'date', required: true },
    { header: '岗位数', key: 'openings', type: 'int', required: true, min: 1 },
    { header: '发布日期', key: 'published_date', type: 'date', required: false },
    { header: '已招用毕业生', key: 'hired', type: 'int', required: false },
  ],
  grant: [
    { header: '记录编号', key: 'grant_id', type: 'text', required: true },
    { header: '身份证号', key: 'id_number', type: 'id', required: true },
    { header: '政策类型', key: 'policy', type: 'enum', required: true, values: POLICY_TYPES },
    { header: '金额', key: 'amount', type: 'money', required: true },
    { header: '受理日期', key: 'applied_date', type: 'date', required: true },
    { header: '办结日期', key: 'granted_date', type: 'date', required: false },
    { header: '申办方式', key: 'channel', type: 'enum', required: false, values: POLICY_CHANNELS },
    { header: '县区代码', key: 'county_code', type: 'county', required: true },
    { header: '用人单位', key: 'employer', type: 'text', required: false },
  ],
};

export const MEASURE_SHEET_KIND: Record<string, MeasureKind> = {
  实训中心: 'centre',
  实训进驻: 'stay',
  岗位开发: 'post',
  政策落实: 'grant',
};

// Money is kept as its exact decimal text ('1234.5', '0.01'): never a float.

export interface CentreRecord {
  centre_id: string;
  name: string;
  county_code: string;
  opened_date: string;
  capacity: number | null;
}

export interface StayRecord {
  stay_id: string;
  id_number: string;
  centre_id: string;
  entered_date: string;
  allowance: string | null;
  exit_date: string | null;
  exit_channel: string | null;
}

export interface PostRecord {
  post_id: string;
  region_code: string;
  post_source: string;
  employer: string | null;
  title: string | null;
  developed_date: string;
  openings: number;
  published_date: string | null;
  hired: number | null;
}

export interface GrantRecord {
  grant_id: string;
  id_number: string;
  policy: string;
  amount: string;
  applied_date: string;
  granted_date: string | null;
  channel: string | null;
  county_code: string;
  employer: string | null;
}

export interface MeasureRecordOfKind {
  centre: CentreRecord;
  stay: StayRecord;
  post: PostRecord;
  grant: GrantRecord;
}

/**
 * Rules across a row's columns (the spec's "not before", "with …" and "≤ 岗位数"),
 * run on a row whose cells are all valid; each returns the clerk-facing reasons.
 */
export const MEASURE_CROSS_CHECKS: { [K in MeasureKind]?: (r: MeasureRecordOfKind[K]) => string[] } = {
  stay: (r) => {
    const out: string[] = [];
    if (r.exit_date !== null && r.exit_date < r.entered_date) out.push(`退出日期 ${r.exit_date} 早于进驻日期 ${r.entered_date}`);
    if (r.exit_date !== null && r.exit_channel === null) out.push('填写了退出日期时必须填写退出方式');
    return out;
  },
  post: (r) => (r.hired !== null && r.hired > r.openings ? [`已招用毕业生 ${r.hired} 超过岗位数 ${r.openings}`] : []),
  grant: (r) => (r.granted_date !== null && r.granted_date < r.applied_date ? [`办结日期 ${r.granted_date} 早于受理日期 ${r.applied_date}`] : []),
};
