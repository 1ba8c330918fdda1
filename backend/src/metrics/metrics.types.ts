import type { RegionLevel } from '../regions/regions.data';
import {
  MEASURE_COUNT_KEYS, MEASURE_METRIC_KEYS, toMeasureMetrics, zeroMeasureCounts, type MeasureCounts, type MeasureMetrics,
} from '../measures/measures.types';

/** The counts every metric is made of, for one region and day. */
export interface MetricCounts extends MeasureCounts {
  received: number;
  pending: number;
  contacted: number;
  intent: number;
  completed1311: number;
  employed: number;
  hardship: number;
  hardship_o2o: number;
  hardship_employed: number;
  help_requests: number;
  help_in_sla: number;
  help_overdue: number;
}

export const COUNT_KEYS: ReadonlyArray<keyof MetricCounts> = [
  'received', 'pending', 'contacted', 'intent', 'completed1311', 'employed', 'hardship', 'hardship_o2o', 'hardship_employed',
  'help_requests', 'help_in_sla', 'help_overdue',
  ...MEASURE_COUNT_KEYS,
];

export interface CountsRow extends MetricCounts {
  level: RegionLevel;
  code: string;
  as_of?: string;
}

/** The metric object of ../shared/spec/metrics.md (rates are fractions, null when the denominator is 0). */
export interface Metrics extends MeasureMetrics {
  received: number;
  pendingDistribution: number;
  contacted: number;
  contactRate: number | null;
  intentEmployment: number;
  completed1311: number;
  rate1311: number | null;
  employed: number;
  employmentRate: number | null;
  hardship: number;
  hardshipOneOnOne: number;
  hardshipEmployed: number;
  helpRequests: number;
  helpContactedInSla: number;
  helpOverdue: number;
  /** Not in the spec's table, derived the same way: helpContactedInSla / helpRequests and hardshipOneOnOne / hardship. */
  helpSlaRate: number | null;
  hardshipOneOnOneRate: number | null;
}

export const METRIC_KEYS: ReadonlyArray<keyof Metrics> = [
  'received', 'pendingDistribution', 'contacted', 'contactRate', 'intentEmployment', 'completed1311', 'rate1311', 'employed',
  'employmentRate', 'hardship', 'hardshipOneOnOne', 'hardshipEmployed', 'helpRequests', 'helpContactedInSla', 'helpOverdue',
  'helpSlaRate', 'hardshipOneOnOneRate',
  ...MEASURE_METRIC_KEYS,
];

export function rate(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}

export function zeroCounts(): MetricCounts {
  return { received: 0, pending: 0, contacted: 0, intent: 0, completed1311: 0, employed: 0, hardship: 0, hardship_o2o: 0, hardship_employed: 0, help_requests: 0, help_in_sla: 0, help_overdue: 0, ...zeroMeasureCounts() };
}

export function toMetrics(c: MetricCounts): Metrics {
  return {
    received: c.received,
    pendingDistribution: c.pending,
    contacted: c.contacted,
    contactRate: rate(c.contacted, c.received),
    intentEmployment: c.intent,
    completed1311: c.completed1311,
    rate1311: rate(c.completed1311, c.intent),
    employed: c.employed,
    employmentRate: rate(c.employed, c.received),
    hardship: c.hardship,
    hardshipOneOnOne: c.hardship_o2o,
    hardshipEmployed: c.hardship_employed,
    helpRequests: c.help_requests,
    helpContactedInSla: c.help_in_sla,
    helpOverdue: c.help_overdue,
    helpSlaRate: rate(c.help_in_sla, c.help_requests),
    hardshipOneOnOneRate: rate(c.hardship_o2o, c.hardship),
    ...toMeasureMetrics(c),
  };
}

/**
 * The campaign's calendar as the server sees it (GET /api/campaign): the one
 * source of every page's default day and of the bounds of every date picker.
 */
export interface CampaignDay {
  /** The campaign year (issue 18: one install may hold several). */
  year: number;
  /** The campaign's current day: today while it runs; otherwise its last day with data (the demo, an ended campaign), else its first or last day. */
  day: string;
  /** The days that may be asked for: the campaign, stretched to cover all loaded data (as validRange). */
  from: string;
  to: string;
  /** The configured campaign (campaign.config.ts). */
  start: string;
  end: string;
  /** Today in Asia/Shanghai, from the server clock. */
  today: string;
  /** Whether today is inside the configured campaign. */
  running: boolean;
  /** The latest day any loaded ledger entry is on, or null without data. */
  lastDataDay: string | null;
  /**
   * The campaign's "1311" rule (CAMPAIGN_CONFIG `rule1311`): each service type a job-seeker must get and
   * how many times. The pages list a job-seeker's missing components from it, so a configured rule reaches them.
   */
  rule1311: Array<{ type: string; min: number }>;
}
