// The shape of GET /api/screen/plan and GET /api/screen/:code, shared by the
// backend and the wall screen (type-only: no Nest, no Node in here, so the
// browser bundle and vue-tsc can import it).
import type { Metrics } from '../metrics/metrics.types';
import type { Forecasts } from '../metrics/forecast.types';
import type { ScreenCare } from '../care/care.api.types';
import type { PreviousYear } from '../campaigns/campaigns.types';

/** The wall lists at most this many lagging counties. */
export const LAGGING_LIMIT = 24;

export type ScreenSceneId = 'overview' | 'units' | 'lagging' | 'focus'
  | 'support'
  | 'care';

export interface ScreenScene {
  id: ScreenSceneId;
  seconds: number;
}

export interface ScreenPlan {
  scenes: ScreenScene[];
  /** How long a touch or click pauses the rotation. */
  pauseSeconds: number;
}

export type ScreenRateKey = 'contactRate' | 'rate1311' | 'employmentRate' | 'helpSlaRate' | 'hardshipOneOnOneRate';

export interface ScreenTarget {
  /** The rate to reach by the end. */
  target: number;
  /** The target path's value on the day. */
  path: number;
  value: number | null;
  gap: number | null;
  met: boolean | null;
}

export interface ScreenRegionRef {
  code: string;
  name: string;
  level: 'province' | 'unit' | 'county';
}

export interface ScreenChild extends ScreenRegionRef, Metrics {
  /** The child's reporting unit (for counties; the child itself for units). */
  unitCode: string;
  /** Rank among the children on each rate (1 = best), null without a value. */
  rank: Partial<Record<ScreenRateKey, number | null>>;
  /** Rates below their target path on the day. */
  behind: ScreenRateKey[];
}

export interface ScreenCounty extends Metrics {
  name: string;
  unitCode: string;
}

export interface ScreenTrendPoint {
  asOf: string;
  received: number;
  contactRate: number | null;
  rate1311: number | null;
  employmentRate: number | null;
  hardshipOneOnOneRate: number | null;
  helpOverdue: number;
}

export interface ScreenFunnel {
  received: number;
  contacted: number;
  jobSeekers: number;
  components: Array<{ type: string; min: number; count: number }>;
  completed: number;
}

export interface ScreenRecruitmentUnit {
  code: string;
  name: string;
  /** 专业性 events held in the ISO week of the day. */
  weekProfessional: number;
  /** 综合性 events held in the month of the day. */
  monthComprehensive: number;
  /** 'ok' = quota met, 'pending' = not yet but the period is still open, 'missed' = the period ended without. */
  week: 'ok' | 'pending' | 'missed';
  month: 'ok' | 'pending' | 'missed';
}

export interface ScreenRecruitment {
  week: { label: string; start: string; end: string };
  month: { label: string; start: string; end: string };
  units: ScreenRecruitmentUnit[];
}

export interface ScreenLagReason {
  metric: ScreenRateKey;
  value: number | null;
  path: number;
  gap: number | null;
  reason: 'below_target' | 'bottom_quarter';
}

export interface ScreenLaggingCounty {
  code: string;
  name: string;
  unitCode: string;
  unitName: string;
  received: number;
  reasons: ScreenLagReason[];
  /** The most negative gap over its reasons (value − target path), for ordering. */
  worstGap: number | null;
  /** Where the county is heading on each targeted rate. */
  forecast: Forecasts;
}

/** "At this pace": per targeted rate, how many of the wall's counties will end the campaign below the target. */
export interface ScreenForecastRate {
  metric: ScreenRateKey;
  target: number;
  /** Counties whose projection misses the target. */
  miss: number;
  onTrack: number;
  /** Counties without a projection (no denominator, fewer than 2 days of data). */
  unknown: number;
}

export interface ScreenForecastMiss {
  /** County-level units on this wall. */
  counties: number;
  /** The campaign's last day (the projections' horizon) and the days left after asOf. */
  end: string;
  daysLeft: number;
  rates: ScreenForecastRate[];
}

export interface ScreenPayload {
  region: ScreenRegionRef;
  /** Province first, then the unit (for a unit's wall). */
  breadcrumb: ScreenRegionRef[];
  /** The day the numbers are as of ("today" clamped into the campaign by the server). */
  asOf: string;
  /** asOf − 7 days, when inside the campaign (the base of "change since last week"). */
  weekAgo: string | null;
  range: { from: string; to: string };
  /** Today by the server's clock (Asia/Shanghai), and the server's time (ISO, UTC). */
  today: string;
  serverTime: string;
  /**
   * The latest pull of a data source that failed (its last run), or null: the numbers are then those
   * of the last successful load, and the freshness stamp says so. No error text (screens are public).
   */
  pullFailure: ScreenPullFailure | null;
  /** Latest ledger time the numbers include (Asia/Shanghai, 'YYYY-MM-DD HH:MM:SS'), null without data. */
  dataTime: string | null;
  computedAt: string;
  source: 'snapshot' | 'live';
  /** The loaded data came from the generated demo. */
  demo: boolean;
  /** Days since the last ledger data (against today; for demo data against asOf, the demo replays 2022). */
  staleDays: number | null;
  metrics: Metrics;
  previous: Metrics | null;
  targets: Record<ScreenRateKey, ScreenTarget>;
  /** Units (province wall) or counties (unit wall). */
  children: ScreenChild[];
  /** Every county-level unit on this wall's map, by code. */
  counties: Record<string, ScreenCounty>;
  trend: ScreenTrendPoint[];
  funnel: ScreenFunnel;
  hardship: { hardship: number; oneOnOne: number; employed: number; oneOnOneRate: number | null; target: number };
  help: { requests: number; inSla: number; overdue: number; slaRate: number | null; target: number; slaHours: number };
  recruitment: ScreenRecruitment;
  /** Counties behind their target path or in the bottom quarter, worst first (the first LAGGING_LIMIT of them). */
  lagging: ScreenLaggingCounty[];
  /** How many counties lag in all. */
  laggingTotal: number;
  /** The wall region's own forecast on each targeted rate. */
  forecast: Forecasts;
  /** How many counties will miss each target at the current pace. */
  forecastMiss: ScreenForecastMiss;
  /** Scene 困难帮扶与权益保障: help plans, rights cases, the 亮相 checklist, "10+N" activities. */
  care: ScreenCare;
  /** The campaign year these numbers belong to (issue 18). */
  campaign?: number;
  /** The same region on the same campaign day of the previous campaign year; null without one. */
  previousYear?: PreviousYear | null;
}

export interface ScreenPullFailure {
  job: string;
  /** 省平台数据库 (PostgreSQL) or 收件箱 (the inbox folder). */
  source: string;
  /** When the failed pull ended (ISO, UTC). */
  at: string;
}

/** Server-sent events of GET /api/live. */
export interface LiveSnapshotEvent {
  type: 'snapshot-ready' | 'data-loaded';
  asOf?: string;
  computedAt?: string;
  serverTime: string;
}

export interface LiveHeartbeat {
  serverTime: string;
  today: string;
}
