// XLSX workbooks: several sheets, Excel date cells, formulas, error values,
// numbers where text belongs; broken files refused as a whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parseFile, FileRejected, type Batch, type FileSummary } from '../../backend/src/ingest/parse';
import { makeIdNumber } from '../../backend/src/ledger/id-number';

const NOW = new Date('2022-12-01T00:00:00Z');
const ID1 = makeIdNumber('220102', '19990101', 1);
const ID2 = makeIdNumber('220581', '20000315', 2);
/** Excel date cells: exceljs reads and writes wall time in the UTC fields. */
const wall = (y: number, m: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, m - 1, d, h, mi));

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'parse-xlsx-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function book(fill: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  fill(wb);
  const p = join(dir, `b${++n}.xlsx`);
  await wb.xlsx.writeFile(p);
  return p;
}

async function load(path: string, batchSize?: number): Promise<{ batches: Batch[]; summary: FileSummary }> {
  const gen = parseFile(path, { now: NOW, batchSize });
  const batches: Batch[] = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { batches, summary: r.value };
    batches.push(r.value);
  }
}

async function rejectedWith(path: string): Promise<string> {
  const gen = parseFile(path, { now: NOW });
  let yielded = 0;
  try {
    for (;;) {
      const r = await gen.next();
      if (r.done) break;
      yielded++;
    }
  } catch (e) {
    expect(e).toBeInstanceOf(FileRejected);
    expect(yielded).toBe(0);
    return (e as Error).message;
  }
  throw new Error('expected FileRejected');
}

const LEDGER_HEAD = ['身份证号', '姓名', '性别', '联系电话', '毕业年份', '人员类别', '信息来源', '接收日期', '县区代码', '困难类别', '更新时间'];
const SVC_HEAD = ['记录编号', '身份证号', '服务时间', '服务类型', '联系方式', '联系结果', '县区代码'];
const HELP_HEAD = ['求助编号', '身份证号', '求助时间', '县区代码', '首次联系时间'];

function multiSheet(wb: ExcelJS.Workbook): void {
  const notes = wb.addWorksheet('填表说明');
  notes.addRow(['本表由县区人社部门填写']);

  const ledger = wb.addWorksheet('台账');
  ledger.addRow(LEDGER_HEAD);
  // Row 2: date cells, phone stored as a number, rich text, a formula for the year.
  ledger.addRow([ID1, { richText: [{ text: '张' }, { font: { bold: true }, text: '三' }] }, '男', 13912345678,
    { formula: '2021+1', result: 2022 }, '应届毕业生', '高校', wall(2022, 7, 1), 220102, '残疾、脱贫家庭', wall(2022, 7, 2, 14, 30)]);
  // Row 3: the ID typed as a number (Excel keeps 15 digits).
  ledger.addRow([Number(ID2), '李四', '女', null, 2022, '失业青年', '小程序', wall(2022, 7, 1), 220581, null, wall(2022, 7, 2)]);
  // Row 4: an error value left by a lookup formula.
  ledger.addRow([ID1, '王五', { error: '#N/A' }, null, 2022, '应届毕业生', '高校', wall(2022, 7, 1), 220102, null, wall(2022, 7, 2)]);
  ledger.addRow([]); // row 5 blank
  // Row 6: a date typed as a plain serial number, text dates.
  ledger.addRow([ID2.slice(0, 17) + ID2[17]!.toLowerCase(), '赵六', null, null, 2021, '应届毕业生', '教育部门', 44743, '220381', null, '2022/7/3 8:00']);

  const svc = wb.addWorksheet('服务记录');
  svc.addRow(SVC_HEAD);
  svc.addRow(['S1', ID1, wall(2022, 7, 5, 9, 0), '联系', '电话', '已联系', 220102]);
  svc.addRow(['S2', ID1, wall(2022, 7, 6), '联系', '电话', null, 220102]);

  const help = wb.addWorksheet('小程序导出');
  help.addRow(HELP_HEAD);
  help.addRow(['Q1', ID2, wall(2022, 8, 1, 10, 15), '220581', null]);
}

