// What the alerts and dispatch API answer (backend/src/alerts/*.ts), as the page reads it.
import type { Level, Rule, Severity } from './alertsQuery';

export interface AlertItem {
  id: string;
  rule: Rule;
  ruleLabel: string;
  severity: Severity;
  severityLabel: string;
  state: 'open' | 'acknowledged' | 'resolved';
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
  ageHours: number | null;
}

export interface AlertPage {
  total: number;
  asOf: string | null;
  rows: AlertItem[];
}

export interface AlertCounts {
  asOf: string | null;
  region: string;
  total: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<Rule, number>;
  byLevel: Record<Level, number>;
}

export interface HistoryItem {
  ts: string;
  recorded_at: string;
  event: string;
  actor: string;
  level: string;
  state: string;
  note: string;
}

export interface DispatchItem {
  id: string;
  countyCode: string;
  countyName: string;
  issuer: string;
  issuerRegionName: string;
  rule: string;
  ruleLabel: string;
  alertId: string;
  metric: string;
  metricLabel: string;
  title: string;
  content: string;
  dueDate: string;
  status: 'issued' | 'in_progress' | 'done';
  statusLabel: string;
  level: string;
  overdue: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface DispatchDetail extends DispatchItem {
  events: Array<{ ts: string; actor: string; role: string; event: string; status: string; text: string }>;
}

export interface AlertDetailData extends AlertItem {
  history: HistoryItem[];
  dispatch: DispatchItem[];
}

export interface PersonRow {
  name: string;
  idNumber: string;
  countyName: string;
  receivedDate: string;
  assignedDate: string;
  category: string;
  employmentStatus: string;
  firstContactAt: string;
  lastServiceAt: string;
  oneOnOne: boolean;
  complete1311: boolean;
}

export interface RulesInfo {
  year: number;
  escalation: { countyHours: number; unitHours: number; acknowledgedEscalates: boolean };
  rules: Array<{ key: Rule; label: string; enabled: boolean; severity: Severity; params: Record<string, unknown> }>;
}

export const EVENT_LABELS: Record<string, string> = {
  opened: '产生预警', reopened: '重新打开', acknowledged: '确认处理', resolved: '手动解除', auto_resolved: '自动解除', escalated: '升级',
  reassigned: '转交', released: '解除保持结束', created: '下达督办', reply: '县区回复',
};
