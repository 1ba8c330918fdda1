// The forecast in the metric object (docs/metrics.md, "Forecast") on a
// hand-made ledger: equal to the hand-computed projection, equal to the
// projection of the region's own rates fetched as of two days (another
// route: two separate as-of answers, not the trend the forecast reads),
// the same from the CLI (every existing key unchanged) and from kept
// snapshots as live, and counted on the wall screen.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsService } from '../../backend/src/alerts/alerts.service';
import { endOfDay } from '../../backend/src/alerts/alerts.rules';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { METRIC_KEYS } from '../../backend/src/metrics/metrics.types';
import { COUNTIES } from '../../backend/src/regions/regions.data';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { ingest, ledgerCsv, pid, runCli, serviceCsv, type LedgerRow, type ServiceRow } from '../helpers/ledger-fixtures';

type F = { projectedEnd: number | null; onTrack: boolean | null; neededPerDay: number | null };
type Body = Record<string, unknown> & { forecast: Record<string, F>; contactRate: number | null };

const D = '2022-09-30';
const D14 = '2022-09-16';
const END = '2022-12-31';
const LEFT = 92; // 1 Oct … 31 Dec

// 南关区: 20 persons received 1 September; 8 contacted on 10 September, a 9th on 25 September.
// 吉林市昌邑区: one person received on D, never contacted (a single day of data).
const persons: LedgerRow[] = [
  ...Array.from({ length: 20 }, (_, i) => ({ id: pid(500 + i), received: '2022-09-01', county: '220102', updated: '2022-09-01 08:00:00' })),
  { id: pid(600), received: D, county: '220202', updated: `${D} 09:00:00` },
];
const services: ServiceRow[] = [
  ...Array.from({ length: 8 }, (_, i) => ({ rid: `S${i}`, id: pid(500 + i), time: '2022-09-10 10:00:00', type: '联系', result: '已联系', county: '220102' })),
  { rid: 'S9', id: pid(508), time: '2022-09-25 10:00:00', type: '联系', result: '已联系', county: '220102' },
];

function project(now: number, before: number, days: number): number {
  return Math.min(1, Math.max(0, now + ((now - before) / days) * LEFT));
}

