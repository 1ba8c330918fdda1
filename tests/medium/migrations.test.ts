import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../backend/src/app.factory';
import type { ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { MigrationsRepository, readMigrations, splitStatements } from '../../backend/src/clickhouse/migrations.repository';
import { loadConfig } from '../../backend/src/config/config';
import { tempDataDir } from '../helpers/server';

describe('migrations on a real embedded ClickHouse', () => {
  let ch: ClickHouseHandle;
  beforeAll(async () => {
    ({ ch } = await openDatabase(loadConfig({ DATA_DIR: tempDataDir() })));
  });
  afterAll(async () => {
    await ch?.close();
  });

  it('applied every migration once; running them again is a no-op', async () => {
    const repo = new MigrationsRepository(ch);
    const all = readMigrations();
    expect((await repo.applied()).map((m) => m.name)).toEqual(all.map((m) => m.name));
    const again = await repo.migrate();
    expect(again.applied).toEqual([]);
    const rs = await ch.client.query({ query: 'SELECT count() AS n FROM schema_migrations', format: 'JSONEachRow' });
    expect(await rs.json()).toEqual([{ n: all.length }]);
  });

  it('splits statements at line-ending semicolons only', () => {
    expect(splitStatements("-- purpose\nCREATE TABLE a (s String DEFAULT ';x') ENGINE = Log;\n\nSELECT 1;\n")).toEqual([
      "CREATE TABLE a (s String DEFAULT ';x') ENGINE = Log",
      'SELECT 1',
    ]);
  });
});
