// Forward-only migrations: sql/migrations/NNN_purpose.sql, applied in order,
// once each, recorded in schema_migrations. Safe to run at every start.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClickHouseHandle } from './clickhouse.provider';
import { repoRoot } from '../config/paths';
import { renderForCluster } from './cluster';

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  total: number;
}

export function migrationsDir(): string {
  return path.join(repoRoot(), 'sql', 'migrations');
}

export function readMigrations(dir = migrationsDir()): MigrationFile[] {
  const files = fs.readdirSync(dir).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const seen = new Set<number>();
  return files.map((f) => {
    const version = Number(f.slice(0, 3));
    if (seen.has(version)) throw new Error(`two migrations share the number ${version}: ${f}`);
    seen.add(version);
    const sql = fs.readFileSync(path.join(dir, f), 'utf8');
    if (!sql.startsWith('-- ')) throw new Error(`migration ${f} must open with a one-line "-- purpose" comment`);
    return { version, name: f, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex').slice(0, 16) };
  });
}

/** Splits a migration into statements: each ends with ';' at the end of a line. Comment lines are dropped. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  for (const line of sql.split('\n')) {
    if (/^\s*--/.test(line) && cur.length === 0) continue;
    cur.push(line);
    if (/;\s*$/.test(line)) {
      const stmt = cur.join('\n').trim().replace(/;\s*$/, '');
      if (stmt) out.push(stmt);
      cur = [];
    }
  }
  const rest = cur.join('\n').trim();
  if (rest) out.push(rest);
  return out;
}

export class MigrationsRepository {
  constructor(private readonly ch: ClickHouseHandle) {}

  async applied(): Promise<Array<{ version: number; name: string }>> {
    await this.ensureTable();
    const rs = await this.ch.client.query({
      query: 'SELECT version, any(name) AS name FROM schema_migrations GROUP BY version ORDER BY version',
      format: 'JSONEachRow',
    });
    return rs.json<{ version: number; name: string }>();
  }

  /** A statement as run here: as written, or rendered for the cluster (CLICKHOUSE_CLUSTER). */
  private render(stmt: string): string[] {
    return this.ch.cluster ? renderForCluster(stmt, this.ch.cluster, this.ch.database) : [stmt];
  }

  private async ensureTable(): Promise<void> {
    for (const query of this.render(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
      ) ENGINE = MergeTree ORDER BY version`)) {
      await this.ch.client.command({ query });
    }
  }

  async migrate(files = readMigrations()): Promise<MigrationResult> {
    const done = new Set((await this.applied()).map((m) => m.version));
    const applied: string[] = [];
    for (const m of files) {
      if (done.has(m.version)) continue;
      for (const stmt of splitStatements(m.sql).flatMap((x) => this.render(x))) {
        await this.ch.client.command({ query: stmt });
      }
      await this.ch.client.insert({
        table: 'schema_migrations',
        values: [{ version: m.version, name: m.name, checksum: m.checksum }],
        format: 'JSONEachRow',
      });
      applied.push(m.name);
    }
    return { applied, total: files.length };
  }
}
