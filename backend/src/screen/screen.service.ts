// Everything the wall screen draws, in one response per region and day:
// metrics against targets and last week, the children and every county for
// the map, the trend, the 1311 funnel, hardship and help-request numbers,
// recruitment compliance and the lagging counties.
import { BadRequestException, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { CareService } from '../care/care.service';
import type { Scope } from '../auth/scope';
import { DataEvents } from '../common/data-events';
import { prepareBody, type PreparedBody } from '../common/prepared-body';
import type { CampaignConfig } from '../metrics/campaign.config';
import {
  addDays, lagReasons, MetricsService, rankAmong, RATE_KEYS, regionMetrics, targetStatus, todayShanghai,
} from '../metrics/metrics.service';
import { METRIC_KEYS, toMetrics, zeroCounts, type MetricCounts, type Metrics } from '../metrics/metrics.types';
import { isoWeekLabel, isoWeekStart } from '../metrics/recruitment.logic';
import { RecruitmentService } from '../metrics/recruitment.service';
import type { Forecasts } from '../metrics/forecast.types';
import { MetricsStateService } from '../metrics/metrics.state.service';
import { COUNTIES, PROVINCE_CODE, REGION_BY_CODE, UNITS, type Region } from '../regions/regions.data';
import { ScreenRepository, type FunnelRow } from './screen.repository';
import {
  LAGGING_LIMIT,
  type ScreenChild, ScreenCounty, ScreenFunnel, ScreenLaggingCounty, ScreenPayload, ScreenPlan, ScreenRateKey, ScreenRecruitment,
  ScreenForecastMiss, ScreenRegionRef, ScreenSceneId, ScreenTrendPoint, type ScreenPullFailure,
} from './screen.types';
import { JobsService } from '../jobs/jobs.service';

export const SCENE_IDS: readonly ScreenSceneId[] = ['overview', 'units', 'lagging', 'focus', 'support', 'care'];

export const DEFAULT_PLAN: ScreenPlan = {
  scenes: [
    { id: 'overview', seconds: 60 },
    { id: 'units', seconds: 30 },
    { id: 'lagging', seconds: 30 },
    { id: 'focus', seconds: 30 },
    { id: 'support', seconds: 30 },
    { id: 'care', seconds: 30 },
  ],
  pauseSeconds: 60,
};

const MIN_SECONDS = 5;
const MAX_SECONDS = 3600;

function isSeconds(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= MIN_SECONDS && v <= MAX_SECONDS;
}

/**
 * Reads SCREEN_PLAN: `{"scenes":[{"id":"overview","seconds":60},…],"pauseSeconds":60}`
 * or just the scenes array. Anything invalid gives the default plan and the reason.
 */
export function parsePlan(raw: string | undefined): { plan: ScreenPlan; error?: string } {
  if (raw === undefined || raw.trim() === '') return { plan: DEFAULT_PLAN };
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { plan: DEFAULT_PLAN, error: 'SCREEN_PLAN is not JSON' };
  }
  const obj = (Array.isArray(v) ? { scenes: v } : v) as { scenes?: unknown; pauseSeconds?: unknown } | null;
  if (!obj || typeof obj !== 'object' || !Array.isArray(obj.scenes) || obj.scenes.length === 0) {
    return { plan: DEFAULT_PLAN, error: 'SCREEN_PLAN needs a non-empty "scenes" array' };
  }
  const scenes: ScreenPlan['scenes'] = [];
  for (const s of obj.scenes as unknown[]) {
    const sc = s as { id?: unknown; seconds?: unknown } | null;
    if (!sc || typeof sc !== 'object' || !SCENE_IDS.includes(sc.id as ScreenSceneId)) {
      return { plan: DEFAULT_PLAN, error: `SCREEN_PLAN scene ids must be one of ${SCENE_IDS.join(', ')}` };
    }
    if (!isSeconds(sc.seconds)) {
      return { plan: DEFAULT_PLAN, error: `SCREEN_PLAN scene seconds must be whole numbers from ${MIN_SECONDS} to ${MAX_SECONDS}` };
    }
    scenes.push({ id: sc.id as ScreenSceneId, seconds: sc.seconds });
  }
  let pauseSeconds = DEFAULT_PLAN.pauseSeconds;
  if (obj.pauseSeconds !== undefined) {
    if (!isSeconds(obj.pauseSeconds)) {
      return { plan: DEFAULT_PLAN, error: `SCREEN_PLAN pauseSeconds must be a whole number from ${MIN_SECONDS} to ${MAX_SECONDS}` };
    }
    pauseSeconds = obj.pauseSeconds;
  }
  return { plan: { scenes, pauseSeconds } };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

function monthBounds(day: string): { start: string; end: string } {
  const start = `${day.slice(0, 7)}-01`;
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  d.setUTCDate(0);
  return { start, end: d.toISOString().slice(0, 10) };
}

function ref(r: Region): ScreenRegionRef {
  return { code: r.code, name: r.name, level: r.level };
}

/** Just the metrics (a region's full response carries its children, trend … too). */
function stripRegion(m: Metrics): Metrics {
  return Object.fromEntries(METRIC_KEYS.map((k) => [k, m[k]])) as unknown as Metrics;
}

type DayCounts = Awaited<ReturnType<MetricsService['countsForDay']>>;
type Cached = Omit<ScreenPayload, 'serverTime' | 'pullFailure'>;

const PULL_SOURCES: Record<string, string> = { 'pull-postgres': '省平台数据库', 'pull-inbox': '收件箱' };

/** What of a built screen a caller may see: the breadcrumb and other units' recruitment are cut to the scope. */
function visibleTo(built: Cached, scope: Scope | undefined): Cached {
  if (!scope) return built;
  const visible = (c: string) => scope.canSee(c);
  return {
    ...built,
    breadcrumb: built.breadcrumb.filter((b) => visible(b.code)),
    recruitment: { ...built.recruitment, units: built.recruitment.units.filter((u) => visible(u.code)) },
    care: { ...built.care, checklist: { ...built.care.checklist, units: built.care.checklist.units.filter((u) => visible(u.code)) } },
  };
}

@Injectable()
export class ScreenService implements OnModuleDestroy {
  private readonly log = new Logger('Screen');
  private readonly cache = new Map<string, Promise<Cached>>();
  /** What each cached build resolved to, once it has. */
  private readonly ready = new WeakMap<Promise<Cached>, Cached>();
  /** Serialised bodies per built screen, by caller view and by scope (see bodyFor). */
  private readonly json = new WeakMap<Cached, Map<string, PreparedBody>>();
  private readonly unsubscribe: () => void;
  private planRaw: string | undefined = undefined;
  private planParsed: ScreenPlan = DEFAULT_PLAN;

  constructor(
    private readonly repo: ScreenRepository,
    private readonly metrics: MetricsService,
    private readonly recruitment: RecruitmentService,
    private readonly stateSvc: MetricsStateService,
    events: DataEvents,
    private readonly jobs: JobsService,
    private readonly care: CareService,
  ) {
    // New data or new snapshots change numbers or their stamps: forget every built screen.
    this.unsubscribe = events.subscribe((e) => {
      if (e.type !== 'job-failed') this.cache.clear();
      // A server running the schedule builds the province's screen as soon as new snapshots are out: every
      // wall screen asks for it at once, and the alert evaluation that follows a refresh (a minute of heavy
      // queries at national size) would make the first of them wait for the build; the refresh job waits for
      // it (DataEvents.settled) before that evaluation starts. A failed build is left to the first request.
      if (e.type === 'snapshot-ready' && this.jobs.scheduled) events.hold(this.screenBody(PROVINCE_CODE).catch(() => undefined));
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  plan(env: NodeJS.ProcessEnv = process.env): ScreenPlan {
    const raw = env.SCREEN_PLAN;
    if (raw !== this.planRaw) {
      const { plan, error } = parsePlan(raw);
      if (error) this.log.warn(`${error}; using the default plan`);
      this.planRaw = raw;
      this.planParsed = plan;
    }
    return this.planParsed;
  }

  /** The wall's region: the province or a reporting unit. */
  region(code: string): Region {
    const r = this.metrics.region(code);
    if (r.level === 'county') {
      throw new BadRequestException(`大屏只显示全省或报送单位，${code} 是县级单位 / the screen shows the province or a reporting unit`);
    }
    return r;
  }

  /**
   * The screen of a region. With a scope, the region must be visible to the
   * caller, and what lies outside the scope (the province in the breadcrumb,
   * other units' recruitment) is left out.
   */
  async screen(code: string, asOfQ?: string, scope?: Scope, now = new Date()): Promise<ScreenPayload> {
    const built = await this.built(code, asOfQ, scope, now);
    return { ...visibleTo(built, scope), pullFailure: this.pullFailure(), serverTime: new Date().toISOString() };
  }

  /** A data source whose last pull failed (said on the freshness stamp until a pull succeeds again). */
  pullFailure(): ScreenPullFailure | null {
    const failed = this.jobs
      .list()
      .filter((j) => PULL_SOURCES[j.name] && j.lastStatus === 'failed' && j.lastEnd)
      .sort((a, b) => b.lastEnd!.localeCompare(a.lastEnd!));
    const j = failed[0];
    return j ? { job: j.name, source: PULL_SOURCES[j.name]!, at: j.lastEnd! } : null;
  }

  /**
   * screen() as a prepared body: the ~100 KB JSON is serialised and
   * compressed once per built screen and caller view (what the scope hides),
   * not per request, and its ETag names exactly that. Only the server time
   * is appended per request (`tail`), as a stored block of the compressed
   * stream, so 200 wall screens polling cost a copy each.
   */
  async screenBody(code: string, asOfQ?: string, scope?: Scope, now = new Date()): Promise<{ body: PreparedBody; tail: Buffer }> {
    const built = await this.built(code, asOfQ, scope, now);
    return { body: this.bodyFor(built, scope), tail: this.tail() };
  }

  /**
   * screenBody() when the screen is built already, else null: it never
   * starts a build (the hot GET path, common/hot-get.ts, then leaves the
   * request to the Nest route). Throws what screenBody throws for a region
   * the caller may not see or a day outside the campaign.
   */
  async builtScreenBody(code: string, asOfQ?: string, scope?: Scope, now = new Date()): Promise<{ body: PreparedBody; tail: () => Buffer } | null> {
    const { key } = await this.keyOf(code, asOfQ, scope, now);
    const hit = this.cache.get(key);
    const built = hit && this.ready.get(hit);
    // The tail as a function: a 304 needs none.
    return built ? { body: this.bodyFor(built, scope), tail: () => this.tail() } : null;
  }

  /** The per-request end of the body: the pull failure (looked up once) and the server time. */
  private tail(): Buffer {
    return Buffer.from(`"pullFailure":${JSON.stringify(this.pullFailure())},"serverTime":${JSON.stringify(new Date().toISOString())}}`);
  }

  /**
   * The prepared body of a built screen for a caller, remembered per scope
   * (Scope.key) so the view is cut once, not per request; scopes that see the
   * same view share one body and ETag.
   */
  private bodyFor(built: Cached, scope: Scope | undefined): PreparedBody {
    let views = this.json.get(built);
    if (!views) this.json.set(built, (views = new Map()));
    const scopeKey = `scope:${scope ? scope.key : '*'}`;
    let body = views.get(scopeKey);
    if (body) return body;
    const view = visibleTo(built, scope);
    const viewKey = `${view.breadcrumb.map((b) => b.code).join(',')}|${view.recruitment.units.map((u) => u.code).join(',')}`;
    body = views.get(viewKey);
    if (!body) {
      const whole = JSON.stringify(view);
      // '{…}' → '{…,' so that the time can close it.
      body = prepareBody(whole.length > 2 ? `${whole.slice(0, -1)},` : '{', viewKey);
    }
    if (views.size >= 32) views.clear();
    views.set(viewKey, body);
    views.set(scopeKey, body);
    return body;
  }

  /** The built-screen cache key of a request, after the region and scope checks (what built() and builtScreenBody() share). */
  private async keyOf(code: string, asOfQ: string | undefined, scope: Scope | undefined, now: Date): Promise<{ key: string; r: Region; asOf: string; today: string; range: { from: string; to: string } }> {
    const r = this.region(code);
    scope?.assertCanSee(r.code);
    const today = todayShanghai(now);
    const range = await this.metrics.validRange();
    let asOf: string;
    if (asOfQ === undefined || asOfQ === '') {
      asOf = today < range.from ? range.from : today > range.to ? range.to : today;
    } else {
      asOf = await this.metrics.checkDay(asOfQ);
    }
    // The shared, once-a-second data state of MetricsService, not a query per request.
    const version = await this.metrics.dataVersion();
    return { key: `${r.level}:${r.code}|${asOf}|${today}|${version}|${range.from}..${range.to}`, r, asOf, today, range };
  }

  /** The built (cached) screen for a region and day, after the caller's scope check. */
  private async built(code: string, asOfQ: string | undefined, scope: Scope | undefined, now: Date): Promise<Cached> {
    const { key, r, asOf, today, range } = await this.keyOf(code, asOfQ, scope, now);
    let hit = this.cache.get(key);
    if (!hit) {
      const p = this.build(r, asOf, today, range);
      hit = p;
      if (this.cache.size >= 48) this.cache.clear();
      this.cache.set(key, p);
      // A failed build must not stick; a finished one can be served without waiting (builtScreenBody).
      p.then((v) => this.ready.set(p, v), () => this.cache.delete(key));
    }
    return hit;
  }

  private async build(r: Region, asOf: string, today: string, range: { from: string; to: string }): Promise<Cached> {
    const cfg = this.metrics.config();
    const weekAgoDay = addDays(asOf, -7);
    const weekAgo = weekAgoDay >= range.from ? weekAgoDay : null;
    // full() computes (and caches) the day's counts first, so the calls below reuse them.
    const full = await this.metrics.full(r.code, asOf);
    const [day, prevDay, funnelRows, demo, recruitment, forecasts] = await Promise.all([
      this.metrics.countsForDay(asOf),
      weekAgo ? this.metrics.countsForDay(weekAgo) : Promise.resolve(null),
      // The kept state once it holds every load (no screen query reads the raw tables then); the raw tables until the first refresh.
      this.stateSvc.isCurrent().then((current) => this.repo.funnel(asOf, cfg, current)),
      this.repo.hasDemoData(),
      this.recruitmentFor(asOf),
      this.metrics.forecasts(asOf),
    ]);

    const metrics = stripRegion(full);
    const previous = prevDay ? toMetrics(countsOf(prevDay, r.level, r.code)) : null;

    const children: ScreenChild[] = full.children.map((c) => {
      const ranks = rankAmong(full.children, c.region);
      const t = targetStatus(c, asOf, cfg);
      return {
        ...stripRegion(c),
        code: c.region,
        name: c.name,
        level: c.level,
        unitCode: r.level === 'province' ? c.region : r.code,
        rank: Object.fromEntries(RATE_KEYS.map((k) => [k, ranks[k]?.rank ?? null])) as ScreenChild['rank'],
        behind: RATE_KEYS.filter((k) => t[k].met === false),
      };
    });

    const scope = r.level === 'province' ? COUNTIES : COUNTIES.filter((c) => c.parentCode === r.code);
    const countyMetrics = scope.map((c) => regionMetrics(c, asOf, countsOf(day, 'county', c.code)));
    const counties: Record<string, ScreenCounty> = {};
    countyMetrics.forEach((c, i) => {
      counties[c.region] = { ...stripRegion(c), name: c.name, unitCode: scope[i]!.parentCode ?? r.code };
    });

    const lagging: ScreenLaggingCounty[] = countyMetrics
      .map((c) => {
        const reasons = lagReasons(c, countyMetrics, asOf, cfg);
        const gaps = reasons.map((x) => x.gap).filter((g): g is number => g !== null);
        const unitCode = counties[c.region]!.unitCode;
        return {
          code: c.region, name: c.name, unitCode, unitName: REGION_BY_CODE.get(unitCode)?.name ?? unitCode,
          received: c.received, reasons, worstGap: gaps.length ? Math.min(...gaps) : null,
          forecast: forecasts.get(`county:${c.region}`)!,
        };
      })
      .filter((c) => c.reasons.length > 0)
      .sort((a, b) => (a.worstGap ?? Infinity) - (b.worstGap ?? Infinity) || b.received - a.received);

    const trend: ScreenTrendPoint[] = full.trend.map((p) => ({
      asOf: p.asOf,
      received: p.received,
      contactRate: p.contactRate,
      rate1311: p.rate1311,
      employmentRate: p.employmentRate,
      hardshipOneOnOneRate: p.hardshipOneOnOneRate,
      helpOverdue: p.helpOverdue,
    }));

    const dataDay = full.dataTime ? full.dataTime.slice(0, 10) : null;
    const staleRef = demo ? asOf : today;

    return {
      region: ref(r),
      breadcrumb: r.level === 'province' ? [ref(r)] : [ref(REGION_BY_CODE.get(PROVINCE_CODE)!), ref(r)],
      asOf,
      weekAgo,
      range,
      today,
      dataTime: full.dataTime,
      computedAt: full.computedAt,
      source: full.source,
      demo,
      staleDays: dataDay ? Math.max(0, daysBetween(dataDay, staleRef)) : null,
      metrics,
      previous,
      targets: full.targets as Record<ScreenRateKey, ScreenPayload['targets'][ScreenRateKey]>,
      children,
      counties,
      trend,
      funnel: funnelOf(funnelRows, r, metrics, cfg),
      hardship: {
        hardship: metrics.hardship,
        oneOnOne: metrics.hardshipOneOnOne,
        employed: metrics.hardshipEmployed,
        oneOnOneRate: metrics.hardshipOneOnOneRate,
        target: cfg.targets.hardshipOneOnOneRate.value,
      },
      help: {
        requests: metrics.helpRequests,
        inSla: metrics.helpContactedInSla,
        overdue: metrics.helpOverdue,
        slaRate: metrics.helpSlaRate,
        target: cfg.targets.helpSlaRate.value,
        slaHours: cfg.helpSlaHours,
      },
      recruitment,
      lagging: lagging.slice(0, LAGGING_LIMIT),
      laggingTotal: lagging.length,
      forecast: full.forecast,
      forecastMiss: forecastMissOf(scope.map((c) => forecasts.get(`county:${c.code}`)!), asOf, cfg),
      care: await this.care.screen(full, full.children, asOf),
      campaign: cfg.year,
      previousYear: full.previousYear,
    };
  }

  /** Every unit's quota status in the ISO week and the month of the day, judged as of the day. */
  private async recruitmentFor(asOf: string): Promise<ScreenRecruitment> {
    const weekStart = isoWeekStart(asOf);
    const weekEnd = addDays(weekStart, 6);
    const month = monthBounds(asOf);
    const from = weekStart < month.start ? weekStart : month.start;
    const to = weekEnd > month.end ? weekEnd : month.end;
    const all = await this.recruitment.all(from, to);
    const status = (count: number, end: string): 'ok' | 'pending' | 'missed' => (count > 0 ? 'ok' : end < asOf ? 'missed' : 'pending');
    const byCode = new Map(all.map((c) => [c.unitCode, c]));
    return {
      week: { label: isoWeekLabel(weekStart), start: weekStart, end: weekEnd },
      month: { label: asOf.slice(0, 7), start: month.start, end: month.end },
      units: UNITS.map((u) => {
        const c = byCode.get(u.code);
        const w = c?.weeks.find((x) => x.start === weekStart);
        const m = c?.months.find((x) => x.month === asOf.slice(0, 7));
        const weekProfessional = w?.professional ?? 0;
        const monthComprehensive = m?.comprehensive ?? 0;
        return {
          code: u.code, name: u.name, weekProfessional, monthComprehensive,
          week: status(weekProfessional, weekEnd), month: status(monthComprehensive, month.end),
        };
      }),
    };
  }
}

/** Per targeted rate, the wall's counties that will miss, make, or cannot yet be projected to make the target. */
export function forecastMissOf(list: Forecasts[], asOf: string, cfg: CampaignConfig): ScreenForecastMiss {
  return {
    counties: list.length,
    end: cfg.end,
    daysLeft: Math.max(0, daysBetween(asOf, cfg.end)),
    rates: RATE_KEYS.map((metric) => ({
      metric,
      target: cfg.targets[metric].value,
      miss: list.filter((f) => f[metric].onTrack === false).length,
      onTrack: list.filter((f) => f[metric].onTrack === true).length,
      unknown: list.filter((f) => f[metric].onTrack === null).length,
    })),
  };
}

function countsOf(day: DayCounts, level: string, code: string): MetricCounts {
  return day.counts.get(`${level}:${code}`) ?? zeroCounts();
}

function funnelOf(rows: FunnelRow[], r: Region, m: Metrics, cfg: CampaignConfig): ScreenFunnel {
  const row = rows.find((x) => x.level === r.level && x.code === r.code);
  return {
    received: m.received,
    contacted: m.contacted,
    jobSeekers: row?.job_seekers ?? 0,
    components: cfg.rule1311.map((rule, i) => ({ type: rule.type, min: rule.min, count: row?.components[i] ?? 0 })),
    completed: row?.completed ?? 0,
  };
}
