// The campaign year's rules in one place (docs/metrics.md explains each).
// 2022 defaults from 吉人社发〔2022〕21号 and ../shared/spec/metrics.md.
// CAMPAIGN_CONFIG may name a JSON file with any of these fields to override them.
import * as fs from 'node:fs';
import { DEFAULT_MEASURES_RULES, setMeasuresRules } from '../measures/measures.types';

export type RateKey = 'contactRate' | 'rate1311' | 'employmentRate' | 'helpSlaRate' | 'hardshipOneOnOneRate';

export interface Target {
  /** The rate to reach, a fraction in [0, 1]. */
  value: number;
  /** With `by`, the target path rises linearly from 0 at the campaign start to `value` on `by`; without, it is flat. */
  by?: string;
}

export interface CampaignConfig {
  year: number;
  /** First and last day of the campaign (行动时间 2022年7-12月). */
  start: string;
  end: string;
  /** The "1311" rule: service type and the minimum number of such services. */
  rule1311: Array<{ type: string; min: number }>;
  contactType: string;
  contactOk: string;
  oneOnOneType: string;
  intentCategory: string;
  employedStatuses: string[];
  helpSlaHours: number;
  targets: Record<RateKey, Target>;
  /** Kinds 5–8 (measures.md): the 退出方式 values that count as into work, the 申办方式 values that count as online. */
  workExitChannels: string[];
  onlineChannels: string[];
  /** Kinds 9–12 (measures.md): 亮相 deadline, default 回访周期, the checklist, the return-visit service type. */
  care: CareConfig;
}

export interface CareConfig {
  /** Publications dated on or before it make a unit's checklist complete "on time" (2022: 七月上旬). */
  publicityDeadline: string;
  /** 回访周期 of a plan that leaves it empty, in days. */
  defaultVisitDays: number;
  /** The 亮相 checklist: each entry is satisfied by any one of its items. */
  publicityItems: string[][];
  visitType: string;
}

export const DEFAULT_CAMPAIGN: CampaignConfig = {
  year: 2022,
  start: '2022-07-01',
  end: '2022-12-31',
  rule1311: [
    { type: '职业指导', min: 1 },
    { type: '岗位推介', min: 3 },
    { type: '技能培训', min: 1 },
    { type: '就业见习', min: 1 },
  ],
  contactType: '联系',
  contactOk: '已联系',
  oneOnOneType: '一对一帮扶',
  intentCategory: '有就业意愿',
  employedStatuses: ['已就业', '自主创业', '灵活就业', '公益性岗位'],
  helpSlaHours: 24,
  targets: {
    contactRate: { value: 0.95, by: '2022-12-31' },
    rate1311: { value: 0.9, by: '2022-12-31' },
    employmentRate: { value: 0.9, by: '2022-12-31' },
    helpSlaRate: { value: 0.95 },
    hardshipOneOnOneRate: { value: 1.0 },
  },
  workExitChannels: DEFAULT_MEASURES_RULES.workExitChannels,
  onlineChannels: DEFAULT_MEASURES_RULES.onlineChannels,
  care: {
    publicityDeadline: '2022-07-10',
    defaultVisitDays: 30,
    publicityItems: [['公开信', '服务公告'], ['求助途径'], ['招聘渠道'], ['机构目录'], ['政策服务清单']],
    visitType: '跟踪回访',
  },
};

let cached: CampaignConfig | null = null;

export function campaignConfig(env: NodeJS.ProcessEnv = process.env): CampaignConfig {
  if (cached && !env.CAMPAIGN_CONFIG) return cached;
  let cfg = DEFAULT_CAMPAIGN;
  if (env.CAMPAIGN_CONFIG) {
    const override = JSON.parse(fs.readFileSync(env.CAMPAIGN_CONFIG, 'utf8')) as Partial<CampaignConfig>;
    cfg = {
      ...DEFAULT_CAMPAIGN, ...override, targets: { ...DEFAULT_CAMPAIGN.targets, ...(override.targets ?? {}) },
      care: { ...DEFAULT_CAMPAIGN.care, ...(override.care ?? {}) },
    };
  }
  cached = cfg;
  setMeasuresRules({ workExitChannels: cfg.workExitChannels, onlineChannels: cfg.onlineChannels });
  return cfg;
}

/** The target path's value on a day (linear from the campaign start to `by`, flat after). */
export function targetOn(t: Target, day: string, cfg: CampaignConfig): number {
  if (!t.by) return t.value;
  const start = Date.parse(cfg.start);
  const by = Date.parse(t.by);
  const d = Date.parse(day);
  if (d >= by) return t.value;
  if (d <= start) return 0;
  return (t.value * (d - start)) / (by - start);
}
