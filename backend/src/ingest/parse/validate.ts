// Header recognition and per-row validation, shared by the CSV and XLSX
// readers. Everything a row needs is precomputed once per header (column
// positions, allowed-value maps, the "future" threshold), so the per-row path
// is char-code checks, map lookups and one object literal per record.

import {
  SCHEMA, KIND_LABELS, type ColumnSpec, type RecordKind, type RecordOfKind,
} from '../../ledger/ledger.schema';
import { checkIdNumber } from '../../ledger/id-number';
import { MEASURE_CROSS_CHECKS, MEASURE_KINDS } from '../../ledger/measures.schema';
import { checkMoney } from '../../measures/measures.money';
import { CARE_BUILD, CARE_KINDS, CARE_ROW_RULES } from '../../care/care.schema';
import { detached } from '../../common/strings';
import { checkCountyCode, checkCountyLevelCode, checkUnitOrCountyCode, type CountyCodeCheck } from '../../regions/regions.data';
import { normDate, BAD_DATE, shanghaiWallTime } from './dates';
import type { ParsedRow, RejectedRow } from './types';

const KINDS: readonly RecordKind[] = ['ledger', 'service', 'help', 'event', ...MEASURE_KINDS, ...CARE_KINDS];

// ---------------------------------------------------------------------------
// Header recognition

/** Header text → column index, per kind; Chinese headers and (case-insensitive) English keys. */
const NAME_INDEX: Record<RecordKind, Map<string, number>> = {
  ledger: new Map(), service: new Map(), help: new Map(), event: new Map(),
  centre: new Map(), stay: new Map(), post: new Map(), grant: new Map(),
  plan: new Map(), rights: new Map(), publicity: new Map(), story: new Map(),
};
const NAME_KINDS = new Map<string, Set<RecordKind>>();
for (const kind of KINDS) {
  SCHEMA[kind].forEach((c, i) => {
    for (const name of [c.header, c.key.toLowerCase()]) {
      NAME_INDEX[kind].set(name, i);
      let s = NAME_KINDS.get(name);
      if (!s) NAME_KINDS.set(name, (s = new Set()));
      s.add(kind);
    }
  });
}

export function normHeader(cell: string): string {
  let s = cell.trim();
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1).trim();
  return s.toLowerCase();
}

export interface HeaderMapping {
  kind: RecordKind;
  /** Per schema column (schema order): the cell index holding it, or -1. */
  colIndex: number[];
  /** Header texts in the file that name no column of the kind (and repeated columns). */
  unknownColumns: string[];
}

export type HeaderResult =
  | { ok: true; mapping: HeaderMapping }
  | { ok: false; reason: string; kind: RecordKind | null; unknownColumns: string[] };

function shorten(headers: string[]): string {
  const s = headers.filter((h) => h.trim() !== '').join('，');
  return s.length > 120 ? `${s.slice(0, 120)}…` : s;
}

/**
 * Recognises the kind from a header row (unless `forced`, e.g. by a sheet
 * name) and maps its columns. The kind is the one whose required columns are
 * best covered, among the kinds at least one of whose own columns appears
 * (身份证号 or 县区代码 alone say nothing); more matched columns break a tie.
 */
export function recogniseHeader(cells: string[], forced?: RecordKind): HeaderResult {
  const names = cells.map(normHeader);
  let kind: RecordKind | undefined = forced;
  if (!kind) {
    type Score = { kind: RecordKind; req: number; matched: number };
    const scores: Score[] = [];
    for (const k of KINDS) {
      const idx = NAME_INDEX[k];
      const seen = new Set<number>();
      let distinctive = false;
      for (const n of names) {
        const ci = idx.get(n);
        if (ci === undefined) continue;
        seen.add(ci);
        if (NAME_KINDS.get(n)!.size === 1) distinctive = true;
      }
      if (!distinctive) continue;
      const required = SCHEMA[k].filter((c) => c.required);
      const covered = required.filter((c) => seen.has(SCHEMA[k].indexOf(c))).length;
      scores.push({ kind: k, req: covered / required.length, matched: seen.size });
    }
    scores.sort((a, b) => b.req - a.req || b.matched - a.matched);
    const best = scores[0];
    if (!best) {
      const tab = cells.length === 1 && /[\t，]/.test(cells[0] ?? '');
      return {
        ok: false, kind: null, unknownColumns: [],
        reason: `无法识别的表头：${shorten(cells)}${tab ? '（列之间应以英文逗号分隔 comma-separated）' : ''}`,
      };
    }
    const second = scores[1];
    if (second && second.req === best.req && second.matched === best.matched) {
      return {
        ok: false, kind: null, unknownColumns: [],
        reason: `无法识别的表头：${shorten(cells)}（同时符合${KIND_LABELS[best.kind]}和${KIND_LABELS[second.kind]}）`,
      };
    }
    kind = best.kind;
  }
  const schema = SCHEMA[kind];
  const idx = NAME_INDEX[kind];
  const colIndex = schema.map(() => -1);
  const unknownColumns: string[] = [];
  names.forEach((n, i) => {
    if (n === '') return;
    const ci = idx.get(n);
    if (ci === undefined || colIndex[ci] !== -1) unknownColumns.push(cells[i]!.trim());
    else colIndex[ci] = i;
  });
  const missing = schema.filter((c, i) => c.required && colIndex[i] === -1).map((c) => c.header);
  if (missing.length > 0) {
    return { ok: false, kind, unknownColumns, reason: `缺少必填列 ${missing.join('、')}` };
  }
  return { ok: true, mapping: { kind, colIndex, unknownColumns } };
}

