// Help requests (求助登记) per ../shared/spec/metrics.md: credited to the county
// on the request, latest version per 求助编号, the 24-hour contact SLA and
// overdue requests. Expectations are worked out by hand below.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { cliMetrics, getJson, helpCsv, ingest, ledgerCsv, pickMetrics, pid, type HelpRow, type IngestSummary, type MetricValues } from '../helpers/ledger-fixtures';

// All in 220102 (长春 南关区) unless noted.
const first: HelpRow[] = [
  // H1: contacted exactly 24:00 after → in time.
  { hid: 'H1', id: pid(101), at: '2022-07-10 10:00', county: '220102', contact: '2022-07-11 10:00' },
  // H2: contacted 24:01 after → late (overdue once the deadline 07-11 10:00 has passed).
  { hid: 'H2', id: pid(102), at: '2022-07-10 10:00:00', county: '220102', contact: '2022-07-11 10:01:00' },
  // H3: never contacted.
  { hid: 'H3', id: pid(103), at: '2022-07-10 10:00:00', county: '220102' },
  // H4: contacted 2 hours after; the person (P101) lives in 220104, the request still counts for 220102.
  { hid: 'H4', id: pid(101), at: '2022-07-10 10:00:00', county: '220102', contact: '2022-07-10 12:00:00' },
  // H5: made at 07-10 23:59:59, never contacted: deadline 07-11 23:59:59 = end of 07-11.
  { hid: 'H5', id: pid(105), at: '2022-07-10 23:59:59', county: '220102' },
  // H6: made at 07-11 00:00:00, contacted exactly 24 h later (07-12 00:00:00).
  { hid: 'H6', id: pid(106), at: '2022-07-11 00:00:00', county: '220102', contact: '2022-07-12 00:00:00' },
  // H7 first version: 220102, never contacted. Replaced by the second file.
  { hid: 'H7', id: pid(107), at: '2022-07-10 10:00:00', county: '220102' },
  // H8: legacy 公主岭 code → 220184 (长春).
  { hid: 'H8', id: pid(108), at: '2022-07-10 10:00:00', county: '220381', contact: '2022-07-10 20:00:00' },
  // H9: 梅河口, contacted three days late.
  { hid: 'H9', id: pid(109), at: '2022-07-10 10:00:00', county: '220581', contact: '2022-07-13 09:00:00' },
  // H10 first version: 220106, contacted after an hour. The second file clears the contact (it was entered by mistake).
  { hid: 'H10', id: pid(110), at: '2022-07-10 10:00:00', county: '220106', contact: '2022-07-10 11:00:00' },
  // H11: 220105, the first contact is stamped before the request (a clerk's slip, accepted by the file contract).
  { hid: 'H11', id: pid(111), at: '2022-07-12 10:00:00', county: '220105', contact: '2022-07-09 10:00:00' },
];
// H7 second version: now 220103, contacted after an hour.
const second: HelpRow[] = [
  { hid: 'H7', id: pid(107), at: '2022-07-10 10:00:00', county: '220103', contact: '2022-07-10 11:00:00' },
  { hid: 'H10', id: pid(110), at: '2022-07-10 10:00:00', county: '220106' },
];

