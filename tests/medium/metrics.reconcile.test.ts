// Reconciliation on a generated demo campaign (≈3000 persons): for several days
// July–December, every unit equals the sum of its counties, the province the
// sum of its units (plus pendingDistribution for counts of persons), and the
// daily `trend` (metrics_daily) equals the single-day metrics (metrics_as_of)
// for the same days — two different computations inside the product.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { generateDemo } from '../../backend/src/demo/demo.generator';
import { REGIONS } from '../../backend/src/regions/regions.data';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { getJson, ingest, METRIC_KEYS, pickMetrics, type IngestSummary, type MetricKey, type MetricValues } from '../helpers/ledger-fixtures';
import { budget } from '../helpers/budget';

const DAYS = ['2022-07-01', '2022-07-15', '2022-08-31', '2022-09-30', '2022-10-17', '2022-11-30', '2022-12-31'];
const COUNTS: MetricKey[] = METRIC_KEYS.filter((k) => !/Rate$|^rate/.test(k));
// Counts of persons: at the province the undistributed persons add to the units' sum. Help requests always carry a county.
const PERSON_COUNTS: MetricKey[] = COUNTS.filter((k) => !k.startsWith('help') && k !== 'pendingDistribution');

type Row = MetricValues & { region: string; level: string };

describe('reconciliation on a demo campaign', () => {
  let server: TestServer;
  let loaded: IngestSummary;
  /** day → code → single-day metrics (from the parent's `children` and the node itself). */
  const single = new Map<string, Map<string, Row>>();

  beforeAll(async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-reconcile-demo-'));
    const demo = await generateDemo({ outDir: out, persons: 3000, seed: 7 });
    const dataDir = tempDataDir('metrics-reconcile-data-');
    loaded = await ingest(dataDir, demo.files.map((f) => f.path));
    server = await startTestServer({ dataDir });
  }, budget(180_000));
  afterAll(async () => {
    await server?.close();
  });

  async function full(code: string, day: string): Promise<Record<string, unknown>> {
    const r = await getJson(server.fetch, `/api/metrics/${code}?asOf=${day}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  }

  it('loads the demo campaign', () => {
    expect(loaded.accepted).toBeGreaterThan(3000);
  });

  it('every unit = sum of its counties; the province = sum of its units (+ pending)', async () => {
    for (const day of DAYS) {
      const m = new Map<string, Row>();
      single.set(day, m);
      const prov = await full('220000', day);
      m.set('220000', { ...pickMetrics(prov), region: '220000', level: 'province' });
      const units = prov.children as Row[];
      expect(units).toHaveLength(11);
      for (const k of COUNTS) {
        const sum = units.reduce((a, u) => a + (u[k] as number), 0);
        const pending = prov.pendingDistribution as number;
        if (k === 'pendingDistribution') {
          expect(sum, `${day} units' pendingDistribution`).toBe(0);
        } else if (k === 'received') {
          expect(prov[k], `${day} province received = Σ units + pending`).toBe(sum + pending);
        } else if (PERSON_COUNTS.includes(k)) {
          // the undistributed persons add their own share (between 0 and all of them)
          expect(prov[k] as number, `${day} province ${k} ≥ Σ units`).toBeGreaterThanOrEqual(sum);
          expect((prov[k] as number) - sum, `${day} province ${k} - Σ units ≤ pending`).toBeLessThanOrEqual(pending);
        } else {
          expect(prov[k], `${day} province ${k} = Σ units`).toBe(sum);
        }
      }
      for (const u of units) {
        const body = await full(u.region, day);
        expect(pickMetrics(body), `${u.region} ${day}: child row = own request`).toEqual(pickMetrics(u));
        m.set(u.region, { ...pickMetrics(u), region: u.region, level: 'unit' });
        const counties = body.children as Row[];
        expect(counties.length, u.region).toBeGreaterThan(0);
        for (const k of COUNTS) {
          expect(u[k], `${day} ${u.region} ${k} = Σ counties`).toBe(counties.reduce((a, c) => a + (c[k] as number), 0));
        }
        for (const c of counties) m.set(c.region, { ...pickMetrics(c), region: c.region, level: 'county' });
      }
      // rates are computed from the sums
      const p = m.get('220000')!;
      expect(p.contactRate).toBeCloseTo(p.received ? (p.contacted as number) / (p.received as number) : NaN, 12);
      expect(p.received, `${day} has data`).toBeGreaterThan(0);
    }
    // all 84 nodes seen on every day
    for (const day of DAYS) expect(single.get(day)!.size).toBe(REGIONS.filter((r) => r.level !== 'county' || r.code !== '220581').length);
  });

  it("the daily trend equals the single-day metrics for the same days, for every node", async () => {
    expect(single.size).toBe(DAYS.length);
    const last = DAYS.at(-1)!;
    for (const code of single.get(last)!.keys()) {
      const trend = (await full(code, last)).trend as Array<Record<string, unknown>>;
      const byDay = new Map(trend.map((t) => [t.asOf as string, t]));
      for (const day of DAYS) {
        const want = single.get(day)!.get(code)!;
        const got = byDay.get(day);
        expect(got, `${code} trend has ${day}`).toBeDefined();
        expect(pickMetrics(got!), `${code} ${day}: trend = single day`).toEqual(pickMetrics(want));
      }
    }
  });

  it('after the snapshot refresh, the stored days serve the same numbers', async () => {
    expect(single.size).toBe(DAYS.length);
    const r = await server.app.get(MetricsService).refresh(true);
    expect(r.skipped).toBe(false);
    for (const day of DAYS) {
      const prov = await full('220000', day);
      expect(prov.source, day).toBe('snapshot');
      expect(pickMetrics(prov), `220000 ${day}`).toEqual(pickMetrics(single.get(day)!.get('220000')!));
      for (const c of [...(prov.children as Row[]), ...((await full('220100', day)).children as Row[])]) {
        expect(pickMetrics(c), `${c.region} ${day} (snapshot)`).toEqual(pickMetrics(single.get(day)!.get(c.region)!));
      }
    }
  });
});
