// Kinds 5–8 → TabSeparated staging lines (column order: STAGE_COLUMNS in
// ingest.repository.ts). ID numbers are protected exactly as the ledger's:
// the person key (HMAC), the masked form and the encrypted form — never plaintext.
import type { CentreRecord, GrantRecord, MeasureKind, MeasureRecordOfKind, PostRecord, StayRecord } from '../ledger/measures.schema';
import { REGION_BY_CODE, COUNTY_CODES, unitOfCounty } from '../regions/regions.data';
import { maskId } from '../security/pii';
import { esc, nul, type RowContext } from '../ingest/ingest.rows';

function tail(row: number, c: RowContext): string {
  return `${c.runId}\t${c.fileEsc ?? esc(c.file)}\t${row}`;
}

function centreLine(r: CentreRecord, row: number, c: RowContext): string {
  return `${esc(r.centre_id)}\t${esc(r.name)}\t${r.county_code}\t${r.opened_date}\t${nul(r.capacity)}\t${tail(row, c)}`;
}

function stayLine(r: StayRecord, row: number, c: RowContext): string {
  return `${c.codec.personKey(r.id_number)}\t${esc(r.stay_id)}\t${maskId(r.id_number)}\t${c.codec.encrypt(r.id_number)}\t${esc(r.centre_id)}\t${
    r.entered_date}\t${nul(r.allowance)}\t${nul(r.exit_date)}\t${r.exit_channel ?? ''}\t${tail(row, c)}`;
}

/** The reporting unit a post's region rolls up to: itself for a unit code, else the county's unit (220581: itself). */
export function unitOfRegion(code: string): string {
  if (COUNTY_CODES.has(code)) return unitOfCounty(code);
  return REGION_BY_CODE.get(code)?.level === 'unit' ? code : unitOfCounty(code);
}

function postLine(r: PostRecord, row: number, c: RowContext): string {
  return `${esc(r.post_id)}\t${r.region_code}\t${unitOfRegion(r.region_code)}\t${r.post_source}\t${r.employer === null ? '' : esc(r.employer)}\t${
    r.title === null ? '' : esc(r.title)}\t${r.developed_date}\t${r.openings}\t${nul(r.published_date)}\t${r.hired ?? 0}\t${tail(row, c)}`;
}

function grantLine(r: GrantRecord, row: number, c: RowContext): string {
  return `${c.codec.personKey(r.id_number)}\t${esc(r.grant_id)}\t${maskId(r.id_number)}\t${c.codec.encrypt(r.id_number)}\t${r.policy}\t${r.amount}\t${
    r.applied_date}\t${nul(r.granted_date)}\t${r.channel ?? ''}\t${r.county_code}\t${r.employer === null ? '' : esc(r.employer)}\t${tail(row, c)}`;
}

export function measureStageLine<K extends MeasureKind>(kind: K, record: MeasureRecordOfKind[K], row: number, c: RowContext): string {
  switch (kind) {
    case 'centre':
      return centreLine(record as CentreRecord, row, c);
    case 'stay':
      return stayLine(record as StayRecord, row, c);
    case 'post':
      return postLine(record as PostRecord, row, c);
    case 'grant':
      return grantLine(record as GrantRecord, row, c);
    default:
      throw new Error(`unknown record kind ${String(kind)}`);
  }
}

/** The identity value (the record's id), TabSeparated-escaped. */
export function measureIdentity<K extends MeasureKind>(kind: K, record: MeasureRecordOfKind[K]): string {
  switch (kind) {
    case 'centre':
      return esc((record as CentreRecord).centre_id);
    case 'stay':
      return esc((record as StayRecord).stay_id);
    case 'post':
      return esc((record as PostRecord).post_id);
    case 'grant':
      return esc((record as GrantRecord).grant_id);
    default:
      throw new Error(`unknown record kind ${String(kind)}`);
  }
}
