// The shapes of the API answers the workbench reads. Type-only and kept here
// (not imported from the backend's services) because those files pull in Nest;
// `Metrics` comes from the backend's pure metrics.types.ts.
import type { Metrics } from '../../../backend/src/metrics/metrics.types';
import type { Forecasts } from '../../../backend/src/metrics/forecast.types';
import type { CareMetrics } from '../../../backend/src/care/care.types';
import type { PreviousYear } from '../../../backend/src/campaigns/campaigns.types';

export type { Metrics };
export type Level = 'province' | 'unit' | 'county';
export type RateKey = 'contactRate' | 'rate1311' | 'employmentRate' | 'helpSlaRate' | 'hardshipOneOnOneRate';

export interface RegionRef {
  code: string;
  name: string;
  level: Level;
  parentCode: string | null;
  hasPolygon?: boolean;
}

export interface RegionMetrics extends Metrics {
  region: string;
  name: string;
  level: Level;
  asOf: string;
}

export interface TargetStatus {
  target: number;
  path: number;
  value: number | null;
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

export interface LaggingRegion {
  region: string;
  name: string;
  level: Level;
  reasons: LagReason[];
  forecast?: Forecasts;
}

export type TrendPoint = { asOf: string } & Metrics;

/** GET /api/metrics/:code?asOf= */
/** With the care keys (kinds 9–12), which the API always sends; partial so older fixtures still type. */
export interface MetricsResponse extends RegionMetrics, Partial<CareMetrics> {
  children: Array<RegionMetrics & Partial<CareMetrics>>;
  trend: TrendPoint[];
  rank: Partial<Record<RateKey, { rank: number; of: number } | null>>;
  targets: Record<RateKey, TargetStatus>;
  lagging: LagReason[];
  laggingChildren: LaggingRegion[];
  /** Each targeted rate projected to the campaign's end (docs/metrics.md, "Forecast"). */
  forecast?: Forecasts;
  /** The same region on the same campaign day of the previous campaign year; null (or absent, an older server) without one. */
  previousYear?: PreviousYear | null;
  dataTime: string | null;
  computedAt: string;
  source: 'snapshot' | 'live';
}

/** GET /api/freshness/:code */
export interface CountyFreshness {
  county: string;
  name: string;
  lastLedgerUpdate: string | null;
  lastLoad: string | null;
  lastRun: number | null;
  lastService: string | null;
  rejects: number;
}

export interface RecruitmentPeriod {
  start: string;
  end: string;
  professional: number;
  comprehensive: number;
  ended: boolean;
  missed: boolean;
}

/** GET /api/recruitment/:unitCode */
export interface RecruitmentCompliance {
  unitCode: string;
  name: string;
  from: string;
  to: string;
  judgedAsOf: string;
  weeks: Array<RecruitmentPeriod & { week: string }>;
  months: Array<RecruitmentPeriod & { month: string }>;
  weeksMissed: number;
  monthsMissed: number;
}

/** GET /api/ingest/runs[/:id] */
export interface IngestRun {
  runId: number;
  source: string;
  label: string;
  status: 'running' | 'succeeded' | 'rejected' | 'failed' | string;
  startedAt: string;
  finishedAt: string | null;
  rowsRead: number;
  accepted: number;
  rejected: number;
  warnings: number;
  duplicates: number;
  error: string;
}

/** GET /api/ingest/runs/:id/rejects */
export interface RejectPage {
  total: number;
  rows: Array<{ runId: number; file: string; sheet: string; row: number; kind: string; reason: string; raw: string }>;
}

/** GET /api/cases (masked): the backend's own types. */
export type { CaseItem, CasePage } from '../../../backend/src/cases/cases.types';

export interface PersonVersion {
  updatedAt: string;
  countyCode: string;
  receivedDate: string;
  assignedDate: string | null;
  category: string;
  hardship: string[];
  employmentStatus: string;
  employmentDate: string | null;
  school: string;
  major: string;
  education: string;
  gender: string;
  cohort: string;
  source: string;
  graduationYear: number;
  file: string;
  row: number;
  runId: number;
}

export interface PersonService {
  recordId: string;
  serviceTime: string;
  serviceType: string;
  contactMethod: string;
  contactResult: string;
  countyCode: string;
  staff: string;
  note: string;
  versions: number;
}

export interface PersonHelpRequest {
  requestId: string;
  requestedAt: string;
  countyCode: string;
  firstContactAt: string | null;
}

/** GET /api/persons/:key (masked). */
export interface Person {
  personKey: string;
  countyCode: string;
  countyName: string;
  name: string;
  idNumber: string;
  phone: string;
  versions: PersonVersion[];
  services: PersonService[];
  helpRequests: PersonHelpRequest[];
}

/** POST /api/persons/:key/reveal */
export interface Revealed {
  idNumber: string;
  name: string;
  phone: string;
}

/** The part of GET /api/screen/:code the workbench reads (the 1311 funnel). */
export interface ScreenFunnelPart {
  demo: boolean;
  funnel: {
    received: number;
    contacted: number;
    jobSeekers: number;
    components: Array<{ type: string; min: number; count: number }>;
    completed: number;
  };
}
