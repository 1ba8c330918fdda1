// The alert centre's groups (region × rule) over a demo campaign evaluated on
// two days: they add up to the alert list and to the evaluation's own open
// list, respect scope, rebuild an earlier day from history, and group actions
// acknowledge every member with one audited action.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertGroup, AlertGroupsResponse } from '../../backend/src/alerts/alerts.groups.types';
import { addDays, endOfDay, parseShanghai } from '../../backend/src/alerts/alerts.rules';
import { AlertsService, type AlertView, type EvaluationResult } from '../../backend/src/alerts/alerts.service';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { countiesUnder } from '../../backend/src/regions/regions.data';
import { loadDemo, startTestServer, type Session, type TestServer } from '../helpers/server';

type Json = Record<string, unknown>;
const LEVEL_NUM: Record<string, number> = { county: 0, unit: 1, province: 2 };
const SEV = ['low', 'medium', 'high', 'critical'];

/** The groups worked out by hand from an evaluation's open list. */
function groupByHand(open: AlertView[], ref: number): Map<string, Omit<AlertGroup, 'regionName' | 'ruleLabel'>> {
  const out = new Map<string, Omit<AlertGroup, 'regionName' | 'ruleLabel'>>();
  for (const a of open) {
    const region = a.countyCode || a.ownerCode;
    const key = `${region}|${a.rule}`;
    const g = out.get(key) ?? { region, rule: a.rule, severity: 'low', count: 0, acknowledged: 0, oldestOpenedAt: '9999', oldestAgeDays: 0, escalationLevel: 0 };
    g.count++;
    if (a.state === 'acknowledged') g.acknowledged++;
    if (SEV.indexOf(a.severity) > SEV.indexOf(g.severity)) g.severity = a.severity;
    if (a.openedAt! < g.oldestOpenedAt) g.oldestOpenedAt = a.openedAt!;
    g.escalationLevel = Math.max(g.escalationLevel, LEVEL_NUM[a.level]!);
    g.oldestAgeDays = Math.floor((ref - parseShanghai(g.oldestOpenedAt)) / 86_400_000);
    out.set(key, g);
  }
  return out;
}

