import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';

export interface LiaisonRow {
  region_code: string;
  name: string;
  title: string;
  phone: string;
  mobile: string;
  email: string;
  wecom_webhook: string;
  dingtalk_webhook: string;
  dingtalk_secret: string;
  feishu_webhook: string;
  generic_webhook: string;
  updated_by: string;
  deleted: boolean;
}

@Injectable()
export class LiaisonsRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  async list(scope: { scopeAll: number; scopeRegions: string[] } = { scopeAll: 1, scopeRegions: [] }): Promise<LiaisonRow[]> {
    const rs = await this.ch.install.query({
      query: `SELECT region_code, name, title, phone, mobile, email, wecom_webhook, dingtalk_webhook, dingtalk_secret, feishu_webhook,
                generic_webhook, updated_by, deleted
              FROM liaisons FINAL
              WHERE NOT deleted AND ({scopeAll:UInt8} = 1 OR has({scopeRegions:Array(String)}, region_code))
              ORDER BY region_code`,
      query_params: scope,
      format: 'JSONEachRow',
    });
    return (await rs.json<LiaisonRow>()).map((r) => ({ ...r, deleted: Boolean(r.deleted) }));
  }

  async save(row: LiaisonRow): Promise<void> {
    await this.ch.install.insert({ table: 'liaisons', values: [row], format: 'JSONEachRow' });
  }
}
