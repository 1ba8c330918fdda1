// XLSX: exceljs's streaming WorkbookReader (one sheet and one row at a time),
// after a cheap check of the zip's central directory so that a truncated or
// foreign file is refused before anything is yielded.

import type { FileHandle } from 'node:fs/promises';
import { stream as excelStream } from 'exceljs';
import * as unzipper from 'unzipper';
import { SHEET_KIND } from '../../ledger/ledger.schema';
import { excelMoneyText } from '../../measures/measures.money';
import { excelDateToString, excelSerialToDate } from './dates';
import { FileRejected, type Batch, type FileSummary, type SheetSummary } from './types';
import { RowValidator, recogniseHeader, TYPE } from './validate';

export const NOT_XLSX = '文件不是有效的 Excel 工作簿 (.xlsx)';
export const TRUNCATED_XLSX = '文件不完整或已损坏，无法作为 Excel 工作簿 (.xlsx) 打开，请重新导出后再提交（truncated or corrupt .xlsx）';

/** Checks the end-of-central-directory record and that the zip holds a workbook. */
export async function checkZip(fh: FileHandle, size: number): Promise<void> {
  if (size < 22) throw new FileRejected(size > 4 ? TRUNCATED_XLSX : NOT_XLSX);
  const tailLen = Math.min(size, 22 + 65535);
  const tail = Buffer.alloc(tailLen);
  await fh.read(tail, 0, tailLen, size - tailLen);
  let eocd = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new FileRejected(TRUNCATED_XLSX);
  const entries = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (cdOffset === 0xffffffff || entries === 0xffff) return; // zip64: leave it to the reader
  const eocdPos = size - tailLen + eocd;
  if (cdOffset + cdSize > eocdPos || cdSize > 64 << 20) throw new FileRejected(TRUNCATED_XLSX);
  const cd = Buffer.alloc(cdSize);
  await fh.read(cd, 0, cdSize, cdOffset);
  let p = 0;
  let workbook = false;
  for (let k = 0; k < entries; k++) {
    if (p + 46 > cdSize || cd.readUInt32LE(p) !== 0x02014b50) throw new FileRejected(TRUNCATED_XLSX);
    const compSize = cd.readUInt32LE(p + 20);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const local = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    if (name === 'xl/workbook.xml') workbook = true;
    if (local !== 0xffffffff && compSize !== 0xffffffff && local + 30 + nameLen + compSize > cdOffset) {
      throw new FileRejected(TRUNCATED_XLSX);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (!workbook) throw new FileRejected(NOT_XLSX);
}

// ---------------------------------------------------------------------------
// Cells

interface RichTextRun { text?: string }

/** Reason found while converting the last cell (error value, lost precision); reset by the caller. */
let convErr: string | undefined;

function hasTime(d: Date): boolean {
  return d.getTime() % 86400000 !== 0;
}

/** One cell as text for the row validator. `t` is the column's type code, -1 for unknown columns. */
function cellText(v: unknown, t: number, label: string, date1904: boolean): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (t === TYPE.DATE || t === TYPE.DATETIME) {
      const d = excelSerialToDate(v, date1904);
      const s = d ? excelDateToString(d, t === TYPE.DATETIME) : null;
      return typeof s === 'string' ? s : String(v);
    }
    if (t === TYPE.MONEY && Number.isFinite(v)) return excelMoneyText(v);
    if (Number.isNaN(v)) {
      if (t >= 0) convErr = `单元格错误值（公式结果为错误值，列 ${label}）`;
      return '#ERROR';
    }
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
      if (t >= 0) {
        convErr = `${label} 在 Excel 中以数字形式存储，超过 15 位已丢失精度，请将该列设为文本格式后重新录入（number lost precision）`;
      }
      return BigInt(v).toString();
    }
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) {
    const s = excelDateToString(v, t === TYPE.DATETIME || (t !== TYPE.DATE && hasTime(v)));
    return typeof s === 'string' ? s : '';
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.error === 'string') {
      if (t >= 0) convErr = `单元格错误值 ${o.error}（列 ${label}）`;
      return o.error;
    }
    if (Array.isArray(o.richText)) return (o.richText as RichTextRun[]).map((r) => r.text ?? '').join('');
    if ('formula' in o || 'sharedFormula' in o) return cellText(o.result, t, label, date1904);
    if ('text' in o) return cellText(o.text, t, label, date1904); // hyperlink
  }
  return String(v);
}

