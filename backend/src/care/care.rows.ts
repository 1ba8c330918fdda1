// Care records (kinds 9–12) → TabSeparated staging lines, in the column order
// of their raw tables (migration 015). ID numbers go the ledger's way: a keyed
// person key, a mask, and the number encrypted (backend/src/security/pii.ts).
import { unitOfCounty, REGION_BY_CODE } from '../regions/regions.data';
import { maskId } from '../security/pii';
import type { CareKind, CareRecordOfKind, PlanRecord, PublicityRecord, RightsRecord, StoryRecord } from './care.schema';
import type { Protector } from '../security/pii';

export interface CareRowContext {
  runId: number;
  file: string;
  codec: Protector;
}

/** Stage columns per care kind, in insert order (`version` and `row_hash` are filled at commit). */
export const CARE_STAGE_COLUMNS: Record<CareKind, readonly string[]> = {
  plan: ['person_key', 'plan_id', 'id_masked', 'id_enc', 'specialist', 'plan_date', 'measures', 'visit_days', 'status', 'run_id', 'file', 'row'],
  rights: [
    'case_id', 'region_code', 'unit_code', 'case_type', 'party', 'party_kind', 'opened_date', 'action', 'deadline', 'closed_date', 'graduates',
    'run_id', 'file', 'row',
  ],
  publicity: ['publication_id', 'region_code', 'unit_code', 'published_date', 'items', 'channel', 'url', 'run_id', 'file', 'row'],
  story: ['story_id', 'region_code', 'unit_code', 'person_key', 'id_masked', 'id_enc', 'story_type', 'media', 'published_date', 'run_id', 'file', 'row'],
};

/** Columns left out of the content hash besides provenance: the mask follows the encrypted number. */
export const CARE_NON_CONTENT: Record<CareKind, readonly string[]> = {
  plan: ['id_masked'],
  rights: [],
  publicity: [],
  story: ['id_masked'],
};

export const CARE_IDENTITY: Record<CareKind, string> = {
  plan: 'plan_id',
  rights: 'case_id',
  publicity: 'publication_id',
  story: 'story_id',
};

export const CARE_RAW_TABLE: Record<CareKind, string> = {
  plan: 'plan_raw',
  rights: 'rights_raw',
  publicity: 'publicity_raw',
  story: 'story_raw',
};

export const CARE_STAGE_TABLE: Record<CareKind, string> = {
  plan: 'stage_plan',
  rights: 'stage_rights',
  publicity: 'stage_publicity',
  story: 'stage_story',
};

export function esc(v: string): string {
  if (!/[\\\t\n\r]/.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function nul(v: string | number | null): string {
  return v === null ? '\\N' : esc(String(v));
}

function arr(values: readonly string[]): string {
  return esc(`[${values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(',')}]`);
}

/** The reporting unit a region code counts for (a unit's own code, or its county's unit). */
export function unitOfRegion(code: string): string {
  const region = REGION_BY_CODE.get(code);
  return region?.level === 'unit' ? region.code : unitOfCounty(code);
}

const tail = (c: CareRowContext, row: number): string => `${c.runId}\t${esc(c.file)}\t${row}`;

const LINE: { [K in CareKind]: (r: CareRecordOfKind[K], row: number, c: CareRowContext) => string } = {
  plan: (r: PlanRecord, row, c) =>
    [c.codec.personKey(r.id_number), esc(r.plan_id), maskId(r.id_number), c.codec.encrypt(r.id_number), esc(r.specialist), r.plan_date,
      arr(r.measures), nul(r.visit_days), r.status, tail(c, row)].join('\t'),
  rights: (r: RightsRecord, row, c) =>
    [esc(r.case_id), r.region_code, unitOfRegion(r.region_code), r.case_type, esc(r.party ?? ''), r.party_kind ?? '', r.opened_date,
      r.action ?? '', nul(r.deadline), nul(r.closed_date), String(r.graduates), tail(c, row)].join('\t'),
  publicity: (r: PublicityRecord, row, c) =>
    [esc(r.publication_id), r.region_code, unitOfRegion(r.region_code), r.published_date, arr(r.items), esc(r.channel ?? ''), esc(r.url ?? ''),
      tail(c, row)].join('\t'),
  story: (r: StoryRecord, row, c) =>
    [esc(r.story_id), r.region_code, unitOfRegion(r.region_code), r.id_number === null ? '\\N' : c.codec.personKey(r.id_number),
      maskId(r.id_number), c.codec.encrypt(r.id_number), r.story_type, arr(r.media), r.published_date, tail(c, row)].join('\t'),
};

export function careStageLine<K extends CareKind>(kind: K, record: CareRecordOfKind[K], row: number, c: CareRowContext): string {
  return (LINE[kind] as (r: CareRecordOfKind[K], row: number, c: CareRowContext) => string)(record, row, c);
}

export function careIdentityOf<K extends CareKind>(kind: K, record: CareRecordOfKind[K]): string {
  return esc((record as unknown as Record<string, string>)[CARE_IDENTITY[kind]]!);
}
