// The wall screen in headless Chromium against the real app and a loaded demo
// campaign: every panel drawn at 1080p and crisp at 4K, no scrollbars, the
// KPI tiles equal to the metrics API, rotation, focus with browser back,
// kiosk mode, the "disconnected" banner and recovery, and a live push that
// updates a tile without a reload. SCREENSHOTS=1 also writes
// docs/screenshots/screen-1080p.png and screen-4k.(png|jpg).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { loadDemo, startTestServer, type TestServer } from '../helpers/server';
import { AlertsService } from '../../backend/src/alerts/alerts.service';
import { DataEvents } from '../../backend/src/common/data-events';
import { dataTimeLabel, int, pct } from '../../frontend/src/screen/options/format';
import { budget } from '../helpers/budget';
import { buildForecastPanel } from '../../frontend/src/screen/options/forecast';
import { buildLaggingRows, targetValues } from '../../frontend/src/screen/options/tables';
import type { ScreenPayload } from '../../backend/src/screen/screen.types';

// Long scenes: the tests rotate the wall themselves (window.__screen__.next()).
const PLAN = {
  scenes: [
    { id: 'overview', seconds: 900 },
    { id: 'units', seconds: 900 },
    { id: 'lagging', seconds: 900 },
    { id: 'focus', seconds: 900 },
    { id: 'care', seconds: 900 },
  ],
  pauseSeconds: 30,
};
process.env.SCREEN_PLAN = JSON.stringify(PLAN);

const SHOTS = process.env.SCREENSHOTS === '1';
const SHOT_DIR = path.join(__dirname, '..', '..', 'docs', 'screenshots');

let server: TestServer;
let browser: Browser;
let token: string;
let page: Page;
const errors: string[] = [];

interface ChartFact {
  id: string;
  instance: boolean;
  series: number;
  points: number;
  canvasW: number;
  canvasH: number;
  rectW: number;
  rectH: number;
}

/** Every chart on the page: its ECharts instance, its option and its canvas against its on-screen size. */
function chartFacts(p: Page): Promise<ChartFact[]> {
  return p.evaluate(() => {
    interface Inst { getOption(): { series?: Array<{ data?: unknown[] }> } }
    const ec = (window as unknown as { __echarts__?: { getInstanceByDom(el: Element): Inst | undefined } }).__echarts__;
    if (!ec) throw new Error('no __echarts__');
    return [...document.querySelectorAll('[data-chart]')].map((root) => {
      const inst = [root, ...root.querySelectorAll('*')].map((el) => ec.getInstanceByDom(el)).find(Boolean);
      const canvas = root.querySelector('canvas');
      const rect = canvas?.getBoundingClientRect();
      const series = inst?.getOption().series ?? [];
      return {
        id: root.getAttribute('data-chart') ?? '',
        instance: Boolean(inst),
        series: series.length,
        points: series.reduce((n, s) => n + (s.data?.length ?? 0), 0),
        canvasW: canvas?.width ?? 0,
        canvasH: canvas?.height ?? 0,
        rectW: rect?.width ?? 0,
        rectH: rect?.height ?? 0,
      };
    });
  });
}

function scrollFacts(p: Page): Promise<{ sw: number; sh: number; cw: number; ch: number; w: number; h: number }> {
  return p.evaluate(() => ({
    sw: document.documentElement.scrollWidth,
    sh: document.documentElement.scrollHeight,
    cw: document.documentElement.clientWidth,
    ch: document.documentElement.clientHeight,
    w: window.innerWidth,
    h: window.innerHeight,
  }));
}

async function openWall(p: Page, url: string): Promise<void> {
  await p.goto(url);
  await p.waitForFunction(() => (window as unknown as { __screen__?: { ready(): boolean } }).__screen__?.ready() === true, undefined, { timeout: budget(60_000) });
  // Charts draw on the next frames; wait until every chart has a canvas with something in it.
  await p.waitForFunction(() => {
    const roots = [...document.querySelectorAll('[data-chart]')];
    return roots.length > 0 && roots.every((r) => (r.querySelector('canvas')?.width ?? 0) > 0);
  }, undefined, { timeout: budget(30_000) });
}

function scene(p: Page): Promise<string> {
  return p.evaluate(() => (window as unknown as { __screen__: { scene(): string } }).__screen__.scene());
}

