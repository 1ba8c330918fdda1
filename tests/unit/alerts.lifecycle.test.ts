// An alert's lifecycle as the evaluation decides it, pure: open, update and
// climb, resolve by itself, re-open, hand resolution that holds while the
// condition lasts.
import { describe, expect, it } from 'vitest';
import { acknowledge, alertId, openNew, resolveByHand, type AlertRow } from '../../backend/src/alerts/alerts.lifecycle';
import type { DiffRow } from '../../backend/src/alerts/alerts.repository';
import { endOfDay, mergeAlertsConfig, type Condition } from '../../backend/src/alerts/alerts.rules';
import { decide } from '../../backend/src/alerts/alerts.service';

const cfg = mergeAlertsConfig(2022, undefined);
const cond: Condition = {
  rule: 'not_contacted', subject: 'p-1', subjectKind: 'person', countyCode: '220102', unitCode: '220100', ownerCode: '220102', ownerLevel: 'county',
  severity: 'medium', title: '下发后超期未联系', nameMasked: '张*丰', detail: '{}', breachedAt: '2022-07-09 00:00:00',
};

function pair(c: Condition | null, a: AlertRow | null): DiffRow {
  const cPart = c
    ? {
      c_present: 1, c_rule: c.rule, c_subject: c.subject, c_subject_kind: c.subjectKind, c_county_code: c.countyCode, c_unit_code: c.unitCode,
      c_owner_code: c.ownerCode, c_owner_level: c.ownerLevel, c_severity: c.severity, c_title: c.title, c_name_masked: c.nameMasked, c_detail: c.detail,
      c_breached_at: c.breachedAt,
    }
    : { c_present: 0, c_rule: '', c_subject: '', c_subject_kind: '', c_county_code: '', c_unit_code: '', c_owner_code: '', c_owner_level: '', c_severity: '', c_title: '', c_name_masked: '', c_detail: '', c_breached_at: '' };
  return { ...(a ?? ({} as AlertRow)), a_present: a ? 1 : 0, ...cPart } as DiffRow;
}

const day = (d: string) => endOfDay(d);

describe('alert lifecycle', () => {
  it('a new condition opens an alert at its owner, due when the county window runs out, the owner told', () => {
    const t = decide(pair(cond, null), day('2022-07-10'), cfg)!;
    expect(t.kind).toBe('opened');
    expect(t.row).toMatchObject({
      alert_id: alertId('not_contacted', 'p-1'), state: 'open', level: 'county', opened_at: '2022-07-10 23:59:59', due_at: '2022-07-13 23:59:59',
      name_masked: '张*丰', notified: ['county'],
    });
    expect(t.notify).toEqual(['county']);
    expect(t.events.map((e) => e.event)).toEqual(['opened']);
  });

  it('nothing changes while the condition holds and no window has passed', () => {
    const open = decide(pair(cond, null), day('2022-07-10'), cfg)!.row;
    expect(decide(pair(cond, open), day('2022-07-12'), cfg)).toBeNull();
  });

  it('climbs to the unit on day 3 and the province on day 6, telling each level once', () => {
    const open = decide(pair(cond, null), day('2022-07-10'), cfg)!.row;
    const unit = decide(pair(cond, open), day('2022-07-13'), cfg)!;
    expect(unit.kind).toBe('escalated');
    expect(unit.row).toMatchObject({ level: 'unit', due_at: '2022-07-16 23:59:59', notified: ['county', 'unit'] });
    expect(unit.notify).toEqual(['unit']);
    expect(decide(pair(cond, unit.row), day('2022-07-15'), cfg)).toBeNull();
    const prov = decide(pair(cond, unit.row), day('2022-07-16'), cfg)!;
    expect(prov.row).toMatchObject({ level: 'province', due_at: null, notified: ['county', 'unit', 'province'] });
    expect(prov.notify).toEqual(['province']);
    expect(decide(pair(cond, prov.row), day('2022-07-30'), cfg)).toBeNull();
  });

  it('a long gap climbs both levels at once and tells both', () => {
    const open = decide(pair(cond, null), day('2022-07-10'), cfg)!.row;
    const t = decide(pair(cond, open), day('2022-07-20'), cfg)!;
    expect(t.row.level).toBe('province');
    expect(t.notify).toEqual(['unit', 'province']);
  });

  it('acknowledged alerts keep climbing unless configured otherwise', () => {
    const open = decide(pair(cond, null), day('2022-07-10'), cfg)!.row;
    const acked = acknowledge(open, 'county-user', '已安排走访', day('2022-07-11')).row;
    expect(acked).toMatchObject({ state: 'acknowledged', ack_by: 'county-user', ack_note: '已安排走访' });
    expect(decide(pair(cond, acked), day('2022-07-13'), cfg)!.row.level).toBe('unit');
    const calm = mergeAlertsConfig(2022, { escalation: { acknowledgedEscalates: false } });
    expect(decide(pair(cond, acked), day('2022-07-13'), calm)).toBeNull();
  });

  it('resolves by itself when the condition clears, and re-opens from the owner level when it comes back', () => {
    const open = decide(pair(cond, null), day('2022-07-10'), cfg)!.row;
    const up = decide(pair(cond, open), day('2022-07-13'), cfg)!.row;
    const gone = decide(pair(null, up), day('2022-07-14'), cfg)!;
    expect(gone.kind).toBe('resolved');
    expect(gone.row).toMatchObject({ state: 'resolved', resolved_by: 'system', resolved_at: '2022-07-14 23:59:59', suppressed: 0 });
    expect(decide(pair(null, gone.row), day('2022-07-15'), cfg)).toBeNull();
    const back = decide(pair(cond, gone.row), day('2022-07-20'), cfg)!;
    expect(back.kind).toBe('reopened');
    expect(back.row).toMatchObject({ state: 'open', level: 'county', opened_at: '2022-07-20 23:59:59', reopen_count: 1, notified: ['county'], resolved_at: null });
    expect(back.row.first_opened_at).toBe('2022-07-10 23:59:59');
    expect(back.notify).toEqual(['county']);
  });

  it('a hand resolution holds while the condition lasts; once it clears, a return re-opens', () => {
    const open = decide(pair(cond, null), day('2022-07-10'), cfg)!.row;
    const byHand = resolveByHand(open, 'unit-user', '该生已入伍', day('2022-07-11')).row;
    expect(byHand).toMatchObject({ state: 'resolved', resolved_by: 'unit-user', resolve_reason: '该生已入伍', suppressed: 1 });
    expect(decide(pair(cond, byHand), day('2022-07-12'), cfg)).toBeNull();
    const released = decide(pair(null, byHand), day('2022-07-13'), cfg)!;
    expect(released.row).toMatchObject({ state: 'resolved', suppressed: 0 });
    expect(decide(pair(cond, released.row), day('2022-07-14'), cfg)!.kind).toBe('reopened');
  });

  it('a person handed to another county is news for the new county', () => {
    const open = decide(pair(cond, null), day('2022-07-10'), cfg)!.row;
    const moved = decide(pair({ ...cond, countyCode: '220103', ownerCode: '220103' }, open), day('2022-07-11'), cfg)!;
    expect(moved.row.county_code).toBe('220103');
    expect(moved.notify).toEqual(['county']);
    expect(moved.events.map((e) => e.event)).toEqual(['reassigned']);
  });

  it('versions only grow', () => {
    const a = openNew(cond, day('2022-07-10'), cfg).row.version;
    const b = openNew(cond, day('2022-07-10'), cfg).row.version;
    expect(b).toBeGreaterThan(a);
  });
});
