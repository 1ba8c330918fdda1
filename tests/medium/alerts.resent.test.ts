// Person rules read each service record's latest version. At national size that is found without
// aggregating every record (alerts_persons.sql: only records whose 记录编号 hash occurs more than
// once are aggregated), so a re-sent record must still count by its correction, both ways.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsService } from '../../backend/src/alerts/alerts.service';
import { endOfDay } from '../../backend/src/alerts/alerts.rules';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { startTestServer, type TestServer } from '../helpers/server';
import { ledgerCsv, pid, serviceCsv } from '../helpers/ledger-fixtures';

describe('person alerts after a service record is re-sent', () => {
  let server: TestServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alerts-resent-'));
  beforeAll(async () => {
    server = await startTestServer();
    const ingest = server.app.get(IngestService);
    await ingest.loadFiles([
      ledgerCsv(dir, 'ledger.csv', [
        { id: pid(1), name: '甲一乙', received: '2022-07-01', county: '220102', updated: '2022-07-01 08:00' },
        { id: pid(2), name: '丙二丁', received: '2022-07-01', county: '220102', updated: '2022-07-01 08:00' },
        { id: pid(3), name: '戊三己', received: '2022-07-01', county: '220102', updated: '2022-07-01 08:00' },
      ]),
      serviceCsv(dir, 'week1.csv', [
        { rid: 'R1', id: pid(1), time: '2022-07-02 09:00', type: '联系', result: '已联系', county: '220102' },
        { rid: 'R2', id: pid(2), time: '2022-07-02 09:00', type: '联系', result: '未联系上', county: '220102' },
        { rid: 'R3', id: pid(3), time: '2022-07-02 09:00', type: '联系', result: '已联系', county: '220102' },
      ]),
    ]);
    // The corrections: R1 was not a contact after all, R2 was.
    const s = await ingest.loadFiles([
      serviceCsv(dir, 'week2.csv', [
        { rid: 'R1', id: pid(1), time: '2022-07-02 09:00', type: '联系', result: '未联系上', county: '220102' },
        { rid: 'R2', id: pid(2), time: '2022-07-02 09:00', type: '联系', result: '已联系', county: '220102' },
      ]),
    ]);
    expect(s.inserted).toBe(2);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('not_contacted follows each record’s latest version (due on day 8 from 接收日期 07-01: 07-09 00:00)', async () => {
    const names = async (day: string) =>
      (await server.app.get(AlertsService).evaluate(endOfDay(day), { dryRun: true })).open.filter((a) => a.rule === 'not_contacted').map((a) => a.name).sort();
    expect(await names('2022-07-08')).toEqual([]);
    // 甲一乙: R1 corrected to 未联系上; 丙二丁: R2 corrected to 已联系; 戊三己: R3 as sent.
    expect(await names('2022-07-09')).toEqual(['甲*乙']);
  });
});
