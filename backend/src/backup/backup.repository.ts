// SQL of backup and restore: the tables the engine holds, and the engine's own
// BACKUP / RESTORE. Those two statements take no query parameters (the parser
// refuses `File({p:String})`), so the folder is passed as a string literal —
// only after BackupService has refused any path with a quote, a backslash or a
// control character — and the database name is the configured identifier
// (config.ts admits only [A-Za-z_][A-Za-z0-9_]*).
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import type { BackupTable } from './backup.types';

/** A quote, a backslash or a control character: what would need escaping inside an SQL string. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
export const UNSAFE_PATH = /['\\\u0000-\u001f]/;

/** A path as an SQL string literal; the caller has checked it holds nothing that needs escaping. */
function literal(p: string): string {
  if (UNSAFE_PATH.test(p)) throw new Error(`unusable path for BACKUP/RESTORE: ${JSON.stringify(p)}`);
  return `'${p}'`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

@Injectable()
export class BackupRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  /** Every table of the database, from the engine (so record kinds added later are covered), with exact row counts. */
  async tables(): Promise<BackupTable[]> {
    const rs = await this.ch.client.query({
      query: `SELECT name, engine, has_own_data FROM system.tables WHERE database = currentDatabase() AND NOT is_temporary ORDER BY name`,
      format: 'JSONEachRow',
    });
    const out: BackupTable[] = [];
    for (const t of await rs.json<{ name: string; engine: string; has_own_data: number | boolean }>()) {
      const own = Boolean(Number(t.has_own_data)) && !/View$/.test(t.engine);
      out.push({ name: t.name, engine: t.engine, rows: own ? await this.count(t.name, t.engine) : null });
    }
    return out;
  }

  /** Rows as the app reads them: a Replacing… table counted FINAL, since a background merge may fold its versions at any moment. */
  private async count(table: string, engine: string): Promise<number> {
    const final = /.+MergeTree$/.test(engine) ? ' FINAL' : '';
    const rs = await this.ch.client.query({ query: `SELECT count() AS n FROM {t:Identifier}${final}`, query_params: { t: table }, format: 'JSONEachRow' });
    const [r] = await rs.json<{ n: number }>();
    return Number(r?.n ?? 0);
  }

  async migrations(): Promise<number[]> {
    const rs = await this.ch.client.query({ query: 'SELECT DISTINCT version FROM schema_migrations ORDER BY version', format: 'JSONEachRow' });
    return (await rs.json<{ version: number }>()).map((r) => Number(r.version));
  }

  async engineVersion(): Promise<string> {
    const rs = await this.ch.client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
    return (await rs.json<{ v: string }>())[0]?.v ?? '';
  }

  /** The engine's own consistent copy of every table's parts (hard links where it can, else copies) into `dest`. */
  async backupDatabase(dest: string): Promise<void> {
    await this.ch.client.command({ query: `BACKUP DATABASE ${this.ch.database} TO File(${literal(dest)})` });
  }

  /** Restores database `fromDb` of the backup in `src` as this handle's database (which must be empty). */
  async restoreDatabase(src: string, fromDb: string): Promise<void> {
    if (!IDENT.test(fromDb)) throw new Error(`the backup names an unusable database "${fromDb}"`);
    await this.ch.client.command({ query: `RESTORE DATABASE ${fromDb} AS ${this.ch.database} FROM File(${literal(src)})` });
  }
}
