// The pocket workbench in a real Chromium at 390 × 844 (isMobile, hasTouch):
// a county clerk opens the link of a real IM notice (a webhook channel
// receives it), signs in, lands on the alert centre filtered as the link
// says, opens the alert and its people (cards), acknowledges it; opens the
// dispatch order's notice link and replies; and the case list and the person
// page. On every page: no horizontal scrolling, every visible button, link
// and input at least 44 px tall, and cards that fit the screen and show
// each value with its label. The desk layout stays a table.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AlertsService } from '../../backend/src/alerts/alerts.service';
import { endOfDay } from '../../backend/src/alerts/alerts.rules';
import { NotifyService } from '../../backend/src/alerts/notify/notify.service';
import { parseQuietHours } from '../../backend/src/alerts/notify/notify.settings';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { launchBrowser } from '../helpers/browser';
import { startTestServer, type Session, type TestServer } from '../helpers/server';
import { ledgerCsv, pid, serviceCsv } from '../helpers/ledger-fixtures';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;
const COUNTY = '220102';
const COUNTY_USER = `t-county-${COUNTY}`;
const COUNTY_PASSWORD = 'Pw-county-2022-x9Q';
const EVAL_DAY = '2022-09-20';
const NAMES = ['张晓丰', '李明远', '王佳怡', '赵思琪', '刘浩然', '陈雨桐', '杨子轩', '黄一诺', '周梓涵', '吴俊熙'];

let server: TestServer;
let browser: Browser;
let province: Session;
const hooks: Array<{ rule: string; event: string; link: string; title: string }> = [];
let hook: http.Server;
const errors: string[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'i18-pocket-'));
const contexts: BrowserContext[] = [];

/** The notice's link on this test server (PUBLIC_URL's origin would be the bureau's address; the path and query are the link). */
function onServer(link: string): string {
  const u = new URL(link);
  return `${server.url}${u.pathname}${u.search}`;
}

async function phonePage(): Promise<Page> {
  const ctx = await browser.newContext(PHONE);
  contexts.push(ctx);
  const p = await ctx.newPage();
  p.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  p.on('response', (r) => {
    if (r.status() >= 500) errors.push(`${r.status()}: ${r.url()}`);
  });
  return p;
}

interface Layout {
  scrollWidth: number;
  innerWidth: number;
  small: string[];
  targets: number;
}

/** Page width against the screen, and every visible tap target shorter than 44 px. */
function layout(p: Page): Promise<Layout> {
  return p.evaluate(() => {
    const small: string[] = [];
    let targets = 0;
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('button, a[href], input:not([type="hidden"]), select, textarea, [role="tab"]'))) {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || s.display === 'none') continue;
      // Column heads of a table drawn as cards are clipped to 1 px (kept for screen readers only).
      const clip = el.closest('thead');
      if (clip && clip.getBoundingClientRect().width <= 1) continue;
      targets++;
      if (r.height < 43.5) small.push(`${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} "${(el.textContent ?? '').trim().slice(0, 20) || el.getAttribute('aria-label') || el.getAttribute('name') || ''}" ${Math.round(r.height)}px`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, small, targets };
  });
}

async function expectPocket(p: Page, where: string): Promise<void> {
  // E2E_SHOTS_DIR=/tmp/x keeps a capture (the first screen) of each checked page, to look at.
  if (process.env.E2E_SHOTS_DIR) await p.screenshot({ path: path.join(process.env.E2E_SHOTS_DIR, `pocket-${where.replace(/\s+/g, '-')}.png`) });
  const l = await layout(p);
  expect(l.innerWidth, where).toBe(390);
  expect(l.scrollWidth, `${where}: page wider than the screen`).toBeLessThanOrEqual(l.innerWidth);
  expect(l.targets, where).toBeGreaterThan(0);
  expect(l.small, `${where}: tap targets under 44 px`).toEqual([]);
}

/** Cards: each fits the screen, is laid out as a block, and shows values under their labels at a readable size. */
async function expectCards(p: Page, rowSelector: string, where: string, labels: string[]): Promise<void> {
  const cards = await p.locator(rowSelector).evaluateAll((rows, want) => rows.map((row) => {
    const r = row.getBoundingClientRect();
    const cells = Array.from(row.querySelectorAll<HTMLElement>('td[data-label]'));
    return {
      display: getComputedStyle(row).display,
      left: r.left,
      right: r.right,
      labels: cells.map((c) => getComputedStyle(c, '::before').content.replace(/^"|"$/g, '')),
      fontSize: Math.min(...cells.map((c) => parseFloat(getComputedStyle(c).fontSize))),
      text: (row as HTMLElement).innerText,
      want,
    };
  }), labels);
  expect(cards.length, where).toBeGreaterThan(0);
  for (const c of cards) {
    expect(c.display, where).toBe('block');
    expect(c.left, where).toBeGreaterThanOrEqual(0);
    expect(c.right, where).toBeLessThanOrEqual(390);
    for (const l of labels) expect(c.labels, where).toContain(l);
    expect(c.fontSize, where).toBeGreaterThanOrEqual(13);
    // A value beside each label: no empty card.
    expect(c.text.trim().length, where).toBeGreaterThan(0);
  }
}

