// Campaign years side by side (issue 18), in headless Chromium against the
// built server as `npm start` runs it on an empty DATA_DIR: its demo carries
// two campaign years (2021 archived, 2022 current). The region page's 去年同期
// figures equal the API's previousYear; the header's year selector switches
// every figure to 2021 (the URL says so, links and back keep it); the wall
// honours ?campaign= and shows the year-over-year line and the overlay; no
// console errors on the way.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signedInContext } from '../helpers/browser';
import { ADMIN_PASSWORD, getJson, startServer, until, type ServerProc } from '../helpers/procs';
import { budget } from '../helpers/budget';
import type { CampaignsResponse, PreviousYear } from '../../backend/src/campaigns/campaigns.types';
import type { CampaignDay } from '../../backend/src/metrics/metrics.types';
import type { ScreenPayload, ScreenRateKey } from '../../backend/src/screen/screen.types';

const RATES: ScreenRateKey[] = ['contactRate', 'rate1311', 'employmentRate', 'hardshipOneOnOneRate', 'helpSlaRate'];
/** The wall's KPI tiles show these rates (help requests show as a count). */
const TILE_RATES: ScreenRateKey[] = ['contactRate', 'rate1311', 'employmentRate', 'hardshipOneOnOneRate'];

type Metrics = Record<ScreenRateKey, number | null> & { asOf: string; previousYear?: PreviousYear | null };

