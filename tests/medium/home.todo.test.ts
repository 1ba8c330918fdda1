// Today's to-do on the home page (GET /api/home/todo) and the case-list filter
// its links open (GET /api/cases?todo=…), at their boundaries. Every
// expectation is worked out by hand from the fixture below (docs/metrics.md,
// docs/alerts.md): a 24-hour deadline at 23:59 today vs 00:00 tomorrow,
// contact allowed up to day 7 (listed from day 8), a 30-day follow-up due
// at 10:00 today vs 00:00 tomorrow; with a help plan, its 回访周期 since the
// last 跟踪回访 (a plain contact does not reset it) or the plan's date.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import type { HomeTodo, TodoKind } from '../../backend/src/home/home.types';
import { startTestServer, type Session, type TestServer } from '../helpers/server';
import { helpCsv, ledgerCsv, pid, serviceCsv, writeCsv } from '../helpers/ledger-fixtures';

const D = '2022-08-10';
const NG = '220102'; // 南关区
const KC = '220103'; // 宽城区

describe('home to-do: help requests due today, no contact after 7 days, hardship visits due, dispatch awaiting a reply', () => {
  let server: TestServer;
  let county: Session;
  let other: Session;
  let unit: Session;
  let province: Session;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-todo-'));
  const P = Array.from({ length: 14 }, (_, i) => pid(i + 1));
  const name = (i: number): string => `${'赵钱孙李周吴郑王冯陈褚卫蒋沈'[i]}小明`;

  beforeAll(async () => {
    server = await startTestServer();
    const files = [
      ledgerCsv(dir, 'ledger.csv', [
        // help-request persons: received the day before D, so not yet due for a contact themselves
        { id: P[0]!, name: name(0), received: '2022-08-09', county: NG, updated: '2022-08-09 08:00' },
        { id: P[1]!, name: name(1), received: '2022-08-09', county: NG, updated: '2022-08-09 08:00' },
        // no contact: received D−8 (listed on D, not on D−1), D−7 (not listed), contacted on D, contacted only after D
        { id: P[2]!, name: name(2), received: '2022-08-02', county: NG, updated: '2022-08-02 08:00' },
        { id: P[3]!, name: name(3), received: '2022-08-03', county: NG, updated: '2022-08-03 08:00' },
        { id: P[4]!, name: name(4), received: '2022-08-02', county: NG, updated: '2022-08-02 08:00' },
        { id: P[5]!, name: name(5), received: '2022-08-02', county: NG, updated: '2022-08-02 08:00' },
        // hardship: last service 07-11 10:00 (due D 10:00), 07-12 00:00 (due D+1 00:00), employed, never served since receipt 07-11
        { id: P[6]!, name: name(6), received: '2022-07-01', county: NG, hardship: '残疾', updated: '2022-07-01 08:00' },
        { id: P[7]!, name: name(7), received: '2022-07-01', county: NG, hardship: '残疾', updated: '2022-07-01 08:00' },
        { id: P[8]!, name: name(8), received: '2022-07-01', county: NG, hardship: '残疾', status: '已就业', updated: '2022-07-01 08:00' },
        { id: P[9]!, name: name(9), received: '2022-07-11', county: NG, hardship: '零就业家庭', updated: '2022-07-11 08:00' },
        // another county: one help request due on D, one person not contacted
        { id: P[10]!, name: name(10), received: '2022-08-09', county: KC, updated: '2022-08-09 08:00' },
        { id: P[11]!, name: name(11), received: '2022-08-01', county: KC, updated: '2022-08-01 08:00' },
        // hardship with a help plan: every 10 days since the last 跟踪回访 (07-31), and every 60 days since the plan (07-01)
        { id: P[12]!, name: name(12), received: '2022-07-01', county: NG, hardship: '脱贫家庭', updated: '2022-07-01 08:00' },
        { id: P[13]!, name: name(13), received: '2022-07-01', county: NG, hardship: '特殊困难', updated: '2022-07-01 08:00' },
      ]),
      writeCsv(dir, 'plans.csv', ['计划编号', '身份证号', '服务专员', '制定日期', '帮扶措施', '回访周期', '计划状态'], [
        ['PL1', P[12]!, '王专员', '2022-07-20', '岗位推介', 10, '执行中'],
        ['PL2', P[13]!, '王专员', '2022-07-01', '', 60, ''],
      ]),
      serviceCsv(dir, 'services.csv', [
        { rid: 'S1', id: P[4]!, time: `${D} 18:00`, type: '联系', result: '已联系', county: NG },
        { rid: 'S2', id: P[5]!, time: '2022-08-11 09:00', type: '联系', result: '已联系', county: NG },
        { rid: 'S3', id: P[3]!, time: '2022-08-09 09:00', type: '联系', result: '未联系上', county: NG },
        { rid: 'S4', id: P[6]!, time: '2022-07-11 10:00', type: '联系', result: '已联系', county: NG },
        { rid: 'S5', id: P[7]!, time: '2022-07-12 00:00', type: '跟踪回访', county: NG },
        { rid: 'S6', id: P[8]!, time: '2022-07-02 09:00', type: '联系', result: '已联系', county: NG },
        { rid: 'S7', id: P[12]!, time: '2022-07-31 10:00', type: '跟踪回访', county: NG },
        { rid: 'S8', id: P[12]!, time: '2022-08-05 09:00', type: '联系', result: '已联系', county: NG },
        { rid: 'S9', id: P[13]!, time: '2022-07-02 09:00', type: '联系', result: '已联系', county: NG },
      ]),
      helpCsv(dir, 'help.csv', [
        { hid: 'H1', id: P[0]!, at: '2022-08-09 23:59', county: NG }, // deadline D 23:59: due today
        { hid: 'H2', id: P[0]!, at: '2022-08-09 00:00', county: NG }, // deadline D 00:00: due today (same person)
        { hid: 'H3', id: P[1]!, at: `${D} 00:00`, county: NG }, // deadline D+1 00:00: tomorrow
        { hid: 'H4', id: P[1]!, at: '2022-08-08 23:59', county: NG }, // deadline D−1 23:59: already overdue, not today's
        { hid: 'H5', id: P[1]!, at: '2022-08-09 10:00', county: NG, contact: `${D} 09:00` }, // contacted before the deadline
        { hid: 'H6', id: P[1]!, at: '2022-08-09 12:00', county: NG, contact: '2022-08-11 08:00' }, // contacted only after D: open on D
        { hid: 'H7', id: P[10]!, at: '2022-08-09 15:00', county: KC },
      ]),
    ];
    const s = await server.app.get(IngestService).loadFiles(files);
    expect(s.rejected).toBe(0);
    county = await server.as('county', NG);
    other = await server.as('county', KC);
    unit = await server.as('unit', '220100');
    province = await server.as('province');
  });
  afterAll(async () => {
    await server?.close();
  });

  const todo = async (s: Session, query: string): Promise<HomeTodo> => {
    const r = await s.fetch(`/api/home/todo?${query}`);
    expect(r.status, await r.clone().text()).toBe(200);
    return (await r.json()) as HomeTodo;
  };
  const item = (t: HomeTodo, kind: TodoKind) => t.items.find((i) => i.kind === kind)!;
  const names = async (s: Session, county: string, kind: string, asOf = D): Promise<string[]> => {
    const r = await s.fetch(`/api/cases?county=${county}&asOf=${asOf}&todo=${kind}&sort=name&limit=100`);
    expect(r.status).toBe(200);
    return ((await r.json()) as { rows: Array<{ name: string }> }).rows.map((x) => x.name).sort();
  };
  const masked = (i: number): string => { const n = name(i); return `${n[0]}*${n.slice(2)}`; };

  it('help requests whose 24 hours run out today: deadline at 00:00 and 23:59 today count, 00:00 tomorrow and yesterday do not', async () => {
    const t = await todo(county, `asOf=${D}`);
    const help = item(t, 'help_due');
    // H1, H2 (one person) and H6; not H3 (tomorrow), H4 (yesterday), H5 (contacted in time), H7 (another county)
    expect(help.items).toBe(3);
    expect(help.persons).toBe(2);
    expect(help.counties).toEqual([{ county: NG, countyName: '南关区', persons: 2, items: 3 }]);
    expect(await names(county, NG, 'help_due')).toEqual([masked(0), masked(1)].sort());
    // The day before, only H4's deadline (D−1 23:59) ran out that day.
    const before = item(await todo(county, `asOf=2022-08-09`), 'help_due');
    expect(before.items).toBe(1);
    expect(await names(county, NG, 'help_due', '2022-08-09')).toEqual([masked(1)]);
  });

  it('no contact after 7 days: received D−8 is listed, D−7 is not, a contact on D clears it, a contact after D does not yet', async () => {
    const nc = item(await todo(county, `asOf=${D}`), 'no_contact');
    // P2 (D−8), P5 (contact only on D+1), P9 (received 07-11, never contacted); not P3 (D−7, 未联系上 is no contact), P4 (contacted on D)
    expect(await names(county, NG, 'no_contact')).toEqual([masked(2), masked(5), masked(9)].sort());
    expect(nc.persons).toBe(3);
    // As of D−1, P2 and P5 are on day 7: still in time.
    expect(await names(county, NG, 'no_contact', '2022-08-09')).toEqual([masked(9)]);
    // On D+1 the one received D−7 is on day 8; P5 was contacted that morning.
    expect(await names(county, NG, 'no_contact', '2022-08-11')).toEqual([masked(2), masked(3), masked(9)].sort());
  });

  it('hardship visits due: the plan’s 回访周期, else 30 days after the last service (or the receipt), employed persons never', async () => {
    const v = item(await todo(county, `asOf=${D}`), 'visit_due');
    // Without a plan — P6: 07-11 10:00 + 30 d = D 10:00; P9: 07-11 00:00 + 30 d = D 00:00. Not P7 (D+1 00:00), not P8 (employed).
    // With a plan — P12: last 跟踪回访 07-31 + 10 d = D (the 08-05 contact is no return visit); not P13: plan 07-01 + 60 d = 08-30,
    // though its last service (07-02) is more than 30 days ago.
    expect(v.persons).toBe(3);
    expect(await names(county, NG, 'visit_due')).toEqual([masked(6), masked(9), masked(12)].sort());
    expect(await names(county, NG, 'visit_due', '2022-08-09')).toEqual([]);
    expect(await names(county, NG, 'visit_due', '2022-08-11')).toEqual([masked(6), masked(7), masked(9), masked(12)].sort());
    // Before its plan (07-20) P12 follows the fixed window: received 07-01 + 30 d = 07-31, its visit that day clears it.
    expect(await names(county, NG, 'visit_due', '2022-07-19')).toEqual([]);
  });

  it('is scoped like the case list: a county sees its own, a unit its counties, nobody another’s', async () => {
    const mine = await todo(county, `asOf=${D}`);
    expect(mine.region).toBe(NG);
    expect(mine.items.flatMap((i) => i.counties.map((c) => c.county)).every((c) => c === NG)).toBe(true);
    const theirs = await todo(other, `asOf=${D}`);
    expect(item(theirs, 'help_due').counties).toEqual([{ county: KC, countyName: '宽城区', persons: 1, items: 1 }]);
    expect(item(theirs, 'no_contact').persons).toBe(1);
    const u = await todo(unit, `asOf=${D}`);
    expect(u.region).toBe('220100');
    expect(item(u, 'help_due').items).toBe(4);
    expect(item(u, 'help_due').counties.map((c) => c.county)).toEqual([NG, KC]);
    expect((await county.fetch(`/api/home/todo?region=220100&asOf=${D}`)).status).toBe(403);
    expect((await county.fetch(`/api/home/todo?region=${KC}&asOf=${D}`)).status).toBe(403);
    expect((await other.fetch(`/api/cases?county=${NG}&todo=help_due&asOf=${D}`)).status).toBe(403);
  });

  it('refuses a bad day or kind with a message', async () => {
    const out = await county.fetch('/api/home/todo?asOf=2021-01-01');
    expect(out.status).toBe(400);
    expect(((await out.json()) as { message: string }).message).toContain('不在攻坚行动期间');
    expect((await county.fetch('/api/home/todo?asOf=2022-02-30')).status).toBe(400);
    expect((await county.fetch(`/api/cases?county=${NG}&todo=everything`)).status).toBe(400);
  });

  it('dispatch orders awaiting a reply: issued counts, a reply takes it off', async () => {
    const made = await province.fetch('/api/dispatch', {
      method: 'POST',
      body: JSON.stringify({ countyCode: NG, dueDate: '2022-08-15', title: '请加快联系', metric: 'contactRate' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(made.status, await made.clone().text()).toBe(201);
    const order = (await made.json()) as { id: string };
    expect(item(await todo(county, `asOf=${D}`), 'dispatch_awaiting').counties).toEqual([{ county: NG, countyName: '南关区', persons: 0, items: 1 }]);
    expect(item(await todo(other, `asOf=${D}`), 'dispatch_awaiting').items).toBe(0);
    const reply = await county.fetch(`/api/dispatch/${order.id}/reply`, {
      method: 'POST', body: JSON.stringify({ text: '已安排专人', status: 'in_progress' }), headers: { 'Content-Type': 'application/json' },
    });
    expect(reply.status, await reply.clone().text()).toBeLessThan(300);
    expect(item(await todo(county, `asOf=${D}`), 'dispatch_awaiting').items).toBe(0);
  });

  it('GET /api/campaign names the campaign’s current day once: the last day with data for a past campaign', async () => {
    const r = await county.fetch('/api/campaign');
    expect(r.status).toBe(200);
    const c = (await r.json()) as { day: string; from: string; to: string; running: boolean; lastDataDay: string };
    // Today (the server clock) is after 2022: the campaign has ended, so its day is the last with data (the latest entry above).
    expect(c.running).toBe(false);
    expect(c.lastDataDay).toBe('2022-08-11');
    expect(c.day).toBe('2022-08-11');
    expect([c.from, c.to]).toEqual(['2022-07-01', '2022-12-31']);
    // The case list defaults to the same day.
    const page = (await (await county.fetch(`/api/cases?county=${NG}&limit=1`)).json()) as { asOf: string };
    expect(page.asOf).toBe(c.day);
  });
});

describe('first-start checklist (GET /api/home/setup)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  const steps = async (): Promise<Record<string, boolean>> => {
    const r = await server.fetch('/api/home/setup');
    expect(r.status).toBe(200);
    const c = (await r.json()) as { steps: Array<{ key: string; done: boolean }>; complete: boolean };
    return Object.fromEntries(c.steps.map((s) => [s.key, s.done]));
  };
  const send = async (p: string, method: string, body: unknown): Promise<void> => {
    const r = await server.fetch(p, { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    expect(r.status, await r.clone().text()).toBeLessThan(300);
  };

  it('names the campaign’s current day: today while it runs, else its first or last day (no data yet)', async () => {
    const metrics = server.app.get(MetricsService);
    // 2022-09-15 12:00 in Beijing is inside the campaign: that day, whatever the data.
    expect((await metrics.currentDay(new Date('2022-09-15T04:00:00Z'))).day).toBe('2022-09-15');
    // Midnight in Beijing is 16:00 UTC: 15:30 UTC is still the 15th there, 16:30 UTC the 16th.
    expect((await metrics.currentDay(new Date('2022-09-15T15:30:00Z'))).day).toBe('2022-09-15');
    expect((await metrics.currentDay(new Date('2022-09-15T16:30:00Z'))).day).toBe('2022-09-16');
    const before = await metrics.currentDay(new Date('2022-05-01T04:00:00Z'));
    expect([before.day, before.running, before.lastDataDay]).toEqual(['2022-07-01', false, null]);
    const after = await metrics.currentDay(new Date('2026-12-07T04:00:00Z'));
    expect([after.day, after.running]).toEqual(['2022-12-31', false]);
  });

  it('ticks each step from real state, and only admins may read it', async () => {
    // An empty data directory with DEMO=off: only the demo step is done.
    expect(await steps()).toEqual({ admin_password: false, users: false, channels: false, ledgers: false, demo_off: true });
    const c = await server.as('county', NG);
    expect((await c.fetch('/api/home/setup')).status).toBe(403);
    await send('/api/liaisons', 'PUT', { regionCode: '220100', name: '王丽' });
    // A liaison without any channel is not enough.
    expect((await steps()).channels).toBe(false);
    await send('/api/liaisons', 'PUT', { regionCode: '220100', name: '王丽', wecomWebhook: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=t' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-setup-'));
    await server.app.get(IngestService).loadFiles([ledgerCsv(dir, 'l.csv', [{ id: pid(99), received: '2022-07-05', county: NG, updated: '2022-07-05 08:00' }])], { source: 'inbox' });
    expect(await steps()).toEqual({ admin_password: false, users: true, channels: true, ledgers: true, demo_off: true });
    // Changing the password signs the admin out everywhere: read the list again with the new one.
    await send('/api/admin/users/admin/password', 'POST', { password: 'Another-Chief-Pass-2022' });
    const again = await server.login('admin', 'Another-Chief-Pass-2022');
    const r = (await (await again.fetch('/api/home/setup')).json()) as { complete: boolean; steps: Array<{ key: string; done: boolean }> };
    expect(r.steps.map((x) => [x.key, x.done])).toEqual([['admin_password', true], ['users', true], ['channels', true], ['ledgers', true], ['demo_off', true]]);
    expect(r.complete).toBe(true);
  });
});
