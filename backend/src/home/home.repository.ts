import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import type { CampaignConfig } from '../metrics/campaign.config';
import { PLAN_ACTIVE } from '../care/care.schema';
import type { PersonTodoKind } from './home.types';

export interface TodoParams {
  slaMinutes: number;
  ncDays: number;
  fuDays: number;
}

export interface TodoCountRow {
  county_code: string;
  kind: PersonTodoKind;
  persons: number;
  items: number;
}

export interface SetupFacts {
  adminPasswordChanges: number;
  users: number;
  liaisons: number;
  liaisonChannels: number;
  extraChannels: number;
  realRuns: number;
  realRows: number;
  demoRuns: number;
}

/** The typed parameters of home_todo_persons.sql (also embedded in cases.sql). */
export function todoQueryParams(asOf: string, counties: string[], cfg: CampaignConfig, p: TodoParams): Record<string, unknown> {
  return {
    asOf, counties, slaMinutes: p.slaMinutes, ncDays: p.ncDays, fuDays: p.fuDays, employed: cfg.employedStatuses,
    contactType: cfg.contactType, contactOk: cfg.contactOk,
    visitType: cfg.care.visitType, defaultVisitDays: cfg.care.defaultVisitDays, planActive: PLAN_ACTIVE,
  };
}

@Injectable()
export class HomeRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  async todoCounts(asOf: string, counties: string[], cfg: CampaignConfig, p: TodoParams): Promise<TodoCountRow[]> {
    if (!counties.length) return [];
    const rs = await this.ch.client.query({ query: loadQuery('home_todo'), query_params: todoQueryParams(asOf, counties, cfg, p), format: 'JSONEachRow' });
    return (await rs.json<TodoCountRow>()).map((r) => ({ ...r, persons: Number(r.persons), items: Number(r.items) }));
  }

  async dispatchAwaiting(counties: string[]): Promise<Array<{ county_code: string; orders: number; oldest_due: string }>> {
    if (!counties.length) return [];
    const rs = await this.ch.client.query({ query: loadQuery('home_dispatch_awaiting'), query_params: { counties }, format: 'JSONEachRow' });
    return (await rs.json<{ county_code: string; orders: number; oldest_due: string }>()).map((r) => ({ ...r, orders: Number(r.orders) }));
  }

  /** What the first-start checklist ticks from: each a count of real state. */
  async setupFacts(): Promise<SetupFacts> {
    // Accounts, liaisons and channels are the install's (the main database); the loads are this campaign's.
    const [install, loads] = await Promise.all([
      this.ch.install.query({
        query: `SELECT
          (SELECT count() FROM audit_log WHERE target = 'admin' AND ok AND action LIKE '%password%' AND action != 'login') AS admin_password_changes,
          (SELECT count() FROM users FINAL WHERE NOT disabled AND username != 'admin' AND role != 'screen') AS users,
          (SELECT count() FROM liaisons FINAL WHERE NOT deleted) AS liaisons,
          (SELECT count() FROM liaisons FINAL WHERE NOT deleted AND (wecom_webhook != '' OR dingtalk_webhook != '' OR feishu_webhook != ''
             OR generic_webhook != '' OR email != '')) AS liaison_channels,
          (SELECT count() FROM alert_channels FINAL WHERE NOT deleted AND enabled AND kind != 'liaison') AS extra_channels`,
        format: 'JSONEachRow',
      }),
      this.ch.client.query({
        query: `SELECT
          (SELECT count() FROM ingest_runs FINAL WHERE source != 'demo' AND status = 'succeeded' AND accepted > 0) AS real_runs,
          (SELECT sum(accepted) FROM ingest_runs FINAL WHERE source != 'demo' AND status = 'succeeded') AS real_rows,
          (SELECT count() FROM ingest_runs FINAL WHERE source = 'demo') AS demo_runs`,
        format: 'JSONEachRow',
      }),
    ]);
    const r = { ...(await install.json<Record<string, number | string>>())[0], ...(await loads.json<Record<string, number | string>>())[0] };
    const n = (k: string): number => Number(r[k] ?? 0);
    return {
      adminPasswordChanges: n('admin_password_changes'), users: n('users'), liaisons: n('liaisons'), liaisonChannels: n('liaison_channels'),
      extraChannels: n('extra_channels'), realRuns: n('real_runs'), realRows: n('real_rows'), demoRuns: n('demo_runs'),
    };
  }
}
