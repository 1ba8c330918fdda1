// Ledger files (CSV or XLSX) → validated records and rejects, streamed in
// batches. The contract is /shared/spec/ledger-format.md.
//
//   const gen = parseFile(path);
//   for (let r = await gen.next(); ; r = await gen.next()) {
//     if (r.done) { summary = r.value; break; }
//     insert(r.value.accepted); keep(r.value.rejected);
//   }
//
// FileRejected (thrown before any batch) means the whole file cannot be loaded.

import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { CsvTokenizer, type RowSink } from './csv';
import { detectEncoding, makeDecoder } from './encoding';
import { FileRejected, type Batch, type FileSummary, type ParseOptions } from './types';
import { MIXED_ENCODING, RowValidator, recogniseHeader, toCsvLine } from './validate';
import { checkZip, NOT_XLSX, parseXlsx } from './xlsx';

export { FileRejected } from './types';
export type { Batch, FileSummary, ParsedRow, RejectedRow, SheetSummary, ParseOptions } from './types';

const SAMPLE_BYTES = 64 * 1024;
const READ_BYTES = 1 << 20;
const DECODE_BYTES = 1 << 15;

class CsvSink implements RowSink {
  validator: RowValidator | null = null;
  constructor(private readonly now: Date, private readonly batchSize: number) {}

  onRow(cells: string[], n: number, row: number, mixed: boolean): boolean {
    const v = this.validator;
    if (v === null) {
      if (RowValidator.isBlankRow(cells, n)) return false;
      if (mixed) throw new FileRejected(`无法识别的表头：文件编码混杂或无法识别（mixed encoding）：${toCsvLine(cells, n).slice(0, 120)}`);
      const h = recogniseHeader(cells.slice(0, n));
      if (!h.ok) throw new FileRejected(h.reason);
      this.validator = new RowValidator(h.mapping, this.now);
      return false;
    }
    if (n === 1 && cells[0]!.length === 0) return false; // empty line
    if (mixed) {
      v.reject(row, MIXED_ENCODING, toCsvLine(cells, n));
    } else {
      if (RowValidator.isBlankRow(cells, n)) return false;
      v.validate(cells, n, row, null);
    }
    return v.pending >= this.batchSize;
  }

  onUnclosedQuote(line: string, row: number): boolean {
    const v = this.validator;
    if (v === null) throw new FileRejected(`无法识别的表头：引号未闭合（unclosed quote）：${line.slice(0, 120)}`);
    v.reject(row, '此行的引号未闭合，无法分列，请检查单元格中的英文双引号（unclosed quote）', line);
    return v.pending >= this.batchSize;
  }
}

async function* parseCsv(
  path: string, sample: Buffer, size: number, now: Date, batchSize: number, summary: FileSummary,
): AsyncGenerator<Batch, FileSummary> {
  const det = detectEncoding(sample, sample.length >= size);
  summary.encoding = det.encoding;
  const decoder = makeDecoder(det.encoding);
  const tok = new CsvTokenizer();
  const sink = new CsvSink(now, batchSize);
  const take = (v: RowValidator): Batch => ({ kind: v.kind, ...v.takeBatch() });
  // Read in 1 MB blocks into one reused buffer, decoded 32 KB at a time: a fresh 1 MB buffer per
  // read, or a decoded string over ~128 KB (which V8 puts straight into its old generation), is
  // garbage that lives until a full collection, and grew the heap by 100+ MB on a big file.
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_BYTES);
    let pos = det.skip;
    let first = true;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      for (let o = 0; o < bytesRead; o += DECODE_BYTES) {
        let text = decoder.write(buf.subarray(o, Math.min(bytesRead, o + DECODE_BYTES)));
        if (first && text.length > 0) {
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
          first = false;
        }
        tok.push(text);
        while (tok.run(sink, false)) yield take(sink.validator!);
      }
    }
    tok.push(decoder.end());
    while (tok.run(sink, true)) yield take(sink.validator!);
  } finally {
    await fh.close();
  }
  const v = sink.validator;
  if (v === null) throw new FileRejected('文件为空');
  if (v.pending > 0) yield take(v);
  summary.sheets.push({
    kind: v.kind, rows: v.rows, accepted: v.nAccepted, rejected: v.nRejected, warnings: v.nWarnings,
    unknownColumns: v.unknownColumns,
  });
  return summary;
}

/**
 * Reads a ledger file (CSV in UTF-8/GB18030, or XLSX) and yields validated
 * rows in batches of `batchSize` rows (accepted + rejected), one kind (and
 * sheet) per batch; returns the per-sheet summary. Throws FileRejected when
 * the whole file cannot be loaded (empty, unreadable, unrecognised header,
 * missing required column, not a workbook).
 */
export async function* parseFile(
  path: string,
  opts: ParseOptions = {},
): AsyncGenerator<Batch, FileSummary> {
  const now = opts.now ?? new Date();
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 500));
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileRejected(code === 'ENOENT' ? '文件不存在' : `文件无法打开（${code ?? String(e)}）`);
  }
  let size: number;
  let sample: Buffer;
  const ext = extname(path).toLowerCase();
  let format: 'csv' | 'xlsx';
  try {
    size = (await fh.stat()).size;
    if (size === 0) throw new FileRejected('文件为空');
    sample = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
    await fh.read(sample, 0, sample.length, 0);
    const zip = sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04;
    const ole = sample.length >= 4 && sample.readUInt32BE(0) === 0xd0cf11e0;
    if (ole) throw new FileRejected('文件是旧版 Excel 工作簿 (.xls)，请另存为 .xlsx 或 CSV 后再提交（.xls is not supported）');
    if (ext === '.xlsx' || ext === '.xlsm') {
      if (!zip) throw new FileRejected(NOT_XLSX);
      format = 'xlsx';
    } else {
      format = zip ? 'xlsx' : 'csv';
    }
    if (format === 'xlsx') await checkZip(fh, size);
  } catch (e) {
    if (e instanceof FileRejected) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileRejected(code === 'EISDIR' ? '这是一个文件夹，不是文件' : `文件无法读取（${code ?? String(e)}）`);
  } finally {
    await fh.close();
  }
  const summary: FileSummary = { file: path, format, sheets: [] };
  if (format === 'xlsx') return yield* parseXlsx(path, now, batchSize, summary);
  return yield* parseCsv(path, sample, size, now, batchSize, summary);
}
