// A hand-made campaign around ISO week 2022-W36 (Mon 09-05 … Sun 09-11) for
// the report tests. Every expected cell in reports.weekly.test.ts is worked
// out by hand from the comments here, never by running the code under test.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { eventCsv, pid, serviceCsv, writeCsv, type EventRow, type ServiceRow } from '../helpers/ledger-fixtures';

interface Person {
  n: number;
  name: string;
  source: string;
  received: string;
  county: string;
  category: string;
  hardship: string;
  status: string;
  updated: string;
}

// 长春 220100 = 南关区 220102, 朝阳区 220104, 公主岭市 220184; 吉林 220200 = 昌邑区 220202;
// 梅河口 220581 (its own unit); 长白山 229900 = 池北区 229901.
const PERSONS_1: Person[] = [
  // P1 长春: contacted, served, 1311 complete, one-on-one, employed, hardship.
  { n: 1, name: '张伟', source: '教育部门', received: '2022-07-05', county: '220102', category: '有就业意愿', hardship: '脱贫家庭', status: '已就业', updated: '2022-07-05 09:00:00' },
  // P2 长春: only a failed contact (and a 职业指导 whose latest version moved to 09-25).
  { n: 2, name: '张三丰', source: '高校', received: '2022-07-05', county: '220102', category: '有就业意愿', hardship: '', status: '未就业', updated: '2022-07-05 09:00:00' },
  // P3 长春: a 创业培训 on 09-06 (contacted and served), 自主创业 (employed).
  { n: 3, name: '李娜', source: '小程序', received: '2022-07-10', county: '220104', category: '有创业意愿', hardship: '', status: '自主创业', updated: '2022-07-10 09:00:00' },
  // P4 长春 (公主岭): hardship, failed contact; a later version (09-13, second load) must not reach W36.
  { n: 4, name: '赵敏', source: '失业登记', received: '2022-08-01', county: '220184', category: '无法联系', hardship: '残疾', status: '未就业', updated: '2022-08-01 09:00:00' },
  // P5 吉林: received inside the week; 公益性岗位 (employed, and a public-welfare placement); one-on-one on 09-07.
  { n: 5, name: '孙丽', source: '其他', received: '2022-09-06', county: '220202', category: '暂无就业意愿', hardship: '零就业家庭', status: '公益性岗位', updated: '2022-09-06 09:00:00' },
  // P6 梅河口: no category, hardship, a 公益性岗位安置 service on 09-08 (placed, contacted, served), still 未就业.
  { n: 6, name: '周杰', source: '教育部门', received: '2022-07-15', county: '220581', category: '', hardship: '特殊困难', status: '未就业', updated: '2022-07-15 09:00:00' },
  // P7 长白山: received 09-12, after the week.
  { n: 7, name: '吴昊', source: '高校', received: '2022-09-12', county: '229901', category: '有就业意愿', hardship: '', status: '未就业', updated: '2022-09-12 09:00:00' },
  // P8: not yet distributed to a county; contacted on 07-25.
  { n: 8, name: '郑洁', source: '教育部门', received: '2022-07-20', county: '', category: '', hardship: '', status: '', updated: '2022-07-20 09:00:00' },
  // P9: in 长春 (南关区) until 09-09, then in 吉林 (second load).
  { n: 9, name: '王磊', source: '教育部门', received: '2022-07-05', county: '220102', category: '有就业意愿', hardship: '', status: '未就业', updated: '2022-07-05 09:00:00' },
];

const PERSONS_2: Person[] = [
  { n: 4, name: '赵敏', source: '失业登记', received: '2022-08-01', county: '220184', category: '有就业意愿', hardship: '残疾', status: '已就业', updated: '2022-09-13 10:00:00' },
  { n: 9, name: '王磊', source: '教育部门', received: '2022-07-05', county: '220202', category: '有就业意愿', hardship: '', status: '灵活就业', updated: '2022-09-09 09:00:00' },
];

const SERVICES_1: ServiceRow[] = [
  { rid: 'S1', id: pid(1), time: '2022-07-06 10:00:00', type: '联系', result: '已联系', county: '220102' },
  { rid: 'S2', id: pid(1), time: '2022-07-10 10:00:00', type: '职业指导', county: '220102' },
  { rid: 'S3', id: pid(1), time: '2022-07-11 10:00:00', type: '岗位推介', county: '220102' },
  { rid: 'S4', id: pid(1), time: '2022-07-12 10:00:00', type: '岗位推介', county: '220102' },
  { rid: 'S5', id: pid(1), time: '2022-07-13 10:00:00', type: '岗位推介', county: '220102' },
  { rid: 'S6', id: pid(1), time: '2022-07-20 10:00:00', type: '技能培训', county: '220102' },
  { rid: 'S7', id: pid(1), time: '2022-08-01 10:00:00', type: '就业见习', county: '220102' },
  { rid: 'S8', id: pid(1), time: '2022-07-08 10:00:00', type: '一对一帮扶', county: '220102' },
  { rid: 'S9', id: pid(2), time: '2022-07-06 10:00:00', type: '联系', result: '未联系上', county: '220102' },
  { rid: 'S10', id: pid(2), time: '2022-09-05 10:00:00', type: '职业指导', county: '220102' },
  { rid: 'S11', id: pid(3), time: '2022-09-06 10:00:00', type: '创业培训', county: '220104' },
  { rid: 'S12', id: pid(4), time: '2022-08-02 10:00:00', type: '联系', result: '未联系上', county: '220184' },
  { rid: 'S13', id: pid(5), time: '2022-09-07 10:00:00', type: '一对一帮扶', county: '220202' },
  { rid: 'S14', id: pid(6), time: '2022-09-08 10:00:00', type: '公益性岗位安置', county: '220581' },
  // The service's county does not matter: P8 has none, so this counts only at the province.
  { rid: 'S15', id: pid(8), time: '2022-07-25 10:00:00', type: '联系', result: '已联系', county: '220102' },
  { rid: 'S16', id: pid(9), time: '2022-09-20 10:00:00', type: '岗位推介', county: '220202' },
];

