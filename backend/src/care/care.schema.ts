// Kinds 9–12 of ../shared/spec/measures.md (help plans, rights cases, 亮相
// publications, 典型 stories) and the two additions to kind 4, as data. The
// ledger schema's registries (ledger.schema.ts) hold one entry per kind that
// points here, so the parser, the PostgreSQL mapping, the demo and the docs
// all read these tables.
import type { ColumnSpec } from '../ledger/ledger.schema';

export type CareKind = 'plan' | 'rights' | 'publicity' | 'story';

export const CARE_KINDS: readonly CareKind[] = ['plan', 'rights', 'publicity', 'story'];

export const PLAN_MEASURES = ['岗位推介', '技能培训', '就业见习', '创业扶持', '公益性岗位', '心理疏导', '其他'] as const;
export const PLAN_STATUSES = ['执行中', '已完成'] as const;
export const PLAN_ACTIVE = '执行中';
export const CASE_TYPES = ['黑职介', '虚假招聘', '求职培训贷', '售卖简历', '性别歧视', '年龄歧视', '其他歧视', '无故解约', '其他'] as const;
export const PARTY_KINDS = ['国有企事业单位', '民营企业', '人力资源服务机构', '其他'] as const;
export const CASE_ACTIONS = ['查处', '约谈', '限期纠正', '移送', '其他'] as const;
/** The actions that set a correction deadline (纠正期限 required). */
export const DEADLINE_ACTIONS: readonly string[] = ['约谈', '限期纠正'];
export const PUBLICITY_ITEMS = ['公开信', '服务公告', '求助途径', '招聘渠道', '机构目录', '政策服务清单'] as const;
export const STORY_TYPES = ['中小微企业', '服务重大战略', '生产一线', '创业创新', '城乡基层'] as const;
export const STORY_MEDIA = ['短视频', '新闻报道', '自媒体', '事迹报告'] as const;
/** Kind 4's 专项活动: the notice's "10+N" activities. */
export const EVENT_CAMPAIGNS = ['百日千万网络招聘', '大中城市联合招聘', '金秋招聘月', '就业服务周', '中央企业专场招聘', '筑梦青春就业启航', '其他'] as const;
/** What an empty 专项活动 counts as. */
export const EVENT_CAMPAIGN_OTHER = '其他';

export const CARE_LABELS: Record<CareKind, string> = {
  plan: '帮扶计划',
  rights: '权益案件',
  publicity: '亮相发布',
  story: '典型宣传',
};

export const CARE_SCHEMA: Record<CareKind, readonly ColumnSpec[]> = {
  plan: [
    { header: '计划编号', key: 'plan_id', type: 'text', required: true },
    { header: '身份证号', key: 'id_number', type: 'id', required: true },
    { header: '服务专员', key: 'specialist', type: 'text', required: true },
    { header: '制定日期', key: 'plan_date', type: 'date', required: true },
    { header: '帮扶措施', key: 'measures', type: 'multi', required: false, values: PLAN_MEASURES },
    { header: '回访周期', key: 'visit_days', type: 'int', required: false, min: 1, max: 90 },
    { header: '计划状态', key: 'status', type: 'enum', required: false, values: PLAN_STATUSES },
  ],
  rights: [
    { header: '案件编号', key: 'case_id', type: 'text', required: true },
    { header: '地区代码', key: 'region_code', type: 'unitOrRegion', required: true },
    { header: '案件类型', key: 'case_type', type: 'enum', required: true, values: CASE_TYPES },
    { header: '涉事单位', key: 'party', type: 'text', required: false },
    { header: '单位性质', key: 'party_kind', type: 'enum', required: false, values: PARTY_KINDS },
    { header: '受理日期', key: 'opened_date', type: 'date', required: true },
    { header: '处置方式', key: 'action', type: 'enum', required: false, values: CASE_ACTIONS },
    // Required with 约谈 or 限期纠正: a row rule (CARE_ROW_RULES) checks it.
    { header: '纠正期限', key: 'deadline', type: 'date', required: false, future: true },
    { header: '办结日期', key: 'closed_date', type: 'date', required: false },
    { header: '涉及毕业生人数', key: 'graduates', type: 'int', required: false },
  ],
  publicity: [
    { header: '发布编号', key: 'publication_id', type: 'text', required: true },
    { header: '地区代码', key: 'region_code', type: 'unitOrRegion', required: true },
    { header: '发布日期', key: 'published_date', type: 'date', required: true },
    { header: '发布内容', key: 'items', type: 'multi', required: true, values: PUBLICITY_ITEMS },
    { header: '发布渠道', key: 'channel', type: 'text', required: false },
    { header: '链接', key: 'url', type: 'text', required: false },
  ],
  story: [
    { header: '宣传编号', key: 'story_id', type: 'text', required: true },
    { header: '地区代码', key: 'region_code', type: 'unitOrRegion', required: true },
    { header: '身份证号', key: 'id_number', type: 'id', required: false },
    { header: '典型类别', key: 'story_type', type: 'enum', required: true, values: STORY_TYPES },
    { header: '宣传形式', key: 'media', type: 'multi', required: true, values: STORY_MEDIA },
    { header: '发布日期', key: 'published_date', type: 'date', required: true },
  ],
};

