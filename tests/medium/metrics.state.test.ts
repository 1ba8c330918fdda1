// The metric state the refresh job keeps (person_spans, help_days; migration
// 008) against the raw-table queries, over several load runs: a demo campaign
// loaded in two halves (a person's ledger versions and services split across
// runs), then corrections that move a service record to another person, change
// a record's type, back-date a county move and re-time a help request. After
// every run the state — rebuilt only for the touched persons — must give the
// same counts as metrics_as_of.sql on the raw tables, for every region and
// day, through both the single-day and the all-days query; and a rebuild from
// scratch must agree with the incremental one.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { generateDemo } from '../../backend/src/demo/demo.generator';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { MetricsRepository } from '../../backend/src/metrics/metrics.repository';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { MetricsStateService } from '../../backend/src/metrics/metrics.state.service';
import { campaignConfig } from '../../backend/src/metrics/campaign.config';
import { COUNT_KEYS, zeroCounts, type CountsRow, type MetricCounts } from '../../backend/src/metrics/metrics.types';
import { helpCsv, ledgerCsv, serviceCsv } from '../helpers/ledger-fixtures';
import { budget } from '../helpers/budget';

const DAYS = ['2022-07-01', '2022-07-19', '2022-08-15', '2022-09-14', '2022-09-15', '2022-10-31', '2022-11-20', '2022-12-31'];

function byKey(rows: CountsRow[]): Map<string, MetricCounts> {
  return new Map(rows.map((r) => [`${r.level}:${r.code}`, r]));
}

function pick(c: MetricCounts | undefined): Record<string, number> {
  const z = c ?? zeroCounts();
  return Object.fromEntries(COUNT_KEYS.map((k) => [k, Number(z[k])]));
}

/** Splits a CSV file into two at a share of its data lines (header kept in both). */
function split(file: string, share: number, dir: string): [string, string] {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '').split(/\r?\n/);
  const cut = Math.round(lines.length * share);
  const base = path.basename(file, '.csv');
  const a = path.join(dir, `${base}-a.csv`);
  const b = path.join(dir, `${base}-b.csv`);
  fs.writeFileSync(a, [header, ...lines.slice(0, cut)].join('\n') + '\n');
  fs.writeFileSync(b, [header, ...lines.slice(cut)].join('\n') + '\n');
  return [a, b];
}

/** CSV cells of a data line (the demo writes no quoted commas in the columns read here). */
function cells(line: string): string[] {
  return line.split(',');
}

function dataLines(file: string): string[][] {
  return fs.readFileSync(file, 'utf8').split(/\r?\n/).slice(1).filter((l) => l && !l.includes('"')).map(cells);
}

