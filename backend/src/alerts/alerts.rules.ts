// The overdue rules of a campaign year (docs/alerts.md): which are on, their
// parameters, severities and escalation windows, with the 2022 defaults.
// ALERTS_CONFIG may name a JSON file overriding any of them, for every year
// or per year ({"2022": {...}, "2023": {...}}). Pure: no I/O but reading that file.
import * as fs from 'node:fs';
import { ConfigError } from '../config/config';
import type { RateKey } from '../metrics/campaign.config';

import { RULE_KEYS, SEVERITIES, LEVELS, STATES, RULE_LABELS, SEVERITY_LABELS, LEVEL_LABELS, STATE_LABELS, type RuleKey, type Severity, type Level, type AlertState } from './alerts.types';

export { RULE_KEYS, SEVERITIES, LEVELS, STATES, RULE_LABELS, SEVERITY_LABELS, LEVEL_LABELS, STATE_LABELS };
export type { RuleKey, Severity, Level, AlertState };

/** Rules whose subject is one person or one help request (grouped per county and rule in notices). */
export const PERSON_RULES: ReadonlySet<RuleKey> = new Set([
  'help_request_overdue', 'not_contacted', 'not_distributed', 'hardship_no_one_on_one', 'hardship_no_followup', 'incomplete_1311',
  'hardship_visit_overdue', 'hardship_no_plan',
]);

export interface RuleParams {
  help_request_overdue: { hours: number };
  not_contacted: { days: number };
  /** `undistributedOn` is a month-day (MM-DD) of the campaign year: anyone still undistributed at the end of it is overdue. */
  not_distributed: { days: number; undistributedOn: string };
  hardship_no_one_on_one: { days: number };
  hardship_no_followup: { days: number };
  incomplete_1311: { days: number };
  below_target: { metrics: RateKey[]; checkpointDays: number[]; counties: boolean; units: boolean };
  recruitment_missed: { weekly: boolean; monthly: boolean };
  stale_data: { days: number; counties: boolean; sources: string[] };
  /** Judged from `startAfterDays` days after the campaign's start (a pace needs some history) until its last day. */
  forecast_miss: { metrics: RateKey[]; counties: boolean; units: boolean; startAfterDays: number };
  /** `deadline` is a month-day (MM-DD) of the campaign year: a county-level unit still without a centre after it is flagged. */
  no_training_centre: { deadline: string };
  post_unpublished: { days: number };
  policy_pending: { days: number };
  /** With a plan: its 回访周期; `days` is the fixed window for a person without one (used when hardship_no_followup is off). */
  hardship_visit_overdue: { days: number };
  hardship_no_plan: { days: number };
  rights_case_overdue: Record<string, never>;
  publicity_missing: Record<string, never>;
}

export interface EscalationWindows {
  /** Hours an alert may stay unresolved at the county before it climbs to the unit. */
  countyHours: number;
  /** Further hours at the unit before it climbs to the province. */
  unitHours: number;
}

export interface RuleSetting<K extends RuleKey = RuleKey> {
  enabled: boolean;
  severity: Severity;
  params: RuleParams[K];
  /** Overrides of the global windows for this rule. */
  escalation?: Partial<EscalationWindows>;
}

export interface AlertsConfig {
  year: number;
  rules: { [K in RuleKey]: RuleSetting<K> };
  escalation: EscalationWindows & {
    /** Whether an acknowledged (but not resolved) alert keeps climbing: acknowledging is not doing. */
    acknowledgedEscalates: boolean;
  };
}

