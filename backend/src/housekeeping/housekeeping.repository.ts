// The SQL of housekeeping: deleting what is past its retention, and how much
// of the store a table takes. Cut-offs are typed parameters; a row is removed
// only when strictly older than its cut-off.
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';

/** Stage tables hold one partition per ingest run (`PARTITION BY run_id`); hidden per-run twins are `run_stage_<run>_<kind>`. */
const RUN_STAGE = /^run_stage_(\d+)_[a-z_]+$/;

@Injectable()
export class HousekeepingRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  private async rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    const rs = await this.ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
    return rs.json<T>();
  }

  private async count(query: string, params: Record<string, unknown>): Promise<number> {
    const [r] = await this.rows<{ n: number }>(query, params);
    return Number(r?.n ?? 0);
  }

  /** Finished notices (sent, or given up after the last retry) created before `cutoff`; pending ones always stay. */
  async pruneOutbox(cutoff: string): Promise<number> {
    const params = { cutoff };
    const where = `(notice_id, channel_id) IN (SELECT notice_id, channel_id FROM alert_outbox FINAL
        WHERE status IN ('sent', 'failed') AND created_at < parseDateTime64BestEffort({cutoff:String}, 3, 'UTC'))`;
    const n = await this.count(`SELECT count() AS n FROM alert_outbox FINAL WHERE ${where}`, params);
    if (n) await this.ch.client.command({ query: `DELETE FROM alert_outbox WHERE ${where}`, query_params: params });
    return n;
  }

  async pruneDeliveries(cutoff: string): Promise<number> {
    const params = { cutoff };
    const where = `ts < parseDateTime64BestEffort({cutoff:String}, 3, 'UTC')`;
    const n = await this.count(`SELECT count() AS n FROM alert_deliveries WHERE ${where}`, params);
    if (n) await this.ch.client.command({ query: `DELETE FROM alert_deliveries WHERE ${where}`, query_params: params });
    return n;
  }

  /** Archived report forms whose newest version was generated before `cutoff`. */
  async pruneReports(cutoff: string): Promise<number> {
    const params = { cutoff };
    const where = `report_id IN (SELECT report_id FROM report_archive FINAL WHERE generated_at < parseDateTime64BestEffort({cutoff:String}, 3, 'UTC'))`;
    const n = await this.count(`SELECT count() AS n FROM report_archive FINAL WHERE ${where}`, params);
    if (n) await this.ch.client.command({ query: `DELETE FROM report_archive WHERE ${where}`, query_params: params });
    return n;
  }

  /** Runs that ended (loaded or failed) before `cutoff`: their stage data is never read again. A running run is never among them. */
  async finishedRunsBefore(cutoff: string): Promise<Set<number>> {
    const rows = await this.rows<{ run_id: number }>(
      `SELECT run_id FROM ingest_runs FINAL
       WHERE status != 'running' AND finished_at IS NOT NULL AND finished_at < parseDateTime64BestEffort({cutoff:String}, 3, 'UTC')`,
      { cutoff },
    );
    return new Set(rows.map((r) => Number(r.run_id)));
  }

  /** Drops the stage partitions and hidden stage tables of the given runs; returns how many of each. */
  async pruneStages(runs: Set<number>): Promise<{ partitions: number; tables: number }> {
    let partitions = 0;
    let tables = 0;
    const staged = await this.rows<{ table: string; p: string }>(
      `SELECT DISTINCT p.table AS table, p.partition_id AS p FROM system.parts AS p
       INNER JOIN system.tables AS t ON t.database = p.database AND t.name = p.table
       WHERE p.database = currentDatabase() AND p.active AND startsWith(p.table, 'stage_') AND t.partition_key = 'run_id'`,
    );
    for (const { table, p } of staged) {
      if (!/^\d+$/.test(p) || !runs.has(Number(p))) continue;
      // The table name comes from system.tables and matched stage_…; the partition is a typed parameter.
      await this.ch.client.command({ query: `ALTER TABLE ${quoteIdent(table)} DROP PARTITION ID {p:String}`, query_params: { p } });
      partitions++;
    }
    const hidden = await this.rows<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'run_stage_')`,
    );
    for (const { name } of hidden) {
      const m = RUN_STAGE.exec(name);
      if (!m || !runs.has(Number(m[1]))) continue;
      await this.ch.client.command({ query: `DROP TABLE IF EXISTS ${quoteIdent(name)} SYNC` });
      tables++;
    }
    return { partitions, tables };
  }

  /** Bytes on disk of the report archive (active parts), to show it apart from the rest of the store. */
  async reportArchiveBytes(): Promise<number> {
    return this.count(
      `SELECT sum(bytes_on_disk) AS n FROM system.parts WHERE database = currentDatabase() AND table = 'report_archive' AND active`,
      {},
    );
  }

  /** Bytes on disk of every active part of this database (a ClickHouse server: no local folder to measure). */
  async databaseBytes(): Promise<number> {
    return this.count(`SELECT sum(bytes_on_disk) AS n FROM system.parts WHERE database = currentDatabase() AND active`, {});
  }
}

function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unexpected table name ${JSON.stringify(name)}`);
  return `\`${name}\``;
}
