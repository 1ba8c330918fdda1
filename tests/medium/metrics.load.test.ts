// Loading and metrics (ledger-format.md + metrics.md): bad rows are rejected
// and change nothing, the tie rule (same 更新时间: the row loaded later wins), a
// repeated 记录编号 replaces the earlier row, a service loaded before its person
// counts once the person is loaded, and loading the same file twice changes
// nothing. Loads and the in-between checks go through the CLI contract; the
// detailed checks of the final state through GET /api/metrics (single day and
// trend). Expectations by hand.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import {
  cliMetrics, getJson, ingest, ledgerCsv, pickMetrics, pid, runCli, serviceCsv, ZERO, type IngestSummary, type MetricValues,
} from '../helpers/ledger-fixtures';

const frac = (n: number, d: number) => expect.closeTo(n / d, 12);
const base = { received: '2022-07-01', updated: '2022-07-01 08:00:00' };
/** pid(n) with a wrong check character. */
function badChecksum(n: number): string {
  const id = pid(n);
  const last = id[17] === '0' ? '1' : '0';
  return id.slice(0, 17) + last;
}

// Q7's ID ends in X; its service is written with a lower-case x and blanks around it.
const Q7 = pid(200);

describe('loading ledger files and what it does to the metrics', () => {
  let files: string;
  let dataDir: string;
  let ledgerA: string, servicesA: string, ledgerB: string, servicesB: string;

  beforeAll(() => {
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-load-files-'));
    dataDir = tempDataDir('metrics-load-data-');
    ledgerA = ledgerCsv(files, 'ledger-a.csv', [
      // Q1 v1: 长春 220102, 未就业, stamped 07-10 12:00:00.
      { id: pid(201), county: '220102', category: '有就业意愿', status: '未就业', received: '2022-07-01', updated: '2022-07-10 12:00:00' },
      { id: pid(202), county: '220103', ...base }, // Q2
      { id: pid(204), county: '220106', ...base }, // Q4
      { id: pid(205), county: '220112', category: '有就业意愿', ...base }, // Q5: the 1311 person
      { id: Q7, county: '220202', ...base }, // Q7 (吉林)
      // five bad rows, each would add a received person to 长春 if it were accepted:
      { id: badChecksum(211), county: '220102', ...base }, // invalid ID number
      { id: pid(212), county: '229999', ...base }, // unknown region code
      { id: pid(213), name: '', county: '220102', ...base }, // 姓名 missing
      { id: pid(214), county: '220102', received: '2022-02-30', updated: '2022-07-01 08:00:00' }, // not a date
      { id: pid(215), county: '220102', status: '待业', ...base }, // not a 就业状态
    ]);
    servicesA = serviceCsv(files, 'services-a.csv', [
      { rid: 'R1', id: pid(202), time: '2022-07-05 10:00', type: '联系', result: '已联系', county: '220103' },
      // Q3 is not in the ledger yet; the record is written at 220104.
      { rid: 'R2', id: pid(203), time: '2022-07-03 09:00', type: '岗位推介', county: '220104' },
      { rid: 'R5', id: pid(204), time: '2022-07-05 10:00', type: '职业指导', county: '220106' },
      // Q5: 1 职业指导 + 3 岗位推介 + 1 技能培训 + 1 就业见习 → complete.
      { rid: 'K1', id: pid(205), time: '2022-07-02 09:00', type: '职业指导', county: '220112' },
      { rid: 'K2', id: pid(205), time: '2022-07-03 09:00', type: '岗位推介', county: '220112' },
      { rid: 'K3', id: pid(205), time: '2022-07-04 09:00', type: '岗位推介', county: '220112' },
      { rid: 'K4', id: pid(205), time: '2022-07-05 09:00', type: '岗位推介', county: '220112' },
      { rid: 'K5', id: pid(205), time: '2022-07-06 09:00', type: '技能培训', county: '220112' },
      { rid: 'K6', id: pid(205), time: '2022-07-07 09:00', type: '就业见习', county: '220112' },
      { rid: 'R7', id: ` ${Q7.toLowerCase()} `, time: '2022-07-06 09:00', type: '职业指导', county: '220202' },
      // two bad rows, each would make Q1 contacted if accepted (as "any other type"):
      { rid: 'R8', id: pid(201), time: '2022-07-06', type: '联系', county: '220102' }, // 联系 without 联系结果
      { rid: 'R9', id: pid(201), time: '2022-07-06', type: '家访', county: '220102' }, // not a 服务类型
    ]);
    ledgerB = ledgerCsv(files, 'ledger-b.csv', [
      // Q1 v2: the SAME 更新时间 as v1, loaded later → wins: 220104, 已就业.
      { id: pid(201), county: '220104', category: '有就业意愿', status: '已就业', received: '2022-07-01', updated: '2022-07-10 12:00:00' },
      // Q3 appears, in 220105.
      { id: pid(203), county: '220105', received: '2022-07-02', updated: '2022-07-02 09:00:00' },
      // Q6: two rows with the same 更新时间 in one file: the later row (220122) wins.
      { id: pid(206), county: '220113', ...base },
      { id: pid(206), county: '220122', ...base },
    ]);
    servicesB = serviceCsv(files, 'services-b.csv', [
      { rid: 'R1', id: pid(202), time: '2022-07-05 10:00', type: '联系', result: '未联系上', county: '220103' }, // corrected: not reached
      { rid: 'R5', id: pid(204), time: '2022-08-05 10:00', type: '职业指导', county: '220106' }, // moved to August
      { rid: 'K3', id: pid(205), time: '2022-07-08 09:00', type: '岗位推介', county: '220112' }, // same type, new time: still one
      { rid: 'K4', id: pid(205), time: '2022-07-05 09:00', type: '跟踪回访', county: '220112' }, // type changed: 2 岗位推介 left
    ]);
  });

  let afterB: Record<string, unknown>;
  let afterBProvince: Record<string, unknown>;
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.close();
  });

  it('a file with bad rows loads the rest and rejects exactly those rows; the rejects change no metric', async () => {
    expect(Q7.endsWith('X')).toBe(true);
    const s: IngestSummary = await ingest(dataDir, [ledgerA, servicesA]);
    // ledger-a: 5 good + 5 bad; services-a: 10 good + 2 bad.
    expect(s).toMatchObject({ accepted: 15, rejected: 7 });
    const rejects = await runCli(dataDir, ['rejects', '--json']);
    const rows = (rejects.json as { rows: Array<{ file: string; reason: string }> }).rows;
    expect(rows).toHaveLength(7);
    expect(rows.filter((r) => r.file.includes('ledger-a')).length).toBe(5);
    expect(rows.some((r) => /invalid ID number/.test(r.reason))).toBe(true);
    expect(rows.some((r) => /unknown region code/.test(r.reason))).toBe(true);
    // Province 07-31: Q1 (220102), Q2 (220103), Q4 (220106), Q5 (220112), Q7 (220202) = 5; none of the 5 bad ledger rows.
    // contacted: Q2 (R1 已联系), Q4 (R5), Q5 (K1..), Q7 (R7, lower-case x) = 4; not Q1 (R8 and R9 were rejected);
    // R2's person Q3 is not loaded. intent Q1, Q5; Q5 completes 1311 (1+3+1+1).
    expect(pickMetrics(await cliMetrics(dataDir, '220000', '2022-07-31'))).toMatchObject({
      received: 5, pendingDistribution: 0, contacted: 4, contactRate: frac(4, 5), intentEmployment: 2, completed1311: 1, rate1311: 0.5, employed: 0,
    });
  });

  it('second load: tie rule, repeated 记录编号, a service loaded before its person (CLI)', async () => {
    const s = await ingest(dataDir, [ledgerB, servicesB]);
    expect(s).toMatchObject({ accepted: 8, rejected: 0 });
    // 长春 07-31: Q1 (now 220104, 已就业), Q2, Q3 (220105), Q4, Q5, Q6 (220122) = 6 received;
    // contacted: Q3 (R2, 07-03), Q5; not Q2 (R1 now 未联系上), not Q4 (R5 moved to 08-05) → 2.
    // intent Q1, Q5; Q5 has only 2 岗位推介 now (K3 re-sent is still one record, K4 became 跟踪回访) → 0 complete.
    afterB = await cliMetrics(dataDir, '220100', '2022-07-31');
    expect(pickMetrics(afterB)).toMatchObject({
      received: 6, contacted: 2, contactRate: frac(2, 6), intentEmployment: 2, completed1311: 0, rate1311: 0, employed: 1, employmentRate: frac(1, 6),
    });
    // province = 长春 + Q7 (吉林, contacted).
    afterBProvince = await cliMetrics(dataDir, '220000', '2022-07-31');
    expect(pickMetrics(afterBProvince)).toMatchObject({
      received: 7, pendingDistribution: 0, contacted: 3, intentEmployment: 2, completed1311: 0, employed: 1, employmentRate: frac(1, 7),
    });
  });

  it('loading the same files again changes no metric (and rejects the same rows again)', async () => {
    const again = await ingest(dataDir, [ledgerB, servicesB]);
    expect(again.rejected).toBe(0);
    // The older files too: a re-sent file is not a newer version (ledger-format: "Loading the same file twice changes nothing").
    const older = await ingest(dataDir, [ledgerA, servicesA]);
    expect(older).toMatchObject({ accepted: 15, rejected: 7 });
    expect(pickMetrics(await cliMetrics(dataDir, '220100', '2022-07-31'))).toEqual(pickMetrics(afterB));
    expect(pickMetrics(await cliMetrics(dataDir, '220000', '2022-07-31'))).toEqual(pickMetrics(afterBProvince));
  });

  it('the final state, county by county (API: single day and trend)', async () => {
    server = await startTestServer({ dataDir });
    const srv = server;
    const trends = new Map<string, Array<Record<string, unknown>>>();
    async function expectAt(code: string, day: string, want: Partial<Record<keyof MetricValues, unknown>>): Promise<void> {
      const r = await getJson(srv.fetch, `/api/metrics/${code}?asOf=${day}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(pickMetrics(r.body), `${code} ${day}`).toMatchObject(want);
      if (!trends.has(code)) trends.set(code, (await getJson(srv.fetch, `/api/metrics/${code}?asOf=2022-08-31`)).body.trend as Array<Record<string, unknown>>);
      const row = trends.get(code)!.find((x) => x.asOf === day);
      expect(row, `${code} trend has ${day}`).toBeDefined();
      expect(pickMetrics(row!), `${code} ${day} (trend)`).toMatchObject(want);
    }
    // The tie: Q1 left 220102 for 220104 (both versions 07-10 12:00:00; ledger-b loaded later). Before 07-10 Q1 does not exist.
    await expectAt('220102', '2022-07-31', ZERO);
    await expectAt('220102', '2022-07-09', ZERO);
    await expectAt('220104', '2022-07-09', ZERO);
    await expectAt('220104', '2022-07-10', { received: 1, contacted: 0, employed: 1, intentEmployment: 1 });
    // R2 (written at 220104, dated 07-03) is credited to Q3's county 220105 from Q3's first day 07-02.
    await expectAt('220105', '2022-07-02', { received: 1, contacted: 0 });
    await expectAt('220105', '2022-07-03', { received: 1, contacted: 1 });
    // R1 corrected to 未联系上.
    await expectAt('220103', '2022-07-31', { received: 1, contacted: 0, contactRate: 0 });
    // The in-file tie: Q6's second row (220122) wins.
    await expectAt('220122', '2022-07-31', { received: 1 });
    await expectAt('220113', '2022-07-31', ZERO);
    // R5 now 08-05 10:00: not by 08-04, yes on 08-05.
    await expectAt('220106', '2022-08-04', { received: 1, contacted: 0 });
    await expectAt('220106', '2022-08-05', { received: 1, contacted: 1 });
    // Q5: 2 岗位推介 after the replacements → never complete (K3 re-dated to 07-08 does not make a third).
    await expectAt('220112', '2022-07-07', { received: 1, contacted: 1, intentEmployment: 1, completed1311: 0, rate1311: 0 });
    await expectAt('220112', '2022-07-31', { completed1311: 0, rate1311: 0 });
    // Q7: the same person across records despite the lower-case x.
    await expectAt('220202', '2022-07-05', { received: 1, contacted: 0 });
    await expectAt('220202', '2022-07-06', { received: 1, contacted: 1 });
  });
});
