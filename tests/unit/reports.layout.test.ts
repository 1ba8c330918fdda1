// The reports' pure parts: periods, the unit rows with 未分解到县 and 合计,
// the grouped two-row header, and the XLSX layout read back with exceljs.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  cnDate, dispatchPeriod, hoursBetween, parseHalfMonth, PeriodError, periodText, semimonthlyPeriod, weeklyPeriod,
} from '../../backend/src/reports/reports.periods';
import {
  dispatchListRows, dispatchSummaryRows, unitFormRows, WEEKLY_COLUMNS, type Column, type FormTable, type Numbers,
} from '../../backend/src/reports/reports.forms';
import { buildXlsx, cellValue, headerLayout } from '../../backend/src/reports/reports.xlsx';

const UNIT_NAMES = ['长春市', '吉林市', '四平市', '辽源市', '通化市', '白山市', '松原市', '白城市', '延边朝鲜族自治州', '长白山管委会', '梅河口市'];

describe('report periods', () => {
  it('weekly: the ISO week Monday–Sunday, as of its Sunday, or of today while it runs', () => {
    expect(weeklyPeriod('2022-W36', '2025-01-01')).toEqual({
      kind: 'weekly', label: '2022-W36', start: '2022-09-05', end: '2022-09-11', asOf: '2022-09-11', complete: true,
    });
    // The Thursday job: the current week as of that Thursday.
    expect(weeklyPeriod('2022-W36', '2022-09-08')).toMatchObject({ asOf: '2022-09-08', complete: false });
    // On its Sunday the week has not ended yet either.
    expect(weeklyPeriod('2022-W36', '2022-09-11')).toMatchObject({ asOf: '2022-09-11', complete: false });
    // ISO week 1 of 2021 starts on 2021-01-04; 2020 has a week 53.
    expect(weeklyPeriod('2021-W01', '2025-01-01')).toMatchObject({ start: '2021-01-04', end: '2021-01-10' });
    expect(weeklyPeriod('2020-W53', '2025-01-01')).toMatchObject({ start: '2020-12-28', end: '2021-01-03' });
    expect(() => weeklyPeriod('2022-W53', '2025-01-01')).toThrow(PeriodError);
    expect(() => weeklyPeriod('2022-36', '2025-01-01')).toThrow(PeriodError);
    expect(() => weeklyPeriod('2022-W37', '2022-09-11')).toThrow(/尚未开始/);
  });

  it('semi-monthly: the last half-month that ended before the 调度日', () => {
    expect(semimonthlyPeriod('2022-09-16', '2025-01-01')).toEqual({
      kind: 'semimonthly', label: '2022-09-H1', start: '2022-09-01', end: '2022-09-15', asOf: '2022-09-15', complete: true,
    });
    expect(semimonthlyPeriod('2022-09-01', '2025-01-01')).toMatchObject({ label: '2022-08-H2', start: '2022-08-16', end: '2022-08-31' });
    expect(semimonthlyPeriod('2022-09-15', '2025-01-01')).toMatchObject({ label: '2022-08-H2' });
    expect(semimonthlyPeriod('2022-03-10', '2025-01-01')).toMatchObject({ start: '2022-02-16', end: '2022-02-28' });
    expect(semimonthlyPeriod('2022-01-05', '2025-01-01')).toMatchObject({ label: '2021-12-H2', start: '2021-12-16', end: '2021-12-31' });
    expect(parseHalfMonth('2022-02-H2')).toEqual({ start: '2022-02-16', end: '2022-02-28' });
    expect(parseHalfMonth('2022-13-H1')).toBeNull();
    expect(() => semimonthlyPeriod('2022-02-30', '2025-01-01')).toThrow(PeriodError);
  });

  it('dispatch: the cut-off is the end of the day, or now on the day itself (Asia/Shanghai)', () => {
    expect(dispatchPeriod('2022-09-16', new Date('2025-01-01T00:00:00Z')).cutoff).toBe('2022-09-16 23:59:59');
    // 00:30 UTC is 08:30 in Changchun.
    const today = dispatchPeriod('2022-09-16', new Date('2022-09-16T00:30:00Z'));
    expect(today).toMatchObject({ cutoff: '2022-09-16 08:30:00', complete: false });
    expect(() => dispatchPeriod('2022-09-17', new Date('2022-09-16T00:30:00Z'))).toThrow(/尚未到来/);
    // 2022-09-09 10:00 → 2022-09-11 23:59:59 is 61 h 59 min 59 s.
    expect(hoursBetween('2022-09-09 10:00:00', '2022-09-11 23:59:59')).toBe(62);
    expect(hoursBetween('2022-09-11 20:00:00', '2022-09-11 21:30:00')).toBe(1.5);
  });

  it('dates and period texts in Chinese', () => {
    expect(cnDate('2022-09-05')).toBe('2022年9月5日');
    expect(periodText(weeklyPeriod('2022-W36', '2025-01-01'))).toBe('2022年第36周：9月5日—9月11日，数据截至2022年9月11日24时');
    expect(periodText(weeklyPeriod('2022-W36', '2022-09-08'))).toBe('2022年第36周：9月5日—9月11日，本期尚未结束，数据截至2022年9月8日');
    expect(periodText(semimonthlyPeriod('2022-09-01', '2025-01-01'))).toBe('2022年8月下半月：8月16日—8月31日，数据截至2022年8月31日24时');
  });
});