describe('alert groups: region × rule', () => {
  let server: TestServer;
  let county: Session;
  let unit: Session;
  let province: Session;
  let dayA = '';
  let dayB = '';
  let runA: EvaluationResult;
  let runB: EvaluationResult;

  async function json(s: Session | TestServer, path: string, init?: RequestInit): Promise<{ status: number; body: Json }> {
    const res = await s.fetch(path, init?.body ? { ...init, headers: { 'content-type': 'application/json' } } : init);
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  }
  const post = (s: Session | TestServer, path: string, body: unknown) => json(s, path, { method: 'POST', body: JSON.stringify(body) });
  const groups = async (s: Session | TestServer, q = '') => {
    const r = await json(s, `/api/alerts/groups${q}`);
    expect(r.status).toBe(200);
    return r.body as unknown as AlertGroupsResponse;
  };

  beforeAll(async () => {
    server = await startTestServer();
    await loadDemo(server, 700);
    const { to } = await server.app.get(MetricsService).validRange();
    dayB = to;
    dayA = addDays(to, -40);
    runA = await server.app.get(AlertsService).evaluate(endOfDay(dayA));
    runB = await server.app.get(AlertsService).evaluate(endOfDay(dayB));
    county = await server.as('county', '220102');
    unit = await server.as('unit', '220100');
    province = await server.as('province');
  }, 240_000);
  afterAll(async () => {
    await server?.close();
  });

  it('add up to the evaluation\'s own open list and to the alert list, group by group', async () => {
    expect(runB.open.length).toBeGreaterThan(50);
    const g = await groups(province);
    const byHand = groupByHand(runB.open, endOfDay(dayB));
    expect(g.total).toBe(runB.open.length);
    expect(g.total).toBe(g.groups.reduce((s, x) => s + x.count, 0));
    expect(g.groups.length).toBe(byHand.size);
    for (const x of g.groups) expect({ ...x, regionName: undefined, ruleLabel: undefined }).toEqual({ ...byHand.get(`${x.region}|${x.rule}`), regionName: undefined, ruleLabel: undefined });
    expect(g.groups.find((x) => x.region === '220102')?.regionName).toBe('南关区');
    // The alert list (another route) agrees on the total and on each county's group.
    const list = await json(province, '/api/alerts?limit=1');
    expect(list.body.total).toBe(g.total);
    for (const x of g.groups.filter((y) => /^\d{4}(?!00)\d{2}$/.test(y.region)).slice(0, 6)) {
      const l = await json(province, `/api/alerts?rule=${x.rule}&region=${x.region}&limit=1`);
      expect(l.body.total, `${x.region} ${x.rule}`).toBe(x.count);
    }
    // Most urgent first.
    const sevs = g.groups.map((x) => SEV.indexOf(x.severity));
    expect([...sevs].sort((a, b) => b - a)).toEqual(sevs);
  });

  it('respect scope: a county sees its own groups, a unit its counties and its own, nothing outside', async () => {
    const c = await groups(county);
    expect(c.groups.length).toBeGreaterThan(0);
    expect(new Set(c.groups.map((x) => x.region))).toEqual(new Set(['220102']));
    expect(c.total).toBe((await json(county, '/api/alerts?limit=1')).body.total);
    const u = await groups(unit);
    const inUnit = new Set([...countiesUnder('220100'), '220100']);
    expect(u.groups.every((x) => inUnit.has(x.region))).toBe(true);
    expect(u.total).toBe((await json(unit, '/api/alerts?limit=1')).body.total);
    const sub = await groups(unit, '?region=220102');
    expect(sub).toEqual(c);
    expect((await json(county, '/api/alerts/groups?region=220103')).status).toBe(403);
    expect((await json(unit, '/api/alerts/groups?region=220200')).status).toBe(403);
    expect((await json(county, '/api/alerts/groups/members?region=220103&rule=not_contacted')).status).toBe(403);
  });

  it('an earlier day is rebuilt from the alerts\' history as the evaluation of that day saw it', async () => {
    expect(runA.open.length).toBeGreaterThan(0);
    const g = await groups(province, `?asOf=${dayA}`);
    const byHand = groupByHand(runA.open, endOfDay(dayA));
    expect(g.total).toBe(runA.open.length);
    expect(Object.fromEntries(g.groups.map((x) => [`${x.region}|${x.rule}`, [x.count, x.oldestOpenedAt, x.oldestAgeDays, x.escalationLevel]]))).toEqual(
      Object.fromEntries([...byHand].map(([k, x]) => [k, [x.count, x.oldestOpenedAt, x.oldestAgeDays, x.escalationLevel]])),
    );
    // The day of the latest evaluation (or later) is the stored state.
    expect(await groups(province, `?asOf=${dayB}`)).toEqual(await groups(province));
  });

  it('group acknowledge acknowledges every member with one audited action', async () => {
    const c = await groups(county);
    const target = [...c.groups].sort((a, b) => b.count - a.count)[0]!;
    expect(target.count).toBeGreaterThan(1);
    const auditBefore = (await json(server, '/api/admin/audit?action=alert.ack&limit=1')).body.total;
    const r = await post(county, '/api/alerts/groups/ack', { region: target.region, rule: target.rule, note: '已逐一电话联系' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ members: target.count, acknowledged: target.count - target.acknowledged });
    const m = await json(county, `/api/alerts/groups/members?region=${target.region}&rule=${target.rule}&limit=500`);
    const rows = m.body.rows as AlertView[];
    expect(m.body.total).toBe(target.count);
    expect(rows.every((a) => a.state === 'acknowledged' && a.ackBy === county.username && a.ackNote === '已逐一电话联系')).toBe(true);
    expect(rows.every((a) => !a.name || /\*/.test(a.name))).toBe(true);
    const after = (await groups(county)).groups.find((x) => x.region === target.region && x.rule === target.rule)!;
    expect(after.acknowledged).toBe(after.count);
    const audit = (await json(server, '/api/admin/audit?action=alert.group.ack')).body as { total: number; rows: Array<{ target: string; detail: string; username: string }> };
    expect(audit.total).toBe(1);
    expect(audit.rows[0]).toMatchObject({ target: `${target.region}:${target.rule}`, username: county.username });
    expect(audit.rows[0]!.detail).toContain(`acknowledged=${target.count - target.acknowledged}`);
    expect((await json(server, '/api/admin/audit?action=alert.ack&limit=1')).body.total).toBe(auditBefore);
    // Again: nothing left to acknowledge.
    expect((await post(county, '/api/alerts/groups/ack', { region: target.region, rule: target.rule })).body).toMatchObject({ acknowledged: 0, alreadyAcknowledged: target.count });
  });

  it('group dispatch: one order about the group, every open member acknowledged with its number, audited', async () => {
    const u = await groups(unit);
    const target = u.groups.find((x) => x.region !== '220100' && x.region !== '220102' && x.count > x.acknowledged)!;
    expect(target).toBeDefined();
    expect((await post(county, '/api/alerts/groups/dispatch', { region: '220102', rule: target.rule, dueDate: dayB, title: '请尽快处理' })).status).toBe(403);
    const r = await post(unit, '/api/alerts/groups/dispatch', { region: target.region, rule: target.rule, dueDate: dayB, title: '请三日内处理完毕' });
    expect(r.status).toBe(201);
    const order = r.body.order as { id: string; countyCode: string; rule: string };
    expect(order).toMatchObject({ countyCode: target.region, rule: target.rule });
    expect(r.body).toMatchObject({ members: target.count, acknowledged: target.count - target.acknowledged });
    const rows = (await json(unit, `/api/alerts/groups/members?region=${target.region}&rule=${target.rule}&limit=500`)).body.rows as AlertView[];
    expect(rows.every((a) => a.state === 'acknowledged')).toBe(true);
    expect(rows.filter((a) => a.ackNote.includes(order.id)).length).toBe(target.count - target.acknowledged);
    const audit = (await json(server, '/api/admin/audit?action=alert.group.dispatch')).body as { rows: Array<{ target: string; detail: string }> };
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.detail).toContain(`order=${order.id}`);
    expect(JSON.stringify((await json(server, '/api/admin/audit?action=dispatch.create')).body)).toContain(order.id);
    // A unit's own group is not a county: no order.
    expect((await post(unit, '/api/alerts/groups/dispatch', { region: '220100', rule: 'below_target', dueDate: dayB, title: '请尽快处理' })).status).toBe(400);
  });

  it('bad requests answer 4xx with a message', async () => {
    for (const q of ['?asOf=2022-02-30', '?asOf=yesterday', '?region=999999', '?region=22']) {
      const r = await json(province, `/api/alerts/groups${q}`);
      expect(r.status, q).toBe(400);
      expect(String(r.body.message)).not.toBe('');
    }
    expect((await json(province, '/api/alerts/groups/members?region=220102')).status).toBe(400);
    expect((await json(province, '/api/alerts/groups/members?region=220102&rule=nope')).status).toBe(400);
    expect((await post(province, '/api/alerts/groups/ack', { region: '220102', rule: 'stale_data', extra: 1 })).status).toBe(400);
    const empty = await post(province, '/api/alerts/groups/ack', { region: '220182', rule: 'recruitment_missed' });
    expect(empty.status).toBe(404);
  });
});
