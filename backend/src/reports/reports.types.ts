// Reports (docs/reports.md): the weekly 附件2 form, the semi-monthly contact
// and help progress, the daily 小程序求助 dispatch list and the liaison
// directory (附件3), as government-form XLSX files kept in an archive.

export type ReportKind = 'weekly' | 'semimonthly' | 'dispatch' | 'liaisons'
  | 'measures'
  | 'rights';
export const REPORT_KINDS: readonly ReportKind[] = ['weekly', 'semimonthly', 'dispatch', 'liaisons', 'measures', 'rights'];

export const KIND_LABELS: Record<ReportKind, string> = {
  weekly: '离校未就业高校毕业生信息衔接工作进展汇总表（周报）',
  semimonthly: '未就业毕业生实名联系和帮扶进度表（半月报）',
  dispatch: '小程序求助毕业生联系服务日调度清单',
  liaisons: '服务攻坚行动联络员表',
  measures: '专项工作进展表（实训中心、岗位开发、政策落实，周报）',
  rights: '就业权益保障案件清单',
};

/** The unit that fills in every form (the dashboard belongs to the provincial department). */
export const FILING_UNIT = '吉林省人力资源和社会保障厅';

/** A hardship person counts as placed in a public-welfare post with this 就业状态 or a service of this type. */
export const WELFARE_STATUS = '公益性岗位';
export const WELFARE_SERVICE = '公益性岗位安置';

/** 信息来源 with their own column; anything else is 其他. */
export const NAMED_SOURCES = ['教育部门', '高校', '小程序', '失业登记'] as const;
/** 帮扶类别 with their own column; an empty category is 未分类. */
export const NAMED_CATEGORIES = ['有就业意愿', '有创业意愿', '无法联系', '暂无就业意愿'] as const;

/** A report period: what the archive keys on and what the title row states. */
export interface ReportPeriod {
  kind: ReportKind;
  /** 2022-W36, 2022-09-H1, 2022-09-16 (dispatch, liaisons). */
  label: string;
  start: string;
  end: string;
  /** The day the numbers are as of (end of day, Asia/Shanghai): the period end, or today while the period runs. */
  asOf: string;
  /** Whether the period had ended when the report was made (a running period's report is provisional). */
  complete: boolean;
}

/** One row of the report archive (without the file). */
export interface ArchiveEntry {
  id: string;
  kind: ReportKind;
  kindLabel: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  asOf: string;
  regionCode: string;
  title: string;
  fileName: string;
  /** ISO time (UTC). */
  generatedAt: string;
  generatedBy: string;
  /** Rows per unit/region in the summary table (without 未分解到县 and 合计). */
  unitRows: number;
  /** Data rows of the whole file (the list rows for the dispatch list). */
  dataRows: number;
  bytes: number;
}

export interface GeneratedReport {
  entry: ArchiveEntry;
  xlsx: Buffer;
}

/** A built XLSX before it is archived or sent. */
export interface ReportFile {
  title: string;
  fileName: string;
  unitRows: number;
  dataRows: number;
  xlsx: Buffer;
}

/** Per region: the person-level columns the metrics do not carry (sql/queries/report_persons.sql). */
export interface PersonCounts {
  received: number;
  /** Aligned with NAMED_SOURCES. */
  by_source: number[];
  /** Aligned with NAMED_CATEGORIES. */
  by_category: number[];
  served: number;
  hardship_welfare: number;
}

export interface PersonCountsRow extends PersonCounts {
  level: 'province' | 'unit' | 'county';
  code: string;
}

/** Per reporting unit: recruitment events held in the report week and month up to the as-of day. */
export interface EventCountsRow {
  unit_code: string;
  week_professional: number;
  week_comprehensive: number;
  month_professional: number;
  month_comprehensive: number;
}

/** One open help request on the dispatch list (personal data masked). */
export interface DispatchItem {
  requestId: string;
  countyCode: string;
  /** Masked name (张*明), from the request or else the person's ledger row; '' when neither has one. */
  nameMasked: string;
  /** 'YYYY-MM-DD HH:mm:ss', Asia/Shanghai. */
  requestedAt: string;
  /** Hours from the request to the cut-off, one decimal. */
  hoursWaiting: number;
  /** The 24-hour deadline has passed at the cut-off. */
  overdue: boolean;
}
