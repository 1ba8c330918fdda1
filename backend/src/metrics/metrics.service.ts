// Metric rules: which days are valid, where numbers come from (a fresh
// snapshot, else the raw tables), ranks, target paths and lagging.
import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { campaignPeers } from '../campaigns/campaigns.current';
import { sameCampaignDay } from '../campaigns/campaigns.logic';
import type { PreviousYear } from '../campaigns/campaigns.types';
import type { ScreenRateKey } from '../screen/screen.types';
import { REGIONS, REGION_BY_CODE, type Region } from '../regions/regions.data';
import { rulesFor, targetOn, type CampaignConfig, type RateKey } from './campaign.config';
import { MetricsRepository, type DataState } from './metrics.repository';
import { MetricsStateService, type SyncResult } from './metrics.state.service';
import { DataEvents } from '../common/data-events';
import { prepareBody, type PreparedBody } from '../common/prepared-body';
import { toMetrics, zeroCounts, type CampaignDay, type CountsRow, type MetricCounts, type Metrics } from './metrics.types';
import { FORECAST_WINDOW_DAYS, forecastsOf } from './forecast.logic';
import type { Forecasts } from './forecast.types';
import { CareMetricsService } from '../care/care.metrics.service';
import type { CareMetrics } from '../care/care.types';

export const RATE_KEYS: RateKey[] = ['contactRate', 'rate1311', 'employmentRate', 'helpSlaRate', 'hardshipOneOnOneRate'];

export interface TargetStatus {
  target: number;
  /** The target path's value on the day. */
  path: number;
  value: number | null;
  /** value − path (negative = behind); null when the rate is undefined. */
  gap: number | null;
  met: boolean | null;
}

export interface LagReason {
  metric: RateKey;
  value: number | null;
  path: number;
  gap: number | null;
  reason: 'below_target' | 'bottom_quarter';
}

export interface RegionMetrics extends Metrics {
  region: string;
  name: string;
  level: Region['level'];
  asOf: string;
}

export interface LaggingRegion {
  region: string;
  name: string;
  level: Region['level'];
  reasons: LagReason[];
  /** Where the child is heading on each targeted rate (see forecast). */
  forecast: Forecasts;
}

export interface MetricsResponse extends RegionMetrics, CareMetrics {
  children: Array<RegionMetrics & CareMetrics>;
  trend: Array<{ asOf: string } & Metrics>;
  rank: Partial<Record<RateKey, { rank: number; of: number } | null>>;
  targets: Record<RateKey, TargetStatus>;
  lagging: LagReason[];
  laggingChildren: LaggingRegion[];
  /** Each targeted rate projected to the campaign's end from the last 14 days' pace (docs/metrics.md, "Forecast"). */
  forecast: Forecasts;
  /** The same region on the same campaign day of the previous campaign year in this install, or null (docs/metrics.md, "Campaign years"). */
  previousYear: PreviousYear | null;
  /** Latest ledger time the numbers include (Asia/Shanghai), and when they were computed. */
  dataTime: string | null;
  computedAt: string;
  source: 'snapshot' | 'live';
}

type Key = string; // `${level}:${code}`

