// SQL of ingestion: runs, per-run staging, the commit into the raw tables
// (deduplicated by content), rejects and watermarks.
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import type { RecordKind } from '../ledger/ledger.schema';
import { CARE_IDENTITY, CARE_NON_CONTENT, CARE_RAW_TABLE, CARE_STAGE_COLUMNS, CARE_STAGE_TABLE } from '../care/care.rows';
import { CARE_KINDS } from '../care/care.schema';

export type RunStatus = 'running' | 'succeeded' | 'rejected' | 'failed';

export interface RunRow {
  run_id: number;
  source: string;
  label: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  rows_read: number;
  accepted: number;
  rejected: number;
  warnings: number;
  duplicates: number;
  error: string;
  detail: string;
}

export interface RejectRow {
  run_id: number;
  file: string;
  sheet: string;
  row: number;
  kind: string;
  reason: string;
  raw_masked: string;
  raw_enc: string;
}

export interface WarningRow {
  run_id: number;
  file: string;
  row: number;
  kind: string;
  warning: string;
}

/** Stage columns per kind, in insert order; `version` and `row_hash` are filled at commit. */
export const STAGE_COLUMNS: Record<RecordKind, readonly string[]> = {
  ledger: [
    'person_key', 'id_masked', 'id_enc', 'name_masked', 'name_enc', 'phone_masked', 'phone_enc', 'gender', 'school', 'major',
    'education', 'graduation_year', 'cohort', 'source', 'received_date', 'county_code', 'assigned_date', 'category', 'hardship',
    'employment_status', 'employment_date', 'updated_at', 'run_id', 'file', 'row',
  ],
  service: [
    'person_key', 'record_id', 'service_time', 'service_type', 'contact_method', 'contact_result', 'county_code', 'staff', 'note',
    'run_id', 'file', 'row',
  ],
  help: ['person_key', 'request_id', 'id_masked', 'id_enc', 'name_masked', 'requested_at', 'county_code', 'first_contact_at', 'run_id', 'file', 'row'],
  centre: ['centre_id', 'name', 'county_code', 'opened_date', 'capacity', 'run_id', 'file', 'row'],
  stay: ['person_key', 'stay_id', 'id_masked', 'id_enc', 'centre_id', 'entered_date', 'allowance', 'exit_date', 'exit_channel', 'run_id', 'file', 'row'],
  post: [
    'post_id', 'region_code', 'unit_code', 'post_source', 'employer', 'title', 'developed_date', 'openings', 'published_date', 'hired', 'run_id', 'file', 'row',
  ],
  grant: [
    'person_key', 'grant_id', 'id_masked', 'id_enc', 'policy', 'amount', 'applied_date', 'granted_date', 'channel', 'county_code', 'employer',
    'run_id', 'file', 'row',
  ],
  event: ['event_id', 'region_code', 'unit_code', 'name', 'event_type', 'mode', 'event_date', 'jobs', 'attendees', 'run_id', 'file', 'row', 'campaign'],
  ...CARE_STAGE_COLUMNS,
};

/** The columns that make two rows "the same content" (provenance excluded). */
const CONTENT_COLUMNS: Record<RecordKind, readonly string[]> = {
  ledger: STAGE_COLUMNS.ledger.filter((c) => !['run_id', 'file', 'row', 'id_masked', 'name_masked', 'phone_masked'].includes(c)),
  service: STAGE_COLUMNS.service.filter((c) => !['run_id', 'file', 'row'].includes(c)),
  help: STAGE_COLUMNS.help.filter((c) => !['run_id', 'file', 'row', 'id_masked'].includes(c)),
  event: STAGE_COLUMNS.event.filter((c) => !['run_id', 'file', 'row'].includes(c)),
  centre: STAGE_COLUMNS.centre.filter((c) => !['run_id', 'file', 'row'].includes(c)),
  stay: STAGE_COLUMNS.stay.filter((c) => !['run_id', 'file', 'row', 'id_masked'].includes(c)),
  post: STAGE_COLUMNS.post.filter((c) => !['run_id', 'file', 'row'].includes(c)),
  grant: STAGE_COLUMNS.grant.filter((c) => !['run_id', 'file', 'row', 'id_masked'].includes(c)),
  ...Object.fromEntries(CARE_KINDS.map((k) => [k, STAGE_COLUMNS[k].filter((c) => !['run_id', 'file', 'row', ...CARE_NON_CONTENT[k]].includes(c))])),
} as unknown as Record<RecordKind, readonly string[]>;

