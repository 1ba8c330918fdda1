// The bureau workbench in headless Chromium against the real app and a loaded
// demo campaign: drill down province → unit → county → case list → person with
// the keyboard and the mouse, filters and page kept in the URL through back and
// forward, an Excel export equal to the page, a county user kept to their own
// county (UI and API), the reveal with its audit entry, the rejects view, and
// sign-in → drill → sign-out.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signInThroughPage } from '../helpers/browser';
import { loadDemo, startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '../helpers/server';
import { ledgerCsv, pid } from '../helpers/ledger-fixtures';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { budget } from '../helpers/budget';
import type { StorageReport } from '../../backend/src/housekeeping/housekeeping.types';

let server: TestServer;
let browser: Browser;
let badRun = 0;
const errors: string[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-e2e-'));

function watch(p: Page, label: string): Page {
  p.on('console', (m) => {
    // The browser logs every refused request; a 401 after signing out is the expected answer.
    if (m.type() === 'error' && !/Failed to load resource: .*status of 401/.test(m.text())) errors.push(`${label} console: ${m.text()}`);
  });
  p.on('pageerror', (e) => errors.push(`${label} page: ${e.message}`));
  p.on('response', (r) => {
    if (r.status() >= 500) errors.push(`${label} ${r.status()}: ${r.url()}`);
  });
  return p;
}

async function newPage(user: string, password: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const p = watch(await ctx.newPage(), user);
  await signInThroughPage(p, server.url, user, password);
  return p;
}

const crumbs = (p: Page): Promise<string[]> => p.getByTestId('breadcrumbs').locator('li').allInnerTexts();
const linkedCrumbs = (p: Page): Promise<string[]> => p.getByTestId('breadcrumbs').locator('a').allInnerTexts();
const names = (p: Page): Promise<string[]> => p.locator('[data-testid="cases-table"] tbody [data-testid="person-link"]').allInnerTexts();

async function casesReady(p: Page): Promise<void> {
  await p.waitForSelector('[data-testid="cases-table"] tbody tr, [data-testid="empty-state"]');
  await p.waitForFunction(() => !document.querySelector('[data-testid="cases-table"]')?.closest('[aria-busy="true"]'));
}

beforeAll(async () => {
  server = await startTestServer();
  await loadDemo(server, 2000, 2022, { care: true });
  // One more load with a rejected row naming 南关区, for the freshness panel and the rejects view.
  const file = ledgerCsv(tmp, 'ledger-bad.csv', [
    { id: pid(901), name: '测试甲', received: '2022-12-30', county: '220102', category: '有就业意愿', status: '未就业', updated: '2022-12-30 10:00:00' },
    { id: `${pid(902).slice(0, 17)}${pid(902).endsWith('0') ? '1' : '0'}`, name: '测试乙', received: '2022-12-30', county: '220102', updated: '2022-12-30 10:00:00' },
  ]);
  const summary = await server.app.get(IngestService).loadFiles([file], { source: 'cli' });
  expect(summary.rejected).toBe(1);
  badRun = (await (await server.fetch('/api/ingest/runs?limit=1')).json() as Array<{ runId: number }>)[0]!.runId;
  await server.as('province');
  await server.as('county', '220102');
  browser = await launchBrowser();
}, budget(180_000));

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('workbench drill-down as the admin', () => {
  let page: Page;
  let firstPageNames: string[] = [];
  let filteredUrl = '';

  it('opens the province from the nav with the data time, the demo badge and every unit', async () => {
    page = await newPage('admin', TEST_ADMIN_PASSWORD);
    await page.getByTestId('nav-workbench').click();
    await page.waitForURL(/\/r\/220000$/);
    await page.waitForSelector('[data-testid="children-table"] tbody tr');
    expect(await crumbs(page)).toEqual(['吉林省']);
    await expect.poll(() => page.getByTestId('data-time').first().innerText()).toMatch(/数据截至 2022-12-3\d \d\d:\d\d/);
    await page.getByTestId('demo-badge').first().waitFor();
    expect(await page.locator('[data-testid="children-table"] tbody tr').count()).toBe(11);
    // The trend chart is drawn from its option builder.
    await page.waitForFunction(() => (document.querySelector('[data-chart="region-trend"] canvas') as HTMLCanvasElement | null)?.width);
  });

  it('sorts the children table from the keyboard (Enter and Space on a header)', async () => {
    const header = page.locator('[data-testid="children-table"] th[data-col="contactRate"]');
    await header.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    const rates = async () =>
      (await page.locator('[data-testid="children-table"] tbody tr td:nth-child(3) .v').allInnerTexts()).map((s) => Number.parseFloat(s));
    const asc = await rates();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await page.keyboard.press(' ');
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    const desc = await rates();
    expect(desc).toEqual([...asc].sort((a, b) => b - a));
    expect(page.url()).toMatch(/sort=contactRate&order=desc/);
  });

  it('drills to a unit with the mouse and to a county with the keyboard', async () => {
    await page.locator('[data-testid="children-table"] tbody tr[data-code="220100"] a').click();
    await page.waitForURL(/\/r\/220100$/);
    await page.waitForSelector('[data-testid="children-table"] tbody tr[data-code="220102"]');
    expect(await crumbs(page)).toEqual(['吉林省', '长春市']);
    // Recruitment compliance: a unit's weeks and months.
    await page.waitForSelector('[data-testid="recruitment-calendar"] tbody tr[data-unit="220100"] td[data-status]');
    // The children table exports (server-built) with the same regions and a total row.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('section:has(#children-title) [data-testid="export"]').click()]);
    const file = path.join(tmp, 'children.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    const shown = await page.locator('[data-testid="children-table"] tbody th').allInnerTexts();
    const exported: string[] = [];
    for (let r = 4; r <= ws.rowCount; r++) exported.push(String(ws.getRow(r).getCell(1).value));
    expect(exported.slice(0, -1).sort()).toEqual([...shown].sort());
    expect(exported.at(-1)).toBe('长春市（合计）');
    const first = page.locator('[data-testid="children-table"] tbody tr').first();
    await first.focus();
    const codes = await page.locator('[data-testid="children-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
    for (let i = 0; i < codes.indexOf('220102'); i++) await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-code'))).toBe('220102');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/r\/220102$/);
    expect(await crumbs(page)).toEqual(['吉林省', '长春市', '南关区']);
    expect(await linkedCrumbs(page)).toEqual(['吉林省', '长春市']);
    // The county's 1311 components come from its case list.
    await page.waitForSelector('[data-testid="components-1311"] tr[data-component="就业见习"]');
  });

  it('lists the persons of the county, pages and filters them with the state in the URL', async () => {
    await page.getByTestId('open-cases').click();
    await page.waitForURL(/\/r\/220102\/cases$/);
    await casesReady(page);
    expect(await crumbs(page)).toEqual(['吉林省', '长春市', '南关区', '人员名单']);
    const all = (await (await server.fetch('/api/cases?county=220102&limit=1')).json()) as { total: number };
    expect(all.total).toBeGreaterThan(20);
    await expect.poll(() => page.getByTestId('range').innerText()).toContain(`共 ${all.total.toLocaleString('en-US')} 人`);
    await page.getByTestId('next-page').click();
    await page.waitForURL(/\/r\/220102\/cases\?page=2$/);
    await casesReady(page);
    await expect.poll(() => page.getByTestId('page-info').innerText()).toMatch(/^第 2 \//);
    // 缺少服务 offers the campaign's 1311 components as the server configures them (GET /api/campaign).
    const campaign = (await (await server.fetch('/api/campaign')).json()) as { rule1311: Array<{ type: string }> };
    expect(campaign.rule1311.map((c) => c.type)).toEqual(['职业指导', '岗位推介', '技能培训', '就业见习']);
    await expect.poll(() => page.locator('select[name="missing"] option').allInnerTexts()).toEqual(['不限', ...campaign.rule1311.map((c) => c.type)]);

    await page.locator('select[name="contacted"]').selectOption('no');
    await page.waitForURL(/\/r\/220102\/cases\?contacted=no$/);
    await casesReady(page);
    const api = (await (await server.fetch('/api/cases?county=220102&contacted=no&sort=received&order=desc&limit=20')).json()) as { total: number; rows: Array<{ name: string }> };
    expect(api.total).toBeGreaterThan(0);
    await expect.poll(() => names(page)).toEqual(api.rows.map((r) => r.name));
    firstPageNames = await names(page);
    // Every row says why it is listed, and masked data only.
    for (const r of await page.locator('[data-testid="cases-table"] tbody [data-testid="reasons"]').allInnerTexts()) expect(r).toContain('未联系');
    for (const id of await page.locator('[data-testid="cases-table"] tbody td:nth-of-type(1)').allInnerTexts()) expect(id).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    filteredUrl = page.url();
  });

  it('exports the list to Excel with the rows the page shows, in the same order', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    expect(download.suggestedFilename()).toMatch(/^南关区人员名单-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const file = path.join(tmp, 'cases.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(3).getCell(1).value).toBe('姓名');
    const exported: string[] = [];
    for (let r = 4; r <= ws.rowCount; r++) exported.push(String(ws.getRow(r).getCell(1).value));
    expect(exported.slice(0, firstPageNames.length)).toEqual(firstPageNames);
    expect(String(ws.getRow(2).getCell(1).value)).toContain('个人信息已脱敏');
  });

  it('opens a person with every version and a timeline; back twice returns to the filtered list, forward again', async () => {
    const first = page.locator('[data-testid="cases-table"] tbody tr').first();
    await first.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/p\/[0-9a-f-]{36}$/);
    await page.waitForSelector('[data-testid="versions-table"] tbody tr');
    expect(await crumbs(page)).toEqual(['吉林省', '长春市', '南关区', '人员名单', firstPageNames[0]]);
    // The 人员名单 crumb leads back to the list with its filters.
    expect(await page.getByTestId('breadcrumbs').getByRole('link', { name: '人员名单' }).getAttribute('href')).toBe('/r/220102/cases?contacted=no');
    await page.getByTestId('timeline').locator('li').first().waitFor();
    // Deeper: the ingest run a version came from.
    await page.locator('[data-testid="versions-table"] a').first().click();
    await page.waitForURL(/\/ingest\/runs\/\d+$/);
    await page.getByTestId('rejects-page').getByRole('heading', { name: /导入批次 #\d+/ }).waitFor();

    await page.goBack();
    await page.waitForURL(/\/p\/[0-9a-f-]{36}$/);
    await page.goBack();
    await page.waitForURL(filteredUrl);
    await casesReady(page);
    expect(await page.locator('select[name="contacted"]').inputValue()).toBe('no');
    await expect.poll(() => names(page)).toEqual(firstPageNames);

    await page.goBack();
    await page.waitForURL(/\/r\/220102\/cases\?page=2$/);
    await casesReady(page);
    expect(await page.locator('select[name="contacted"]').inputValue()).toBe('');
    await expect.poll(() => page.getByTestId('page-info').innerText()).toMatch(/^第 2 \//);

    await page.goForward();
    await page.waitForURL(filteredUrl);
    await casesReady(page);
    expect(await page.locator('select[name="contacted"]').inputValue()).toBe('no');
    await expect.poll(() => names(page)).toEqual(firstPageNames);
  });

  it("shows a hardship person's plan panel (specialist, cadence, next visit) and the region's rights and checklist sections", async () => {
    await page.goto(`${server.url}/r/220102/cases?hardship=yes&visitOverdue=1`);
    await casesReady(page);
    expect(await page.locator('input[name="visitOverdue"]').isChecked()).toBe(true);
    const rows = page.locator('[data-testid="cases-table"] tbody [data-testid="person-link"]');
    if ((await rows.count()) === 0) await page.goto(`${server.url}/r/220102/cases?hardship=yes`);
    await casesReady(page);
    await page.locator('[data-testid="cases-table"] tbody [data-testid="person-link"]').first().click();
    await page.waitForURL(/\/p\/[0-9a-f-]{36}$/);
    await page.getByTestId('plan-panel').waitFor();
    await page.waitForSelector('[data-testid="plan-next"], [data-testid="plan-none"]');
    const key = page.url().split('/p/')[1]!;
    const plan = (await (await server.fetch(`/api/care/persons/${key}/plan`)).json()) as { current: { specialist: string } | null; overdueDays: number };
    if (plan.current) {
      expect(await page.getByTestId('plan-specialist').innerText()).toBe(plan.current.specialist);
      expect(await page.getByTestId('plan-cadence').innerText()).toMatch(/^每 \d+ 天/);
      expect(await page.getByTestId('plan-next').innerText()).toMatch(plan.overdueDays > 0 ? new RegExp(`逾期 ${plan.overdueDays} 天`) : /下次回访|无需回访/);
    }
    await page.goto(`${server.url}/r/220000`);
    await page.getByTestId('rights-section').waitFor();
    await page.waitForSelector('[data-testid="checklist-table"] tbody tr');
    expect(await page.locator('[data-testid="checklist-table"] tbody tr').count()).toBe(11);
    await page.getByTestId('stories-section').waitFor();
  });

  it('shows rejected rows per county and their reasons, masked', async () => {
    await page.goto(`${server.url}/r/220102`);
    const link = page.locator(`[data-testid="freshness-table"] tr[data-code="220102"] a[href="/ingest/runs/${badRun}"]`).last();
    await link.waitFor();
    expect(Number(await link.innerText())).toBeGreaterThanOrEqual(1);
    await link.click();
    await page.waitForURL(new RegExp(`/ingest/runs/${badRun}$`));
    const row = page.locator('[data-testid="rejects-table"] tbody tr').first();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/身份证/);
    expect(await page.getByTestId('rejects-table').innerText()).not.toContain(pid(902).slice(6, 14));
  });
});

describe('a county user', () => {
  let page: Page;

  it('is sent from the province page to their own county, where regions above are plain text', async () => {
    page = await newPage('t-county-220102', 'Pw-county-2022-x9Q');
    await page.goto(`${server.url}/r/220000`);
    await page.waitForURL(/\/r\/220102$/);
    await page.waitForSelector('[data-testid="metric-cards"]');
    expect(await crumbs(page)).toEqual(['吉林省', '长春市', '南关区']);
    expect(await linkedCrumbs(page)).toEqual([]);
  });

  it("cannot open another county's case list: the page says 无权访问 and the API answers 403", async () => {
    await page.goto(`${server.url}/r/220103/cases`);
    await page.getByTestId('forbidden').getByText('无权访问').waitFor();
    expect(await page.locator('[data-testid="cases-table"]').count()).toBe(0);
    const res = await page.request.get(`${server.url}/api/cases?county=220103`);
    expect(res.status()).toBe(403);
    const own = await page.request.get(`${server.url}/api/cases?county=220102&limit=1`);
    expect(own.status()).toBe(200);
  });

  it('reveals a person after confirming, and the reveal is audit-logged', async () => {
    await page.goto(`${server.url}/r/220102/cases`);
    await casesReady(page);
    await page.locator('[data-testid="cases-table"] [data-testid="person-link"]').first().click();
    await page.waitForURL(/\/p\/([0-9a-f-]{36})$/);
    const key = /\/p\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    expect(await page.getByTestId('id-number').innerText()).toContain('*');
    await page.getByTestId('reveal').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('查看完整个人信息将记入审计日志，确定查看？').waitFor();
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => page.getByTestId('id-number').innerText()).toMatch(/^\d{17}[\dX]$/);
    const audit = (await (await server.fetch('/api/admin/audit?action=reveal&username=t-county-220102')).json()) as { rows: Array<{ target: string }> };
    expect(audit.rows.some((r) => r.target === key)).toBe(true);
    // Leaving the page forgets the plaintext.
    await page.goBack();
    await page.goForward();
    await expect.poll(() => page.getByTestId('id-number').innerText()).toContain('*');
  });
});

describe('the data directory’s size for the admin', () => {
  it('系统管理 → 存储空间 lists every part of the storage report and its total', async () => {
    const p = await newPage('admin', TEST_ADMIN_PASSWORD);
    await p.goto(`${server.url}/admin?tab=storage`);
    await p.locator('[data-testid="storage"] tr[data-part="clickhouse"]').waitFor();
    const rep = (await (await server.fetch('/api/admin/storage')).json()) as StorageReport;
    expect(await p.locator('[data-testid="storage"] tbody tr').count()).toBe(rep.parts.length);
    const text = await p.getByTestId('storage').innerText();
    expect(text).toContain(rep.dataDir);
    expect(text).toContain('数据库（台账、指标、预警等）');
    await p.context().close();
  });
});

describe('sign-in → drill → sign-out as a province user', () => {
  it('works, and protected pages then send to the login page', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = watch(await ctx.newPage(), 'province');
    try {
      await p.goto(`${server.url}/r/220200`);
      await p.waitForURL(/\/login\?next=/);
      await p.getByLabel('用户名').fill('t-province-all');
      await p.getByLabel('密码').fill('Pw-province-2022-x9Q');
      await p.getByRole('button', { name: '登录' }).click();
      await p.waitForURL(/\/r\/220200$/);
      await p.locator('[data-testid="children-table"] tbody tr a').first().click();
      await p.waitForURL(/\/r\/2202\d\d$/);
      await p.waitForSelector('[data-testid="metric-cards"]');
      await p.getByTestId('logout').click();
      await p.waitForURL(/\/login/);
      await p.goto(`${server.url}/r/220200`);
      await p.waitForURL(/\/login\?next=/);
      await p.goto(`${server.url}/r/220102/cases?contacted=no`);
      await p.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/r/220102/cases?contacted=no');
    } finally {
      await ctx.close();
    }
  });

  it('logs no errors in any page', () => {
    expect(errors).toEqual([]);
  });
});
