// The wall screen under load, in headless Chromium against the real app and
// a demo campaign: time from navigation to every panel drawn (goal ≤ 2 s),
// the gzip size of the JavaScript /screen loads (goal ≤ 800 KB), and an
// endurance run of 2,000 data updates and 200 scene rotations reporting JS
// heap growth (goal ≤ 20 MB) and DOM nodes before/after (flat).
//
// BENCH_SCREEN_PERSONS sets the demo size (default 22,000, the demo's own
// default); BENCH_SCREEN_UPDATES the number of updates (default 2,000).
import * as zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { DataEvents } from '../../backend/src/common/data-events';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { launchBrowser } from '../helpers/browser';
import { loadDemo, startTestServer } from '../helpers/server';

interface Handle {
  refresh(): Promise<void>;
  next(): Promise<void>;
  scene(): string;
  ready(): boolean;
}

const ROTATE_EVERY = 10;

/** Resolves when the wall has data and every chart on it has drawn a canvas with its series. */
async function waitDrawn(p: Page): Promise<void> {
  await p.waitForFunction(() => {
    const h = (window as unknown as { __screen__?: Handle }).__screen__;
    if (!h?.ready()) return false;
    interface Inst { getOption(): { series?: unknown[] } }
    const ec = (window as unknown as { __echarts__?: { getInstanceByDom(el: Element): Inst | undefined } }).__echarts__;
    const roots = [...document.querySelectorAll('[data-chart]')];
    if (!ec || roots.length < 6) return false;
    return roots.every((r) => {
      const inst = [r, ...r.querySelectorAll('*')].map((el) => ec.getInstanceByDom(el)).find(Boolean);
      return (r.querySelector('canvas')?.width ?? 0) > 0 && (inst?.getOption().series?.length ?? 0) > 0;
    }) && document.querySelectorAll('[data-kpi]').length === 6;
  }, undefined, { timeout: 120_000, polling: 'raf' });
}

async function heapAndNodes(p: Page): Promise<{ heapMB: number; nodes: number }> {
  const cdp = await p.context().newCDPSession(p);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (n: string) => metrics.find((m) => m.name === n)?.value ?? 0;
    // Count the document's nodes directly too: the metric includes detached nodes not yet collected.
    const live = await p.evaluate(() => document.getElementsByTagName('*').length);
    return { heapMB: get('JSHeapUsedSize') / 2 ** 20, nodes: live };
  } finally {
    await cdp.detach();
  }
}

async function rotateTo(p: Page, id: string): Promise<void> {
  for (let i = 0; i < 8; i++) {
    if ((await p.evaluate(() => (window as unknown as { __screen__: Handle }).__screen__.scene())) === id) return;
    await p.evaluate(() => (window as unknown as { __screen__: Handle }).__screen__.next().then(() => true));
  }
}

