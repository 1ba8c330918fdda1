// Alerts: evaluation of the rules at an instant (deterministic: "now" is a
// parameter, never the wall clock), the lifecycle and escalation of each
// alert, notices to the regions concerned, and what the alert centre reads.
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AuthService, parseUtc } from '../auth/auth.service';
import type { Principal, Scope } from '../auth/scope';
import { targetOn, type RateKey } from '../metrics/campaign.config';
import { MetricsService } from '../metrics/metrics.service';
import { toMetrics, zeroCounts } from '../metrics/metrics.types';
import { compliance, COMPREHENSIVE, isoWeekStart, PROFESSIONAL } from '../metrics/recruitment.logic';
import { COUNTIES, countiesUnder, PROVINCE_CODE, REGION_BY_CODE, UNITS } from '../regions/regions.data';
import { maskFreeText } from '../security/pii';
import {
  acknowledge, autoResolve, openNew, release, reopen, resolveByHand, update, type AlertEventRow, type AlertRow, type Transition,
} from './alerts.lifecycle';
import { AlertGroupsRepository } from './alerts.groups.repository';
import { compareGroups, toGroup } from './alerts.groups.logic';
import { AlertsRepository, type AlertFilter, type AlertScopeParams, type ConditionRow, type DiffRow } from './alerts.repository';
import {
  belowTargetConditions, checkpointOn, completedDay, endOfDay, forecastMissConditions, LEVEL_LABELS, loadAlertsConfig, parseShanghai, PERSON_RULES, recruitmentConditions,
  RULE_KEYS, RULE_LABELS, SEVERITY_LABELS, shanghai, STATE_LABELS, type AlertsConfig, type AlertState, type Condition, type Level, type PeriodMiss,
  type RegionForecast, type RegionRate, type RuleKey, type Severity,
} from './alerts.rules';
import { DispatchService } from './dispatch.service';
import { CareService } from '../care/care.service';
import { publicityConditions, rightsCaseConditions } from '../care/care.alerts';
import { digestNotice, escalationNotice, openedNotice, recipientAt, regionName, type Notice, type NoticeAlert } from './notify/notice';
import { NotifyService } from './notify/notify.service';

import type { AlertCounts, AlertDetail, AlertPage, AlertPersonRow, AlertView } from './alerts.types';

export type { AlertView };

export interface EvaluationResult {
  asOf: string;
  now: string;
  /** False when `now` lies before the latest evaluation: the conditions are shown, nothing is written. */
  persisted: boolean;
  opened: number;
  reopened: number;
  resolved: number;
  escalated: number;
  updated: number;
  dispatchEscalated: number;
  noticesQueued: number;
  open: AlertView[];
  counts: Partial<Record<RuleKey, number>>;
  ms: number;
}

const SOURCE_LABELS: Record<string, string> = { inbox: '收件箱', postgres: '省平台数据库', cli: '命令行导入', demo: '演示数据' };

