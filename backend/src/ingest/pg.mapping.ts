// Where the four record kinds live in the provincial platform's PostgreSQL
// database: per kind a table, the platform column behind each of our field
// keys (SCHEMA), the update-time column that drives incremental pulls, and a
// stable key. The defaults below can be overridden by a JSON file named in
// SOURCE_PG_MAPPING (docs/ingestion-postgres.md). Every name is validated
// here and only ever reaches SQL through pg's escapeIdentifier.
import * as fs from 'node:fs';
import { escapeIdentifier } from 'pg';
import { ConfigError } from '../config/config';
import { SCHEMA, type RecordKind } from '../ledger/ledger.schema';
import { MEASURE_KINDS } from '../ledger/measures.schema';
import { recogniseHeader } from './parse/validate';
import { CARE_IDENTITY } from '../care/care.rows';
import { CARE_KINDS } from '../care/care.schema';

/** Pull order: persons first, so services and help requests meet their person in the same pull. */

export const PG_KINDS: readonly RecordKind[] = ['ledger', 'service', 'help', 'event', ...MEASURE_KINDS, ...CARE_KINDS];

/**
 * Kinds added after the platform's first tables: pulled only when SOURCE_PG_MAPPING names them
 * (`"plan": {}` takes the default table and columns), so a platform without such a table keeps pulling.
 */
const OPT_IN_KINDS: ReadonlySet<RecordKind> = new Set<RecordKind>([...MEASURE_KINDS, ...CARE_KINDS]);

/** Rows fetched from PostgreSQL per page (and per batch handed to ingestion). */
export const DEFAULT_PAGE_SIZE = 10_000;

/** Header of the extra cell carrying the platform key (an unknown column to the validator). */
export const PLATFORM_KEY_HEADER = '__platform_key';

/** The field whose column is the default stable key of each kind. */
const IDENTITY_FIELD: Record<RecordKind, string> = {
  ledger: 'id_number',
  service: 'record_id',
  help: 'request_id',
  event: 'event_id',
  centre: 'centre_id',
  stay: 'stay_id',
  post: 'post_id',
  grant: 'grant_id',
  ...CARE_IDENTITY,
};

const DEFAULT_TABLE: Record<RecordKind, string> = {
  ledger: 'ledger_persons',
  service: 'ledger_services',
  help: 'ledger_help_requests',
  event: 'ledger_events',
  centre: 'ledger_training_centres',
  stay: 'ledger_centre_stays',
  post: 'ledger_job_posts',
  grant: 'ledger_policy_grants',
  plan: 'ledger_help_plans',
  rights: 'ledger_rights_cases',
  publicity: 'ledger_publications',
  story: 'ledger_stories',
};

export interface KindMapping {
  kind: RecordKind;
  /** As configured, e.g. `ledger_persons` or `platform.ledger_persons`; also the run label. */
  table: string;
  /** Our field key (SCHEMA key) → platform column; fields the platform lacks are absent. */
  columns: Record<string, string>;
  /** Update-time column: rows with a value ≥ the watermark are pulled. */
  updatedColumn: string;
  /** Stable key column: orders rows that share an update time, and identifies a rejected row to the clerk. */
  keyColumn: string;
}

export interface PgMapping {
  pageSize: number;
  /** In pull order; a kind set to null in the file is not pulled. */
  kinds: KindMapping[];
}

function defaultKind(kind: RecordKind): KindMapping {
  const columns: Record<string, string> = {};
  // A column added to a kind later is mapped only when named: the platform's table may predate it.
  for (const c of SCHEMA[kind]) if (!c.later) columns[c.key] = c.key;
  return { kind, table: DEFAULT_TABLE[kind], columns, updatedColumn: 'updated_at', keyColumn: IDENTITY_FIELD[kind] };
}

export const DEFAULT_PG_MAPPING: PgMapping = Object.freeze({
  pageSize: DEFAULT_PAGE_SIZE,
  kinds: PG_KINDS.filter((k) => !OPT_IN_KINDS.has(k)).map(defaultKind),
});

// PostgreSQL truncates identifiers to NAMEDATALEN-1 = 63 bytes; a longer name would silently name another column.
const MAX_IDENT_BYTES = 63;

function checkIdent(name: unknown, what: string): string {
  if (typeof name !== 'string' || name.trim() === '') throw new ConfigError(`${what} must be a non-empty name`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new ConfigError(`${what} "${name}" contains a control character`);
  if (name !== name.trim()) throw new ConfigError(`${what} "${name}" has leading or trailing blanks`);
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENT_BYTES) throw new ConfigError(`${what} "${name}" is longer than ${MAX_IDENT_BYTES} bytes`);
  return name;
}

