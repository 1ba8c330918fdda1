// The cluster road. (1) With CLICKHOUSE_CLUSTER set, every migration is
// rendered for a cluster — ON CLUSTER, Replicated* engines, `<table>_all`
// Distributed tables where reads need them — and ClickHouse itself (chDB's
// formatQuery) must parse every statement. (2) Several app instances: exactly
// one runs the scheduled jobs, the holder of a lease in ClickHouse; with chDB
// only one process can open a data directory, so two lease holders (two
// JobLeaseService instances with their own identity) share one repository
// here, as two app instances share one ClickHouse server. (3) JOBS=off: an
// instance never asks for the lease and schedules nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { openDatabase } from '../../backend/src/app.factory';
import { AppModule } from '../../backend/src/app.module';
import { CLICKHOUSE, type ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { DISTRIBUTED_TABLES, renderForCluster } from '../../backend/src/clickhouse/cluster';
import { readMigrations, splitStatements } from '../../backend/src/clickhouse/migrations.repository';
import { loadConfig } from '../../backend/src/config/config';
import { JobLeaseRepository } from '../../backend/src/jobs/job-lease.repository';
import { JobLeaseService } from '../../backend/src/jobs/job-lease.service';
import { JobsService } from '../../backend/src/jobs/jobs.service';
import { tempDataDir } from '../helpers/server';
import { budget } from '../helpers/budget';

const CLUSTER = 'test_cluster';
const DB = 'campaign';

async function open(jobs: boolean): Promise<INestApplicationContext> {
  const cfg = loadConfig({ DATA_DIR: tempDataDir('cluster-test-'), DEMO: 'off', JOBS: jobs ? 'on' : 'off', LOG_FORMAT: 'json' });
  const { ch } = await openDatabase(cfg);
  return NestFactory.createApplicationContext(AppModule.register(cfg, ch), { logger: false });
}

describe('cluster mode: every migration rendered for a cluster parses', () => {
  let app: INestApplicationContext;
  let ch: ClickHouseHandle;
  const rendered: Array<{ file: string; sql: string }> = [];

  beforeAll(async () => {
    app = await open(false);
    ch = app.get<ClickHouseHandle>(CLICKHOUSE);
    for (const m of readMigrations()) {
      for (const stmt of splitStatements(m.sql)) for (const sql of renderForCluster(stmt, CLUSTER, DB)) rendered.push({ file: m.name, sql });
    }
    // The migration runner's own table, rendered the same way.
    for (const sql of renderForCluster(`CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32) ENGINE = MergeTree ORDER BY version`, CLUSTER, DB)) {
      rendered.push({ file: 'schema_migrations', sql });
    }
  }, budget(60_000));
  afterAll(async () => {
    await app?.close();
  });

  it('ClickHouse parses every rendered statement', async () => {
    expect(rendered.length).toBeGreaterThan(20);
    for (const { file, sql } of rendered) {
      const rs = await ch.client.query({ query: 'SELECT formatQuery({q:String}) AS f', query_params: { q: sql }, format: 'JSONEachRow' });
      const [row] = await rs.json<{ f: string }>();
      expect(row?.f, `${file}: ${sql}`).toBeTruthy();
    }
  });

  it('formatQuery does reject a malformed statement (the check above can fail)', async () => {
    await expect(
      ch.client.query({ query: 'SELECT formatQuery({q:String})', query_params: { q: `CREATE TABLE x ON CLUSTER ${CLUSTER} (a String ENGINE = MergeTree` }, format: 'JSONEachRow' }),
    ).rejects.toThrow(/Syntax error/);
  });

  it('every DDL runs ON CLUSTER; every MergeTree table is Replicated with a per-table replica path', () => {
    for (const { file, sql } of rendered) {
      if (/^(CREATE|ALTER|DROP|TRUNCATE|RENAME|EXCHANGE)\b/i.test(sql)) expect(sql, file).toMatch(new RegExp(`ON CLUSTER ${CLUSTER}\\b`));
      const engine = /ENGINE\s*=\s*(\w+)/i.exec(sql)?.[1];
      if (!engine || engine === 'Distributed') continue;
      expect(engine, `${file}: ${sql}`).toMatch(/^Replicated\w*MergeTree$/);
      const table = /^CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)/i.exec(sql)![1]!;
      expect(sql, file).toContain(`('/clickhouse/tables/{shard}/{database}/${table}', '{replica}'`);
    }
    // a version column survives the rewrite
    const runs = rendered.find((r) => /CREATE TABLE IF NOT EXISTS ingest_runs\b/.test(r.sql))!.sql;
    expect(runs).toMatch(/ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/\{shard\}\/\{database\}\/ingest_runs', '\{replica\}', updated_at\)/);
  });

  it('the tables read across shards get a Distributed <table>_all with a sharding key', () => {
    for (const [table, key] of Object.entries(DISTRIBUTED_TABLES)) {
      const all = rendered.find((r) => r.sql.startsWith(`CREATE TABLE IF NOT EXISTS ${table}_all ON CLUSTER ${CLUSTER} AS ${table}`));
      expect(all?.sql, table).toBe(`CREATE TABLE IF NOT EXISTS ${table}_all ON CLUSTER ${CLUSTER} AS ${table} ENGINE = Distributed(${CLUSTER}, ${DB}, ${table}, ${key})`);
    }
  });

  it('ALTER, DROP and RENAME statements get ON CLUSTER too', () => {
    expect(renderForCluster('ALTER TABLE ledger_raw ADD COLUMN IF NOT EXISTS x UInt8', CLUSTER, DB)).toEqual([`ALTER TABLE ledger_raw ON CLUSTER ${CLUSTER} ADD COLUMN IF NOT EXISTS x UInt8`]);
    expect(renderForCluster('DROP TABLE IF EXISTS ledger_raw', CLUSTER, DB)).toEqual([
      `DROP TABLE IF EXISTS ledger_raw_all ON CLUSTER ${CLUSTER}`, `DROP TABLE IF EXISTS ledger_raw ON CLUSTER ${CLUSTER}`,
    ]);
    expect(renderForCluster('RENAME TABLE a TO b', CLUSTER, DB)).toEqual([`RENAME TABLE a TO b ON CLUSTER ${CLUSTER}`]);
    expect(renderForCluster('CREATE MATERIALIZED VIEW IF NOT EXISTS mv TO t AS SELECT 1', CLUSTER, DB)).toEqual([
      `CREATE MATERIALIZED VIEW IF NOT EXISTS mv ON CLUSTER ${CLUSTER} TO t AS SELECT 1`,
    ]);
  });
});

describe('several app instances: exactly one runs the jobs (a lease in ClickHouse)', () => {
  let app: INestApplicationContext;
  let repo: JobLeaseRepository;

  beforeAll(async () => {
    app = await open(false);
    repo = app.get(JobLeaseRepository);
  }, budget(60_000));
  afterAll(async () => {
    await app?.close();
  });

  const holder = () => new JobLeaseService(repo);
  const lease = 'test-lease';

  it('the first instance takes the lease; a second one does not while it is held and renewed', async () => {
    const a = holder();
    const b = holder();
    expect(a.holder).not.toBe(b.holder);
    expect(await a.tryAcquire(lease)).toBe(true);
    expect(a.held()).toBe(true);
    expect(await b.tryAcquire(lease)).toBe(false);
    expect(b.held()).toBe(false);
    // renewing keeps it
    expect(await a.tryAcquire(lease)).toBe(true);
    expect(await b.tryAcquire(lease)).toBe(false);
    expect((await repo.current(lease))?.holder).toBe(a.holder);
  });

  it('when the holder stops renewing, the other instance takes over after expiry — and the old holder then yields', async () => {
    const a = holder();
    const b = holder();
    await a.start({ ttlMs: 600, renewMs: 3_600_000 });
    // the timer would renew only in an hour: a has in effect stopped renewing
    expect(await b.tryAcquire('jobs')).toBe(false);
    await new Promise((r) => setTimeout(r, 800));
    expect(await b.tryAcquire('jobs')).toBe(true);
    expect(await a.tryAcquire('jobs')).toBe(false);
    expect(a.held()).toBe(false);
    await a.stop();
    await b.stop();
  });

  it('a holder that shuts down gives the lease up at once', async () => {
    const a = holder();
    const b = holder();
    await a.start();
    expect(a.held()).toBe(true);
    expect(await b.tryAcquire('jobs')).toBe(false);
    await a.stop();
    expect(await b.tryAcquire('jobs')).toBe(true);
    await b.stop();
  });

  it('two instances claiming at the same moment: exactly one wins', async () => {
    for (let i = 0; i < 5; i++) {
      const name = `race-${i}`;
      const hs = [holder(), holder(), holder()];
      const got = await Promise.all(hs.map((h) => h.tryAcquire(name)));
      expect(got.filter(Boolean), JSON.stringify(got)).toHaveLength(1);
    }
  });
});

describe('JOBS=on and JOBS=off', () => {
  it('with JOBS=on the instance schedules the jobs and holds the lease; with JOBS=off it does neither', async () => {
    const on = await open(true);
    try {
      const lease = on.get(JobLeaseService);
      for (let i = 0; i < 50 && !lease.held(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(lease.held()).toBe(true);
      expect([...on.get(SchedulerRegistry).getCronJobs().keys()]).toContain('refresh');
      expect(on.get(JobsService).list().map((j) => j.name)).toContain('refresh');
    } finally {
      await on.close();
    }
    const off = await open(false);
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(off.get(JobLeaseService).held()).toBe(false);
      expect([...off.get(SchedulerRegistry).getCronJobs().keys()]).toEqual([]);
      expect(await off.get(JobLeaseRepository).current('jobs')).toBeNull();
    } finally {
      await off.close();
    }
  }, budget(120_000));
});
