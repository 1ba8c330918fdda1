// SQL of the alert groups (region × rule): counts now or at an earlier
// instant, and the members of one group.
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import type { AlertRow } from './alerts.lifecycle';
import { ALERT_COLUMNS, type AlertScopeParams } from './alerts.repository';

export interface GroupRow {
  region: string;
  rule: string;
  severity_rank: number;
  n: number;
  acknowledged: number;
  oldest_opened_at: string;
  escalation_level: number;
}

const GROUP_SQL = `state != 'resolved' AND rule = {rule:String} AND if(county_code != '', county_code, owner_code) = {region:String}
  AND ({scopeAll:UInt8} = 1
    OR (county_code != '' AND has({scopeCounties:Array(String)}, county_code))
    OR (county_code = '' AND has({scopeRegions:Array(String)}, owner_code)))`;

@Injectable()
export class AlertGroupsRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  private async rows<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    const rs = await this.ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
    return rs.json<T>();
  }

  private static params(scope: AlertScopeParams, region: AlertScopeParams): Record<string, unknown> {
    return { ...scope, regionAll: region.scopeAll, regionCounties: region.scopeCounties, regionRegions: region.scopeRegions };
  }

  /** Unresolved alerts by region × rule, as stored now. */
  groups(scope: AlertScopeParams, region: AlertScopeParams): Promise<GroupRow[]> {
    return this.rows<GroupRow>(loadQuery('alerts_groups'), AlertGroupsRepository.params(scope, region));
  }

  /** The same groups at an earlier instant ('YYYY-MM-DD HH:mm:ss', Asia/Shanghai), from the alerts' history. */
  groupsAt(at: string, scope: AlertScopeParams, region: AlertScopeParams): Promise<GroupRow[]> {
    return this.rows<GroupRow>(loadQuery('alerts_groups_asof'), { ...AlertGroupsRepository.params(scope, region), at });
  }

  /** One group's unresolved members, oldest first (a page, or all of them with limit 0). */
  async members(q: { rule: string; region: string; limit: number; offset: number }, scope: AlertScopeParams): Promise<{ total: number; rows: AlertRow[] }> {
    const params = { ...scope, rule: q.rule, region: q.region, limit: q.limit, offset: q.offset };
    const [t] = await this.rows<{ n: number }>(`SELECT count() AS n FROM alerts FINAL WHERE ${GROUP_SQL}`, params);
    const rows = await this.rows<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM alerts FINAL WHERE ${GROUP_SQL}
       ORDER BY opened_at, alert_id ${q.limit > 0 ? 'LIMIT {limit:UInt32} OFFSET {offset:UInt32}' : ''}`,
      params,
    );
    return { total: Number(t?.n ?? 0), rows };
  }
}
