// The alert centre's vocabulary and the shapes its API answers, written once
// for the backend and the frontend (frontend/src/alerts imports this file).
// Pure: no imports, no I/O.

export const RULE_KEYS = [
  'help_request_overdue',
  'not_contacted',
  'not_distributed',
  'hardship_no_one_on_one',
  'hardship_no_followup',
  'incomplete_1311',
  'below_target',
  'recruitment_missed',
  'stale_data',
  'forecast_miss',
  'no_training_centre',
  'post_unpublished',
  'policy_pending',
  'hardship_visit_overdue',
  'hardship_no_plan',
  'rights_case_overdue',
  'publicity_missing',
] as const;
export type RuleKey = (typeof RULE_KEYS)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const LEVELS = ['county', 'unit', 'province'] as const;
export type Level = (typeof LEVELS)[number];

export const STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof STATES)[number];


export const RULE_LABELS: Record<RuleKey, string> = {
  help_request_overdue: '求助超时未联系',
  not_contacted: '下发后超期未联系',
  not_distributed: '接收后超期未下发',
  hardship_no_one_on_one: '困难毕业生未落实一对一帮扶',
  hardship_no_followup: '困难毕业生超期未跟踪服务',
  incomplete_1311: '1311服务超期未完成',
  below_target: '进度低于目标',
  recruitment_missed: '未按期举办招聘活动',
  stale_data: '数据超期未更新',
  forecast_miss: '按当前进度年底达不到目标',
  no_training_centre: '县区未挂牌实训中心',
  post_unpublished: '开发岗位超期未发布',
  policy_pending: '政策申请超期未办结',
  hardship_visit_overdue: '困难毕业生回访逾期',
  hardship_no_plan: '困难毕业生超期未制定帮扶计划',
  rights_case_overdue: '权益案件逾期未纠正',
  publicity_missing: '亮相行动发布不全',
};

export const SEVERITY_LABELS: Record<Severity, string> = { low: '低', medium: '中', high: '高', critical: '紧急' };
export const LEVEL_LABELS: Record<Level, string> = { county: '县级', unit: '市级', province: '省级' };
export const STATE_LABELS: Record<AlertState, string> = { open: '待处理', acknowledged: '已确认', resolved: '已解除' };

/** One alert as GET /api/alerts and GET /api/alerts/:id answer it. */
export interface AlertView {
  id: string;
  rule: RuleKey;
  ruleLabel: string;
  severity: Severity;
  severityLabel: string;
  state: AlertState;
  stateLabel: string;
  level: Level;
  levelLabel: string;
  subject: string;
  subjectKind: string;
  countyCode: string;
  countyName: string;
  unitCode: string;
  ownerCode: string;
  ownerName: string;
  ownerLevel: Level;
  /** Masked (e.g. 张*丰); empty for region-level alerts. */
  name: string;
  title: string;
  detail: Record<string, unknown>;
  breachedAt: string;
  openedAt: string | null;
  firstOpenedAt: string | null;
  dueAt: string | null;
  escalatedAt: string | null;
  ackBy: string;
  ackNote: string;
  ackAt: string | null;
  resolvedAt: string | null;
  resolvedBy: string;
  resolveReason: string;
  reopenCount: number;
  /** Hours since it opened, at the latest evaluation (unresolved alerts only). */
  ageHours: number | null;
}

/** One dispatch order (督办) as GET /api/dispatch answers it. */
export interface DispatchView {
  id: string;
  countyCode: string;
  countyName: string;
  unitCode: string;
  issuer: string;
  issuerRole: string;
  issuerRegion: string;
  issuerRegionName: string;
  rule: string;
  ruleLabel: string;
  alertId: string;
  metric: string;
  metricLabel: string;
  title: string;
  content: string;
  dueDate: string;
  status: string;
  statusLabel: string;
  level: string;
  overdue: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface DispatchDetail extends DispatchView {
  events: Array<{ ts: string; actor: string; role: string; event: string; status: string; text: string }>;
}

/** GET /api/alerts: one page of alerts. */
export interface AlertPage {
  total: number;
  asOf: string | null;
  rows: AlertView[];
}

/** GET /api/alerts/counts: unresolved alerts by severity, rule and level. */
export interface AlertCounts {
  asOf: string | null;
  region: string;
  total: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<RuleKey, number>;
  byLevel: Record<Level, number>;
}

/** What happened to an alert (its history). */
export type AlertEventKind = 'opened' | 'reopened' | 'acknowledged' | 'resolved' | 'auto_resolved' | 'escalated' | 'reassigned' | 'released';

/** One entry of an alert's history as GET /api/alerts/:id answers it. */
export interface AlertHistoryItem {
  ts: string;
  recorded_at: string;
  event: AlertEventKind;
  actor: string;
  level: string;
  state: string;
  note: string;
}

/** GET /api/alerts/:id: the alert, its history and its dispatch orders. */
export interface AlertDetail extends AlertView {
  history: AlertHistoryItem[];
  dispatch: DispatchView[];
}

/** One person behind an alert (GET /api/alerts/:id/people); names and ID numbers masked. */
export interface AlertPersonRow {
  name: string;
  idNumber: string;
  countyCode: string;
  countyName: string;
  receivedDate: string;
  assignedDate: string;
  category: string;
  hardship: string[];
  employmentStatus: string;
  firstContactAt: string;
  lastServiceAt: string;
  oneOnOne: boolean;
  complete1311: boolean;
}