/**
 * Which loaded rows a new row is compared with. A person's ledger rows are
 * versions told apart by 更新时间, so a row equal to any loaded version adds
 * nothing. A service record, help request or event is replaced by its latest
 * load, so a row is new unless it equals the record's current version: a
 * correction back to an earlier content (A, then B, then A again) applies.
 */
function knownHashes(kind: RecordKind, raw: string, idsFrom: string): string {
  const id = IDENTITY[kind];
  if (kind === 'ledger') return `SELECT row_hash FROM ${raw} WHERE ${id} IN (SELECT ${id} FROM ${idsFrom})`;
  return `SELECT argMax(row_hash, version) FROM ${raw} WHERE ${id} IN (SELECT ${id} FROM ${idsFrom}) GROUP BY ${id}`;
}

/**
 * INSERT … SELECT of staged rows into `target` with their version and content
 * hash, keeping the first of equal rows (`order` decides which is first) and
 * leaving out rows whose hash is in `known` (a query of row hashes, or null
 * for none). Callers may append `AND …` conditions.
 */
function dedupedInsert(kind: RecordKind, target: string, from: string, order: string, known: string | null, hashed = false): string {
  const cols = STAGE_COLUMNS[kind].join(', ');
  const h = hashed ? '' : `, cityHash64(tuple(${CONTENT_COLUMNS[kind].join(', ')})) AS h`;
  return `INSERT INTO ${target} (${cols}, version, row_hash)
        SELECT ${cols}, run_id * 4294967296 + row AS version, h AS row_hash
        FROM (
          SELECT *${h}
          FROM ${from}
          ${order} LIMIT 1 BY h
        )
        WHERE ${known === null ? '1' : `h NOT IN (${known})`}`;
}

/** The identity column whose rows can be duplicates of each other (narrows the duplicate lookup). */
const IDENTITY: Record<RecordKind, string> = {
  ledger: 'person_key',
  service: 'record_id',
  help: 'request_id',
  event: 'event_id',
  centre: 'centre_id',
  stay: 'stay_id',
  post: 'post_id',
  grant: 'grant_id',
  ...CARE_IDENTITY,
};

export const RAW_TABLE: Record<RecordKind, string> = {
  ledger: 'ledger_raw',
  service: 'service_raw',
  help: 'help_raw',
  event: 'event_raw',
  centre: 'centre_raw',
  stay: 'stay_raw',
  post: 'post_raw',
  grant: 'grant_raw',
  ...CARE_RAW_TABLE,
};

/** Per-run hidden stage tables of the embedded engine: run_stage_<run>_<kind>. */
const RUN_STAGE_PREFIX = 'run_stage_';

const STAGE_TABLE: Record<RecordKind, string> = {
  ledger: 'stage_ledger',
  service: 'stage_service',
  help: 'stage_help',
  event: 'stage_event',
  centre: 'stage_centre',
  stay: 'stage_stay',
  post: 'stage_post',
  grant: 'stage_grant',
  ...CARE_STAGE_TABLE,
};