let server: ServerProc;
let browser: Browser;
const errors: string[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-e2e-'));
const api = <T>(p: string): Promise<T> => getJson<T>(server.admin, p);

/** As the page writes a fraction: 0.7123 → "71.2%". */
const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
/** As the page writes a difference: +3.4 / −1.2 个百分点, 持平. */
function points(d: number | null): string {
  if (d === null) return '';
  const p = Math.round(d * 1000) / 10;
  return p === 0 ? '持平' : `${p > 0 ? '+' : '−'}${Math.abs(p).toFixed(1)} 个百分点`;
}

function watch(p: Page): Page {
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  p.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  p.on('response', (r) => {
    if (r.status() >= 400 && r.url().includes('/api/')) errors.push(`${r.status()}: ${r.url()}`);
  });
  return p;
}

async function newPage(): Promise<Page> {
  const ctx = await signedInContext(browser, server.url, 'admin', ADMIN_PASSWORD, { viewport: { width: 1440, height: 900 } });
  return watch(await ctx.newPage());
}

/** The region page shows the figures of `asOf` (its data attribute follows what is drawn). */
async function regionShows(p: Page, code: string, asOf: string): Promise<void> {
  await p.waitForSelector(`[data-testid="region-page"][data-code="${code}"][data-asof="${asOf}"] [data-testid="metric-cards"]`);
}

const rateText = (p: Page, k: string): Promise<string> => p.locator(`[data-testid="metric-cards"] li[data-metric="${k}"] .r-value`).innerText();

beforeAll(async () => {
  // The real start of a newcomer: DEMO on, an empty data directory.
  server = await startServer(dataDir, { DEMO: 'on' });
  // The server serves once the first year is loaded; the other year's demo loads behind it.
  await until('both demo years loaded', () => (server.out().match(/demo campaign loaded/g)?.length ?? 0) >= 2 || null, server);
  browser = await launchBrowser();
}, budget(300_000));

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('campaign years in the workbench and on the wall', () => {
  let campaigns: CampaignsResponse;
  let page: Page;

  it('the demo carries two campaign years, the older archived', async () => {
    campaigns = await api<CampaignsResponse>('/api/campaigns');
    expect(campaigns.campaigns.map((c) => c.year)).toEqual([2021, 2022]);
    expect(campaigns.campaigns.map((c) => c.archived)).toEqual([true, false]);
    expect(campaigns.current).toBe(2022);
  });

  it('shows next to each rate of the region page last year\'s value on the same campaign day and the difference, as the API has them', async () => {
    const day = '2022-09-30';
    const m = await api<Metrics>(`/api/metrics/220100?asOf=${day}`);
    const py = m.previousYear;
    expect(py, 'GET /api/metrics/:code answers previousYear').toBeTruthy();
    expect(py!.campaign).toBe(2021);
    page = await newPage();
    await page.goto(`${server.url}/r/220100?asOf=${day}`);
    await regionShows(page, '220100', day);
    for (const k of RATES) {
      const card = page.locator(`[data-testid="metric-cards"] li[data-metric="${k}"]`);
      expect(await rateText(page, k)).toBe(pct(m[k]));
      const yoy = card.getByTestId('rate-yoy');
      expect(await yoy.getAttribute('data-campaign')).toBe('2021');
      expect(await yoy.getAttribute('data-raw')).toBe(py!.rates[k] === null ? '' : String(py!.rates[k]));
      expect(await yoy.getAttribute('data-diff')).toBe(py!.diff[k] === null ? '' : String(py!.diff[k]));
      expect(await yoy.getByTestId('yoy-value').innerText()).toBe(pct(py!.rates[k]));
      const diff = yoy.getByTestId('yoy-diff');
      if (py!.diff[k] === null) expect(await diff.count()).toBe(0);
      else expect(await diff.innerText()).toBe(points(py!.diff[k]));
    }
    // The trend overlays last year's same days.
    await page.waitForSelector('[data-chart="region-trend"][data-previous="2021"] canvas');
    // Last year's figures are the 2021 campaign's own on that day.
    const then = await api<Metrics>(`/api/metrics/220100?campaign=2021&asOf=${py!.asOf}`);
    for (const k of RATES) expect(py!.rates[k]).toBe(then[k]);
  });

  it('switches every figure to 2021 from the header\'s year selector, keeps the year through links and back, and returns to the current year', async () => {
    await page.goto(`${server.url}/r/220100`);
    const now = await api<CampaignDay>('/api/campaign');
    await regionShows(page, '220100', now.day);
    const select = page.getByTestId('campaign-select');
    expect(await select.locator('option').allInnerTexts()).toEqual(['2021年 已归档（只读）', '2022年（当前）']);
    expect(await select.inputValue()).toBe('2022');

    // From the keyboard: focus the selector, pick the older year.
    await select.focus();
    await select.selectOption('2021');
    await page.waitForURL((u) => u.searchParams.get('campaign') === '2021' && u.pathname === '/r/220100');
    const cal = await api<CampaignDay>('/api/campaign?campaign=2021');
    expect(cal.day.startsWith('2021-')).toBe(true);
    await regionShows(page, '220100', cal.day);
    const m = await api<Metrics>(`/api/metrics/220100?campaign=2021&asOf=${cal.day}`);
    for (const k of RATES) expect(await rateText(page, k)).toBe(pct(m[k]));
    expect(await page.getByTestId('campaign-picker').getAttribute('data-archived')).toBe('1');
    expect(await page.getByTestId('campaign-notice').innerText()).toMatch(/正在查看 2021年攻坚行动.*已归档，只能查看/);
    // The oldest year has none before it: no 去年同期.
    expect(m.previousYear ?? null).toBeNull();
    expect(await page.getByTestId('rate-yoy').count()).toBe(0);
    expect(await page.locator('[data-chart="region-trend"]').getAttribute('data-previous')).toBe('');
    // The date picker's bounds are 2021's.
    expect(await page.getByTestId('asof').getAttribute('max')).toBe(cal.day);

    // An in-app link keeps the year; back returns to the page in that year.
    await page.getByTestId('nav-home').click();
    await page.waitForURL((u) => u.pathname === '/' && u.searchParams.get('campaign') === '2021');
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/r/220100' && u.searchParams.get('campaign') === '2021');
    await regionShows(page, '220100', cal.day);
    // So does a link of the page that names no year (a county of the children table).
    await page.locator('[data-testid="children-table"] tbody tr[data-code="220102"] a').click();
    await page.waitForURL((u) => u.pathname === '/r/220102' && u.searchParams.get('campaign') === '2021');
    await regionShows(page, '220102', cal.day);
    const county = await api<Metrics>(`/api/metrics/220102?campaign=2021&asOf=${cal.day}`);
    expect(await rateText(page, 'contactRate')).toBe(pct(county.contactRate));
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/r/220100' && u.searchParams.get('campaign') === '2021');
    await regionShows(page, '220100', cal.day);

    // Back once more: before the switch, the current year.
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/r/220100' && !u.searchParams.has('campaign'));
    await regionShows(page, '220100', now.day);
    expect(await page.getByTestId('campaign-select').inputValue()).toBe('2022');
    expect(await page.getByTestId('campaign-notice').count()).toBe(0);

    // Choosing the current year again (the selector, or the notice's button) drops ?campaign= from the URL.
    await page.getByTestId('campaign-select').selectOption('2021');
    await page.waitForURL((u) => u.searchParams.get('campaign') === '2021');
    await page.getByTestId('campaign-select').selectOption('2022');
    await page.waitForURL((u) => u.pathname === '/r/220100' && !u.searchParams.has('campaign'));
    await page.getByTestId('campaign-select').selectOption('2021');
    await page.waitForURL((u) => u.searchParams.get('campaign') === '2021');
    await page.getByTestId('campaign-back').click();
    await page.waitForURL((u) => u.pathname === '/r/220100' && !u.searchParams.has('campaign'));
    await regionShows(page, '220100', now.day);
    const cur = await api<Metrics>(`/api/metrics/220100?asOf=${now.day}`);
    for (const k of RATES) expect(await rateText(page, k)).toBe(pct(cur[k]));
  });

  it('the wall honours ?campaign= and shows 去年同期 on its key numbers and the previous year on its trend', async () => {
    const wall = await newPage();
    await wall.goto(`${server.url}/screen?campaign=2021`);
    const old = await api<ScreenPayload>('/api/screen/220000?campaign=2021');
    await wall.waitForSelector(`[data-testid="screen-day"][data-asof="${old.asOf}"]`);
    expect(old.asOf.startsWith('2021-')).toBe(true);
    await wall.waitForSelector('[data-kpi="contactRate"]');
    expect(await wall.locator('[data-kpi="contactRate"]').getAttribute('data-raw')).toBe(String(old.metrics.contactRate));
    expect(await wall.getByTestId('kpi-yoy').count()).toBe(0);

    await wall.goto(`${server.url}/screen`);
    const cur = await api<ScreenPayload>('/api/screen/220000');
    await wall.waitForSelector(`[data-testid="screen-day"][data-asof="${cur.asOf}"]`);
    expect(cur.previousYear, 'GET /api/screen/:code answers previousYear').toBeTruthy();
    for (const k of TILE_RATES) {
      const line = wall.locator(`[data-kpi="${k}"] [data-testid="kpi-yoy"]`);
      await line.waitFor();
      expect(await line.getAttribute('data-raw')).toBe(cur.previousYear!.rates[k] === null ? '' : String(cur.previousYear!.rates[k]));
      expect(await line.innerText()).toContain(`去年同期 ${pct(cur.previousYear!.rates[k])}`);
    }
    // The trend overlays the previous year (its chart names the year it drew).
    await wall.waitForSelector('[data-chart="trend"][data-previous="2021"]');
    await wall.close();
  });

  it('logged no console error, page error or refused API call', () => {
    expect(errors).toEqual([]);
  });
});
