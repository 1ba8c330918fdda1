// SQL of the care metric state (migration 025): plan and visit milestones of
// hardship persons, overdue intervals, day deltas per region code, snapshots.
// Rebuilt whole after the person state (person_spans) is brought up to date:
// plans, visits of planned persons and the record kinds are small beside the
// ledger and the services.
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import type { CampaignConfig } from '../metrics/campaign.config';
import { EVENT_CAMPAIGN_OTHER } from './care.schema';

export interface PlanVersion {
  plan_id: string;
  plan_date: string;
  visit_days: number | null;
  status: string;
}

export interface OverdueInterval {
  person_key: string;
  a: string;
  b: string;
}

/** The care state's record in metrics_state (MetricsStateRepository.load / save with this name). */
export const CARE_STATE_NAME = 'care';

const HEAVY = {
  max_bytes_before_external_group_by: String(2 * 2 ** 30),
  join_algorithm: 'hash',
} as const;

@Injectable()
export class CareStateRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  async forget(): Promise<void> {
    await this.ch.client.command({ query: 'DELETE FROM metrics_state WHERE name = {n:String}', query_params: { n: CARE_STATE_NAME } });
  }

  async rebuildMarks(runs: number[], cfg: CampaignConfig): Promise<void> {
    await this.ch.client.command({ query: 'TRUNCATE TABLE care_marks' });
    await this.ch.client.command({
      query: `INSERT INTO care_marks ${loadQuery('care_marks')}`,
      query_params: { runs, visitType: cfg.care.visitType },
      clickhouse_settings: HEAVY,
    });
  }

  /** Per planned hardship person: the latest version of each plan. */
  async plans(runs: number[]): Promise<Array<{ person_key: string; plans: Array<[string, string, number | null, string]> }>> {
    const rs = await this.ch.client.query({ query: loadQuery('care_plans'), query_params: { runs }, format: 'JSONEachRow' });
    return rs.json();
  }

  /** Per planned person: the distinct 跟踪回访 days, sorted. */
  async visitDays(runs: number[], cfg: CampaignConfig): Promise<Array<{ person_key: string; days: string[] }>> {
    const rs = await this.ch.client.query({
      query: loadQuery('care_visit_days'),
      query_params: { runs, visitType: cfg.care.visitType },
      format: 'JSONEachRow',
      clickhouse_settings: HEAVY,
    });
    return rs.json();
  }

  async writeOverdue(rows: OverdueInterval[]): Promise<void> {
    await this.ch.client.command({ query: 'TRUNCATE TABLE care_overdue' });
    for (let i = 0; i < rows.length; i += 100_000) {
      await this.ch.client.insert({ table: 'care_overdue', values: rows.slice(i, i + 100_000), format: 'JSONEachRow' });
    }
  }

  async rebuildDays(runs: number[]): Promise<void> {
    await this.ch.client.command({ query: 'TRUNCATE TABLE care_days' });
    await this.ch.client.command({
      query: `INSERT INTO care_days ${loadQuery('care_days_records')}`,
      query_params: { runs, eventOther: EVENT_CAMPAIGN_OTHER },
    });
    await this.ch.client.command({ query: `INSERT INTO care_days ${loadQuery('care_days_persons')}`, clickhouse_settings: HEAVY });
  }

  /** Per reporting unit and 亮相 item: the first day it was published. */
  async publicity(runs: number[]): Promise<Array<{ unit: string; item: string; first_day: string }>> {
    const rs = await this.ch.client.query({ query: loadQuery('care_publicity'), query_params: { runs }, format: 'JSONEachRow' });
    return rs.json();
  }

  async asOf(asOf: string): Promise<Array<{ level: string; code: string; k: string; n: number }>> {
    const rs = await this.ch.client.query({ query: loadQuery('care_as_of'), query_params: { asOf }, format: 'JSONEachRow' });
    return (await rs.json<{ level: string; code: string; k: string; n: string | number }>()).map((r) => ({ ...r, n: Number(r.n) }));
  }

  async daily(to: string): Promise<Array<{ level: string; code: string; k: string; day: string; n: number }>> {
    const rs = await this.ch.client.query({ query: loadQuery('care_daily'), query_params: { to }, format: 'JSONEachRow' });
    return (await rs.json<{ level: string; code: string; k: string; day: string; n: string | number }>()).map((r) => ({ ...r, n: Number(r.n) }));
  }

  async writeSnapshots(rows: Array<{ as_of: string; level: string; code: string; counts: Record<string, number> }>, dataVersion: number): Promise<void> {
    const computed_at = new Date().toISOString();
    for (let i = 0; i < rows.length; i += 20_000) {
      await this.ch.client.insert({
        table: 'care_snapshots',
        values: rows.slice(i, i + 20_000).map((r) => ({ ...r, data_version: dataVersion, computed_at })),
        format: 'JSONEachRow',
      });
    }
  }

  /** Lowest data version over a day's care snapshots (0 = none). */
  async snapshotVersion(asOf: string): Promise<number> {
    const rs = await this.ch.client.query({
      query: `SELECT min(data_version) AS v, count() AS n FROM care_snapshots FINAL WHERE as_of = {d:Date} AND level = 'province'`,
      query_params: { d: asOf },
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<{ v: number; n: number }>();
    return Number(r?.n ?? 0) > 0 ? Number(r!.v) : 0;
  }

  async readSnapshots(asOf: string): Promise<Array<{ level: string; code: string; counts: Record<string, number> }>> {
    const rs = await this.ch.client.query({
      query: `SELECT level, code, counts FROM care_snapshots FINAL WHERE as_of = {d:Date}`,
      query_params: { d: asOf },
      format: 'JSONEachRow',
    });
    return (await rs.json<{ level: string; code: string; counts: Record<string, string | number> }>()).map((r) => ({
      level: r.level, code: r.code, counts: Object.fromEntries(Object.entries(r.counts).map(([k, v]) => [k, Number(v)])),
    }));
  }
}
