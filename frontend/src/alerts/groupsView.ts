// The alert centre's groups view, pure: which groups the filters keep, the
// group key in the URL, and the words for a group's level, share and age.
import type { AlertGroup } from '../../../backend/src/alerts/alerts.groups.types';
import type { AlertsState } from './alertsQuery';

export type { AlertGroup, AlertGroupsResponse } from '../../../backend/src/alerts/alerts.groups.types';

export const ESCALATION_LABELS = ['县级', '市级', '省级'] as const;
const LEVEL_NUM: Record<string, number> = { county: 0, unit: 1, province: 2 };

export function groupKey(g: Pick<AlertGroup, 'region' | 'rule'>): string {
  return `${g.region}:${g.rule}`;
}

export function parseGroupKey(key: string): { region: string; rule: string } | null {
  const m = /^(\d{6}):([a-z0-9_]{2,40})$/.exec(key);
  return m ? { region: m[1]!, rule: m[2]! } : null;
}

/** The groups the list's filters keep: rule, severity, the level climbed to, minimum age of the oldest member. */
export function filterGroups(groups: readonly AlertGroup[], s: Pick<AlertsState, 'rule' | 'severity' | 'level' | 'ageMin'>): AlertGroup[] {
  return groups.filter(
    (g) =>
      (!s.rule || g.rule === s.rule) &&
      (!s.severity || g.severity === s.severity) &&
      (!s.level || g.escalationLevel === LEVEL_NUM[s.level]) &&
      (!s.ageMin || g.oldestAgeDays >= Number(s.ageMin)),
  );
}

/** The group a notice link (rule + one county) points at, to open it at once. */
export function linkedGroup(groups: readonly AlertGroup[], s: Pick<AlertsState, 'rule' | 'region' | 'group'>): string {
  if (s.group || !s.rule || !s.region) return s.group;
  const hit = groups.filter((g) => g.rule === s.rule && g.region === s.region);
  return hit.length === 1 ? groupKey(hit[0]!) : '';
}

export function ackShare(g: Pick<AlertGroup, 'count' | 'acknowledged'>): { text: string; percent: number } {
  const percent = g.count ? Math.round((g.acknowledged / g.count) * 100) : 0;
  return { text: `${g.acknowledged}/${g.count}`, percent };
}

export function ageText(days: number): string {
  return days < 1 ? '不足1天' : `${days}天`;
}

/** Only a county-level group can be given a dispatch order, and only by the province, a unit or an admin. */
export function canDispatch(role: string, region: string, countyCodes: ReadonlySet<string>): boolean {
  return ['admin', 'province', 'unit'].includes(role) && countyCodes.has(region);
}

/** A few days after the evaluation day: the default due date of a dispatch order. */
export function dueAfter(asOfDay: string, days = 3): string {
  const d = new Date(`${asOfDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
