import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import { countiesUnder, REGION_BY_CODE } from '../regions/regions.data';
import type { Scope } from '../auth/scope';

export interface CountyFreshness {
  county: string;
  name: string;
  /** Latest 更新时间 of the county's ledger rows (Asia/Shanghai), or null. */
  lastLedgerUpdate: string | null;
  /** When the load that brought the latest of those rows started (UTC), and its run. */
  lastLoad: string | null;
  lastRun: number | null;
  lastService: string | null;
  /** Rejected rows that name this county's code. */
  rejects: number;
}

/** Data freshness per county: when its ledger last changed, which load brought it, rejected rows. */
@Injectable()
export class FreshnessService {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  async forRegion(code: string, scope: Scope): Promise<CountyFreshness[]> {
    const counties = countiesUnder(code).filter((c) => scope.counties.has(c));
    if (!counties.length) return [];
    const rs = await this.ch.client.query({ query: loadQuery('freshness'), query_params: { counties }, format: 'JSONEachRow' });
    type Row = { county: string; last_ledger_update: string | null; last_load: string | null; last_run: number | null; last_service: string | null; rejects: number };
    const empty = (v: string | null) => (v && !v.startsWith('1970-01-01') ? v : null);
    return (await rs.json<Row>()).map((r) => ({
      county: r.county, name: REGION_BY_CODE.get(r.county)?.name ?? r.county, lastLedgerUpdate: empty(r.last_ledger_update),
      lastLoad: empty(r.last_load), lastRun: r.last_run ? Number(r.last_run) : null, lastService: empty(r.last_service), rejects: Number(r.rejects),
    }));
  }
}