export const DEFAULT_ALERTS: Omit<AlertsConfig, 'year'> = {
  rules: {
    help_request_overdue: { enabled: true, severity: 'high', params: { hours: 24 } },
    not_contacted: { enabled: true, severity: 'medium', params: { days: 7 } },
    not_distributed: { enabled: true, severity: 'medium', params: { days: 3, undistributedOn: '07-31' } },
    hardship_no_one_on_one: { enabled: true, severity: 'high', params: { days: 7 } },
    hardship_no_followup: { enabled: true, severity: 'medium', params: { days: 30 } },
    incomplete_1311: { enabled: true, severity: 'low', params: { days: 60 } },
    below_target: { enabled: true, severity: 'medium', params: { metrics: ['contactRate', 'rate1311'], checkpointDays: [1, 16], counties: true, units: true } },
    recruitment_missed: { enabled: true, severity: 'medium', params: { weekly: true, monthly: true } },
    stale_data: { enabled: true, severity: 'high', params: { days: 7, counties: true, sources: ['inbox', 'postgres'] } },
    // Optional: a projection, not a breach; off unless ALERTS_CONFIG turns it on.
    forecast_miss: { enabled: false, severity: 'low', params: { metrics: ['contactRate', 'rate1311', 'employmentRate'], counties: true, units: true, startAfterDays: 30 } },
    no_training_centre: { enabled: true, severity: 'medium', params: { deadline: '08-31' } },
    post_unpublished: { enabled: true, severity: 'low', params: { days: 3 } },
    policy_pending: { enabled: true, severity: 'medium', params: { days: 30 } },
    hardship_visit_overdue: { enabled: true, severity: 'medium', params: { days: 30 } },
    hardship_no_plan: { enabled: true, severity: 'high', params: { days: 7 } },
    rights_case_overdue: { enabled: true, severity: 'high', params: {} },
    publicity_missing: { enabled: true, severity: 'medium', params: {} },
  },
  escalation: { countyHours: 72, unitHours: 72, acknowledgedEscalates: true },
};

export class AlertsConfigError extends ConfigError {}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const RATE_KEYS_OK: readonly string[] = ['contactRate', 'rate1311', 'employmentRate', 'helpSlaRate', 'hardshipOneOnOneRate'];

function checkParams(rule: RuleKey, p: Json): void {
  const fail = (m: string): never => {
    throw new AlertsConfigError(`ALERTS_CONFIG: rules.${rule}.params: ${m}`);
  };
  for (const [k, v] of Object.entries(p)) {
    if (k === 'startAfterDays' && !(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 366)) fail('startAfterDays must be a whole number from 0 to 366');
    if (['hours', 'days'].includes(k) && !(typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 3660)) fail(`${k} must be a whole number ≥ 1`);
    if (k === 'deadline' && !(typeof v === 'string' && /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(v))) fail('deadline must be MM-DD');
    if (k === 'undistributedOn' && !(typeof v === 'string' && /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(v))) fail('undistributedOn must be MM-DD');
    if (k === 'metrics' && !(Array.isArray(v) && v.every((x) => RATE_KEYS_OK.includes(String(x))))) fail(`metrics must be a list of ${RATE_KEYS_OK.join(', ')}`);
    if (k === 'checkpointDays' && !(Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x) && x >= 1 && x <= 28))) fail('checkpointDays must be days of month 1..28');
    if (k === 'sources' && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) fail('sources must be a list of ingest sources');
    if (['counties', 'units', 'weekly', 'monthly'].includes(k) && typeof v !== 'boolean') fail(`${k} must be true or false`);
  }
  const known = Object.keys(DEFAULT_ALERTS.rules[rule].params);
  const unknown = Object.keys(p).filter((k) => !known.includes(k));
  if (unknown.length) fail(`unknown parameter ${unknown.join(', ')} (known: ${known.join(', ')})`);
}

function checkWindows(where: string, w: Json): void {
  for (const [k, v] of Object.entries(w)) {
    if (!['countyHours', 'unitHours', 'acknowledgedEscalates'].includes(k)) throw new AlertsConfigError(`ALERTS_CONFIG: ${where}.${k} is unknown`);
    if (k === 'acknowledgedEscalates' ? typeof v !== 'boolean' : !(typeof v === 'number' && v >= 0 && v <= 24 * 366)) {
      throw new AlertsConfigError(`ALERTS_CONFIG: ${where}.${k} has a wrong value`);
    }
  }
}

