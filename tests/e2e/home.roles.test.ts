// The home page per role in headless Chromium against the real app: a county
// user lands on their county's figures (equal to /api/metrics for the day) and
// today's to-do, whose links open the case list or the dispatch orders with the
// filter set; a unit user sees only their counties; every date picker defaults
// to the campaign's day (GET /api/campaign), refuses a day outside it, and the
// chosen day travels in the URL; the admin lands on the system's health and
// the first-start checklist, which ticks itself as steps are done.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signInThroughPage } from '../helpers/browser';
import { startTestServer, TEST_ADMIN_PASSWORD, type Session, type TestServer } from '../helpers/server';
import { helpCsv, ledgerCsv, pid, serviceCsv } from '../helpers/ledger-fixtures';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { AlertsService } from '../../backend/src/alerts/alerts.service';
import { endOfDay } from '../../backend/src/alerts/alerts.rules';
import type { AlertGroupsResponse } from '../../backend/src/alerts/alerts.groups.types';
import type { HomeTodo } from '../../backend/src/home/home.types';

const D = '2022-08-10'; // the last day with data below: the campaign's day (2022 has ended)
let server: TestServer;
let browser: Browser;
let county: Session;
let province: Session;
const errors: string[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'home-e2e-'));
const RATES = ['contactRate', 'rate1311', 'employmentRate', 'hardshipOneOnOneRate', 'helpSlaRate'] as const;

async function newPage(user: string, password: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p = await ctx.newPage();
  p.on('pageerror', (e) => errors.push(`${user} page: ${e.message}`));
  p.on('response', (r) => {
    if (r.status() >= 500) errors.push(`${user} ${r.status()}: ${r.url()}`);
  });
  await signInThroughPage(p, server.url, user, password);
  return p;
}

const pw = (role: string): string => `Pw-${role}-2022-x9Q`;

