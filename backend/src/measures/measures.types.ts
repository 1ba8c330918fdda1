// The metrics of kinds 5–8 (../shared/spec/measures.md, `centres` …
// `policyOnlineRate`): the counts kept per region and day (snapshot columns,
// added to MetricCounts), and the metric object's keys made from them. Pure:
// the frontend imports these types too.
import { EXIT_CHANNELS, POLICY_CHANNELS, POLICY_TYPES, POST_SOURCES } from '../ledger/measures.schema';

type Indexed<P extends string, N extends number, Acc extends unknown[] = []> = Acc['length'] extends N
  ? never
  : `${P}${Acc['length']}` | Indexed<P, N, [...Acc, unknown]>;

/** Counts per region and day; money in cents (exact integers); `_i` columns follow the enum order. */
export type MeasureCounts = {
  centres: number;
  /** County-level units in the region (the denominator of countyCentreRate). */
  county_units: number;
  county_centres: number;
  centre_entrants: number;
  centre_resident: number;
  centre_exits: number;
  centre_1311: number;
  centre_allowance_cents: number;
  posts_developed: number;
  posts_published: number;
  posts_hired: number;
  policy_granted: number;
  policy_persons: number;
  policy_amount_cents: number;
  policy_pending: number;
} & Record<Indexed<'centre_exit_', 5> | Indexed<'posts_src_', 7> | Indexed<'policy_ch_', 3> | Indexed<'policy_n_', 9> | Indexed<'policy_cents_', 9>, number>;

const indexed = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

export const MEASURE_COUNT_KEYS = [
  'centres', 'county_units', 'county_centres', 'centre_entrants', 'centre_resident', 'centre_exits',
  ...indexed('centre_exit_', EXIT_CHANNELS.length), 'centre_1311', 'centre_allowance_cents',
  'posts_developed', ...indexed('posts_src_', POST_SOURCES.length), 'posts_published', 'posts_hired',
  'policy_granted', 'policy_persons', 'policy_amount_cents', 'policy_pending', ...indexed('policy_ch_', POLICY_CHANNELS.length),
  ...indexed('policy_n_', POLICY_TYPES.length), ...indexed('policy_cents_', POLICY_TYPES.length),
] as ReadonlyArray<keyof MeasureCounts>;

/** The counts measure_days holds deltas of (county_units is a constant of the tree). */
export const MEASURE_DELTA_KEYS: ReadonlyArray<keyof MeasureCounts> = MEASURE_COUNT_KEYS.filter((k) => k !== 'county_units');

export type ExitChannel = (typeof EXIT_CHANNELS)[number];
export type PostSource = (typeof POST_SOURCES)[number];
export type PolicyType = (typeof POLICY_TYPES)[number];

/** The metric keys of kinds 5–8 (counts are integers, rates in [0, 1] or null, money in 元 to 2 decimals). */
export interface MeasureMetrics {
  centres: number;
  countyCentreRate: number | null;
  centreEntrants: number;
  centreResident: number;
  centreExits: number;
  centreExitsByChannel: Record<ExitChannel, number>;
  centreExitsToWork: number;
  centreExitWorkRate: number | null;
  centre1311: number;
  centreAllowance: number;
  postsDeveloped: number;
  postsBySource: Record<PostSource, number>;
  postsPublished: number;
  postsPublishedRate: number | null;
  postsHired: number;
  policyGranted: number;
  policyPersons: number;
  policyAmount: number;
  policyByType: Record<PolicyType, { granted: number; amount: number }>;
  policyPending: number;
  policyOnlineRate: number | null;
}

export const MEASURE_METRIC_KEYS: ReadonlyArray<keyof MeasureMetrics> = [
  'centres', 'countyCentreRate', 'centreEntrants', 'centreResident', 'centreExits', 'centreExitsByChannel', 'centreExitsToWork',
  'centreExitWorkRate', 'centre1311', 'centreAllowance', 'postsDeveloped', 'postsBySource', 'postsPublished', 'postsPublishedRate',
  'postsHired', 'policyGranted', 'policyPersons', 'policyAmount', 'policyByType', 'policyPending', 'policyOnlineRate',
];

/** The 2022 defaults of the measures' campaign rules (../shared/spec/measures.md). */
export interface MeasuresRules {
  /** 退出方式 values that count as "into work". */
  workExitChannels: string[];
  /** 申办方式 values that count as online (网上申办, 主动发现). */
  onlineChannels: string[];
}

export const DEFAULT_MEASURES_RULES: MeasuresRules = {
  workExitChannels: ['岗位匹配', '见习留用', '实现创业', '公益性岗位托底'],
  onlineChannels: ['网上申办', '主动发现'],
};

let activeRules: MeasuresRules = DEFAULT_MEASURES_RULES;

/** The campaign year's rules (campaign.config.ts sets them when it reads CAMPAIGN_CONFIG). */
export function setMeasuresRules(rules: MeasuresRules): void {
  activeRules = rules;
}

export function zeroMeasureCounts(): MeasureCounts {
  return Object.fromEntries(MEASURE_COUNT_KEYS.map((k) => [k, 0])) as MeasureCounts;
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);
const yuan = (cents: number): number => Math.round(cents) / 100;

export function toMeasureMetrics(c: MeasureCounts, rules: MeasuresRules = activeRules): MeasureMetrics {
  const n = c as unknown as Record<string, number>;
  const byChannel = Object.fromEntries(EXIT_CHANNELS.map((ch, i) => [ch, n[`centre_exit_${i}`] ?? 0])) as Record<ExitChannel, number>;
  const toWork = EXIT_CHANNELS.reduce((a, ch) => a + (rules.workExitChannels.includes(ch) ? byChannel[ch] : 0), 0);
  return {
    centres: c.centres,
    countyCentreRate: ratio(c.county_centres, c.county_units),
    centreEntrants: c.centre_entrants,
    centreResident: c.centre_resident,
    centreExits: c.centre_exits,
    centreExitsByChannel: byChannel,
    centreExitsToWork: toWork,
    centreExitWorkRate: ratio(toWork, c.centre_exits),
    centre1311: c.centre_1311,
    centreAllowance: yuan(c.centre_allowance_cents),
    postsDeveloped: c.posts_developed,
    postsBySource: Object.fromEntries(POST_SOURCES.map((s, i) => [s, n[`posts_src_${i}`] ?? 0])) as Record<PostSource, number>,
    postsPublished: c.posts_published,
    postsPublishedRate: ratio(c.posts_published, c.posts_developed),
    postsHired: c.posts_hired,
    policyGranted: c.policy_granted,
    policyPersons: c.policy_persons,
    policyAmount: yuan(c.policy_amount_cents),
    policyByType: Object.fromEntries(
      POLICY_TYPES.map((t, i) => [t, { granted: n[`policy_n_${i}`] ?? 0, amount: yuan(n[`policy_cents_${i}`] ?? 0) }]),
    ) as Record<PolicyType, { granted: number; amount: number }>,
    policyPending: c.policy_pending,
    policyOnlineRate: ratio(POLICY_CHANNELS.reduce((a, ch, i) => a + (rules.onlineChannels.includes(ch) ? n[`policy_ch_${i}`] ?? 0 : 0), 0), c.policy_granted),
  };
}

/** The measures' keys of a region without any such record (test fixtures, placeholders). */
export function zeroMeasureMetrics(): MeasureMetrics {
  return toMeasureMetrics({ ...zeroMeasureCounts(), county_units: 1 });
}
