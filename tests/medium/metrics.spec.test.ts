// Independent check of the metrics engine against ../shared/spec/metrics.md.
// Every expectation below was worked out by hand from the fixture in this file
// (the reasoning is next to it); nothing is computed by the code under test.
//
// The fixture is loaded through the CLI contract (`cli ingest`), a few values
// are read through `cli metrics --json`, the rest through GET /api/metrics
// (single day) and, for every expectation, also through the same endpoint's
// daily `trend` (a second computation inside the product).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import {
  cliMetrics, getJson, ingest, ledgerCsv, METRIC_KEYS, pickMetrics, pid, serviceCsv, ZERO,
  type IngestSummary, type LedgerRow, type MetricValues, type ServiceRow,
} from '../helpers/ledger-fixtures';

const frac = (n: number, d: number) => expect.closeTo(n / d, 12);

// ---------------------------------------------------------------------------
// The fixture. P<n> is person n; all rows: 毕业年份 2022, 应届毕业生, 教育部门.
const P = (n: number) => pid(n);
const base = { received: '2022-07-01', updated: '2022-07-01 08:00:00' };

const ledger: LedgerRow[] = [
  // P1: three versions; moves 220102 (长春) → 220202 (吉林) at 08-10 23:59:59, then 升学/暂无就业意愿 at 08-21 00:00:00.
  // Written newest first on purpose: the state is chosen by 更新时间, not by row order.
  { id: P(1), received: '2022-07-05', county: '220202', category: '暂无就业意愿', status: '升学', updated: '2022-08-21 00:00:00' },
  { id: P(1), received: '2022-07-05', county: '220202', category: '有就业意愿', status: '已就业', updated: '2022-08-10 23:59:59' },
  { id: P(1), received: '2022-07-05', county: '220102', category: '有就业意愿', status: '未就业', updated: '2022-07-05 09:00:00' },
  // P2: the row exists from 07-01 but 接收日期 is 07-10.
  { id: P(2), received: '2022-07-10', county: '220103', category: '有就业意愿', updated: '2022-07-01 10:00:00' },
  // P3: received 07-03 without a county (pending), distributed to 220105 on 07-20 12:00.
  { id: P(3), received: '2022-07-03', county: '', updated: '2022-07-03 08:00:00' },
  { id: P(3), received: '2022-07-03', county: '220105', category: '有就业意愿', updated: '2022-07-20 12:00:00' },
  // 1311 group in 220204 (吉林): P4, P6, P27 有就业意愿, P7 暂无就业意愿.
  { id: P(4), county: '220204', category: '有就业意愿', ...base },
  { id: P(6), county: '220204', category: '有就业意愿', ...base },
  { id: P(7), county: '220204', category: '暂无就业意愿', ...base },
  { id: P(27), county: '220204', category: '有就业意愿', ...base },
  // contact group in 220211 (吉林).
  { id: P(8), county: '220211', category: '无法联系', ...base },
  { id: P(9), county: '220211', category: '有就业意愿', ...base },
  { id: P(10), county: '220211', ...base },
  // P5: appears on 07-08; has a service dated 07-02.
  { id: P(5), received: '2022-07-08', county: '220221', category: '有就业意愿', updated: '2022-07-08 10:00:00' },
  // employment statuses in 222401 (延边), all 有创业意愿 (so no 有就业意愿 there).
  ...(['已就业', '自主创业', '灵活就业', '公益性岗位', '升学', '参军', '未就业', ''] as const).map((status, i) => ({
    id: P([11, 12, 13, 14, 15, 16, 17, 28][i]!), county: '222401', category: '有创业意愿', status, ...base,
  })),
  // hardship group in 220302 (四平).
  { id: P(18), county: '220302', hardship: '脱贫家庭;残疾', status: '已就业', ...base },
  { id: P(19), county: '220302', hardship: '零就业家庭', status: '未就业', ...base },
  { id: P(19), county: '220302', hardship: '', status: '未就业', received: '2022-07-01', updated: '2022-08-01 12:00:00' },
  { id: P(20), county: '220302', hardship: '特殊困难', status: '灵活就业', ...base },
  { id: P(29), county: '220302', hardship: '', status: '已就业', ...base },
  { id: P(30), county: '220302', hardship: '零就业家庭、残疾', status: '未就业', ...base },
  { id: P(31), county: '220302', hardship: '脱贫家庭,特殊困难', status: '升学', ...base },
  // reporting-tree traps.
  { id: P(21), county: '220581', status: '已就业', ...base }, // 梅河口: its own unit
  { id: P(22), county: '220502', status: '未就业', ...base }, // 通化 东昌区
  { id: P(23), county: '220381', category: '有就业意愿', ...base }, // legacy 公主岭 → 220184 under 长春
  { id: P(24), county: '229901', ...base },
  { id: P(25), county: '229902', ...base },
  { id: P(26), county: '229903', ...base },
  // P32: 接收日期 corrected from 07-01 to 07-10 by a version stamped 07-05 → received 07-01..07-04, not 07-05..07-09, again from 07-10.
  { id: P(32), county: '220602', received: '2022-07-01', updated: '2022-07-01 08:00:00' },
  { id: P(32), county: '220602', received: '2022-07-10', updated: '2022-07-05 08:00:00' },
  // P33: in 220802 (白城) from 07-01, taken back to the province (county emptied) on 07-25.
  { id: P(33), county: '220802', ...base },
  { id: P(33), county: '', received: '2022-07-01', updated: '2022-07-25 08:00:00' },
];