/** Kind 4's new column (appended to the event schema). */
export const EVENT_CAMPAIGN_COLUMN: ColumnSpec = {
  header: '专项活动', key: 'campaign', type: 'enum', required: false, values: EVENT_CAMPAIGNS, later: true,
};

export const CARE_SHEET_KIND: Record<string, CareKind> = {
  帮扶计划: 'plan',
  权益案件: 'rights',
  亮相发布: 'publicity',
  典型宣传: 'story',
};

export interface PlanRecord {
  plan_id: string;
  id_number: string;
  specialist: string;
  plan_date: string;
  measures: string[];
  /** Empty = the campaign's default cadence (applied where it is counted, so a changed default applies to every plan). */
  visit_days: number | null;
  /** Empty = 执行中. */
  status: string;
}

export interface RightsRecord {
  case_id: string;
  region_code: string;
  case_type: string;
  party: string | null;
  party_kind: string | null;
  opened_date: string;
  action: string | null;
  deadline: string | null;
  closed_date: string | null;
  /** Empty = 0. */
  graduates: number;
}

export interface PublicityRecord {
  publication_id: string;
  region_code: string;
  published_date: string;
  items: string[];
  channel: string | null;
  url: string | null;
}

export interface StoryRecord {
  story_id: string;
  region_code: string;
  id_number: string | null;
  story_type: string;
  media: string[];
  published_date: string;
}

export interface CareRecordOfKind {
  plan: PlanRecord;
  rights: RightsRecord;
  publicity: PublicityRecord;
  story: StoryRecord;
}

const str = (x: unknown): string => x as string;
const strN = (x: unknown): string | null => x as string | null;

/** Validated cell values (schema order) → record, with the spec's defaults for empty cells. */
export const CARE_BUILD: { [K in CareKind]: (v: unknown[]) => CareRecordOfKind[K] } = {
  plan: (v) => ({
    plan_id: str(v[0]), id_number: str(v[1]), specialist: str(v[2]), plan_date: str(v[3]), measures: v[4] as string[],
    visit_days: v[5] as number | null, status: strN(v[6]) ?? PLAN_ACTIVE,
  }),
  rights: (v) => ({
    case_id: str(v[0]), region_code: str(v[1]), case_type: str(v[2]), party: strN(v[3]), party_kind: strN(v[4]),
    opened_date: str(v[5]), action: strN(v[6]), deadline: strN(v[7]), closed_date: strN(v[8]), graduates: (v[9] as number | null) ?? 0,
  }),
  publicity: (v) => ({
    publication_id: str(v[0]), region_code: str(v[1]), published_date: str(v[2]), items: v[3] as string[], channel: strN(v[4]), url: strN(v[5]),
  }),
  story: (v) => ({
    story_id: str(v[0]), region_code: str(v[1]), id_number: strN(v[2]), story_type: str(v[3]), media: v[4] as string[], published_date: str(v[5]),
  }),
};

/**
 * Rules across a row's cells, in the clerk's words (Chinese). Each returns
 * the reasons the row breaks; an empty list accepts it.
 */
export const CARE_ROW_RULES: { [K in CareKind]?: (r: CareRecordOfKind[K]) => string[] } = {
  rights: (r) => {
    const out: string[] = [];
    if (r.action !== null && DEADLINE_ACTIONS.includes(r.action) && r.deadline === null) {
      out.push(`处置方式为“${r.action}”时必须填写纠正期限`);
    }
    if (r.closed_date !== null && r.closed_date < r.opened_date) {
      out.push(`办结日期 ${r.closed_date} 早于受理日期 ${r.opened_date}`);
    }
    return out;
  },
  publicity: (r) => (r.items.length === 0 ? ['缺少必填项 发布内容'] : []),
  story: (r) => (r.media.length === 0 ? ['缺少必填项 宣传形式'] : []),
};
