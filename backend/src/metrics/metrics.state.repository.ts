// SQL of the metric state the refresh job keeps beside the raw tables
// (migration 008): per-person day spans with milestones and help-request day
// deltas, rebuilt whole or only for the persons new load runs touched, and the
// metric queries that read them instead of every raw row.
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import type { CampaignConfig } from './campaign.config';
import { numeric, ruleParams } from './metrics.repository';
import type { CountsRow } from './metrics.types';
import { MeasuresRepository } from '../measures/measures.repository';
import { mergeMeasures } from '../measures/measures.logic';

export interface StateRecord {
  /** Load runs folded into the state. */
  runs: number[];
  /** The campaign rules the state was built with (JSON of the rule parameters). */
  rules: string;
}

const STATE_NAME = 'person_spans';

// Rebuilds read every service record once: enough memory for the GROUP BY, spilling to disk rather than failing.
// The plain hash join: the default parallel_hash turned a 7 M × 2 M person join into minutes on 2 cores.
const HEAVY = {
  max_bytes_before_external_group_by: String(4 * 2 ** 30),
  max_bytes_before_external_sort: String(4 * 2 ** 30),
  join_algorithm: 'hash',
} as const;

@Injectable()
export class MetricsStateRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle, private readonly measures: MeasuresRepository) {}

  rulesKey(cfg: CampaignConfig): string {
    // `layout` names what a span row holds: a state written before comp_days (migration 011) is rebuilt whole.
    return JSON.stringify({ ...ruleParams(cfg), layout: 2 });
  }

  async succeededRuns(): Promise<number[]> {
    const rs = await this.ch.client.query({
      query: `SELECT run_id FROM ingest_runs FINAL WHERE status = 'succeeded' ORDER BY run_id`,
      format: 'JSONEachRow',
    });
    return (await rs.json<{ run_id: number }>()).map((r) => Number(r.run_id));
  }

  /** The record of a kept state (`name`: person_spans by default; the care state keeps its own, docs/care.md). */
  async load(name = STATE_NAME): Promise<StateRecord | null> {
    const rs = await this.ch.client.query({
      query: 'SELECT runs, rules FROM metrics_state FINAL WHERE name = {n:String}',
      query_params: { n: name },
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<{ runs: number[]; rules: string }>();
    return r ? { runs: r.runs.map(Number), rules: r.rules } : null;
  }

  async save(s: StateRecord, name = STATE_NAME): Promise<void> {
    await this.ch.client.insert({
      table: 'metrics_state',
      values: [{ name, runs: s.runs, rules: s.rules }],
      format: 'JSONEachRow',
    });
  }

  /** Forgets the state (the next sync rebuilds it whole). */
  async clear(): Promise<void> {
    await this.ch.client.command({ query: 'TRUNCATE TABLE metrics_state' });
  }

  /** Roughly how many persons the state holds. */
  async persons(): Promise<number> {
    return this.count('SELECT uniq(person_key) AS n FROM person_spans', {});
  }

  /** The service-record versions to drop (not their record's latest), for every record or the touched persons'. */
  private async superseded(runs: number[], all: boolean): Promise<void> {
    await this.ch.client.command({ query: 'TRUNCATE TABLE service_superseded' });
    await this.ch.client.command({
      query: `INSERT INTO service_superseded ${loadQuery('state_superseded')}`,
      query_params: { runs, all: all ? 1 : 0 },
      clickhouse_settings: HEAVY,
    });
  }

  /** Every person's spans, from scratch. */
  async rebuildAll(runs: number[], cfg: CampaignConfig): Promise<void> {
    await this.ch.client.command({ query: 'TRUNCATE TABLE person_spans' });
    await this.ch.client.command({ query: 'TRUNCATE TABLE person_touched' });
    await this.superseded(runs, true);
    await this.ch.client.command({
      query: `INSERT INTO person_spans ${loadQuery('state_person_spans')}`,
      query_params: { runs, all: 1, ...ruleParams(cfg) },
      clickhouse_settings: HEAVY,
    });
  }

  /** Collects the persons the new runs touch into person_touched; returns how many. */
  async collectTouched(newRuns: number[], runs: number[]): Promise<number> {
    await this.ch.client.command({ query: 'TRUNCATE TABLE person_touched' });
    await this.ch.client.command({
      query: `INSERT INTO person_touched ${loadQuery('state_touched')}`,
      query_params: { newRuns, runs },
    });
    return this.count('SELECT count() AS n FROM person_touched', {});
  }

  /** Replaces the spans of the persons in person_touched. */
  async rebuildTouched(runs: number[], cfg: CampaignConfig): Promise<void> {
    await this.ch.client.command({
      query: 'DELETE FROM person_spans WHERE person_key IN (SELECT person_key FROM person_touched)',
    });
    await this.superseded(runs, false);
    await this.ch.client.command({
      query: `INSERT INTO person_spans ${loadQuery('state_person_spans')}`,
      query_params: { runs, all: 0, ...ruleParams(cfg) },
      clickhouse_settings: HEAVY,
    });
  }

  /** Help requests are few (one per person at most, typically): their day deltas are rebuilt whole. */
  async rebuildHelp(runs: number[], cfg: CampaignConfig): Promise<void> {
    await this.ch.client.command({ query: 'TRUNCATE TABLE help_days' });
    await this.ch.client.command({
      query: `INSERT INTO help_days ${loadQuery('state_help_days')}`,
      query_params: { runs, ...ruleParams(cfg) },
    });
  }

  /** Kinds 5–8: their day deltas are rebuilt whole (after the person spans, whose 1311 days they read). */
  async rebuildMeasures(runs: number[]): Promise<void> {
    await this.measures.rebuildState(runs);
  }

  /**
   * Whether the new runs can change measure_days (a record of kinds 5–8 among them, or a stay of a
   * person they touched); after collectTouched. When not, the kept measure_days of the runs before is
   * already what a rebuild would give.
   */
  async measuresTouched(newRuns: number[], runs: number[]): Promise<boolean> {
    return (await this.count(loadQuery('measures_touched'), { newRuns, runs })) > 0;
  }

  /** Every region's counts as of the end of one day, from the state. */
  async countsAsOf(asOf: string, cfg: CampaignConfig): Promise<CountsRow[]> {
    const rs = await this.ch.client.query({
      query: loadQuery('state_as_of'),
      query_params: { asOf, ...ruleParams(cfg) },
      format: 'JSONEachRow',
    });
    const rows = (await rs.json<CountsRow>()).map(numeric);
    return mergeMeasures(rows, await this.measures.stateDeltas(asOf), asOf, asOf, false);
  }

  /** Every region's counts for each day of [from, to], in one pass over the state. */
  async countsDaily(from: string, to: string, cfg: CampaignConfig): Promise<CountsRow[]> {
    const rs = await this.ch.client.query({
      query: loadQuery('state_daily'),
      query_params: { from, to, ...ruleParams(cfg) },
      format: 'JSONEachRow',
    });
    const rows = (await rs.json<CountsRow>()).map(numeric);
    return mergeMeasures(rows, await this.measures.stateDeltas(to), from, to, true);
  }

  private async count(query: string, params: Record<string, unknown>): Promise<number> {
    const rs = await this.ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
    const [row] = await rs.json<{ n: number }>();
    return Number(row?.n ?? 0);
  }
}
