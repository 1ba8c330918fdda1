// The metric keys of kinds 9–12 (../shared/spec/measures.md, hardshipWithPlan …
// eventsByCampaign), shared by backend and frontend. Pure: no Nest, no engine.
import { CASE_TYPES, EVENT_CAMPAIGNS, STORY_TYPES } from './care.schema';

export interface CareMetrics {
  hardshipWithPlan: number;
  hardshipPlanRate: number | null;
  hardshipVisited: number;
  hardshipVisitOverdue: number;
  rightsCases: number;
  rightsByType: Record<string, number>;
  rightsOpen: number;
  rightsOverdue: number;
  rightsGraduates: number;
  /** null at a county-level unit other than 220581. */
  publicityComplete: number | null;
  publicityOnTime: number | null;
  stories: number;
  storiesByType: Record<string, number>;
  eventsByCampaign: Record<string, number>;
}

export const CARE_METRIC_KEYS: ReadonlyArray<keyof CareMetrics> = [
  'hardshipWithPlan', 'hardshipPlanRate', 'hardshipVisited', 'hardshipVisitOverdue', 'rightsCases', 'rightsByType', 'rightsOpen',
  'rightsOverdue', 'rightsGraduates', 'publicityComplete', 'publicityOnTime', 'stories', 'storiesByType', 'eventsByCampaign',
];

/** Chinese labels of the keys (CLI, forms). */
export const CARE_METRIC_LABELS: Record<keyof CareMetrics, string> = {
  hardshipWithPlan: '已制定帮扶计划', hardshipPlanRate: '帮扶计划覆盖率', hardshipVisited: '已跟踪回访', hardshipVisitOverdue: '回访逾期',
  rightsCases: '权益案件', rightsByType: '案件按类型', rightsOpen: '未办结案件', rightsOverdue: '逾期未纠正', rightsGraduates: '涉及毕业生',
  publicityComplete: '亮相发布齐全', publicityOnTime: '按期亮相', stories: '典型宣传', storiesByType: '典型按类别', eventsByCampaign: '专项活动场次',
};

/** Metric parts as kept (care_days `k`, snapshot map keys), by region and day. */
export type CareCounts = Map<string, number>;

function by(counts: CareCounts, prefix: string, values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = counts.get(prefix + v) ?? 0;
  return out;
}

/**
 * The metric object's care keys from kept parts. `hardship` is the region's
 * `hardship` count (metrics.md); `publicityApplies` is false at county-level
 * units other than 220581 (their publicity keys are null).
 */
export function toCareMetrics(c: CareCounts, hardship: number, publicityApplies: boolean): CareMetrics {
  const g = (k: string): number => c.get(k) ?? 0;
  const storiesByType = by(c, 'st:', STORY_TYPES);
  return {
    hardshipWithPlan: g('plan'),
    hardshipPlanRate: hardship === 0 ? null : g('plan') / hardship,
    hardshipVisited: g('visited'),
    hardshipVisitOverdue: g('overdue'),
    rightsCases: g('rights'),
    rightsByType: by(c, 'rt:', CASE_TYPES),
    rightsOpen: g('rights_open'),
    rightsOverdue: g('rights_overdue'),
    rightsGraduates: g('rights_grads'),
    publicityComplete: publicityApplies ? g('pub_complete') : null,
    publicityOnTime: publicityApplies ? g('pub_on_time') : null,
    stories: Object.values(storiesByType).reduce((a, b) => a + b, 0),
    storiesByType,
    eventsByCampaign: by(c, 'ev:', EVENT_CAMPAIGNS),
  };
}
