// The records behind the workbench's 实训中心 / 岗位开发 / 政策落实 sections
// (GET /api/measures/:code/records), shared with the frontend. People are
// masked (ID as stored masked, the ledger's masked name).

export const RECORD_KINDS = ['centre', 'stay', 'post', 'grant'] as const;
export type MeasureRecordKind = (typeof RECORD_KINDS)[number];

/** What an export of each kind is called (its file name and sheet). */
export const RECORD_TITLES: Record<MeasureRecordKind, string> = { centre: '实训中心', stay: '实训进驻人员', post: '开发岗位', grant: '政策落实记录' };

export interface CentreRow {
  id: string;
  name: string;
  county: string;
  opened: string;
  capacity: number | null;
  entrants: number;
  resident: number;
  exits: number;
  /** In the order of 退出方式 (岗位匹配, 见习留用, 实现创业, 公益性岗位托底, 其他). */
  exits_by_channel: number[];
  allowance: string;
}

export interface StayRow {
  id: string;
  id_masked: string;
  name: string;
  centre_id: string;
  centre_name: string;
  county: string;
  entered: string;
  exit_date: string;
  exit_channel: string;
  allowance: string;
}

export interface PostRow {
  id: string;
  region: string;
  source: string;
  employer: string;
  title: string;
  developed: string;
  openings: number;
  published: string;
  hired: number;
}

export interface GrantRow {
  id: string;
  id_masked: string;
  name: string;
  policy: string;
  amount: string;
  applied: string;
  granted: string;
  channel: string;
  county: string;
  employer: string;
}

export interface RecordRowOfKind {
  centre: CentreRow;
  stay: StayRow;
  post: PostRow;
  grant: GrantRow;
}

export interface MeasureRecordPage<K extends MeasureRecordKind = MeasureRecordKind> {
  kind: K;
  region: string;
  asOf: string;
  total: number;
  rows: Array<RecordRowOfKind[K]>;
}