// exceljs's typings omit what the streaming reader exposes at run time.
interface SheetReaderRuntime {
  id: string | number;
  name: string;
  [Symbol.asyncIterator](): AsyncIterator<{ number: number; values: unknown }>;
}
interface BookReaderRuntime {
  properties?: { model?: { date1904?: boolean } };
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { id: number; name: string; rId: string }[] };
}

// exceljs's streaming reader walks the archive in stored order and, when the
// workbook part comes after the sheets (exceljs itself writes it last), at
// times never receives that last entry: it then fails with "Cannot read
// properties of undefined (reading 'sheets')" (exceljs/exceljs#3064), and a
// sheet stored last could be lost the same way. So the archive is opened by
// its central directory instead and the parts are handed to the reader's own
// parsers in the order they depend on: relationships, workbook, shared
// strings, styles, then each sheet in workbook order, still row by row.
type ReaderEvent = { eventType: string; value: unknown };
interface ReaderParts {
  _parseRels(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<ReaderEvent>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<ReaderEvent>;
}

async function* chunks(stream: NodeJS.ReadableStream): AsyncGenerator<unknown> {
  for await (const c of stream as AsyncIterable<unknown>) yield c;
}

async function* parseInOrder(book: BookReaderRuntime, path: string): AsyncGenerator<ReaderEvent> {
  const r = book as unknown as ReaderParts;
  const dir = await unzipper.Open.file(path);
  const files = new Map(dir.files.map((f) => [f.path.replace(/^\//, ''), f]));
  const part = (name: string) => files.get(name)?.stream();
  const rels = part('xl/_rels/workbook.xml.rels');
  if (rels) await r._parseRels(rels);
  const wb = part('xl/workbook.xml');
  if (wb) await r._parseWorkbook(wb);
  const strings = part('xl/sharedStrings.xml');
  if (strings) yield* r._parseSharedStrings(strings);
  const styles = part('xl/styles.xml');
  if (styles) await r._parseStyles(styles);
  // Sheets in the workbook's tab order; any sheet part it does not name follows by number.
  const sheetNo = (name: string) => /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(name)?.[1];
  const ordered: string[] = [];
  for (const sh of book.model?.sheets ?? []) {
    const rel = (book.workbookRels ?? []).find((x) => x.Id === sh.rId);
    const target = rel ? `xl/${rel.Target.replace(/^\/?(xl\/)?/, '')}` : '';
    if (sheetNo(target) !== undefined && files.has(target) && !ordered.includes(target)) ordered.push(target);
  }
  const rest = [...files.keys()].filter((n) => sheetNo(n) !== undefined && !ordered.includes(n));
  rest.sort((a, b) => Number(sheetNo(a)) - Number(sheetNo(b)));
  for (const name of [...ordered, ...rest]) {
    yield* r._parseWorksheet(chunks(files.get(name)!.stream()), sheetNo(name)!);
  }
}

/** exceljs matches sheet files to names only by relative targets; also accept absolute ones. */
function sheetName(book: BookReaderRuntime, ws: SheetReaderRuntime): string {
  if (ws.name !== `Sheet${ws.id}`) return ws.name;
  const rel = (book.workbookRels ?? []).find((r) => r.Target.replace(/^\/?(xl\/)?/, '') === `worksheets/sheet${ws.id}.xml`);
  const sh = rel && (book.model?.sheets ?? []).find((s) => s.rId === rel.Id);
  return sh ? sh.name : ws.name;
}

export async function* parseXlsx(path: string, now: Date, batchSize: number, summary: FileSummary): AsyncGenerator<Batch, FileSummary> {
  const reader = new excelStream.xlsx.WorkbookReader(path, {
    worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore',
  });
  const book = reader as unknown as BookReaderRuntime;
  (reader as unknown as { parse: () => AsyncGenerator<ReaderEvent> }).parse = () => parseInOrder(book, path);
  let yielded = false;
  const sheetErrors: string[] = [];
  let unrecognised: string | undefined;
  const cells: string[] = [];
  const errs: (string | undefined)[] = [];
  let lastRow = 0;
  try {
    for await (const wsTyped of reader) {
      const ws = wsTyped as unknown as SheetReaderRuntime;
      const name = sheetName(book, ws);
      const date1904 = book.properties?.model?.date1904 === true;
      const forced = SHEET_KIND[name.trim()];
      let v: RowValidator | null = null;
      lastRow = 0;
      let entry: SheetSummary | null = null;
      // 0 reading, 1 rejected whole (count its rows), 2 not a ledger sheet (drain)
      let skip = 0;
      for await (const row of ws) {
        if (skip === 2) continue;
        // Rows without an r attribute (some generators) follow the previous one.
        lastRow = Number.isInteger(row.number) && row.number > 0 ? row.number : lastRow + 1;
        const rowNo = lastRow;
        const values = row.values as unknown[];
        const n = Math.max(0, values.length - 1);
        if (skip === 1) {
          for (let i = 0; i < n; i++) cells[i] = cellText(values[i + 1], -1, '', date1904);
          if (!RowValidator.isBlankRow(cells, n)) entry!.rows++;
          continue;
        }
        if (v === null) {
          for (let i = 0; i < n; i++) cells[i] = cellText(values[i + 1], -1, '', date1904);
          if (RowValidator.isBlankRow(cells, n)) continue;
          const h = recogniseHeader(cells.slice(0, n), forced);
          if (!h.ok) {
            if (h.kind !== null) {
              // A ledger sheet missing a required column: rejected whole, nothing yielded.
              entry = { sheet: name, kind: h.kind, rows: 0, accepted: 0, rejected: 0, warnings: 0, unknownColumns: h.unknownColumns, error: h.reason };
              sheetErrors.push(`工作表“${name}”：${h.reason}`);
              skip = 1;
            } else {
              // Not a ledger sheet (notes, drop-down lists…): listed, skipped.
              entry = { sheet: name, kind: null, rows: 0, accepted: 0, rejected: 0, warnings: 0, unknownColumns: cells.slice(0, n).map((c) => c.trim()).filter((c) => c !== '') };
              unrecognised ??= `工作表“${name}”：${h.reason}`;
              skip = 2;
            }
            continue;
          }
          v = new RowValidator(h.mapping, now, name);
          entry = { sheet: name, kind: h.mapping.kind, rows: 0, accepted: 0, rejected: 0, warnings: 0, unknownColumns: h.mapping.unknownColumns };
          continue;
        }
        let any = false;
        for (let i = 0; i < n; i++) {
          convErr = undefined;
          const t = v.typeAt[i] ?? -1;
          cells[i] = cellText(values[i + 1], t, v.labelAt[i] ?? '', date1904);
          errs[i] = convErr;
          if (convErr !== undefined) any = true;
        }
        if (RowValidator.isBlankRow(cells, n)) continue;
        v.validate(cells, n, rowNo, any ? errs : null);
        if (any) errs.length = 0;
        if (v.pending >= batchSize) {
          yielded = true;
          yield { kind: v.kind, sheet: name, ...v.takeBatch() };
        }
      }
      if (skip === 1) entry!.rejected = entry!.rows;
      if (v !== null && entry !== null) {
        if (v.pending > 0) {
          yielded = true;
          yield { kind: v.kind, sheet: name, ...v.takeBatch() };
        }
        entry.rows = v.rows;
        entry.accepted = v.nAccepted;
        entry.rejected = v.nRejected;
        entry.warnings = v.nWarnings;
      }
      if (entry !== null) summary.sheets.push(entry);
    }
  } catch (e) {
    if (e instanceof FileRejected) throw e;
    const detail = e instanceof Error ? e.message : String(e);
    if (!yielded) throw new FileRejected(`${TRUNCATED_XLSX}：${detail}`);
    summary.fileError = `文件在第 ${lastRow} 行之后损坏，其后的内容未能读取（${detail}）`;
    return summary;
  }
  const loaded = summary.sheets.filter((s) => s.kind !== null && s.error === undefined);
  if (loaded.length === 0) {
    if (sheetErrors.length > 0) throw new FileRejected(sheetErrors.join('；'));
    throw new FileRejected(unrecognised
      ? `工作簿中没有可识别的工作表（台账、服务记录、求助登记、招聘活动）：${unrecognised}`
      : '文件为空');
  }
  if (sheetErrors.length > 0) summary.fileError = sheetErrors.join('；');
  return summary;
}
