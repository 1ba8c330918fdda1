import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import type { CampaignConfig } from '../metrics/campaign.config';
import { todoQueryParams, type TodoParams } from '../home/home.repository';
import type { PersonTodoKind } from '../home/home.types';

export interface CaseRow {
  person_key: string;
  county_code: string;
  received_date: string;
  category: string;
  hardship: string[];
  employment_status: string;
  name_masked: string;
  id_masked: string;
  phone_masked: string;
  assigned_date: string | null;
  updated_at: string;
  contacted: number;
  guidance: number;
  referral: number;
  training: number;
  internship: number;
  one_on_one: number;
  last_service: string | null;
  help_overdue: number;
  complete1311: number;
  missing1311: string[];
  total: number;
}

export interface CaseFilter {
  category: string;
  contacted: -1 | 0 | 1;
  complete1311: -1 | 0 | 1;
  missing: string;
  hardship: -1 | 0 | 1;
  noOneOnOne: 0 | 1;
  employment: string;
  overdue: 0 | 1;
  /** A to-do kind of the home page ('' = any): home_todo_persons.sql. */
  todo: '' | PersonTodoKind;
  /** 无帮扶计划 and 回访逾期 (help plans, kinds 9). */
  noPlan?: 0 | 1;
  visitOverdue?: 0 | 1;
  sort: 'received' | 'updated' | 'lastService' | 'name';
  desc: boolean;
  limit: number;
  offset: number;
}

export interface VersionRow {
  updated_at: string;
  county_code: string;
  received_date: string;
  assigned_date: string | null;
  category: string;
  hardship: string[];
  employment_status: string;
  employment_date: string | null;
  name_masked: string;
  id_masked: string;
  phone_masked: string;
  school: string;
  major: string;
  education: string;
  gender: string;
  cohort: string;
  source: string;
  graduation_year: number;
  file: string;
  row: number;
  run_id: number;
}

export interface ServiceRowOut {
  record_id: string;
  service_time: string;
  service_type: string;
  contact_method: string;
  contact_result: string;
  county_code: string;
  staff: string;
  note: string;
  versions: number;
}

export interface HelpRowOut {
  request_id: string;
  requested_at: string;
  county_code: string;
  first_contact_at: string | null;
}

/** cases.sql's line filtering on a home to-do kind, with home_todo_persons.sql embedded. */
const TODO_FILTER = /\n\s*AND \(\{todo:String\} = '' OR person_key IN \(SELECT person_key FROM \([\s\S]*?\) WHERE kind = \{todo:String\}\)\)/;

