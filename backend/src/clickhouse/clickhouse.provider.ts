// The one place that opens ClickHouse: an embedded chDB engine in
// DATA_DIR/clickhouse, or a server when CLICKHOUSE_URL is set. Everything
// else receives the opened handle; only repositories run SQL on it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import type { AppConfig } from '../config/config';

export const CLICKHOUSE = Symbol('CLICKHOUSE');

type ChdbClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

export interface ClickHouseHandle {
  client: ClickHouseClient;
  engine: 'embedded' | 'server';
  database: string;
  /** Cluster name for ON CLUSTER DDL, or null. */
  cluster: string | null;
  /**
   * The client of the install-wide tables (accounts, sessions, screen tokens, the audit log, liaisons, alert
   * channels): the main database's, also in a handle of another campaign year's database.
   */
  install: ClickHouseClient;
  /**
   * The client of long background work (the alert evaluation's rule queries). On the embedded engine it is
   * a connection of its own, opened on first use: a query there runs beside the main connection's, as long
   * as it carries no parameters (chDB runs parameterized queries one at a time across the process; write
   * them with inlineParams). On a server it is the main client.
   */
  background(): Promise<ClickHouseClient>;
  /** Another database on the same engine or server (another campaign year's), created if missing; its close() leaves this one open. */
  sibling(database: string): Promise<ClickHouseHandle>;
  close(): Promise<void>;
}

/** A start-up failure with one line a user can act on (no stack trace). */
export class StartupError extends Error {}

const SETTINGS: ClickHouseSettings = {
  // Counts come back as JSON numbers on both engines; our counts stay far below 2^53.
  output_format_json_quote_64bit_integers: 0,
  date_time_input_format: 'best_effort',
};

const CONNECT_TIMEOUT_MS = 8_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new StartupError(what)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e instanceof Error ? e : new Error(String(e))); });
  });
}

function inUse(cfg: AppConfig): StartupError {
  return new StartupError(
    `DATA_DIR ${cfg.dataDir} is in use by another running instance (the embedded ClickHouse locks its folder). ` +
      `Stop that instance, or set DATA_DIR to another folder.`,
  );
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Our own pid file beside the engine's lock: checked before chDB is touched,
 * because chDB prints its lock failure straight to stderr as a native message.
 */
function claimDataDir(cfg: AppConfig): () => void {
  const file = path.join(cfg.dataDir, 'instance.pid');
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    if (pid && pid !== process.pid && processAlive(pid)) throw inUse(cfg);
  } catch (e) {
    if (e instanceof StartupError) throw e;
  }
  fs.writeFileSync(file, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
    } catch {
      // already gone
    }
  };
}

async function openEmbedded(cfg: AppConfig): Promise<ClickHouseHandle> {
  const dir = path.join(cfg.dataDir, 'clickhouse');
  fs.mkdirSync(dir, { recursive: true });
  const release = claimDataDir(cfg);
  // Loaded lazily: a server deployment never needs the 500 MB engine in memory.
  const { createChdbConnection } = await import('chdb/connection');
  const { Session } = await import('chdb');
  let connection: ChdbClientConnection;
  let engineArgs: { close(): void } | null = null;
  try {
    // The first session on a folder starts the process's one engine, with its server settings:
    // the engine's own BACKUP/RESTORE (npm run cli -- backup) needs a permitted path, and the
    // operator chooses it. This session lives as long as the handle; the client's connection below
    // shares its engine.
    engineArgs = new Session(dir, { connectionArgs: ['--backups.allowed_path=/'] });
    // Two copies of client-common (chdb's and the client's) make the types differ nominally.
    connection = createChdbConnection({ path: dir }) as unknown as ChdbClientConnection;
  } catch (e) {
    engineArgs?.close();
    const msg = e instanceof Error ? `${e.message} ${String((e as { cause?: unknown }).cause ?? '')}` : String(e);
    release();
    if (/lock|Another server instance|Failed to create connection/i.test(msg)) throw inUse(cfg);
    throw new StartupError(`cannot open the embedded ClickHouse in ${dir}: ${msg.trim()}`);
  }
  const db = cfg.clickhouse.database;
  let client: ClickHouseClient;
  try {
    client = await embeddedClient(connection, db);
  } catch (e) {
    engineArgs.close();
    release();
    throw e;
  }
  const keeper = engineArgs;
  const install = client;
  /** A background connection on a database, opened once on first use; `closeIt` closes it if it was. */
  const backgroundOf = (database: string) => {
    let bg: Promise<ClickHouseClient> | null = null;
    return {
      get: () => (bg ??= embeddedClient(createChdbConnection({ path: dir }) as unknown as ChdbClientConnection, database)),
      closeIt: async () => {
        const b = bg;
        bg = null;
        if (b) await (await b.catch(() => null))?.close();
      },
    };
  };
  const sibling = async (database: string): Promise<ClickHouseHandle> => {
    // Each chDB connection keeps its own current database (USE) on the process's one engine.
    const c = await embeddedClient(createChdbConnection({ path: dir }) as unknown as ChdbClientConnection, database);
    const bg = backgroundOf(database);
    return {
      client: c, engine: 'embedded', database, cluster: null, install, sibling, background: bg.get,
      close: async () => {
        await bg.closeIt();
        await c.close();
      },
    };
  };
  const bg = backgroundOf(db);
  return {
    client,
    engine: 'embedded',
    database: db,
    cluster: null,
    install,
    sibling,
    background: bg.get,
    close: async () => {
      await bg.closeIt();
      await client.close();
      keeper.close();
      release();
    },
  };
}

