// SQL of dispatch orders (督办): versions of each order, its append-only events, scoped lists.
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';

export interface DispatchRow {
  order_id: string;
  county_code: string;
  unit_code: string;
  issuer: string;
  issuer_role: string;
  issuer_region: string;
  rule: string;
  alert_id: string;
  metric: string;
  title: string;
  content: string;
  due_date: string;
  status: string;
  level: string;
  notified: string[];
  created_at: string;
  updated_at: string;
  version: number;
}

export interface DispatchEventRow {
  order_id: string;
  ts: string;
  recorded_at: string;
  actor: string;
  role: string;
  event: 'created' | 'reply' | 'escalated';
  status: string;
  text: string;
}

const COLUMNS = `order_id, county_code, unit_code, issuer, issuer_role, issuer_region, rule, alert_id, metric, title, content,
  toString(due_date) AS due_date, status, level, notified, toString(created_at) AS created_at, toString(updated_at) AS updated_at, version`;

@Injectable()
export class DispatchRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  private async rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    const rs = await this.ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
    return rs.json<T>();
  }

  async save(rows: DispatchRow[]): Promise<void> {
    if (rows.length) await this.ch.client.insert({ table: 'dispatch_orders', values: rows, format: 'JSONEachRow' });
  }

  async saveEvents(rows: DispatchEventRow[]): Promise<void> {
    if (rows.length) await this.ch.client.insert({ table: 'dispatch_events', values: rows, format: 'JSONEachRow' });
  }

  async get(id: string): Promise<DispatchRow | null> {
    const [r] = await this.rows<DispatchRow>(`SELECT ${COLUMNS} FROM dispatch_orders FINAL WHERE order_id = {id:String} LIMIT 1`, { id });
    return r ?? null;
  }

  events(id: string): Promise<DispatchEventRow[]> {
    return this.rows<DispatchEventRow>(
      `SELECT order_id, toString(ts) AS ts, toString(recorded_at) AS recorded_at, actor, role, event, status, text
       FROM dispatch_events WHERE order_id = {id:String} ORDER BY recorded_at`,
      { id },
    );
  }

  async list(
    f: { status: string; county: string; alertId: string; overdueAt: string; overdueOnly: number },
    scope: { scopeAll: number; scopeCounties: string[] },
    limit: number,
    offset: number,
  ): Promise<{ total: number; rows: DispatchRow[] }> {
    const where = `({scopeAll:UInt8} = 1 OR has({scopeCounties:Array(String)}, county_code))
      AND ({status:String} = '' OR status = {status:String})
      AND ({county:String} = '' OR county_code = {county:String})
      AND ({alertId:String} = '' OR alert_id = {alertId:String})
      AND ({overdueOnly:UInt8} = 0 OR (status != 'done' AND toDateTime(dispatch_orders.due_date + 1, 'Asia/Shanghai') <= {overdueAt:DateTime('Asia/Shanghai')}))`;
    const params = { ...f, ...scope, limit, offset };
    const [t] = await this.rows<{ n: number }>(`SELECT count() AS n FROM dispatch_orders FINAL WHERE ${where}`, params);
    const rows = await this.rows<DispatchRow>(
      `SELECT ${COLUMNS} FROM dispatch_orders FINAL WHERE ${where}
       ORDER BY status = 'done', dispatch_orders.due_date, dispatch_orders.created_at DESC, order_id LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
      params,
    );
    return { total: Number(t?.n ?? 0), rows };
  }

  /** Orders not done whose due date has ended by `now` and that have not reached the province yet. */
  overdue(now: string): Promise<DispatchRow[]> {
    return this.rows<DispatchRow>(
      `SELECT ${COLUMNS} FROM dispatch_orders FINAL
       WHERE status != 'done' AND level != 'province' AND toDateTime(dispatch_orders.due_date + 1, 'Asia/Shanghai') <= {now:DateTime('Asia/Shanghai')}`,
      { now },
    );
  }

  /** Overdue orders not done, per county (digests). */
  overdueByCounty(now: string): Promise<Array<{ county_code: string; unit_code: string; n: number }>> {
    return this.rows(
      `SELECT county_code, unit_code, count() AS n FROM dispatch_orders FINAL
       WHERE status != 'done' AND toDateTime(dispatch_orders.due_date + 1, 'Asia/Shanghai') <= {now:DateTime('Asia/Shanghai')}
       GROUP BY county_code, unit_code`,
      { now },
    );
  }
}