function checkTable(name: unknown, what: string): string {
  if (typeof name !== 'string') throw new ConfigError(`${what} must be a table name ("table" or "schema.table")`);
  const parts = name.split('.');
  if (parts.length > 2) throw new ConfigError(`${what} "${name}" must be "table" or "schema.table"`);
  parts.forEach((p) => checkIdent(p, what));
  return name;
}

/** A column name as SQL: exactly as written (quoted, so case-sensitive). */
export function quoteIdent(name: string): string {
  return escapeIdentifier(name);
}

/** A table name as SQL: `"schema"."table"` or `"table"`. */
export function quoteTable(name: string): string {
  return name.split('.').map((p) => escapeIdentifier(p)).join('.');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const KIND_KEYS = new Set(['table', 'columns', 'updatedColumn', 'keyColumn']);

function overrideKind(kind: RecordKind, raw: unknown, origin: string): KindMapping {
  const where = `${origin}: ${kind}`;
  if (!isObject(raw)) throw new ConfigError(`${where} must be an object (or null to skip the kind)`);
  for (const k of Object.keys(raw)) {
    if (!KIND_KEYS.has(k)) throw new ConfigError(`${where}: unknown setting "${k}" (allowed: ${[...KIND_KEYS].join(', ')})`);
  }
  const m = defaultKind(kind);
  if (raw.table !== undefined) m.table = checkTable(raw.table, `${where}.table`);
  if (raw.columns !== undefined) {
    if (!isObject(raw.columns)) throw new ConfigError(`${where}.columns must be an object from field key to column name`);
    const fields = new Set(SCHEMA[kind].map((c) => c.key));
    for (const [field, col] of Object.entries(raw.columns)) {
      if (!fields.has(field)) throw new ConfigError(`${where}.columns: unknown field "${field}" (fields: ${[...fields].join(', ')})`);
      // null: the platform has no such column; the field stays empty.
      if (col === null) delete m.columns[field];
      else m.columns[field] = checkIdent(col, `${where}.columns.${field}`);
    }
  }
  // The key follows the identity field's column unless named.
  m.keyColumn = raw.keyColumn !== undefined ? checkIdent(raw.keyColumn, `${where}.keyColumn`) : (m.columns[IDENTITY_FIELD[kind]] ?? '');
  if (m.keyColumn === '') throw new ConfigError(`${where}: keyColumn is required when columns.${IDENTITY_FIELD[kind]} is null`);
  if (raw.updatedColumn !== undefined) m.updatedColumn = checkIdent(raw.updatedColumn, `${where}.updatedColumn`);
  return m;
}

/** Checks that the mapped fields cover the kind's required fields, with the same rule the file parser applies. */
function checkCoverage(m: KindMapping, origin: string): void {
  const h = recogniseHeader([PLATFORM_KEY_HEADER, ...Object.keys(m.columns)], m.kind);
  if (!h.ok) throw new ConfigError(`${origin}: ${m.kind}: ${h.reason}`);
}

/** Builds a mapping from the parsed JSON of a SOURCE_PG_MAPPING file (unnamed kinds keep their defaults). */
export function parsePgMapping(json: unknown, origin = 'SOURCE_PG_MAPPING'): PgMapping {
  if (!isObject(json)) throw new ConfigError(`${origin} must hold a JSON object with the kinds ${PG_KINDS.join(', ')}`);
  for (const k of Object.keys(json)) {
    if (k !== 'pageSize' && !(PG_KINDS as readonly string[]).includes(k)) {
      throw new ConfigError(`${origin}: unknown key "${k}" (allowed: ${PG_KINDS.join(', ')}, pageSize)`);
    }
  }
  let pageSize = DEFAULT_PAGE_SIZE;
  if (json.pageSize !== undefined) {
    if (typeof json.pageSize !== 'number' || !Number.isInteger(json.pageSize) || json.pageSize < 1 || json.pageSize > 1_000_000) {
      throw new ConfigError(`${origin}: pageSize must be a whole number between 1 and 1000000`);
    }
    pageSize = json.pageSize;
  }
  const kinds: KindMapping[] = [];
  for (const kind of PG_KINDS) {
    const raw = json[kind];
    if (raw === null || (raw === undefined && OPT_IN_KINDS.has(kind))) continue;
    const m = raw === undefined ? defaultKind(kind) : overrideKind(kind, raw, origin);
    checkCoverage(m, origin);
    kinds.push(m);
  }
  return { pageSize, kinds };
}

/** The default mapping, or the one in `file` (SOURCE_PG_MAPPING). Throws ConfigError with a readable reason. */
export function loadPgMapping(file?: string | null): PgMapping {
  if (!file) return DEFAULT_PG_MAPPING;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`SOURCE_PG_MAPPING ${file} cannot be read: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(`SOURCE_PG_MAPPING ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parsePgMapping(json, `SOURCE_PG_MAPPING ${file}`);
}
