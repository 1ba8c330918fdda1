// SQL of kinds 5–8's metric state (measure_days, migration 014): rebuilt whole
// by the refresh from the latest version of every record (these records are
// few per region and day), read as day deltas for as-of and daily counts; and
// the same deltas straight from the raw tables for the live path.
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import { EXIT_CHANNELS, POLICY_CHANNELS, POLICY_TYPES, POST_SOURCES } from '../ledger/measures.schema';
import { MEASURE_DELTA_KEYS } from './measures.types';
import type { PackedDelta } from './measures.logic';

/** The enum orders the packed columns follow, as typed parameters. */
const ENUM_PARAMS = {
  keys: MEASURE_DELTA_KEYS,
  exitChannels: EXIT_CHANNELS,
  postSources: POST_SOURCES,
  policyTypes: POLICY_TYPES,
  policyChannels: POLICY_CHANNELS,
};

// The rebuild reads every record of the four kinds once; spill rather than fail on a big one.
const HEAVY = {
  max_bytes_before_external_group_by: String(2 * 2 ** 30),
  join_algorithm: 'hash',
} as const;

@Injectable()
export class MeasuresRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  /** Rebuilds measure_days from the given load runs (after person_spans, whose 1311 days it reads). */
  async rebuildState(runs: number[]): Promise<void> {
    await this.ch.client.command({ query: 'TRUNCATE TABLE measure_days' });
    await this.ch.client.command({
      query: `INSERT INTO measure_days (level, code, day, vec) ${loadQuery('measures_pack_state')}`,
      query_params: { runs, allRuns: 0, ...ENUM_PARAMS },
      clickhouse_settings: HEAVY,
    });
  }

  /** The kept day deltas up to `to`, oldest first. */
  async stateDeltas(to: string): Promise<PackedDelta[]> {
    const rs = await this.ch.client.query({ query: loadQuery('measures_days'), query_params: { to }, format: 'JSONEachRow' });
    return rs.json<PackedDelta>();
  }

  /** The same deltas computed from the raw tables now (snapshots and state may be behind the data); `rules` = ruleParams(cfg). */
  async rawDeltas(to: string, rules: Record<string, unknown>): Promise<PackedDelta[]> {
    const rs = await this.ch.client.query({
      query: loadQuery('measures_pack_raw'),
      query_params: { to, runs: [], allRuns: 1, ...ENUM_PARAMS, ...rules },
      format: 'JSONEachRow',
      clickhouse_settings: HEAVY,
    });
    return rs.json<PackedDelta>();
  }
}
