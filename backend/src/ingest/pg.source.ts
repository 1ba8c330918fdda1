// The provincial platform's PostgreSQL database as a ledger source.
// Why a streaming `pg` client and not ClickHouse's postgresql() table function:
// it works the same over embedded chDB and a ClickHouse server, needs no
// network path from the ClickHouse server to PostgreSQL, and every row goes
// through the same RowValidator as a file row (one set of rules, one reject
// list), staged and committed by IngestService like a file.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, types as pgTypes, type CustomTypesConfig } from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { faultPoint } from '../common/fault';
import { SCHEMA, type ColumnType, type RecordKind } from '../ledger/ledger.schema';
import { shanghaiWallTime } from './parse/dates';
import type { Batch } from './parse/types';
import { RowValidator, recogniseHeader } from './parse/validate';
import { IngestRepository } from './ingest.repository';
import { IngestService, type FileResult } from './ingest.service';
import { loadPgMapping, PLATFORM_KEY_HEADER, quoteIdent, quoteTable, type KindMapping, type PgMapping } from './pg.mapping';

export const PG_SOURCE = 'postgres';

export interface PgKindResult {
  kind: RecordKind;
  table: string;
  /** Watermark before the pull and after it (unchanged unless the run succeeded). */
  watermarkBefore: string | null;
  watermarkAfter: string | null;
  /** The run as recorded in ingest_runs; runId 0 when ClickHouse itself could not be reached. */
  result: FileResult;
}

export interface PgPullResult {
  /** False when SOURCE_PG_URL is not set (nothing was pulled). */
  configured: boolean;
  /** Every kind's run succeeded. */
  ok: boolean;
  kinds: PgKindResult[];
}

// Dates and times come back as PostgreSQL's text (ISO DateStyle, session
// TimeZone Asia/Shanghai), never as JS Dates: no shift, no lost microseconds.
const TEXT_OIDS = new Set([
  1082, 1083, 1114, 1184, 1266, // date, time, timestamp, timestamptz, timetz
  1182, 1183, 1115, 1185, 1270, // their arrays
]);
const asText = (v: string): string => v;
const TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    TEXT_OIDS.has(oid) ? asText : pgTypes.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

// 2022-07-05 | 2022-07-05 08:30:00[.123456][+08[:00]] as PostgreSQL prints date/timestamp/timestamptz.
const PG_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?)?(?:[+-]\d{2}(?::?\d{2}){0,2})?$/;

/** A PostgreSQL date/time text → the validator's form; anything else (a text column) is left for the validator to judge. */
export function pgTimeCell(s: string, withTime: boolean): string {
  const m = PG_TIME.exec(s);
  if (!m) return s;
  return withTime && m[2] ? `${m[1]} ${m[2]}` : m[1]!;
}

/** One value from pg → the cell string a file would have held. */
export function pgCell(v: unknown, type: ColumnType): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return type === 'date' || type === 'datetime' ? pgTimeCell(v, type === 'datetime') : v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  // text[] (e.g. 困难类别): values joined with ';' as in a file cell.
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map((x) => pgCell(x, type === 'multi' ? 'text' : type)).join(';');
  if (v instanceof Date) return type === 'date' ? shanghaiWallTime(v).slice(0, 10) : shanghaiWallTime(v);
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return JSON.stringify(v);
}

/**
 * The pull query. Incremental by `update_col >= watermark`, not `>`: rows
 * written later with exactly the watermark's time (common when the platform
 * stamps whole seconds, or one transaction updates many rows) are read again
 * instead of lost; rows already loaded are skipped by IngestService's content
 * de-duplication, so re-reading the boundary costs a few duplicates, never a
 * double count. (A (time, key) keyset with `>` would skip a row that later
 * gets the same time and a smaller key.) Rows whose update time is NULL have
 * no place in the order and are read on every pull (and de-duplicated).
 */
export function pullSql(m: KindMapping, fields: string[], hasWatermark: boolean): string {
  const upd = quoteIdent(m.updatedColumn);
  const key = quoteIdent(m.keyColumn);
  const cols = fields.map((f) => `${quoteIdent(m.columns[f]!)} AS ${quoteIdent(f)}`);
  return [
    `SELECT ${key} AS "__key", ${upd} AS "__upd"${cols.length ? `, ${cols.join(', ')}` : ''}`,
    `FROM ${quoteTable(m.table)}`,
    hasWatermark ? `WHERE ${upd} >= $1 OR ${upd} IS NULL` : '',
    `ORDER BY ${upd} ASC NULLS FIRST, ${key} ASC`,
  ].filter(Boolean).join(' ');
}

function errorText(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length) return e.errors.map(errorText).join('; ');
  if (e instanceof Error) return e.message || (e as { code?: string }).code || e.name;
  return String(e);
}

@Injectable()
export class PgSourceService {
  private readonly log = new Logger('PgSource');
  private mappingCache: PgMapping | null = null;
  private inflight: Promise<PgPullResult> | null = null;

