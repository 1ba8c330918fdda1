// SQL of the alerts: rule conditions computed inside ClickHouse, the
// evaluation's diff against stored state, alert versions and history,
// scoped and paginated lists, the people behind an alert, channels, the
// outbox and the delivery log.
import { Inject, Injectable } from '@nestjs/common';
import { PLAN_ACTIVE } from '../care/care.schema';
import { inlineParams } from '../clickhouse/inline-params';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { loadQuery } from '../clickhouse/queries';
import type { CampaignConfig } from '../metrics/campaign.config';
import type { AlertEventRow, AlertRow } from './alerts.lifecycle';
import { RULE_KEYS, RULE_LABELS, windowsFor, type AlertsConfig, type Condition, type RuleKey } from './alerts.rules';

/** Typed scope parameters: which alerts a caller (or a recipient) may see. */
export interface AlertScopeParams {
  scopeAll: number;
  scopeCounties: string[];
  /** Units (and the province) whose own alerts are visible: alerts with no county are matched on their owner. */
  scopeRegions: string[];
}

export interface AlertFilter {
  rules: string[];
  states: string[];
  severities: string[];
  levels: string[];
  /** Region filter (same shape as the scope). */
  region: AlertScopeParams;
  /** Age in hours of unresolved alerts at `asOf` (−1 = no bound). */
  ageMinHours: number;
  ageMaxHours: number;
  asOf: string;
}

export interface DiffRow extends AlertRow {
  c_present: number;
  a_present: number;
  c_rule: string;
  c_subject: string;
  c_subject_kind: string;
  c_county_code: string;
  c_unit_code: string;
  c_owner_code: string;
  c_owner_level: string;
  c_severity: string;
  c_title: string;
  c_name_masked: string;
  c_detail: string;
  c_breached_at: string;
}

export interface ConditionRow {
  rule: string;
  subject: string;
  subject_kind: string;
  county_code: string;
  unit_code: string;
  owner_code: string;
  owner_level: string;
  severity: string;
  title: string;
  name_masked: string;
  detail: string;
  breached_at: string;
}

export interface SourceState {
  source: string;
  last_new: string;
  new_runs: number;
  last_status: string;
  last_error: string;
  last_started: string;
}

export interface PersonRow {
  person_key: string;
  county_code: string;
  name_masked: string;
  id_masked: string;
  received_date: string;
  assigned_date: string;
  category: string;
  hardship: string[];
  employment_status: string;
  first_contact_at: string;
  last_service_at: string;
  one_on_one: number;
  complete_1311: number;
  total: number;
}

export interface ChannelRow {
  channel_id: string;
  region_code: string;
  kind: string;
  target: string;
  secret: string;
  enabled: boolean;
  deleted: boolean;
  updated_by: string;
  version: number;
}

export interface OutboxRow {
  notice_id: string;
  channel_id: string;
  region_code: string;
  kind: string;
  rule: string;
  notice: string;
  status: string;
  attempts: number;
  created_at: string;
  send_after: string;
  version: number;
}

export interface DeliveryRow {
  ts: string;
  notice_id: string;
  channel_id: string;
  channel_kind: string;
  target: string;
  region_code: string;
  kind: string;
  rule: string;
  attempt: number;
  status: string;
  http_status: number;
  error: string;
  payload: string;
}

export interface OpenCountRow {
  rule: string;
  county_code: string;
  unit_code: string;
  owner_code: string;
  severity: string;
  level: string;
  n: number;
  new_24h: number;
}

export const ALERT_COLUMNS = `alert_id, rule, subject, subject_kind, county_code, unit_code, owner_code, owner_level, level, severity, state, title, name_masked,
  detail, toString(breached_at) AS breached_at, toString(opened_at) AS opened_at, toString(first_opened_at) AS first_opened_at,
  toString(due_at) AS due_at, toString(escalated_at) AS escalated_at, ack_by, ack_note, toString(ack_at) AS ack_at,
  toString(resolved_at) AS resolved_at, resolved_by, resolve_reason, suppressed, reopen_count, notified, version`;

const SCOPE_SQL = `({scopeAll:UInt8} = 1
  OR (county_code != '' AND has({scopeCounties:Array(String)}, county_code))
  OR (county_code = '' AND has({scopeRegions:Array(String)}, owner_code)))`;

const REGION_SQL = `({regionAll:UInt8} = 1
  OR (county_code != '' AND has({regionCounties:Array(String)}, county_code))
  OR (county_code = '' AND has({regionRegions:Array(String)}, owner_code)))`;