function key(level: string, code: string): Key {
  return `${level}:${code}`;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** How long full() answers are reused; changes made by another process show within this time. */
const FULL_MEMO_MS = 5_000;

const YOY_KEYS: readonly ScreenRateKey[] = ['contactRate', 'rate1311', 'employmentRate', 'helpSlaRate', 'hardshipOneOnOneRate'];

export function isValidDay(s: string): boolean {
  if (!DAY_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Today in Asia/Shanghai, from the server clock. */
export function todayShanghai(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function regionMetrics(r: Region, asOf: string, c: MetricCounts): RegionMetrics {
  return { region: r.code, name: r.name, level: r.level, asOf, ...toMetrics(c) };
}

/** Ranks siblings on each rate (1 = best); regions without a rate are not ranked. */
export function rankAmong(rows: RegionMetrics[], code: string): MetricsResponse['rank'] {
  const out: MetricsResponse['rank'] = {};
  for (const k of RATE_KEYS) {
    const withValue = rows.filter((r) => r[k] !== null).sort((a, b) => (b[k] as number) - (a[k] as number));
    const i = withValue.findIndex((r) => r.region === code);
    out[k] = i < 0 ? null : { rank: withValue.findIndex((r) => r[k] === withValue[i]![k]) + 1, of: withValue.length };
  }
  return out;
}

export function targetStatus(m: Metrics, asOf: string, cfg: CampaignConfig): Record<RateKey, TargetStatus> {
  const out = {} as Record<RateKey, TargetStatus>;
  for (const k of RATE_KEYS) {
    const t = cfg.targets[k];
    const path = targetOn(t, asOf, cfg);
    const value = m[k];
    out[k] = { target: t.value, path, value, gap: value === null ? null : value - path, met: value === null ? null : value >= path - 1e-12 };
  }
  return out;
}

/** Lagging = below the target path, or in the bottom quarter of its siblings (at least 4 with a value). */
export function lagReasons(m: RegionMetrics, siblings: RegionMetrics[], asOf: string, cfg: CampaignConfig): LagReason[] {
  const reasons: LagReason[] = [];
  const targets = targetStatus(m, asOf, cfg);
  for (const k of RATE_KEYS) {
    const t = targets[k];
    if (t.value === null) continue;
    if (t.met === false) {
      reasons.push({ metric: k, value: t.value, path: t.path, gap: t.gap, reason: 'below_target' });
      continue;
    }
    const values = siblings.map((s) => s[k]).filter((v): v is number => v !== null).sort((a, b) => a - b);
    if (values.length >= 4) {
      const cut = values[Math.ceil(values.length / 4) - 1]!;
      if (t.value <= cut && t.value < values[values.length - 1]!) {
        reasons.push({ metric: k, value: t.value, path: t.path, gap: t.gap, reason: 'bottom_quarter' });
      }
    }
  }
  return reasons;
}

interface DayCounts {
  counts: Map<Key, MetricCounts>;
  computedAt: string;
  source: 'snapshot' | 'live';
}

@Injectable()
export class MetricsService {
  private liveCache = new Map<string, DayCounts>();
  private liveInFlight = new Map<string, Promise<DayCounts>>();
  private trendInFlight = new Map<string, Promise<Map<Key, Array<{ asOf: string; c: MetricCounts }>>>>();
  private trendCache = new Map<string, Map<Key, Array<{ asOf: string; c: MetricCounts }>>>();

  /** Whole responses of full(), briefly: a wall or a busy workbench asks the same region and day many times a second. */
  private fullMemo = new Map<string, { at: number; p: Promise<MetricsResponse>; renewing?: boolean }>();
  private fullJsonMemo = new WeakMap<Promise<MetricsResponse>, Promise<PreparedBody>>();
  /** What each fullJsonMemo entry resolved to, once it has. */
  private fullJsonReady = new WeakMap<Promise<MetricsResponse>, PreparedBody>();
  /** Every region's forecasts per day and data version: computed once, shared by the API, the screen and the alerts. */
  private forecastMemo = new Map<string, Promise<Map<Key, Forecasts>>>();

  constructor(
    private readonly repo: MetricsRepository,
    private readonly state: MetricsStateService,
    events: DataEvents,
    private readonly care: CareMetricsService,
    @Inject(APP_CONFIG) private readonly appCfg: AppConfig,
  ) {
    events.subscribe((e) => {
      if (e.type === 'data-loaded' || e.type === 'snapshot-ready') this.forget();
    });
  }

  /** Forgets every remembered answer (new data or new snapshots in this process). */
  private forget(): void {
    this.repo.forgetDataState();
    this.fullMemo.clear();
    this.forecastMemo.clear();
  }

  config(): CampaignConfig {
    return rulesFor(this.appCfg);
  }

  /** The data version (highest succeeded load run), remembered like the data state: cheap enough for every request. */
  async dataVersion(): Promise<number> {
    return (await this.repo.dataState()).dataVersion;
  }

  /** The days metrics can be asked for: the campaign, stretched to cover all loaded data. */
  async validRange(state?: DataState): Promise<{ from: string; to: string }> {
    const cfg = this.config();
    const s = state ?? (await this.repo.dataState());
    const from = s.firstDay && s.firstDay < cfg.start ? s.firstDay : cfg.start;
    const to = s.lastDay && s.lastDay > cfg.end ? s.lastDay : cfg.end;
    return { from, to };
  }

  /**
   * The campaign's current day, the default of every page and report: today
   * while the campaign runs; once it has ended (or before it began, as with a
   * demo of a past year) the last day with data, kept inside the valid range.
   */
  async currentDay(now = new Date()): Promise<CampaignDay> {
    const cfg = this.config();
    const s = await this.repo.dataState();
    const { from, to } = await this.validRange(s);
    const today = todayShanghai(now);
    const running = today >= cfg.start && today <= cfg.end;
    const clamp = (d: string): string => (d < from ? from : d > to ? to : d);
    const day = running ? clamp(today) : s.lastDay ? clamp(s.lastDay) : today < cfg.start ? cfg.start : cfg.end;
    return { year: cfg.year, day, from, to, start: cfg.start, end: cfg.end, today, running, lastDataDay: s.lastDay, rule1311: cfg.rule1311.map((c) => ({ type: c.type, min: c.min })) };
  }

  async checkDay(asOf: string | undefined, name = 'asOf'): Promise<string> {
    if (asOf === undefined || asOf === '') throw new BadRequestException(`缺少参数 ${name}（YYYY-MM-DD） / ${name} is required`);
    if (!isValidDay(asOf)) throw new BadRequestException(`${name} 日期格式错误：“${asOf}”，应为 YYYY-MM-DD 的有效日期 / ${name} must be a real date YYYY-MM-DD`);
    const { from, to } = await this.validRange();
    if (asOf < from || asOf > to) {
      throw new BadRequestException(`${name} ${asOf} 不在攻坚行动期间（${from} 至 ${to}） / ${name} is outside the campaign (${from} to ${to})`);
    }
    return asOf;
  }

  region(code: string): Region {
    const r = REGION_BY_CODE.get(code);
    if (!r) throw new BadRequestException(`未知地区代码 ${code} / unknown region code`);
    return r;
  }

  /** All regions' counts for a day: from snapshots when they saw the current data, else computed now. */
  async countsForDay(asOf: string): Promise<DayCounts> {
    const state = await this.repo.dataState();
    const cov = await this.repo.snapshotCoverage(asOf, asOf);
    if (cov.days === 1 && cov.minVersion >= state.dataVersion) {
      const rows = await this.repo.readSnapshots(REGIONS.map((r) => ({ level: r.level, code: r.code })), asOf, asOf);
      return { counts: toMap(rows), computedAt: rows[0]?.computed_at ?? new Date().toISOString(), source: 'snapshot' };
    }
    const ck = `${asOf}@${state.dataVersion}`;
    const hit = this.liveCache.get(ck);
    if (hit) return hit;
    // Concurrent requests for the same day share one computation (seconds at national size).
    let pending = this.liveInFlight.get(ck);
    if (!pending) {
      pending = this.repo.countsAsOf(asOf, this.config()).then((rows) => {
        const day: DayCounts = { counts: toMap(rows), computedAt: new Date().toISOString(), source: 'live' };
        if (this.liveCache.size > 64) this.liveCache.clear();
        this.liveCache.set(ck, day);
        return day;
      }).finally(() => this.liveInFlight.delete(ck));
      this.liveInFlight.set(ck, pending);
    }
    return pending;
  }

  /** Metrics for one region as of a day (the CLI's and the API's core). */
  async metricsFor(code: string, asOf: string): Promise<RegionMetrics & CareMetrics & { dataTime: string | null; computedAt: string; source: 'snapshot' | 'live' }> {
    const r = this.region(code);
    const day = await this.countsForDay(asOf);
    const state = await this.repo.dataState();
    const counts = day.counts.get(key(r.level, r.code)) ?? zeroCounts();
    const care = this.care.metricsOf(await this.care.countsForDay(asOf, state.dataVersion), r, counts.hardship);
    return { ...regionMetrics(r, asOf, counts), ...care, dataTime: state.ledgerTime, computedAt: day.computedAt, source: day.source };
  }

  /**
   * Everything the workbench shows for a region and day. Answers are kept for
   * FULL_MEMO_MS (and dropped at once on new data or snapshots in this
   * process), so a burst of identical requests costs one computation.
   */
  full(code: string, asOf: string): Promise<MetricsResponse> {
    const k = `${code}|${asOf}`;
    const hit = this.fullMemo.get(k);
    if (hit && Date.now() - hit.at < FULL_MEMO_MS) return hit.p;
    const p = this.computeFull(code, asOf);
    if (hit && !hit.renewing) {
      // Expired by age only (new data or snapshots in this process clear the memo at once): the
      // remembered answer keeps serving while one recomputation runs, so a busy route never stalls
      // every few seconds behind its own refresh.
      hit.renewing = true;
      p.then(() => {
        if (this.fullMemo.get(k) === hit) this.fullMemo.set(k, { at: Date.now(), p });
      }, () => void (hit.renewing = false));
      return hit.p;
    }
    if (this.fullMemo.size > 1000) this.fullMemo.clear();
    this.fullMemo.set(k, { at: Date.now(), p });
    p.catch(() => this.fullMemo.delete(k));
    return p;
  }

  /** full() serialised and compressed (with its weak ETag), once per remembered answer. */
  fullJson(code: string, asOf: string): Promise<PreparedBody> {
    const p = this.full(code, asOf);
    let j = this.fullJsonMemo.get(p);
    if (!j) {
      const prepared = p.then((r) => prepareBody(JSON.stringify(r)));
      prepared.then((b) => this.fullJsonReady.set(p, b), () => undefined);
      this.fullJsonMemo.set(p, (j = prepared));
    }
    return j;
  }

  /**
   * fullJson() when its body is prepared already, else null (the hot GET
   * path, common/hot-get.ts, then leaves the request to the Nest route,
   * which asks fullJson() for the same remembered answer).
   */
  preparedFullJson(code: string, asOf: string): PreparedBody | null {
    return this.fullJsonReady.get(this.full(code, asOf)) ?? null;
  }

  private async computeFull(code: string, asOf: string): Promise<MetricsResponse> {
    const cfg = this.config();
    const r = this.region(code);
    const state = await this.repo.dataState();
    // The forecasts read the snapshots on their own: start them alongside the day's counts.
    const [day, forecasts] = await Promise.all([this.countsForDay(asOf), this.forecasts(asOf)]);
    const get = (x: Region) => regionMetrics(x, asOf, day.counts.get(key(x.level, x.code)) ?? zeroCounts());
    const careDay = await this.care.countsForDay(asOf, state.dataVersion);
    const withCare = (x: Region): RegionMetrics & CareMetrics => {
      const m = get(x);
      return { ...m, ...this.care.metricsOf(careDay, x, m.hardship) };
    };
    const self = withCare(r);
    const children = REGIONS.filter((x) => x.parentCode === r.code && !(x.code === r.code && x.level === r.level)).map(withCare);
    const siblings = r.parentCode ? REGIONS.filter((x) => x.parentCode === r.parentCode && x.level === r.level).map(get) : [self];
    const forecastOf = (x: { level: string; region: string }) => forecasts.get(key(x.level, x.region))!;
    const laggingChildren = children
      .map((c) => ({ region: c.region, name: c.name, level: c.level, reasons: lagReasons(c, children, asOf, cfg), forecast: forecastOf(c) }))
      .filter((c) => c.reasons.length > 0);
    return {
      ...self,
      children,
      trend: await this.trend(r, asOf, state),
      rank: r.parentCode ? rankAmong(siblings, r.code) : {},
      targets: targetStatus(self, asOf, cfg),
      lagging: r.parentCode ? lagReasons(self, siblings, asOf, cfg) : lagReasons(self, [], asOf, cfg),
      laggingChildren,
      forecast: forecastOf(self),
      previousYear: await this.previousYearOf(r.code, asOf, self),
      dataTime: state.ledgerTime,
      computedAt: day.computedAt,
      source: day.source,
    };
  }

  /**
   * Year over year: the region's rates on the same campaign day (day N since the start) of the previous
   * campaign year of this install, and the differences; null without a previous year.
   */
  async previousYearOf(code: string, asOf: string, self: Pick<Metrics, ScreenRateKey>): Promise<PreviousYear | null> {
    const peers = campaignPeers();
    const year = this.config().year;
    const mine = peers?.info(year);
    const prev = peers?.previous(year);
    if (!mine || !prev?.app) return null;
    const { asOf: then, day } = sameCampaignDay(asOf, mine, prev.info);
    let m: Metrics;
    try {
      m = await prev.app.get(MetricsService).metricsFor(code, then);
    } catch {
      // Last year's figures are an aside: the page keeps this year's when they cannot be read.
      return null;
    }
    const rates = {} as PreviousYear['rates'];
    const diff = {} as PreviousYear['diff'];
    for (const k of YOY_KEYS) {
      rates[k] = m[k];
      const a = self[k];
      diff[k] = a === null || m[k] === null ? null : a - m[k]!;
    }
    return { campaign: prev.info.year, asOf: then, day, rates, diff };
  }

  async laggingChildren(code: string, asOf: string): Promise<LaggingRegion[]> {
    return (await this.full(code, asOf)).laggingChildren;
  }

  /** Daily series from the start of the valid range to asOf. */
  async trend(r: Region, asOf: string, state: DataState): Promise<Array<{ asOf: string } & Metrics>> {
    const { from } = await this.validRange(state);
    const k = key(r.level, r.code);
    const cov = await this.repo.snapshotCoverage(from, asOf);
    const expectedDays = Math.round((Date.parse(asOf) - Date.parse(from)) / 86_400_000) + 1;
    let series: Array<{ asOf: string; c: MetricCounts }>;
    if (cov.days === expectedDays && cov.minVersion >= state.dataVersion) {
      const rows = await this.repo.readSnapshots([{ level: r.level, code: r.code }], from, asOf);
      series = rows.map((x) => ({ asOf: x.as_of, c: x }));
    } else {
      series = (await this.liveDaily(from, asOf, state)).get(k) ?? [];
    }
    const byDay = new Map(series.map((s) => [s.asOf, s.c]));
    const out: Array<{ asOf: string } & Metrics> = [];
    for (let d = from; d <= asOf; d = addDays(d, 1)) out.push({ asOf: d, ...toMetrics(byDay.get(d) ?? zeroCounts()) });
    return out;
  }

  /** Every region's daily counts for [from, asOf] straight from the raw tables, shared by concurrent callers and kept per data version. */
  private async liveDaily(from: string, asOf: string, state: DataState): Promise<Map<Key, Array<{ asOf: string; c: MetricCounts }>>> {
    const ck = `${from}..${asOf}@${state.dataVersion}`;
    const hit = this.trendCache.get(ck);
    if (hit) return hit;
    let pending = this.trendInFlight.get(ck);
    if (!pending) {
      pending = this.repo.countsDaily(from, asOf, this.config()).then((rows) => {
        const m = new Map<Key, Array<{ asOf: string; c: MetricCounts }>>();
        for (const row of rows) {
          const kk = key(row.level, row.code);
          if (!m.has(kk)) m.set(kk, []);
          m.get(kk)!.push({ asOf: row.as_of!, c: row });
        }
        if (this.trendCache.size > 8) this.trendCache.clear();
        this.trendCache.set(ck, m);
        return m;
      }).finally(() => this.trendInFlight.delete(ck));
      this.trendInFlight.set(ck, pending);
    }
    return pending;
  }

  /**
   * Every region's forecast on a day (docs/metrics.md, "Forecast"), from the
   * daily counts of the window before it: the kept snapshots when they saw
   * the current data, else the same daily pass the trend uses. Computed once
   * per day and data version and shared by every caller.
   */
  forecasts(asOf: string): Promise<Map<Key, Forecasts>> {
    return this.repo.dataState().then((state) => {
      const ck = `${asOf}@${state.dataVersion}`;
      let p = this.forecastMemo.get(ck);
      if (!p) {
        p = this.computeForecasts(asOf, state);
        if (this.forecastMemo.size > 64) this.forecastMemo.clear();
        this.forecastMemo.set(ck, p);
        p.catch(() => this.forecastMemo.delete(ck));
      }
      return p;
    });
  }

  /** One region's forecast on a day (the CLI's). */
  async forecastFor(code: string, asOf: string): Promise<Forecasts> {
    const r = this.region(code);
    return (await this.forecasts(asOf)).get(key(r.level, r.code))!;
  }

  private async computeForecasts(asOf: string, state: DataState): Promise<Map<Key, Forecasts>> {
    const cfg = this.config();
    const { from } = await this.validRange(state);
    const windowStart = addDays(asOf, -FORECAST_WINDOW_DAYS);
    const start = windowStart > from ? windowStart : from;
    const days = Math.round((Date.parse(asOf) - Date.parse(start)) / 86_400_000) + 1;
    const cov = await this.repo.snapshotCoverage(start, asOf);
    let byRegion: Map<Key, Array<{ asOf: string; c: MetricCounts }>>;
    if (cov.days === days && cov.minVersion >= state.dataVersion) {
      byRegion = new Map();
      for (const row of await this.repo.readSnapshots(REGIONS.map((r) => ({ level: r.level, code: r.code })), start, asOf)) {
        const kk = key(row.level, row.code);
        if (!byRegion.has(kk)) byRegion.set(kk, []);
        byRegion.get(kk)!.push({ asOf: row.as_of, c: row });
      }
    } else {
      // The trend's daily pass from the range's start: one query shared with trend(), not one more.
      byRegion = await this.liveDaily(from, asOf, state);
    }
    const out = new Map<Key, Forecasts>();
    for (const r of REGIONS) {
      const k = key(r.level, r.code);
      const series = (byRegion.get(k) ?? []).filter((p) => p.asOf >= start).map((p) => ({ asOf: p.asOf, ...toMetrics(p.c) }));
      out.set(k, forecastsOf(series, asOf, cfg));
    }
    return out;
  }

  /**
   * Recomputes snapshots for every day of the valid range up to today when
   * the data changed since they were written. Returns the days written.
   * The metric state is first brought up to the loaded runs (only the persons
   * new runs touched are rebuilt; `rebuildState` rebuilds everyone), then all
   * days come from it in one pass.
   */
  async refresh(
    force = false,
    opts: { rebuildState?: boolean } = {},
  ): Promise<{ days: number; from: string | null; to: string | null; skipped: boolean; state?: SyncResult }> {
    const state = await this.repo.dataState();
    if (!state.firstDay) return { days: 0, from: null, to: null, skipped: true };
    const range = await this.validRange(state);
    const today = todayShanghai();
    const to = range.to < today ? range.to : today;
    const from = range.from;
    if (to < from) return { days: 0, from, to, skipped: true };
    const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
    const cov = await this.repo.snapshotCoverage(from, to);
    if (!force && cov.days === days && cov.minVersion >= state.dataVersion) return { days: 0, from, to, skipped: true };
    const synced = await this.state.sync(opts.rebuildState);
    const rows = await this.state.repo.countsDaily(from, to, this.config());
    // Regions with no data yet still get a zero row, so a snapshot day is complete.
    const seen = new Set(rows.map((x) => `${x.as_of}|${x.level}|${x.code}`));
    const filled: CountsRow[] = [...rows];
    for (let d = from; d <= to; d = addDays(d, 1)) {
      for (const reg of REGIONS) {
        if (!seen.has(`${d}|${reg.level}|${reg.code}`)) filled.push({ level: reg.level, code: reg.code, as_of: d, ...zeroCounts() });
      }
    }
    await this.repo.writeSnapshots(filled, state);
    await this.care.writeSnapshots(from, to, state.dataVersion);
    this.liveCache.clear();
    this.trendCache.clear();
    this.forget();
    return { days, from, to, skipped: false, state: synced };
  }
}

function toMap(rows: CountsRow[]): Map<Key, MetricCounts> {
  return new Map(rows.map((r) => [key(r.level, r.code), r]));
}
