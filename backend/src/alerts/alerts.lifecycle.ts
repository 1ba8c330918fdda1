// An alert's lifecycle, pure: open → acknowledged → resolved (by itself when
// its condition clears, or by hand), re-opened when the condition comes back,
// climbing county → unit → province while it stays unresolved.
import * as crypto from 'node:crypto';
import type { AlertHistoryItem } from './alerts.types';
import {
  escalationLevel, higherLevel, levelsCrossed, nextEscalationAt, parseShanghai, shanghai, windowsFor,
  type AlertsConfig, type AlertState, type Condition, type Level, type RuleKey,
} from './alerts.rules';

/** One stored version of an alert (times 'YYYY-MM-DD HH:mm:ss', Asia/Shanghai). */
export interface AlertRow {
  alert_id: string;
  rule: string;
  subject: string;
  subject_kind: string;
  county_code: string;
  unit_code: string;
  owner_code: string;
  owner_level: string;
  level: string;
  severity: string;
  state: string;
  title: string;
  name_masked: string;
  detail: string;
  breached_at: string;
  opened_at: string;
  first_opened_at: string;
  due_at: string | null;
  escalated_at: string | null;
  ack_by: string;
  ack_note: string;
  ack_at: string | null;
  resolved_at: string | null;
  resolved_by: string;
  resolve_reason: string;
  suppressed: number;
  reopen_count: number;
  notified: string[];
  version: number;
}

/** One stored history entry: what GET /api/alerts/:id answers (alerts.types.ts), plus the alert and rule it belongs to. */
export interface AlertEventRow extends AlertHistoryItem {
  alert_id: string;
  rule: string;
}

/** A change the evaluation decided on, with the levels to tell. */
export interface Transition {
  row: AlertRow;
  events: AlertEventRow[];
  /** Levels that must now be told about this alert (each level once per opening). */
  notify: Level[];
  kind: 'opened' | 'reopened' | 'resolved' | 'escalated' | 'updated' | 'released';
}

export function alertId(rule: string, subject: string): string {
  return crypto.createHash('sha1').update(`${rule}|${subject}`).digest('hex').slice(0, 16);
}

let lastVersion = 0;
/** Strictly increasing within the process, and above any earlier process's (wall-clock microseconds). */
export function nextVersion(): number {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
  return lastVersion;
}

export const AUTO_RESOLVE_REASON = '条件已消除：台账显示已处理';

function event(row: AlertRow, ts: string, e: AlertEventRow['event'], actor: string, note: string): AlertEventRow {
  return { ts, recorded_at: new Date().toISOString(), alert_id: row.alert_id, rule: row.rule, event: e, actor, level: row.level, state: row.state, note };
}

function withCondition(row: AlertRow, c: Condition): AlertRow {
  return {
    ...row, subject_kind: c.subjectKind, county_code: c.countyCode, unit_code: c.unitCode, owner_code: c.ownerCode, owner_level: c.ownerLevel,
    severity: c.severity, title: c.title, name_masked: c.nameMasked, detail: c.detail, breached_at: c.breachedAt,
  };
}

function due(row: AlertRow, cfg: AlertsConfig): string | null {
  const at = nextEscalationAt(row.owner_level as Level, row.level as Level, parseShanghai(row.opened_at), windowsFor(cfg, row.rule as RuleKey));
  return at === null ? null : shanghai(at);
}

/** A condition with no alert yet: a new open alert at its owner's level. */
export function openNew(c: Condition, now: number, cfg: AlertsConfig): Transition {
  const ts = shanghai(now);
  let row: AlertRow = withCondition({
    alert_id: alertId(c.rule, c.subject), rule: c.rule, subject: c.subject, subject_kind: c.subjectKind, county_code: '', unit_code: '', owner_code: '',
    owner_level: c.ownerLevel, level: c.ownerLevel, severity: c.severity, state: 'open', title: '', name_masked: '', detail: '', breached_at: c.breachedAt,
    opened_at: ts, first_opened_at: ts, due_at: null, escalated_at: null, ack_by: '', ack_note: '', ack_at: null, resolved_at: null, resolved_by: '',
    resolve_reason: '', suppressed: 0, reopen_count: 0, notified: [c.ownerLevel], version: nextVersion(),
  }, c);
  row = { ...row, due_at: due(row, cfg) };
  return { row, events: [event(row, ts, 'opened', 'system', c.title)], notify: [c.ownerLevel], kind: 'opened' };
}