// ---------------------------------------------------------------------------
// Row validation

const T_ID = 0, T_TEXT = 1, T_ENUM = 2, T_INT = 3, T_DATE = 4, T_DATETIME = 5, T_REGION = 6, T_UNIT = 7, T_MULTI = 8;
const T_MONEY = 9, T_COUNTY = 10;
const TYPE_CODE: Record<ColumnSpec['type'], number> = {
  id: T_ID, text: T_TEXT, enum: T_ENUM, int: T_INT, date: T_DATE, datetime: T_DATETIME,
  region: T_REGION, unitOrRegion: T_UNIT, multi: T_MULTI,
  money: T_MONEY, county: T_COUNTY,
};

interface Col {
  label: string;
  t: number;
  required: boolean;
  /** Cell index in the row, -1 when the column is absent. */
  index: number;
  /** Allowed values by (length, first char): a number-keyed lookup, no hashing of the cell text. */
  allowed: Map<number, string[]> | null;
  values: readonly string[];
  min: number;
  max: number;
  /** A date that may lie ahead (a deadline). */
  future: boolean;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Accepts exactly what checkIdNumber accepts on its common path, without allocating; null = ask checkIdNumber. */
function fastId(s: string): string | null {
  if (s.length !== 18) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    sum += c * WEIGHTS[i]!;
  }
  const y = (s.charCodeAt(6) - 48) * 1000 + (s.charCodeAt(7) - 48) * 100 + (s.charCodeAt(8) - 48) * 10 + (s.charCodeAt(9) - 48);
  const m = (s.charCodeAt(10) - 48) * 10 + (s.charCodeAt(11) - 48);
  const d = (s.charCodeAt(12) - 48) * 10 + (s.charCodeAt(13) - 48);
  if (y < 1900 || m < 1 || m > 12 || d < 1) return null;
  const dim = m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : DAYS[m]!;
  if (d > dim) return null;
  let last = s.charCodeAt(17);
  const lower = last === 120;
  if (lower) last = 88;
  if (last !== CHECK.charCodeAt(sum % 11)) return null;
  return lower ? `${s.slice(0, 17)}X` : s;
}

const enumKey = (s: string): number => s.length * 65536 + s.charCodeAt(0);

function enumIndex(values: readonly string[]): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const v of values) {
    const k = enumKey(v);
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  }
  return m;
}

/** The schema's own string for an allowed value, or undefined. */
function enumValue(col: Col, s: string): string | undefined {
  if (s.length > 1000) return undefined;
  const list = col.allowed!.get(enumKey(s));
  if (list === undefined) return undefined;
  for (let i = 0; i < list.length; i++) if (list[i] === s) return list[i];
  return undefined;
}

function isBlankCode(c: number): boolean {
  return c <= 32 || c === 0xa0 || c === 0x3000 || c === 0xfeff;
}

const MULTI_SEPS = /[;；、,]/;

/**
 * Shared by every row without warnings (saves an allocation per row); frozen,
 * so a consumer that wants to add warnings must copy.
 */
const NO_WARNINGS = Object.freeze([]) as unknown as string[];

/** Successful region checks by raw code (bounded by the ~85 valid codes); the cached code string is shared. */
const COUNTY_OK = new Map<string, CountyCodeCheck>();
const UNIT_OK = new Map<string, CountyCodeCheck>();
const COUNTY_LEVEL_OK = new Map<string, CountyCodeCheck>();

