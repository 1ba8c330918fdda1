// The geography page (/map, one click from the home page) in headless Chromium
// against the real app: the county map with its markers, the reporting tree,
// and a tooltip naming county and unit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, signedInContext } from '../helpers/browser';
import { startTestServer, TEST_ADMIN_PASSWORD } from '../helpers/server';
import { budget } from '../helpers/budget';

interface ChartFacts {
  regions: number;
  markers: number;
  highlight: number;
}

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;
let ctx: BrowserContext;
const errors: string[] = [];

/** Reads the map's ECharts instance through the `__echarts__` global the app exposes. */
function chartFacts(p: Page): Promise<ChartFacts> {
  return p.evaluate(() => {
    interface Inst {
      getOption(): { series: Array<{ id?: string; data?: unknown[] }> };
      getModel(): { getComponent(t: string): { coordinateSystem: { regions: unknown[] } } };
    }
    const ec = (window as unknown as { __echarts__?: { getInstanceByDom(el: Element): Inst | undefined } }).__echarts__;
    const root = document.querySelector('[data-testid="jilin-map"]');
    if (!ec || !root) throw new Error('no map or no __echarts__');
    const inst = [root, ...root.querySelectorAll('*')].map((el) => ec.getInstanceByDom(el)).find(Boolean);
    if (!inst) throw new Error('no ECharts instance under the map');
    const series = inst.getOption().series;
    return {
      regions: inst.getModel().getComponent('geo').coordinateSystem.regions.length,
      markers: series.find((s) => s.id === 'markers')?.data?.length ?? -1,
      highlight: series.find((s) => s.id === 'highlight')?.data?.length ?? -1,
    };
  });
}

/** The page position of a county's centre. */
function countyPoint(p: Page, code: string): Promise<{ x: number; y: number }> {
  return p.evaluate((c) => {
    interface Geo { getRegion(n: string): { getCenter(): number[] } | undefined }
    interface Inst {
      getDom(): HTMLElement;
      getModel(): { getComponent(t: string): { coordinateSystem: Geo } };
      convertToPixel(finder: { geoIndex: number }, value: number[]): number[];
    }
    const ec = (window as unknown as { __echarts__: { getInstanceByDom(el: Element): Inst | undefined } }).__echarts__;
    const root = document.querySelector('[data-testid="jilin-map"]')!;
    const inst = [root, ...root.querySelectorAll('*')].map((el) => ec.getInstanceByDom(el)).find(Boolean)!;
    const region = inst.getModel().getComponent('geo').coordinateSystem.getRegion(c);
    if (!region) throw new Error(`no region ${c}`);
    const [x, y] = inst.convertToPixel({ geoIndex: 0 }, region.getCenter());
    const box = inst.getDom().getBoundingClientRect();
    return { x: box.left + x!, y: box.top + y! };
  }, code);
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  ctx = await signedInContext(browser, server.url, 'admin', TEST_ADMIN_PASSWORD, { viewport: { width: 1920, height: 1080 } });
  page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  await page.goto(`${server.url}/map`);
  await page.waitForSelector('[data-testid="jilin-map"] canvas, [role="alert"]', { timeout: budget(30_000) });
  const alert = page.getByRole('alert');
  if (await alert.count()) throw new Error(`home page shows an error: ${await alert.innerText()}`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="region-tree"] [role="treeitem"]').length > 1);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('home page', () => {
  it('draws 60 county regions and 12 markers', async () => {
    const facts = await chartFacts(page);
    expect(facts.regions).toBe(60);
    expect(facts.markers).toBe(12);
  });

  it('shows the reporting tree with the 11 units', async () => {
    const units = await page.locator('[data-testid="region-tree"] [role="treeitem"][aria-level="2"]').allInnerTexts();
    expect(units).toHaveLength(11);
    expect(units.join('\n')).toContain('长白山管委会');
    expect(units.join('\n')).toContain('梅河口市');
  });

  it('names a county and its unit in the tooltip on hover', async () => {
    const { x, y } = await countyPoint(page, '220184');
    await page.mouse.move(x, y);
    await page.waitForFunction(
      () => /公主岭市\s*·\s*长春市/.test(document.querySelector('[data-testid="jilin-map"]')?.textContent ?? ''),
      undefined,
      { timeout: budget(5_000) },
    );
  });

  it('outlines a unit on the map when its tree item is hovered', async () => {
    await page.locator('[data-testid="region-tree"] [role="treeitem"][aria-level="2"] .row').first().hover();
    await expect.poll(async () => (await chartFacts(page)).highlight).toBeGreaterThan(0);
  });

  it('renders with the bundled Chinese font', async () => {
    const ok = await page.evaluate(() => document.fonts.check("14px 'Noto Sans SC'", '吉林省'));
    expect(ok).toBe(true);
  });

  it('shows the server\'s message and recovers on 重试 when loading fails', async () => {
    const p = await ctx.newPage();
    await p.setViewportSize({ width: 1280, height: 800 });
    try {
      await p.route('**/api/map', (route) =>
        route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ statusCode: 503, message: '地图服务暂不可用' }) }),
      );
      await p.goto(`${server.url}/map`);
      const alert = p.getByRole('alert');
      await alert.getByText('地图服务暂不可用').waitFor();
      await p.unroute('**/api/map');
      await alert.getByRole('button', { name: '重试' }).click();
      await p.waitForSelector('[data-testid="jilin-map"] canvas');
    } finally {
      await p.close();
    }
  });

  it('answers an unknown path with a Chinese 404 page linking home', async () => {
    const p = await ctx.newPage();
    try {
      await p.goto(`${server.url}/no-such-page`);
      await p.getByRole('heading', { name: '页面不存在' }).waitFor();
      await p.getByRole('link', { name: '返回首页' }).click();
      // The home page is the admin's health page now; the map is at /map.
      await p.waitForSelector('[data-testid="admin-home"]');
    } finally {
      await p.close();
    }
  });

  it('logs no errors', () => {
    expect(errors).toEqual([]);
  });

  it('sends a visitor who is not signed in to the login page, and back after signing in', async () => {
    const anon = await browser.newContext();
    const p = await anon.newPage();
    try {
      await p.goto(`${server.url}/map`);
      await p.waitForURL(/\/login\?next=/);
      await p.getByLabel('用户名').fill('admin');
      await p.getByLabel('密码').fill('wrong-password-1');
      await p.getByRole('button', { name: '登录' }).click();
      await p.getByTestId('login-error').getByText('用户名或密码错误').waitFor();
      await p.getByLabel('密码').fill(TEST_ADMIN_PASSWORD);
      await p.getByRole('button', { name: '登录' }).click();
      await p.waitForSelector('[data-testid="jilin-map"] canvas');
      await p.getByTestId('user-menu').getByText('系统管理员').first().waitFor();
      await p.getByTestId('logout').click();
      await p.waitForURL(/\/login/);
      await p.goto(`${server.url}/`);
      await p.waitForURL(/\/login\?next=/);
    } finally {
      await anon.close();
    }
  });
});