/** A resolved alert whose condition is back: open again, from the owner's level, told again. */
export function reopen(prev: AlertRow, c: Condition, now: number, cfg: AlertsConfig): Transition {
  const ts = shanghai(now);
  let row: AlertRow = withCondition({
    ...prev, state: 'open', level: c.ownerLevel, opened_at: ts, escalated_at: null, ack_by: '', ack_note: '', ack_at: null, resolved_at: null,
    resolved_by: '', resolve_reason: '', suppressed: 0, reopen_count: prev.reopen_count + 1, notified: [c.ownerLevel], version: nextVersion(),
  }, c);
  row = { ...row, due_at: due(row, cfg) };
  return { row, events: [event(row, ts, 'reopened', 'system', c.title)], notify: [c.ownerLevel], kind: 'reopened' };
}

/** An unresolved alert whose condition has cleared. */
export function autoResolve(prev: AlertRow, now: number): Transition {
  const ts = shanghai(now);
  const row: AlertRow = { ...prev, state: 'resolved', resolved_at: ts, resolved_by: 'system', resolve_reason: AUTO_RESOLVE_REASON, due_at: null, suppressed: 0, version: nextVersion() };
  return { row, events: [event(row, ts, 'auto_resolved', 'system', AUTO_RESOLVE_REASON)], notify: [], kind: 'resolved' };
}

/** A hand resolution holds while its condition lasts; once the condition clears, a return re-opens it. */
export function release(prev: AlertRow, now: number): Transition {
  const row: AlertRow = { ...prev, suppressed: 0, version: nextVersion() };
  return { row, events: [event(row, shanghai(now), 'released', 'system', '条件已消除，再次出现时将重新预警')], notify: [], kind: 'released' };
}

/** An unresolved alert whose condition still holds: new content, and the level it has climbed to. */
export function update(prev: AlertRow, c: Condition, now: number, cfg: AlertsConfig): Transition | null {
  const ts = shanghai(now);
  let row = withCondition(prev, c);
  const events: AlertEventRow[] = [];
  const escalates = prev.state === 'open' || (prev.state === 'acknowledged' && cfg.escalation.acknowledgedEscalates);
  const reached = escalates
    ? escalationLevel(row.owner_level as Level, parseShanghai(prev.opened_at), now, windowsFor(cfg, prev.rule as RuleKey))
    : (prev.level as Level);
  const level = higherLevel(prev.level as Level, reached);
  const crossed = levelsCrossed(prev.level as Level, level);
  if (prev.county_code !== c.countyCode) events.push(event(row, ts, 'reassigned', 'system', `${prev.county_code || '未下发'} → ${c.countyCode || '未下发'}`));
  const notify = crossed.filter((l) => !prev.notified.includes(l));
  // A subject handed to another county (or unit) is news for the new owner at the current level.
  const moved = (level === 'county' && prev.county_code !== c.countyCode) || (level === 'unit' && prev.unit_code !== c.unitCode);
  if (moved && !crossed.length && !notify.includes(level)) notify.push(level);
  if (crossed.length) {
    row = { ...row, level, escalated_at: ts, notified: [...prev.notified, ...notify] };
    events.push(event(row, ts, 'escalated', 'system', `升级至${level === 'unit' ? '市级' : '省级'}`));
  }
  row = { ...row, due_at: due(row, cfg) };
  const changed =
    crossed.length > 0 || events.length > 0 || notify.length > 0 ||
    (['county_code', 'unit_code', 'owner_code', 'owner_level', 'severity', 'title', 'name_masked', 'detail', 'breached_at', 'due_at'] as const).some((k) => row[k] !== prev[k]);
  if (!changed) return null;
  row = { ...row, version: nextVersion() };
  return { row, events, notify, kind: crossed.length ? 'escalated' : 'updated' };
}

/** By hand: acknowledge (who, note). Only unresolved alerts. */
export function acknowledge(prev: AlertRow, by: string, note: string, now: number): Transition {
  const ts = shanghai(now);
  const row: AlertRow = { ...prev, state: 'acknowledged', ack_by: by, ack_note: note, ack_at: ts, version: nextVersion() };
  return { row, events: [event(row, ts, 'acknowledged', by, note)], notify: [], kind: 'updated' };
}

/** By hand: resolve with a reason; it holds while the condition lasts. */
export function resolveByHand(prev: AlertRow, by: string, reason: string, now: number): Transition {
  const ts = shanghai(now);
  const row: AlertRow = { ...prev, state: 'resolved', resolved_at: ts, resolved_by: by, resolve_reason: reason, due_at: null, suppressed: 1, version: nextVersion() };
  return { row, events: [event(row, ts, 'resolved', by, reason)], notify: [], kind: 'resolved' };
}

export function isUnresolved(state: string): boolean {
  return (state as AlertState) !== 'resolved';
}