const SEVERITY_RANK = `multiIf(severity = 'critical', 4, severity = 'high', 3, severity = 'medium', 2, 1)`;

function campaignParams(cfg: CampaignConfig): Record<string, unknown> {
  return {
    contactType: cfg.contactType,
    contactOk: cfg.contactOk,
    o2oType: cfg.oneOnOneType,
    intentCategory: cfg.intentCategory,
    employed: cfg.employedStatuses,
    r1311Types: cfg.rule1311.map((r) => r.type),
    r1311Counts: cfg.rule1311.map((r) => r.min),
  };
}

function filterParams(f: AlertFilter): Record<string, unknown> {
  return {
    fRules: f.rules, fStates: f.states, fSeverities: f.severities, fLevels: f.levels,
    regionAll: f.region.scopeAll, regionCounties: f.region.scopeCounties, regionRegions: f.region.scopeRegions,
    ageMin: f.ageMinHours, ageMax: f.ageMaxHours, asOf: f.asOf,
  };
}

const FILTER_SQL = `(length({fRules:Array(String)}) = 0 OR has({fRules:Array(String)}, rule))
  AND (length({fStates:Array(String)}) = 0 OR has({fStates:Array(String)}, state))
  AND (length({fSeverities:Array(String)}) = 0 OR has({fSeverities:Array(String)}, severity))
  AND (length({fLevels:Array(String)}) = 0 OR has({fLevels:Array(String)}, level))
  AND ${REGION_SQL}
  AND ({ageMin:Int32} < 0 OR (state != 'resolved' AND dateDiff('hour', alerts.opened_at, {asOf:DateTime('Asia/Shanghai')}) >= {ageMin:Int32}))
  AND ({ageMax:Int32} < 0 OR (state != 'resolved' AND dateDiff('hour', alerts.opened_at, {asOf:DateTime('Asia/Shanghai')}) < {ageMax:Int32}))`;

@Injectable()
export class AlertsRepository {
  constructor(@Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle) {}

