// Every table the workbench shows exports to Excel the same way: a title row
// saying what, for whom and as of when, a bold header row, masked data.
import ExcelJS from 'exceljs';
import type { Response } from 'express';

export interface ExportColumn<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | null;
  /** Excel number format, e.g. '0.0%'. */
  numFmt?: string;
}

export async function sendTableXlsx<T>(
  res: Response,
  opts: { fileName: string; sheet: string; title: string; subtitle: string; columns: ExportColumn<T>[]; rows: T[] },
): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '吉林省离校未就业高校毕业生服务攻坚行动调度平台';
  const ws = wb.addWorksheet(opts.sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 3 }] });
  const n = opts.columns.length;
  ws.addRow([opts.title]);
  ws.mergeCells(1, 1, 1, n);
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.addRow([opts.subtitle]);
  ws.mergeCells(2, 1, 2, n);
  const header = ws.addRow(opts.columns.map((c) => c.header));
  header.font = { bold: true };
  header.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF5' } };
    c.border = { bottom: { style: 'thin' } };
  });
  for (const r of opts.rows) ws.addRow(opts.columns.map((c) => c.value(r)));
  opts.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width ?? Math.max(10, c.header.length * 2 + 2);
    if (c.numFmt) col.numFmt = c.numFmt;
  });
  res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(opts.fileName)}`);
  await wb.xlsx.write(res);
  res.end();
}
