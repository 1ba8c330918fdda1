// SQL of the records behind the workbench's measure sections (kinds 5–8).
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import { EXIT_CHANNELS } from '../ledger/measures.schema';
import type { MeasureRecordKind, RecordRowOfKind } from './measures.records.types';

const QUERY: Record<MeasureRecordKind, string> = {
  centre: 'measures_list_centres',
  stay: 'measures_list_stays',
  post: 'measures_list_posts',
  grant: 'measures_list_grants',
};

const NUMERIC: Record<MeasureRecordKind, string[]> = {
  centre: ['capacity', 'entrants', 'resident', 'exits'],
  stay: [],
  post: ['openings', 'hired'],
  grant: [],
};

@Injectable()
export class MeasuresRecordsRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  /** One page of a kind's records in the given region codes, as of a day. */
  async page<K extends MeasureRecordKind>(kind: K, codes: string[], asOf: string, limit: number, offset: number): Promise<{ total: number; rows: Array<RecordRowOfKind[K]> }> {
    const rs = await this.ch.client.query({
      query: loadQuery(QUERY[kind]),
      query_params: { codes, asOf, limit, offset, runs: [], allRuns: 1, exitChannels: EXIT_CHANNELS },
      format: 'JSONEachRow',
    });
    const raw = await rs.json<Record<string, unknown>>();
    const total = Number(raw[0]?.total ?? 0);
    const rows = raw.map((r) => {
      delete r.total;
      for (const k of NUMERIC[kind]) if (r[k] !== null) r[k] = Number(r[k]);
      if (Array.isArray(r.exits_by_channel)) r.exits_by_channel = r.exits_by_channel.map(Number);
      return r as unknown as RecordRowOfKind[K];
    });
    return { total, rows };
  }
}