type Builder = (v: unknown[]) => RecordOfKind[RecordKind];
const str = (x: unknown): string => x as string;
const strN = (x: unknown): string | null => x as string | null;
const intN = (x: unknown): number | null => x as number | null;
const BUILD: Record<RecordKind, Builder> = {
  ledger: (v) => ({
    id_number: str(v[0]), name: str(v[1]), gender: strN(v[2]), phone: strN(v[3]), school: strN(v[4]),
    major: strN(v[5]), education: strN(v[6]), graduation_year: v[7] as number, cohort: str(v[8]),
    source: str(v[9]), received_date: str(v[10]), county_code: strN(v[11]), assigned_date: strN(v[12]),
    category: strN(v[13]), hardship: v[14] as string[], employment_status: strN(v[15]),
    employment_date: strN(v[16]), updated_at: str(v[17]),
  }),
  service: (v) => ({
    record_id: str(v[0]), id_number: str(v[1]), service_time: str(v[2]), service_type: str(v[3]),
    contact_method: strN(v[4]), contact_result: strN(v[5]), county_code: str(v[6]), staff: strN(v[7]),
    note: strN(v[8]),
  }),
  help: (v) => ({
    request_id: str(v[0]), id_number: str(v[1]), name: strN(v[2]), requested_at: str(v[3]),
    county_code: str(v[4]), first_contact_at: strN(v[5]),
  }),
  event: (v) => ({
    event_id: str(v[0]), region_code: str(v[1]), name: str(v[2]), event_type: str(v[3]), mode: strN(v[4]),
    event_date: str(v[5]), jobs: intN(v[6]), attendees: intN(v[7]), campaign: strN(v[8]) ?? undefined,
  }),
  centre: (v) => ({ centre_id: str(v[0]), name: str(v[1]), county_code: str(v[2]), opened_date: str(v[3]), capacity: intN(v[4]) }),
  stay: (v) => ({
    stay_id: str(v[0]), id_number: str(v[1]), centre_id: str(v[2]), entered_date: str(v[3]), allowance: strN(v[4]),
    exit_date: strN(v[5]), exit_channel: strN(v[6]),
  }),
  post: (v) => ({
    post_id: str(v[0]), region_code: str(v[1]), post_source: str(v[2]), employer: strN(v[3]), title: strN(v[4]),
    developed_date: str(v[5]), openings: v[6] as number, published_date: strN(v[7]), hired: intN(v[8]),
  }),
  grant: (v) => ({
    grant_id: str(v[0]), id_number: str(v[1]), policy: str(v[2]), amount: str(v[3]), applied_date: str(v[4]),
    granted_date: strN(v[5]), channel: strN(v[6]), county_code: str(v[7]), employer: strN(v[8]),
  }),
  ...CARE_BUILD,
};

type RowRule = (r: RecordOfKind[RecordKind]) => string[];
/** Rules across a row's cells, per kind, run once every cell of the row is valid (reasons in Chinese; none = accepted). */
const ROW_RULES: Partial<Record<RecordKind, RowRule>> = {
  ...(MEASURE_CROSS_CHECKS as Partial<Record<RecordKind, RowRule>>),
  ...(CARE_ROW_RULES as Partial<Record<RecordKind, RowRule>>),
};

/** Joins cells as one CSV line (RFC 4180 quoting where needed). */
export function toCsvLine(cells: readonly string[], n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    const c = cells[i] ?? '';
    if (i > 0) out += ',';
    if (c.includes('"') || c.includes(',') || c.includes('\n') || c.includes('\r')) out += `"${c.replaceAll('"', '""')}"`;
    else out += c;
  }
  return out;
}

export const MIXED_ENCODING = '文件编码混杂，此行无法识别（mixed encoding）';

/**
 * Validates rows of one kind against one header and collects them into the
 * current batch. Reasons are Chinese and name the column by its Chinese header.
 */
export class RowValidator {
  readonly kind: RecordKind;
  readonly cols: Col[];
  /** Cell index → column type code, for readers that convert typed cells (XLSX). */
  readonly typeAt: number[];
  readonly labelAt: string[];
  readonly unknownColumns: string[];
  accepted: ParsedRow[] = [];
  rejected: RejectedRow[] = [];
  rows = 0;
  nAccepted = 0;
  nRejected = 0;
  nWarnings = 0;
  private readonly vals: unknown[];
  private readonly errors: string[] = [];
  private warnings: string[] | null = null;
  private readonly futureDT: string;
  private readonly futureD: string;
  private readonly build: Builder;
  private readonly rowRule: ((r: RecordOfKind[RecordKind]) => string[]) | null;
  private readonly serviceTypeCol: number;
  private readonly contactResultCol: number;

