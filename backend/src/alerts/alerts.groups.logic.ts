// Alert groups from their rows, pure: labels, highest severity, the oldest
// member's age at a reference instant, and the most-urgent-first order.
import type { AlertGroup } from './alerts.groups.types';
import type { GroupRow } from './alerts.groups.repository';
import { parseShanghai, RULE_LABELS, SEVERITIES, type RuleKey } from './alerts.rules';
import { regionName } from './notify/notice';

const DAY_MS = 86_400_000;

export function toGroup(r: GroupRow, ref: number): AlertGroup {
  const oldest = r.oldest_opened_at;
  return {
    region: r.region, regionName: regionName(r.region), rule: r.rule, ruleLabel: RULE_LABELS[r.rule as RuleKey] ?? r.rule,
    severity: SEVERITIES[Math.min(Math.max(Number(r.severity_rank), 1), SEVERITIES.length) - 1]!, count: Number(r.n), acknowledged: Number(r.acknowledged),
    oldestOpenedAt: oldest, oldestAgeDays: Math.max(0, Math.floor((ref - parseShanghai(oldest)) / DAY_MS)), escalationLevel: Number(r.escalation_level),
  };
}

/** Most urgent first: severity, level climbed, size, age; then region and rule for a stable order. */
export function compareGroups(a: AlertGroup, b: AlertGroup): number {
  return SEVERITIES.indexOf(b.severity as never) - SEVERITIES.indexOf(a.severity as never) || b.escalationLevel - a.escalationLevel ||
    b.count - a.count || a.oldestOpenedAt.localeCompare(b.oldestOpenedAt) || a.region.localeCompare(b.region) || a.rule.localeCompare(b.rule);
}
