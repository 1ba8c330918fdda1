// The duplicate check asks the store only about the hashes of the chunk at
// hand (not for everything loaded), and a re-load of the very same file is
// answered from its earlier run without reading it. Both must keep the
// rules: a file loaded before changes nothing, equal rows in another file
// (split over chunks, among many other loaded rows) change nothing, a ledger
// version older than a loaded one is kept but loses, and a record corrected
// back to an earlier content applies.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { CLICKHOUSE, type ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { startTestServer, type TestServer } from '../helpers/server';
import { helpCsv, ledgerCsv, pid, serviceCsv, type ServiceRow } from '../helpers/ledger-fixtures';

describe('duplicate check by the chunk, not by the store', () => {
  let server: TestServer;
  let ingest: IngestService;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dedupe-'));
  const count = async (query: string) => {
    const ch = server.app.get<ClickHouseHandle>(CLICKHOUSE);
    return Number((await (await ch.client.query({ query, format: 'JSONEachRow' })).json<{ n: number }>())[0]!.n);
  };
  const metrics = async (code: string) =>
    (await (await server.fetch(`/api/metrics/${code}?asOf=2022-07-31`)).json()) as { received: number; contacted: number };

  beforeAll(async () => {
    process.env.INGEST_CHUNK_ROWS = '3';
    server = await startTestServer();
    ingest = server.app.get(IngestService);
    // A store much bigger than a chunk: 40 persons, 120 service records (calls that did not reach anyone).
    const persons = Array.from({ length: 40 }, (_, i) => ({ id: pid(100 + i), received: '2022-07-01', county: '220102', updated: '2022-07-01 08:00' }));
    const s1 = await ingest.loadFiles([ledgerCsv(dir, 'base-ledger.csv', persons)]);
    expect(s1.inserted).toBe(40);
    const services: ServiceRow[] = Array.from({ length: 120 }, (_, i) => ({
      rid: `B${i}`, id: pid(100 + (i % 40)), time: '2022-07-02 09:00', type: '联系', result: '未联系上', county: '220102',
    }));
    const s2 = await ingest.loadFiles([serviceCsv(dir, 'base-services.csv', services)]);
    expect(s2.inserted).toBe(120);
  });
  afterAll(async () => {
    delete process.env.INGEST_CHUNK_ROWS;
    await server?.close();
  });

  it('refuses a file loaded before without reading it again, and reports what it held', async () => {
    const first = await ingest.loadFiles([path.join(dir, 'base-services.csv')]);
    expect(first.inserted).toBe(0);
    expect(first.accepted).toBe(120);
    expect(first.duplicates).toBe(120);
    expect(first.files[0]!.kinds.service).toMatchObject({ accepted: 120, duplicates: 120 });
    expect(await count('SELECT count() AS n FROM service_raw')).toBe(120);
    const run = (await (await server.fetch(`/api/ingest/runs/${first.files[0]!.runId}`)).json()) as { status: string; duplicates: number };
    expect(run).toMatchObject({ status: 'succeeded', duplicates: 120 });
  });

  it('equal rows in another file, spread over chunks and in another order, add nothing; new rows among them do', async () => {
    const rows: ServiceRow[] = [
      { rid: 'B7', id: pid(107), time: '2022-07-02 09:00', type: '联系', result: '未联系上', county: '220102' },
      { rid: 'NEW1', id: pid(101), time: '2022-07-03 09:00', type: '联系', result: '已联系', county: '220102' },
      { rid: 'B80', id: pid(100), time: '2022-07-02 09:00', type: '联系', result: '未联系上', county: '220102' },
      { rid: 'B3', id: pid(103), time: '2022-07-02 09:00', type: '联系', result: '未联系上', county: '220102' },
      { rid: 'NEW1', id: pid(101), time: '2022-07-03 09:00', type: '联系', result: '已联系', county: '220102' }, // repeats row 2, next chunk
      { rid: 'B119', id: pid(139), time: '2022-07-02 09:00', type: '联系', result: '未联系上', county: '220102' },
      { rid: 'NEW2', id: pid(102), time: '2022-07-03 09:00', type: '联系', result: '已联系', county: '220102' },
    ];
    const s = await ingest.loadFiles([serviceCsv(dir, 'mixed.csv', rows)]);
    expect(s.accepted).toBe(7);
    expect(s.inserted).toBe(2);
    expect(s.duplicates).toBe(5);
    expect(await count("SELECT count() AS n FROM service_raw WHERE record_id IN ('NEW1', 'NEW2')")).toBe(2);
    expect((await metrics('220102')).contacted).toBe(2);
  });

  it('a ledger version older than a loaded one is kept but loses; an equal older version adds nothing', async () => {
    const id = pid(105);
    const later = await ingest.loadFiles([ledgerCsv(dir, 'moved.csv', [{ id, received: '2022-07-01', county: '220202', updated: '2022-07-10 08:00' }])]);
    expect(later.inserted).toBe(1);
    const moved = { a: (await metrics('220102')).received, b: (await metrics('220202')).received };
    // Delivered late: a version stamped before the one loaded, in another county.
    const older = await ingest.loadFiles([ledgerCsv(dir, 'late.csv', [
      { id: pid(110), received: '2022-07-01', county: '220102', updated: '2022-07-01 08:00' }, // equal to the loaded version
      { id, received: '2022-07-01', county: '220102', updated: '2022-07-05 08:00' },
    ])]);
    expect(older.inserted).toBe(1);
    expect(older.duplicates).toBe(1);
    expect(await count(`SELECT count() AS n FROM ledger_raw`)).toBe(42);
    // The 07-10 version still wins as of the end of July.
    expect((await metrics('220102')).received).toBe(moved.a);
    expect((await metrics('220202')).received).toBe(moved.b);
  });

  it('a record corrected back to an earlier content applies, across runs and chunks; the current content again does not', async () => {
    const v = (result: string): ServiceRow => ({ rid: 'C1', id: pid(120), time: '2022-07-04 09:00', type: '联系', result, county: '220102' });
    const filler = (n: number): ServiceRow[] => Array.from({ length: n }, (_, i) => ({ rid: `B${i}`, id: pid(100 + (i % 40)), time: '2022-07-02 09:00', type: '联系', result: '未联系上', county: '220102' }));
    const before = (await metrics('220102')).contacted;
    expect((await ingest.loadFiles([serviceCsv(dir, 'c-a.csv', [...filler(4), v('已联系')])])).inserted).toBe(1);
    expect((await metrics('220102')).contacted).toBe(before + 1);
    expect((await ingest.loadFiles([serviceCsv(dir, 'c-b.csv', [...filler(5), v('未联系上')])])).inserted).toBe(1);
    expect((await metrics('220102')).contacted).toBe(before);
    // Back to the first content, among known rows: it equals an older version, not the current one, so it applies.
    const back = await ingest.loadFiles([serviceCsv(dir, 'c-a2.csv', [...filler(2), v('已联系'), ...filler(3)])]);
    expect(back.inserted).toBe(1);
    expect((await metrics('220102')).contacted).toBe(before + 1);
    // The current content once more: nothing.
    expect((await ingest.loadFiles([serviceCsv(dir, 'c-a3.csv', [v('已联系'), ...filler(1)])])).inserted).toBe(0);
  });

  it('help requests: the same request in another file adds nothing, a changed one replaces it', async () => {
    const h = { hid: 'H1', id: pid(101), at: '2022-07-05 10:00', county: '220102' };
    expect((await ingest.loadFiles([helpCsv(dir, 'h1.csv', [h])])).inserted).toBe(1);
    expect((await ingest.loadFiles([helpCsv(dir, 'h2.csv', [{ hid: 'H0', id: pid(102), at: '2022-07-05 10:00', county: '220102' }, h])])).inserted).toBe(1);
    expect((await ingest.loadFiles([helpCsv(dir, 'h3.csv', [{ ...h, contact: '2022-07-05 12:00' }])])).inserted).toBe(1);
    expect(await count('SELECT count() AS n FROM help_raw')).toBe(3);
    expect(await count(`SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name LIKE 'run\\_stage\\_%'`)).toBe(0);
  });
});
