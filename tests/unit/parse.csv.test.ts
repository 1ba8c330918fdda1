// CSV files as counties hand them over: encodings, line endings, quoting,
// headers. Assertions are what a clerk sees: row numbers and reasons.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as iconv from 'iconv-lite';
import { parseFile, FileRejected, type Batch, type FileSummary } from '../../backend/src/ingest/parse';
import { makeIdNumber } from '../../backend/src/ledger/id-number';

const NOW = new Date('2022-12-01T00:00:00Z');
const ID1 = makeIdNumber('220102', '19990101', 1);
const ID2 = makeIdNumber('220103', '20000215', 2);
const SVC_HEADER = '记录编号,身份证号,服务时间,服务类型,联系方式,联系结果,县区代码,服务人员,备注';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'parse-csv-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: string | Buffer, ext = '.csv'): string {
  const p = join(dir, `f${++n}${ext}`);
  writeFileSync(p, content);
  return p;
}

async function load(path: string, opts: { batchSize?: number } = {}): Promise<{ batches: Batch[]; summary: FileSummary }> {
  const gen = parseFile(path, { now: NOW, ...opts });
  const batches: Batch[] = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { batches, summary: r.value };
    batches.push(r.value);
  }
}

/** Loads and expects a FileRejected; returns its message, and that nothing was yielded first. */
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

const accepted = (b: Batch[]) => b.flatMap((x) => x.accepted);
const rejected = (b: Batch[]) => b.flatMap((x) => x.rejected);

const svc = (id: string, extra = '') => `S-${id.slice(-4)},${id},2022-07-05 08:30:00,职业指导,电话,,220102,张老师,${extra}`;