describe('multi-sheet workbook', () => {
  it('loads 台账, 服务记录 and a sheet recognised by its headers; skips the notes sheet', async () => {
    const { batches, summary } = await load(await book(multiSheet));
    expect(summary.format).toBe('xlsx');
    expect(summary.fileError).toBeUndefined();
    expect(summary.sheets).toEqual([
      { sheet: '填表说明', kind: null, rows: 0, accepted: 0, rejected: 0, warnings: 0, unknownColumns: ['本表由县区人社部门填写'] },
      { sheet: '台账', kind: 'ledger', rows: 4, accepted: 2, rejected: 2, warnings: 1, unknownColumns: [] },
      { sheet: '服务记录', kind: 'service', rows: 2, accepted: 1, rejected: 1, warnings: 0, unknownColumns: [] },
      { sheet: '小程序导出', kind: 'help', rows: 1, accepted: 1, rejected: 0, warnings: 0, unknownColumns: [] },
    ]);
    expect(batches.map((b) => [b.sheet, b.kind])).toEqual([['台账', 'ledger'], ['服务记录', 'service'], ['小程序导出', 'help']]);

    const [ledger, svc, help] = batches;
    expect(ledger!.accepted.map((a) => a.row)).toEqual([2, 6]);
    expect(ledger!.accepted[0]!.record).toMatchObject({
      id_number: ID1, name: '张三', phone: '13912345678', graduation_year: 2022, received_date: '2022-07-01',
      county_code: '220102', hardship: ['脱贫家庭', '残疾'], updated_at: '2022-07-02 14:30:00',
    });
    expect(ledger!.accepted[1]).toMatchObject({
      row: 6,
      record: { id_number: ID2, received_date: '2022-07-01', county_code: '220184', updated_at: '2022-07-03 08:00:00' },
      warnings: [expect.stringContaining('220381')],
    });
    expect(ledger!.rejected).toMatchObject([
      { row: 3, sheet: '台账', reason: expect.stringMatching(/^身份证号 在 Excel 中以数字形式存储.*丢失精度/) },
      { row: 4, sheet: '台账', reason: '单元格错误值 #N/A（列 性别）', raw: expect.stringContaining('#N/A') },
    ]);

    expect(svc!.accepted[0]!.record).toMatchObject({ record_id: 'S1', service_time: '2022-07-05 09:00:00', county_code: '220102' });
    expect(svc!.rejected).toMatchObject([{ row: 3, sheet: '服务记录', reason: '服务类型为“联系”时必须填写联系结果' }]);
    expect(help!.accepted[0]!.record).toEqual({
      request_id: 'Q1', id_number: ID2, requested_at: '2022-08-01 10:15:00', county_code: '220581', name: null, first_contact_at: null,
    });
  });

  it('rejects a sheet missing a required column whole and still loads the others', async () => {
    const p = await book((wb) => {
      const a = wb.addWorksheet('服务记录');
      a.addRow(['记录编号', '身份证号', '服务时间', '联系方式']);
      a.addRow(['S1', ID1, wall(2022, 7, 5), '电话']);
      a.addRow(['S2', ID1, wall(2022, 7, 5), '电话']);
      const b = wb.addWorksheet('求助登记');
      b.addRow(HELP_HEAD);
      b.addRow(['Q1', ID1, wall(2022, 7, 5), 220102, null]);
    });
    const { batches, summary } = await load(p);
    expect(batches.map((b) => b.sheet)).toEqual(['求助登记']);
    expect(summary.sheets[0]).toMatchObject({ sheet: '服务记录', kind: 'service', rows: 2, accepted: 0, rejected: 2, error: '缺少必填列 服务类型、县区代码' });
    expect(summary.fileError).toContain('缺少必填列 服务类型、县区代码');
  });

  it('refuses a workbook whose only sheet misses a required column', async () => {
    const p = await book((wb) => {
      const a = wb.addWorksheet('Sheet1');
      a.addRow(['求助编号', '身份证号', '求助时间']);
      a.addRow(['Q1', ID1, wall(2022, 7, 5)]);
    });
    expect(await rejectedWith(p)).toContain('缺少必填列 县区代码');
  });

  it('reads English keys in a sheet named by its kind, with numbers in text columns', async () => {
    const p = await book((wb) => {
      const s = wb.addWorksheet('招聘活动');
      s.addRow(['event_id', 'region_code', 'name', 'event_type', 'event_date', 'jobs', 'attendees']);
      s.addRow([1001, 220100, '长春市综合招聘会', '综合性', wall(2022, 7, 5), 300, { formula: 'B1', result: 25 }]);
    });
    const { batches } = await load(p);
    expect(batches[0]!.accepted[0]!.record).toEqual({
      event_id: '1001', region_code: '220100', name: '长春市综合招聘会', event_type: '综合性', mode: null, event_date: '2022-07-05', jobs: 300, attendees: 25,
    });
  });

  it('batches by batchSize within a sheet', async () => {
    const p = await book((wb) => {
      const s = wb.addWorksheet('服务记录');
      s.addRow(SVC_HEAD);
      for (let i = 0; i < 7; i++) s.addRow([`S${i}`, ID1, wall(2022, 7, 5), '职业指导', null, null, 220102]);
    });
    const { batches } = await load(p, 3);
    expect(batches.map((b) => b.accepted.map((a) => a.row))).toEqual([[2, 3, 4], [5, 6, 7], [8]]);
  });
});

describe('broken workbooks', () => {
  it('refuses a file named .xlsx that is not a workbook', async () => {
    const p = join(dir, 'fake.xlsx');
    writeFileSync(p, `${SVC_HEAD.join(',')}\nS1,${ID1},2022-07-05,联系,电话,已联系,220102\n`);
    expect(await rejectedWith(p)).toBe('文件不是有效的 Excel 工作簿 (.xlsx)');
  });

  it('refuses a zip that is not a workbook', async () => {
    const src = await book((wb) => { wb.addWorksheet('服务记录').addRow(SVC_HEAD); });
    // Rename the workbook part inside the zip: same length, so the zip stays valid.
    const buf = readFileSync(src);
    const renamed = Buffer.from(buf.toString('latin1').replaceAll('xl/workbook.xml', 'xl/workbook.xmx'), 'latin1');
    const p = join(dir, 'not-a-book.xlsx');
    writeFileSync(p, renamed);
    expect(await rejectedWith(p)).toBe('文件不是有效的 Excel 工作簿 (.xlsx)');
  });

  it('refuses a truncated .xlsx before yielding anything', async () => {
    const src = await book(multiSheet);
    const buf = readFileSync(src);
    for (const keep of [0.5, 0.9, 0.99]) {
      const p = join(dir, `truncated-${keep}.xlsx`);
      writeFileSync(p, buf.subarray(0, Math.floor(buf.length * keep)));
      expect(await rejectedWith(p)).toMatch(/文件不完整或已损坏/);
    }
  });

  it('refuses an old .xls workbook with a way out', async () => {
    const p = join(dir, 'old.xls');
    writeFileSync(p, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]));
    expect(await rejectedWith(p)).toContain('.xls');
  });

  it('refuses a workbook with no ledger sheet', async () => {
    const p = await book((wb) => { wb.addWorksheet('统计').addRow(['县区', '人数']); });
    expect(await rejectedWith(p)).toMatch(/^工作簿中没有可识别的工作表/);
  });
});
