// The ledger file contract (../shared/spec/ledger-format.md) as data: one
// column list per record kind. The parser, the demo generator, the
// PostgreSQL mapping and the docs all read this one table.
import {
  MEASURE_KIND_LABELS, MEASURE_SCHEMA, MEASURE_SHEET_KIND, type MeasureKind, type MeasureRecordOfKind,
} from './measures.schema';
import {
  CARE_LABELS, CARE_SCHEMA, CARE_SHEET_KIND, EVENT_CAMPAIGN_COLUMN,
  type CareKind, type CareRecordOfKind,
} from '../care/care.schema';

export type RecordKind = 'ledger' | 'service' | 'help' | 'event'
  | MeasureKind
  | CareKind;

export type ColumnType = 'id' | 'text' | 'enum' | 'int' | 'date' | 'datetime' | 'region' | 'unitOrRegion' | 'multi'
  // money: 元, at most 2 decimals, never negative; county: a county-level code only (a reporting-unit code is rejected)
  | 'money' | 'county';

export interface ColumnSpec {
  /** Chinese header as in the contract. */
  header: string;
  /** English key, also accepted as a header. */
  key: string;
  type: ColumnType;
  required: boolean;
  values?: readonly string[];
  /** Bounds of an int column (default: 0 up). */
  min?: number;
  max?: number;
  /** A date that may lie ahead (a deadline); other dates later than tomorrow are rejected. */
  future?: boolean;
  /** Added to an existing kind after its first contract: a database source maps it only when its mapping names it. */
  later?: boolean;
}

export const GENDERS = ['男', '女'] as const;
export const EDUCATIONS = ['专科', '本科', '硕士', '博士'] as const;
export const COHORTS = ['应届毕业生', '失业青年'] as const;
export const SOURCES = ['教育部门', '高校', '小程序', '失业登记', '其他'] as const;
export const CATEGORIES = ['有就业意愿', '有创业意愿', '无法联系', '暂无就业意愿'] as const;
export const HARDSHIPS = ['脱贫家庭', '零就业家庭', '残疾', '特殊困难'] as const;
export const EMPLOYMENT_STATUSES = ['未就业', '已就业', '自主创业', '灵活就业', '公益性岗位', '升学', '参军'] as const;
export const SERVICE_TYPES = [
  '联系', '职业指导', '岗位推介', '技能培训', '就业见习', '创业培训', '创业服务', '政策落实', '一对一帮扶', '跟踪回访', '公益性岗位安置',
] as const;
export const CONTACT_METHODS = ['走访', '电话', '数据比对', '短信', '其他'] as const;
export const CONTACT_RESULTS = ['已联系', '未联系上'] as const;
export const EVENT_TYPES = ['专业性', '综合性'] as const;
export const EVENT_MODES = ['线上', '线下', '直播带岗'] as const;

export const KIND_LABELS: Record<RecordKind, string> = {
  ledger: '台账',
  service: '服务记录',
  help: '求助登记',
  event: '招聘活动',
  ...MEASURE_KIND_LABELS,
  ...CARE_LABELS,
};