describe('encodings', () => {
  it('reads UTF-8 without BOM', async () => {
    const { batches, summary } = await load(file(`${SVC_HEADER}\n${svc(ID1)}\n`));
    expect(summary.encoding).toBe('utf-8');
    expect(summary.format).toBe('csv');
    expect(accepted(batches)).toHaveLength(1);
    expect(accepted(batches)[0]!.record).toMatchObject({ service_type: '职业指导', staff: '张老师' });
  });

  it('reads UTF-8 with BOM (the BOM is not part of the first header)', async () => {
    const { batches, summary } = await load(file(`\uFEFF${SVC_HEADER}\n${svc(ID1)}\n`));
    expect(summary.encoding).toBe('utf-8-bom');
    expect(summary.sheets[0]!.unknownColumns).toEqual([]);
    expect(accepted(batches)[0]!.record).toMatchObject({ record_id: `S-${ID1.slice(-4)}` });
  });

  it('reads GB18030 / GBK as Excel on Chinese Windows writes it', async () => {
    const text = `${SVC_HEADER}\r\n${svc(ID1, '已电话联系，本人表示暂不需要')}\r\n`;
    const { batches, summary } = await load(file(iconv.encode(text, 'gb18030')));
    expect(summary.encoding).toBe('gb18030');
    const rec = accepted(batches)[0]!.record;
    expect(rec).toMatchObject({ service_type: '职业指导', staff: '张老师', note: '已电话联系，本人表示暂不需要' });
  });

  it('rejects the GBK row of a UTF-8 file as mixed encoding, keeps the rest', async () => {
    const p = file(Buffer.concat([
      Buffer.from(`${SVC_HEADER}\n${svc(ID1)}\n`),
      iconv.encode(`${svc(ID2)}\n`, 'gbk'),
      Buffer.from(`${svc(ID1)}\n`),
    ]));
    const { batches, summary } = await load(p);
    expect(summary.encoding).toBe('utf-8');
    expect(accepted(batches).map((r) => r.row)).toEqual([2, 4]);
    expect(rejected(batches)).toMatchObject([{ row: 3, reason: '文件编码混杂，此行无法识别（mixed encoding）' }]);
  });

  it('rejects a UTF-8 row inside a GB18030 file as mixed encoding', async () => {
    const p = file(Buffer.concat([
      iconv.encode(`${SVC_HEADER}\r\n${svc(ID1)}\r\n`, 'gb18030'),
      Buffer.from(`${svc(ID2)}\r\n`),
      iconv.encode(`${svc(ID1)}\r\n`, 'gb18030'),
    ]));
    const { batches, summary } = await load(p);
    expect(summary.encoding).toBe('gb18030');
    expect(accepted(batches).map((r) => r.row)).toEqual([2, 4]);
    expect(rejected(batches)).toMatchObject([{ row: 3, reason: '文件编码混杂，此行无法识别（mixed encoding）' }]);
  });

  it('decodes multi-byte characters cut by read-chunk boundaries (UTF-8 and GB18030)', async () => {
    // ~3 MB: several 1 MB read chunks, with Chinese text and quoted line breaks everywhere.
    const lines = [SVC_HEADER];
    for (let i = 0; i < 20000; i++) lines.push(svc(ID1, `"第${i}条，备注：已联系\n本人"`));
    const text = `${lines.join('\r\n')}\r\n`;
    for (const buf of [Buffer.from(text), iconv.encode(text, 'gb18030')]) {
      const { batches, summary } = await load(file(buf));
      expect(rejected(batches)).toEqual([]);
      const acc = accepted(batches);
      expect(acc).toHaveLength(20000);
      expect(acc[12345]!.row).toBe(12347);
      expect(acc[12345]!.record).toMatchObject({ note: '第12345条，备注：已联系\n本人' });
      expect(summary.sheets[0]!.rows).toBe(20000);
    }
  });

  it('refuses UTF-16 (Excel "Unicode text") with a way out', async () => {
    const msg = await rejectedWith(file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${SVC_HEADER}\n`, 'utf16le')])));
    expect(msg).toContain('UTF-16');
  });
});

describe('line endings, quoting and row numbers', () => {
  it('reads CRLF files without leaving \\r in the last cell', async () => {
    const { batches } = await load(file(`${SVC_HEADER}\r\n${svc(ID1, '末列')}\r\n${svc(ID2)}\r\n`));
    expect(accepted(batches).map((r) => [r.row, (r.record as { note: string | null }).note])).toEqual([[2, '末列'], [3, null]]);
  });

  it('keeps quoted commas, doubled quotes and line breaks in a cell; later rows keep their numbers', async () => {
    const p = file([
      SVC_HEADER,
      svc(ID1, '"第一行\n第二行\n第三行"'),
      svc(ID2, '"含,逗号"'),
      svc(ID1, '"他说""好的"""'),
      `S-x,bad-id,2022-07-05,职业指导,,,220102,,`,
    ].join('\n'));
    const { batches } = await load(p);
    const acc = accepted(batches);
    expect(acc.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(acc.map((r) => (r.record as { note: string }).note)).toEqual(['第一行\n第二行\n第三行', '含,逗号', '他说"好的"']);
    expect(rejected(batches)).toMatchObject([{ row: 5, reason: '身份证号格式错误，应为18位（invalid ID number）' }]);
  });

  it('skips blank lines without rejecting them (they keep their Excel row number)', async () => {
    const p = file(`${SVC_HEADER}\n${svc(ID1)}\n\n,,,,,,,,\n   \n${svc(ID2)}\n\n`);
    const { batches, summary } = await load(p);
    expect(rejected(batches)).toEqual([]);
    expect(accepted(batches).map((r) => r.row)).toEqual([2, 6]);
    expect(summary.sheets[0]).toMatchObject({ rows: 2, accepted: 2, rejected: 0 });
  });

  it('rejects a row whose quote never closes and reads on after it', async () => {
    const p = file(`${SVC_HEADER}\n${svc(ID1)}\n${svc(ID2, '"没有结束的引号')}\n${svc(ID1)}\n`);
    const { batches } = await load(p);
    expect(rejected(batches)).toMatchObject([{ row: 3, reason: expect.stringContaining('引号未闭合') }]);
    expect(accepted(batches).map((r) => r.row)).toEqual([2, 4]);
  });

  it('yields batches of batchSize rows', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => (i === 7 ? 'S,1,2,3,,,,,' : svc(ID1)));
    const { batches } = await load(file(`${SVC_HEADER}\n${rows.join('\n')}\n`), { batchSize: 10 });
    expect(batches.map((b) => b.accepted.length + b.rejected.length)).toEqual([10, 10, 5]);
    expect(batches.every((b) => b.kind === 'service' && b.sheet === undefined)).toBe(true);
    expect(rejected(batches)[0]!.row).toBe(9);
  });

  it('keeps the raw row as one CSV line', async () => {
    const { batches } = await load(file(`${SVC_HEADER}\nS1, 123 ,2022-07-05,联系,,,220102,"王,五","x""y"\n`));
    expect(rejected(batches)[0]!.raw).toBe('S1, 123 ,2022-07-05,联系,,,220102,"王,五","x""y"');
  });
});

describe('headers', () => {
  it('rejects an empty file', async () => {
    expect(await rejectedWith(file(''))).toBe('文件为空');
    expect(await rejectedWith(file('\uFEFF\r\n\r\n'))).toBe('文件为空');
  });

  it('accepts a header-only file with 0 rows', async () => {
    const { batches, summary } = await load(file(`${SVC_HEADER}\r\n`));
    expect(batches).toEqual([]);
    expect(summary.sheets).toEqual([{ kind: 'service', rows: 0, accepted: 0, rejected: 0, warnings: 0, unknownColumns: [] }]);
  });

  it('accepts English keys, any column order', async () => {
    const p = file(`county_code,service_type,Record_ID,id_number,service_time,contact_result\n220102,联系,R1,${ID1},2022-07-05,已联系\n`);
    const { batches } = await load(p);
    expect(accepted(batches)[0]!.record).toEqual({
      record_id: 'R1', id_number: ID1, service_time: '2022-07-05 00:00:00', service_type: '联系', contact_method: null,
      contact_result: '已联系', county_code: '220102', staff: null, note: null,
    });
  });

  it('ignores unknown columns and lists them', async () => {
    const { batches, summary } = await load(file(`序号,${SVC_HEADER},审核意见\n1,${svc(ID1)},同意\n`));
    expect(accepted(batches)).toHaveLength(1);
    expect(summary.sheets[0]!.unknownColumns).toEqual(['序号', '审核意见']);
  });

  it('rejects the whole file when a required column is missing, naming all of them', async () => {
    const p = file(`记录编号,身份证号,服务时间,联系方式\nS1,${ID1},2022-07-05,电话\n`);
    expect(await rejectedWith(p)).toBe('缺少必填列 服务类型、县区代码');
  });

  it('rejects a header that names no kind', async () => {
    const msg = await rejectedWith(file('姓名,年龄\n张三,20\n'));
    expect(msg).toMatch(/^无法识别的表头：姓名，年龄/);
  });

  it('recognises each kind from its headers', async () => {
    const help = await load(file(`求助编号,身份证号,求助时间,县区代码\nQ1,${ID1},2022-07-05 10:00,220102\n`));
    expect(help.summary.sheets[0]!.kind).toBe('help');
    const ev = await load(file('活动编号,地区代码,活动名称,活动类型,举办日期\nE1,220100,长春市专场招聘会,综合性,2022-07-05\n'));
    expect(ev.summary.sheets[0]!.kind).toBe('event');
  });
});

describe('file type', () => {
  it('refuses a non-workbook named .xlsx', async () => {
    expect(await rejectedWith(file(`${SVC_HEADER}\n${svc(ID1)}\n`, '.xlsx'))).toBe('文件不是有效的 Excel 工作簿 (.xlsx)');
  });

  it('reads a .txt as CSV', async () => {
    const { summary } = await load(file(`${SVC_HEADER}\n${svc(ID1)}\n`, '.txt'));
    expect(summary).toMatchObject({ format: 'csv', sheets: [{ accepted: 1 }] });
  });
});