  private async rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    const rs = await this.ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
    return rs.json<T>();
  }

  /**
   * One rule query's conditions into alert_conditions. These are the evaluation's long queries (up to half a
   * minute each at national size): on the embedded engine they run on the background connection with their
   * parameters written in (inlineParams), so loads, refreshes and requests go on beside them instead of
   * queueing behind them (clickhouse.provider.ts, `background`).
   */
  private async insertSelect(name: string, params: Record<string, unknown>): Promise<void> {
    const query = `INSERT INTO alert_conditions (eval_id, rule, subject, subject_kind, county_code, unit_code, owner_code, owner_level, severity, title,
                name_masked, detail, breached_at) ${loadQuery(name)}`;
    if (this.ch.engine === 'embedded') {
      await (await this.ch.background()).command({ query: inlineParams(query, params) });
      return;
    }
    await this.ch.client.command({ query, query_params: params });
  }

  // ------------------------------------------------------------ conditions

  /** The person-level rules, for every received person, in one pass. */
  async insertPersonConditions(evalId: number, now: string, campaign: CampaignConfig, cfg: AlertsConfig): Promise<void> {
    const persons: RuleKey[] = ['not_contacted', 'not_distributed', 'hardship_no_one_on_one', 'hardship_no_followup', 'incomplete_1311'];
    const enabled = persons.filter((r) => cfg.rules[r].enabled);
    if (!enabled.length) return;
    const r = cfg.rules;
    await this.insertSelect('alerts_persons', {
      evalId, now, enabled,
      ruleKeys: [...RULE_KEYS], ruleSeverity: RULE_KEYS.map((k) => r[k].severity), ruleTitle: RULE_KEYS.map((k) => RULE_LABELS[k]),
      ncDays: r.not_contacted.params.days, ndDays: r.not_distributed.params.days, ndOn: `${campaign.year}-${r.not_distributed.params.undistributedOn}`,
      o2oDays: r.hardship_no_one_on_one.params.days, fuDays: r.hardship_no_followup.params.days, k1311Days: r.incomplete_1311.params.days,
      ...campaignParams(campaign),
    });
  }

  /** The help-plan person rules (hardship_visit_overdue, hardship_no_plan), in one pass. */
  async insertCarePersonConditions(evalId: number, now: string, campaign: CampaignConfig, cfg: AlertsConfig): Promise<void> {
    const rules: RuleKey[] = ['hardship_visit_overdue', 'hardship_no_plan'];
    const enabled = rules.filter((r) => cfg.rules[r].enabled);
    if (!enabled.length) return;
    const r = cfg.rules;
    await this.insertSelect('alerts_care_persons', {
      evalId, now, enabled,
      ruleKeys: [...RULE_KEYS], ruleSeverity: RULE_KEYS.map((k) => r[k].severity), ruleTitle: RULE_KEYS.map((k) => RULE_LABELS[k]),
      employed: campaign.employedStatuses, defaultVisitDays: campaign.care.defaultVisitDays, visitType: campaign.care.visitType,
      planActive: PLAN_ACTIVE, npDays: r.hardship_no_plan.params.days,
      // Without a plan the old fixed window applies here only when hardship_no_followup (which covers those persons) is off.
      fallback: r.hardship_no_followup.enabled ? 0 : 1, fuDays: r.hardship_visit_overdue.params.days,
    });
  }

  async insertHelpConditions(evalId: number, now: string, cfg: AlertsConfig): Promise<void> {
    const s = cfg.rules.help_request_overdue;
    if (!s.enabled) return;
    await this.insertSelect('alerts_help', {
      evalId, now, severity: s.severity, title: `求助超过${s.params.hours}小时未联系`, slaMinutes: Math.round(s.params.hours * 60),
    });
  }

  async insertStaleCountyConditions(evalId: number, now: string, cfg: AlertsConfig): Promise<void> {
    const s = cfg.rules.stale_data;
    if (!s.enabled || !s.params.counties) return;
    await this.insertSelect('alerts_stale', { evalId, now, severity: s.severity, days: s.params.days });
  }

  /** Kinds 5–8: a county without a training centre after the deadline, posts unpublished, policies pending too long. */
  async insertMeasureConditions(evalId: number, now: string, campaign: CampaignConfig, cfg: AlertsConfig): Promise<void> {
    const r = cfg.rules;
    if (r.no_training_centre.enabled) {
      await this.insertSelect('alerts_no_centre', { evalId, now, severity: r.no_training_centre.severity, deadline: `${campaign.year}-${r.no_training_centre.params.deadline}` });
    }
    if (r.post_unpublished.enabled) await this.insertSelect('alerts_posts', { evalId, now, severity: r.post_unpublished.severity, days: r.post_unpublished.params.days });
    if (r.policy_pending.enabled) await this.insertSelect('alerts_policies', { evalId, now, severity: r.policy_pending.severity, days: r.policy_pending.params.days });
  }

  async insertConditions(evalId: number, conditions: Condition[]): Promise<void> {
    if (!conditions.length) return;
    await this.ch.client.insert({
      table: 'alert_conditions',
      values: conditions.map((c) => ({
        eval_id: evalId, rule: c.rule, subject: c.subject, subject_kind: c.subjectKind, county_code: c.countyCode, unit_code: c.unitCode,
        owner_code: c.ownerCode, owner_level: c.ownerLevel, severity: c.severity, title: c.title, name_masked: c.nameMasked, detail: c.detail,
        breached_at: c.breachedAt,
      })),
      format: 'JSONEachRow',
    });
  }

  listConditions(evalId: number): Promise<ConditionRow[]> {
    return this.rows<ConditionRow>(
      `SELECT rule, subject, subject_kind, county_code, unit_code, owner_code, owner_level, severity, title, name_masked, detail,
         toString(breached_at) AS breached_at
       FROM alert_conditions WHERE eval_id = {evalId:UInt64} ORDER BY rule, county_code, subject`,
      { evalId },
    );
  }

  async dropConditions(evalId: number): Promise<void> {
    await this.ch.client.command({ query: 'ALTER TABLE alert_conditions DROP PARTITION {evalId:UInt64}', query_params: { evalId } });
  }

  sources(now: string, sources: string[]): Promise<SourceState[]> {
    return this.rows<SourceState>(loadQuery('alerts_sources'), { now, sources });
  }

  /** Unit codes of events by unit (events on a county count for its unit). */
  async eventsByUnit(units: string[], from: string, to: string): Promise<Array<{ unit_code: string; event_date: string; event_type: string }>> {
    return this.rows(
      `SELECT unit_code, toString(e_date) AS event_date, event_type FROM (
         SELECT event_id, argMax(unit_code, version) AS unit_code, argMax(event_date, version) AS e_date, argMax(event_type, version) AS event_type
         FROM event_raw GROUP BY event_id)
       WHERE has({units:Array(String)}, unit_code) AND e_date BETWEEN {from:Date} AND {to:Date}
       ORDER BY unit_code, e_date`,
      { units, from, to },
    );
  }

  // ------------------------------------------------------------ evaluation

  diff(evalId: number, now: string, cfg: AlertsConfig): Promise<DiffRow[]> {
    const w = RULE_KEYS.map((k) => windowsFor(cfg, k));
    return this.rows<DiffRow>(loadQuery('alerts_diff'), {
      evalId, now, ackEscalates: cfg.escalation.acknowledgedEscalates ? 1 : 0, escRules: [...RULE_KEYS],
      escCounty: w.map((x) => Math.round(x.countyHours * 60)), escUnit: w.map((x) => Math.round(x.unitHours * 60)),
    });
  }

  async saveAlerts(rows: AlertRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 20_000) {
      await this.ch.client.insert({ table: 'alerts', values: rows.slice(i, i + 20_000), format: 'JSONEachRow' });
    }
  }

  async saveEvents(rows: AlertEventRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 20_000) {
      await this.ch.client.insert({ table: 'alert_events', values: rows.slice(i, i + 20_000), format: 'JSONEachRow' });
    }
  }

  async saveEval(row: { eval_id: number; now: string; persisted: number; started_at: string; finished_at: string; opened: number; reopened: number; resolved: number; escalated: number; open_total: number }): Promise<void> {
    await this.ch.client.insert({ table: 'alert_evals', values: [row], format: 'JSONEachRow' });
  }

  /** The "now" of the latest evaluation that wrote state, or null. */
  async lastEvalNow(): Promise<string | null> {
    const [r] = await this.rows<{ n: string; c: number }>(
      'SELECT toString(max(now)) AS n, count() AS c FROM alert_evals WHERE persisted = 1',
    );
    return r && Number(r.c) > 0 ? r.n : null;
  }

  // ------------------------------------------------------------ reading alerts

  async list(f: AlertFilter, scope: AlertScopeParams, limit: number, offset: number): Promise<{ total: number; rows: AlertRow[] }> {
    const params = { ...filterParams(f), ...scope, limit, offset };
    const where = `${SCOPE_SQL} AND ${FILTER_SQL}`;
    const [t] = await this.rows<{ n: number }>(`SELECT count() AS n FROM alerts FINAL WHERE ${where}`, params);
    const rows = await this.rows<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM alerts FINAL WHERE ${where}
       ORDER BY state = 'resolved', ${SEVERITY_RANK} DESC, opened_at DESC, alert_id LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
      params,
    );
    return { total: Number(t?.n ?? 0), rows };
  }

  /** Unresolved alerts (every one, for the CLI's open list), in a stable order. */
  unresolved(): Promise<AlertRow[]> {
    return this.rows<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts FINAL WHERE state != 'resolved' ORDER BY rule, county_code, owner_code, subject`);
  }

  /** How many alerts of each rule are unresolved (what unresolved() would list, counted in the engine). */
  unresolvedByRule(): Promise<Array<{ rule: string; n: number }>> {
    return this.rows(`SELECT rule, count() AS n FROM alerts FINAL WHERE state != 'resolved' GROUP BY rule`);
  }

  /** Unresolved counts by severity, rule and level inside a scope and region. */
  counts(f: AlertFilter, scope: AlertScopeParams): Promise<Array<{ severity: string; rule: string; level: string; n: number }>> {
    return this.rows(
      `SELECT severity, rule, level, count() AS n FROM alerts FINAL WHERE ${SCOPE_SQL} AND ${FILTER_SQL} GROUP BY severity, rule, level`,
      { ...filterParams(f), ...scope },
    );
  }

  /** Unresolved counts per rule and place (notices and digests aggregate them per recipient). */
  openCounts(since: string): Promise<OpenCountRow[]> {
    return this.rows<OpenCountRow>(
      `SELECT rule, county_code, unit_code, owner_code, severity, level, count() AS n, countIf(opened_at >= {since:DateTime('Asia/Shanghai')}) AS new_24h
       FROM alerts FINAL WHERE state != 'resolved' GROUP BY rule, county_code, unit_code, owner_code, severity, level`,
      { since },
    );
  }

  async get(id: string): Promise<AlertRow | null> {
    const [r] = await this.rows<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts FINAL WHERE alert_id = {id:String} LIMIT 1`, { id });
    return r ?? null;
  }

  getMany(ids: string[]): Promise<AlertRow[]> {
    return this.rows<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts FINAL WHERE has({ids:Array(String)}, alert_id)`, { ids });
  }

  history(id: string): Promise<AlertEventRow[]> {
    return this.rows<AlertEventRow>(
      `SELECT toString(ts) AS ts, toString(recorded_at) AS recorded_at, alert_id, rule, event, actor, level, state, note
       FROM alert_events WHERE alert_id = {id:String} ORDER BY recorded_at, ts`,
      { id },
    );
  }

  async helpPersonKey(requestId: string): Promise<string | null> {
    const [r] = await this.rows<{ pk: string }>(
      'SELECT toString(argMax(person_key, version)) AS pk FROM help_raw WHERE request_id = {id:String} GROUP BY request_id',
      { id: requestId },
    );
    return r?.pk ?? null;
  }

  people(
    q: { now: string; personKeys: string[]; counties: string[]; need: '' | 'contact' | '1311'; limit: number; offset: number },
    campaign: CampaignConfig,
  ): Promise<PersonRow[]> {
    return this.rows<PersonRow>(loadQuery('alerts_people'), { ...q, ...campaignParams(campaign) });
  }

  // ------------------------------------------------------------ channels, outbox, deliveries

  // Channels are the install's (the main database), shared by every campaign year.
  async listChannels(): Promise<ChannelRow[]> {
    const rs = await this.ch.install.query({
      query: `SELECT channel_id, region_code, kind, target, secret, enabled, deleted, updated_by, version FROM alert_channels FINAL
       WHERE NOT deleted ORDER BY region_code, kind, channel_id`,
      format: 'JSONEachRow',
    });
    return rs.json<ChannelRow>();
  }

  async saveChannel(row: ChannelRow): Promise<void> {
    await this.ch.install.insert({ table: 'alert_channels', values: [row], format: 'JSONEachRow' });
  }

  async saveOutbox(rows: OutboxRow[]): Promise<void> {
    if (rows.length) await this.ch.client.insert({ table: 'alert_outbox', values: rows, format: 'JSONEachRow' });
  }

  /** Pending notices due by `now` (ISO), oldest first. */
  dueOutbox(now: string, limit: number, includeHeld: boolean): Promise<OutboxRow[]> {
    return this.rows<OutboxRow>(
      `SELECT notice_id, channel_id, region_code, kind, rule, notice, status, attempts, toString(created_at) AS created_at,
         toString(send_after) AS send_after, version
       FROM alert_outbox FINAL
       WHERE status = 'pending' AND alert_outbox.send_after <= parseDateTime64BestEffort({now:String}, 3, 'UTC') AND ({held:UInt8} = 1 OR kind = 'digest')
       ORDER BY created_at, notice_id, channel_id LIMIT {limit:UInt32}`,
      { now, limit, held: includeHeld ? 1 : 0 },
    );
  }

  async pendingCount(): Promise<number> {
    const [r] = await this.rows<{ n: number }>(`SELECT count() AS n FROM alert_outbox FINAL WHERE status = 'pending'`);
    return Number(r?.n ?? 0);
  }

  async saveDelivery(row: DeliveryRow): Promise<void> {
    await this.ch.client.insert({ table: 'alert_deliveries', values: [row], format: 'JSONEachRow' });
  }

  async deliveries(f: { status?: string; region?: string; kind?: string; limit: number; offset: number }): Promise<{ total: number; rows: DeliveryRow[] }> {
    const where = `({status:String} = '' OR status = {status:String}) AND ({region:String} = '' OR region_code = {region:String})
      AND ({kind:String} = '' OR kind = {kind:String})`;
    const params = { status: f.status ?? '', region: f.region ?? '', kind: f.kind ?? '', limit: f.limit, offset: f.offset };
    const [t] = await this.rows<{ n: number }>(`SELECT count() AS n FROM alert_deliveries WHERE ${where}`, params);
    const rows = await this.rows<DeliveryRow>(
      `SELECT toString(ts) AS ts, notice_id, channel_id, channel_kind, target, region_code, kind, rule, attempt, status, http_status, error, payload
       FROM alert_deliveries WHERE ${where} ORDER BY ts DESC LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
      params,
    );
    return { total: Number(t?.n ?? 0), rows };
  }
}
