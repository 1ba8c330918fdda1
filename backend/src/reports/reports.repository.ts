import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import type { CampaignConfig } from '../metrics/campaign.config';
import { COMPREHENSIVE, PROFESSIONAL } from '../metrics/recruitment.logic';
import {
  NAMED_CATEGORIES, NAMED_SOURCES, WELFARE_SERVICE, WELFARE_STATUS, type EventCountsRow, type PersonCountsRow, type ReportKind,
} from './reports.types';

export interface ArchiveRow {
  report_id: string;
  kind: ReportKind;
  period: string;
  period_start: string;
  period_end: string;
  as_of: string;
  region_code: string;
  title: string;
  file_name: string;
  /** 'YYYY-MM-DD hh:mm:ss.sss' (UTC) as ClickHouse prints it; an ISO string on insert. */
  generated_at: string;
  generated_by: string;
  unit_rows: number;
  data_rows: number;
  bytes: number;
}

export interface DispatchRow {
  request_id: string;
  county_code: string;
  requested_at: string;
  name_masked: string;
  seconds_waiting: number;
}

const ARCHIVE_COLS = `report_id, kind, period, toString(period_start) AS period_start, toString(period_end) AS period_end,
  toString(as_of) AS as_of, region_code, title, file_name, toString(generated_at) AS generated_at, generated_by, unit_rows, data_rows, bytes`;

function archiveNumbers(r: ArchiveRow): ArchiveRow {
  return { ...r, unit_rows: Number(r.unit_rows), data_rows: Number(r.data_rows), bytes: Number(r.bytes) };
}

@Injectable()
export class ReportsRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  /** Per region as of the end of a day: received by source and category, served, public-welfare placements. */
  async personCounts(asOf: string, cfg: CampaignConfig): Promise<PersonCountsRow[]> {
    const rs = await this.ch.client.query({
      query: loadQuery('report_persons'),
      query_params: {
        asOf,
        sources: [...NAMED_SOURCES],
        categories: [...NAMED_CATEGORIES],
        contactType: cfg.contactType,
        welfareType: WELFARE_SERVICE,
        welfareStatus: WELFARE_STATUS,
      },
      format: 'JSONEachRow',
    });
    return (await rs.json<PersonCountsRow>()).map((r) => ({
      ...r,
      received: Number(r.received),
      by_source: r.by_source.map(Number),
      by_category: r.by_category.map(Number),
      served: Number(r.served),
      hardship_welfare: Number(r.hardship_welfare),
    }));
  }

  /** Events per reporting unit in [weekStart, asOf] and [monthStart, asOf]. */
  async eventCounts(weekStart: string, monthStart: string, asOf: string): Promise<EventCountsRow[]> {
    const rs = await this.ch.client.query({
      query: loadQuery('report_events'),
      query_params: { weekStart, monthStart, asOf, professional: PROFESSIONAL, comprehensive: COMPREHENSIVE },
      format: 'JSONEachRow',
    });
    return (await rs.json<EventCountsRow>()).map((r) => ({
      unit_code: r.unit_code,
      week_professional: Number(r.week_professional),
      week_comprehensive: Number(r.week_comprehensive),
      month_professional: Number(r.month_professional),
      month_comprehensive: Number(r.month_comprehensive),
    }));
  }

  /** Requests in the counties still waiting for a first contact at the cut-off ('YYYY-MM-DD HH:mm:ss', Asia/Shanghai). */
  async openHelpRequests(counties: string[], cutoff: string): Promise<DispatchRow[]> {
    const rs = await this.ch.client.query({
      query: loadQuery('report_dispatch'),
      query_params: { counties, cutoff },
      format: 'JSONEachRow',
    });
    return (await rs.json<DispatchRow>()).map((r) => ({ ...r, seconds_waiting: Number(r.seconds_waiting) }));
  }

  async save(row: ArchiveRow, xlsx: Buffer): Promise<void> {
    await this.ch.client.insert({
      table: 'report_archive',
      values: [{ ...row, xlsx_base64: xlsx.toString('base64') }],
      format: 'JSONEachRow',
    });
  }

  async list(f: { kind?: string; limit: number }): Promise<ArchiveRow[]> {
    const rs = await this.ch.client.query({
      query: `SELECT ${ARCHIVE_COLS} FROM report_archive FINAL
              WHERE {kind:String} = '' OR kind = {kind:String}
              ORDER BY period_end DESC, generated_at DESC, report_id
              LIMIT {limit:UInt32}`,
      query_params: { kind: f.kind ?? '', limit: f.limit },
      format: 'JSONEachRow',
    });
    return (await rs.json<ArchiveRow>()).map(archiveNumbers);
  }

  async get(id: string): Promise<{ row: ArchiveRow; xlsx: Buffer } | null> {
    const rs = await this.ch.client.query({
      query: `SELECT ${ARCHIVE_COLS}, xlsx_base64 FROM report_archive FINAL WHERE report_id = {id:String} LIMIT 1`,
      query_params: { id },
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<ArchiveRow & { xlsx_base64: string }>();
    if (!r) return null;
    const { xlsx_base64, ...row } = r;
    return { row: archiveNumbers(row), xlsx: Buffer.from(xlsx_base64, 'base64') };
  }
}