async function embeddedClient(connection: ChdbClientConnection, db: string): Promise<ClickHouseClient> {
  const client = createClient({ connection, clickhouse_settings: SETTINGS, log: { level: ClickHouseLogLevel.ERROR } });
  try {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db} ENGINE = Atomic` });
    // chDB ignores the client's database option; USE sticks to the embedded connection.
    await client.command({ query: `USE ${db}` });
  } catch (e) {
    await client.close().catch(() => undefined);
    throw e;
  }
  return client;
}

async function openServer(cfg: AppConfig): Promise<ClickHouseHandle> {
  const { url, user, password, database, cluster } = cfg.clickhouse;
  const common = {
    url: url!,
    username: user,
    password,
    request_timeout: 300_000,
    // Progress headers keep long refreshes alive through proxies and load balancers.
    clickhouse_settings: { ...SETTINGS, send_progress_in_http_headers: 1 as const, http_headers_progress_interval_ms: '20000' },
    log: { level: ClickHouseLogLevel.ERROR },
  };
  const boot = createClient({ ...common, database: 'default', log: { level: ClickHouseLogLevel.OFF } });
  try {
    const ping = await withTimeout(boot.ping(), CONNECT_TIMEOUT_MS, `CLICKHOUSE_URL ${url} does not answer within ${CONNECT_TIMEOUT_MS / 1000} s. Check that the server runs and the URL is right, or unset CLICKHOUSE_URL to use the embedded engine.`);
    if (!ping.success) {
      throw new StartupError(`CLICKHOUSE_URL ${url} does not answer: ${ping.error.message}. Check that the server runs and the URL is right, or unset CLICKHOUSE_URL to use the embedded engine.`);
    }
    const onCluster = cluster ? ` ON CLUSTER ${cluster}` : '';
    await withTimeout(
      boot.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}${onCluster}` }),
      CONNECT_TIMEOUT_MS,
      `CLICKHOUSE_URL ${url} accepted the connection but did not answer a query in time.`,
    );
  } catch (e) {
    if (e instanceof StartupError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new StartupError(`ClickHouse at ${url} refused the connection: ${msg.split('\n')[0]}. Check CLICKHOUSE_USER and CLICKHOUSE_PASSWORD.`);
  } finally {
    await boot.close().catch(() => undefined);
  }
  const client = createClient({ ...common, database });
  const install = client;
  const sibling = async (other: string): Promise<ClickHouseHandle> => {
    const onCluster = cluster ? ` ON CLUSTER ${cluster}` : '';
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${other}${onCluster}` });
    const c = createClient({ ...common, database: other });
    return { client: c, engine: 'server', database: other, cluster, install, sibling, background: async () => c, close: () => c.close() };
  };
  return { client, engine: 'server', database, cluster, install, sibling, background: async () => client, close: () => client.close() };
}

/**
 * Calls `done` after every query, command, insert or exec of the client with its duration and what it ran (the
 * SQL, or `INSERT INTO table` for an insert), whether it succeeded or not. The slow-query log and the bench's
 * per-query profile (tests/bench/profile.ts) are both this.
 */
export function timeQueries(client: ClickHouseClient, done: (ms: number, method: string, sql: string) => void): void {
  const c = client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const m of ['query', 'command', 'insert', 'exec']) {
    const orig = c[m]?.bind(client);
    if (!orig) continue;
    c[m] = async (...a: unknown[]) => {
      const t0 = performance.now();
      try {
        return await orig(...a);
      } finally {
        const arg = a[0] as { query?: string; table?: string };
        done(performance.now() - t0, m, arg.query ?? `INSERT INTO ${arg.table}`);
      }
    };
  }
}

/**
 * CLICKHOUSE_SLOW_MS: every query, command or insert that takes at least that long is logged (its
 * duration and the first 160 characters of its SQL, or the table of an insert). Values travel as
 * parameters or rows, not as SQL text; the only SQL with values written in is the alert rules'
 * (inlineParams: rule settings and campaign config, never a person's data). Off unless set.
 */
function logSlow(client: ClickHouseClient, minMs: number): void {
  const log = new Logger('ClickHouse');
  timeQueries(client, (ms, m, sql) => {
    if (ms >= minMs) log.warn(`slow ${m} ${(ms / 1000).toFixed(1)} s: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
  });
}

export async function openClickHouse(cfg: AppConfig): Promise<ClickHouseHandle> {
  const h = await (cfg.clickhouse.url ? openServer(cfg) : openEmbedded(cfg));
  const slow = Number(process.env.CLICKHOUSE_SLOW_MS);
  if (slow > 0) {
    logSlow(h.client, slow);
    if (h.install !== h.client) logSlow(h.install, slow);
    const background = h.background;
    let logged: Promise<ClickHouseClient> | null = null;
    h.background = () => (logged ??= background().then((c) => (c !== h.client && logSlow(c, slow), c)));
  }
  return h;
}
