import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import type { CampaignConfig } from '../metrics/campaign.config';

export interface FunnelRow {
  level: 'province' | 'unit' | 'county';
  code: string;
  job_seekers: number;
  /** Aligned with the campaign's rule1311. */
  components: number[];
  completed: number;
}

@Injectable()
export class ScreenRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  /**
   * The 1311 funnel of every region as of the end of a day: from the kept
   * per-person state when it is current (`fromState`), else from the raw tables.
   */
  async funnel(asOf: string, cfg: CampaignConfig, fromState = false): Promise<FunnelRow[]> {
    const rs = await this.ch.client.query({
      query: loadQuery(fromState ? 'funnel_state' : 'funnel_1311'),
      query_params: {
        asOf,
        intentCategory: cfg.intentCategory,
        r1311Types: cfg.rule1311.map((r) => r.type),
        r1311Counts: cfg.rule1311.map((r) => r.min),
      },
      format: 'JSONEachRow',
    });
    return (await rs.json<FunnelRow>()).map((r) => ({
      ...r,
      job_seekers: Number(r.job_seekers),
      components: r.components.map(Number),
      completed: Number(r.completed),
    }));
  }

  /** Whether any load came from the generated demo. */
  async hasDemoData(): Promise<boolean> {
    const rs = await this.ch.client.query({ query: "SELECT count() AS n FROM ingest_runs WHERE source = 'demo'", format: 'JSONEachRow' });
    const [r] = await rs.json<{ n: number }>();
    return Number(r?.n ?? 0) > 0;
  }
}