// S10's latest version moves it to 09-25: P2 has no service in W36 or the first half of September.
const SERVICES_2: ServiceRow[] = [{ rid: 'S10', id: pid(2), time: '2022-09-25 10:00:00', type: '职业指导', county: '220102' }];

interface Help {
  hid: string;
  n: number;
  name: string;
  at: string;
  county: string;
  contact: string;
}

export const HELP: Help[] = [
  { hid: 'H1', n: 1, name: '张伟', at: '2022-09-08 10:00:00', county: '220102', contact: '2022-09-08 12:00:00' }, // 2 h: in time
  { hid: 'H2', n: 21, name: '王小明', at: '2022-09-09 10:00:00', county: '220102', contact: '' }, // never contacted
  { hid: 'H3', n: 22, name: '李雷', at: '2022-09-11 20:00:00', county: '220202', contact: '' }, // not contacted, deadline 09-12 20:00
  { hid: 'H4', n: 6, name: '周杰', at: '2022-09-05 08:00:00', county: '220581', contact: '2022-09-07 08:00:00' }, // 48 h: late
  { hid: 'H5', n: 23, name: '赵四', at: '2022-09-12 09:00:00', county: '220104', contact: '' }, // after the week
  { hid: 'H6', n: 2, name: '', at: '2022-09-10 09:00:00', county: '220102', contact: '2022-09-13 10:00:00' }, // no name on the request: P2's
];

const EVENTS_1: EventRow[] = [
  { eid: 'E1', region: '220100', type: '专业性', date: '2022-09-06' },
  { eid: 'E2', region: '220102', type: '综合性', date: '2022-09-08' }, // on a county of 长春
  { eid: 'E3', region: '220200', type: '专业性', date: '2022-09-02' }, // September, before the week
  { eid: 'E4', region: '220200', type: '专业性', date: '2022-09-12' }, // after the week
  { eid: 'E5', region: '220581', type: '综合性', date: '2022-08-30' }, // August
  { eid: 'E6', region: '229900', type: '专业性', date: '2022-09-11' }, // the week's Sunday
  { eid: 'E7', region: '220300', type: '专业性', date: '2022-09-05' }, // moved to 09-13 by its second version
];
const EVENTS_2: EventRow[] = [{ eid: 'E7', region: '220300', type: '专业性', date: '2022-09-13' }];

function ledgerFile(dir: string, name: string, rows: Person[]): string {
  return writeCsv(
    dir,
    name,
    ['身份证号', '姓名', '毕业年份', '人员类别', '信息来源', '接收日期', '县区代码', '帮扶类别', '困难类别', '就业状态', '更新时间'],
    rows.map((p) => [pid(p.n), p.name, 2022, '应届毕业生', p.source, p.received, p.county, p.category, p.hardship, p.status, p.updated]),
  );
}

/** The fixture as two loads (the second carries later versions). */
export function writeFixture(): { first: string[]; second: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reports-fixture-'));
  const help = writeCsv(
    dir,
    'help.csv',
    ['求助编号', '身份证号', '姓名', '求助时间', '县区代码', '首次联系时间'],
    HELP.map((h) => [h.hid, pid(h.n), h.name, h.at, h.county, h.contact]),
  );
  return {
    first: [ledgerFile(dir, 'ledger1.csv', PERSONS_1), serviceCsv(dir, 'services1.csv', SERVICES_1), help, eventCsv(dir, 'events1.csv', EVENTS_1)],
    second: [ledgerFile(dir, 'ledger2.csv', PERSONS_2), serviceCsv(dir, 'services2.csv', SERVICES_2), eventCsv(dir, 'events2.csv', EVENTS_2)],
  };
}

export const UNIT_NAMES = ['长春市', '吉林市', '四平市', '辽源市', '通化市', '白山市', '松原市', '白城市', '延边朝鲜族自治州', '长白山管委会', '梅河口市'];
export const UNIT_CODES = ['220100', '220200', '220300', '220400', '220500', '220600', '220700', '220800', '222400', '229900', '220581'];

export type Cell = string | number | null;

export interface Sheet {
  ws: ExcelJS.Worksheet;
  /** Cell values of a row (1-based columns → index 0 is column A). */
  row(r: number): Cell[];
  /** The table rows from row 5 down to 合计, by the name in column B. */
  body: Array<{ name: string; cells: Cell[] }>;
  merges: string[];
}

function plain(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
  return String(v as unknown as string);
}

export async function readXlsx(buf: ArrayBuffer | Buffer, sheet?: string): Promise<Sheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as ArrayBuffer);
  const ws = sheet ? wb.getWorksheet(sheet)! : wb.worksheets[0]!;
  const row = (r: number): Cell[] => {
    const out: Cell[] = [];
    for (let c = 1; c <= ws.columnCount; c++) out.push(plain(ws.getCell(r, c).value));
    return out;
  };
  const body: Array<{ name: string; cells: Cell[] }> = [];
  for (let r = 5; r <= ws.rowCount; r++) {
    const cells = row(r);
    const name = String(cells[1] ?? '');
    if (!name) break;
    body.push({ name, cells });
    if (name === '合计') break;
  }
  return { ws, row, body, merges: (ws.model as unknown as { merges: string[] }).merges };
}
