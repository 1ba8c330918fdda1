// Lays a FormTable out like a government form: the title (row 1), 填报单位 and
// 填报日期 (row 2), two header rows with grouped headers merged over their
// sub-columns, the data rows, 填表说明; borders, widths, a frozen header and
// landscape print setup fitted to the page width.
import ExcelJS from 'exceljs';
import { FILING_UNIT } from './reports.types';
import type { CellKind, Column, FormTable, TableRow } from './reports.forms';

export const TITLE_ROW = 1;
export const FILING_ROW = 2;
export const HEADER_ROW_1 = 3;
export const HEADER_ROW_2 = 4;
export const FIRST_DATA_ROW = 5;

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const FONT = '宋体';
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' },
};

export const NUM_FORMATS: Record<CellKind, string | undefined> = {
  index: '0',
  text: undefined,
  int: '0',
  // Net changes show their sign.
  signed: '+0;-0;0',
  rate: '0.0%',
  hours: '0.0',
  money: '#,##0.00',
};

const DEFAULT_WIDTH: Record<CellKind, number> = { index: 5, text: 14, int: 10, signed: 10, rate: 10, hours: 10, money: 14 };

/** A merged block of the header: 1-based rows and columns, inclusive. */
export interface HeaderBlock {
  top: number;
  left: number;
  bottom: number;
  right: number;
  text: string;
}

/**
 * The two header rows: a grouped column gets its group on the first row
 * (merged over its neighbours of the same group) and its own header on the
 * second; a column without a group spans both rows.
 */
export function headerLayout(columns: Column[], firstRow = HEADER_ROW_1): HeaderBlock[] {
  const blocks: HeaderBlock[] = [];
  let group: HeaderBlock | null = null;
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    const col = i + 1;
    if (!c.group) {
      group = null;
      blocks.push({ top: firstRow, left: col, bottom: firstRow + 1, right: col, text: c.header });
      continue;
    }
    if (group && group.text === c.group) {
      group.right = col;
    } else {
      group = { top: firstRow, left: col, bottom: firstRow, right: col, text: c.group };
      blocks.push(group);
    }
    blocks.push({ top: firstRow + 1, left: col, bottom: firstRow + 1, right: col, text: c.header });
  }
  return blocks;
}

/** What a cell holds: numbers stay numbers (rates as fractions with a % format); an undefined rate is —. */
export function cellValue(kind: CellKind, v: unknown): string | number | null {
  if (v === null || v === undefined || v === '') {
    return kind === 'rate' || kind === 'hours' ? '—' : kind === 'index' ? null : kind === 'text' ? '' : 0;
  }
  if (kind === 'text') return String(v);
  return typeof v === 'number' ? v : Number(v);
}

function styleRow(row: ExcelJS.Row, columns: Column[], r: TableRow): void {
  columns.forEach((c, i) => {
    const cell = row.getCell(i + 1);
    cell.value = cellValue(c.kind, r.values[c.key]);
    cell.border = THIN;
    const fmt = NUM_FORMATS[c.kind];
    if (fmt && typeof cell.value === 'number') cell.numFmt = fmt;
    const centred = c.kind === 'index' || c.kind === 'rate' || (c.key === 'name' && r.kind !== 'unit') || cell.value === '—';
    cell.alignment = { vertical: 'middle', horizontal: centred ? 'center' : c.kind === 'text' ? 'left' : 'right', wrapText: c.kind === 'text' };
    cell.font = { name: FONT, size: 10.5, bold: r.kind === 'total' };
    if (r.kind === 'total') cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
  });
  row.height = 20;
}

/** Adds one form as a worksheet. */
export function addFormSheet(wb: ExcelJS.Workbook, t: FormTable, opts: { freezeColumns?: number } = {}): ExcelJS.Worksheet {
  const n = t.columns.length;
  const ws = wb.addWorksheet(t.sheetName, {
    views: [{ state: 'frozen', xSplit: opts.freezeColumns ?? 2, ySplit: HEADER_ROW_2, showGridLines: false }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `${HEADER_ROW_1}:${HEADER_ROW_2}`,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  });
  ws.columns = t.columns.map((c) => ({ key: c.key, width: c.width ?? DEFAULT_WIDTH[c.kind] }));

  ws.mergeCells(TITLE_ROW, 1, TITLE_ROW, n);
  const title = ws.getCell(TITLE_ROW, 1);
  title.value = t.title;
  title.font = { name: FONT, size: 16, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  ws.getRow(TITLE_ROW).height = t.title.includes('\n') ? 48 : 32;

  const split = Math.max(1, Math.ceil(n / 2));
  ws.mergeCells(FILING_ROW, 1, FILING_ROW, split);
  ws.getCell(FILING_ROW, 1).value = `填报单位：${FILING_UNIT}`;
  ws.getCell(FILING_ROW, 1).alignment = { horizontal: 'left', vertical: 'middle' };
  ws.getCell(FILING_ROW, 1).font = { name: FONT, size: 11 };
  if (split < n) ws.mergeCells(FILING_ROW, split + 1, FILING_ROW, n);
  const dateCell = ws.getCell(FILING_ROW, split < n ? split + 1 : 1);
  dateCell.value = split < n ? `填报日期：${t.filingDate}` : `填报单位：${FILING_UNIT}    填报日期：${t.filingDate}`;
  dateCell.alignment = { horizontal: 'right', vertical: 'middle' };
  dateCell.font = { name: FONT, size: 11 };
  ws.getRow(FILING_ROW).height = 20;

  for (const b of headerLayout(t.columns)) {
    if (b.top !== b.bottom || b.left !== b.right) ws.mergeCells(b.top, b.left, b.bottom, b.right);
    ws.getCell(b.top, b.left).value = b.text;
  }
  for (const r of [HEADER_ROW_1, HEADER_ROW_2]) {
    const row = ws.getRow(r);
    // Sub-headers wrap to three lines in the narrow count columns.
    row.height = r === HEADER_ROW_1 ? 28 : 48;
    for (let c = 1; c <= n; c++) {
      const cell = row.getCell(c);
      cell.border = THIN;
      cell.font = { name: FONT, size: 10.5, bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF5' } };
    }
  }

  t.rows.forEach((r, i) => styleRow(ws.getRow(FIRST_DATA_ROW + i), t.columns, r));

  let noteRow = FIRST_DATA_ROW + t.rows.length + 1;
  for (const note of t.notes) {
    ws.mergeCells(noteRow, 1, noteRow, n);
    const cell = ws.getCell(noteRow, 1);
    cell.value = note;
    cell.font = { name: FONT, size: 9.5 };
    cell.alignment = { horizontal: 'left', vertical: 'top', wrapText: true };
    ws.getRow(noteRow).height = Math.max(18, Math.ceil(note.length / Math.max(40, n * 5)) * 15);
    noteRow++;
  }
  ws.pageSetup.printArea = `A1:${ws.getColumn(n).letter}${Math.max(noteRow - 1, FIRST_DATA_ROW + t.rows.length - 1)}`;
  return ws;
}

/** A workbook of one or more forms, as XLSX bytes. */
export async function buildXlsx(tables: Array<{ table: FormTable; freezeColumns?: number }>, created = new Date()): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '吉林省离校未就业高校毕业生服务攻坚行动';
  wb.created = created;
  wb.modified = created;
  for (const t of tables) addFormSheet(wb, t.table, { freezeColumns: t.freezeColumns });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