  constructor(mapping: HeaderMapping, now: Date, readonly sheet?: string) {
    this.kind = mapping.kind;
    this.unknownColumns = mapping.unknownColumns;
    const schema = SCHEMA[mapping.kind];
    this.cols = schema.map((c, i) => {
      const values = c.values ?? [];
      return {
        label: c.header,
        t: TYPE_CODE[c.type],
        required: c.required,
        index: mapping.colIndex[i]!,
        allowed: c.values ? enumIndex(c.values) : null,
        values,
        min: c.min ?? (c.key === 'graduation_year' ? 1990 : 0),
        max: c.max ?? (c.key === 'graduation_year' ? 2100 : 2147483647),
        future: c.future === true,
      };
    });
    this.typeAt = [];
    this.labelAt = [];
    for (const c of this.cols) {
      if (c.index >= 0) {
        this.typeAt[c.index] = c.t;
        this.labelAt[c.index] = c.label;
      }
    }
    this.vals = schema.map(() => null as unknown);
    this.futureDT = shanghaiWallTime(new Date(now.getTime() + 86400000));
    this.futureD = this.futureDT.slice(0, 10);
    this.build = BUILD[mapping.kind];
    this.rowRule = ROW_RULES[mapping.kind] ?? null;
    this.serviceTypeCol = mapping.kind === 'service' ? schema.findIndex((c) => c.key === 'service_type') : -1;
    this.contactResultCol = mapping.kind === 'service' ? schema.findIndex((c) => c.key === 'contact_result') : -1;
  }

  /** True when every cell is blank: such rows are skipped, not rejected. */
  static isBlankRow(cells: readonly string[], n: number): boolean {
    for (let i = 0; i < n; i++) {
      const c = cells[i]!;
      const len = c.length;
      for (let j = 0; j < len; j++) if (!isBlankCode(c.charCodeAt(j))) return false;
    }
    return true;
  }

  reject(row: number, reason: string, raw: string): void {
    this.rows++;
    this.nRejected++;
    const r: RejectedRow = { kind: this.kind, row, reason, raw };
    if (this.sheet !== undefined) r.sheet = this.sheet;
    this.rejected.push(r);
  }

  /** Number of rows in the current (not yet taken) batch. */
  get pending(): number {
    return this.accepted.length + this.rejected.length;
  }

  takeBatch(): { accepted: ParsedRow[]; rejected: RejectedRow[] } {
    const b = { accepted: this.accepted, rejected: this.rejected };
    this.accepted = [];
    this.rejected = [];
    return b;
  }

  /**
   * Validates one non-blank row. `cellErr` (XLSX) holds reasons found while
   * reading a cell (error values, precision loss), by cell index.
   */
  validate(cells: readonly string[], n: number, row: number, cellErr: readonly (string | undefined)[] | null): void {
    const errors = this.errors;
    if (errors.length !== 0) errors.length = 0;
    this.warnings = null;
    const cols = this.cols;
    const vals = this.vals;
    for (let ci = 0; ci < cols.length; ci++) {
      const col = cols[ci]!;
      const idx = col.index;
      let s = idx >= 0 && idx < n ? cells[idx]! : '';
      if (cellErr !== null && idx >= 0 && cellErr[idx] !== undefined) {
        errors.push(cellErr[idx]!);
        vals[ci] = null;
        continue;
      }
      const len = s.length;
      if (len > 0 && (isBlankCode(s.charCodeAt(0)) || isBlankCode(s.charCodeAt(len - 1)))) s = s.trim();
      if (s.length === 0) {
        if (col.required) errors.push(`缺少必填项 ${col.label}`);
        vals[ci] = col.t === T_MULTI ? [] : null;
        continue;
      }
      vals[ci] = col.t === T_TEXT ? s : this.cell(col, s);
    }
    if (this.serviceTypeCol >= 0 && vals[this.serviceTypeCol] === '联系' && vals[this.contactResultCol] === null) {
      const crIdx = cols[this.contactResultCol]!.index;
      const crGiven = crIdx >= 0 && crIdx < n && cells[crIdx]!.trim() !== '';
      if (!crGiven) errors.push('服务类型为“联系”时必须填写联系结果');
    }
    let record: RecordOfKind[RecordKind] | null = null;
    if (errors.length === 0 && this.rowRule !== null) {
      record = this.build(vals);
      for (const e of this.rowRule(record)) errors.push(e);
    }
    this.rows++;
    if (errors.length > 0) {
      this.nRejected++;
      const r: RejectedRow = { kind: this.kind, row, reason: errors.join('；'), raw: toCsvLine(cells, n) };
      if (this.sheet !== undefined) r.sheet = this.sheet;
      this.rejected.push(r);
      return;
    }
    const warnings = this.warnings ?? NO_WARNINGS;
    this.nWarnings += warnings.length;
    this.nAccepted++;
    this.accepted.push({ kind: this.kind, row, record: record ?? this.build(vals), warnings });
  }