@Injectable()
export class IngestRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  async nextRunId(): Promise<number> {
    const rs = await this.ch.client.query({ query: 'SELECT max(run_id) AS m FROM ingest_runs', format: 'JSONEachRow' });
    const [row] = await rs.json<{ m: number }>();
    return Number(row?.m ?? 0) + 1;
  }

  async saveRun(run: RunRow): Promise<void> {
    await this.ch.client.insert({ table: 'ingest_runs', values: [run], format: 'JSONEachRow' });
  }

  async listRuns(limit: number, offset: number, source?: string): Promise<RunRow[]> {
    const rs = await this.ch.client.query({
      query: `SELECT run_id, source, label, status, toString(started_at) AS started_at, toString(finished_at) AS finished_at,
                rows_read, accepted, rejected, warnings, duplicates, error, detail
              FROM ingest_runs FINAL
              WHERE {source:String} = '' OR source = {source:String}
              ORDER BY run_id DESC LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
      query_params: { source: source ?? '', limit, offset },
      format: 'JSONEachRow',
    });
    return rs.json<RunRow>();
  }

  async getRun(runId: number): Promise<RunRow | null> {
    const rs = await this.ch.client.query({
      query: `SELECT run_id, source, label, status, toString(started_at) AS started_at, toString(finished_at) AS finished_at,
                rows_read, accepted, rejected, warnings, duplicates, error, detail
              FROM ingest_runs FINAL WHERE run_id = {run:UInt64}`,
      query_params: { run: runId },
      format: 'JSONEachRow',
    });
    const [row] = await rs.json<RunRow>();
    return row ?? null;
  }

  /** Runs left "running" by a process that died: marked failed so the screen says so. */
  async abandonedRuns(): Promise<RunRow[]> {
    const rs = await this.ch.client.query({
      query: `SELECT run_id, source, label, status, toString(started_at) AS started_at, toString(finished_at) AS finished_at,
                rows_read, accepted, rejected, warnings, duplicates, error, detail
              FROM ingest_runs FINAL WHERE status = 'running'`,
      format: 'JSONEachRow',
    });
    return rs.json<RunRow>();
  }

  async fileLoaded(contentHash: string): Promise<number | null> {
    const rs = await this.ch.client.query({
      query: 'SELECT run_id FROM ingest_files FINAL WHERE content_hash = {h:String} LIMIT 1',
      query_params: { h: contentHash },
      format: 'JSONEachRow',
    });
    const [row] = await rs.json<{ run_id: number }>();
    return row ? Number(row.run_id) : null;
  }

  async recordFile(contentHash: string, file: string, runId: number): Promise<void> {
    await this.ch.client.insert({
      table: 'ingest_files',
      values: [{ content_hash: contentHash, file, run_id: runId, loaded_at: new Date().toISOString() }],
      format: 'JSONEachRow',
    });
  }

  /** Writes one batch of TSV lines into the run's staging partition (invisible to metrics). */
  async stage(kind: RecordKind, tsv: string): Promise<void> {
    if (!tsv) return;
    await this.ch.client.insert({
      table: STAGE_TABLE[kind],
      values: Readable.from([Buffer.from(tsv)], { objectMode: false }),
      format: 'TabSeparated',
      columns: [...STAGE_COLUMNS[kind]] as [string, ...string[]],
    });
  }

  /**
   * Moves the run's staged rows into the raw table in one INSERT ... SELECT,
   * skipping rows whose content is already there (or earlier in the run), and
   * returns how many were new.
   */
  async commit(kind: RecordKind, runId: number): Promise<{ staged: number; inserted: number }> {
    const stage = STAGE_TABLE[kind];
    const raw = RAW_TABLE[kind];
    const params = { run: runId };
    const staged = await this.count(`SELECT count() AS n FROM ${stage} WHERE run_id = {run:UInt64}`, params);
    if (staged === 0) return { staged: 0, inserted: 0 };
    await this.ch.client.command({
      query: dedupedInsert(kind, raw, `${stage} WHERE run_id = {run:UInt64}`, 'ORDER BY row', knownHashes(kind, raw, `${stage} WHERE run_id = {run:UInt64}`)),
      query_params: params,
      clickhouse_settings: { max_insert_threads: '2' },
    });
    const inserted = await this.count(`SELECT count() AS n FROM ${raw} WHERE run_id = {run:UInt64}`, params);
    return { staged, inserted };
  }

  /** The embedded engine can read staged rows from a local file, which is several times faster than inserting them. */
  get stagesToFiles(): boolean {
    return this.ch.engine === 'embedded';
  }

  private structures = new Map<RecordKind, string>();

  /** `name Type, …` of a kind's staged columns, for file(). */
  private async structure(kind: RecordKind): Promise<string> {
    let s = this.structures.get(kind);
    if (!s) {
      const rs = await this.ch.client.query({
        query: 'SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {t:String}',
        query_params: { t: RAW_TABLE[kind] },
        format: 'JSONEachRow',
      });
      const types = new Map((await rs.json<{ name: string; type: string }>()).map((c) => [c.name, c.type]));
      s = STAGE_COLUMNS[kind].map((c) => `${c} ${types.get(c)!}`).join(', ');
      this.structures.set(kind, s);
    }
    return s;
  }

  /** The hidden table a run's rows of one kind wait in: the raw table's twin, so its parts can be attached whole. */
  static runStageTable(kind: RecordKind, runId: number): string {
    return `${RUN_STAGE_PREFIX}${runId}_${kind}`;
  }

  async createRunStage(kind: RecordKind, runId: number): Promise<void> {
    const t = IngestRepository.runStageTable(kind, runId);
    await this.ch.client.command({ query: `DROP TABLE IF EXISTS ${t} SYNC` });
    await this.ch.client.command({ query: `CREATE TABLE ${t} AS ${RAW_TABLE[kind]}` });
  }

  /** The scratch table one chunk of a run's rows waits in, with its content hash, while it is checked. */
  static runChunkTable(kind: RecordKind, runId: number): string {
    return `${IngestRepository.runStageTable(kind, runId)}_chunk`;
  }

  /**
   * Moves one chunk of a run's accepted rows (a TabSeparated file) into the
   * run's hidden stage table, leaving out rows whose content is already
   * loaded or already staged earlier in the run. Nothing becomes visible
   * here: that is attachRunStage(), once the whole file has been read. Runs
   * while the next chunk is being parsed.
   *
   * Its cost depends on the chunk, not on what is loaded: the chunk is read
   * once into a scratch table with its content hashes, and the stage and the
   * raw table are only asked which of *those* hashes they hold (a pass over
   * their 8-byte hash column against a set of at most one chunk), never for a
   * set of everything they hold. Only when some hash of the chunk is already
   * in the raw table (a re-delivery or a correction) are the versions of those
   * few records compared, to tell the current one from an older one.
   */
  async stageChunk(kind: RecordKind, runId: number, file: string): Promise<void> {
    const stage = IngestRepository.runStageTable(kind, runId);
    const chunk = IngestRepository.runChunkTable(kind, runId);
    const raw = RAW_TABLE[kind];
    const id = IDENTITY[kind];
    const structure = await this.structure(kind);
    // One reading thread keeps the file's order, so LIMIT 1 BY keeps each row's first occurrence
    // without a sort; smaller insert blocks keep the engine's memory flat on big files.
    const settings = { max_threads: 1, max_insert_threads: '1', max_block_size: '16384', min_insert_block_size_rows: '65536', min_insert_block_size_bytes: '0' };
    await this.ch.client.command({ query: `CREATE TABLE IF NOT EXISTS ${chunk} (${structure}, h UInt64) ENGINE = Memory` });
    await this.ch.client.command({ query: `TRUNCATE TABLE ${chunk}` });
    await this.ch.client.command({
      query: `INSERT INTO ${chunk} SELECT *, cityHash64(tuple(${CONTENT_COLUMNS[kind].join(', ')})) AS h
              FROM file({f:String}, 'TabSeparated', {structure:String})`,
      query_params: { f: file, structure },
      clickhouse_settings: settings,
    });
    const inChunk = `SELECT h FROM ${chunk}`;
    const loaded = `SELECT row_hash FROM ${raw} WHERE row_hash IN (${inChunk})`;
    let known: string | null;
    if (kind === 'ledger') {
      // A person's versions: equal to any loaded one (the hash covers person_key) adds nothing.
      known = loaded;
    } else {
      // A record's latest load wins, so a row equal to an *older* version of its record is a correction that applies.
      const seen = await this.count(`SELECT count() AS n FROM (${loaded})`, {});
      known = seen === 0 ? null
        : `SELECT argMax(row_hash, version) FROM ${raw} WHERE ${id} IN (SELECT ${id} FROM ${raw} WHERE row_hash IN (${inChunk})) GROUP BY ${id}`;
    }
    await this.ch.client.command({
      query: `${dedupedInsert(kind, stage, chunk, '', known, true)}
          AND h NOT IN (SELECT row_hash FROM ${stage} WHERE row_hash IN (${inChunk}))`,
      clickhouse_settings: settings,
    });
    await this.ch.client.command({ query: `TRUNCATE TABLE ${chunk}` });
    // The engine's allocator keeps freed pages for seconds; a big load would otherwise hold them all.
    await this.ch.client.command({ query: 'SYSTEM JEMALLOC PURGE' }).catch(() => undefined);
  }

  /**
   * Makes a run's staged rows of one kind visible in one step: the stage
   * table's parts are attached to the raw table (no copy), then the stage
   * table is dropped. Returns how many rows were added.
   */
  async attachRunStage(kind: RecordKind, runId: number): Promise<number> {
    const stage = IngestRepository.runStageTable(kind, runId);
    const rows = await this.count(`SELECT count() AS n FROM ${stage}`, {});
    if (rows > 0) {
      const rs = await this.ch.client.query({
        query: `SELECT DISTINCT partition_id AS p FROM system.parts WHERE database = currentDatabase() AND table = {t:String} AND active`,
        query_params: { t: stage },
        format: 'JSONEachRow',
      });
      for (const { p } of await rs.json<{ p: string }>()) {
        await this.ch.client.command({ query: `ALTER TABLE ${RAW_TABLE[kind]} ATTACH PARTITION ID {p:String} FROM ${stage}`, query_params: { p } });
      }
    }
    await this.ch.client.command({ query: `DROP TABLE IF EXISTS ${stage} SYNC` });
    await this.ch.client.command({ query: `DROP TABLE IF EXISTS ${IngestRepository.runChunkTable(kind, runId)} SYNC` });
    return rows;
  }

  /** Drops the hidden stage tables of one run, or of every run (recovery after a crash). */
  async dropRunStages(runId?: number): Promise<void> {
    const rs = await this.ch.client.query({
      query: `SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, {prefix:String})`,
      query_params: { prefix: runId === undefined ? RUN_STAGE_PREFIX : `${RUN_STAGE_PREFIX}${runId}_` },
      format: 'JSONEachRow',
    });
    for (const { name } of await rs.json<{ name: string }>()) {
      await this.ch.client.command({ query: `DROP TABLE IF EXISTS ${name} SYNC` });
    }
  }

  async dropStage(runId: number): Promise<void> {
    for (const t of Object.values(STAGE_TABLE)) {
      await this.ch.client.command({ query: `ALTER TABLE ${t} DROP PARTITION {run:UInt64}`, query_params: { run: runId } });
    }
  }

  /** Leftover staging partitions of runs that never committed (a crash mid-load). */
  async dropAllStages(): Promise<void> {
    for (const t of Object.values(STAGE_TABLE)) await this.ch.client.command({ query: `TRUNCATE TABLE ${t}` });
    await this.dropRunStages();
  }

  /** Removes whatever a run wrote into the raw tables (a commit that failed half way). */
  async deleteRunRows(runId: number): Promise<void> {
    for (const t of Object.values(RAW_TABLE)) {
      await this.ch.client.command({
        query: `DELETE FROM ${t} WHERE run_id = {run:UInt64}`,
        query_params: { run: runId },
      });
    }
  }

  /**
   * Forgets what an interrupted run recorded besides its rows: its file record (else the file, loaded
   * again, would count as already loaded and stage nothing), and its rejects and warnings (the
   * re-load reports them again under its own run).
   */
  async forgetRun(runId: number): Promise<void> {
    for (const t of ['ingest_files', 'ingest_rejects', 'ingest_warnings']) {
      await this.ch.client.command({ query: `DELETE FROM ${t} WHERE run_id = {run:UInt64}`, query_params: { run: runId } });
    }
  }

  async saveRejects(rows: RejectRow[]): Promise<void> {
    if (rows.length) await this.ch.client.insert({ table: 'ingest_rejects', values: rows, format: 'JSONEachRow' });
  }

  async saveWarnings(rows: WarningRow[]): Promise<void> {
    if (rows.length) await this.ch.client.insert({ table: 'ingest_warnings', values: rows, format: 'JSONEachRow' });
  }

  /**
   * Rejected rows, newest run first. Outside the province scope a row is
   * shown only when it names one of the caller's county codes.
   */
  async listRejects(
    runId: number | null,
    limit: number,
    offset: number,
    scope: { scopeAll: number; scopeCounties: string[] } = { scopeAll: 1, scopeCounties: [] },
  ): Promise<{ total: number; rows: RejectRow[] }> {
    const where = `${runId === null ? '1' : 'run_id = {run:UInt64}'}
      AND ({scopeAll:UInt8} = 1 OR multiSearchAny(raw_masked, {scopeCounties:Array(String)}))`;
    const params = { run: runId ?? 0, limit, offset, ...scope };
    const total = await this.count(`SELECT count() AS n FROM ingest_rejects WHERE ${where}`, params);
    const rs = await this.ch.client.query({
      query: `SELECT run_id, file, sheet, row, kind, reason, raw_masked, '' AS raw_enc FROM ingest_rejects WHERE ${where}
              ORDER BY run_id DESC, file, sheet, row LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
      query_params: params,
      format: 'JSONEachRow',
    });
    return { total, rows: await rs.json<RejectRow>() };
  }

  async getWatermark(source: string, kind: string): Promise<string | null> {
    const rs = await this.ch.client.query({
      query: 'SELECT argMax(watermark, updated_at) AS w, count() AS n FROM source_watermarks WHERE source = {s:String} AND kind = {k:String}',
      query_params: { s: source, k: kind },
      format: 'JSONEachRow',
    });
    const [row] = await rs.json<{ w: string; n: number }>();
    return row && Number(row.n) > 0 ? row.w : null;
  }

  async setWatermark(source: string, kind: string, watermark: string): Promise<void> {
    await this.ch.client.insert({ table: 'source_watermarks', values: [{ source, kind, watermark }], format: 'JSONEachRow' });
  }

  /** Latest ledger time (更新时间, 服务时间 …) present in the raw tables: the "data as of" stamp. */
  async latestLedgerTime(): Promise<string | null> {
    const rs = await this.ch.client.query({
      query: `SELECT toString(greatest(
                (SELECT max(updated_at) FROM ledger_raw),
                (SELECT max(service_time) FROM service_raw),
                (SELECT max(requested_at) FROM help_raw))) AS t,
              (SELECT count() FROM ledger_raw) AS n`,
      format: 'JSONEachRow',
    });
    const [row] = await rs.json<{ t: string; n: number }>();
    return row && Number(row.n) > 0 ? row.t : null;
  }

  async rawCounts(): Promise<Record<RecordKind, number>> {
    const rs = await this.ch.client.query({
      query: `SELECT (SELECT count() FROM ledger_raw) AS ledger, (SELECT count() FROM service_raw) AS service,
                     (SELECT count() FROM help_raw) AS help, (SELECT count() FROM event_raw) AS event`,
      format: 'JSONEachRow',
    });
    const [row] = await rs.json<Record<RecordKind, number>>();
    return row!;
  }

  private async count(query: string, params: Record<string, unknown>): Promise<number> {
    const rs = await this.ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
    const [row] = await rs.json<{ n: number }>();
    return Number(row?.n ?? 0);
  }
}