export const SCHEMA: Record<RecordKind, readonly ColumnSpec[]> = {
  ledger: [
    { header: '身份证号', key: 'id_number', type: 'id', required: true },
    { header: '姓名', key: 'name', type: 'text', required: true },
    { header: '性别', key: 'gender', type: 'enum', required: false, values: GENDERS },
    { header: '联系电话', key: 'phone', type: 'text', required: false },
    { header: '毕业院校', key: 'school', type: 'text', required: false },
    { header: '专业', key: 'major', type: 'text', required: false },
    { header: '学历', key: 'education', type: 'enum', required: false, values: EDUCATIONS },
    { header: '毕业年份', key: 'graduation_year', type: 'int', required: true },
    { header: '人员类别', key: 'cohort', type: 'enum', required: true, values: COHORTS },
    { header: '信息来源', key: 'source', type: 'enum', required: true, values: SOURCES },
    { header: '接收日期', key: 'received_date', type: 'date', required: true },
    { header: '县区代码', key: 'county_code', type: 'region', required: false },
    { header: '下发日期', key: 'assigned_date', type: 'date', required: false },
    { header: '帮扶类别', key: 'category', type: 'enum', required: false, values: CATEGORIES },
    { header: '困难类别', key: 'hardship', type: 'multi', required: false, values: HARDSHIPS },
    { header: '就业状态', key: 'employment_status', type: 'enum', required: false, values: EMPLOYMENT_STATUSES },
    { header: '就业日期', key: 'employment_date', type: 'date', required: false },
    { header: '更新时间', key: 'updated_at', type: 'datetime', required: true },
  ],
  service: [
    { header: '记录编号', key: 'record_id', type: 'text', required: true },
    { header: '身份证号', key: 'id_number', type: 'id', required: true },
    { header: '服务时间', key: 'service_time', type: 'datetime', required: true },
    { header: '服务类型', key: 'service_type', type: 'enum', required: true, values: SERVICE_TYPES },
    { header: '联系方式', key: 'contact_method', type: 'enum', required: false, values: CONTACT_METHODS },
    // Required when 服务类型 is 联系; the parser enforces that cross-field rule.
    { header: '联系结果', key: 'contact_result', type: 'enum', required: false, values: CONTACT_RESULTS },
    { header: '县区代码', key: 'county_code', type: 'region', required: true },
    { header: '服务人员', key: 'staff', type: 'text', required: false },
    { header: '备注', key: 'note', type: 'text', required: false },
  ],
  help: [
    { header: '求助编号', key: 'request_id', type: 'text', required: true },
    { header: '身份证号', key: 'id_number', type: 'id', required: true },
    { header: '姓名', key: 'name', type: 'text', required: false },
    { header: '求助时间', key: 'requested_at', type: 'datetime', required: true },
    { header: '县区代码', key: 'county_code', type: 'region', required: true },
    { header: '首次联系时间', key: 'first_contact_at', type: 'datetime', required: false },
  ],
  event: [
    { header: '活动编号', key: 'event_id', type: 'text', required: true },
    { header: '地区代码', key: 'region_code', type: 'unitOrRegion', required: true },
    { header: '活动名称', key: 'name', type: 'text', required: true },
    { header: '活动类型', key: 'event_type', type: 'enum', required: true, values: EVENT_TYPES },
    { header: '举办形式', key: 'mode', type: 'enum', required: false, values: EVENT_MODES },
    { header: '举办日期', key: 'event_date', type: 'date', required: true },
    { header: '岗位数', key: 'jobs', type: 'int', required: false },
    { header: '参与人数', key: 'attendees', type: 'int', required: false },
    EVENT_CAMPAIGN_COLUMN,
  ],
  ...MEASURE_SCHEMA,
  ...CARE_SCHEMA,
};

/** Sheet names that name a kind directly in an XLSX workbook. */
export const SHEET_KIND: Record<string, RecordKind> = {
  台账: 'ledger',
  服务记录: 'service',
  求助登记: 'help',
  招聘活动: 'event',
  ...MEASURE_SHEET_KIND,
  ...CARE_SHEET_KIND,
};

// Normalised records: what the parser emits and the raw tables store.
// Dates are 'YYYY-MM-DD'; date-times 'YYYY-MM-DD HH:mm:ss' in Asia/Shanghai.

export interface LedgerRecord {
  id_number: string;
  name: string;
  gender: string | null;
  phone: string | null;
  school: string | null;
  major: string | null;
  education: string | null;
  graduation_year: number;
  cohort: string;
  source: string;
  received_date: string;
  county_code: string | null;
  assigned_date: string | null;
  category: string | null;
  hardship: string[];
  employment_status: string | null;
  employment_date: string | null;
  updated_at: string;
}

export interface ServiceRecord {
  record_id: string;
  id_number: string;
  service_time: string;
  service_type: string;
  contact_method: string | null;
  contact_result: string | null;
  county_code: string;
  staff: string | null;
  note: string | null;
}

export interface HelpRecord {
  request_id: string;
  id_number: string;
  name: string | null;
  requested_at: string;
  county_code: string;
  first_contact_at: string | null;
}

export interface EventRecord {
  event_id: string;
  region_code: string;
  name: string;
  event_type: string;
  mode: string | null;
  event_date: string;
  jobs: number | null;
  attendees: number | null;
  /** 专项活动; absent = none given (counts as 其他). */
  campaign?: string;
}

export interface RecordOfKind extends MeasureRecordOfKind {
  ledger: LedgerRecord;
  service: ServiceRecord;
  help: HelpRecord;
  event: EventRecord;
  plan: CareRecordOfKind['plan'];
  rights: CareRecordOfKind['rights'];
  publicity: CareRecordOfKind['publicity'];
  story: CareRecordOfKind['story'];
}
