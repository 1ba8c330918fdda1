// Housekeeping: pruning keeps exactly what is inside its retention (a row at
// the cut-off stays, one a millisecond older goes), never touches pending
// notices or a load's own data, and the admins' storage report adds up.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLICKHOUSE, type ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { HousekeepingService } from '../../backend/src/housekeeping/housekeeping.service';
import type { Retention, StorageReport } from '../../backend/src/housekeeping/housekeeping.types';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { JobsService } from '../../backend/src/jobs/jobs.service';
import { startTestServer, type TestServer } from '../helpers/server';
import { writeFixtures } from './alerts.fixtures';

const DAY = 86_400_000;
const RETENTION: Retention = { outboxDays: 30, deliveriesDays: 90, stageDays: 1, reportsDays: 730, processedDays: 7 };

describe('housekeeping', () => {
  let server: TestServer;
  let ch: ClickHouseHandle;
  let hk: HousekeepingService;
  const rows = async <T>(query: string): Promise<T[]> => (await ch.client.query({ query, format: 'JSONEachRow' })).json<T>();
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    server = await startTestServer();
    ch = server.app.get<ClickHouseHandle>(CLICKHOUSE);
    hk = server.app.get(HousekeepingService);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('outbox, delivery log and report archive: the cut-off row stays, a millisecond older goes, pending notices always stay', async () => {
    const now = Date.parse('2023-03-01T00:00:00.000Z');
    const outCut = now - RETENTION.outboxDays * DAY;
    const outbox = (id: string, status: string, created: number) => ({
      notice_id: id, channel_id: 'c1', region_code: '220102', kind: 'opened', rule: 'not_contacted', notice: '{}', status,
      attempts: 1, created_at: iso(created), send_after: iso(created), version: created * 1000,
    });
    await ch.client.insert({
      table: 'alert_outbox', format: 'JSONEachRow',
      values: [outbox('sent-old', 'sent', outCut - 1), outbox('sent-edge', 'sent', outCut), outbox('failed-old', 'failed', outCut - 1),
        outbox('pending-old', 'pending', outCut - 100 * DAY)],
    });
    const delCut = now - RETENTION.deliveriesDays * DAY;
    const delivery = (id: string, ts: number) => ({
      ts: iso(ts), notice_id: id, channel_id: 'c1', channel_kind: 'webhook', target: 'http://…', region_code: '220102', kind: 'opened',
      rule: 'not_contacted', attempt: 1, status: 'sent', http_status: 200, error: '', payload: '',
    });
    await ch.client.insert({ table: 'alert_deliveries', format: 'JSONEachRow', values: [delivery('d-old', delCut - 1), delivery('d-edge', delCut)] });
    const repCut = now - RETENTION.reportsDays * DAY;
    const report = (id: string, generated: number) => ({
      report_id: id, kind: 'weekly', period: id, period_start: '2022-07-04', period_end: '2022-07-10', as_of: '2022-07-10', region_code: '220000',
      title: 't', file_name: 'f.xlsx', generated_at: iso(generated), generated_by: 'admin', unit_rows: 0, data_rows: 0, bytes: 0, xlsx_base64: '',
    });
    // r-renewed was generated before the cut-off and again after it: its newest version is inside the retention.
    await ch.client.insert({
      table: 'report_archive', format: 'JSONEachRow',
      values: [report('r-old', repCut - 1), report('r-edge', repCut), report('r-renewed', repCut - DAY), report('r-renewed', repCut + DAY)],
    });

    const r = await hk.prune(now, RETENTION);
    expect(r).toMatchObject({ outbox: 2, deliveries: 1, reports: 1 });
    expect((await rows<{ notice_id: string }>('SELECT notice_id FROM alert_outbox FINAL ORDER BY notice_id')).map((x) => x.notice_id))
      .toEqual(['pending-old', 'sent-edge']);
    expect((await rows<{ notice_id: string }>('SELECT notice_id FROM alert_deliveries ORDER BY notice_id')).map((x) => x.notice_id)).toEqual(['d-edge']);
    expect((await rows<{ report_id: string }>('SELECT report_id FROM report_archive FINAL ORDER BY report_id')).map((x) => x.report_id))
      .toEqual(['r-edge', 'r-renewed']);
    // A second run finds nothing more; 0 days keeps for ever.
    expect(await hk.prune(now, RETENTION)).toMatchObject({ outbox: 0, deliveries: 0, reports: 0 });
    expect(await hk.prune(now + 10_000 * DAY, { ...RETENTION, outboxDays: 0, deliveriesDays: 0, reportsDays: 0 }))
      .toMatchObject({ outbox: 0, deliveries: 0, reports: 0 });
  });

  it('stage data and processed files of a finished load go after their retention, the loaded rows stay', async () => {
    const loaded = await server.app.get(IngestService).loadFiles(writeFixtures().files.slice(0, 1), { source: 'inbox' });
    const run = loaded.files[0]!.runId;
    const [fin] = await rows<{ f: string }>(`SELECT toString(finished_at) AS f FROM ingest_runs FINAL WHERE run_id = ${run}`);
    const finished = Date.parse(`${fin!.f.replace(' ', 'T')}Z`);
    const ledgerRows = Number((await rows<{ n: number }>(`SELECT count() AS n FROM ledger_raw WHERE run_id = ${run}`))[0]!.n);
    expect(ledgerRows).toBeGreaterThan(0);
    // What a load can leave behind: a stage partition, a hidden stage table, its chunk folder, and its source file in processed/.
    await ch.client.command({ query: `INSERT INTO stage_ledger SELECT * FROM ledger_raw WHERE run_id = ${run}` });
    await ch.client.command({ query: `CREATE TABLE run_stage_${run}_ledger AS ledger_raw` });
    const tmp = path.join(server.dataDir, 'tmp', `run-${run}`);
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, 'chunk-0.tsv'), 'x\n');
    const processed = path.join(server.config.inboxDir, 'processed');
    fs.mkdirSync(processed, { recursive: true });
    fs.writeFileSync(path.join(processed, `${run}-台账.csv`), 'x\n');
    fs.writeFileSync(path.join(processed, `${run + 1000}-later.csv`), 'x\n'); // no such finished run: stays

    const atEdge = await hk.prune(finished + RETENTION.stageDays * DAY, RETENTION);
    expect(atEdge).toMatchObject({ stagePartitions: 0, stageTables: 0, tmpDirs: 0, processedFiles: 0 });
    expect(fs.existsSync(tmp)).toBe(true);

    const after = await hk.prune(finished + RETENTION.stageDays * DAY + 1, RETENTION);
    expect(after).toMatchObject({ stagePartitions: 1, stageTables: 1, tmpDirs: 1, processedFiles: 0 });
    expect(fs.existsSync(tmp)).toBe(false);
    expect(Number((await rows<{ n: number }>(`SELECT count() AS n FROM stage_ledger WHERE run_id = ${run}`))[0]!.n)).toBe(0);
    expect(await rows(`SELECT name FROM system.tables WHERE database = currentDatabase() AND name = 'run_stage_${run}_ledger'`)).toEqual([]);
    expect(Number((await rows<{ n: number }>(`SELECT count() AS n FROM ledger_raw WHERE run_id = ${run}`))[0]!.n)).toBe(ledgerRows);

    expect((await hk.prune(finished + RETENTION.processedDays * DAY, RETENTION)).processedFiles).toBe(0);
    expect((await hk.prune(finished + RETENTION.processedDays * DAY + 1, RETENTION)).processedFiles).toBe(1);
    expect(fs.readdirSync(processed)).toEqual([`${run + 1000}-later.csv`]);
  });

  it('runs as a scheduled job (npm run cli -- job housekeeping) with the configured retention', async () => {
    const st = await server.app.get(JobsService).run('housekeeping');
    expect(st).toMatchObject({ lastStatus: 'ok', cron: '0 30 3 * * *' });
    expect((st.lastResult as { retention: Retention }).retention).toEqual({ outboxDays: 30, deliveriesDays: 90, stageDays: 1, reportsDays: 730, processedDays: 0 });
  });

  it('the storage report: the parts add up to the total, which is every byte of the data directory', async () => {
    const put = (dir: string, name: string, bytes: number) => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, name), Buffer.alloc(bytes, 1));
    };
    for (const d of ['processed', 'backups']) fs.rmSync(path.join(d === 'processed' ? server.config.inboxDir : server.dataDir, d), { recursive: true, force: true });
    put(server.config.inboxDir, 'waiting.csv', 1234);
    put(path.join(server.config.inboxDir, 'processed'), '9-done.csv', 777);
    put(path.join(server.dataDir, 'backups', 'b1'), 'part.bin', 4096);
    // A report in the archive, so its part is not empty.
    const gen = await server.fetch('/api/reports/weekly', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ week: '2022-W28' }) });
    expect(gen.status).toBeLessThan(300);

    const res = await server.fetch('/api/admin/storage');
    expect(res.status).toBe(200);
    const rep = (await res.json()) as StorageReport;
    expect(rep.dataDir).toBe(server.dataDir);
    const part = (n: string) => rep.parts.find((p) => p.name === n)?.bytes;
    expect(rep.parts.reduce((s, p) => s + p.bytes, 0)).toBe(rep.totalBytes);
    expect(part('inbox')).toBe(1234);
    expect(part('processed')).toBe(777);
    expect(part('backups')).toBe(4096);
    expect(part('clickhouse')).toBeGreaterThan(0);
    expect(part('reports')).toBeGreaterThan(0);
    // Every regular file under DATA_DIR, measured here by a walk of our own (the engine is idle now).
    const walk = (p: string): number => {
      const st = fs.lstatSync(p);
      if (st.isDirectory()) return fs.readdirSync(p).reduce((s, n) => s + walk(path.join(p, n)), 0);
      return st.isFile() ? st.size : 0;
    };
    expect(rep.totalBytes).toBe(walk(server.dataDir));
    expect(Date.parse(rep.measuredAt)).not.toBeNaN();
  });
});