async function signInHere(p: Page): Promise<void> {
  await p.getByLabel('用户名').fill(COUNTY_USER);
  await p.getByLabel('密码').fill(COUNTY_PASSWORD);
  await p.getByRole('button', { name: '登录' }).tap();
  await p.waitForURL((u) => !u.pathname.startsWith('/login'));
}

async function waitForHooks(n: number): Promise<void> {
  for (let i = 0; i < 100 && hooks.length < n; i++) await new Promise((r) => setTimeout(r, 100));
}

beforeAll(async () => {
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const b = JSON.parse(body) as { rule: string; event: string; link: string; title: string };
      hooks.push({ rule: b.rule, event: b.event, link: b.link, title: b.title });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;

  server = await startTestServer();
  const notify = server.app.get(NotifyService);
  notify.settings = { ...notify.settings, quiet: parseQuietHours('off'), retryBaseMs: 0 };
  // Ten persons distributed to 南关区 on 1 September; two contacted, eight not (not_contacted after 7 days); one corrected once.
  const persons = NAMES.map((name, i) => ({
    id: pid(700 + i), name, received: '2022-09-01', county: COUNTY, category: i % 2 ? '有就业意愿' : '暂无就业意愿', hardship: i === 3 ? '零就业家庭' : '',
    status: '未就业', updated: '2022-09-01 08:00:00',
  }));
  const loaded = await server.app.get(IngestService).loadFiles([
    ledgerCsv(tmp, 'ledger.csv', persons),
    ledgerCsv(tmp, 'ledger-2.csv', [{ ...persons[1]!, status: '灵活就业', updated: '2022-09-12 09:30:00' }]),
    serviceCsv(tmp, 'services.csv', [
      { rid: 'S1', id: pid(700), time: '2022-09-02 10:00:00', type: '联系', result: '已联系', county: COUNTY },
      { rid: 'S2', id: pid(701), time: '2022-09-03 10:00:00', type: '职业指导', county: COUNTY },
    ]),
  ], { source: 'cli' });
  expect(loaded.failed).toBe(0);
  await server.as('county', COUNTY);
  province = await server.as('province');
  const put = await server.fetch('/api/alerts/channels', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ regionCode: COUNTY, kind: 'webhook', target: hookUrl }) });
  expect(put.status, await put.clone().text()).toBeLessThan(300);
  const r = await server.app.get(AlertsService).evaluate(endOfDay(EVAL_DAY), { flush: true });
  expect(r.counts.not_contacted).toBe(8);
  await waitForHooks(1);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  await new Promise<void>((r) => hook.close(() => r()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the pocket workbench at 390 × 844', () => {
  let page: Page;
  let alertId = '';
  let orderId = '';

  it('an IM notice’s link goes through the login page and lands on the alerts it names', async () => {
    const notice = hooks.find((h) => h.rule === 'not_contacted');
    expect(notice, JSON.stringify(hooks)).toBeDefined();
    expect(new URL(notice!.link).pathname).toBe('/alerts');
    page = await phonePage();
    await page.goto(onServer(notice!.link));
    await page.waitForURL((u) => u.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/alerts?rule=not_contacted&region=${COUNTY}`);
    await page.getByLabel('用户名').waitFor();
    await expectPocket(page, 'login');
    await signInHere(page);
    const u = new URL(page.url());
    expect(u.pathname).toBe('/alerts');
    expect(u.searchParams.get('rule')).toBe('not_contacted');
    expect(u.searchParams.get('region')).toBe(COUNTY);
    await page.locator('[data-testid^="alert-row-"]').first().waitFor();
    expect(await page.getByTestId('filter-rule').inputValue()).toBe('not_contacted');
    expect(await page.locator('[data-testid^="alert-row-"]').count()).toBe(8);
    await expectPocket(page, 'alert centre');
    await expectCards(page, '[data-testid^="alert-row-"]', 'alert cards', ['地区', '对象', '状态', '持续']);
  });

  it('opens an alert by tapping its card: the detail takes the screen, its people are cards', async () => {
    const card = page.locator('[data-testid^="alert-row-"]').first();
    alertId = ((await card.getAttribute('data-testid')) ?? '').replace('alert-row-', '');
    await card.tap();
    await page.waitForURL((u) => u.searchParams.get('id') === alertId);
    await page.getByTestId('alert-people').waitFor();
    // The list gives the screen to the detail.
    expect(await card.isVisible()).toBe(false);
    await expectPocket(page, 'alert detail');
    await expectCards(page, '[data-testid="alert-people"] tbody tr', 'people cards', ['姓名', '身份证号', '接收']);
    const person = await page.getByTestId('alert-people').locator('tbody tr').first().innerText();
    // Masked, never the full name or ID number.
    expect(person).toMatch(/\*/);
    expect(NAMES.some((n) => person.includes(n))).toBe(false);
  });

  it('acknowledges it with a note', async () => {
    await page.getByPlaceholder('例如：已安排专人电话联系').fill('已安排专人电话联系');
    await page.getByTestId('ack').tap();
    await page.getByRole('status').filter({ hasText: '已确认' }).waitFor();
    const a = (await (await server.fetch(`/api/alerts/${alertId}`)).json()) as { state: string; ackBy: string; ackNote: string };
    expect(a).toMatchObject({ state: 'acknowledged', ackBy: COUNTY_USER, ackNote: '已安排专人电话联系' });
    await expectPocket(page, 'acknowledged');
    // × goes back to the list.
    await page.getByRole('button', { name: '关闭详情' }).tap();
    await page.locator('[data-testid^="alert-row-"]').first().waitFor();
    expect(new URL(page.url()).searchParams.get('id')).toBeNull();
  });

  it('a dispatch order’s notice link lands on the order after login, and the county replies', async () => {
    const before = hooks.length;
    const res = await province.fetch('/api/dispatch', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ countyCode: COUNTY, dueDate: '2022-09-25', title: '关于南关区未联系人员的督办', content: '请三日内全部联系到位', alertId }),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    orderId = ((await res.json()) as { id: string }).id;
    await server.app.get(NotifyService).flush();
    await waitForHooks(before + 1);
    const notice = hooks.slice(before).find((h) => h.link.includes(orderId));
    expect(notice, JSON.stringify(hooks.slice(before))).toBeDefined();
    const p = await phonePage();
    await p.goto(onServer(notice!.link));
    await p.waitForURL((u) => u.pathname === '/login');
    await signInHere(p);
    const u = new URL(p.url());
    expect(u.pathname).toBe('/alerts');
    expect(u.searchParams.get('tab')).toBe('dispatch');
    expect(u.searchParams.get('order')).toBe(orderId);
    await p.getByTestId('order-detail').waitFor();
    expect(await p.getByTestId('order-detail').innerText()).toContain('请三日内全部联系到位');
    await expectPocket(p, 'dispatch order');
    await p.getByLabel('回复', { exact: true }).fill('已全部电话联系，台账今日更新');
    await p.getByLabel('办理状态').selectOption('done');
    await p.getByTestId('reply').tap();
    await p.getByTestId('order-detail').getByText('已全部电话联系，台账今日更新').waitFor();
    const o = (await (await server.fetch(`/api/dispatch/${orderId}`)).json()) as { status: string };
    expect(o.status).toBe('done');
    await expectPocket(p, 'dispatch replied');
    await p.getByRole('button', { name: '关闭' }).tap();
    await p.getByTestId(`order-${orderId}`).waitFor();
    await expectPocket(p, 'dispatch list');
  });

  it('the case list: one card per person with every column labelled', async () => {
    await page.goto(`${server.url}/r/${COUNTY}/cases?asOf=${EVAL_DAY}`);
    await page.locator('[data-testid="cases-table"] tbody tr').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="cases-table"]')?.closest('[aria-busy="true"]'));
    expect(await page.locator('[data-testid="cases-table"] tbody tr').count()).toBe(NAMES.length);
    await expectPocket(page, 'case list');
    await expectCards(page, '[data-testid="cases-table"] tbody tr', 'case cards', ['身份证号', '联系电话', '接收日期', '已联系', '待办原因']);
  });

  it('the person page: facts, versions as cards, the timeline', async () => {
    await page.locator('[data-testid="person-link"]').first().tap();
    await page.getByTestId('person-facts').waitFor();
    await page.getByTestId('versions-table').waitFor();
    await expectPocket(page, 'person');
    await expectCards(page, '[data-testid="versions-table"] tbody tr', 'version cards', ['更新时间', '来源']);
  });

  it('the county’s region page (reached from the nav) does not scroll sideways either: wide tables scroll inside their box', async () => {
    await page.goto(`${server.url}/r/${COUNTY}?asOf=${EVAL_DAY}`);
    await page.getByTestId('metric-cards').waitFor();
    const l = await layout(page);
    expect(l.scrollWidth).toBeLessThanOrEqual(l.innerWidth);
    expect(await page.getByTestId('rate-forecast').first().innerText()).toContain('年底预计');
  });

  it('the desk keeps its tables', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    contexts.push(ctx);
    await ctx.addCookies(await page.context().cookies());
    const desk = await ctx.newPage();
    await desk.goto(`${server.url}/r/${COUNTY}/cases?asOf=${EVAL_DAY}`);
    await desk.locator('[data-testid="cases-table"] tbody tr').first().waitFor();
    const shape = await desk.evaluate(() => {
      const t = document.querySelector('[data-testid="cases-table"]')!;
      return { thead: getComputedStyle(t.querySelector('thead')!).display, row: getComputedStyle(t.querySelector('tbody tr')!).display };
    });
    expect(shape).toEqual({ thead: 'table-header-group', row: 'table-row' });
    await desk.goto(`${server.url}/alerts?view=list`);
    await desk.locator('[data-testid^="alert-row-"]').first().waitFor();
    expect(await desk.locator('.al-table thead').evaluate((e) => getComputedStyle(e).display)).toBe('table-header-group');
  });

  it('no page error and no server error on the way', () => {
    expect(errors).toEqual([]);
  });
});
