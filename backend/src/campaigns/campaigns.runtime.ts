// One install, several campaign years (issue 18). Each year's records live in
// a database of their own on the same engine (the home year, the one the
// install began with, in the main database; another year Y in <main>_Y), and
// each year is served by an application of its own — the same modules, its
// own rules (CAMPAIGN_CONFIG's entry for Y), caches, jobs and inbox folder —
// so loading one year never changes another's figures. Accounts, sessions,
// liaisons, channels and the audit log stay the install's (the main database,
// ClickHouseHandle.install). An API request goes to the year it names
// (?campaign=YEAR), else to the one whose window holds its asOf or today,
// else the latest; the home application answers everything else.
import * as path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { MigrationsRepository } from '../clickhouse/migrations.repository';
import type { AppConfig } from '../config/config';
import { campaignConfig, campaignConfigFor, configuredCampaigns } from '../metrics/campaign.config';
import { todayShanghai } from '../metrics/metrics.service';
import { RegionsRepository } from '../regions/regions.repository';
import { CampaignChoiceError, campaignOfDay, campaignOfRequest, previousCampaign } from './campaigns.logic';
import { setCampaignPeers, type CampaignPeer, type CampaignPeers } from './campaigns.current';
import { CampaignsRepository, type CampaignRow } from './campaigns.repository';
import type { CampaignInfo } from './campaigns.types';

type Handler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

interface Opened {
  row: CampaignRow;
  ch: ClickHouseHandle | null;
  app: INestApplicationContext | null;
}

export class CampaignRuntime implements CampaignPeers {
  private readonly opened = new Map<number, Opened>();
  /** Years the demo fills (their applications load the demo into an empty database). */
  private readonly demoYears = new Set<number>();
  private listed: { configured: readonly unknown[]; list: CampaignInfo[] } | null = null;
  private readonly repo: CampaignsRepository;

  private constructor(
    private readonly cfg: AppConfig,
    private readonly home: ClickHouseHandle,
    rows: CampaignRow[],
  ) {
    this.repo = new CampaignsRepository(home);
    for (const row of rows) this.opened.set(row.year, { row, ch: row.home ? home : null, app: null });
  }

  /**
   * The install's campaign years: those recorded, the home year recorded on the first start (the configured
   * campaign's, or of several configured the latest), and every configured year not yet recorded.
   */
  static async open(cfg: AppConfig, home: ClickHouseHandle): Promise<CampaignRuntime> {
    const repo = new CampaignsRepository(home);
    let rows = await repo.list();
    if (!rows.some((r) => r.home)) {
      await repo.save({ year: campaignConfig().year, database: home.database, home: 1, archived: 0 });
    }
    rows = await repo.list();
    for (const c of configuredCampaigns()) {
      if (!rows.some((r) => r.year === c.year)) await repo.save({ year: c.year, database: `${home.database}_${c.year}`, home: 0, archived: 0 });
    }
    const rt = new CampaignRuntime(cfg, home, await repo.list());
    setCampaignPeers(rt);
    return rt;
  }

  get homeYear(): number {
    return [...this.opened.values()].find((o) => o.row.home)!.row.year;
  }

  /** Oldest first. Asked on every request (routing): kept until the years or CAMPAIGN_CONFIG change. */
  list(): CampaignInfo[] {
    const configured = configuredCampaigns();
    if (this.listed?.configured === configured) return this.listed.list;
    const list = [...this.opened.values()]
      .map((o) => {
        const rules = campaignConfigFor(o.row.year);
        return { year: o.row.year, start: rules.start, end: rules.end, archived: o.row.archived === 1, home: o.row.home === 1 };
      })
      .sort((a, b) => a.year - b.year);
    this.listed = { configured, list };
    return list;
  }

  info(year: number): CampaignInfo | null {
    return this.list().find((c) => c.year === year) ?? null;
  }

  current(today: string = todayShanghai()): CampaignInfo {
    return campaignOfDay(this.list(), today);
  }

  previous(year: number): CampaignPeer | null {
    const info = previousCampaign(this.list(), year);
    return info ? { info, app: this.opened.get(info.year)?.app ?? null } : null;
  }

  /** The settings of a year's application: its rules, its inbox folder, and no loads or jobs when archived. */
  appConfig(year: number): AppConfig {
    const o = this.opened.get(year);
    if (!o) throw new CampaignChoiceError(this.unknown(year));
    const archived = o.row.archived === 1;
    const own = campaignConfigFor(year).sourcePgMapping;
    const pg = { sourcePgMapping: own ?? (o.row.home ? this.cfg.sourcePgMapping : null), sourcePgOwnMapping: Boolean(own) };
    if (o.row.home) return { ...this.cfg, ...pg, campaignYear: year, campaignHome: true, readOnly: archived, jobs: this.cfg.jobs && !archived };
    return {
      ...this.cfg,
      ...pg,
      campaignYear: year,
      campaignHome: false,
      readOnly: archived,
      jobs: this.cfg.jobs && !archived,
      demo: this.cfg.demo && this.demoYears.has(year),
      // Not listening itself: the home application's server hands its requests on (no hot path of its own).
      hotGet: false,
      inboxDir: path.join(this.cfg.inboxDir, String(year)),
    };
  }