describe('help requests per the spec', () => {
  let server: TestServer;
  let loaded1: IngestSummary;
  let loaded2: IngestSummary;
  let before: Record<string, unknown>;
  let beforeNeighbour: Record<string, unknown>;

  beforeAll(async () => {
    const files = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-help-files-'));
    const dataDir = tempDataDir('metrics-help-data-');
    const ledger = ledgerCsv(files, 'ledger.csv', [
      { id: pid(101), received: '2022-07-01', county: '220104', category: '有就业意愿', updated: '2022-07-01 08:00:00' },
    ]);
    loaded1 = await ingest(dataDir, [ledger, helpCsv(files, 'help1.csv', first)]);
    before = await cliMetrics(dataDir, '220102', '2022-07-10');
    beforeNeighbour = await cliMetrics(dataDir, '220103', '2022-07-10');
    loaded2 = await ingest(dataDir, [helpCsv(files, 'help2.csv', second)]);
    server = await startTestServer({ dataDir });
  });
  afterAll(async () => {
    await server?.close();
  });

  const trendCache = new Map<string, Array<Record<string, unknown>>>();
  async function expectAt(code: string, day: string, want: Partial<Record<keyof MetricValues, unknown>>): Promise<void> {
    const r = await getJson(server.fetch, `/api/metrics/${code}?asOf=${day}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(pickMetrics(r.body), `${code} ${day}`).toMatchObject(want);
    let t = trendCache.get(code);
    if (!t) {
      t = (await getJson(server.fetch, `/api/metrics/${code}?asOf=2022-07-31`)).body.trend as Array<Record<string, unknown>>;
      trendCache.set(code, t);
    }
    const row = t.find((x) => x.asOf === day);
    expect(row).toBeDefined();
    expect(pickMetrics(row!), `${code} ${day} (trend)`).toMatchObject(want);
  }

  it('loads', () => {
    expect(loaded1).toMatchObject({ accepted: 1 + first.length, rejected: 0 });
    expect(loaded2).toMatchObject({ accepted: 2, rejected: 0 });
  });

  it('before the replacement, H7 counts at 220102 (CLI)', () => {
    // 07-10: H1, H2, H3, H4, H5, H7 = 6; in time by end of 07-10: only H4; nothing overdue (deadlines are 07-11).
    expect(pickMetrics(before)).toMatchObject({ helpRequests: 6, helpContactedInSla: 1, helpOverdue: 0 });
    expect(pickMetrics(beforeNeighbour)).toMatchObject({ helpRequests: 0 });
  });

  it('a repeated 求助编号 replaces the earlier row (county and contact)', async () => {
    await expectAt('220102', '2022-07-10', { helpRequests: 5, helpContactedInSla: 1, helpOverdue: 0 });
    await expectAt('220103', '2022-07-10', { helpRequests: 1, helpContactedInSla: 1, helpOverdue: 0 });
    await expectAt('220103', '2022-07-12', { helpRequests: 1, helpContactedInSla: 1, helpOverdue: 0 });
  });

  it('a replacement that clears 首次联系时间 makes the request uncontacted', async () => {
    // H10 now has no contact: counted, not in time, overdue once 07-11 10:00 has passed.
    await expectAt('220106', '2022-07-10', { helpRequests: 1, helpContactedInSla: 0, helpOverdue: 0 });
    await expectAt('220106', '2022-07-11', { helpRequests: 1, helpContactedInSla: 0, helpOverdue: 1 });
  });

  it('helpContactedInSla only counts requests already made by the day', async () => {
    // H11: made 07-12 10:00, contact stamped 07-09. Before 07-12 there is no request, so nothing "of those".
    await expectAt('220105', '2022-07-09', { helpRequests: 0, helpContactedInSla: 0, helpOverdue: 0 });
    await expectAt('220105', '2022-07-11', { helpRequests: 0, helpContactedInSla: 0, helpOverdue: 0 });
    // From 07-12 it is set, ≤ end of day and not more than 24 h after the request → in time.
    await expectAt('220105', '2022-07-12', { helpRequests: 1, helpContactedInSla: 1, helpOverdue: 0 });
  });

  it('the 24-hour SLA day by day', async () => {
    await expectAt('220102', '2022-07-09', { helpRequests: 0, helpContactedInSla: 0, helpOverdue: 0 });
    // 07-11: + H6 (00:00) = 6. In time: H1 (exactly 24:00), H4. H6's contact is 07-12: not yet.
    // Overdue: H2 (late), H3 (never), H5 (deadline 07-11 23:59:59 ≤ end of 07-11). H6's deadline is 07-12 00:00.
    await expectAt('220102', '2022-07-11', { helpRequests: 6, helpContactedInSla: 2, helpOverdue: 3 });
    // 07-12: H6 contacted exactly 24 h after → in time.
    await expectAt('220102', '2022-07-12', { helpRequests: 6, helpContactedInSla: 3, helpOverdue: 3 });
    await expectAt('220102', '2022-07-31', { helpRequests: 6, helpContactedInSla: 3, helpOverdue: 3 });
    // help requests are not persons: 220102 has no one received; P101 lives in 220104 and has no request there.
    await expectAt('220102', '2022-07-31', { received: 0, contactRate: null });
    await expectAt('220104', '2022-07-31', { received: 1, helpRequests: 0 });
  });

  it('the legacy code and 梅河口; contacted late stays overdue', async () => {
    await expectAt('220184', '2022-07-10', { helpRequests: 1, helpContactedInSla: 1, helpOverdue: 0 });
    await expectAt('220581', '2022-07-10', { helpRequests: 1, helpContactedInSla: 0, helpOverdue: 0 });
    await expectAt('220581', '2022-07-11', { helpRequests: 1, helpContactedInSla: 0, helpOverdue: 1 });
    await expectAt('220581', '2022-07-13', { helpRequests: 1, helpContactedInSla: 0, helpOverdue: 1 });
    await expectAt('220500', '2022-07-13', { helpRequests: 0 });
    // 长春 07-11: 220102 (6, 2, 3) + 220103 (1, 1, 0) + 220184 (1, 1, 0) + 220106 (H10: 1, 0, 1); H11 (220105) not yet made.
    await expectAt('220100', '2022-07-11', { helpRequests: 9, helpContactedInSla: 4, helpOverdue: 4 });
    // province 07-11: 长春 + 梅河口 (1, 0, 1).
    await expectAt('220000', '2022-07-11', { helpRequests: 10, helpContactedInSla: 4, helpOverdue: 5, received: 1 });
  });
});
