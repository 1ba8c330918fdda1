// Small ledger workbooks for the crash and backup tests: two sheets (台账 and
// 服务记录, so a commit can die between the two kinds), a bad row in each.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { makeIdNumber } from '../../backend/src/ledger/id-number';

const LEDGER = ['身份证号', '姓名', '性别', '联系电话', '毕业年份', '人员类别', '信息来源', '接收日期', '县区代码', '下发日期', '帮扶类别', '困难类别', '就业状态', '更新时间'];
const SERVICE = ['记录编号', '身份证号', '服务时间', '服务类型', '联系方式', '联系结果', '县区代码'];

export const WORKBOOK_DAYS = ['2022-07-31', '2022-09-30', '2022-12-31'];

/** Person n of workbook `seed` (distinct across seeds). */
export function personId(seed: number, n: number): string {
  return makeIdNumber('220102', '20000101', seed * 50 + n);
}

const COUNTIES = ['220102', '220184', '220202', '220581', '220302', '220702'];
const NAMES = ['张三明', '李四', '王五', '赵六', '钱七', '孙八'];

/**
 * A workbook of 6 persons (one with a bad ID number: rejected), their contacts (one with an unknown
 * county: rejected) and, with `seed` > 0, different persons — so two workbooks add up.
 */
export async function writeWorkbook(dir: string, name: string, seed = 0): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ledger = wb.addWorksheet('台账');
  ledger.addRow(LEDGER);
  const services = wb.addWorksheet('服务记录');
  services.addRow(SERVICE);
  for (let i = 0; i < 6; i++) {
    const id = personId(seed, i + 1);
    const county = COUNTIES[(i + seed) % COUNTIES.length]!;
    const employed = i % 3 === 0 ? '已就业' : '未就业';
    const hardship = i === 2 ? '脱贫家庭' : '';
    ledger.addRow([id, NAMES[i], i % 2 ? '女' : '男', `1381234${String(5670 + i + seed * 10).padStart(4, '0')}`, 2022, '应届毕业生', '高校',
      `2022-07-0${5 + (i % 3)}`, county, '2022-07-10', '有就业意愿', hardship, employed, `2022-07-1${i} 09:00`]);
    if (i < 4) services.addRow([`S-${seed}-${i}`, id, `2022-07-2${i} 10:00`, '联系', '电话', '已联系', county]);
  }
  const bad = personId(seed, 40);
  ledger.addRow([bad.slice(0, 17) + (bad[17] === '1' ? '2' : '1'), '周九', '男', '', 2022, '应届毕业生', '高校', '2022-07-05', '220102', '', '', '', '', '2022-07-08 09:00']);
  services.addRow([`S-${seed}-bad`, personId(seed, 1), '2022-07-25 10:00', '联系', '电话', '已联系', '229999']);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

/** Copies a file into an inbox, dated in the past so the inbox takes it at its next pull. */
export function dropInInbox(inbox: string, file: string): string {
  fs.mkdirSync(inbox, { recursive: true });
  const dest = path.join(inbox, path.basename(file));
  fs.copyFileSync(file, dest);
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(dest, old, old);
  return dest;
}