async function rotateTo(p: Page, id: string): Promise<void> {
  for (let i = 0; i < PLAN.scenes.length && (await scene(p)) !== id; i++) {
    await p.evaluate(() => (window as unknown as { __screen__: { next(): Promise<void> } }).__screen__.next().then(() => true));
  }
  expect(await scene(p)).toBe(id);
  await p.waitForSelector(`[data-scene="${id}"]`);
  // The scene before fades out; wait until it is gone.
  await p.waitForFunction((sid) => [...document.querySelectorAll('[data-scene]')].every((e) => e.getAttribute('data-scene') === sid), id);
}

function watchErrors(p: Page, label: string): void {
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${label} console: ${m.text()}`);
  });
  p.on('pageerror', (e) => errors.push(`${label} page: ${e.message}`));
}

async function screenshot(p: Page, base: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOT_DIR, { recursive: true });
  await p.waitForTimeout(1500); // let the entry animations finish
  const png = path.join(SHOT_DIR, `${base}.png`);
  await p.screenshot({ path: png });
  // A 4K PNG of a busy wall can be large: above ~3 MB keep a JPEG instead.
  if (fs.statSync(png).size > 3_000_000) {
    fs.rmSync(png);
    await p.screenshot({ path: path.join(SHOT_DIR, `${base}.jpg`), type: 'jpeg', quality: 80 });
  }
}

beforeAll(async () => {
  server = await startTestServer();
  await loadDemo(server, 3000, 2022, { care: true });
  // Evaluate the overdue-alert rules at the end of the campaign, as the alerts job would.
  await server.app.get(AlertsService).evaluate(Date.parse('2022-12-31T23:59:59+08:00'));
  const res = await server.fetch('/api/admin/screen-tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ label: 'e2e 大屏', region: '220000' }),
  });
  expect(res.status).toBe(201);
  token = ((await res.json()) as { token: string }).token;
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  watchErrors(page, '1080p');
  await openWall(page, `${server.url}/screen?token=${token}`);
}, budget(180_000));

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('wall screen', () => {
  it('serves the rotation plan from SCREEN_PLAN', async () => {
    const res = await fetch(`${server.url}/api/screen/plan?token=${token}`);
    expect(await res.json()).toEqual(PLAN);
  });

  it('draws every overview panel at 1920×1080 without scrollbars', async () => {
    const s = await scrollFacts(page);
    expect([s.sw, s.sh]).toEqual([s.w, s.h]);
    expect([s.cw, s.ch]).toEqual([s.w, s.h]);

    const charts = await chartFacts(page);
    expect(charts.map((c) => c.id).sort()).toEqual(['funnel', 'hardship', 'help', 'map', 'ranking', 'trend']);
    for (const c of charts) {
      expect(c.instance, c.id).toBe(true);
      expect(c.series, c.id).toBeGreaterThan(0);
      expect(c.points, c.id).toBeGreaterThan(0);
      expect(Math.abs(c.canvasW - c.rectW), `${c.id} canvas ${c.canvasW} vs ${c.rectW}`).toBeLessThanOrEqual(2);
    }
    expect(await page.locator('[data-kpi]').count()).toBe(6);
    expect(await page.locator('[data-testid="recruitment"] li').count()).toBe(11);
    expect(await page.locator('[data-testid="lagging"] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('demo-badge').innerText()).toBe('演示数据');
    expect(await page.getByTestId('banner-stale').count()).toBe(0);
    expect(await page.getByTestId('screen-loading').count()).toBe(0);
    expect(await page.evaluate(() => document.fonts.check("24px 'Noto Sans SC'", '吉林省'))).toBe(true);
    await screenshot(page, 'screen-1080p');
  });

  it('stamps every panel with the ledger time of its data', async () => {
    const res = await server.fetch(`/api/screen/220000`);
    const payload = (await res.json()) as { dataTime: string; asOf: string };
    const want = `数据截至 ${dataTimeLabel(payload.dataTime)}`;
    const panels = await page.locator('[data-panel]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-panel'), e.querySelector('[data-testid="panel-time"]')?.textContent?.trim() ?? '']));
    expect(panels.length).toBeGreaterThanOrEqual(8);
    for (const [name, stamp] of panels) expect(stamp, name ?? '').toBe(want);
    expect(await page.getByTestId('screen-day').getAttribute('data-asof')).toBe(payload.asOf);
  });

  it('shows the KPI numbers of GET /api/metrics/220000 for the same day', async () => {
    const day = await page.getByTestId('screen-day').getAttribute('data-asof');
    expect(day).toMatch(/^2022-\d\d-\d\d$/);
    const m = (await (await server.fetch(`/api/metrics/220000?asOf=${day}`)).json()) as Record<string, number | null>;
    const want: Record<string, string> = {
      received: int(m.received),
      contactRate: pct(m.contactRate),
      rate1311: pct(m.rate1311),
      employmentRate: pct(m.employmentRate),
      hardshipOneOnOneRate: pct(m.hardshipOneOnOneRate),
      helpOverdue: int(m.helpOverdue),
    };
    for (const [k, text] of Object.entries(want)) {
      const tile = page.locator(`[data-kpi="${k}"]`);
      expect(await tile.getByTestId('kpi-value').innerText(), k).toBe(text);
      expect(Number(await tile.getAttribute('data-raw')), k).toBeCloseTo(m[k] as number, 12);
    }
  });

  it('rotates through the units, lagging and focus scenes, each drawn', async () => {
    await rotateTo(page, 'units');
    expect(await page.locator('[data-testid="scorecard"] tbody tr').count()).toBe(11);
    await rotateTo(page, 'lagging');
    // The open alerts of the wall's region, as the alerts API counts them.
    const summary = (await (await server.fetch('/api/alerts/summary?region=220000')).json()) as { open: { total: number; critical?: number } };
    expect(summary.open.total).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('[data-panel="alerts"]').innerText())
      .toContain(`未处理 ${summary.open.total} 条`);
    let charts = await chartFacts(page);
    expect(charts.map((c) => c.id)).toEqual(['lagging-map']);
    expect(charts[0]!.points).toBeGreaterThan(0);
    await rotateTo(page, 'focus');
    await page.waitForFunction(() => {
      const roots = [...document.querySelectorAll('[data-chart]')];
      return roots.length === 2 && roots.every((r) => (r.querySelector('canvas')?.width ?? 0) > 0);
    });
    charts = await chartFacts(page);
    expect(charts.map((c) => c.id).sort()).toEqual(['focus-map', 'focus-ranking']);
    expect(await page.locator('[data-scene="focus"]').getAttribute('data-unit')).toBe('220100');
    await rotateTo(page, 'overview');
  });

  it('says where it is heading on the lagging scene: the panel and the projection column equal the API’s forecasts', async () => {
    await rotateTo(page, 'lagging');
    try {
      await checkForecast();
    } finally {
      await rotateTo(page, 'overview');
    }
  });

  async function checkForecast(): Promise<void> {
    const asOf = await page.getByTestId('screen-day').getAttribute('data-asof');
    const body = (await (await server.fetch(`/api/screen/220000?asOf=${asOf}`)).json()) as ScreenPayload;
    expect(body.forecastMiss.counties).toBe(72);
    const want = buildForecastPanel(body.forecastMiss);
    expect(await page.getByTestId('forecast-headline').innerText()).toBe(want.headline);
    expect(await page.locator('[data-testid="forecast"] li .text').allInnerTexts()).toEqual(want.rows.map((r) => r.text));
    // The lagging scene lists the worst 4.
    const rows = buildLaggingRows(body.lagging, 4, targetValues(body.targets));
    expect(rows.length).toBeGreaterThan(0);
    expect(await page.locator('[data-scene="lagging"] [data-testid="lagging-projection"]').allInnerTexts()).toEqual(rows.map((r) => r.projected.text));
    // The panel fits its box.
    const fit = await page.getByTestId('forecast').evaluate((e) => ({ sh: e.scrollHeight, ch: e.clientHeight, sw: e.scrollWidth, cw: e.clientWidth }));
    expect(fit.sh).toBeLessThanOrEqual(fit.ch);
    expect(fit.sw).toBeLessThanOrEqual(fit.cw);
    if (SHOTS) await page.screenshot({ path: path.join(SHOT_DIR, 'screen-lagging-forecast.png') });
  }

  it('draws the 困难帮扶与权益保障 scene: plan coverage per unit, rights cases, the checklist grid and the 10+N activities', async () => {
    await rotateTo(page, 'care');
    await page.waitForFunction(() => {
      const roots = [...document.querySelectorAll('[data-scene="care"] [data-chart]')];
      return roots.length === 3 && roots.every((r) => (r.querySelector('canvas')?.width ?? 0) > 0);
    });
    const charts = await chartFacts(page);
    expect(charts.map((c) => c.id).sort()).toEqual(['care-campaigns', 'care-plans', 'care-rights']);
    for (const c of charts) expect(c.points, c.id).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="care-checklist"] tbody tr').count()).toBe(11);
    const day = await page.getByTestId('screen-day').getAttribute('data-asof');
    const m = (await (await server.fetch(`/api/metrics/220000?asOf=${day}`)).json()) as Record<string, number>;
    expect(await page.getByTestId('care-overdue').locator('.n').innerText()).toBe(int(m.rightsOverdue));
    expect(await page.getByTestId('care-open').locator('.n').innerText()).toBe(int(m.rightsOpen));
    const s = await scrollFacts(page);
    expect([s.sw, s.sh]).toEqual([s.w, s.h]);
    await rotateTo(page, 'overview');
  });

  it('is crisp at 3840×2160: charts re-rendered at the real pixel size, no scrollbars', async () => {
    const p = await browser.newPage({ viewport: { width: 3840, height: 2160 }, deviceScaleFactor: 1 });
    watchErrors(p, '4k');
    try {
      await openWall(p, `${server.url}/screen?token=${token}`);
      expect(Number(await p.getByTestId('screen-canvas').getAttribute('data-scale'))).toBe(2);
      const s = await scrollFacts(p);
      expect([s.sw, s.sh]).toEqual([3840, 2160]);
      const charts = await chartFacts(p);
      expect(charts).toHaveLength(6);
      for (const c of charts) {
        expect(c.instance, c.id).toBe(true);
        // The canvas's backing store matches its on-screen size (twice its design size): no scaled bitmap.
        expect(Math.abs(c.canvasW - c.rectW), `${c.id} ${c.canvasW} vs ${c.rectW}`).toBeLessThanOrEqual(2);
        expect(Math.abs(c.canvasH - c.rectH), `${c.id} ${c.canvasH} vs ${c.rectH}`).toBeLessThanOrEqual(2);
        expect(c.rectW).toBeGreaterThan(200);
      }
      await screenshot(p, 'screen-4k');
    } finally {
      await p.close();
    }
  });

  it('focuses a unit clicked on the map, with a breadcrumb back; browser back works', async () => {
    await page.evaluate(() => ((window as unknown as { __marker?: string }).__marker = 'same page'));
    const { x, y } = await page.evaluate(() => {
      interface Geo { getRegion(n: string): { getCenter(): number[] } | undefined }
      interface Inst {
        getDom(): HTMLElement;
        getModel(): { getComponent(t: string): { coordinateSystem: Geo } };
        convertToPixel(finder: { geoIndex: number }, value: number[]): number[];
      }
      const ec = (window as unknown as { __echarts__: { getInstanceByDom(el: Element): Inst | undefined } }).__echarts__;
      const root = document.querySelector('[data-chart="map"]')!;
      const inst = [root, ...root.querySelectorAll('*')].map((el) => ec.getInstanceByDom(el)).find(Boolean)!;
      const region = inst.getModel().getComponent('geo').coordinateSystem.getRegion('220183')!; // 德惠市, 长春市
      const [px, py] = inst.convertToPixel({ geoIndex: 0 }, region.getCenter());
      const box = inst.getDom().getBoundingClientRect();
      return { x: box.left + px!, y: box.top + py! };
    });
    await page.mouse.click(x, y);
    await page.waitForURL(/\/screen\/220100\?/);
    // A touch or click pauses the rotation.
    expect(await page.evaluate(() => (window as unknown as { __screen__: { paused(): boolean } }).__screen__.paused())).toBe(true);
    await page.waitForFunction(() => document.querySelector('[data-testid="screen-region"]')?.textContent === '长春市');
    expect(await page.getByTestId('crumb-back').innerText()).toBe('吉林省');
    await page.waitForFunction(() => (document.querySelector<HTMLCanvasElement>('[data-chart="ranking"] canvas')?.width ?? 0) > 0);
    expect(await page.getByTestId('banner-disconnected').count()).toBe(0);

    await page.goBack();
    await page.waitForFunction(() => document.querySelector('[data-testid="screen-region"]')?.textContent === '吉林省');
    expect(new URL(page.url()).pathname).toBe('/screen');

    await page.goForward();
    await page.waitForFunction(() => document.querySelector('[data-testid="screen-region"]')?.textContent === '长春市');
    await page.getByTestId('crumb-back').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="screen-region"]')?.textContent === '吉林省');
    expect(await page.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe('same page');
  });

  it('hides the cursor and every control in kiosk mode', async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    watchErrors(p, 'kiosk');
    try {
      await openWall(p, `${server.url}/screen?kiosk=1&token=${token}`);
      expect(await p.getByTestId('screen-controls').count()).toBe(0);
      expect(await p.getByTestId('crumb-back').count()).toBe(0);
      expect(await p.evaluate(() => getComputedStyle(document.querySelector('[data-testid="screen-canvas"]')!).cursor)).toBe('none');
      // Letterboxed: 1280×720 is 16:9, so the canvas fills it at scale 2/3.
      expect(Number(await p.getByTestId('screen-canvas').getAttribute('data-scale'))).toBeCloseTo(2 / 3, 5);
    } finally {
      await p.close();
    }
  });

  it('keeps the data and says so when the server is out of reach, and recovers', async () => {
    // Its own page: the aborted requests are meant to fail here.
    const p = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    // Note this page's event-stream sockets, to cut them (and only them) like a network failure would.
    const http = server.app.getHttpServer() as import('node:http').Server;
    const streams: import('node:net').Socket[] = [];
    const capture = (req: import('node:http').IncomingMessage) => {
      if (req.url?.startsWith('/api/live')) streams.push(req.socket);
    };
    http.on('request', capture);
    try {
      await openWall(p, `${server.url}/screen?token=${token}`);
      await expect.poll(() => streams.length).toBeGreaterThan(0);
      http.off('request', capture);
      const before = await p.locator('[data-kpi="received"] [data-testid="kpi-value"]').innerText();
      const lastUpdate = await p.getByTestId('last-update').innerText();
      await p.route('**/api/**', (r) => r.abort('connectionfailed'));
      for (const sock of streams) sock.destroy();
      const banner = p.getByTestId('banner-disconnected');
      await banner.waitFor({ timeout: budget(20_000) });
      expect(await banner.innerText()).toBe(`数据连接中断 · 最后更新 ${lastUpdate}`);
      expect(lastUpdate).toMatch(/^\d\d:\d\d$/);
      // The last data stays on the wall: no blank, no spinner.
      expect(await p.locator('[data-kpi="received"] [data-testid="kpi-value"]').innerText()).toBe(before);
      expect(await p.getByTestId('screen-loading').count()).toBe(0);
      await p.unroute('**/api/**');
      await banner.waitFor({ state: 'detached', timeout: budget(45_000) });
    } finally {
      http.off('request', capture);
      await p.close();
    }
  }, budget(90_000));

  it('updates a tile when the server pushes a new snapshot, without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { __marker?: string }).__marker = 'before push'));
    const tile = page.locator('[data-kpi="received"] [data-testid="kpi-value"]');
    const before = await tile.innerText();
    // More persons arrive (the load emits 'data-loaded'); the refresh job would then announce the snapshot.
    await loadDemo(server, 300, 7);
    server.app.get(DataEvents).emit({ type: 'snapshot-ready', asOf: '2022-12-31', computedAt: new Date().toISOString() });
    await expect.poll(() => tile.innerText(), { timeout: budget(30_000) }).not.toBe(before);
    expect(Number((await tile.innerText()).replace(/,/g, ''))).toBeGreaterThan(Number(before.replace(/,/g, '')));
    expect(await page.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe('before push');
  });

  it('serves the event stream to many clients from one subscription and cleans up when they leave', async () => {
    const events = server.app.get(DataEvents);
    const listeners = () => (events as unknown as { listeners: Set<unknown> }).listeners.size;
    const base = listeners();
    const http = server.app.getHttpServer() as import('node:http').Server;
    const connections = () => new Promise<number>((r) => http.getConnections((_e, n) => r(n)));
    const conns0 = await connections();
    const aborts = Array.from({ length: 50 }, () => new AbortController());
    const readers = await Promise.all(aborts.map(async (a) => {
      const res = await fetch(`${server.url}/api/live?token=${token}`, { signal: a.signal, headers: { accept: 'text/event-stream' } });
      const reader = res.body!.getReader();
      let first = '';
      while (!first.includes('event: heartbeat')) {
        const chunk = await reader.read();
        if (chunk.done) break;
        first += new TextDecoder().decode(chunk.value);
      }
      expect(first).toContain('event: heartbeat');
      return reader;
    }));
    expect(listeners()).toBeLessThanOrEqual(base + 1);
    for (const a of aborts) a.abort();
    await Promise.all(readers.map((r) => r.cancel().catch(() => undefined)));
    await expect.poll(connections, { timeout: budget(10_000) }).toBeLessThanOrEqual(conns0);
    expect(listeners()).toBeLessThanOrEqual(base);
  });

  it('refuses a county, an unknown code and a day outside the campaign with 400', async () => {
    for (const q of ['220102', '999999', '220000?asOf=2021-01-01', '220000?asOf=2022-02-30']) {
      const res = await server.fetch(`/api/screen/${q}`);
      expect(res.status, q).toBe(400);
    }
  });

  it('logs no errors', () => {
    expect(errors).toEqual([]);
  });
});
