// What the alerts and dispatch API answer (backend/src/alerts/*.ts), as the page reads it. The alert and
// the dispatch order are the backend's own types (alerts.types.ts); the rest are read-side shapes.
import type {
  AlertCounts, AlertDetail, AlertHistoryItem, AlertPage, AlertPersonRow, AlertView, DispatchDetail, DispatchView,
} from '../../../backend/src/alerts/alerts.types';
import type { Rule, Severity } from './alertsQuery';

/** One alert (GET /api/alerts), as the backend defines it. */
export type AlertItem = AlertView;

export type { AlertCounts, AlertPage };
export type HistoryItem = AlertHistoryItem;

/** One dispatch order (GET /api/dispatch), as the backend defines it. */
export type DispatchItem = DispatchView;

export type { DispatchDetail };

export type AlertDetailData = AlertDetail;
export type PersonRow = AlertPersonRow;

export interface RulesInfo {
  year: number;
  escalation: { countyHours: number; unitHours: number; acknowledgedEscalates: boolean };
  rules: Array<{ key: Rule; label: string; enabled: boolean; severity: Severity; params: Record<string, unknown> }>;
}

export const EVENT_LABELS: Record<string, string> = {
  opened: '产生预警', reopened: '重新打开', acknowledged: '确认处理', resolved: '手动解除', auto_resolved: '自动解除', escalated: '升级',
  reassigned: '转交', released: '解除保持结束', created: '下达督办', reply: '县区回复',
};