const services: ServiceRow[] = [
  // P1: given (and written) at 梅河口 220581, credited to P1's county of the day.
  { rid: 'S1', id: P(1), time: '2022-08-01 10:00', type: '职业指导', county: '220581' },
  { rid: 'S2', id: P(3), time: '2022-07-04 09:00', type: '联系', result: '已联系', county: '220105' },
  // P4: exactly 1+3+1+1, the third 岗位推介 on 07-15 (bare date = 00:00).
  { rid: 'A1', id: P(4), time: '2022-07-02 09:00', type: '职业指导', county: '220204' },
  { rid: 'A2', id: P(4), time: '2022-07-03', type: '岗位推介', county: '220204' },
  { rid: 'A3', id: P(4), time: '2022-07-04 10:00', type: '岗位推介', county: '220204' },
  { rid: 'A4', id: P(4), time: '2022-07-05 14:00', type: '技能培训', county: '220204' },
  { rid: 'A5', id: P(4), time: '2022-07-10 00:00:00', type: '就业见习', county: '220204' },
  { rid: 'A6', id: P(4), time: '2022-07-15', type: '岗位推介', county: '220204' },
  // P6: only two 岗位推介.
  { rid: 'B1', id: P(6), time: '2022-07-02 09:00', type: '职业指导', county: '220204' },
  { rid: 'B2', id: P(6), time: '2022-07-03 09:00', type: '岗位推介', county: '220204' },
  { rid: 'B3', id: P(6), time: '2022-07-04 09:00', type: '岗位推介', county: '220204' },
  { rid: 'B4', id: P(6), time: '2022-07-05 09:00', type: '技能培训', county: '220204' },
  { rid: 'B5', id: P(6), time: '2022-07-06 09:00', type: '就业见习', county: '220204' },
  // P7: everything, but 暂无就业意愿.
  { rid: 'C1', id: P(7), time: '2022-07-02 09:00', type: '职业指导', county: '220204' },
  { rid: 'C2', id: P(7), time: '2022-07-03 09:00', type: '岗位推介', county: '220204' },
  { rid: 'C3', id: P(7), time: '2022-07-04 09:00', type: '岗位推介', county: '220204' },
  { rid: 'C4', id: P(7), time: '2022-07-05 09:00', type: '岗位推介', county: '220204' },
  { rid: 'C5', id: P(7), time: '2022-07-05 10:00', type: '技能培训', county: '220204' },
  { rid: 'C6', id: P(7), time: '2022-07-06 09:00', type: '就业见习', county: '220204' },
  // P27: more than required (2+4+1+1), complete at 07-06 10:00.
  { rid: 'D1', id: P(27), time: '2022-07-02 09:00', type: '职业指导', county: '220204' },
  { rid: 'D2', id: P(27), time: '2022-07-03 09:00', type: '职业指导', county: '220204' },
  { rid: 'D3', id: P(27), time: '2022-07-03 09:00', type: '岗位推介', county: '220204' },
  { rid: 'D4', id: P(27), time: '2022-07-04 09:00', type: '岗位推介', county: '220204' },
  { rid: 'D5', id: P(27), time: '2022-07-05 09:00', type: '岗位推介', county: '220204' },
  { rid: 'D6', id: P(27), time: '2022-07-06 09:00', type: '岗位推介', county: '220204' },
  { rid: 'D7', id: P(27), time: '2022-07-05 09:00', type: '技能培训', county: '220204' },
  { rid: 'D8', id: P(27), time: '2022-07-06 10:00', type: '就业见习', county: '220204' },
  // contact group.
  { rid: 'E1', id: P(8), time: '2022-07-05 10:00', type: '联系', result: '未联系上', county: '220211' },
  { rid: 'E2', id: P(8), time: '2022-07-20 00:00:00', type: '跟踪回访', county: '220211' },
  { rid: 'F1', id: P(9), time: '2022-07-05 10:00', type: '联系', result: '已联系', county: '220211' },
  { rid: 'G1', id: P(10), time: '2022-07-03 09:00', type: '联系', result: '未联系上', county: '220211' },
  { rid: 'G2', id: P(10), time: '2022-07-04 09:00', type: '联系', result: '未联系上', county: '220211' },
  { rid: 'G3', id: P(10), time: '2022-07-25 23:59:59', type: '联系', result: '已联系', county: '220211' },
  // P5's service predates P5's first ledger row.
  { rid: 'H1', id: P(5), time: '2022-07-02 10:00', type: '联系', result: '已联系', county: '220221' },
  // hardship group.
  { rid: 'I1', id: P(18), time: '2022-07-10 10:00', type: '一对一帮扶', county: '220302' },
  { rid: 'I2', id: P(20), time: '2022-07-20 09:00', type: '一对一帮扶', county: '220302' },
  { rid: 'I3', id: P(29), time: '2022-07-10 10:00', type: '一对一帮扶', county: '220302' },
  // a person who never appears in the ledger: never counted anywhere.
  { rid: 'Z1', id: P(900), time: '2022-07-05 10:00', type: '职业指导', county: '220204' },
];

