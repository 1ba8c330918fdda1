// Parsed records → TabSeparated staging lines, with personal data encrypted
// and masked on the way (nothing in plaintext reaches ClickHouse).
import type { EventRecord, HelpRecord, LedgerRecord, RecordKind, RecordOfKind, ServiceRecord } from '../ledger/ledger.schema';
import { unitOfCounty, REGION_BY_CODE } from '../regions/regions.data';
import { maskId, maskName, maskPhone, type Protector } from '../security/pii';
import { measureIdentity, measureStageLine } from '../measures/measures.rows';
import { careIdentityOf, careStageLine } from '../care/care.rows';

export interface RowContext {
  runId: number;
  file: string;
  /** `file`, already TabSeparated-escaped (computed once per batch). */
  fileEsc?: string;
  codec: Protector;
}

export function withFile(c: RowContext, file: string): RowContext {
  return { ...c, file, fileEsc: esc(file) };
}

export function esc(v: string): string {
  // TabSeparated escaping: backslash first, then the separators.
  if (!/[\\\t\n\r]/.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export function nul(v: string | number | null): string {
  return v === null ? '\\N' : esc(String(v));
}

function arr(values: string[]): string {
  return esc(`[${values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(',')}]`);
}

function ledgerLine(r: LedgerRecord, row: number, c: RowContext): string {
  const codec = c.codec;
  return [
    codec.personKey(r.id_number), maskId(r.id_number), codec.encrypt(r.id_number),
    esc(maskName(r.name)), codec.encrypt(r.name), maskPhone(r.phone), codec.encrypt(r.phone),
    esc(r.gender ?? ''), esc(r.school ?? ''), esc(r.major ?? ''), esc(r.education ?? ''), String(r.graduation_year),
    esc(r.cohort), esc(r.source), r.received_date, r.county_code ?? '', nul(r.assigned_date), esc(r.category ?? ''),
    arr(r.hardship), esc(r.employment_status ?? ''), nul(r.employment_date), r.updated_at,
    String(c.runId), esc(c.file), String(row),
  ].join('\t');
}

// The hot path of a big load: enum values, codes and dates were validated by the parser and
// cannot hold a tab, newline or backslash, so only free text is escaped.
function serviceLine(r: ServiceRecord, row: number, c: RowContext): string {
  // A template, not [..].join('\t'): no array per row, measurably faster over a million rows.
  return `${c.codec.personKey(r.id_number)}\t${esc(r.record_id)}\t${r.service_time}\t${r.service_type}\t${r.contact_method ?? ''}\t${
    r.contact_result ?? ''}\t${r.county_code}\t${r.staff === null ? '' : esc(r.staff)}\t${r.note === null ? '' : esc(r.note)}\t${
    c.runId}\t${c.fileEsc ?? esc(c.file)}\t${row}`;
}

function helpLine(r: HelpRecord, row: number, c: RowContext): string {
  return [
    c.codec.personKey(r.id_number), esc(r.request_id), maskId(r.id_number), c.codec.encrypt(r.id_number), esc(maskName(r.name)),
    r.requested_at, r.county_code, nul(r.first_contact_at), String(c.runId), esc(c.file), String(row),
  ].join('\t');
}

function eventLine(r: EventRecord, row: number, c: RowContext): string {
  const region = REGION_BY_CODE.get(r.region_code);
  const unit = region?.level === 'unit' ? region.code : unitOfCounty(r.region_code);
  return [
    esc(r.event_id), r.region_code, unit, esc(r.name), esc(r.event_type), esc(r.mode ?? ''), r.event_date,
    nul(r.jobs), nul(r.attendees), String(c.runId), esc(c.file), String(row), r.campaign ?? '',
  ].join('\t');
}

export function toStageLine<K extends RecordKind>(kind: K, record: RecordOfKind[K], row: number, c: RowContext): string {
  switch (kind) {
    case 'ledger':
      return ledgerLine(record as LedgerRecord, row, c);
    case 'service':
      return serviceLine(record as ServiceRecord, row, c);
    case 'help':
      return helpLine(record as HelpRecord, row, c);
    case 'event':
      return eventLine(record as EventRecord, row, c);
    case 'centre':
    case 'stay':
    case 'post':
    case 'grant':
      return measureStageLine(kind, record as RecordOfKind['centre' | 'stay' | 'post' | 'grant'], row, c);
    case 'plan':
    case 'rights':
    case 'publicity':
    case 'story':
      return careStageLine(kind, record as RecordOfKind['plan' | 'rights' | 'publicity' | 'story'], row, c);
    default:
      throw new Error(`unknown record kind ${String(kind)}`);
  }
}

/**
 * The values a row's stage line protects, in the order toStageLine asks the codec for them: ID
 * numbers whose person key it takes (a person's consecutive rows once), values it encrypts (not
 * empty). The protection worker computes them ahead (PreparedPii answers in this order).
 */
export function protectionInputs<K extends RecordKind>(kind: K, record: RecordOfKind[K], keys: string[], encs: string[]): void {
  const key = (id: string): void => {
    if (keys.length === 0 || keys[keys.length - 1] !== id) keys.push(id);
  };
  const enc = (v: string | null): void => {
    if (v !== null && v !== '') encs.push(v);
  };
  switch (kind) {
    case 'ledger': {
      const r = record as LedgerRecord;
      key(r.id_number);
      enc(r.id_number);
      enc(r.name);
      enc(r.phone);
      return;
    }
    case 'service':
      key((record as ServiceRecord).id_number);
      return;
    case 'help':
    case 'stay':
    case 'grant':
    case 'plan': {
      const id = (record as { id_number: string }).id_number;
      key(id);
      enc(id);
      return;
    }
    case 'story': {
      const id = (record as RecordOfKind['story']).id_number;
      if (id !== null) {
        key(id);
        enc(id);
      }
      return;
    }
    case 'event':
    case 'centre':
    case 'post':
    case 'rights':
    case 'publicity':
      return; // no personal data
    default:
      throw new Error(`unknown record kind ${String(kind)}`);
  }
}

/** The value of a row's identity column (the one its duplicates share), TabSeparated-escaped: narrows the duplicate lookup. */
export function identityOf<K extends RecordKind>(kind: K, record: RecordOfKind[K], c: RowContext): string {
  switch (kind) {
    case 'ledger':
      return c.codec.personKey((record as LedgerRecord).id_number);
    case 'service':
      return esc((record as ServiceRecord).record_id);
    case 'help':
      return esc((record as HelpRecord).request_id);
    case 'event':
      return esc((record as EventRecord).event_id);
    case 'centre':
    case 'stay':
    case 'post':
    case 'grant':
      return measureIdentity(kind, record as RecordOfKind['centre' | 'stay' | 'post' | 'grant']);
    case 'plan':
    case 'rights':
    case 'publicity':
    case 'story':
      return careIdentityOf(kind, record as RecordOfKind['plan' | 'rights' | 'publicity' | 'story']);
    default:
      throw new Error(`unknown record kind ${String(kind)}`);
  }
}
