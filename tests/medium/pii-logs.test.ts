// No personal data in any log: a fixture goes through the CLI (ingest with
// rejects, metrics, reports, alerts) and through the built server as its own
// process (inbox pull with rejects, refresh, alert evaluation, notices to a
// webhook and an SMTP sink, the API, exports, reports, a reveal, bad
// requests carrying ID numbers). Every line the CLI and the server write is
// captured, and none holds a fixture person's name, ID number or phone — nor
// a partial form that shows more than the mask does (two characters of a
// three-character name in a row, eight digits of an ID number, seven of a
// phone).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { budget } from '../helpers/budget';
import { pid, runCli, type CliResult } from '../helpers/ledger-fixtures';
import { signIn, tempDataDir, type Session } from '../helpers/server';
import { ledgerFile, writeFixtures, P, type Person } from './alerts.fixtures';

const MAIN = path.join(__dirname, '..', '..', 'dist', 'server', 'backend', 'src', 'main.js');
const ADMIN_PASSWORD = 'Pii-Logs-Test-2022';

// Distinctive people of our own (names and phones that occur nowhere else), some of them rejected.
const OWN: Person[] = [
  { n: 41, name: '龚霁珩', masked: '龚*珩', received: '2022-07-02', county: '220102', assigned: '2022-07-02', category: '有就业意愿', status: '未就业', updated: '2022-07-02 08:00:00', phone: '15947362815' },
  { n: 42, name: '韦曦岚', masked: '韦*岚', received: '2022-07-03', county: '220102', assigned: '2022-07-03', hardship: '残疾', status: '未就业', updated: '2022-07-03 08:00:00', phone: '18625937416' },
];
// Rejected: an impossible date, an unknown county, an unknown status — each row still carries name, ID and phone.
const REJECTED: Person[] = [
  { n: 43, name: '阮翊辰', masked: '阮*辰', received: '2022-13-45', county: '220102', updated: '2022-07-04 08:00:00', phone: '13791628354' },
  { n: 44, name: '欧阳澍霖', masked: '欧**霖', received: '2022-07-04', county: '999999', updated: '2022-07-04 08:00:00', phone: '17758249163' },
  { n: 45, name: '祁沅芷', masked: '祁*芷', received: '2022-07-04', county: '220102', status: '不知道', updated: '2022-07-04 08:00:00', phone: '15136482957' },
];
// Loaded later, through the running server's inbox.
const INBOX: Person[] = [
  { n: 46, name: '鄢栩棠', masked: '鄢*棠', received: '2022-07-05', county: '220102', assigned: '2022-07-05', status: '未就业', updated: '2022-07-05 08:00:00', phone: '13357924681' },
  { n: 47, name: '晏珂瑶', masked: '晏*瑶', received: '2022-07-05', county: '220102', updated: '2099-99-99 08:00:00', phone: '18946273518' },
];

const phoneOf = (p: Person) => p.phone ?? `1380000${String(1000 + p.n).slice(-4)}`;
const windows = (s: string, n: number) => Array.from({ length: Math.max(0, s.length - n + 1) }, (_, i) => s.slice(i, i + n));

