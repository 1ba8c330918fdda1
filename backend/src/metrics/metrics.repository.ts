import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import type { CampaignConfig } from './campaign.config';
import { COUNT_KEYS, type CountsRow } from './metrics.types';
import { MeasuresRepository } from '../measures/measures.repository';
import { mergeMeasures } from '../measures/measures.logic';

export interface SnapshotRow extends CountsRow {
  as_of: string;
  data_version: number;
  ledger_time: string | null;
  computed_at: string;
}

export interface DataState {
  /** Highest successful load run: snapshots computed at a lower version are stale. */
  dataVersion: number;
  /** Latest ledger time seen (更新时间 / 服务时间 / 求助时间), Asia/Shanghai. */
  ledgerTime: string | null;
  firstDay: string | null;
  lastDay: string | null;
}

/** The campaign rules as the metric queries' typed parameters. */
export function ruleParams(cfg: CampaignConfig): Record<string, unknown> {
  return {
    o2oType: cfg.oneOnOneType,
    r1311Types: cfg.rule1311.map((r) => r.type),
    r1311Counts: cfg.rule1311.map((r) => r.min),
    r1311Max: Math.max(1, ...cfg.rule1311.map((r) => r.min)),
    contactType: cfg.contactType,
    contactOk: cfg.contactOk,
    intentCategory: cfg.intentCategory,
    employed: cfg.employedStatuses,
    slaMinutes: Math.round(cfg.helpSlaHours * 60),
  };
}

// A person join of millions of rows: the plain hash join (the default parallel_hash was ten times slower on 2 cores).
const RAW_SETTINGS = { join_algorithm: 'hash' } as const;

export function numeric<T extends CountsRow>(r: T): T {
  for (const k of COUNT_KEYS) (r as unknown as Record<string, number>)[k] = Number(r[k]);
  return r;
}