beforeAll(async () => {
  server = await startTestServer();
  const P = Array.from({ length: 8 }, (_, i) => pid(i + 1));
  const files = [
    ledgerCsv(tmp, 'ledger.csv', [
      { id: P[0]!, name: '赵小明', received: '2022-08-09', county: '220102', updated: '2022-08-09 08:00' },
      { id: P[1]!, name: '钱小明', received: '2022-08-01', county: '220102', updated: '2022-08-01 08:00' },
      { id: P[2]!, name: '孙小明', received: '2022-07-01', county: '220102', hardship: '残疾', updated: '2022-07-01 08:00' },
      { id: P[3]!, name: '李小明', received: '2022-07-05', county: '220102', category: '有就业意愿', status: '已就业', updated: `${D} 09:00` },
      { id: P[4]!, name: '周小明', received: '2022-08-01', county: '220103', updated: '2022-08-01 08:00' },
      { id: P[5]!, name: '吴小明', received: '2022-08-01', county: '220202', updated: '2022-08-01 08:00' },
    ]),
    serviceCsv(tmp, 'services.csv', [
      { rid: 'S1', id: P[2]!, time: '2022-07-05 10:00', type: '联系', result: '已联系', county: '220102' },
      { rid: 'S2', id: P[3]!, time: '2022-07-06 10:00', type: '联系', result: '已联系', county: '220102' },
    ]),
    helpCsv(tmp, 'help.csv', [{ hid: 'H1', id: P[0]!, at: '2022-08-09 20:00', county: '220102' }]),
  ];
  const s = await server.app.get(IngestService).loadFiles(files, { source: 'cli' });
  expect(s.rejected).toBe(0);
  // The alerts as of the campaign's day: the home page's alerts panel reads their groups.
  await server.app.get(AlertsService).evaluate(endOfDay(D));
  county = await server.as('county', '220102');
  await server.as('unit', '220100');
  province = await server.as('province');
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a county user’s home', () => {
  let page: Page;

  it('lands on their county’s figures for the campaign’s day, equal to /api/metrics', async () => {
    const campaign = (await (await county.fetch('/api/campaign')).json()) as { day: string };
    expect(campaign.day).toBe(D);
    page = await newPage('t-county-220102', pw('county'));
    expect(new URL(page.url()).pathname).toBe('/');
    await page.waitForSelector('[data-testid="region-home"][data-code="220102"] [data-testid="home-rates"]');
    expect(await page.getByTestId('asof').inputValue()).toBe(D);
    const m = (await (await county.fetch(`/api/metrics/220102?asOf=${D}`)).json()) as Record<string, number | null>;
    for (const k of RATES) {
      const shown = await page.getByTestId(`rate-${k}`).getAttribute('data-value');
      expect(shown === '' ? null : Number(shown), k).toBe(m[k]);
    }
    // 李小明 contacted and employed, 孙小明 contacted: 2 of 4 received.
    expect(m.contactRate).toBe(0.5);
    expect(await page.getByTestId('rate-contactRate').innerText()).toContain('50.0%');
  });

  it('lists today’s to-do with the API’s counts; each link opens the case list with that filter', async () => {
    const todo = (await (await county.fetch(`/api/home/todo?asOf=${D}`)).json()) as HomeTodo;
    const expected = { help_due: ['赵*明'], no_contact: ['钱*明'], visit_due: ['孙*明'] } as const;
    for (const kind of ['help_due', 'no_contact', 'visit_due'] as const) {
      const item = todo.items.find((i) => i.kind === kind)!;
      expect(item.items, kind).toBe(expected[kind].length);
      await page.goto(`${server.url}/`);
      const link = page.getByTestId(`todo-link-${kind}-220102`);
      await link.click();
      await page.waitForURL((u) => u.pathname === '/r/220102/cases' && u.searchParams.get('todo') === kind && u.searchParams.get('asOf') === D);
      await page.waitForSelector('[data-testid="cases-table"] tbody tr, [data-testid="empty-state"]');
      expect(await page.getByTestId('filter-todo').inputValue()).toBe(kind);
      const names = await page.locator('[data-testid="cases-table"] tbody [data-testid="person-link"]').allInnerTexts();
      expect(names, kind).toEqual([...expected[kind]]);
    }
  });

  it('shows open alerts by rule with the oldest age, the same as the alert groups', async () => {
    await page.goto(`${server.url}/`);
    const res = (await (await county.fetch('/api/alerts/groups?region=220102')).json()) as AlertGroupsResponse;
    expect(res.total).toBeGreaterThan(0);
    await page.waitForSelector('[data-testid="alert-total"]');
    expect(await page.getByTestId('alert-total').innerText()).toBe(String(res.total));
    const perRule = new Map<string, number>();
    for (const g of res.groups) perRule.set(g.rule, (perRule.get(g.rule) ?? 0) + g.count);
    for (const [rule, n] of perRule) expect(await page.getByTestId(`alert-count-${rule}`).innerText(), rule).toBe(String(n));
    // 钱小明, distributed 08-01 and never contacted, is a not_contacted alert of 南关区.
    expect(perRule.get('not_contacted')).toBe(1);
  });

  it('links a dispatch order awaiting a reply to the dispatch orders, filtered', async () => {
    const made = await province.fetch('/api/dispatch', {
      method: 'POST',
      body: JSON.stringify({ countyCode: '220102', dueDate: '2022-08-15', title: '请加快联系', metric: 'contactRate' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(made.status).toBe(201);
    await page.goto(`${server.url}/`);
    await page.waitForSelector('[data-testid="todo-dispatch_awaiting"][data-count="1"]');
    await page.getByTestId('todo-link-dispatch_awaiting').click();
    await page.waitForURL((u) => u.pathname === '/alerts' && u.searchParams.get('tab') === 'dispatch' && u.searchParams.get('awaiting') === '1');
    expect(await page.getByTestId('dispatch-awaiting').isChecked()).toBe(true);
    await page.getByText('请加快联系').first().waitFor();
  });

  it('keeps every date picker on the campaign: defaults to its day, refuses a day outside it, carries the chosen day', async () => {
    await page.goto(`${server.url}/r/220102`);
    const asof = page.getByTestId('asof');
    await asof.waitFor();
    expect(await asof.inputValue()).toBe(D);
    expect(await asof.getAttribute('min')).toBe('2022-07-01');
    expect(await asof.getAttribute('max')).toBe(D);
    await asof.fill('2022-06-15');
    await asof.dispatchEvent('change');
    await page.getByTestId('asof-problem').getByText('攻坚行动期间').waitFor();
    expect(new URL(page.url()).searchParams.get('asOf')).toBeNull();
    // The cases page: the same default and bounds.
    await page.goto(`${server.url}/r/220102/cases`);
    await page.waitForSelector('[data-testid="asof"]');
    expect(await page.getByTestId('asof').inputValue()).toBe(D);
    expect(await page.getByTestId('asof').getAttribute('max')).toBe(D);
    // A day in the URL outside the campaign is refused and said so on the home page.
    await page.goto(`${server.url}/?asOf=2021-03-01`);
    await page.getByTestId('home-refused').waitFor();
    expect(await page.getByTestId('asof').inputValue()).toBe(D);
    // Chosen on the home page, the day travels: home → workbench → case list.
    await page.goto(`${server.url}/`);
    await page.getByTestId('asof').fill('2022-08-05');
    await page.getByTestId('asof').dispatchEvent('change');
    await page.waitForURL((u) => u.searchParams.get('asOf') === '2022-08-05');
    await page.getByTestId('home-workbench').click();
    await page.waitForURL((u) => u.pathname === '/r/220102' && u.searchParams.get('asOf') === '2022-08-05');
    await page.getByTestId('open-cases').click();
    await page.waitForURL((u) => u.pathname === '/r/220102/cases' && u.searchParams.get('asOf') === '2022-08-05');
    expect(await page.getByTestId('asof').inputValue()).toBe('2022-08-05');
  });
});

describe('a unit user’s home', () => {
  it('shows only their counties', async () => {
    const page = await newPage('t-unit-220100', pw('unit'));
    await page.waitForSelector('[data-testid="region-home"][data-code="220100"] [data-testid="todo-no_contact"]');
    // 钱小明 (南关区) and 周小明 (宽城区) are theirs; 吴小明 (吉林市昌邑区) is not.
    await page.getByTestId('todo-link-no_contact-220102').waitFor();
    await page.getByTestId('todo-link-no_contact-220103').waitFor();
    expect(await page.getByTestId('todo-link-no_contact-220202').count()).toBe(0);
    const hrefs = await page.locator('[data-testid^="todo-link-"], [data-testid^="lagging-"] a').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs.filter((x) => x.startsWith('/r/'))) expect(h).toMatch(/^\/r\/2201\d\d/);
    expect(await page.getByTestId('todo-no_contact').getAttribute('data-count')).toBe('2');
  });
});

describe('the reports page', () => {
  it('proposes the campaign’s day for the dispatch list, not the real today, and the day carried in the URL', async () => {
    const page = await newPage('t-province-all', pw('province'));
    await page.goto(`${server.url}/reports`);
    await page.getByTestId('dispatch-date').waitFor();
    expect(await page.getByTestId('dispatch-date').inputValue()).toBe(D);
    expect(await page.getByTestId('dispatch-date').getAttribute('max')).toBe(D);
    await page.getByTestId('dispatch-date').fill('2023-01-05');
    await page.getByTestId('dispatch-problem').waitFor();
    await page.goto(`${server.url}/?asOf=2022-08-03`);
    await page.getByTestId('nav-workbench').waitFor();
    await page.locator('nav a[href^="/reports"]').click();
    await page.waitForURL((u) => u.pathname === '/reports' && u.searchParams.get('asOf') === '2022-08-03');
    await page.getByTestId('dispatch-date').waitFor();
    expect(await page.getByTestId('dispatch-date').inputValue()).toBe('2022-08-03');
    // The server refuses a day outside the campaign too.
    expect((await province.fetch('/api/reports/dispatch.xlsx?date=2023-01-05')).status).toBe(400);
  });
});

describe('the admin’s home', () => {
  it('shows the jobs, the last loads with rejects, the data directory and what is not configured; the checklist ticks itself', async () => {
    const page = await newPage('admin', TEST_ADMIN_PASSWORD);
    await page.waitForSelector('[data-testid="admin-home"]');
    await page.waitForSelector('[data-testid="admin-jobs"] tbody tr');
    await page.waitForSelector('[data-testid="admin-runs"] tbody tr');
    // The data directory's size from GET /api/admin/storage.
    const storage = (await (await server.fetch('/api/admin/storage')).json()) as { totalBytes: number };
    expect(storage.totalBytes).toBeGreaterThan(0);
    expect(await page.getByTestId('storage-total').innerText()).toMatch(/^\d+(\.\d)? (B|KB|MB|GB|TB)$/);
    // Users were added and real ledgers loaded; the admin password and the channels are still to do; DEMO=off with no demo data.
    await page.getByTestId('missing-admin_password').waitFor();
    await page.getByTestId('missing-channels').waitFor();
    expect(await page.getByTestId('missing-users').count()).toBe(0);
    expect(await page.getByTestId('missing-ledgers').count()).toBe(0);
    await page.getByTestId('setup-link').click();
    await page.waitForURL(/\/setup$/);
    const step = (k: string) => page.getByTestId(`setup-step-${k}`);
    await step('users').waitFor();
    expect(await step('users').getAttribute('data-done')).toBe('1');
    expect(await step('ledgers').getAttribute('data-done')).toBe('1');
    expect(await step('demo_off').getAttribute('data-done')).toBe('1');
    expect(await step('admin_password').getAttribute('data-done')).toBe('0');
    expect(await step('channels').getAttribute('data-done')).toBe('0');
    // Done elsewhere, ticked here.
    const put = await server.fetch('/api/liaisons', {
      method: 'PUT',
      body: JSON.stringify({ regionCode: '220102', name: '王丽', wecomWebhook: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(put.status, await put.clone().text()).toBeLessThan(300);
    await page.getByRole('button', { name: '立即检查' }).click();
    await page.waitForSelector('[data-testid="setup-step-channels"][data-done="1"]');
    expect(await step('admin_password').getAttribute('data-done')).toBe('0');
    // The last step: a new admin password (which signs the admin out everywhere); signed in again, the home says all is done.
    const pwd = await server.fetch('/api/admin/users/admin/password', {
      method: 'POST', body: JSON.stringify({ password: 'Second-Chief-Pass-2022' }), headers: { 'Content-Type': 'application/json' },
    });
    expect(pwd.status, await pwd.clone().text()).toBeLessThan(300);
    const again = await newPage('admin', 'Second-Chief-Pass-2022');
    await again.getByTestId('setup-complete').waitFor();
    expect(await again.getByTestId('setup-link').count()).toBe(0);
  });

  it('logs no errors', () => {
    expect(errors).toEqual([]);
  });
});