/** Every string that would show more of a person than the mask does. */
function forbidden(people: Person[]): Array<{ needle: string; what: string }> {
  return people.flatMap((p) => {
    const name = [...p.name];
    const nameParts = name.length >= 3 ? windows(p.name, 2).map((w) => ({ needle: w, what: `${p.masked} (name part)` })) : [{ needle: p.name, what: `${p.masked} (name)` }];
    const id = pid(p.n);
    const phone = phoneOf(p);
    return [
      { needle: p.name, what: `${p.masked} (name)` },
      ...nameParts,
      ...windows(id, 8).map((w) => ({ needle: w, what: `ID of ${p.masked}` })),
      ...windows(phone, 7).map((w) => ({ needle: w, what: `phone of ${p.masked}` })),
    ];
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = budget(60_000)): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('no personal data in any log', () => {
  const logs: Array<{ source: string; text: string }> = [];
  const hits: string[] = [];
  const mails: string[] = [];
  let hook: http.Server;
  let smtp: SMTPServer;
  let child: ChildProcess | null = null;
  let dataDir: string;

  const cli = async (args: string[]): Promise<CliResult> => {
    const r = await runCli(dataDir, args);
    logs.push({ source: `cli ${args[0]} (stdout)`, text: r.stdout }, { source: `cli ${args[0]} (stderr)`, text: r.stderr });
    return r;
  };

  beforeAll(async () => {
    hook = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        hits.push(raw);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    smtp = new SMTPServer({
      logger: false, authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, _s, cb) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString()));
        stream.on('end', () => {
          mails.push(raw);
          cb();
        });
      },
    });
    // The server is killed at the end with a mail connection possibly open: its reset is not this test's concern
    // (an SMTPServer without an error listener throws it as an uncaught exception into the test run).
    smtp.on('error', () => undefined);
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  }, budget(30_000));

  afterAll(async () => {
    child?.kill('SIGKILL');
    await new Promise<void>((r) => hook.close(() => r()));
    await new Promise<void>((r) => smtp.close(() => r()));
  });

  it('drives ingest, API, exports, reports and notices, and no line written holds a name, ID or phone', async () => {
    dataDir = tempDataDir('pii-logs-');
    const fx = writeFixtures();
    const own = ledgerFile(fx.dir, 'own.csv', OWN);
    const bad = ledgerFile(fx.dir, 'bad.csv', REJECTED);

    // The CLI, with the server down: ingest (with rejects), metrics, reports, an alert evaluation.
    const ing = await cli(['ingest', ...fx.files, own, bad]);
    expect(ing.code, ing.stderr).toBe(0);
    expect(ing.json).toMatchObject({ rejected: REJECTED.length });
    expect((await cli(['metrics', '--region', '220102', '--as-of', '2022-08-31', '--json'])).code).toBe(0);
    expect((await cli(['report', 'weekly', '--week', '2022-W31', '--out', path.join(fx.dir, 'w.xlsx')])).code).toBe(0);
    expect((await cli(['report', 'dispatch', '--date', '2022-07-10', '--region', '220102', '--out', path.join(fx.dir, 'd.xlsx')])).code).toBe(0);
    expect((await cli(['alerts', '--as-of', '2022-08-31', '--dry-run'])).code).toBe(0);

    // The server as its own process, jobs on: every line it writes is kept.
    const port = await freePort();
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
    let out = '';
    child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env, DATA_DIR: dataDir, PORT: String(port), DEMO: 'off', JOBS: 'on', LOG_FORMAT: 'json', ADMIN_PASSWORD,
        INBOX_CRON: '*/2 * * * * *', ALERT_QUIET_HOURS: 'off', SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, PUBLIC_URL: 'https://jy.example.cn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((r) => child!.once('exit', () => r()));
    const url = `http://127.0.0.1:${port}`;
    await until('the server to listen', async () => out.includes('serving http'), budget(60_000));
    const admin: Session = await signIn(url, 'admin', ADMIN_PASSWORD);
    const answers: string[] = [];
    const call = async (s: Session, p: string, init?: RequestInit) => {
      const r = await s.fetch(p, init);
      const body = Buffer.from(await r.arrayBuffer());
      answers.push(`${init?.method ?? 'GET'} ${p} → ${r.status} ${r.headers.get('content-type')?.includes('json') ? body.toString().slice(0, 200) : ''}`);
      return r.status;
    };
    const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(await call(admin, '/api/liaisons', json('PUT', { regionCode: '220100', name: '长春联络员', genericWebhook: `${hookUrl}/hook/220100`, email: 'cc@example.cn' })), answers.at(-1)).toBe(200);
    expect(await call(admin, '/api/alerts/channels', json('PUT', { regionCode: '220102', kind: 'webhook', target: `${hookUrl}/hook/220102` })), answers.at(-1)).toBe(200);
    expect(await call(admin, '/api/alerts/channels', json('PUT', { regionCode: '220102', kind: 'email', target: 'nanguan@example.cn' })), answers.at(-1)).toBe(200);
    expect(await call(admin, '/api/admin/users', json('POST', { username: 'nanguan', role: 'county', region: '220102', password: 'Campaign-Ctr-22x' })), answers.at(-1)).toBe(201);
    const county = await signIn(url, 'nanguan', 'Campaign-Ctr-22x');

    // A file through the inbox (one good row, one rejected): the pull, the refresh, the evaluation, the notices.
    const inboxFile = ledgerFile(fx.dir, 'inbox.csv', INBOX);
    fs.mkdirSync(path.join(dataDir, 'inbox'), { recursive: true });
    fs.copyFileSync(inboxFile, path.join(dataDir, 'inbox', '南关台账.csv'));
    const runs = await until('the inbox load', async () => {
      const r = await admin.fetch('/api/ingest/runs?source=inbox');
      const rows = (await r.json()) as Array<{ runId: number; status: string }>;
      return rows.length && rows.every((x) => x.status !== 'running') ? rows : null;
    });
    await until('notices at the webhook and the mail sink', async () => hits.length > 0 && mails.length > 0);

    // The API, as the admin and the county: lists, a person, a reveal, exports, reports, alerts, audit.
    const cases = (await (await county.fetch('/api/cases?county=220102&asOf=2022-08-31&limit=20')).json()) as { rows: Array<{ personKey: string }> };
    expect(cases.rows.length).toBeGreaterThan(0);
    const key = cases.rows[0]!.personKey;
    for (const p of [`/api/persons/${key}`, `/api/persons/${key}/export.xlsx`, '/api/cases/export.xlsx?county=220102&asOf=2022-08-31',
      '/api/metrics/220102/children.xlsx?asOf=2022-08-31', '/api/reports/dispatch.xlsx?date=2022-07-10&region=220102', '/api/alerts?limit=50']) {
      expect(await call(county, p), p).toBe(200);
    }
    expect(await call(county, `/api/persons/${key}/reveal`, { method: 'POST' }), answers.at(-1)).toBe(200);
    const runId = runs[0]!.runId;
    for (const p of [`/api/ingest/runs/${runId}/rejects`, `/api/ingest/runs/${runId}/rejects.xlsx`, '/api/admin/audit/export', '/api/alerts/deliveries']) {
      expect(await call(admin, p), p).toBe(200);
    }
    expect(await call(admin, '/api/reports/weekly', json('POST', { week: '2022-W31' })), answers.at(-1)).toBe(201);
    const alerts = (await (await admin.fetch('/api/alerts?limit=5')).json()) as { rows: Array<{ id: string }> };
    if (alerts.rows[0]) expect(await call(admin, `/api/alerts/${alerts.rows[0].id}/people`), answers.at(-1)).toBe(200);
    // Bad requests that carry personal data: refused, and what they carried must not reach a log either.
    const id = pid(OWN[0]!.n);
    expect(await call(county, `/api/cases?county=${id}&asOf=2022-08-31`), answers.at(-1)).toBe(400);
    expect(await call(county, `/api/persons/${id}`), answers.at(-1)).toBeGreaterThanOrEqual(400);
    expect(await call(admin, '/api/dispatch', json('POST', { countyCode: '220102', title: OWN[1]!.name, content: `${phoneOf(OWN[1]!)} ${id}`, dueDate: 'soon' })), answers.at(-1)).toBe(400);
    const wrong = await fetch(`${url}/api/auth/login`, json('POST', { username: OWN[0]!.name, password: id }));
    expect(wrong.status).toBe(401);

    child.kill('SIGTERM');
    await exited;
    child = null;
    logs.push({ source: 'server', text: out });

    // The notices did go out (and are masked, as alerts.notify.test.ts checks in detail): the capture saw a working run.
    expect(out).toContain('serving http');
    const leaks: string[] = [];
    const needles = forbidden([...Object.values(P), ...OWN, ...REJECTED, ...INBOX]);
    for (const { source, text } of logs) {
      for (const line of text.split('\n')) {
        for (const { needle, what } of needles) if (line.includes(needle)) leaks.push(`${source}: ${what} in ${JSON.stringify(line.slice(0, 300))}`);
      }
    }
    expect(leaks, leaks.slice(0, 20).join('\n')).toEqual([]);
    const written = logs.reduce((n, l) => n + l.text.split('\n').filter(Boolean).length, 0);
    expect(written).toBeGreaterThan(10);
  }, budget(300_000));
});