/** Defaults merged with one override object (the part for one year). Throws AlertsConfigError on anything unknown or out of range. */
export function mergeAlertsConfig(year: number, override: unknown): AlertsConfig {
  const cfg: AlertsConfig = structuredClone({ year, ...DEFAULT_ALERTS }) as AlertsConfig;
  if (override === undefined || override === null) return cfg;
  if (!isObj(override)) throw new AlertsConfigError('ALERTS_CONFIG must hold a JSON object');
  for (const k of Object.keys(override)) {
    if (!['rules', 'escalation'].includes(k)) throw new AlertsConfigError(`ALERTS_CONFIG: unknown key ${k} (rules, escalation)`);
  }
  if (override.escalation !== undefined) {
    if (!isObj(override.escalation)) throw new AlertsConfigError('ALERTS_CONFIG: escalation must be an object');
    checkWindows('escalation', override.escalation);
    Object.assign(cfg.escalation, override.escalation);
  }
  if (override.rules !== undefined) {
    if (!isObj(override.rules)) throw new AlertsConfigError('ALERTS_CONFIG: rules must be an object');
    for (const [key, raw] of Object.entries(override.rules)) {
      if (!(RULE_KEYS as readonly string[]).includes(key)) throw new AlertsConfigError(`ALERTS_CONFIG: unknown rule ${key} (rules: ${RULE_KEYS.join(', ')})`);
      const rule = key as RuleKey;
      if (!isObj(raw)) throw new AlertsConfigError(`ALERTS_CONFIG: rules.${rule} must be an object`);
      const target = cfg.rules[rule] as RuleSetting;
      for (const [k, v] of Object.entries(raw)) {
        switch (k) {
          case 'enabled':
            if (typeof v !== 'boolean') throw new AlertsConfigError(`ALERTS_CONFIG: rules.${rule}.enabled must be true or false`);
            target.enabled = v;
            break;
          case 'severity':
            if (!(SEVERITIES as readonly unknown[]).includes(v)) throw new AlertsConfigError(`ALERTS_CONFIG: rules.${rule}.severity must be one of ${SEVERITIES.join(', ')}`);
            target.severity = v as Severity;
            break;
          case 'params':
            if (!isObj(v)) throw new AlertsConfigError(`ALERTS_CONFIG: rules.${rule}.params must be an object`);
            checkParams(rule, v);
            target.params = { ...target.params, ...v } as RuleParams[RuleKey];
            break;
          case 'escalation':
            if (!isObj(v)) throw new AlertsConfigError(`ALERTS_CONFIG: rules.${rule}.escalation must be an object`);
            checkWindows(`rules.${rule}.escalation`, v);
            target.escalation = { ...(target.escalation ?? {}), ...(v as Partial<EscalationWindows>) };
            break;
          default:
            throw new AlertsConfigError(`ALERTS_CONFIG: rules.${rule}.${k} is unknown (enabled, severity, params, escalation)`);
        }
      }
    }
  }
  return cfg;
}

/** The configuration of a campaign year from a parsed ALERTS_CONFIG (flat, or keyed by year). */
export function alertsConfigFor(year: number, raw: unknown): AlertsConfig {
  if (isObj(raw) && Object.keys(raw).length > 0 && Object.keys(raw).every((k) => /^\d{4}$/.test(k))) {
    return mergeAlertsConfig(year, raw[String(year)]);
  }
  return mergeAlertsConfig(year, raw);
}