export async function benchScreen(): Promise<Record<string, number>> {
  const persons = Number(process.env.BENCH_SCREEN_PERSONS || 22_000);
  const updates = Number(process.env.BENCH_SCREEN_UPDATES || 2_000);
  // Long scenes: the bench rotates the wall itself.
  process.env.SCREEN_PLAN = JSON.stringify([
    { id: 'overview', seconds: 3600 }, { id: 'units', seconds: 3600 }, { id: 'lagging', seconds: 3600 }, { id: 'focus', seconds: 3600 },
  ]);
  const server = await startTestServer();
  const browser = await launchBrowser();
  try {
    await loadDemo(server, persons);
    const res = await server.fetch('/api/admin/screen-tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'bench', region: '220000' }),
    });
    const { token } = (await res.json()) as { token: string };
    const url = `${server.url}/screen?token=${token}`;

    // Just after a load, before the refresh job: the server computes everything live from the raw tables.
    const page0 = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    let t = Date.now();
    await page0.goto(url);
    await waitDrawn(page0);
    const noSnapshotMs = Date.now() - t;
    await page0.close();

    // What the refresh job does: write the snapshots, then announce them (which empties the screen cache).
    const events = server.app.get(DataEvents);
    await server.app.get(MetricsService).refresh(true);
    events.emit({ type: 'snapshot-ready', asOf: '2022-12-31', computedAt: new Date().toISOString() });

    // Cold: a new wall with an empty browser cache, the server reading snapshots.
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    let jsRaw = 0;
    let jsGzip = 0;
    const scripts: Array<Promise<void>> = [];
    page.on('response', (r) => {
      if (r.request().resourceType() !== 'script') return;
      scripts.push(r.body().then((b) => {
        jsRaw += b.length;
        jsGzip += zlib.gzipSync(b, { level: 9 }).length;
      }, () => undefined));
    });
    t = Date.now();
    await page.goto(url);
    await waitDrawn(page);
    const coldMs = Date.now() - t;
    await Promise.all(scripts);

    // Warm: a second wall opening (server caches warm, browser cache fresh).
    const page2 = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    t = Date.now();
    await page2.goto(url);
    await waitDrawn(page2);
    const warmMs = Date.now() - t;
    await page2.close();

    // 4K: the same at 3840×2160 (every chart drawn at twice the pixels).
    const page4k = await browser.newPage({ viewport: { width: 3840, height: 2160 }, deviceScaleFactor: 1 });
    t = Date.now();
    await page4k.goto(url);
    await waitDrawn(page4k);
    const fourKMs = Date.now() - t;
    await page4k.close();

    // Endurance: every update swaps in different numbers (two days' payloads, alternating).
    const [dayA, dayB] = await Promise.all(['2022-12-31', '2022-10-31'].map(async (d) => (await server.fetch(`/api/screen/220000?asOf=${d}`)).text()));
    let flip = 0;
    await page.route(/\/api\/screen\/220000(\?|$)/, (r) => r.fulfill({ status: 200, contentType: 'application/json', body: flip++ % 2 ? dayB! : dayA! }));
    // Warm up every scene once, then measure from the overview.
    for (let i = 0; i < 4; i++) await page.evaluate(() => (window as unknown as { __screen__: Handle }).__screen__.next().then(() => true));
    await rotateTo(page, 'overview');
    await page.waitForTimeout(1000);
    const before = await heapAndNodes(page);

    const started = Date.now();
    let rotations = 0;
    for (let done = 0; done < updates; ) {
      const batch = Math.min(ROTATE_EVERY, updates - done);
      await page.evaluate(async (n) => {
        const h = (window as unknown as { __screen__: Handle }).__screen__;
        for (let i = 0; i < n; i++) {
          await h.refresh();
          await new Promise((r) => requestAnimationFrame(() => r(null)));
        }
        await h.next();
      }, batch);
      done += batch;
      rotations++;
      // Now and then the update arrives the real way: a pushed snapshot.
      if (done % 200 === 0) events.emit({ type: 'snapshot-ready', asOf: '2022-12-31', computedAt: new Date().toISOString() });
    }
    const enduranceS = (Date.now() - started) / 1000;
    await rotateTo(page, 'overview');
    await page.waitForTimeout(2000);
    const after = await heapAndNodes(page);
    await page.close();

    const figures = {
      persons,
      timeToDrawnNoSnapshotMs: noSnapshotMs,
      timeToDrawnColdMs: coldMs,
      timeToDrawnWarmMs: warmMs,
      timeToDrawn4kMs: fourKMs,
      jsKB: Math.round(jsRaw / 1024),
      jsGzipKB: Math.round(jsGzip / 1024),
      updates,
      rotations,
      enduranceSeconds: Math.round(enduranceS),
      heapBeforeMB: Math.round(before.heapMB * 10) / 10,
      heapAfterMB: Math.round(after.heapMB * 10) / 10,
      heapGrowthMB: Math.round((after.heapMB - before.heapMB) * 10) / 10,
      domNodesBefore: before.nodes,
      domNodesAfter: after.nodes,
    };
    process.stdout.write(JSON.stringify({ bench: 'screen', ...figures }) + '\n');
    return figures;
  } finally {
    await browser.close();
    await server.close();
  }
}

if (require.main === module) {
  benchScreen().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