describe('forecast in the metric object', () => {
  let server: TestServer;
  let dataDir: string;
  let cliJson: Record<string, unknown> | null = null;
  const get = async (p: string): Promise<Body> => {
    const r = await server.fetch(p);
    expect(r.status, p).toBe(200);
    return (await r.json()) as Body;
  };

  beforeAll(async () => {
    const files = fs.mkdtempSync(path.join(os.tmpdir(), 'forecast-files-'));
    dataDir = tempDataDir('i18-forecast-');
    const loaded = await ingest(dataDir, [ledgerCsv(files, 'ledger.csv', persons), serviceCsv(files, 'services.csv', services)]);
    expect(loaded).toMatchObject({ accepted: persons.length + services.length, rejected: 0 });
    // The CLI before the server takes the data directory (one process per directory).
    const cli = await runCli(dataDir, ['metrics', '--region', '220102', '--as-of', D, '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    cliJson = cli.json;
    // The optional forecast_miss rule, turned on the way an operator would (this file runs in its own process).
    const alertsCfg = path.join(files, 'alerts.json');
    fs.writeFileSync(alertsCfg, JSON.stringify({ rules: { forecast_miss: { enabled: true } } }));
    process.env.ALERTS_CONFIG = alertsCfg;
    server = await startTestServer({ dataDir });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
  });

  it('equals the projection computed by hand', async () => {
    const b = await get(`/api/metrics/220102?asOf=${D}`);
    expect(b.contactRate).toBeCloseTo(9 / 20, 12);
    const want = 0.45 + (0.05 / 14) * LEFT;
    expect(b.forecast.contactRate!.projectedEnd).toBeCloseTo(want, 12);
    expect(b.forecast.contactRate!.onTrack).toBe(false);
    expect(b.forecast.contactRate!.neededPerDay).toBeCloseTo((0.95 - 0.45) / LEFT, 12);
    // No one with 有就业意愿: rate1311 has no denominator.
    expect(b.forecast.rate1311).toEqual({ projectedEnd: null, onTrack: null, neededPerDay: null });
    // Nobody employed, flat at 0.
    expect(b.forecast.employmentRate!.projectedEnd).toBe(0);
    expect(b.forecast.employmentRate!.neededPerDay).toBeCloseTo(0.9 / LEFT, 12);
    expect(Object.keys(b.forecast).sort()).toEqual(['contactRate', 'employmentRate', 'hardshipOneOnOneRate', 'helpSlaRate', 'rate1311']);
  });

  it('equals the projection of the region’s rates asked for as of D − 14 and D, for the county, its unit and the province', async () => {
    for (const code of ['220102', '220100', '220000']) {
      const [now, before] = await Promise.all([get(`/api/metrics/${code}?asOf=${D}`), get(`/api/metrics/${code}?asOf=${D14}`)]);
      for (const k of ['contactRate', 'employmentRate'] as const) {
        const n = now[k] as number;
        const b = before[k] as number;
        expect(now.forecast[k]!.projectedEnd, `${code} ${k}`).toBeCloseTo(project(n, b, 14), 12);
        expect(now.forecast[k]!.onTrack, `${code} ${k}`).toBe(project(n, b, 14) >= (k === 'contactRate' ? 0.95 : 0.9));
      }
    }
    // The province adds 昌邑区's one uncontacted person on D: 9/21 now against 8/20 then.
    const p = await get(`/api/metrics/220000?asOf=${D}`);
    expect(p.forecast.contactRate!.projectedEnd).toBeCloseTo(project(9 / 21, 8 / 20, 14), 12);
  });

  it('one day of data: no projection yet, the daily gain needed is known', async () => {
    const b = await get(`/api/metrics/220202?asOf=${D}`);
    expect(b.forecast.contactRate).toEqual({ projectedEnd: null, onTrack: null, neededPerDay: 0.95 / LEFT });
  });

  it('after the campaign’s last day: the value is final, no daily gain', async () => {
    const b = await get(`/api/metrics/220102?asOf=${END}`);
    expect(b.forecast.contactRate).toEqual({ projectedEnd: 0.45, onTrack: false, neededPerDay: null });
  });

  it('the CLI prints the same forecast and every metric key as before', async () => {
    const b = await get(`/api/metrics/220102?asOf=${D}`);
    expect(cliJson).not.toBeNull();
    for (const k of ['region', 'asOf', ...METRIC_KEYS]) expect(cliJson, k).toHaveProperty(k);
    for (const k of METRIC_KEYS) expect(cliJson![k], k).toEqual(b[k]);
    const f = cliJson!.forecast as Record<string, F>;
    for (const [k, v] of Object.entries(b.forecast)) {
      expect(f[k]!.onTrack, k).toBe(v.onTrack);
      if (v.projectedEnd === null) expect(f[k]!.projectedEnd).toBeNull();
      else expect(f[k]!.projectedEnd).toBeCloseTo(v.projectedEnd, 12);
    }
  });

  it('is the same from kept snapshots as computed live', async () => {
    const live = (await get(`/api/metrics/220102?asOf=${D}`)).forecast;
    const svc = server.app.get(MetricsService);
    const r = await svc.refresh(true);
    expect(r.skipped).toBe(false);
    const b = await get(`/api/metrics/220102?asOf=${D}`);
    expect(b.source).toBe('snapshot');
    expect(b.forecast).toEqual(live);
  });

  it('forecast_miss, when turned on, alerts the county and the unit whose projection misses', async () => {
    const r = await server.app.get(AlertsService).evaluate(endOfDay(D), { dryRun: true });
    const subjects = r.open.filter((a) => a.rule === 'forecast_miss').map((a) => a.subject).sort();
    // 南关区 and 长春市 (its only county with data) miss on contact and employment; 1311 has no denominator;
    // 昌邑区 and 吉林市 have a single day of data, no projection.
    expect(subjects).toEqual(['county:220102:contactRate', 'county:220102:employmentRate', 'unit:220100:contactRate', 'unit:220100:employmentRate']);
    const a = r.open.find((x) => x.subject === 'county:220102:contactRate')!;
    expect(a.title).toContain('预计年底 77.9%');
  });

  it('the wall counts the counties that will miss, and the lagging list carries each county’s forecast', async () => {
    const s = (await get(`/api/screen/220000?asOf=${D}`)) as unknown as {
      forecastMiss: { counties: number; end: string; daysLeft: number; rates: Array<{ metric: string; miss: number; onTrack: number; unknown: number }> };
      lagging: Array<{ code: string; forecast: Record<string, F> }>;
      forecast: Record<string, F>;
    };
    expect(s.forecastMiss).toMatchObject({ end: END, daysLeft: LEFT });
    const contact = s.forecastMiss.rates.find((r) => r.metric === 'contactRate')!;
    // 南关区 misses; 昌邑区 has a single day; the other counties have no one.
    expect(contact).toMatchObject({ miss: 1, onTrack: 0, unknown: s.forecastMiss.counties - 1 });
    const county = (await get(`/api/metrics/220102?asOf=${D}`)).forecast;
    const lag = s.lagging.find((c) => c.code === '220102');
    expect(lag?.forecast).toEqual(county);
    expect(s.forecast).toEqual((await get(`/api/metrics/220000?asOf=${D}`)).forecast);
    // A unit's wall counts its own counties only: 长春's (南关区 misses), not 吉林's.
    const unit = (await get(`/api/screen/220100?asOf=${D}`)) as unknown as typeof s;
    const counties = COUNTIES.filter((c) => c.parentCode === '220100').length;
    expect(unit.forecastMiss.counties).toBe(counties);
    expect(unit.forecastMiss.rates.find((r) => r.metric === 'contactRate')).toMatchObject({ miss: 1, onTrack: 0, unknown: counties - 1 });
    const jilin = (await get(`/api/screen/220200?asOf=${D}`)) as unknown as typeof s;
    expect(jilin.forecastMiss.rates.find((r) => r.metric === 'contactRate')).toMatchObject({ miss: 0, onTrack: 0 });
  });
});