@Injectable()
export class CasesRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  /** Persons of the given counties as of a day; `counties` is the caller's scope ∩ the requested county. */
  async list(asOf: string, counties: string[], f: CaseFilter, cfg: CampaignConfig, todo: TodoParams): Promise<CaseRow[]> {
    // The sort direction is structure, not a value: chosen from two fixed words.
    let query = loadQuery('cases').replace(' ASC,\n  person_key ASC', f.desc ? ' DESC,\n  person_key ASC' : ' ASC,\n  person_key ASC');
    // The to-do filter's subquery only when asked for (an IN set is built even when the OR short-circuits).
    if (!f.todo) {
      if (!TODO_FILTER.test(query)) throw new Error('cases.sql: the todo filter line is missing');
      query = query.replace(TODO_FILTER, '');
    }
    const rs = await this.ch.client.query({
      query,
      query_params: {
        ...todoQueryParams(asOf, counties, cfg, todo), todo: f.todo,
        asOf, counties, category: f.category, contactedF: f.contacted, complete1311F: f.complete1311, missing: f.missing,
        hardshipF: f.hardship, noOneOnOne: f.noOneOnOne, employment: f.employment, overdueF: f.overdue, sort: f.sort,
        noPlan: f.noPlan ?? 0, visitOverdue: f.visitOverdue ?? 0, employed: cfg.employedStatuses,
        limit: f.limit, offset: f.offset, intentCategory: cfg.intentCategory, r1311Types: cfg.rule1311.map((r) => r.type),
        r1311Counts: cfg.rule1311.map((r) => r.min), contactType: cfg.contactType, contactOk: cfg.contactOk, o2oType: cfg.oneOnOneType,
        slaMinutes: Math.round(cfg.helpSlaHours * 60),
      },
      format: 'JSONEachRow',
    });
    return rs.json<CaseRow>();
  }

  /** The county a person belongs to now (their latest version), or null. */
  async currentCounty(personKey: string): Promise<string | null> {
    const rs = await this.ch.client.query({
      query: `SELECT argMax(county_code, (updated_at, version)) AS c, count() AS n FROM ledger_raw WHERE person_key = {k:UUID}`,
      query_params: { k: personKey },
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<{ c: string; n: number }>();
    return r && Number(r.n) > 0 ? r.c : null;
  }

  async versions(personKey: string): Promise<VersionRow[]> {
    const rs = await this.ch.client.query({
      query: `SELECT toString(updated_at) AS updated_at, county_code, toString(received_date) AS received_date,
                toString(assigned_date) AS assigned_date, category, hardship, employment_status, toString(employment_date) AS employment_date,
                name_masked, id_masked, phone_masked, school, major, education, gender, cohort, source, graduation_year, file, row, run_id
              FROM ledger_raw WHERE person_key = {k:UUID} ORDER BY updated_at, version`,
      query_params: { k: personKey },
      format: 'JSONEachRow',
    });
    return rs.json<VersionRow>();
  }

  async services(personKey: string): Promise<ServiceRowOut[]> {
    const rs = await this.ch.client.query({
      query: `SELECT record_id, toString(s.1) AS service_time, s.2 AS service_type, s.3 AS contact_method, s.4 AS contact_result,
                s.5 AS county_code, s.6 AS staff, s.7 AS note, n AS versions
              FROM (
                SELECT record_id, argMax(tuple(service_time, service_type, contact_method, contact_result, county_code, staff, note, person_key), version) AS s,
                  count() AS n
                FROM service_raw WHERE record_id IN (SELECT record_id FROM service_raw WHERE person_key = {k:UUID})
                GROUP BY record_id
              )
              WHERE s.8 = {k:UUID}
              ORDER BY service_time, record_id`,
      query_params: { k: personKey },
      format: 'JSONEachRow',
    });
    return rs.json<ServiceRowOut>();
  }

  async helpRequests(personKey: string): Promise<HelpRowOut[]> {
    const rs = await this.ch.client.query({
      query: `SELECT request_id, toString(x.2) AS requested_at, x.1 AS county_code, toString(x.3) AS first_contact_at
              FROM (
                SELECT request_id, argMax(tuple(county_code, requested_at, first_contact_at, person_key), version) AS x
                FROM help_raw WHERE request_id IN (SELECT request_id FROM help_raw WHERE person_key = {k:UUID})
                GROUP BY request_id
              )
              WHERE x.4 = {k:UUID}
              ORDER BY requested_at`,
      query_params: { k: personKey },
      format: 'JSONEachRow',
    });
    return rs.json<HelpRowOut>();
  }

  /** The stored ciphertexts of the person's latest version (decrypted by the service, for an audited reveal only). */
  async secrets(personKey: string): Promise<{ id_enc: string; name_enc: string; phone_enc: string } | null> {
    const rs = await this.ch.client.query({
      query: `SELECT s.1 AS id_enc, s.2 AS name_enc, s.3 AS phone_enc
              FROM (SELECT argMax(tuple(id_enc, name_enc, phone_enc), (updated_at, version)) AS s FROM ledger_raw WHERE person_key = {k:UUID})`,
      query_params: { k: personKey },
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<{ id_enc: string; name_enc: string; phone_enc: string }>();
    return r && r.id_enc ? r : null;
  }
}
