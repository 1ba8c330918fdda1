// The screen's 1311 funnel is read from the kept per-person state once that
// state holds every load, and from the raw tables before: both must give the
// same numbers (the raw query is the definition), on every day of a demo
// campaign and after a correction that the state folds in incrementally.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { campaignConfig } from '../../backend/src/metrics/campaign.config';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { MetricsStateService } from '../../backend/src/metrics/metrics.state.service';
import { ScreenRepository } from '../../backend/src/screen/screen.repository';
import { startTestServer, type TestServer } from '../helpers/server';
import { generateDemo } from '../../backend/src/demo/demo.generator';
import { serviceCsv } from '../helpers/ledger-fixtures';

describe('the 1311 funnel from the kept state', () => {
  let server: TestServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-'));
  const DAYS = ['2022-07-31', '2022-09-15', '2022-10-31', '2022-12-31'];

  const sorted = (rows: Awaited<ReturnType<ScreenRepository['funnel']>>) =>
    [...rows].sort((a, b) => `${a.level}:${a.code}`.localeCompare(`${b.level}:${b.code}`));

  async function compare(): Promise<void> {
    const repo = server.app.get(ScreenRepository);
    for (const day of DAYS) {
      const raw = sorted(await repo.funnel(day, campaignConfig(), false));
      const state = sorted(await repo.funnel(day, campaignConfig(), true));
      expect(raw.length).toBeGreaterThan(10);
      expect(state).toEqual(raw);
    }
  }

  beforeAll(async () => {
    server = await startTestServer();
    const res = await generateDemo({ outDir: dir, persons: 1500, seed: 7 });
    const s = await server.app.get(IngestService).loadFiles(res.files.map((f) => f.path), { source: 'demo' });
    expect(s.failed).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is not used before a refresh folded the loads in, then equals the raw funnel on every day', async () => {
    const state = server.app.get(MetricsStateService);
    expect(await state.isCurrent()).toBe(false);
    await server.app.get(MetricsService).refresh(true);
    expect(await state.isCurrent()).toBe(true);
    const repo = server.app.get(ScreenRepository);
    const province = (await repo.funnel('2022-12-31', campaignConfig(), true)).find((r) => r.level === 'province')!;
    expect(province.job_seekers).toBeGreaterThan(0);
    expect(province.components.some((n) => n > 0)).toBe(true);
    await compare();
  });

  it('stays equal after a load of new services the state folds in incrementally, and is not current in between', async () => {
    // New services for persons of the demo: the ID numbers are in the demo's ledger file.
    const ids = fs.readFileSync(path.join(dir, 'ledger.csv'), 'utf8').split('\n').slice(1, 400).map((l) => l.split(',')[0]!.replace(/^\uFEFF/, '')).filter(Boolean);
    const types = campaignConfig().rule1311.map((r) => r.type);
    const rows = ids.slice(0, 300).flatMap((id, i) => types.map((t, j) => ({
      rid: `F-${i}-${j}`, id, time: '2022-10-10 10:00', type: t, result: t === campaignConfig().contactType ? campaignConfig().contactOk : undefined, county: '220102',
    })));
    const s = await server.app.get(IngestService).loadFiles([serviceCsv(dir, 'more.csv', rows)]);
    expect(s.inserted).toBeGreaterThan(0);
    expect(await server.app.get(MetricsStateService).isCurrent()).toBe(false);
    const r = await server.app.get(MetricsService).refresh(false);
    expect(r.state?.mode).toBe('incremental');
    expect(await server.app.get(MetricsStateService).isCurrent()).toBe(true);
    await compare();
  });
});
