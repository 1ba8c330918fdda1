// Campaign years (issue 18): two campaigns in one data directory, each figure
// of one equal to the same files loaded alone into a data directory of their
// own; the CLI's, the API's and the inbox's routing to a year; the previous
// year's same campaign day; an archived year refusing loads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignPeers } from '../../backend/src/campaigns/campaigns.current';
import { generateDemo } from '../../backend/src/demo/demo.generator';
import { shiftDemoFiles } from '../../backend/src/demo/demo.year';
import { InboxService } from '../../backend/src/ingest/inbox.service';
import { cliMetrics, helpCsv, pickMetrics, pid, runCli } from '../helpers/ledger-fixtures';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';

const TWO_YEARS = { campaigns: [{ year: 2021 }, { year: 2022 }] };
/** Regions and days compared between the shared data directory and the years loaded alone. */
const REGIONS = ['220000', '220100', '220581'];

async function files(year: number, dir: string): Promise<string[]> {
  const gen = await generateDemo({ outDir: dir, persons: 700, seed: year });
  shiftDemoFiles(gen.files, year);
  return gen.files.map((f) => f.path);
}

function withConfig<T>(json: unknown, dir: string, fn: () => Promise<T>): Promise<T> {
  const file = path.join(dir, `campaigns-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(json));
  const before = process.env.CAMPAIGN_CONFIG;
  process.env.CAMPAIGN_CONFIG = file;
  return fn().finally(() => {
    if (before === undefined) delete process.env.CAMPAIGN_CONFIG;
    else process.env.CAMPAIGN_CONFIG = before;
  });
}

describe('campaign years side by side', () => {
  const work = tempDataDir('campaigns-work-');
  const shared = tempDataDir('campaigns-shared-');
  const alone2021 = tempDataDir('campaigns-2021-');
  const alone2022 = tempDataDir('campaigns-2022-');
  let f2021: string[];
  let f2022: string[];
  let server: TestServer;

  beforeAll(async () => {
    f2021 = await files(2021, path.join(work, 'y2021'));
    f2022 = await files(2022, path.join(work, 'y2022'));
    await withConfig(TWO_YEARS, work, async () => {
      // No --campaign: each file goes to the year whose window holds its records' days.
      const a = await runCli(shared, ['ingest', ...f2022]);
      expect(a.code, a.stderr).toBe(0);
      const ledgerAndServices = f2021.filter((f) => /ledger|services/.test(f));
      const b = await runCli(shared, ['ingest', ...ledgerAndServices]);
      expect(b.code, b.stderr).toBe(0);
      expect(b.stderr).toContain('→ 2021 年攻坚行动');
      // --campaign names the year.
      const c = await runCli(shared, ['ingest', '--campaign', '2021', ...f2021.filter((f) => !ledgerAndServices.includes(f))]);
      expect(c.code, c.stderr).toBe(0);
    });
    await withConfig({ year: 2021 }, work, async () => {
      expect((await runCli(alone2021, ['ingest', ...f2021])).code).toBe(0);
    });
    expect((await runCli(alone2022, ['ingest', ...f2022])).code).toBe(0);
    process.env.CAMPAIGN_CONFIG = path.join(work, 'server-campaigns.json');
    fs.writeFileSync(process.env.CAMPAIGN_CONFIG, JSON.stringify(TWO_YEARS));
  }, 600_000);

  afterAll(async () => {
    await server?.close();
    delete process.env.CAMPAIGN_CONFIG;
  });

  it('gives every figure of each year exactly as that year loaded alone', async () => {
    server = await startTestServer({ dataDir: shared, campaigns: true });
    for (const [year, alone, day] of [[2021, alone2021, '2021-09-30'], [2022, alone2022, '2022-09-30']] as const) {
      for (const region of REGIONS) {
        const both = (await (await server.fetch(`/api/metrics/${region}?asOf=${day}&campaign=${year}`)).json()) as Record<string, unknown>;
        const single = await withConfig({ year }, work, () => cliMetrics(alone, region, day));
        expect(pickMetrics(both)).toEqual(pickMetrics(single));
        expect(Number(single.received)).toBeGreaterThan(0);
      }
    }
  }, 300_000);

  it('answers each API request from the year it names, or whose window holds its asOf, and says which years there are', async () => {
    const list = (await (await server.fetch('/api/campaigns')).json()) as { campaigns: Array<{ year: number; home: boolean }>; current: number };
    expect(list.campaigns.map((c) => [c.year, c.home])).toEqual([[2021, false], [2022, true]]);
    expect(list.current).toBe(2022);

    const get = async (p: string) => {
      const r = await server.fetch(p);
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    const named = await get('/api/metrics/220100?asOf=2021-09-30&campaign=2021');
    expect(named.status).toBe(200);
    // asOf alone: the 2021 window holds it (and the hot GET path, which answers this shape, must not take it for the home year).
    const byDay = await get('/api/metrics/220100?asOf=2021-09-30');
    expect(byDay.status).toBe(200);
    expect(pickMetrics(byDay.body)).toEqual(pickMetrics(named.body));
    const cli = await withConfig({ year: 2021 }, work, () => cliMetrics(alone2021, '220100', '2021-09-30'));
    expect(pickMetrics(named.body)).toEqual(pickMetrics(cli));
    // The other year's day under a named year is that year's validation error, not another year's figures.
    expect((await get('/api/metrics/220100?asOf=2021-09-30&campaign=2022')).status).toBe(400);

    for (const bad of ['campaign=1999', 'campaign=abc', 'campaign=2021&campaign=2022']) {
      const r = await get(`/api/metrics/220100?asOf=2022-09-30&${bad}`);
      expect(r.status, bad).toBe(400);
      expect(String(r.body.message)).toMatch(/campaign|攻坚行动/);
    }
    expect(String((await get('/api/metrics/220100?asOf=2022-09-30&campaign=1999')).body.message)).toContain('本系统有：2021、2022');

    // The calendar and the screen of a named year.
    expect((await get('/api/campaign?campaign=2021')).body).toMatchObject({ year: 2021, start: '2021-07-01', end: '2021-12-31' });
    expect((await get('/api/campaign')).body).toMatchObject({ year: 2022 });
    expect((await get('/api/screen/220000?campaign=2021')).body).toMatchObject({ campaign: 2021, previousYear: null });
  }, 120_000);

  it('puts beside each rate the previous year on the same campaign day', async () => {
    const now = (await (await server.fetch('/api/metrics/220100?asOf=2022-09-30')).json()) as Record<string, unknown> & {
      previousYear: { campaign: number; asOf: string; day: number; rates: Record<string, number | null>; diff: Record<string, number | null> };
    };
    // 2022-09-30 is day 91 after 1 July 2022; day 91 of 2021 is 2021-09-30.
    expect(now.previousYear).toMatchObject({ campaign: 2021, asOf: '2021-09-30', day: 91 });
    const then = await withConfig({ year: 2021 }, work, () => cliMetrics(alone2021, '220100', '2021-09-30'));
    for (const k of ['contactRate', 'rate1311', 'employmentRate', 'helpSlaRate'] as const) {
      expect(now.previousYear.rates[k]).toBe(then[k]);
      const diff = now[k] === null || then[k] === null ? null : (now[k] as number) - (then[k] as number);
      expect(now.previousYear.diff[k]).toBe(diff);
    }
    const screen = (await (await server.fetch('/api/screen/220100?asOf=2022-09-30')).json()) as { campaign: number; previousYear: { asOf: string } };
    expect(screen).toMatchObject({ campaign: 2022, previousYear: { asOf: '2021-09-30' } });
  });

  it('moves a file dropped in the inbox whose records lie in another year to that year\'s folder, where that year loads it', async () => {
    const inbox = server.config.inboxDir;
    fs.mkdirSync(inbox, { recursive: true });
    const file = helpCsv(inbox, 'help-2021-late.csv', [
      { hid: 'LATE-2021-1', id: pid(9001), at: '2021-10-08 09:00', county: '220102', contact: '2021-10-08 10:00' },
    ]);
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(file, past, past);
    const home = await server.app.get(InboxService).pull(0);
    expect(home.results).toEqual([]);
    const moved = path.join(inbox, '2021', 'help-2021-late.csv');
    expect(fs.existsSync(moved)).toBe(true);
    fs.utimesSync(moved, past, past);
    const other = campaignPeers()!.previous(2022)!.app!;
    const r = await other.get(InboxService).pull(0);
    expect(r.results.map((x) => [x.file, x.status, x.accepted])).toEqual([['help-2021-late.csv', 'succeeded', 1]]);
  });

  it('refuses loads into an archived year, with what to do; backs up and restores every year', async () => {
    await server.close();
    server = undefined as unknown as TestServer;
    const archive = await runCli(shared, ['campaign', 'archive', '2021']);
    expect(archive.code, archive.stderr).toBe(0);
    const refused = await runCli(shared, ['ingest', '--campaign', '2021', f2021[0]!]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('已归档（只读）');
    expect(refused.stderr).toContain('campaign unarchive 2021');
    // Nor does it open or send alerts.
    const alerts = await runCli(shared, ['job', 'alerts', '--campaign', '2021']);
    expect(alerts.code, alerts.stderr).toBe(0);
    expect(alerts.json).toMatchObject({ name: 'alerts', lastStatus: 'ok', lastResult: { skipped: 'archived' } });
    const listed = await runCli(shared, ['campaign', 'list', '--json']);
    expect((listed.json as { campaigns: Array<{ year: number; archived: boolean }> }).campaigns.map((c) => [c.year, c.archived])).toEqual([[2021, true], [2022, false]]);
    // The CLI's metrics of a named year (on a day before the inbox's late 2021 request of 8 October).
    const named = await runCli(shared, ['metrics', '--campaign', '2021', '--region', '220000', '--as-of', '2021-09-30', '--json']);
    expect(named.code, named.stderr).toBe(0);
    expect(pickMetrics(named.json!)).toEqual(pickMetrics(await withConfig({ year: 2021 }, work, () => cliMetrics(alone2021, '220000', '2021-09-30'))));
    // A backup holds every year; restored, each year's figures are as before.
    const backup = path.join(work, 'backup');
    const made = await runCli(shared, ['backup', '--out', backup]);
    expect(made.code, made.stderr).toBe(0);
    expect(fs.existsSync(path.join(backup, 'clickhouse-2021'))).toBe(true);
    const restoredDir = path.join(work, 'restored');
    const restored = await runCli(restoredDir, ['restore', '--from', backup, '--key', path.join(shared, 'pii.key')]);
    expect(restored.code, restored.stderr).toBe(0);
    const again = await runCli(restoredDir, ['metrics', '--campaign', '2021', '--region', '220100', '--as-of', '2021-09-30', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const alone = await withConfig({ year: 2021 }, work, () => cliMetrics(alone2021, '220100', '2021-09-30'));
    expect(pickMetrics(again.json!)).toEqual(pickMetrics(alone));
    // A year the install does not hold is named, with the years it does.
    const unknown = await runCli(shared, ['metrics', '--campaign', '2019', '--region', '220000', '--as-of', '2019-09-30']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('没有 2019 年的攻坚行动');
  }, 120_000);
});
