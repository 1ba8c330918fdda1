// GET /api/metrics/:code and GET /api/recruitment/:unitCode: bad input is a
// 400 with a message (never a 500), a valid request carries children, trend,
// rank, targets and lagging; recruitment-event compliance per metrics.md
// ("Recruitment events") on hand-made events.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { eventCsv, getJson, ingest, ledgerCsv, pid, type EventRow, type IngestSummary } from '../helpers/ledger-fixtures';

// ISO weeks of Aug–Sep 2022: W31 08-01..07, W32 08-08..14, W33 08-15..21, W34 08-22..28, W35 08-29..09-04, W36 09-05..11.
const events: EventRow[] = [
  { eid: 'E1', region: '220202', type: '专业性', date: '2022-08-03' }, // W31, on a county of 吉林 → counts for 220200
  { eid: 'E2', region: '220200', type: '综合性', date: '2022-08-10' }, // W32 has only this 综合性 → W32 missed; August has its 综合性
  { eid: 'E3', region: '220200', type: '专业性', date: '2022-08-15' }, // W33 (Monday)
  // W34: nothing → missed.
  { eid: 'E4', region: '220271', type: '专业性', date: '2022-08-29' }, // W35, a development zone of 吉林
  // W36: nothing, but with to = 09-07 the week is still running → not a miss.
  { eid: 'E5', region: '220100', type: '综合性', date: '2022-07-15' }, // 长春's July event: not 吉林's
  { eid: 'E6', region: '220100', type: '专业性', date: '2022-08-09' }, // 长春 in W32: not 吉林's
  { eid: 'E7', region: '220581', type: '综合性', date: '2022-07-20' }, // 梅河口: its own unit, not 通化's
];

