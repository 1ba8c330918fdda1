// The wall's 就业支持 scene (training centres, job posts, policy delivery) on
// the built app in headless Chromium at 1920×1080, over the demo campaign.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signedInContext } from '../helpers/browser';
import { loadDemo, startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '../helpers/server';
import ExcelJS from 'exceljs';
import { MetricsService } from '../../backend/src/metrics/metrics.service';

const PLAN = { scenes: [{ id: 'overview', seconds: 900 }, { id: 'support', seconds: 900 }], pauseSeconds: 30 };
process.env.SCREEN_PLAN = JSON.stringify(PLAN);

let server: TestServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  await loadDemo(server, 3000);
  await server.app.get(MetricsService).refresh();
  const res = await server.fetch('/api/admin/screen-tokens', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label: 'e2e 就业支持', region: '220000' }),
  });
  const { token } = (await res.json()) as { token: string };
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  await page.goto(`${server.url}/screen?token=${token}`);
  await page.waitForFunction(() => (window as unknown as { __screen__?: { ready(): boolean } }).__screen__?.ready() === true, undefined, { timeout: 60_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('就业支持 scene', () => {
  it('rotates in and draws its charts, map and tiles from the demo data, without console errors or scrollbars', async () => {
    const scene = () => page.evaluate(() => (window as unknown as { __screen__: { scene(): string } }).__screen__.scene());
    for (let i = 0; i < PLAN.scenes.length && (await scene()) !== 'support'; i++) {
      await page.evaluate(() => (window as unknown as { __screen__: { next(): Promise<void> } }).__screen__.next().then(() => true));
    }
    expect(await scene()).toBe('support');
    await page.waitForSelector('[data-scene="support"]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-scene]')].every((e) => e.getAttribute('data-scene') === 'support'));
    await page.waitForFunction(() => {
      const roots = [...document.querySelectorAll('[data-scene="support"] [data-chart]')];
      return roots.length === 4 && roots.every((r) => (r.querySelector('canvas')?.width ?? 0) > 0);
    }, undefined, { timeout: 30_000 });
    const charts = await page.evaluate(() => {
      interface Inst { getOption(): { series?: Array<{ data?: unknown[] }> } }
      const ec = (window as unknown as { __echarts__: { getInstanceByDom(el: Element): Inst | undefined } }).__echarts__;
      return [...document.querySelectorAll('[data-scene="support"] [data-chart]')].map((root) => {
        const inst = [root, ...root.querySelectorAll('*')].map((el) => ec.getInstanceByDom(el)).find(Boolean);
        return { id: root.getAttribute('data-chart'), points: (inst?.getOption().series ?? []).reduce((n, s) => n + (s.data?.length ?? 0), 0) };
      });
    });
    expect(charts.map((c) => c.id).sort()).toEqual(['support-exits', 'support-map', 'support-policy', 'support-posts']);
    const points = Object.fromEntries(charts.map((c) => [c.id, c.points]));
    expect(points['support-exits']).toBe(5);
    expect(points['support-posts']).toBe(7);
    expect(points['support-policy']).toBe(9);
    expect(points['support-map']).toBeGreaterThan(0);
    // The tiles show the province's numbers as the API has them.
    const api = (await (await server.fetch('/api/metrics/220000?asOf=2022-12-31')).json()) as { centres: number; postsDeveloped: number };
    const tiles = await page.$$eval('[data-scene="support"] [data-kpi]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-kpi'), e.querySelector('[data-testid="support-value"]')?.textContent ?? ''])));
    expect(api.centres).toBeGreaterThan(0);
    expect(tiles.centres).toBe(api.centres.toLocaleString('en-US'));
    expect(tiles.postsDeveloped).toBe(api.postsDeveloped.toLocaleString('en-US'));
    const s = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight, w: innerWidth, h: innerHeight }));
    expect([s.sw, s.sh]).toEqual([s.w, s.h]);
    expect(errors).toEqual([]);
    if (process.env.SCREENSHOTS === '1') {
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(__dirname, '..', '..', 'docs', 'screenshots', 'screen-support-1080p.png') });
    }
  });
});

describe('workbench measure sections', () => {
  it('show centres, posts and policies on a unit page, drill into the stays (masked, URL = state) and export them', async () => {
    const ctx = await signedInContext(browser, server.url, 'admin', TEST_ADMIN_PASSWORD, { viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const wb = await ctx.newPage();
    const wbErrors: string[] = [];
    wb.on('pageerror', (e) => wbErrors.push(e.message));
    wb.on('console', (m) => m.type() === 'error' && wbErrors.push(m.text()));
    await wb.goto(`${server.url}/r/220100?asOf=2022-10-31`);
    for (const id of ['centres', 'posts', 'policies']) await wb.waitForSelector(`[data-section="${id}"]`);
    const api = (await (await server.fetch('/api/metrics/220100?asOf=2022-10-31')).json()) as { centres: number; children: unknown[] };
    expect(await wb.locator('[data-section="centres"] [data-figure="centres"] dd').first().textContent()).toBe(api.centres.toLocaleString('zh-CN'));
    expect(await wb.locator('[data-section="centres"] tbody tr').count()).toBe(api.children.length);
    await wb.locator('[data-drill="stay"]').click();
    await wb.waitForURL(/drill=stay/);
    await wb.waitForSelector('[data-records="stay"] [data-testid="record-row"]');
    const first = await wb.locator('[data-records="stay"] [data-testid="record-row"]').first().textContent();
    expect(first).toMatch(/\*{4,}/); // the ID number masked
    const [download] = await Promise.all([wb.waitForEvent('download'), wb.locator('[data-records="stay"] [data-testid="export"]').click()]);
    expect(download.suggestedFilename()).toBe('长春市实训进驻人员-2022-10-31.xlsx');
    const file = path.join(await import('node:os').then((o) => o.tmpdir()), `i14-stays-${Date.now()}.xlsx`);
    await download.saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets[0]!.rowCount).toBeGreaterThan(3);
    await wb.goBack();
    await wb.waitForURL((u) => !u.search.includes('drill='));
    expect(await wb.locator('[data-records="stay"]').count()).toBe(0);
    expect(wbErrors).toEqual([]);
    await ctx.close();
  });
});
