// Open alerts of a region by rule, with the oldest age: from the alert centre's
// groups (GET /api/alerts/groups, region × rule), summed per rule.
import { getJson } from '../api';
import { RULE_LABELS, type Rule } from '../alerts/alertsQuery';
import type { AlertCounts } from '../alerts/types';

export interface RuleRow {
  rule: string;
  label: string;
  severity: string;
  count: number;
  /** Days the oldest open alert of the rule has been open; null when the source does not say. */
  oldestAgeDays: number | null;
  /** Regions (groups) the rule's alerts fall in; null when unknown. */
  regions: number | null;
}

export interface RuleSummary {
  rows: RuleRow[];
  total: number;
  /** When the alerts were last evaluated. */
  asOf: string | null;
}

/** Fallback until the groups route answers: the unresolved counts per rule (no ages). */
export async function loadAlertRules(region: string): Promise<RuleSummary> {
  const c = await getJson<AlertCounts>(`/api/alerts/counts?region=${region}`);
  const rows = (Object.entries(c.byRule) as Array<[Rule, number]>)
    .filter(([, n]) => n > 0)
    .map(([rule, count]) => ({ rule, label: RULE_LABELS[rule] ?? rule, severity: '', count, oldestAgeDays: null, regions: null }))
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
  return { rows, total: c.total, asOf: c.asOf };
}