export function loadAlertsConfig(year: number, env: NodeJS.ProcessEnv = process.env): AlertsConfig {
  const file = env.ALERTS_CONFIG;
  if (!file) return mergeAlertsConfig(year, undefined);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AlertsConfigError(`ALERTS_CONFIG ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return alertsConfigFor(year, raw);
}

export function windowsFor(cfg: AlertsConfig, rule: RuleKey): EscalationWindows {
  const o = cfg.rules[rule].escalation ?? {};
  return { countyHours: o.countyHours ?? cfg.escalation.countyHours, unitHours: o.unitHours ?? cfg.escalation.unitHours };
}

// ---------------------------------------------------------------- escalation

const HOUR = 3_600_000;
const LEVEL_RANK: Record<Level, number> = { county: 0, unit: 1, province: 2 };

export function higherLevel(a: Level, b: Level): Level {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

/**
 * The level an unresolved alert has reached at `now`: it starts at its
 * owner's level, climbs to the unit once the county window has passed since
 * it opened, and to the province once the unit window has passed after that.
 */
export function escalationLevel(ownerLevel: Level, openedAt: number, now: number, w: EscalationWindows): Level {
  if (ownerLevel === 'province') return 'province';
  if (ownerLevel === 'unit') return now >= openedAt + w.unitHours * HOUR ? 'province' : 'unit';
  if (now >= openedAt + (w.countyHours + w.unitHours) * HOUR) return 'province';
  if (now >= openedAt + w.countyHours * HOUR) return 'unit';
  return 'county';
}

/** When the alert climbs next (its due time at the current level), or null at the top. */
export function nextEscalationAt(ownerLevel: Level, level: Level, openedAt: number, w: EscalationWindows): number | null {
  if (level === 'province') return null;
  if (level === 'county') return openedAt + w.countyHours * HOUR;
  return openedAt + (ownerLevel === 'county' ? w.countyHours + w.unitHours : w.unitHours) * HOUR;
}

/** The levels passed on the way from one level to a higher one (each is told once). */
export function levelsCrossed(from: Level, to: Level): Level[] {
  return LEVELS.filter((l) => LEVEL_RANK[l] > LEVEL_RANK[from] && LEVEL_RANK[l] <= LEVEL_RANK[to]);
}

// ---------------------------------------------------------------- time (Asia/Shanghai)

const SH = 8 * HOUR;

/** An instant as 'YYYY-MM-DD HH:mm:ss' in Asia/Shanghai (how the alert tables store and show times). */
export function shanghai(ms: number): string {
  return new Date(ms + SH).toISOString().slice(0, 19).replace('T', ' ');
}

/** 'YYYY-MM-DD HH:mm:ss' (or a bare day) in Asia/Shanghai as epoch ms. */
export function parseShanghai(s: string): number {
  const t = s.length === 10 ? `${s}T00:00:00` : s.slice(0, 19).replace(' ', 'T');
  return Date.parse(`${t}+08:00`);
}

/** End of a day (23:59:59 Asia/Shanghai): "now" of an as-of evaluation. */
export function endOfDay(day: string): number {
  return Date.parse(`${day}T23:59:59+08:00`);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The last day that has fully ended at `now` (the day itself when now is its 23:59:59). */
export function completedDay(now: number): string {
  return addDays(shanghai(now + 1000).slice(0, 10), -1);
}

// ---------------------------------------------------------------- conditions computed in Node

/** One breached rule for one subject, as the rule queries produce it. */
export interface Condition {
  rule: RuleKey;
  subject: string;
  subjectKind: 'person' | 'help_request' | 'region' | 'source' | 'record';
  countyCode: string;
  unitCode: string;
  ownerCode: string;
  ownerLevel: Level;
  severity: Severity;
  title: string;
  nameMasked: string;
  detail: string;
  /** 'YYYY-MM-DD HH:mm:ss' Asia/Shanghai: the deadline that passed. */
  breachedAt: string;
}

/** The latest semi-monthly checkpoint on or before `day` inside the campaign, or null. */
export function checkpointOn(day: string, checkpointDays: number[], start: string, end: string): string | null {
  const last = day < end ? day : end;
  if (last < start) return null;
  for (let d = last; d >= start; d = addDays(d, -1)) {
    if (checkpointDays.includes(Number(d.slice(8, 10)))) return d;
  }
  return null;
}

export interface RegionRate {
  level: 'county' | 'unit';
  code: string;
  name: string;
  unitCode: string;
  /** Rate at the checkpoint and on the evaluated day (null: no denominator). */
  atCheckpoint: Partial<Record<RateKey, number | null>>;
  now: Partial<Record<RateKey, number | null>>;
}

export const RATE_LABELS: Record<RateKey, string> = {
  contactRate: '联系率', rate1311: '1311服务完成率', employmentRate: '就业率', helpSlaRate: '求助及时联系率', hardshipOneOnOneRate: '一对一帮扶覆盖率',
};

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

/** A rate rule's condition for a county or unit, owned by it (subject `level:code:metric`). */
function rateCondition(
  rule: RuleKey,
  r: { level: 'county' | 'unit'; code: string; unitCode: string },
  metric: RateKey,
  severity: Severity,
  what: { title: string; detail: Record<string, unknown>; breachedAt: string },
): Condition {
  return {
    rule, subject: `${r.level}:${r.code}:${metric}`, subjectKind: 'region', countyCode: r.level === 'county' ? r.code : '', unitCode: r.unitCode,
    ownerCode: r.code, ownerLevel: r.level, severity, title: what.title, nameMasked: '', detail: JSON.stringify(what.detail), breachedAt: what.breachedAt,
  };
}

/**
 * below_target: a region below its target path at the latest checkpoint,
 * and still below it on the evaluated day (it closes once back on the path).
 */
export function belowTargetConditions(
  regions: RegionRate[],
  checkpoint: string,
  day: string,
  pathAt: (metric: RateKey, day: string) => number,
  setting: RuleSetting<'below_target'>,
): Condition[] {
  const out: Condition[] = [];
  for (const r of regions) {
    if (r.level === 'county' && !setting.params.counties) continue;
    if (r.level === 'unit' && !setting.params.units) continue;
    for (const m of setting.params.metrics) {
      const atC = r.atCheckpoint[m];
      const atN = r.now[m];
      const pathC = pathAt(m, checkpoint);
      const pathN = pathAt(m, day);
      if (atC === null || atC === undefined || atN === null || atN === undefined) continue;
      if (!(atC < pathC - 1e-12 && atN < pathN - 1e-12)) continue;
      out.push(rateCondition('below_target', r, m, setting.severity, {
        title: `${r.name}${RATE_LABELS[m]} ${pct(atN)}，低于目标进度 ${pct(pathN)}（${checkpoint} 调度时 ${pct(atC)} / ${pct(pathC)}）`,
        detail: { metric: m, checkpoint, valueAtCheckpoint: atC, pathAtCheckpoint: pathC, value: atN, path: pathN, day },
        breachedAt: `${checkpoint} 23:59:59`,
      }));
    }
  }
  return out;
}

export interface RegionForecast {
  level: 'county' | 'unit';
  code: string;
  name: string;
  unitCode: string;
  forecast: Partial<Record<RateKey, { projectedEnd: number | null; onTrack: boolean | null; neededPerDay: number | null }>>;
}

/**
 * forecast_miss (optional): a county or unit whose rate, projected to the
 * campaign's end at the pace of the last 14 days, stays below the target.
 * Judged on days start + startAfterDays … end − 1 (on the last day the value
 * is final, and below_target speaks for it); closes when the projection
 * reaches the target again.
 */
export function forecastMissConditions(
  regions: RegionForecast[],
  day: string,
  campaign: { start: string; end: string; targets: Record<RateKey, { value: number }> },
  setting: RuleSetting<'forecast_miss'>,
): Condition[] {
  if (!setting.enabled) return [];
  if (day < addDays(campaign.start, setting.params.startAfterDays) || day >= campaign.end) return [];
  const out: Condition[] = [];
  for (const r of regions) {
    if (r.level === 'county' && !setting.params.counties) continue;
    if (r.level === 'unit' && !setting.params.units) continue;
    for (const m of setting.params.metrics) {
      const f = r.forecast[m];
      if (!f || f.onTrack !== false || f.projectedEnd === null) continue;
      const target = campaign.targets[m].value;
      const need = f.neededPerDay === null ? '' : `，需每天提高 ${(f.neededPerDay * 100).toFixed(2)} 个百分点`;
      out.push(rateCondition('forecast_miss', r, m, setting.severity, {
        title: `${r.name}${RATE_LABELS[m]}按近14天进度预计年底 ${pct(f.projectedEnd)}，达不到目标 ${pct(target)}${need}`,
        detail: { metric: m, day, projectedEnd: f.projectedEnd, target, neededPerDay: f.neededPerDay, end: campaign.end },
        breachedAt: `${day} 23:59:59`,
      }));
    }
  }
  return out;
}

export interface PeriodMiss {
  unitCode: string;
  unitName: string;
  kind: 'week' | 'month';
  label: string;
  start: string;
  end: string;
}

/**
 * recruitment_missed: ended weeks without a 专业性 event and ended months
 * without a 综合性 event, while the unit has held no such event since (one
 * held later closes the earlier misses: the unit is back on schedule).
 */
export function recruitmentConditions(
  misses: PeriodMiss[],
  latestEventAfter: (unitCode: string, kind: 'week' | 'month', after: string) => boolean,
  setting: RuleSetting<'recruitment_missed'>,
): Condition[] {
  const out: Condition[] = [];
  for (const m of misses) {
    if (m.kind === 'week' && !setting.params.weekly) continue;
    if (m.kind === 'month' && !setting.params.monthly) continue;
    if (latestEventAfter(m.unitCode, m.kind, m.end)) continue;
    const what = m.kind === 'week' ? `${m.label} 周（${m.start} 至 ${m.end}）未举办专业性招聘活动` : `${m.label} 月未举办综合性招聘活动`;
    out.push({
      rule: 'recruitment_missed',
      subject: `${m.unitCode}:${m.kind}:${m.label}`,
      subjectKind: 'region',
      countyCode: '',
      unitCode: m.unitCode,
      ownerCode: m.unitCode,
      ownerLevel: 'unit',
      severity: setting.severity,
      title: `${m.unitName}${what}`,
      nameMasked: '',
      detail: JSON.stringify({ period: m.kind, label: m.label, start: m.start, end: m.end }),
      breachedAt: `${m.end} 23:59:59`,
    });
  }
  return out;
}

/**
 * A dispatch order (督办) not done by the end of its due date climbs like an
 * alert: to the unit once overdue, to the province after the unit window.
 */
export function dispatchLevel(dueDate: string, now: number, w: EscalationWindows): Level {
  const overdueAt = parseShanghai(addDays(dueDate, 1));
  if (now < overdueAt) return 'county';
  if (now < overdueAt + w.unitHours * HOUR) return 'unit';
  return 'province';
}
