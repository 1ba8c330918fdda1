// Open alerts of a region by rule, with the oldest age: the alert centre's
// groups (GET /api/alerts/groups, region × rule — the same groups the alert
// centre and the screen count), summed per rule.
import { getJson } from '../api';
import type { AlertGroup, AlertGroupsResponse } from '../../../backend/src/alerts/alerts.groups.types';
import { SEVERITIES } from '../../../backend/src/alerts/alerts.types';

export interface RuleRow {
  rule: string;
  label: string;
  /** The highest severity among the rule's groups. */
  severity: string;
  count: number;
  acknowledged: number;
  /** Days the oldest unresolved alert of the rule has been open. */
  oldestAgeDays: number;
  /** Regions (groups) the rule's alerts fall in. */
  regions: number;
}

export interface RuleSummary {
  rows: RuleRow[];
  total: number;
}

/** low 0 … critical 3: the backend's order of the severities. */
const SEVERITY_RANK: Record<string, number> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

/** Groups summed per rule: most alerts first. Pure: unit-tested. */
export function byRule(groups: readonly AlertGroup[]): RuleRow[] {
  const out = new Map<string, RuleRow>();
  for (const g of groups) {
    const r = out.get(g.rule);
    if (!r) {
      out.set(g.rule, { rule: g.rule, label: g.ruleLabel, severity: g.severity, count: g.count, acknowledged: g.acknowledged, oldestAgeDays: g.oldestAgeDays, regions: 1 });
      continue;
    }
    r.count += g.count;
    r.acknowledged += g.acknowledged;
    r.oldestAgeDays = Math.max(r.oldestAgeDays, g.oldestAgeDays);
    r.regions += 1;
    if ((SEVERITY_RANK[g.severity] ?? 0) > (SEVERITY_RANK[r.severity] ?? 0)) r.severity = g.severity;
  }
  return [...out.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
}

/** A region's groups; `asOf` (a day the user chose) rebuilds them as of its end, without it they are the latest evaluation's. */
export async function loadAlertRules(region: string, asOf?: string): Promise<RuleSummary> {
  const q = new URLSearchParams({ region });
  if (asOf) q.set('asOf', asOf);
  const res = await getJson<AlertGroupsResponse>(`/api/alerts/groups?${q.toString()}`);
  return { rows: byRule(res.groups), total: res.total };
}