describe('metrics and recruitment API', () => {
  let server: TestServer;
  let loaded: IngestSummary;

  beforeAll(async () => {
    const files = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-api-files-'));
    const dataDir = tempDataDir('metrics-api-data-');
    loaded = await ingest(dataDir, [
      ledgerCsv(files, 'ledger.csv', [
        { id: pid(301), received: '2022-07-01', county: '220202', category: '有就业意愿', status: '已就业', updated: '2022-07-01 08:00:00' },
        { id: pid(302), received: '2022-07-01', county: '220102', updated: '2022-07-01 08:00:00' },
      ]),
      eventCsv(files, 'events.csv', events),
    ]);
    server = await startTestServer({ dataDir });
  });
  afterAll(async () => {
    await server?.close();
  });

  const get = (p: string) => getJson(server.fetch, p);

  it('loads', () => {
    expect(loaded).toMatchObject({ accepted: 2 + events.length, rejected: 0 });
  });

  it.each([
    ['missing asOf', '/api/metrics/220000'],
    ['empty asOf', '/api/metrics/220000?asOf='],
    ['month 13', '/api/metrics/220000?asOf=2022-13-01'],
    ['30 February', '/api/metrics/220000?asOf=2022-02-30'],
    ['not a date', '/api/metrics/220000?asOf=abc'],
    ['not zero-padded', '/api/metrics/220000?asOf=2022-9-1'],
    ['unknown 6-digit code', '/api/metrics/229999?asOf=2022-09-30'],
    ['code not 6 digits', '/api/metrics/abc?asOf=2022-09-30'],
    ['before the campaign', '/api/metrics/220000?asOf=2019-01-01'],
    ['after the campaign', '/api/metrics/220000?asOf=2023-06-01'],
    ['lagging with a bad day', '/api/metrics/220100/lagging?asOf=2022-02-30'],
  ])('%s → 400 with a message', async (_what, p) => {
    const r = await get(p);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    const msg = r.body.message;
    expect(typeof msg === 'string' ? msg : (msg as string[]).join(' ')).toMatch(/\S/);
  });

  it('a valid request → 200 with the metrics, children, trend, rank, targets and lagging', async () => {
    const r = await get('/api/metrics/220200?asOf=2022-07-03');
    expect(r.status).toBe(200);
    const b = r.body;
    // 吉林 as of 07-03: P301 in 220202, 有就业意愿, 已就业, no service.
    expect(b).toMatchObject({ region: '220200', asOf: '2022-07-03', received: 1, employed: 1, employmentRate: 1, contacted: 0, contactRate: 0, intentEmployment: 1, rate1311: 0 });
    const children = b.children as Array<{ region: string; received: number }>;
    expect(children.map((c) => c.region)).toContain('220202');
    expect(children.find((c) => c.region === '220202')).toMatchObject({ received: 1 });
    expect(children.reduce((a, c) => a + c.received, 0)).toBe(1);
    const trend = b.trend as Array<{ asOf: string; received: number }>;
    expect(Array.isArray(trend)).toBe(true);
    expect(trend.at(-1)).toMatchObject({ asOf: '2022-07-03', received: 1 });
    // one entry per day, consecutive
    for (let i = 1; i < trend.length; i++) {
      expect(Date.parse(trend[i]!.asOf) - Date.parse(trend[i - 1]!.asOf)).toBe(86_400_000);
    }
    expect(b.rank).toBeTypeOf('object');
    expect(b.targets).toBeTypeOf('object');
    expect(Array.isArray(b.lagging)).toBe(true);

    const prov = await get('/api/metrics/220000?asOf=2022-12-31');
    expect(prov.status).toBe(200);
    expect((prov.body.children as unknown[]).length).toBe(11);
    expect(prov.body).toMatchObject({ received: 2, employed: 1 });
  });

  it('recruitment: ISO weeks with/without a 专业性 event, months with/without a 综合性 event, a running week is no miss', async () => {
    const r = await get('/api/recruitment/220200?from=2022-08-01&to=2022-09-07');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const weeks = r.body.weeks as Array<{ start: string; professional: number; ended: boolean; missed: boolean }>;
    expect(weeks.map((w) => [w.start, w.professional, w.missed])).toEqual([
      ['2022-08-01', 1, false], // E1 (on 220202)
      ['2022-08-08', 0, true], // only the 综合性 E2 (长春's E6 is not 吉林's)
      ['2022-08-15', 1, false], // E3
      ['2022-08-22', 0, true], // nothing
      ['2022-08-29', 1, false], // E4 (on 220271)
      ['2022-09-05', 0, false], // still running on 09-07
    ]);
    expect(weeks.at(-1)!.ended).toBe(false);
    expect(r.body.weeksMissed).toBe(2);
    const months = r.body.months as Array<{ month: string; comprehensive: number; missed: boolean }>;
    expect(months.map((m) => [m.month, m.comprehensive, m.missed])).toEqual([
      ['2022-08', 1, false], // E2
      ['2022-09', 0, false], // running
    ]);
    expect(r.body.monthsMissed).toBe(0);

    // July: 吉林 has no 综合性 (E5 is 长春's) → missed; 长春 → not missed.
    const jl = await get('/api/recruitment/220200?from=2022-07-01&to=2022-07-31');
    expect((jl.body.months as Array<{ month: string; missed: boolean }>)).toEqual([expect.objectContaining({ month: '2022-07', missed: true })]);
    const cc = await get('/api/recruitment/220100?from=2022-07-01&to=2022-07-31');
    expect((cc.body.months as Array<{ month: string; missed: boolean }>)).toEqual([expect.objectContaining({ month: '2022-07', missed: false })]);
    // 梅河口's event counts for 梅河口, not for 通化.
    const mhk = await get('/api/recruitment/220581?from=2022-07-01&to=2022-07-31');
    expect(mhk.status).toBe(200);
    expect((mhk.body.months as Array<{ comprehensive: number; missed: boolean }>)[0]).toMatchObject({ comprehensive: 1, missed: false });
    const th = await get('/api/recruitment/220500?from=2022-07-01&to=2022-07-31');
    expect((th.body.months as Array<{ comprehensive: number; missed: boolean }>)[0]).toMatchObject({ comprehensive: 0, missed: true });
  });

  it.each([
    ['unknown code', '/api/recruitment/229999'],
    ['a county, not a reporting unit', '/api/recruitment/220202'],
    ['bad from', '/api/recruitment/220200?from=2022-02-30'],
    ['from after to', '/api/recruitment/220200?from=2022-09-01&to=2022-08-01'],
  ])('recruitment %s → 400 with a message', async (_what, p) => {
    const r = await get(p);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(JSON.stringify(r.body.message ?? '')).toMatch(/\S/);
  });
});