const COLS: Column[] = [
  { key: 'index', header: '序号', kind: 'index' },
  { key: 'name', header: '单位', kind: 'text' },
  { key: 'received', header: '合计', group: '接收', kind: 'int' },
  { key: 'a', header: '甲', group: '接收', kind: 'int' },
  { key: 'done', header: '完成', kind: 'int' },
  { key: 'rate', header: '完成率', group: '比率', kind: 'rate', num: 'done', den: 'received' },
];

describe('unit rows', () => {
  it('11 units in the reporting tree order, 未分解到县 = province − units, 合计 = the sum of all rows, rates from the sums', () => {
    const byUnit = new Map<string, Numbers>([
      ['220100', { received: 2, a: 1, done: 1 }],
      ['220581', { received: 1, a: 0, done: 0 }],
    ]);
    const rows = unitFormRows(COLS, byUnit, { received: 4, a: 2, done: 1 });
    expect(rows.map((r) => r.values.name)).toEqual([...UNIT_NAMES, '未分解到县', '合计']);
    expect(rows.slice(0, 11).map((r) => r.values.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(rows[0]!.values).toMatchObject({ received: 2, done: 1, rate: 0.5 });
    expect(rows[1]!.values).toMatchObject({ received: 0, rate: null });
    expect(rows[10]!.values).toMatchObject({ received: 1, rate: 0 });
    expect(rows[11]!.values).toMatchObject({ received: 1, a: 1, done: 0, rate: 0 });
    expect(rows[12]!.values).toMatchObject({ received: 4, a: 2, done: 1, rate: 0.25 });
    expect(rows[12]!.kind).toBe('total');
  });

  it('the dispatch summary of a county has its own row and 合计; the longest wait is a maximum', () => {
    const items = [
      { requestId: 'H2', countyCode: '220102', nameMasked: '王*明', requestedAt: '2022-09-09 10:00:00', hoursWaiting: 62, overdue: true },
      { requestId: 'H6', countyCode: '220102', nameMasked: '', requestedAt: '2022-09-10 09:00:00', hoursWaiting: 39, overdue: true },
      { requestId: 'H3', countyCode: '220202', nameMasked: '李*', requestedAt: '2022-09-11 20:00:00', hoursWaiting: 4, overdue: false },
    ];
    const prov = dispatchSummaryRows(items, '220000');
    expect(prov.map((r) => r.values.name)).toEqual([...UNIT_NAMES, '合计']);
    expect(prov[0]!.values).toMatchObject({ open: 2, overdue: 2, within: 0, max_hours: 62 });
    expect(prov[1]!.values).toMatchObject({ open: 1, overdue: 0, within: 1, max_hours: 4 });
    expect(prov[2]!.values).toMatchObject({ open: 0, max_hours: null });
    expect(prov[11]!.values).toMatchObject({ open: 3, overdue: 2, within: 1, max_hours: 62 });
    const county = dispatchSummaryRows(items.filter((i) => i.countyCode === '220102'), '220102');
    expect(county.map((r) => [r.values.name, r.values.open])).toEqual([['南关区', 2], ['合计', 2]]);
    const list = dispatchListRows([...items].reverse());
    expect(list.map((r) => [r.values.request_id, r.values.unit, r.values.county, r.values.name])).toEqual([
      ['H2', '长春市', '南关区', '王*明'], ['H6', '长春市', '南关区', '—'], ['H3', '吉林市', '昌邑区', '李*'],
    ]);
  });
});

describe('XLSX layout', () => {
  it('groups headers over their sub-columns; ungrouped headers span both header rows', () => {
    expect(headerLayout(COLS)).toEqual([
      { top: 3, left: 1, bottom: 4, right: 1, text: '序号' },
      { top: 3, left: 2, bottom: 4, right: 2, text: '单位' },
      { top: 3, left: 3, bottom: 3, right: 4, text: '接收' },
      { top: 4, left: 3, bottom: 4, right: 3, text: '合计' },
      { top: 4, left: 4, bottom: 4, right: 4, text: '甲' },
      { top: 3, left: 5, bottom: 4, right: 5, text: '完成' },
      { top: 3, left: 6, bottom: 3, right: 6, text: '比率' },
      { top: 4, left: 6, bottom: 4, right: 6, text: '完成率' },
    ]);
    // The weekly form: 32 columns, every column under exactly one header block on row 4 or spanning rows 3–4.
    const blocks = headerLayout(WEEKLY_COLUMNS);
    expect(WEEKLY_COLUMNS.length).toBe(32);
    for (let c = 1; c <= WEEKLY_COLUMNS.length; c++) {
      expect(blocks.filter((b) => b.bottom === 4 && b.left <= c && c <= b.right).length).toBe(1);
    }
  });

  it('cell values: rates stay fractions, an undefined rate is —', () => {
    expect(cellValue('rate', 0.625)).toBe(0.625);
    expect(cellValue('rate', null)).toBe('—');
    expect(cellValue('int', null)).toBe(0);
    expect(cellValue('index', null)).toBeNull();
  });

  it('writes a government form: merged bold title, 填报单位 and 填报日期, two header rows, 合计, % formats, borders, frozen header, landscape fit to width', async () => {
    const byUnit = new Map<string, Numbers>([['220100', { received: 3, a: 1, done: 1 }]]);
    const table: FormTable = {
      sheetName: '测试表',
      title: '测试汇总表\n（2022年第36周）',
      filingDate: '2022年9月16日',
      columns: COLS,
      rows: unitFormRows(COLS, byUnit, { received: 3, a: 1, done: 1 }),
      notes: ['填表说明：测试。'],
    };
    const buf = await buildXlsx([{ table }]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('测试表')!;
    expect(ws.getCell('A1').value).toBe('测试汇总表\n（2022年第36周）');
    expect(ws.getCell('A1').font.bold).toBe(true);
    expect(ws.getCell('A1').alignment.horizontal).toBe('center');
    const merges = (ws.model as unknown as { merges: string[] }).merges;
    expect(merges).toEqual(expect.arrayContaining(['A1:F1', 'A2:C2', 'D2:F2', 'A3:A4', 'B3:B4', 'C3:D3', 'E3:E4']));
    expect(ws.getCell('A2').value).toBe('填报单位：吉林省人力资源和社会保障厅');
    expect(ws.getCell('D2').value).toBe('填报日期：2022年9月16日');
    expect(ws.getCell('C3').value).toBe('接收');
    expect(ws.getCell('D4').value).toBe('甲');
    expect(ws.getCell('B5').value).toBe('长春市');
    expect(ws.getCell('F5').value).toBeCloseTo(1 / 3);
    expect(ws.getCell('F5').numFmt).toBe('0.0%');
    expect(ws.getCell('F6').value).toBe('—');
    expect(ws.getCell('B16').value).toBe('未分解到县');
    expect(ws.getCell('B17').value).toBe('合计');
    expect(ws.getCell('C17').value).toBe(3);
    expect(ws.getCell('C17').font.bold).toBe(true);
    expect(ws.getCell('C5').border.top?.style).toBe('thin');
    expect(ws.getCell('A19').value).toBe('填表说明：测试。');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 4 });
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 });
    expect(ws.getColumn(2).width).toBeGreaterThan(10);
  });
});