  private unknown(year: number): string {
    const years = this.list().map((c) => c.year).join('、');
    return `没有 ${year} 年的攻坚行动（本系统有：${years}） / no ${year} campaign here (there are: ${years})`;
  }

  /** A year's database handle, opened (and brought up to date) on first use. */
  async handle(year: number): Promise<ClickHouseHandle> {
    const o = this.opened.get(year);
    if (!o) throw new CampaignChoiceError(this.unknown(year));
    if (!o.ch) {
      const ch = await this.home.sibling(o.row.database);
      try {
        await new MigrationsRepository(ch).migrate();
        await new RegionsRepository(ch).sync();
      } catch (e) {
        await ch.close().catch(() => undefined);
        throw e;
      }
      o.ch = ch;
    }
    return o.ch;
  }

  /** Records a new campaign year (its database is created when first opened). */
  async add(year: number): Promise<CampaignInfo> {
    if (!this.opened.has(year)) {
      if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new CampaignChoiceError(`campaign 应为年份，如 2023（收到 ${year}） / campaign must be a year such as 2023`);
      const row: CampaignRow = { year, database: `${this.home.database}_${year}`, home: 0, archived: 0 };
      await this.repo.save(row);
      this.opened.set(year, { row, ch: null, app: null });
      this.listed = null;
    }
    return this.info(year)!;
  }

  /** Archives a year (read-only: no loads, no scheduled jobs) or opens it again; takes effect at the next start. */
  async setArchived(year: number, archived: boolean): Promise<CampaignInfo> {
    const o = this.opened.get(year);
    if (!o) throw new CampaignChoiceError(this.unknown(year));
    o.row = { ...o.row, archived: archived ? 1 : 0 };
    this.listed = null;
    await this.repo.save(o.row);
    return this.info(year)!;
  }

  /** The demo fills this year (DemoLoader.prepareCampaigns). */
  markDemo(year: number): void {
    this.demoYears.add(year);
  }

  /** Registers an application built for a year (the home one, or one this runtime built). */
  attach(year: number, app: INestApplicationContext): void {
    const o = this.opened.get(year);
    if (o) o.app = app;
  }

  appOf(year: number): INestApplicationContext | null {
    return this.opened.get(year)?.app ?? null;
  }

  /** Builds and starts the application of every year but the home one. */
  async startOthers(build: (cfg: AppConfig, ch: ClickHouseHandle, logger: LoggerService | false) => Promise<NestExpressApplication>, logger: LoggerService | false): Promise<void> {
    for (const c of this.list()) {
      if (c.home || this.opened.get(c.year)!.app) continue;
      const app = await build(this.appConfig(c.year), await this.handle(c.year), logger);
      await app.init();
      this.attach(c.year, app);
    }
  }

  /** Whether a request is the home year's (the hot GET path answers only those, and only without ?campaign=). */
  belongsHome(req: IncomingMessage): boolean {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    if (params.has('campaign')) return false;
    try {
      return campaignOfRequest(this.list(), params, todayShanghai()).year === this.homeYear;
    } catch {
      return false;
    }
  }

  /** Express middleware of the home application: another year's API request goes to that year's application. */
  dispatcher(): Handler {
    return (req, res, next) => {
      const url = req.url ?? '';
      if (!url.startsWith('/api/')) return next();
      const q = url.indexOf('?');
      const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
      let year: number;
      try {
        year = campaignOfRequest(this.list(), params, todayShanghai()).year;
      } catch (e) {
        if (!(e instanceof CampaignChoiceError)) return next(e);
        res.statusCode = 400;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ statusCode: 400, message: e.message, error: 'Bad Request' }));
        return;
      }
      // The query DTOs do not know the parameter: it is taken off once it has chosen the year.
      if (params.has('campaign')) {
        params.delete('campaign');
        req.url = url.slice(0, q) + (params.size ? `?${params.toString()}` : '');
      }
      if (year === this.homeYear) return next();
      const app = this.opened.get(year)?.app as NestExpressApplication | null | undefined;
      if (!app) {
        res.statusCode = 503;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.setHeader('retry-after', '5');
        res.end(JSON.stringify({ statusCode: 503, message: `${year} 年攻坚行动的数据正在打开，请稍后重试 / the ${year} campaign is still opening` }));
        return;
      }
      (app.getHttpAdapter().getInstance() as Handler)(req, res, next);
    };
  }

  closeOthers(): Promise<void> {
    return this.close();
  }

  /** Closes every other year's application (and its database handle); the home application closes itself. */
  async close(): Promise<void> {
    for (const o of this.opened.values()) {
      if (o.row.home) continue;
      if (o.app) await o.app.close().catch(() => undefined);
      else if (o.ch) await o.ch.close().catch(() => undefined);
      o.app = null;
      o.ch = null;
    }
    setCampaignPeers(null);
  }
}