  private cell(col: Col, s: string): unknown {
    switch (col.t) {
      case T_TEXT:
        return s;
      case T_ID: {
        const id = fastId(s);
        if (id !== null) return id;
        const r = checkIdNumber(s);
        if (r.ok) return r.id;
        this.errors.push(r.reason);
        return null;
      }
      case T_ENUM: {
        const v = enumValue(col, s);
        if (v !== undefined) return v;
        this.errors.push(`${col.label} 的值 “${s}” 不在允许范围（允许：${col.values.join('、')}）`);
        return null;
      }
      case T_DATE:
      case T_DATETIME: {
        const withTime = col.t === T_DATETIME;
        const v = normDate(s, withTime);
        if (typeof v !== 'string') {
          this.errors.push(v === BAD_DATE
            ? `日期无效：${col.label} = ${s}`
            : `日期无效：${col.label} = ${s}（应为 2022-07-05、2022/7/5 或 2022年7月5日${withTime ? '，可带时间 08:30 或 08:30:00' : ''}）`);
          return null;
        }
        if (!col.future && (withTime ? v > this.futureDT : v > this.futureD)) {
          this.errors.push(`日期晚于当前日期：${col.label} = ${s}`);
          return null;
        }
        return v;
      }
      case T_MONEY: {
        const r = checkMoney(s, col.label);
        if (r.ok) return r.value;
        this.errors.push(r.reason);
        return null;
      }
      case T_REGION:
      case T_UNIT:
      case T_COUNTY: {
        const cache = col.t === T_REGION ? COUNTY_OK : col.t === T_UNIT ? UNIT_OK : COUNTY_LEVEL_OK;
        let r = cache.get(s);
        if (r === undefined) {
          r = col.t === T_REGION ? checkCountyCode(s) : col.t === T_UNIT ? checkUnitOrCountyCode(s) : checkCountyLevelCode(s);
          // Detached: a cached key cut from a chunk would keep the whole chunk alive.
          if (r.ok) cache.set(detached(s), r);
        }
        if (!r.ok) {
          this.errors.push(r.reason);
          return null;
        }
        if (r.warning) (this.warnings ??= []).push(r.warning);
        return r.code;
      }
      case T_INT: {
        let v = 0;
        const len = s.length;
        let ok = len <= 10;
        for (let i = 0; ok && i < len; i++) {
          const c = s.charCodeAt(i) - 48;
          if (c < 0 || c > 9) ok = false;
          else v = v * 10 + c;
        }
        if (!ok || v > 2147483647) {
          this.errors.push(`${col.label} 应为不小于 0 的整数：${s}`);
          return null;
        }
        if (v < col.min || v > col.max) {
          this.errors.push(col.max === 2147483647 ? `${col.label} 应为不小于 ${col.min} 的整数：${s}` : `${col.label} 应在 ${col.min}–${col.max} 之间：${s}`);
          return null;
        }
        return v;
      }
      case T_MULTI: {
        const parts = MULTI_SEPS.test(s) ? s.split(MULTI_SEPS) : [s];
        const picked = new Set<string>();
        let bad = false;
        for (const p0 of parts) {
          const p = p0.trim();
          if (p === '') continue;
          const v = enumValue(col, p);
          if (v === undefined) {
            this.errors.push(`${col.label} 的值 “${p}” 不在允许范围（允许：${col.values.join('、')}）`);
            bad = true;
          } else picked.add(v);
        }
        if (bad) return null;
        return col.values.filter((v) => picked.has(v));
      }
      default:
        return s;
    }
  }
}

export const TYPE = {
  ID: T_ID, TEXT: T_TEXT, ENUM: T_ENUM, INT: T_INT, DATE: T_DATE, DATETIME: T_DATETIME, REGION: T_REGION, UNIT: T_UNIT, MULTI: T_MULTI,
  MONEY: T_MONEY, COUNTY: T_COUNTY,
} as const;