describe('metric state kept incrementally over several load runs', () => {
  let server: TestServer;
  let files: string;
  let demo: Record<'ledger' | 'service' | 'help', string>;

  beforeAll(async () => {
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-state-files-'));
    const res = await generateDemo({ outDir: files, persons: 2500, seed: 11 });
    demo = {
      ledger: res.files.find((f) => f.kind === 'ledger')!.path,
      service: res.files.find((f) => f.kind === 'service')!.path,
      help: res.files.find((f) => f.kind === 'help')!.path,
    };
    server = await startTestServer();
  }, budget(180_000));
  afterAll(async () => {
    await server?.close();
  });

  async function load(paths: string[]): Promise<void> {
    const s = await server.app.get(IngestService).loadFiles(paths, { source: 'cli' });
    expect(s.failed, JSON.stringify(s.files.map((f) => f.error))).toBe(0);
    expect(s.rejected).toBe(0);
  }

  /** The state's single-day and all-days counts equal the raw tables' for every region on every checked day. */
  async function expectStateEqualsRaw(label: string): Promise<void> {
    const cfg = campaignConfig();
    const raw = server.app.get(MetricsRepository);
    const state = server.app.get(MetricsStateService).repo;
    const daily = await state.countsDaily(DAYS[0]!, DAYS.at(-1)!, cfg);
    for (const day of DAYS) {
      const want = byKey(await raw.countsAsOf(day, cfg));
      const one = byKey(await state.countsAsOf(day, cfg));
      const all = byKey(daily.filter((r) => r.as_of === day));
      expect(want.get('province:220000')?.received ?? 0, `${label} ${day}: has data`).toBeGreaterThan(0);
      for (const k of new Set([...want.keys(), ...one.keys(), ...all.keys()])) {
        expect(pick(one.get(k)), `${label} ${day} ${k}: state single day = raw`).toEqual(pick(want.get(k)));
        expect(pick(all.get(k)), `${label} ${day} ${k}: state all days = raw`).toEqual(pick(want.get(k)));
      }
    }
  }

  it('first load: the state is built whole and matches the raw tables', async () => {
    const dir = fs.mkdtempSync(path.join(files, 'half-'));
    const [ledgerA] = split(demo.ledger, 0.5, dir);
    const [servicesA] = split(demo.service, 0.6, dir);
    const [helpA] = split(demo.help, 0.5, dir);
    await load([ledgerA, servicesA, helpA]);
    const r = await server.app.get(MetricsStateService).sync();
    expect(r.mode).toBe('full');
    await expectStateEqualsRaw('first half');
  }, budget(180_000));

  it('second half: only the touched persons are rebuilt, and the state still matches', async () => {
    const svc = server.app.get(MetricsStateService);
    svc.fullShare = 1.01; // force the incremental path however many persons the half touches
    const dir = fs.readdirSync(files).find((d) => d.startsWith('half-'))!;
    await load(['ledger-b.csv', 'services-b.csv', 'help-b.csv'].map((f) => path.join(files, dir, f)));
    const r = await svc.sync();
    expect(r.mode).toBe('incremental');
    expect(r.touched).toBeGreaterThan(0);
    await expectStateEqualsRaw('second half');
  }, budget(180_000));

  it('corrections: a record moved to another person, a changed type, a back-dated county move, a re-timed help request', async () => {
    const svc = server.app.get(MetricsStateService);
    const svcLines = dataLines(demo.service);
    const ledgerLines = dataLines(demo.ledger);
    const helpLines = dataLines(demo.help);
    // service columns: 记录编号, 身份证号, 服务时间, 服务类型, 联系方式, 联系结果, 县区代码
    const moved = svcLines.find((c) => c[3] === '职业指导')!;
    const other = svcLines.find((c) => c[1] !== moved[1] && c[3] === '联系')!;
    const retyped = svcLines.find((c) => c[3] === '就业见习' && c[1] !== moved[1] && c[1] !== other[1])!;
    const dir = fs.mkdtempSync(path.join(files, 'fix-'));
    const services = serviceCsv(dir, 'services-fix.csv', [
      // the record now belongs to another person (both persons' milestones change)
      { rid: moved[0]!, id: other[1]!, time: moved[2]!, type: '一对一帮扶', county: moved[6]! },
      // a 就业见习 re-typed as a failed contact: that person may lose 1311 and gain nothing
      { rid: retyped[0]!, id: retyped[1]!, time: retyped[2]!, type: '联系', result: '未联系上', county: retyped[6]! },
    ]);
    // ledger columns: 身份证号 … 接收日期 (10), 县区代码 (11), 帮扶类别 (13), 就业状态 (15), 更新时间 (17)
    const person = ledgerLines.find((c) => c[11] && c[11] !== '220102' && c[10]! < '2022-09-01')!;
    const ledger = ledgerCsv(dir, 'ledger-fix.csv', [
      { id: person[0]!, received: person[10]!, county: '220102', category: '有就业意愿', hardship: '残疾', status: '已就业', updated: '2022-09-14 23:59:59' },
    ]);
    const req = helpLines.find((c) => c[5])!;
    const help = helpCsv(dir, 'help-fix.csv', [{ hid: req[0]!, id: req[1]!, at: req[3]!, county: req[4]!, contact: '' }]);
    const raw = server.app.get(MetricsRepository);
    const before = byKey(await raw.countsAsOf('2022-09-15', campaignConfig()));
    await load([services, ledger, help]);
    // the corrections do change the raw numbers (the person now counts in 220102)
    const after = byKey(await raw.countsAsOf('2022-09-15', campaignConfig()));
    expect(pick(after.get('county:220102'))).not.toEqual(pick(before.get('county:220102')));
    const r = await svc.sync();
    expect(r.mode).toBe('incremental');
    expect(r.touched).toBeGreaterThanOrEqual(3);
    expect(r.touched).toBeLessThanOrEqual(4);
    await expectStateEqualsRaw('corrections');
  }, budget(180_000));

  it('nothing new: the sync does nothing; a rebuild from scratch gives the same numbers as the incremental state', async () => {
    const svc = server.app.get(MetricsStateService);
    const cfg = campaignConfig();
    expect((await svc.sync()).mode).toBe('none');
    const before = await svc.repo.countsDaily(DAYS[0]!, DAYS.at(-1)!, cfg);
    expect((await svc.sync(true)).mode).toBe('full');
    const after = await svc.repo.countsDaily(DAYS[0]!, DAYS.at(-1)!, cfg);
    const key = (r: CountsRow) => `${r.as_of}|${r.level}|${r.code}`;
    expect(new Map(after.map((r) => [key(r), pick(r)]))).toEqual(new Map(before.map((r) => [key(r), pick(r)])));
  }, budget(180_000));

  it('the refresh job writes snapshots from the state that serve the raw numbers', async () => {
    const r = await server.app.get(MetricsService).refresh(true);
    expect(r.skipped).toBe(false);
    expect(r.state?.mode).toBe('none');
    const cfg = campaignConfig();
    const raw = server.app.get(MetricsRepository);
    for (const day of ['2022-08-15', '2022-12-31']) {
      const want = byKey(await raw.countsAsOf(day, cfg));
      const snap = byKey(await raw.readSnapshots([...want.keys()].map((k) => ({ level: k.split(':')[0]!, code: k.split(':')[1]! })), day, day));
      for (const [k, v] of want) expect(pick(snap.get(k)), `${day} ${k} (snapshot)`).toEqual(pick(v));
    }
  }, budget(180_000));
});
