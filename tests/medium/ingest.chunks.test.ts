// A big file is committed in several chunks (INGEST_CHUNK_ROWS, here 2 rows):
// the result must be exactly what one commit gives.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { CLICKHOUSE, type ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { startTestServer, type TestServer } from '../helpers/server';
import { ledgerCsv, pid, serviceCsv } from '../helpers/ledger-fixtures';

describe('ingestion committed in chunks', () => {
  let server: TestServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chunks-'));
  beforeAll(async () => {
    process.env.INGEST_CHUNK_ROWS = '2';
    server = await startTestServer();
  });
  afterAll(async () => {
    delete process.env.INGEST_CHUNK_ROWS;
    await server?.close();
  });

  it('later rows replace earlier ones across chunks; duplicates across chunks add nothing', async () => {
    const ingest = server.app.get(IngestService);
    await ingest.loadFiles([ledgerCsv(dir, 'l.csv', [1, 2, 3].map((n) => ({ id: pid(n), received: '2022-07-01', county: '220102', updated: '2022-07-01 08:00' })))]);
    const s = await ingest.loadFiles([
      serviceCsv(dir, 's.csv', [
        { rid: 'R1', id: pid(1), time: '2022-07-02 09:00', type: '联系', result: '已联系', county: '220102' }, // chunk 1
        { rid: 'R2', id: pid(2), time: '2022-07-02 09:00', type: '联系', result: '已联系', county: '220102' },
        { rid: 'R3', id: pid(3), time: '2022-07-02 09:00', type: '联系', result: '已联系', county: '220102' }, // chunk 2
        { rid: 'R2', id: pid(2), time: '2022-07-02 09:00', type: '联系', result: '已联系', county: '220102' }, // same as row 3: duplicate
        { rid: 'R1', id: pid(1), time: '2022-07-02 09:00', type: '联系', result: '未联系上', county: '220102' }, // chunk 3: replaces R1
      ]),
    ]);
    expect(s.accepted).toBe(5);
    expect(s.inserted).toBe(4);
    expect(s.duplicates).toBe(1);
    const m = (await (await server.fetch('/api/metrics/220102?asOf=2022-07-31')).json()) as { received: number; contacted: number };
    // R1's latest version says 未联系上, so person 1 is not contacted; persons 2 and 3 are.
    expect(m).toMatchObject({ received: 3, contacted: 2 });
  });

  it('shows none of a file while it is being read, all of it once committed, and leaves no stage table behind', async () => {
    const ingest = server.app.get(IngestService);
    const ch = server.app.get<ClickHouseHandle>(CLICKHOUSE);
    const count = async (query: string) => Number((await (await ch.client.query({ query, format: 'JSONEachRow' })).json<{ n: number }>())[0]!.n);
    const before = await count('SELECT count() AS n FROM service_raw');
    // 1,200 rows: three parse batches, so chunks (2 rows each here) are staged while later rows are still being read.
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      rid: `MID${i}`, id: pid(1 + (i % 3)), time: '2022-07-03 09:00', type: '联系', result: '已联系', county: '220102',
    }));
    const seen: Array<Promise<number>> = [];
    const s = await ingest.loadFiles([serviceCsv(dir, 'mid.csv', rows)], {
      onProgress: (_file, read) => {
        if (read < rows.length) seen.push(count('SELECT count() AS n FROM service_raw'));
      },
    });
    expect(s.inserted).toBe(1200);
    const during = await Promise.all(seen);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((n) => n === before)).toBe(true);
    expect(await count('SELECT count() AS n FROM service_raw')).toBe(before + 1200);
    expect(await count(`SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name LIKE 'run\\_stage\\_%'`)).toBe(0);
  });
});
