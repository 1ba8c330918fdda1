// SQL of the care records for the workbench, the forms and the alerts: a
// person's plans and visits, rights cases with their state on a day, the
// units' publications. Latest version per record id, as everywhere.
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import type { RightsCaseRow } from './care.api.types';

export interface PersonCareRow {
  what: 'plan' | 'visit';
  id: string;
  specialist: string;
  day: string;
  measures: string[];
  visit_days: number | null;
  status: string;
  county: string;
  method: string;
}

export interface PublicationRow {
  publication_id: string;
  region_code: string;
  unit_code: string;
  published_date: string;
  items: string[];
  channel: string;
  url: string;
}

@Injectable()
export class CareRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  async personCare(personKey: string, visitType: string): Promise<PersonCareRow[]> {
    const rs = await this.ch.client.query({
      query: loadQuery('care_person_plans'),
      query_params: { pk: personKey, visitType },
      format: 'JSONEachRow',
    });
    return (await rs.json<PersonCareRow>()).map((r) => ({ ...r, visit_days: r.visit_days === null ? null : Number(r.visit_days) }));
  }

  /** Cases under the region codes (all when `codes` is null) received by `asOf`, with their state then. */
  async cases(asOf: string, codes: string[] | null, openOnly: boolean): Promise<RightsCaseRow[]> {
    const rs = await this.ch.client.query({
      query: loadQuery('care_cases'),
      query_params: { asOf, all: codes === null ? 1 : 0, codes: codes ?? [], openOnly: openOnly ? 1 : 0 },
      format: 'JSONEachRow',
    });
    return (await rs.json<Record<string, unknown>>()).map((r) => ({
      caseId: String(r.case_id), region: String(r.region_code), unit: String(r.unit_code), caseType: String(r.case_type), party: String(r.party),
      partyKind: String(r.party_kind), opened: String(r.opened_date), action: String(r.action), deadline: String(r.deadline) || null,
      closed: String(r.closed_date) || null, graduates: Number(r.graduates), open: Number(r.open) === 1, overdue: Number(r.overdue) === 1,
      daysOverdue: Number(r.days_overdue),
    }));
  }

  async publications(units: string[]): Promise<PublicationRow[]> {
    const rs = await this.ch.client.query({ query: loadQuery('care_publications'), query_params: { units }, format: 'JSONEachRow' });
    return rs.json<PublicationRow>();
  }
}
