// The alert centre's groups: unresolved alerts by region × rule. Pure types,
// shared by the backend, the alert centre, the home page and the screen.

/** One group: the unresolved alerts of one rule in one region (a county, or a unit / the province for their own alerts). */
export interface AlertGroup {
  region: string;
  regionName: string;
  rule: string;
  ruleLabel: string;
  /** The highest severity among the members (low, medium, high, critical). */
  severity: string;
  /** Unresolved members (open + acknowledged). */
  count: number;
  /** Members already acknowledged. */
  acknowledged: number;
  /** When the oldest member opened ('YYYY-MM-DD HH:mm:ss', Asia/Shanghai). */
  oldestOpenedAt: string;
  /** Its age in whole days at the reference instant (the latest evaluation, or the end of `asOf`). */
  oldestAgeDays: number;
  /** The highest level a member has climbed to: 0 county, 1 unit, 2 province. */
  escalationLevel: number;
}

export interface AlertGroupsResponse {
  groups: AlertGroup[];
  /** Sum of `count` over the groups. */
  total: number;
}