@Injectable()
export class MetricsRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle, private readonly measures: MeasuresRepository) {}

  /** Every region's counts as of the end of one day, straight from the raw tables. */
  async countsAsOf(asOf: string, cfg: CampaignConfig): Promise<CountsRow[]> {
    const rs = await this.ch.client.query({
      query: loadQuery('metrics_as_of'),
      query_params: { asOf, ...ruleParams(cfg) },
      format: 'JSONEachRow',
      clickhouse_settings: RAW_SETTINGS,
    });
    const rows = (await rs.json<CountsRow>()).map(numeric);
    return mergeMeasures(rows, await this.measures.rawDeltas(asOf, ruleParams(cfg)), asOf, asOf, false);
  }

  /** Every region's counts for each day of [from, to], in one pass. */
  async countsDaily(from: string, to: string, cfg: CampaignConfig): Promise<CountsRow[]> {
    const rs = await this.ch.client.query({
      query: loadQuery('metrics_daily'),
      query_params: { from, to, ...ruleParams(cfg) },
      format: 'JSONEachRow',
      clickhouse_settings: RAW_SETTINGS,
    });
    const rows = (await rs.json<CountsRow>()).map(numeric);
    return mergeMeasures(rows, await this.measures.rawDeltas(to, ruleParams(cfg)), from, to, true);
  }

  private stateMemo: { key: string; checked: number; computed: number; value: DataState } | null = null;

  /** Drops the remembered data state (after a load or a refresh in this process). */
  forgetDataState(): void {
    this.stateMemo = null;
    this.stateCheck = null;
    this.stateGen++;
  }

  /**
   * The data state. Computing it scans every raw table's time columns (a few
   * hundred ms at national size, and every API call needs it), so it is kept
   * until a load run starts, finishes or is cleaned up (ingest_runs changes),
   * checked at most once a second, and recomputed at least every minute.
   */
  dataState(): Promise<DataState> {
    const memo = this.stateMemo;
    if (memo && Date.now() - memo.checked < 1_000) return Promise.resolve(memo.value);
    // Requests arriving together share one check (otherwise a busy second queues one check per request).
    this.stateCheck ??= this.checkDataState().finally(() => (this.stateCheck = null));
    return this.stateCheck;
  }

  private stateCheck: Promise<DataState> | null = null;
  /** Bumped by forgetDataState(): a check that started before must not store what it saw. */
  private stateGen = 0;

  private async checkDataState(): Promise<DataState> {
    const gen = this.stateGen;
    const now = Date.now();
    const memo = this.stateMemo;
    const rs = await this.ch.client.query({ query: 'SELECT toString(max(updated_at)) AS u, count() AS n FROM ingest_runs', format: 'JSONEachRow' });
    const [f] = await rs.json<{ u: string; n: number }>();
    const key = `${f?.u ?? ''}|${f?.n ?? 0}`;
    if (memo && memo.key === key && now - memo.computed < 60_000) {
      if (gen === this.stateGen) this.stateMemo = { ...memo, checked: now };
      return memo.value;
    }
    const value = await this.computeDataState();
    if (gen === this.stateGen) this.stateMemo = { key, checked: now, computed: now, value };
    return value;
  }

  private async computeDataState(): Promise<DataState> {
    const rs = await this.ch.client.query({
      query: `SELECT
          (SELECT max(run_id) FROM ingest_runs FINAL WHERE status = 'succeeded') AS data_version,
          (SELECT count() FROM ledger_raw) AS persons_rows,
          toString(greatest(
            (SELECT max(updated_at) FROM ledger_raw),
            (SELECT max(service_time) FROM service_raw),
            (SELECT max(requested_at) FROM help_raw))) AS ledger_time,
          toString(least(
            (SELECT min(received_date) FROM ledger_raw),
            (SELECT toDate(min(updated_at)) FROM ledger_raw))) AS first_day,
          toString(greatest(
            (SELECT toDate(max(updated_at)) FROM ledger_raw),
            (SELECT toDate(max(service_time)) FROM service_raw),
            (SELECT toDate(max(requested_at)) FROM help_raw))) AS last_day`,
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<{ data_version: number; persons_rows: number; ledger_time: string; first_day: string; last_day: string }>();
    const has = Number(r?.persons_rows ?? 0) > 0;
    return {
      dataVersion: Number(r?.data_version ?? 0),
      ledgerTime: has ? r!.ledger_time : null,
      firstDay: has ? r!.first_day : null,
      lastDay: has ? r!.last_day : null,
    };
  }

  async writeSnapshots(rows: CountsRow[], state: DataState): Promise<void> {
    const computedAt = new Date().toISOString();
    const values = rows.map((r) => ({ ...r, data_version: state.dataVersion, ledger_time: state.ledgerTime, computed_at: computedAt }));
    for (let i = 0; i < values.length; i += 50_000) {
      await this.ch.client.insert({ table: 'metric_snapshots', values: values.slice(i, i + 50_000), format: 'JSONEachRow' });
    }
  }

  /** Snapshots of the given regions for [from, to], newest computation per region and day. */
  async readSnapshots(keys: Array<{ level: string; code: string }>, from: string, to: string): Promise<SnapshotRow[]> {
    const rs = await this.ch.client.query({
      query: `SELECT level, code, toString(as_of) AS as_of, ${COUNT_KEYS.join(', ')}, data_version,
                toString(ledger_time) AS ledger_time, toString(computed_at) AS computed_at
              FROM metric_snapshots FINAL
              WHERE concat(level, ':', code) IN {keys:Array(String)} AND metric_snapshots.as_of BETWEEN {from:Date} AND {to:Date}
              ORDER BY metric_snapshots.as_of`,
      query_params: { keys: keys.map((k) => `${k.level}:${k.code}`), from, to },
      format: 'JSONEachRow',
    });
    return (await rs.json<SnapshotRow>()).map(numeric);
  }

  /** The lowest data version over a day range's snapshots (0 when any day is missing). */
  async snapshotCoverage(from: string, to: string): Promise<{ days: number; minVersion: number }> {
    const rs = await this.ch.client.query({
      query: `SELECT uniqExact(as_of) AS days, min(data_version) AS v FROM metric_snapshots FINAL
              WHERE level = 'province' AND as_of BETWEEN {from:Date} AND {to:Date}`,
      query_params: { from, to },
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<{ days: number; v: number }>();
    return { days: Number(r?.days ?? 0), minVersion: Number(r?.v ?? 0) };
  }
}
