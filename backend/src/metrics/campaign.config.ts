// The campaign year's rules in one place (docs/metrics.md explains each).
// 2022 defaults from 吉人社发〔2022〕21号 and ../shared/spec/metrics.md.
// CAMPAIGN_CONFIG may name a JSON file with any of these fields to override them.
import * as fs from 'node:fs';
import { ConfigError } from '../config/config';
import { SERVICE_TYPES } from '../ledger/ledger.schema';
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
  /**
   * Another campaign year's own PostgreSQL tables: a mapping file like SOURCE_PG_MAPPING's (docs/ingestion.md).
   * Never inherited by the next year (the same tables would feed two years).
   */
  sourcePgMapping?: string;
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

let cached: CampaignConfig[] | null = null;
let cachedKey = '';
let warnedKey = '';

function isDay(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A day moved by whole years; 29 February lands on 28 February in a common year. */
export function shiftYears(day: string, years: number): string {
  const y = Number(day.slice(0, 4)) + years;
  const md = day.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !leap ? '02-28' : md}`;
}

/** A campaign's rules moved by whole years: its window, its targets' due dates and its 亮相 deadline. */
export function shiftCampaign(base: CampaignConfig, years: number): CampaignConfig {
  if (years === 0) return base;
  const { sourcePgMapping: _own, ...rules } = base;
  base = rules;
  const targets = Object.fromEntries(
    Object.entries(base.targets).map(([k, t]) => [k, t.by ? { ...t, by: shiftYears(t.by, years) } : { ...t }]),
  ) as Record<RateKey, Target>;
  return {
    ...base,
    year: base.year + years,
    start: shiftYears(base.start, years),
    end: shiftYears(base.end, years),
    targets,
    care: { ...base.care, publicityDeadline: shiftYears(base.care.publicityDeadline, years) },
  };
}

/**
 * The defaults of another campaign year: the 2022 rules with every date moved by the years between, so
 * `{ "year": 2023 }` alone is a whole 2023 campaign (1 July to 31 December 2023, targets due 31 December
 * 2023, the 亮相 deadline 10 July 2023).
 */
export function defaultsFor(year: number): CampaignConfig {
  return shiftCampaign(DEFAULT_CAMPAIGN, year - DEFAULT_CAMPAIGN.year);
}

/** Every problem of a campaign configuration, in words an operator can act on (empty when it is sound). */
export function campaignConfigProblems(c: CampaignConfig): string[] {
  const out: string[] = [];
  if (!Number.isInteger(c.year) || c.year < 2000 || c.year > 2100) out.push(`year must be a whole year such as 2023 (got ${JSON.stringify(c.year)})`);
  for (const [name, v] of [['start', c.start], ['end', c.end], ['care.publicityDeadline', c.care?.publicityDeadline]] as const) {
    if (!isDay(v)) out.push(`${name} must be a real date YYYY-MM-DD (got ${JSON.stringify(v)})`);
  }
  if (isDay(c.start) && isDay(c.end) && c.start > c.end) out.push(`start ${c.start} is after end ${c.end}`);
  if (!Array.isArray(c.rule1311) || c.rule1311.length === 0) out.push('rule1311 must list at least one { "type": "…", "min": n }');
  else {
    for (const r of c.rule1311) {
      if (!r || typeof r.type !== 'string' || !r.type) out.push(`rule1311: every entry needs a service type (got ${JSON.stringify(r)})`);
      else if (!(SERVICE_TYPES as readonly string[]).includes(r.type)) out.push(`rule1311: ${r.type} is not a 服务类型 (the types are ${SERVICE_TYPES.join('、')})`);
      else if (!Number.isInteger(r.min) || r.min < 1) out.push(`rule1311: ${r.type} needs a whole min of at least 1 (got ${JSON.stringify(r.min)})`);
    }
  }
  if (c.sourcePgMapping !== undefined && (typeof c.sourcePgMapping !== 'string' || !c.sourcePgMapping)) out.push(`sourcePgMapping must name a mapping file (got ${JSON.stringify(c.sourcePgMapping)})`);
  if (!(typeof c.helpSlaHours === 'number' && c.helpSlaHours > 0)) out.push(`helpSlaHours must be a positive number (got ${JSON.stringify(c.helpSlaHours)})`);
  for (const [k, t] of Object.entries(c.targets ?? {})) {
    if (!t || typeof t.value !== 'number' || !(t.value > 0 && t.value <= 1)) out.push(`targets.${k}.value must be a share above 0 and at most 1, e.g. 0.95 (got ${JSON.stringify(t?.value)})`);
    if (t?.by !== undefined && !isDay(t.by)) out.push(`targets.${k}.by must be a real date YYYY-MM-DD (got ${JSON.stringify(t.by)})`);
  }
  return out;
}

/**
 * The configured campaign: the defaults of its year (DEFAULT_CAMPAIGN for 2022, else defaultsFor), overridden
 * field by field by the JSON file named in CAMPAIGN_CONFIG. A target overrides its year's default key by key.
 * A file that cannot be read or parsed, or a value that makes no sense, is a ConfigError naming it.
 */
export function campaignConfigFrom(
  override: Partial<CampaignConfig>,
  source = 'CAMPAIGN_CONFIG',
  inherit: (year: number) => CampaignConfig = defaultsFor,
): CampaignConfig {
  if (!override || typeof override !== 'object' || Array.isArray(override)) throw new ConfigError(`${source}: must be a JSON object such as { "year": 2023 }`);
  const base = typeof override.year === 'number' && Number.isInteger(override.year) ? inherit(override.year) : DEFAULT_CAMPAIGN;
  const targets = { ...base.targets };
  for (const [k, t] of Object.entries(override.targets ?? {}) as Array<[RateKey, Partial<Target>]>) targets[k] = { ...base.targets[k], ...t } as Target;
  const cfg: CampaignConfig = { ...base, ...override, targets, care: { ...base.care, ...(override.care ?? {}) } };
  const problems = campaignConfigProblems(cfg);
  if (problems.length) throw new ConfigError(`${source}: ${problems.join('; ')}`);
  return cfg;
}

/**
 * The campaigns a configuration names, oldest first. CAMPAIGN_CONFIG holds either one campaign (an object
 * with its fields, as before) or several: `{ "campaigns": [ { "year": 2022, … }, { "year": 2023, … } ] }`.
 * Each entry starts from the rules of the entry before it moved to its own year (the first from the built-in
 * 2022 rules moved), so an entry names only what changed.
 */
export function campaignsFrom(json: unknown, source = 'CAMPAIGN_CONFIG'): CampaignConfig[] {
  if (json && typeof json === 'object' && !Array.isArray(json) && 'campaigns' in json) {
    const list = (json as { campaigns: unknown }).campaigns;
    if (!Array.isArray(list) || list.length === 0) throw new ConfigError(`${source}: "campaigns" must list at least one campaign such as { "year": 2023 }`);
    const out: CampaignConfig[] = [];
    for (const [i, entry] of list.entries()) {
      const e = entry as Partial<CampaignConfig>;
      if (!e || typeof e !== 'object' || typeof e.year !== 'number') throw new ConfigError(`${source}: campaigns[${i}] needs a "year" such as 2023`);
      const prev = out.at(-1);
      if (prev && e.year <= prev.year) throw new ConfigError(`${source}: campaigns must be listed oldest first, each year once (${e.year} after ${prev.year})`);
      out.push(campaignConfigFrom(e, `${source} campaigns[${i}] (${e.year})`, (y) => (prev ? shiftCampaign(prev, y - prev.year) : defaultsFor(y))));
    }
    return out;
  }
  return [campaignConfigFrom(json as Partial<CampaignConfig>, source)];
}

function readCampaignFile(file: string): CampaignConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`CAMPAIGN_CONFIG ${file}: cannot be read as JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return campaignsFrom(json, `CAMPAIGN_CONFIG ${file}`);
}

