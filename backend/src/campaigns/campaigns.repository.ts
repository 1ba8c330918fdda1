// The install's campaign years (table campaigns, in the main database).
import type { ClickHouseHandle } from '../clickhouse/clickhouse.provider';

export interface CampaignRow {
  year: number;
  database: string;
  home: number;
  archived: number;
}

export class CampaignsRepository {
  constructor(private readonly ch: ClickHouseHandle) {}

  async list(): Promise<CampaignRow[]> {
    const rs = await this.ch.install.query({
      query: 'SELECT year, database, home, archived FROM campaigns FINAL ORDER BY year',
      format: 'JSONEachRow',
    });
    return (await rs.json<CampaignRow>()).map((r) => ({ ...r, year: Number(r.year), home: Number(r.home), archived: Number(r.archived) }));
  }

  async save(row: CampaignRow): Promise<void> {
    await this.ch.install.insert({ table: 'campaigns', values: [{ ...row, updated_at: new Date().toISOString().replace('T', ' ').replace('Z', '') }], format: 'JSONEachRow' });
  }
}
