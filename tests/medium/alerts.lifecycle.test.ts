// The alert lifecycle driven by as-of evaluations on consecutive days, and the
// alert centre and dispatch-order API on top of it: open → acknowledged →
// resolved (by itself or by hand), re-opened when the condition comes back,
// escalation county → unit → province, filters, scope, masked people, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsService, type AlertView, type EvaluationResult } from '../../backend/src/alerts/alerts.service';
import { endOfDay } from '../../backend/src/alerts/alerts.rules';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { helpCsv, pid } from '../helpers/ledger-fixtures';
import { startTestServer, type Session, type TestServer } from '../helpers/server';
import { personalData, writeFixtures } from './alerts.fixtures';
import { budget } from '../helpers/budget';

type Json = Record<string, unknown>;

describe('alert lifecycle over consecutive days, and the alert centre', () => {
  let server: TestServer;
  let dir: string;
  let county: Session;
  let county103: Session;
  let unit: Session;
  let province: Session;
  const runs = new Map<string, EvaluationResult>();

  const evalDay = async (day: string) => {
    const r = await server.app.get(AlertsService).evaluate(endOfDay(day));
    runs.set(day, r);
    return r;
  };
  const load = async (name: string, rows: Parameters<typeof helpCsv>[2]) => {
    const s = await server.app.get(IngestService).loadFiles([helpCsv(dir, name, rows)], { source: 'cli' });
    expect(s.failed).toBe(0);
  };
  const find = (day: string, rule: string, pred: (a: AlertView) => boolean = () => true) => runs.get(day)!.open.find((a) => a.rule === rule && pred(a));
  async function json(s: Session | TestServer, path: string, init?: RequestInit & { body?: string }): Promise<{ status: number; body: Json }> {
    const res = await s.fetch(path, init?.body ? { ...init, headers: { 'content-type': 'application/json' } } : init);
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  }
  const post = (s: Session | TestServer, path: string, body: unknown) => json(s, path, { method: 'POST', body: JSON.stringify(body) });

  beforeAll(async () => {
    server = await startTestServer();
    const fx = writeFixtures();
    dir = fx.dir;
    const s = await server.app.get(IngestService).loadFiles(fx.files, { source: 'cli' });
    expect(s.failed).toBe(0);
    // H6 (宽城区): asked 07-08 09:00, no contact yet.
    await load('h6a.csv', [{ hid: 'H6', id: pid(4), at: '2022-07-08 09:00:00', county: '220103' }]);
    county = await server.as('county', '220102');
    county103 = await server.as('county', '220103');
    unit = await server.as('unit', '220100');
    province = await server.as('province');
    await evalDay('2022-07-08');
    await evalDay('2022-07-09');
    // The contact is recorded …
    await load('h6b.csv', [{ hid: 'H6', id: pid(4), at: '2022-07-08 09:00:00', county: '220103', contact: '2022-07-10 08:00:00' }]);
    await evalDay('2022-07-10');
    // … and taken back: it was entered on the wrong request. (H7, answered in time, keeps this file's content new.)
    await load('h6c.csv', [
      { hid: 'H6', id: pid(4), at: '2022-07-08 09:00:00', county: '220103' },
      { hid: 'H7', id: pid(4), at: '2022-07-10 09:00:00', county: '220103', contact: '2022-07-10 10:00:00' },
    ]);
    await evalDay('2022-07-11');
    await evalDay('2022-07-12');
  }, budget(120_000));
  afterAll(async () => {
    await server?.close();
  });

  it('opens an alert at its owner with a due time, and it climbs county → unit → province on consecutive days', async () => {
    const d9 = find('2022-07-09', 'not_contacted', (a) => a.name === '张*丰')!;
    expect(d9).toMatchObject({ state: 'open', level: 'county', countyCode: '220102', ownerCode: '220102', openedAt: '2022-07-09 23:59:59', dueAt: '2022-07-12 23:59:59', ageHours: 0 });
    expect(find('2022-07-11', 'not_contacted', (a) => a.name === '张*丰')).toMatchObject({ level: 'county', ageHours: 48 });
    expect(find('2022-07-12', 'not_contacted', (a) => a.id === d9.id)).toMatchObject({ level: 'unit', dueAt: '2022-07-15 23:59:59', escalatedAt: '2022-07-12 23:59:59' });
    await evalDay('2022-07-13');
    await evalDay('2022-07-14');
    expect(find('2022-07-14', 'not_contacted', (a) => a.id === d9.id)!.level).toBe('unit');
    await evalDay('2022-07-15');
    expect(find('2022-07-15', 'not_contacted', (a) => a.id === d9.id)).toMatchObject({ level: 'province', dueAt: null });
    const one = await json(province, `/api/alerts/${d9.id}`);
    expect(one.status).toBe(200);
    const history = (one.body.history as Array<{ event: string; level: string; ts: string }>).map((h) => `${h.ts} ${h.event} ${h.level}`);
    expect(history).toEqual(['2022-07-09 23:59:59 opened county', '2022-07-12 23:59:59 escalated unit', '2022-07-15 23:59:59 escalated province']);
  });

  it('one alert per rule and subject: re-evaluating the same day changes nothing', async () => {
    const again = await evalDay('2022-07-15');
    expect(again).toMatchObject({ opened: 0, reopened: 0, resolved: 0, escalated: 0 });
    const ids = again.open.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('resolves by itself when the ledger shows the work done', async () => {
    const p3 = find('2022-07-09', 'not_contacted', (a) => a.name === '王*石')!;
    expect(find('2022-07-10', 'not_contacted', (a) => a.id === p3.id)).toBeUndefined();
    const r = await json(county, `/api/alerts/${p3.id}`);
    expect(r.body).toMatchObject({ state: 'resolved', resolvedBy: 'system', resolvedAt: '2022-07-10 23:59:59' });
    expect((r.body.history as Array<{ event: string }>).map((h) => h.event)).toEqual(['opened', 'auto_resolved']);
  });

  it('re-opens when the condition comes back, from the owner level, told again', async () => {
    const h6 = find('2022-07-09', 'help_request_overdue', (a) => a.subject === 'H6')!;
    expect(h6.countyCode).toBe('220103');
    expect(find('2022-07-10', 'help_request_overdue', (a) => a.subject === 'H6')).toBeUndefined();
    expect(find('2022-07-11', 'help_request_overdue', (a) => a.subject === 'H6')).toMatchObject({ id: h6.id, state: 'open', level: 'county', reopenCount: 1, openedAt: '2022-07-11 23:59:59' });
    const r = await json(county103, `/api/alerts/${h6.id}`);
    // (The days evaluated since have climbed it again: its clock restarted at the re-opening on 07-11.)
    expect((r.body.history as Array<{ event: string; ts: string }>).map((h) => `${h.ts} ${h.event}`)).toEqual([
      '2022-07-09 23:59:59 opened', '2022-07-10 23:59:59 auto_resolved', '2022-07-11 23:59:59 reopened', '2022-07-14 23:59:59 escalated',
    ]);
    expect(r.body.firstOpenedAt).toBe('2022-07-09 23:59:59');
  });

  it('acknowledge (who, note), in scope only; acknowledged alerts still climb; audit-logged', async () => {
    const h4 = find('2022-07-15', 'help_request_overdue', (a) => a.subject === 'H4')!;
    expect((await post(county103, `/api/alerts/${h4.id}/ack`, { note: 'x' })).status).toBe(404);
    const r = await post(county, `/api/alerts/${h4.id}/ack`, { note: '已安排专人联系' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ state: 'acknowledged', ackBy: 't-county-220102', ackNote: '已安排专人联系' });
    // Opened at the end of 07-11: the unit since 07-14, the province from the end of 07-17.
    await evalDay('2022-07-16');
    expect(find('2022-07-16', 'help_request_overdue', (a) => a.id === h4.id)).toMatchObject({ state: 'acknowledged', level: 'unit' });
    await evalDay('2022-07-17');
    expect(find('2022-07-17', 'help_request_overdue', (a) => a.id === h4.id)).toMatchObject({ state: 'acknowledged', level: 'province' });
    const audit = await json(server, '/api/admin/audit?action=alert.ack');
    expect(JSON.stringify(audit.body)).toContain(h4.id);
  });

  it('bulk acknowledge skips what lies outside the caller’s scope', async () => {
    const p1 = find('2022-07-17', 'not_contacted', (a) => a.name === '张*丰')!;
    const h6 = find('2022-07-17', 'help_request_overdue', (a) => a.subject === 'H6')!;
    const r = await post(county, '/api/alerts/ack', { ids: [p1.id, h6.id], note: '批量确认' });
    expect(r.status).toBe(201);
    expect(r.body.acknowledged).toEqual([p1.id]);
    expect((r.body.skipped as Array<{ id: string }>).map((s) => s.id)).toEqual([h6.id]);
    expect((await post(county, '/api/alerts/ack', { ids: ['nope'] })).status).toBe(400);
  });

  it('resolve by hand with a reason: it holds while the condition lasts', async () => {
    const p7 = find('2022-07-17', 'hardship_no_one_on_one', (a) => a.name === '周*星')!;
    expect((await post(unit, `/api/alerts/${p7.id}/resolve`, {})).status).toBe(400);
    const r = await post(unit, `/api/alerts/${p7.id}/resolve`, { reason: '已线下落实帮扶，台账次日补录' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ state: 'resolved', resolvedBy: 't-unit-220100', resolveReason: '已线下落实帮扶，台账次日补录' });
    expect((await post(unit, `/api/alerts/${p7.id}/resolve`, { reason: '再次' })).status).toBe(409);
    const next = await evalDay('2022-07-18');
    expect(next.open.find((a) => a.id === p7.id)).toBeUndefined();
    expect((await json(unit, `/api/alerts/${p7.id}`)).body.state).toBe('resolved');
  });

  it('lists with filters, paginated and scoped', async () => {
    const all = await json(province, '/api/alerts?limit=500');
    expect(all.status).toBe(200);
    expect(all.body.asOf).toBe('2022-07-18 23:59:59');
    const rows = all.body.rows as AlertView[];
    expect(all.body.total).toBe(rows.length);
    expect(rows.every((a) => a.state !== 'resolved')).toBe(true);

    const mine = (await json(county, '/api/alerts?limit=500')).body.rows as AlertView[];
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a) => a.countyCode === '220102')).toBe(true);
    expect((await json(county, '/api/alerts?region=220103')).status).toBe(403);

    const unitRows = (await json(unit, '/api/alerts?limit=500')).body.rows as AlertView[];
    expect(unitRows.some((a) => a.ownerCode === '220100' && a.rule === 'recruitment_missed')).toBe(true);
    expect(unitRows.every((a) => a.unitCode === '220100')).toBe(true);
    expect(unitRows.some((a) => a.rule === 'not_distributed')).toBe(false);

    const nc = (await json(province, '/api/alerts?rule=not_contacted&region=220102')).body.rows as AlertView[];
    expect(nc.map((a) => a.name)).toEqual(['张*丰']);
    const acked = (await json(province, '/api/alerts?state=acknowledged&limit=500')).body.rows as AlertView[];
    expect(acked.map((a) => a.subject).sort()).toContain('H4');
    expect(acked.every((a) => a.state === 'acknowledged')).toBe(true);
    const high = (await json(province, '/api/alerts?severity=high&limit=500')).body.rows as AlertView[];
    expect(high.every((a) => a.severity === 'high')).toBe(true);
    const old = (await json(province, '/api/alerts?ageMin=6&limit=500')).body.rows as AlertView[];
    expect(old.length).toBeGreaterThan(0);
    expect(old.every((a) => (a.ageHours ?? 0) >= 144)).toBe(true);
    const atProvince = (await json(province, '/api/alerts?level=province&rule=not_contacted')).body.rows as AlertView[];
    expect(atProvince.map((a) => a.name)).toEqual(['张*丰']);
    const resolved = (await json(province, '/api/alerts?state=resolved&limit=500')).body.rows as AlertView[];
    expect(resolved.some((a) => a.name === '王*石')).toBe(true);

    const p1 = (await json(province, '/api/alerts?limit=2&offset=0&state=all')).body;
    const p2 = (await json(province, '/api/alerts?limit=2&offset=2&state=all')).body;
    expect((p1.rows as AlertView[]).length).toBe(2);
    expect((p1.rows as AlertView[]).map((a) => a.id)).not.toEqual((p2.rows as AlertView[]).map((a) => a.id));
    expect(p1.total).toBe(p2.total);
    expect((await json(province, '/api/alerts?rule=nope')).status).toBe(400);
  });

  it('counts by severity and the screen summary: aggregates only, screen tokens allowed', async () => {
    const c = await json(county, '/api/alerts/counts');
    expect(c.status).toBe(200);
    const mine = (await json(county, '/api/alerts?limit=500')).body.rows as AlertView[];
    expect(c.body.total).toBe(mine.length);
    const tok = (await post(server, '/api/admin/screen-tokens', { label: '长春大屏', region: '220100' })).body.token as string;
    const s = await fetch(`${server.url}/api/alerts/summary?token=${tok}`);
    expect(s.status).toBe(200);
    const body = (await s.json()) as { region: string; open: Record<string, number>; newest: Array<Record<string, string>> };
    expect(body.region).toBe('220100');
    expect(body.open.total).toBeGreaterThan(0);
    expect(body.newest.length).toBeLessThanOrEqual(5);
    expect(JSON.stringify(body)).not.toMatch(/\*/);
    expect((await fetch(`${server.url}/api/alerts/summary?region=220200&token=${tok}`)).status).toBe(403);
    expect((await fetch(`${server.url}/api/alerts?token=${tok}`)).status).toBe(403);
  });

  it("an alert's people are masked; a lagging metric lists the people behind it", async () => {
    const p1 = find('2022-07-17', 'not_contacted', (a) => a.name === '张*丰')!;
    const r = await json(county, `/api/alerts/${p1.id}/people`);
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(1);
    expect((r.body.rows as Array<Json>)[0]).toMatchObject({ name: '张*丰', countyCode: '220102', receivedDate: '2022-07-01', assignedDate: '2022-07-01', firstContactAt: '' });
    const lag = find('2022-07-17', 'below_target', (a) => a.subject === 'county:220103:contactRate')!;
    const people = await json(province, `/api/alerts/${lag.id}/people`);
    expect((people.body.rows as Array<Json>).map((x) => x.name)).toEqual(['赵*海']);
    const text = JSON.stringify([r.body, people.body]);
    for (const x of personalData().filter((v) => !v.includes('*'))) expect(text).not.toContain(x);
    expect((await json(county103, `/api/alerts/${p1.id}/people`)).status).toBe(404);
  });

  it('province-owned alerts are the province’s only', async () => {
    await evalDay('2022-07-31');
    const nd = find('2022-07-31', 'not_distributed')!;
    expect(nd.name).toBe('钱*月');
    expect((await json(county, `/api/alerts/${nd.id}`)).status).toBe(404);
    expect((await json(unit, `/api/alerts/${nd.id}`)).status).toBe(404);
    expect((await json(province, `/api/alerts/${nd.id}`)).status).toBe(200);
  });

  it('dispatch orders: issued by the province or a unit within its scope, answered by the county, climbing when overdue, audit-logged', async () => {
    const lag = find('2022-07-31', 'not_contacted', (a) => a.name === '张*丰')!;
    expect((await post(county, '/api/dispatch', { countyCode: '220102', dueDate: '2022-08-03', title: '督办', rule: 'not_contacted' })).status).toBe(403);
    expect((await post(unit, '/api/dispatch', { countyCode: '220202', dueDate: '2022-08-03', title: '越权督办', rule: 'not_contacted' })).status).toBe(403);
    expect((await post(province, '/api/dispatch', { countyCode: '220100', dueDate: '2022-08-03', title: '下到市', rule: 'not_contacted' })).status).toBe(400);
    expect((await post(province, '/api/dispatch', { countyCode: '220102', dueDate: '2022-08-03', title: '没有事项' })).status).toBe(400);
    const created = await post(province, '/api/dispatch', {
      countyCode: '220102', dueDate: '2022-08-03', title: '超期未联系人员督办', content: '请3日内完成联系并回复。', alertId: lag.id,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ countyCode: '220102', rule: 'not_contacted', status: 'issued', level: 'county', dueDate: '2022-08-03', overdue: false });

    const list = await json(county, '/api/dispatch');
    expect((list.body.rows as Array<Json>).map((o) => o.id)).toContain(id);
    expect(((await json(county103, '/api/dispatch')).body.rows as Array<Json>).map((o) => o.id)).not.toContain(id);
    expect((await post(county103, `/api/dispatch/${id}/reply`, { text: '不是我们的', status: 'done' })).status).toBe(404);
    expect((await post(unit, `/api/dispatch/${id}/reply`, { text: '市里代答', status: 'done' })).status).toBe(403);
    const reply = await post(county, `/api/dispatch/${id}/reply`, { text: '已联系2人，余下明日走访', status: 'in_progress' });
    expect(reply.status).toBe(201);
    expect(reply.body.status).toBe('in_progress');
    expect((reply.body.events as Array<Json>).map((e) => e.event)).toEqual(['created', 'reply']);

    const alertWithOrder = await json(province, `/api/alerts/${lag.id}`);
    expect((alertWithOrder.body.dispatch as Array<Json>).map((o) => o.id)).toEqual([id]);

    await evalDay('2022-08-03');
    expect((await json(county, `/api/dispatch/${id}`)).body).toMatchObject({ level: 'county', overdue: false });
    const d4 = await evalDay('2022-08-04');
    expect(d4.dispatchEscalated).toBe(1);
    expect((await json(county, `/api/dispatch/${id}`)).body).toMatchObject({ level: 'unit', overdue: true });
    expect(((await json(unit, '/api/dispatch?overdue=1')).body.rows as Array<Json>).map((o) => o.id)).toEqual([id]);
    await evalDay('2022-08-07');
    const final = await json(province, `/api/dispatch/${id}`);
    expect(final.body.level).toBe('province');
    expect((final.body.events as Array<Json>).map((e) => e.event)).toEqual(['created', 'reply', 'escalated', 'escalated']);

    const done = await post(county, `/api/dispatch/${id}/reply`, { text: '全部联系完毕', status: 'done' });
    expect(done.body).toMatchObject({ status: 'done', overdue: false });
    const audit = JSON.stringify((await json(server, '/api/admin/audit?limit=500')).body);
    for (const a of ['dispatch.create', 'dispatch.reply', 'dispatch.escalate', 'alert.resolve', 'alert.people']) expect(audit).toContain(a);
  });
});