function parseDetail(s: string): Record<string, unknown> {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function toView(r: AlertRow, asOf: number | null): AlertView {
  const unresolved = r.state !== 'resolved';
  return {
    id: r.alert_id, rule: r.rule as RuleKey, ruleLabel: RULE_LABELS[r.rule as RuleKey] ?? r.rule, severity: r.severity as Severity,
    severityLabel: SEVERITY_LABELS[r.severity as Severity] ?? r.severity, state: r.state as AlertState, stateLabel: STATE_LABELS[r.state as AlertState] ?? r.state,
    level: r.level as Level, levelLabel: LEVEL_LABELS[r.level as Level] ?? r.level, subject: r.subject, subjectKind: r.subject_kind,
    countyCode: r.county_code, countyName: r.county_code ? regionName(r.county_code) : '', unitCode: r.unit_code, ownerCode: r.owner_code,
    ownerName: regionName(r.owner_code), ownerLevel: r.owner_level as Level, name: r.name_masked, title: r.title, detail: parseDetail(r.detail),
    breachedAt: r.breached_at, openedAt: r.opened_at || null, firstOpenedAt: r.first_opened_at || null, dueAt: r.due_at, escalatedAt: r.escalated_at,
    ackBy: r.ack_by, ackNote: r.ack_note, ackAt: r.ack_at, resolvedAt: r.resolved_at, resolvedBy: r.resolved_by, resolveReason: r.resolve_reason,
    reopenCount: Number(r.reopen_count),
    ageHours: unresolved && asOf !== null && r.opened_at ? Math.max(0, Math.floor((asOf - parseShanghai(r.opened_at)) / 3_600_000)) : null,
  };
}

function conditionOf(d: DiffRow | ConditionRow, prefix: 'c_' | ''): Condition {
  const g = (k: string) => (d as unknown as Record<string, string>)[`${prefix}${k}`]!;
  return {
    rule: g('rule') as RuleKey, subject: g('subject'), subjectKind: g('subject_kind') as Condition['subjectKind'], countyCode: g('county_code'),
    unitCode: g('unit_code'), ownerCode: g('owner_code'), ownerLevel: g('owner_level') as Level, severity: g('severity') as Severity, title: g('title'),
    nameMasked: g('name_masked'), detail: g('detail'), breachedAt: g('breached_at'),
  };
}

function alertOf(d: DiffRow): AlertRow {
  return {
    alert_id: d.alert_id, rule: d.rule, subject: d.subject, subject_kind: d.subject_kind, county_code: d.county_code, unit_code: d.unit_code,
    owner_code: d.owner_code, owner_level: d.owner_level, level: d.level, severity: d.severity, state: d.state, title: d.title, name_masked: d.name_masked,
    detail: d.detail, breached_at: d.breached_at, opened_at: d.opened_at, first_opened_at: d.first_opened_at, due_at: d.due_at, escalated_at: d.escalated_at,
    ack_by: d.ack_by, ack_note: d.ack_note, ack_at: d.ack_at, resolved_at: d.resolved_at, resolved_by: d.resolved_by, resolve_reason: d.resolve_reason,
    suppressed: Number(d.suppressed), reopen_count: Number(d.reopen_count), notified: d.notified ?? [], version: Number(d.version),
  };
}

/** The transition an evaluation applies to one (condition, alert) pair, or null. */
export function decide(d: DiffRow, now: number, cfg: AlertsConfig): Transition | null {
  const hasC = Number(d.c_present) === 1;
  const hasA = Number(d.a_present) === 1;
  if (hasC && !hasA) return openNew(conditionOf(d, 'c_'), now, cfg);
  if (!hasA) return null;
  const a = alertOf(d);
  const resolved = a.state === 'resolved';
  if (hasC && resolved) return a.suppressed ? null : reopen(a, conditionOf(d, 'c_'), now, cfg);
  if (!hasC && !resolved) return autoResolve(a, now);
  if (!hasC && resolved) return a.suppressed ? release(a, now) : null;
  return update(a, conditionOf(d, 'c_'), now, cfg);
}

export function scopeParams(scope: Scope): AlertScopeParams {
  if (scope.all) return { scopeAll: 1, scopeCounties: [], scopeRegions: [] };
  return {
    scopeAll: 0,
    scopeCounties: [...scope.counties],
    scopeRegions: scope.visibleRegions().filter((r) => r.level !== 'county').map((r) => r.code),
  };
}

/** A region as a filter of the same shape: the region's counties and its own (unit or province) alerts. */
export function regionParams(code: string): AlertScopeParams {
  const r = REGION_BY_CODE.get(code);
  if (!r || r.level === 'province') return { scopeAll: 1, scopeCounties: [], scopeRegions: [] };
  return { scopeAll: 0, scopeCounties: countiesUnder(code), scopeRegions: r.level === 'unit' ? [code] : [] };
}

function alertVisible(a: Pick<AlertRow, 'county_code' | 'owner_code'>, scope: Scope): boolean {
  if (scope.all) return true;
  return a.county_code ? scope.counties.has(a.county_code) : scope.canSee(a.owner_code);
}

const HOUR = 3_600_000;

/** An evaluation stopped before it wrote anything, because it was asked to (runScheduled's signal). */
class EvaluationStopped extends Error {}

/** Throws EvaluationStopped when the signal asks to stop: called between an evaluation's steps, before anything is written. */
function stopIfAsked(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EvaluationStopped('asked to stop');
}

@Injectable()
export class AlertsService {
  private lock: Promise<unknown> = Promise.resolve();
  private scheduled: Promise<unknown> | null = null;
  /** Whether the last scheduled evaluation stopped early: the next one does not (a stream of loads cannot starve the alerts). */
  private lastStopped = false;
  private cfgCache: AlertsConfig | null = null;

  constructor(
    private readonly repo: AlertsRepository,
    private readonly groupsRepo: AlertGroupsRepository,
    private readonly metrics: MetricsService,
    private readonly notify: NotifyService,
    private readonly dispatch: DispatchService,
    private readonly auth: AuthService,
    private readonly care: CareService,
    @Inject(APP_CONFIG) private readonly appCfg: AppConfig,
  ) {
    // Read (and checked) at start: a wrong ALERTS_CONFIG stops the start with one line, not the first evaluation.
    this.cfgCache = loadAlertsConfig(this.metrics.config().year);
  }

  // Right after every refresh that wrote new snapshots the evaluation runs as the refresh job's follow-up
  // (cron/schedule.ts), so it shows in /api/jobs like a scheduled one.

  config(): AlertsConfig {
    this.cfgCache ??= loadAlertsConfig(this.metrics.config().year);
    return this.cfgCache;
  }

  /** Evaluations and hand changes of alerts take turns, so none overwrites another's version. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * The scheduled run: evaluate at the wall clock (capped at the end of the data's range, like the refresh), then
   * send. With `signal` (the job's: a load's refresh is waiting) it stops at the next step once the signal is
   * aborted, before anything is written, and returns `{ stopped: true }`; the refresh's own follow-up evaluates
   * the new data. The run after a stopped one does not stop, so the alerts are never two evaluations behind.
   */
  runScheduled(signal?: AbortSignal): Promise<unknown> {
    // An archived campaign year is read-only: its alerts stay as they were, none is opened or sent.
    if (this.appCfg.readOnly) return Promise.resolve({ skipped: 'archived' });
    this.scheduled ??= (async () => {
      const started = Date.now();
      const { to } = await this.metrics.validRange();
      const now = Math.min(Date.now(), endOfDay(to));
      try {
        const r = await this.evaluate(now, { flush: true, signal: this.lastStopped ? undefined : signal, list: false });
        this.lastStopped = false;
        const { open: _open, ...summary } = r;
        return summary;
      } catch (e) {
        if (!(e instanceof EvaluationStopped)) throw e;
        this.lastStopped = true;
        return { stopped: true, reason: 'a load is waiting for its refresh; the evaluation after that refresh replaces this one', ms: Date.now() - started };
      }
    })().finally(() => (this.scheduled = null));
    return this.scheduled;
  }

  async lastEvalNow(): Promise<number | null> {
    const s = await this.repo.lastEvalNow();
    return s ? parseShanghai(s) : null;
  }

  /**
   * Evaluates every rule at `now`. Moving forward in time (or re-evaluating
   * the same instant) writes the alerts' new versions, escalates and queues
   * notices; an instant before the latest evaluation only reports the
   * conditions then (state history is not rewritten).
   */
  evaluate(now: number, opts: { flush?: boolean; dryRun?: boolean; signal?: AbortSignal; list?: boolean } = {}): Promise<EvaluationResult> {
    return this.exclusive(async () => {
      const started = Date.now();
      const cfg = this.config();
      const campaign = this.metrics.config();
      const nowStr = shanghai(now);
      const last = await this.lastEvalNow();
      const persist = !opts.dryRun && (last === null || now >= last);
      const evalId = Date.now() * 1000 + Math.floor(Math.random() * 1000);
      const res: EvaluationResult = {
        asOf: completedDay(now), now: nowStr, persisted: persist, opened: 0, reopened: 0, resolved: 0, escalated: 0, updated: 0, dispatchEscalated: 0,
        // Every rule that is on (an optional rule such as forecast_miss only once turned on), each from 0.
        noticesQueued: 0, open: [], counts: Object.fromEntries(RULE_KEYS.filter((k) => cfg.rules[k].enabled).map((k) => [k, 0])) as Partial<Record<RuleKey, number>>, ms: 0,
      };
      const { signal } = opts;
      let openTotal = 0;
      try {
        // Each step may take seconds at national size; between them the evaluation can stop (nothing written yet).
        stopIfAsked(signal);
        await this.repo.insertPersonConditions(evalId, nowStr, campaign, cfg);
        stopIfAsked(signal);
        await this.repo.insertHelpConditions(evalId, nowStr, cfg);
        await this.repo.insertStaleCountyConditions(evalId, nowStr, cfg);
        stopIfAsked(signal);
        await this.repo.insertMeasureConditions(evalId, nowStr, campaign, cfg);
        await this.repo.insertConditions(evalId, [...(await this.belowTarget(now, cfg)), ...(await this.recruitment(now, cfg)), ...(await this.staleSources(now, cfg)), ...(await this.forecastMiss(now, cfg))]);
        stopIfAsked(signal);
        await this.repo.insertCarePersonConditions(evalId, nowStr, campaign, cfg);
        await this.repo.insertConditions(evalId, await this.careConditions(now, cfg));
        stopIfAsked(signal);
        if (!persist) {
          const conds = await this.repo.listConditions(evalId);
          res.open = conds.map((c) => toView(openNew(conditionOf(c, ''), now, cfg).row, now));
        } else {
          const diff = await this.repo.diff(evalId, nowStr, cfg);
          // The last point to stop: from here on the evaluation writes.
          stopIfAsked(signal);
          const transitions = diff.map((d) => decide(d, now, cfg)).filter((t): t is Transition => t !== null);
          const events: AlertEventRow[] = transitions.flatMap((t) => t.events);
          await this.repo.saveAlerts(transitions.map((t) => t.row));
          await this.repo.saveEvents(events);
          for (const t of transitions) {
            if (t.kind === 'opened') res.opened++;
            else if (t.kind === 'reopened') res.reopened++;
            else if (t.kind === 'resolved') res.resolved++;
            else if (t.kind === 'escalated') res.escalated++;
            else if (t.kind === 'updated') res.updated++;
          }
          const d = await this.dispatch.escalate(now, cfg);
          res.dispatchEscalated = d.escalated;
          const notices = [...(await this.alertNotices(transitions, now)), ...d.notices];
          res.noticesQueued = await this.notify.queue(notices);
          // The scheduled run keeps only the counts: at national size the list is about a million alerts (15 s to
          // read, gigabytes of objects), so it is counted where it lies.
          if (opts.list === false) {
            for (const r of await this.repo.unresolvedByRule()) {
              res.counts[r.rule as RuleKey] = (res.counts[r.rule as RuleKey] ?? 0) + Number(r.n);
              openTotal += Number(r.n);
            }
          } else res.open = (await this.repo.unresolved()).map((r) => toView(r, now));
        }
      } finally {
        await this.repo.dropConditions(evalId).catch(() => undefined);
      }
      for (const a of res.open) res.counts[a.rule] = (res.counts[a.rule] ?? 0) + 1;
      openTotal += res.open.length;
      if (persist) {
        await this.repo.saveEval({
          eval_id: evalId, now: nowStr, persisted: 1, started_at: new Date(started).toISOString(), finished_at: new Date().toISOString(),
          opened: res.opened, reopened: res.reopened, resolved: res.resolved, escalated: res.escalated, open_total: openTotal,
        });
      }
      res.ms = Date.now() - started;
      return res;
    }).then(async (res) => {
      if (opts.flush && res.persisted) await this.notify.flush();
      return res;
    });
  }

  // ------------------------------------------------------------ rules computed here (region-level, small)

  private async belowTarget(now: number, cfg: AlertsConfig): Promise<Condition[]> {
    const s = cfg.rules.below_target;
    if (!s.enabled) return [];
    const campaign = this.metrics.config();
    const day = completedDay(now);
    const cp = checkpointOn(day, s.params.checkpointDays, campaign.start, campaign.end);
    if (!cp) return [];
    const atC = (await this.metrics.countsForDay(cp)).counts;
    const atN = cp === day ? atC : (await this.metrics.countsForDay(day)).counts;
    const rates = (m: Map<string, ReturnType<typeof zeroCounts>>, key: string) => {
      const x = toMetrics(m.get(key) ?? zeroCounts());
      return Object.fromEntries(s.params.metrics.map((k) => [k, x[k]])) as Partial<Record<RateKey, number | null>>;
    };
    const regions: RegionRate[] = [];
    for (const c of COUNTIES) {
      regions.push({ level: 'county', code: c.code, name: c.name, unitCode: c.parentCode!, atCheckpoint: rates(atC, `county:${c.code}`), now: rates(atN, `county:${c.code}`) });
    }
    for (const u of UNITS) {
      // 梅河口 is a unit and its own single county: the county alert covers it.
      const under = countiesUnder(u.code);
      if (under.length === 1 && under[0] === u.code) continue;
      regions.push({ level: 'unit', code: u.code, name: u.name, unitCode: u.code, atCheckpoint: rates(atC, `unit:${u.code}`), now: rates(atN, `unit:${u.code}`) });
    }
    return belowTargetConditions(regions, cp, day, (m, d) => targetOn(campaign.targets[m], d, campaign), s);
  }

  private async forecastMiss(now: number, cfg: AlertsConfig): Promise<Condition[]> {
    const s = cfg.rules.forecast_miss;
    if (!s.enabled) return [];
    const campaign = this.metrics.config();
    const day = completedDay(now);
    const { from, to } = await this.metrics.validRange();
    if (day < from || day > to) return [];
    const forecasts = await this.metrics.forecasts(day);
    const regions: RegionForecast[] = [];
    for (const c of COUNTIES) regions.push({ level: 'county', code: c.code, name: c.name, unitCode: c.parentCode!, forecast: forecasts.get(`county:${c.code}`) ?? {} });
    for (const u of UNITS) {
      // 梅河口 is a unit and its own single county: the county alert covers it (as for below_target).
      const under = countiesUnder(u.code);
      if (under.length === 1 && under[0] === u.code) continue;
      regions.push({ level: 'unit', code: u.code, name: u.name, unitCode: u.code, forecast: forecasts.get(`unit:${u.code}`) ?? {} });
    }
    return forecastMissConditions(regions, day, campaign, s);
  }

  private async recruitment(now: number, cfg: AlertsConfig): Promise<Condition[]> {
    const s = cfg.rules.recruitment_missed;
    if (!s.enabled) return [];
    const campaign = this.metrics.config();
    const day = completedDay(now);
    if (day < campaign.start) return [];
    const to = day < campaign.end ? day : campaign.end;
    const units = UNITS.map((u) => u.code);
    const events = await this.repo.eventsByUnit(units, isoWeekStart(campaign.start), day);
    const misses: PeriodMiss[] = [];
    for (const u of UNITS) {
      const mine = events.filter((e) => e.unit_code === u.code);
      const { weeks, months } = compliance(mine, campaign.start, to, day);
      // A week that began before the campaign is not judged: its quota starts with the campaign.
      for (const w of weeks.filter((x) => x.missed && x.start >= campaign.start)) misses.push({ unitCode: u.code, unitName: u.name, kind: 'week', label: w.week, start: w.start, end: w.end });
      for (const m of months.filter((x) => x.missed)) misses.push({ unitCode: u.code, unitName: u.name, kind: 'month', label: m.month, start: m.start, end: m.end });
    }
    const after = (unit: string, kind: 'week' | 'month', end: string) =>
      events.some((e) => e.unit_code === unit && e.event_type === (kind === 'week' ? PROFESSIONAL : COMPREHENSIVE) && e.event_date > end && e.event_date <= day);
    return recruitmentConditions(misses, after, s);
  }

  private async staleSources(now: number, cfg: AlertsConfig): Promise<Condition[]> {
    const s = cfg.rules.stale_data;
    if (!s.enabled || !s.params.sources.length) return [];
    const out: Condition[] = [];
    const base = { rule: 'stale_data' as const, subjectKind: 'source' as const, countyCode: '', unitCode: '', ownerCode: PROVINCE_CODE, ownerLevel: 'province' as const, severity: s.severity, nameMasked: '' };
    for (const r of await this.repo.sources(shanghai(now), s.params.sources)) {
      const label = `${SOURCE_LABELS[r.source] ?? r.source}（${r.source}）`;
      if (Number(r.new_runs) > 0) {
        const lastNew = parseUtc(r.last_new);
        const due = lastNew + s.params.days * 24 * HOUR;
        if (due <= now) {
          out.push({
            ...base, subject: `source:${r.source}:silent`, breachedAt: shanghai(due),
            title: `数据源 ${label} 自 ${shanghai(lastNew).slice(0, 10)} 起已 ${Math.floor((now - lastNew) / 24 / HOUR)} 天无新数据`,
            detail: JSON.stringify({ source: r.source, lastNewData: shanghai(lastNew), days: s.params.days }),
          });
        }
      }
      if (r.last_status === 'failed') {
        const at = parseUtc(r.last_started);
        out.push({
          ...base, subject: `source:${r.source}:failed`, breachedAt: shanghai(at), title: `数据源 ${label} 最近一次拉取失败（${shanghai(at).slice(0, 16)}）`,
          detail: JSON.stringify({ source: r.source, failedAt: shanghai(at), error: maskFreeText(r.last_error).slice(0, 200) }),
        });
      }
    }
    return out;
  }

  /** rights_case_overdue and publicity_missing (backend/src/care/care.alerts.ts), as of the instant's day. */
  private async careConditions(now: number, cfg: AlertsConfig): Promise<Condition[]> {
    const today = shanghai(now).slice(0, 10);
    const out: Condition[] = [];
    const rc = cfg.rules.rights_case_overdue;
    if (rc.enabled) out.push(...rightsCaseConditions(await this.care.openCases(today), today, rc.severity));
    const pm = cfg.rules.publicity_missing;
    const deadline = this.metrics.config().care.publicityDeadline;
    if (pm.enabled && today > deadline) out.push(...publicityConditions((await this.care.checklist('220000', today)).units, today, deadline, pm.severity));
    return out;
  }

  // ------------------------------------------------------------ notices

  /** New and re-opened alerts told to their owner, escalations to the level reached: grouped per recipient and rule. */
  private async alertNotices(transitions: Transition[], now: number): Promise<Notice[]> {
    const groups = new Map<string, { recipient: string; level: Level; kind: 'opened' | 'escalated'; rule: RuleKey; items: NoticeAlert[] }>();
    for (const t of transitions) {
      for (const level of t.notify) {
        const kind = t.kind === 'opened' || t.kind === 'reopened' || level === t.row.owner_level ? 'opened' : 'escalated';
        const recipient = recipientAt(t.row, level);
        const key = `${recipient}|${level}|${kind}|${t.row.rule}`;
        if (!groups.has(key)) groups.set(key, { recipient, level, kind, rule: t.row.rule as RuleKey, items: [] });
        groups.get(key)!.items.push(t.row);
      }
    }
    if (!groups.size) return [];
    const open = await this.repo.openCounts(shanghai(now - 24 * HOUR));
    const url = this.notify.settings.publicUrl;
    const out: Notice[] = [];
    for (const g of [...groups.values()].sort((a, b) => a.recipient.localeCompare(b.recipient) || a.rule.localeCompare(b.rule))) {
      if (g.kind === 'opened') {
        const inside = regionParams(g.recipient);
        const total = open
          .filter((o) => o.rule === g.rule && (inside.scopeAll === 1 || (o.county_code ? inside.scopeCounties.includes(o.county_code) : inside.scopeRegions.includes(o.owner_code))))
          .reduce((s, o) => s + Number(o.n), 0);
        out.push(openedNotice(g.recipient, g.rule, g.items, total, url, this.notify.settings.maxNames));
      } else {
        out.push(escalationNotice(g.recipient, g.level, g.rule, g.items, url, this.notify.settings.maxNames));
      }
    }
    return out;
  }

  /** The daily digest: one notice per region that has channels and something open inside it. */
  async digest(): Promise<{ regions: number; queued: number; flushed: unknown }> {
    const lastNow = (await this.lastEvalNow()) ?? Date.now();
    const open = await this.repo.openCounts(shanghai(lastNow - 24 * HOUR));
    const overdue = await this.dispatch.overdueByCounty(lastNow);
    const regions = [...new Set((await this.notify.channels()).map((c) => c.regionCode))].filter((c) => REGION_BY_CODE.has(c));
    const notices: Notice[] = [];
    for (const code of regions) {
      const inside = regionParams(code);
      const level = REGION_BY_CODE.get(code)!.level;
      const mine = open.filter((o) => inside.scopeAll === 1 || (o.county_code ? inside.scopeCounties.includes(o.county_code) : inside.scopeRegions.includes(o.owner_code)));
      const bySeverity: Partial<Record<Severity, number>> = {};
      const byRule: Partial<Record<RuleKey, number>> = {};
      let new24h = 0;
      let atThisLevel = 0;
      for (const o of mine) {
        const n = Number(o.n);
        bySeverity[o.severity as Severity] = (bySeverity[o.severity as Severity] ?? 0) + n;
        byRule[o.rule as RuleKey] = (byRule[o.rule as RuleKey] ?? 0) + n;
        new24h += Number(o.new_24h);
        if (level !== 'county' && o.level === level) atThisLevel += n;
      }
      const overdueOrders = overdue.filter((o) => inside.scopeAll === 1 || inside.scopeCounties.includes(o.county_code)).reduce((s, o) => s + Number(o.n), 0);
      if (!mine.length && !overdueOrders) continue;
      notices.push(digestNotice({ recipient: code, day: shanghai(lastNow).slice(0, 10), bySeverity, byRule, new24h, atThisLevel, overdueOrders }, this.notify.settings.publicUrl));
    }
    const queued = await this.notify.queue(notices);
    const flushed = await this.notify.flush();
    return { regions: notices.length, queued, flushed };
  }

  // ------------------------------------------------------------ the alert centre

  private filterFor(scope: Scope, q: { rule?: string; region?: string; state?: string; severity?: string; level?: string; ageMin?: number; ageMax?: number }, asOf: number): AlertFilter {
    const region = q.region ?? scope.principal.regionCode;
    if (!REGION_BY_CODE.has(region)) throw new BadRequestException(`未知地区代码 ${region} / unknown region code`);
    scope.assertCanSee(region);
    const split = (s?: string) => (s ? s.split(',').filter(Boolean) : []);
    let states = split(q.state ?? 'unresolved');
    if (states.includes('all')) states = [];
    else if (states.includes('unresolved')) states = [...new Set([...states.filter((s) => s !== 'unresolved'), 'open', 'acknowledged'])];
    return {
      rules: split(q.rule), states, severities: split(q.severity), levels: split(q.level), region: regionParams(region),
      ageMinHours: q.ageMin === undefined ? -1 : q.ageMin * 24, ageMaxHours: q.ageMax === undefined ? -1 : q.ageMax * 24, asOf: shanghai(asOf),
    };
  }

  async list(
    scope: Scope,
    q: { rule?: string; region?: string; state?: string; severity?: string; level?: string; ageMin?: number; ageMax?: number; limit?: number; offset?: number },
  ): Promise<AlertPage> {
    const last = await this.lastEvalNow();
    const asOf = last ?? Date.now();
    const page = await this.repo.list(this.filterFor(scope, q, asOf), scopeParams(scope), q.limit ?? 50, q.offset ?? 0);
    return { total: page.total, asOf: last === null ? null : shanghai(last), rows: page.rows.map((r) => toView(r, asOf)) };
  }

  async counts(scope: Scope, q: { region?: string }): Promise<AlertCounts> {
    const last = await this.lastEvalNow();
    const f = this.filterFor(scope, { region: q.region }, last ?? Date.now());
    const rows = await this.repo.counts(f, scopeParams(scope));
    const bySeverity = { low: 0, medium: 0, high: 0, critical: 0 } as Record<Severity, number>;
    const byRule = Object.fromEntries(RULE_KEYS.map((k) => [k, 0])) as Record<RuleKey, number>;
    const byLevel = { county: 0, unit: 0, province: 0 } as Record<Level, number>;
    let total = 0;
    for (const r of rows) {
      const n = Number(r.n);
      total += n;
      bySeverity[r.severity as Severity] = (bySeverity[r.severity as Severity] ?? 0) + n;
      byRule[r.rule as RuleKey] = (byRule[r.rule as RuleKey] ?? 0) + n;
      byLevel[r.level as Level] = (byLevel[r.level as Level] ?? 0) + n;
    }
    return { asOf: last === null ? null : shanghai(last), region: q.region ?? scope.principal.regionCode, total, bySeverity, byRule, byLevel };
  }

  /**
   * For the command screen: open counts by severity, the five most urgent groups (region × rule, the alert
   * centre's and the home page's groups, so the wall agrees with them) and the newest five, aggregates only (no names).
   */
  async summary(scope: Scope, q: { region?: string }) {
    const c = await this.counts(scope, q);
    const last = await this.lastEvalNow();
    const groups = (await this.groupsRepo.groups(scopeParams(scope), regionParams(c.region))).map((r) => toGroup(r, last ?? Date.now())).sort(compareGroups);
    const open = { low: 0, medium: 0, high: 0, critical: 0, total: 0 } as Record<Severity | 'total', number>;
    for (const g of groups) {
      open[g.severity as Severity] += g.count;
      open.total += g.count;
    }
    const page = await this.repo.list(this.filterFor(scope, { region: q.region }, last ?? Date.now()), scopeParams(scope), 5, 0);
    const newest = [...page.rows]
      .sort((a, b) => b.opened_at.localeCompare(a.opened_at) || a.alert_id.localeCompare(b.alert_id))
      .map((r) => ({
        id: r.alert_id, rule: r.rule, ruleLabel: RULE_LABELS[r.rule as RuleKey] ?? r.rule, severity: r.severity, level: r.level,
        regionCode: r.county_code || r.owner_code, regionName: regionName(r.county_code || r.owner_code),
        // Person-level titles are the rule's label: no one is named on a wall.
        title: PERSON_RULES.has(r.rule as RuleKey) ? RULE_LABELS[r.rule as RuleKey] : r.title, openedAt: r.opened_at,
      }));
    return { asOf: c.asOf, region: c.region, open, byRule: c.byRule, groups: groups.slice(0, 5), newest };
  }

  private async visibleAlert(id: string, scope: Scope): Promise<AlertRow> {
    const a = await this.repo.get(id);
    if (!a || !alertVisible(a, scope)) throw new NotFoundException(`预警 ${id} 不存在 / no such alert`);
    return a;
  }

  async get(id: string, scope: Scope): Promise<AlertDetail> {
    const a = await this.visibleAlert(id, scope);
    const history = (await this.repo.history(id)).map(({ alert_id: _a, rule: _r, ...e }) => e);
    const orders = await this.dispatch.list(scope, { alertId: id, limit: 50 });
    return { ...toView(a, await this.lastEvalNow()), history, dispatch: orders.rows };
  }

  async people(id: string, scope: Scope, page: { limit?: number; offset?: number }, p: Principal, ip: string): Promise<{ total: number; rows: AlertPersonRow[] }> {
    const a = await this.visibleAlert(id, scope);
    const now = shanghai((await this.lastEvalNow()) ?? Date.now());
    const limit = page.limit ?? 50;
    const offset = page.offset ?? 0;
    let q: { personKeys: string[]; counties: string[]; need: '' | 'contact' | '1311' } | null = null;
    if (a.subject_kind === 'person') q = { personKeys: [a.subject], counties: [], need: '' };
    else if (a.subject_kind === 'help_request') {
      const pk = await this.repo.helpPersonKey(a.subject);
      q = pk ? { personKeys: [pk], counties: [], need: '' } : null;
    } else if (a.rule === 'below_target' || a.rule === 'forecast_miss') {
      const [, code, metric] = a.subject.split(':');
      const need = metric === 'contactRate' ? 'contact' : metric === 'rate1311' ? '1311' : null;
      if (need && code) q = { personKeys: [], counties: countiesUnder(code).filter((c) => scope.all || scope.counties.has(c)), need };
    }
    if (!q) return { total: 0, rows: [] };
    const rows = await this.repo.people({ now, ...q, limit, offset }, this.metrics.config());
    await this.auth.audit(p, ip, 'alert.people', id, `rows=${rows.length}`);
    return {
      total: Number(rows[0]?.total ?? 0),
      rows: rows.map((r) => ({
        name: r.name_masked, idNumber: r.id_masked, countyCode: r.county_code, countyName: r.county_code ? regionName(r.county_code) : '未下发',
        receivedDate: r.received_date, assignedDate: r.assigned_date, category: r.category, hardship: r.hardship, employmentStatus: r.employment_status,
        firstContactAt: r.first_contact_at, lastServiceAt: r.last_service_at, oneOnOne: Boolean(Number(r.one_on_one)), complete1311: Boolean(Number(r.complete_1311)),
      })),
    };
  }

  /** `auditAs`: one audit entry for a group action instead of the per-call `alert.ack` (written even when nothing was left to acknowledge). */
  async acknowledge(
    ids: string[], note: string, p: Principal, scope: Scope, ip: string, auditAs?: { action: string; target: string; detail: string },
  ): Promise<{ acknowledged: string[]; skipped: Array<{ id: string; reason: string }> }> {
    return this.exclusive(async () => {
      const rows = await this.repo.getMany([...new Set(ids)]);
      const byId = new Map(rows.map((r) => [r.alert_id, r]));
      const done: Transition[] = [];
      const skipped: Array<{ id: string; reason: string }> = [];
      for (const id of new Set(ids)) {
        const a = byId.get(id);
        if (!a || !alertVisible(a, scope)) skipped.push({ id, reason: '不存在或无权查看 / not found' });
        else if (a.state === 'resolved') skipped.push({ id, reason: '已解除 / already resolved' });
        else done.push(acknowledge(a, p.username, note, Date.now()));
      }
      if (ids.length === 1 && skipped.length === 1) {
        if (skipped[0]!.reason.startsWith('已解除')) throw new ConflictException(`预警 ${ids[0]} ${skipped[0]!.reason}`);
        throw new NotFoundException(`预警 ${ids[0]} 不存在 / no such alert`);
      }
      await this.repo.saveAlerts(done.map((t) => t.row));
      await this.repo.saveEvents(done.flatMap((t) => t.events));
      if (auditAs) {
        await this.auth.audit(p, ip, auditAs.action, auditAs.target, `${auditAs.detail} acknowledged=${done.length} note=${note.slice(0, 100)}`);
      } else if (done.length) {
        await this.auth.audit(p, ip, 'alert.ack', done.length === 1 ? done[0]!.row.alert_id : `${done.length} alerts`, `ids=${done.map((t) => t.row.alert_id).join(',').slice(0, 900)} note=${note.slice(0, 100)}`);
      }
      return { acknowledged: done.map((t) => t.row.alert_id), skipped };
    });
  }

  async resolve(id: string, reason: string, p: Principal, scope: Scope, ip: string): Promise<AlertView> {
    return this.exclusive(async () => {
      const a = await this.visibleAlert(id, scope);
      if (a.state === 'resolved') throw new ConflictException(`预警 ${id} 已解除 / already resolved`);
      const t = resolveByHand(a, p.username, reason, Date.now());
      await this.repo.saveAlerts([t.row]);
      await this.repo.saveEvents(t.events);
      await this.auth.audit(p, ip, 'alert.resolve', id, `reason=${reason.slice(0, 200)}`);
      return toView(t.row, await this.lastEvalNow());
    });
  }
}