/**
 * The configured campaigns in force, oldest first (the built-in 2022 campaign without CAMPAIGN_CONFIG). The
 * file is read again only when it changes (its path, size or modification time), so an edit takes effect
 * without a restart and a request does not re-read it.
 */
export function configuredCampaigns(env: NodeJS.ProcessEnv = process.env): CampaignConfig[] {
  let key = '';
  if (env.CAMPAIGN_CONFIG) {
    try {
      const st = fs.statSync(env.CAMPAIGN_CONFIG);
      key = `${env.CAMPAIGN_CONFIG}\0${st.size}\0${st.mtimeMs}`;
    } catch {
      key = `${env.CAMPAIGN_CONFIG}\0missing`;
    }
  }
  if (cached && cachedKey === key) return cached;
  let list = [DEFAULT_CAMPAIGN];
  if (env.CAMPAIGN_CONFIG) {
    try {
      list = readCampaignFile(env.CAMPAIGN_CONFIG);
    } catch (e) {
      // At start (nothing in force yet) a bad file stops the process. Edited into nonsense while it runs, the
      // rules in force stay, and the problem is said once per version of the file (no personal data in it).
      if (!cached || !(e instanceof ConfigError)) throw e;
      if (warnedKey !== key) {
        warnedKey = key;
        process.stderr.write(`${e.message} — the campaign rules in force stay until the file is fixed\n`);
      }
      return cached;
    }
  }
  cached = list;
  cachedKey = key;
  const latest = list[list.length - 1];
  setMeasuresRules({ workExitChannels: latest.workExitChannels, onlineChannels: latest.onlineChannels });
  return list;
}

/** The campaign in force when none is named: the configured one, or of several the latest. */
export function campaignConfig(env: NodeJS.ProcessEnv = process.env): CampaignConfig {
  const list = configuredCampaigns(env);
  return list[list.length - 1];
}

/**
 * The rules of one campaign year: its configured entry, else the nearest earlier configured year's rules
 * with every date moved to this year (the nearest later one's, moved back, for a year before them all).
 */
export function campaignConfigFor(year: number, env: NodeJS.ProcessEnv = process.env): CampaignConfig {
  const list = configuredCampaigns(env);
  const own = list.find((c) => c.year === year);
  if (own) return own;
  const earlier = list.filter((c) => c.year < year).at(-1);
  const base = earlier ?? list[0];
  return shiftCampaign(base, year - base.year);
}

/** The rules of the campaign an application serves (AppConfig.campaignYear), else the configured one. */
export function rulesFor(app: { campaignYear?: number }): CampaignConfig {
  return app.campaignYear ? campaignConfigFor(app.campaignYear) : campaignConfig();
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
