import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { REGIONS, type Region } from './regions.data';

interface RegionRow {
  code: string;
  name: string;
  level: Region['level'];
  parent_code: string | null;
  has_polygon: boolean;
}

@Injectable()
export class RegionsRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  /** Writes the tree from code when the table differs from it (first start, or a new release). */
  async sync(): Promise<boolean> {
    const rows: RegionRow[] = REGIONS.map((r) => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parentCode, has_polygon: r.hasPolygon }));
    const current = await this.list();
    const same = current.length === rows.length && JSON.stringify(current) === JSON.stringify(sortRows(rows).map(toRegion));
    if (same) return false;
    await this.ch.client.command({ query: 'TRUNCATE TABLE regions' });
    await this.ch.client.insert({ table: 'regions', values: rows, format: 'JSONEachRow' });
    return true;
  }

  async list(): Promise<Region[]> {
    const rs = await this.ch.client.query({
      query: `SELECT code, name, level, parent_code, has_polygon FROM regions
              ORDER BY indexOf(['province', 'unit', 'county'], level), code`,
      format: 'JSONEachRow',
    });
    return (await rs.json<RegionRow>()).map(toRegion);
  }
}

const LEVEL_ORDER = { province: 0, unit: 1, county: 2 } as const;

function sortRows(rows: RegionRow[]): RegionRow[] {
  return [...rows].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.code.localeCompare(b.code));
}

function toRegion(r: RegionRow): Region {
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, hasPolygon: Boolean(r.has_polygon) };
}