describe('metrics per the spec, on a hand-made ledger', () => {
  let server: TestServer;
  let summary: IngestSummary;
  let cliProvince: Record<string, unknown>;
  let cliEmpty: Record<string, unknown>;
  let cliChangchun: Record<string, unknown>;
  const trendCache = new Map<string, Array<Record<string, unknown>>>();

  beforeAll(async () => {
    const files = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-spec-files-'));
    const dataDir = tempDataDir('metrics-spec-data-');
    summary = await ingest(dataDir, [ledgerCsv(files, 'ledger.csv', ledger), serviceCsv(files, 'services.csv', services)]);
    // The CLI contract, before the in-process server takes the data directory.
    cliProvince = await cliMetrics(dataDir, '220000', '2022-07-31');
    cliEmpty = await cliMetrics(dataDir, '220400', '2022-07-31');
    cliChangchun = await cliMetrics(dataDir, '220100', '2022-08-10');
    server = await startTestServer({ dataDir });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function full(code: string, day: string): Promise<Record<string, unknown>> {
    const r = await getJson(server.fetch, `/api/metrics/${code}?asOf=${day}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  }
  async function at(code: string, day: string): Promise<MetricValues> {
    return pickMetrics(await full(code, day));
  }
  async function trendAt(code: string, day: string): Promise<MetricValues> {
    let t = trendCache.get(code);
    if (!t) {
      t = (await full(code, '2022-08-31')).trend as Array<Record<string, unknown>>;
      trendCache.set(code, t);
    }
    const row = t.find((x) => x.asOf === day);
    expect(row, `trend of ${code} has ${day}`).toBeDefined();
    return pickMetrics(row!);
  }
  /** The single-day value and the trend's value for that day both match. */
  async function expectAt(code: string, day: string, want: Partial<Record<keyof MetricValues, unknown>>): Promise<void> {
    expect(await at(code, day), `${code} as of ${day} (single day)`).toMatchObject(want);
    expect(await trendAt(code, day), `${code} as of ${day} (trend)`).toMatchObject(want);
  }

  it('loads the whole fixture', () => {
    // ledger: 3 (P1) + 1 (P2) + 2 (P3) + 4 + 3 + 1 (P5) + 8 + 7 (220302 incl. P19's 2 versions) + 6 (traps) + 2 (P32) + 2 (P33) = 39 rows;
    // services: 38 rows. No row is bad.
    expect(summary).toMatchObject({ accepted: 39 + services.length, rejected: 0 });
    expect(services.length).toBe(38);
  });

  it('CLI metrics --json prints region, asOf and every metric key, rates as fractions and JSON null', () => {
    for (const k of METRIC_KEYS) expect(cliProvince, k).toHaveProperty(k);
    expect(cliProvince).toMatchObject({ region: '220000', asOf: '2022-07-31' });
    // Province 07-31: all 33 persons received (P1..P33; P3 distributed 07-20, P5 from 07-08, P2 from 07-10, P32 again from 07-10);
    // P33 was taken back to the province on 07-25 → pending 1.
    // contacted: P3, P4, P6, P7, P27, P8 (07-20 跟踪回访), P9, P10 (07-25), P5, P18, P20, P29 = 12 (P1's S1 is 08-01).
    // intent: P1, P2, P3, P4, P6, P27, P9, P5, P23 = 9; 1311 complete: P4 (07-15), P27 (07-06) = 2.
    // employed: P11-P14 (4) + P18, P20, P29 (3) + P21 = 8. hardship: P18, P19, P20, P30, P31 = 5
    // (P19 loses it 08-01); one-on-one: P18, P20 = 2; hardship employed: P18, P20 = 2.
    expect(pickMetrics(cliProvince)).toMatchObject({
      received: 33, pendingDistribution: 1, contacted: 12, contactRate: frac(12, 33), intentEmployment: 9, completed1311: 2,
      rate1311: frac(2, 9), employed: 8, employmentRate: frac(8, 33), hardship: 5, hardshipOneOnOne: 2, hardshipEmployed: 2,
      helpRequests: 0, helpContactedInSla: 0, helpOverdue: 0,
    });
    // 辽源 has nobody: every rate is JSON null, not 0 / NaN.
    expect(pickMetrics(cliEmpty)).toEqual(ZERO);
    // 长春 08-10: P1 has left for 吉林 (v2 at 08-10 23:59:59), P2 (220103), P3 (220105), P23 (公主岭) remain = 3;
    // contacted P3 only; intent P2, P3, P23.
    expect(pickMetrics(cliChangchun)).toMatchObject({ received: 3, contacted: 1, intentEmployment: 3, employed: 0, pendingDistribution: 0 });
  });

  it("a person's state as of a day: versions, a county move, 23:59:59 counts for the day, 00:00:00 does not", async () => {
    await expectAt('220102', '2022-07-04', ZERO); // P1's first version is 07-05 09:00
    // 07-05: P1 v1 in 220102, 有就业意愿, 未就业, no service yet.
    await expectAt('220102', '2022-07-05', { received: 1, contacted: 0, contactRate: 0, intentEmployment: 1, completed1311: 0, rate1311: 0, employed: 0, employmentRate: 0 });
    // 08-01 10:00 S1 (职业指导) → contacted, credited to 220102 (P1's county), not to 220581 on the record.
    await expectAt('220102', '2022-08-01', { received: 1, contacted: 1, contactRate: 1 });
    await expectAt('220102', '2022-08-09', { received: 1, contacted: 1, employed: 0 });
    await expectAt('220202', '2022-08-09', ZERO);
    // v2 at 08-10 23:59:59 counts for 08-10: P1 now in 220202, 已就业, and S1 moves with P1.
    await expectAt('220102', '2022-08-10', ZERO);
    await expectAt('220202', '2022-08-10', { received: 1, contacted: 1, intentEmployment: 1, employed: 1, employmentRate: 1 });
    // v3 at 08-21 00:00:00 does not count for 08-20.
    await expectAt('220202', '2022-08-20', { received: 1, intentEmployment: 1, employed: 1 });
    await expectAt('220202', '2022-08-21', { received: 1, contacted: 1, intentEmployment: 0, rate1311: null, employed: 0, employmentRate: 0 });
    // 220581 never gets S1 (P21 there has no service).
    await expectAt('220581', '2022-08-01', { received: 1, contacted: 0, contactRate: 0 });
    await expectAt('220581', '2022-08-21', { received: 1, contacted: 0 });
  });

  it('received: 接收日期 after the day is not counted; the undistributed count only at the province', async () => {
    await expectAt('220103', '2022-07-09', ZERO); // P2's row exists since 07-01, received 07-10
    await expectAt('220103', '2022-07-10', { received: 1, intentEmployment: 1 });
    // 07-02: the 29 persons received 07-01 (P4,P6,P7,P27; P8-P10; 8 in 222401; 6 in 220302; P21-P26; P32; P33).
    await expectAt('220000', '2022-07-02', { received: 29, pendingDistribution: 0 });
    // 07-03: + P3, undistributed.
    await expectAt('220000', '2022-07-03', { received: 30, pendingDistribution: 1 });
    // 07-04: contacted P4, P6, P7, P27 (07-02) and P3 (pending, 联系 已联系 07-04); P10's 未联系上 does not count.
    await expectAt('220000', '2022-07-04', { received: 30, contacted: 5, contactRate: frac(5, 30) });
    // 07-19: + P1 (07-05), P5 (07-08), P2 (07-10) = 33 (P32 back since 07-10), P3 still pending.
    await expectAt('220000', '2022-07-19', { received: 33, pendingDistribution: 1, intentEmployment: 8 });
    await expectAt('220105', '2022-07-19', ZERO);
    // 长春 07-19: P1, P2, P23 — never P3 while it has no county; units show no pending.
    await expectAt('220100', '2022-07-19', { received: 3, pendingDistribution: 0, contacted: 0 });
    // 07-20 12:00 P3 is distributed to 220105 (its 07-04 contact comes along).
    await expectAt('220000', '2022-07-20', { received: 33, pendingDistribution: 0, intentEmployment: 9 });
    await expectAt('220105', '2022-07-20', { received: 1, contacted: 1, intentEmployment: 1 });
    await expectAt('220100', '2022-07-20', { received: 4, contacted: 1, intentEmployment: 4 });
  });

  it('接收日期 of the state decides (a later version can move it later); a county emptied later counts at the province only', async () => {
    await expectAt('220602', '2022-07-04', { received: 1 });
    await expectAt('220602', '2022-07-05', ZERO);
    await expectAt('220602', '2022-07-09', ZERO);
    await expectAt('220602', '2022-07-10', { received: 1 });
    await expectAt('220600', '2022-07-10', { received: 1, pendingDistribution: 0 });
    await expectAt('220802', '2022-07-24', { received: 1 });
    await expectAt('220802', '2022-07-25', ZERO);
    await expectAt('220800', '2022-07-25', ZERO);
    await expectAt('220000', '2022-07-24', { received: 33, pendingDistribution: 0 });
    await expectAt('220000', '2022-07-25', { received: 33, pendingDistribution: 1 });
  });

  it('province received = sum of units + pending, on days with and without pending persons', async () => {
    for (const day of ['2022-07-03', '2022-07-19', '2022-07-31', '2022-08-10']) {
      const prov = await full('220000', day);
      const units = prov.children as Array<Record<string, number>>;
      expect(units).toHaveLength(11);
      const sum = units.reduce((a, u) => a + u.received!, 0);
      expect(prov.received, day).toBe(sum + (prov.pendingDistribution as number));
      for (const u of units) expect(u.pendingDistribution, `${u.region} ${day}`).toBe(0);
    }
  });

  it('a service before its person exists counts once the person does', async () => {
    await expectAt('220221', '2022-07-07', ZERO); // H1 (07-02) waits for P5 (07-08)
    await expectAt('220221', '2022-07-08', { received: 1, contacted: 1, contactRate: 1, intentEmployment: 1 });
  });

  it('contacted: 联系/未联系上 alone does not count, 联系/已联系 and any other type do; 00:00:00 and 23:59:59 edges', async () => {
    // 220211: P8 (未联系上 07-05, 跟踪回访 07-20 00:00:00), P9 (已联系 07-05), P10 (未联系上 ×2, 已联系 07-25 23:59:59).
    await expectAt('220211', '2022-07-04', { received: 3, contacted: 0, contactRate: 0 });
    await expectAt('220211', '2022-07-05', { contacted: 1, contactRate: frac(1, 3) });
    await expectAt('220211', '2022-07-19', { contacted: 1 });
    await expectAt('220211', '2022-07-20', { contacted: 2 });
    await expectAt('220211', '2022-07-24', { contacted: 2 });
    await expectAt('220211', '2022-07-25', { contacted: 3, contactRate: 1, intentEmployment: 1, completed1311: 0, rate1311: 0 });
  });

  it('1311: ≥1 职业指导, ≥3 岗位推介, ≥1 技能培训, ≥1 就业见习, only for 有就业意愿', async () => {
    // 220204: P4, P6, P27 有就业意愿 (intent 3), P7 暂无就业意愿 with all services (never counted).
    await expectAt('220204', '2022-07-01', { received: 4, contacted: 0, intentEmployment: 3, completed1311: 0, rate1311: 0 });
    await expectAt('220204', '2022-07-02', { contacted: 4 }); // everyone had 职业指导 on 07-02
    await expectAt('220204', '2022-07-05', { completed1311: 0 }); // P27's 就业见习 is 07-06 10:00
    await expectAt('220204', '2022-07-06', { completed1311: 1, rate1311: frac(1, 3) }); // P27 (2+4+1+1)
    // P4's third 岗位推介 is the bare date 07-15 (= 07-15 00:00): not by 07-14, yes on 07-15. P6 (2 岗位推介) never.
    await expectAt('220204', '2022-07-14', { completed1311: 1 });
    await expectAt('220204', '2022-07-15', { received: 4, intentEmployment: 3, completed1311: 2, rate1311: frac(2, 3) });
    // 吉林 07-31: 220204 (intent 3, done 2) + 220211 (intent P9) + 220221 (intent P5) → 2/5; contacted 4 + 3 + 1.
    await expectAt('220200', '2022-07-31', { received: 8, contacted: 8, contactRate: 1, intentEmployment: 5, completed1311: 2, rate1311: frac(2, 5) });
  });

  it('employed: 已就业, 自主创业, 灵活就业, 公益性岗位 count; 升学, 参军, 未就业 and empty do not', async () => {
    // 222401: 8 persons, 4 employed; all 有创业意愿 → rate1311 null; no service → contactRate 0.
    const want = { received: 8, employed: 4, employmentRate: 0.5, intentEmployment: 0, completed1311: 0, rate1311: null, contacted: 0, contactRate: 0 };
    await expectAt('222401', '2022-07-01', want);
    await expectAt('222400', '2022-07-31', want);
  });

  it('hardship, one-on-one and hardship employed (multi-valued 困难类别 counts once)', async () => {
    // 220302: P18 (脱贫家庭;残疾, 已就业, 一对一 07-10), P19 (零就业家庭 until 08-01 12:00, 未就业), P20 (特殊困难, 灵活就业,
    // 一对一 07-20), P29 (no hardship, 已就业, 一对一 07-10), P30 (零就业家庭、残疾, 未就业), P31 ("脱贫家庭,特殊困难", 升学).
    await expectAt('220302', '2022-07-09', { received: 6, hardship: 5, hardshipOneOnOne: 0, hardshipEmployed: 2, employed: 3, contacted: 0 });
    await expectAt('220302', '2022-07-10', { hardship: 5, hardshipOneOnOne: 1, contacted: 2 }); // P18 (P29 is not hardship)
    await expectAt('220302', '2022-07-20', { hardship: 5, hardshipOneOnOne: 2, hardshipEmployed: 2, contacted: 3 });
    await expectAt('220302', '2022-07-31', { hardship: 5, hardshipOneOnOne: 2 });
    await expectAt('220302', '2022-08-01', { received: 6, hardship: 4, hardshipOneOnOne: 2, hardshipEmployed: 2, employed: 3 });
    // 四平 = 220302 only (公主岭 is no longer there).
    await expectAt('220300', '2022-08-01', { received: 6, hardship: 4, hardshipOneOnOne: 2, hardshipEmployed: 2, employed: 3, intentEmployment: 0, rate1311: null });
  });

  it('the reporting tree: 梅河口 its own unit, 公主岭 220381 → 220184 under 长春, 长白山 areas under 229900', async () => {
    await expectAt('220581', '2022-07-31', { received: 1, employed: 1, employmentRate: 1 });
    await expectAt('220500', '2022-07-31', { received: 1, employed: 0, employmentRate: 0 }); // P22 only
    await expectAt('220184', '2022-07-31', { received: 1, intentEmployment: 1 });
    await expectAt('220300', '2022-07-31', { received: 6 });
    await expectAt('229900', '2022-07-31', { received: 3 });
    for (const c of ['229901', '229902', '229903']) await expectAt(c, '2022-07-31', { received: 1 });

    const tonghua = await full('220500', '2022-07-31');
    expect((tonghua.children as Array<{ region: string }>).map((c) => c.region)).not.toContain('220581');
    const changchun = await full('220100', '2022-07-31');
    expect((changchun.children as Array<{ region: string; received: number }>).find((c) => c.region === '220184')).toMatchObject({ received: 1 });
    const cbs = await full('229900', '2022-07-31');
    expect((cbs.children as Array<{ region: string; received: number }>).map((c) => [c.region, c.received])).toEqual([
      ['229901', 1], ['229902', 1], ['229903', 1],
    ]);
    const prov = await full('220000', '2022-07-31');
    expect((prov.children as Array<{ region: string; received: number }>).find((c) => c.region === '220581')).toMatchObject({ received: 1 });
  });

  it('province totals on later days (P1 employed 08-10, 升学 08-21; P19 loses hardship 08-01)', async () => {
    // 08-10: employed 8 + P1 = 9; contacted 12 + P1 (S1 08-01) = 13; intent 9; hardship 4; P33 pending.
    await expectAt('220000', '2022-08-10', {
      received: 33, pendingDistribution: 1, contacted: 13, intentEmployment: 9, completed1311: 2, employed: 9, employmentRate: frac(9, 33), hardship: 4,
      hardshipOneOnOne: 2, hardshipEmployed: 2,
    });
    // 08-21: P1 升学 + 暂无就业意愿 → employed 8, intent 8.
    await expectAt('220000', '2022-08-21', {
      received: 33, pendingDistribution: 1, contacted: 13, contactRate: frac(13, 33), intentEmployment: 8, completed1311: 2,
      rate1311: frac(2, 8), employed: 8, employmentRate: frac(8, 33), hardship: 4,
    });
  });

  it('rates are null (never 0 or NaN) when the denominator is 0', async () => {
    await expectAt('220400', '2022-07-31', ZERO);
    await expectAt('220000', '2022-07-01', { received: 29, helpRequests: 0, helpContactedInSla: 0 });
    const body = await full('220400', '2022-07-31');
    for (const k of ['contactRate', 'rate1311', 'employmentRate'] as const) expect(body[k], k).toBeNull();
  });
});