  constructor(
    private readonly ingest: IngestService,
    private readonly repo: IngestRepository,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {
    // A bad mapping file stops the start (like any other configuration error), but only when the source is in use.
    if (this.configured) this.mapping();
  }

  get configured(): boolean {
    return !!this.cfg.sourcePgUrl;
  }

  /** The table mapping: SOURCE_PG_MAPPING's file, else the defaults. */
  mapping(): PgMapping {
    const file = this.cfg.sourcePgMapping;
    return (this.mappingCache ??= loadPgMapping(file));
  }

  /**
   * Pulls every kind (ledger → service → help → event), one ingest run each.
   * A kind's watermark moves only when its run succeeded. Concurrent calls
   * share the pull in progress.
   */
  pull(): Promise<PgPullResult> {
    if (!this.configured) return Promise.resolve({ configured: false, ok: true, kinds: [] });
    this.inflight ??= this.pullAll().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async pullAll(): Promise<PgPullResult> {
    const kinds: PgKindResult[] = [];
    for (const m of this.mapping().kinds) kinds.push(await this.pullKind(m));
    return { configured: true, ok: kinds.every((k) => k.result.status === 'succeeded'), kinds };
  }

  private async pullKind(m: KindMapping): Promise<PgKindResult> {
    const label = `${PG_SOURCE}:${m.table}`;
    let before: string | null = null;
    try {
      before = await this.repo.getWatermark(PG_SOURCE, m.kind);
      const seen = { max: null as string | null };
      let gen: AsyncGenerator<Batch, void> | null = null;
      const result = await this.ingest.loadBatches(label, PG_SOURCE, () => (gen = this.read(m, before, seen)));
      // If the load stopped half way, finish the generator so its connection closes.
      await (gen as AsyncGenerator<Batch, void> | null)?.return(undefined).catch(() => undefined);
      let after = before;
      if (result.status === 'succeeded' && seen.max !== null && seen.max !== before) {
        await this.repo.setWatermark(PG_SOURCE, m.kind, seen.max);
        after = seen.max;
      }
      if (result.status !== 'succeeded') this.log.warn(`${label}: ${result.status}: ${result.error ?? ''}; watermark stays ${before ?? '(none)'}`);
      return { kind: m.kind, table: m.table, watermarkBefore: before, watermarkAfter: after, result };
    } catch (e) {
      // ClickHouse itself failed (watermark read or write): nothing to record the run in.
      const error = errorText(e);
      this.log.error(`${label}: ${error}`);
      return {
        kind: m.kind, table: m.table, watermarkBefore: before, watermarkAfter: before,
        result: { file: label, runId: 0, status: 'failed', error, accepted: 0, rejected: 0, warnings: 0, duplicates: 0, inserted: 0, kinds: {}, unknownColumns: [] },
      };
    }
  }

  /**
   * Streams the kind's rows changed since `watermark` through a server-side
   * cursor (one page in memory at a time), inside one REPEATABLE READ
   * read-only transaction so all pages see one snapshot. Any error (server
   * down, bad table/column) is thrown, so IngestService fails the run and
   * discards what it staged.
   */
  private async *read(m: KindMapping, watermark: string | null, seen: { max: string | null }): AsyncGenerator<Batch, void> {
    const schema = SCHEMA[m.kind];
    const fields = schema.map((c) => c.key).filter((k) => m.columns[k] !== undefined);
    const fieldTypes = fields.map((f) => schema.find((c) => c.key === f)!.type);
    const header = recogniseHeader([PLATFORM_KEY_HEADER, ...fields], m.kind);
    if (!header.ok) throw new Error(`SOURCE_PG_MAPPING ${m.kind}: ${header.reason}`);
    const validator = new RowValidator(header.mapping, new Date());
    const keyLabel = m.keyColumn;
    const n = fields.length + 1;
    const pageSize = this.mapping().pageSize;
    const cells = new Array<string>(n).fill('');

    const client = new Client({
      connectionString: this.cfg.sourcePgUrl!,
      types: TYPES,
      connectionTimeoutMillis: 15_000,
      query_timeout: 600_000,
      keepAlive: true,
      application_name: 'jilin-campaign-pull',
    });
    // A connection dropped between queries is reported by the next query; without a listener it would crash the process.
    client.on('error', (e) => this.log.warn(`${m.table}: connection error: ${errorText(e)}`));
    let open = false;
    try {
      await client.connect();
      open = true;
      await client.query(`SET TimeZone = 'Asia/Shanghai'`);
      await client.query(`SET DateStyle = 'ISO, YMD'`);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query({
        text: `DECLARE campaign_pull NO SCROLL CURSOR FOR ${pullSql(m, fields, watermark !== null)}`,
        values: watermark !== null ? [watermark] : [],
      });
      let row = 0;
      for (;;) {
        const page = await client.query<unknown[]>({ text: `FETCH FORWARD ${pageSize} FROM campaign_pull`, rowMode: 'array' });
        for (const r of page.rows) {
          row++;
          const upd = r[1];
          if (upd !== null && upd !== undefined) seen.max = String(upd);
          cells[0] = `${keyLabel}=${pgCell(r[0], 'text')}`;
          for (let i = 0; i < fields.length; i++) cells[i + 1] = pgCell(r[i + 2], fieldTypes[i]!);
          validator.validate(cells, n, row, null);
        }
        if (validator.pending > 0) yield { kind: m.kind, ...validator.takeBatch() };
        await faultPoint('pg.pull');
        if (page.rows.length < pageSize) break;
      }
      await client.query('CLOSE campaign_pull');
      await client.query('COMMIT');
    } catch (e) {
      throw new Error(`PostgreSQL ${m.table}: ${errorText(e)}`, { cause: e });
    } finally {
      if (open) await client.end().catch(() => undefined);
      else client.end().catch(() => undefined);
    }
  }
}
