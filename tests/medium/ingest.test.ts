import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { IngestRepository } from '../../backend/src/ingest/ingest.repository';
import { InboxService } from '../../backend/src/ingest/inbox.service';
import { CLICKHOUSE, type ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { makeIdNumber } from '../../backend/src/ledger/id-number';
import ExcelJS from 'exceljs';

const LEDGER_HEADER = '身份证号,姓名,性别,联系电话,毕业年份,人员类别,信息来源,接收日期,县区代码,下发日期,帮扶类别,困难类别,就业状态,更新时间';
const ID1 = makeIdNumber('220102', '20000101', 11);
const ID2 = makeIdNumber('220184', '19990505', 22);
const ID3 = makeIdNumber('220581', '20010909', 33);
const BAD_ID = ID1.slice(0, 17) + (ID1[17] === '1' ? '2' : '1');

function ledgerCsv(rows: string[]): string {
  return '\ufeff' + [LEDGER_HEADER, ...rows].join('\r\n') + '\r\n';
}

const GOOD_ROWS = [
  `${ID1},张三明,男,13812345678,2022,应届毕业生,高校,2022-07-05,220102,2022-07-08,有就业意愿,,未就业,2022-07-08 09:00`,
  `${ID2},李四,女,,2022,应届毕业生,教育部门,2022-07-06,220381,2022-07-09,,,,2022-07-09 10:00:00`,
  `${ID3},王五,男,,2021,失业青年,失业登记,2022-07-06,220581,,暂无就业意愿,脱贫家庭;残疾,,2022-07-10 10:00:00`,
];
const BAD_ROWS = [
  `${BAD_ID},赵六,男,13900001111,2022,应届毕业生,高校,2022-07-05,220102,,,,,2022-07-08 09:00`,
  `${makeIdNumber('220102', '20000202', 44)},钱七,男,,2022,应届毕业生,高校,2022-07-05,229999,,,,,2022-07-08 09:00`,
  `${makeIdNumber('220102', '20000303', 55)},孙八,女,,2022,应届毕业生,高校,2022-02-30,220102,,,,,2022-07-08 09:00`,
];

describe('ingestion on a real embedded ClickHouse', () => {
  let server: TestServer;
  let ingest: IngestService;
  let dir: string;
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const received = async (code = '220000', asOf = '2022-07-31') => {
    const r = await server.fetch(`/api/metrics/${code}?asOf=${asOf}`);
    return ((await r.json()) as { received: number }).received;
  };

  beforeAll(async () => {
    server = await startTestServer();
    ingest = server.app.get(IngestService);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-'));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('loads the good rows and keeps every bad row with file, row number and a reason', async () => {
    const f = write('county-week1.csv', ledgerCsv([...GOOD_ROWS, ...BAD_ROWS]));
    const s = await ingest.loadFiles([f]);
    expect(s.accepted).toBe(3);
    expect(s.rejected).toBe(3);
    expect(s.warnings).toBe(1); // 220381 → 220184
    const runId = s.files[0]!.runId;
    const page = (await (await server.fetch(`/api/ingest/runs/${runId}/rejects`)).json()) as {
      total: number;
      rows: Array<{ file: string; row: number; reason: string; raw: string }>;
    };
    expect(page.total).toBe(3);
    // Header is row 1, so the bad rows are rows 5, 6 and 7.
    expect(page.rows.map((r) => [r.file, r.row])).toEqual([
      ['county-week1.csv', 5],
      ['county-week1.csv', 6],
      ['county-week1.csv', 7],
    ]);
    expect(page.rows[0]!.reason).toContain('校验位');
    expect(page.rows[1]!.reason).toContain('县区代码 229999 不存在');
    expect(page.rows[2]!.reason).toMatch(/日期无效/);
    // Personal data in kept rows is masked.
    expect(page.rows[0]!.raw).not.toContain(BAD_ID);
    expect(page.rows[0]!.raw).not.toContain('赵六');
    expect(page.rows[0]!.raw).not.toContain('13900001111');
    expect(page.rows[0]!.raw).toContain('赵*');
    expect(await received()).toBe(3);
    expect(await received('220184')).toBe(1); // 公主岭 via the legacy code 220381
    expect(await received('220100')).toBe(2); // 南关区 and 公主岭, both 长春's
    expect(await received('220581')).toBe(1);
    expect(await received('220500')).toBe(0); // 梅河口 is not 通化's
  });

  it('exports a run’s rejects to Excel: file, row, reason and the masked row', async () => {
    const runs = (await (await server.fetch('/api/ingest/runs')).json()) as Array<{ runId: number; label: string }>;
    const run = runs.find((r) => r.label === 'county-week1.csv')!;
    const res = await server.fetch(`/api/ingest/runs/${run.runId}/rejects.xlsx`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell('A1').value)).toContain('county-week1.csv');
    expect([4, 5, 6].map((i) => ws.getRow(i).getCell(2).value)).toEqual([5, 6, 7]);
    expect(String(ws.getRow(4).getCell(3).value)).toContain('校验位');
    expect(JSON.stringify(ws.getSheetValues())).not.toContain(BAD_ID);
  });

  it('the run is listed with its counts', async () => {
    const runs = (await (await server.fetch(`/api/ingest/runs`)).json()) as Array<{ label: string; status: string; accepted: number; rejected: number }>;
    expect(runs[0]).toMatchObject({ label: 'county-week1.csv', status: 'succeeded', accepted: 3, rejected: 3 });
  });

  it('loading the same file again, or the same rows in another file, changes nothing', async () => {
    const before = await received();
    const again = await ingest.loadFiles([path.join(dir, 'county-week1.csv')]);
    expect(again.inserted).toBe(0);
    expect(again.duplicates).toBe(3);
    const copy = write('copy-with-other-name.csv', ledgerCsv([GOOD_ROWS[2]!, GOOD_ROWS[0]!]));
    const s = await ingest.loadFiles([copy]);
    expect(s.inserted).toBe(0);
    expect(await received()).toBe(before);
    const ch = server.app.get<ClickHouseHandle>(CLICKHOUSE);
    const rs = await ch.client.query({ query: 'SELECT count() AS n FROM ledger_raw', format: 'JSONEachRow' });
    expect(await rs.json()).toEqual([{ n: 3 }]);
  });

  it('stores no ID number, name or phone in plaintext', async () => {
    const ch = server.app.get<ClickHouseHandle>(CLICKHOUSE);
    const rs = await ch.client.query({ query: 'SELECT * FROM ledger_raw', format: 'TabSeparated' });
    const text = await rs.text();
    for (const secret of [ID1, ID2, '张三明', '13812345678']) expect(text).not.toContain(secret);
    expect(text).toContain('张*明');
    expect(text).toContain('138****5678');
  });

  it('rejects a file missing a required column whole and loads nothing of it', async () => {
    const f = write('no-update-time.csv', ['身份证号,姓名,毕业年份,人员类别,信息来源,接收日期', `${makeIdNumber('220102', '20000404', 66)},周九,2022,应届毕业生,高校,2022-07-05`].join('\n'));
    const s = await ingest.loadFiles([f]);
    expect(s.files[0]!.status).toBe('rejected');
    expect(s.files[0]!.error).toContain('缺少必填列 更新时间');
    expect(s.accepted).toBe(0);
    expect(await received()).toBe(3);
    const page = (await (await server.fetch(`/api/ingest/runs/${s.files[0]!.runId}/rejects`)).json()) as { rows: Array<{ row: number; reason: string }> };
    expect(page.rows[0]).toMatchObject({ row: 0, reason: expect.stringContaining('缺少必填列 更新时间') });
  });

  it('a load that died half way shows nothing and is marked failed; a later run completes it', async () => {
    const repo = server.app.get(IngestRepository);
    const runId = await repo.nextRunId();
    const id = makeIdNumber('220102', '20000606', 77);
    await repo.saveRun({
      run_id: runId, source: 'cli', label: 'died.csv', status: 'running', started_at: new Date().toISOString(), finished_at: null,
      rows_read: 0, accepted: 0, rejected: 0, warnings: 0, duplicates: 0, error: '', detail: '',
    });
    // Rows staged by the dead run are not visible to metrics.
    const f = write('died.csv', ledgerCsv([`${id},吴十,男,,2022,应届毕业生,高校,2022-07-05,220102,,,,,2022-07-08 09:00`]));
    const ch = server.app.get<ClickHouseHandle>(CLICKHOUSE);
    await ch.client.command({
      query: `INSERT INTO stage_ledger (person_key, received_date, updated_at, run_id, file, row, cohort, source, graduation_year, county_code)
              VALUES (generateUUIDv4(), '2022-07-05', '2022-07-08 09:00:00', ${runId}, 'died.csv', 2, '应届毕业生', '高校', 2022, '220102')`,
    });
    // … nor are rows a dead run left in its hidden per-run stage table (the embedded engine's way).
    const stageTable = IngestRepository.runStageTable('ledger', runId);
    await repo.createRunStage('ledger', runId);
    await ch.client.command({
      query: `INSERT INTO ${stageTable} (person_key, received_date, updated_at, run_id, file, row, cohort, source, graduation_year, county_code)
              VALUES (generateUUIDv4(), '2022-07-05', '2022-07-08 09:00:00', ${runId}, 'died.csv', 2, '应届毕业生', '高校', 2022, '220102')`,
    });
    expect(await received()).toBe(3);
    expect(await ingest.recoverAbandoned()).toBe(1);
    const left = await ch.client.query({ query: `SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = {t:String}`, query_params: { t: stageTable }, format: 'JSONEachRow' });
    expect(Number((await left.json<{ n: number }>())[0]!.n)).toBe(0);
    const run = (await (await server.fetch(`/api/ingest/runs/${runId}`)).json()) as { status: string; error: string };
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/中断/);
    const s = await ingest.loadFiles([f]);
    expect(s.inserted).toBe(1);
    expect(await received()).toBe(4);
  });

  it('the inbox takes finished files, leaves files still being written, and moves each after loading', async () => {
    const inbox = server.app.get(InboxService);
    fs.mkdirSync(inbox.dir, { recursive: true });
    const done = path.join(inbox.dir, 'week2.csv');
    fs.writeFileSync(done, ledgerCsv([`${makeIdNumber('220202', '20000707', 88)},郑一,女,,2022,应届毕业生,高校,2022-07-07,220202,,,,,2022-07-09 09:00`]));
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(done, old, old);
    const busy = path.join(inbox.dir, 'still-writing.csv');
    fs.writeFileSync(busy, ledgerCsv([]));
    const broken = path.join(inbox.dir, 'broken.xlsx');
    fs.writeFileSync(broken, 'this is not a workbook');
    fs.utimesSync(broken, old, old);
    const r = await inbox.pull(5_000);
    expect(r.picked.sort()).toEqual(['broken.xlsx', 'week2.csv']);
    expect(r.waiting).toEqual(['still-writing.csv']);
    expect(fs.existsSync(busy)).toBe(true);
    expect(fs.existsSync(done)).toBe(false);
    const processed = fs.readdirSync(path.join(inbox.dir, 'processed'));
    const week2 = r.results.find((x) => x.file === 'week2.csv')!;
    expect(processed).toContain(`${week2.runId}-week2.csv`);
    expect(r.results.find((x) => x.file === 'broken.xlsx')!.status).toBe('rejected');
    expect(await received()).toBe(5);
  });

  it('a corrected record applies even when it returns to an earlier content; the very same file again changes nothing', async () => {
    const header = '记录编号,身份证号,服务时间,服务类型,联系方式,联系结果,县区代码';
    const svc = (result: string) => `R-1,${ID1},2022-07-20 10:00,联系,电话,${result},220102`;
    const contacted = async () => {
      const r = await server.fetch('/api/metrics/220102?asOf=2022-07-31');
      return ((await r.json()) as { contacted: number }).contacted;
    };
    const before = await contacted();
    await ingest.loadFiles([write('svc-a.csv', [header, svc('未联系上')].join('\n'))]);
    expect(await contacted()).toBe(before);
    const b = write('svc-b.csv', [header, svc('已联系')].join('\n'));
    await ingest.loadFiles([b]);
    expect(await contacted()).toBe(before + 1);
    // Back to the first content in a new file: the latest load wins again.
    await ingest.loadFiles([write('svc-a-again.csv', [header, svc('未联系上'), ''].join('\r\n'))]);
    expect(await contacted()).toBe(before);
    // Re-loading file B byte for byte is a duplicate load, not a correction.
    const again = await ingest.loadFiles([b]);
    expect(again.inserted).toBe(0);
    expect(await contacted()).toBe(before);
  });
});
