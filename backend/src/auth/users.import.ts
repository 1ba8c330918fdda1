// Bulk account import from XLSX, pure parts: read the sheet (Chinese or
// English headers, a title row above them allowed), check every row before
// anything is created, and write the one-time passwords sheet.
import ExcelJS from 'exceljs';
import { maskPhone } from '../security/pii';
import { COUNTIES, PROVINCE_CODE, REGION_BY_CODE, COUNTY_CODES, UNITS } from '../regions/regions.data';
import type { ImportedAccount, ImportRow } from './users.import.types';
import type { Role } from './scope';

export const MAX_IMPORT_ROWS = 2000;

export type ImportField = 'username' | 'role' | 'region' | 'displayName' | 'phone';

/** Header spellings accepted per field (compared without case, spaces, '_', '-', '*' or brackets' notes). */
const HEADERS: Record<ImportField, string[]> = {
  username: ['用户名', '账号', '帐号', '登录名', 'username', 'user', 'login'],
  role: ['角色', '用户角色', 'role'],
  region: ['地区代码', '地区', '行政区划代码', '区划代码', 'region', 'regioncode', 'code'],
  displayName: ['姓名', '显示名称', '名称', '联系人', 'displayname', 'name'],
  phone: ['联系电话', '电话', '手机', '手机号', '联系方式', 'phone', 'mobile', 'tel'],
};

export const ROLE_LABELS: Record<string, string> = { admin: '系统管理员', province: '省级用户', unit: '市级用户', county: '县级用户' };

const ROLE_WORDS: Record<string, Role> = {
  admin: 'admin', 管理员: 'admin', 系统管理员: 'admin',
  province: 'province', 省: 'province', 省级: 'province', 省级用户: 'province', 省厅: 'province',
  unit: 'unit', 市: 'unit', 市级: 'unit', 市级用户: 'unit', 市州: 'unit', 市州用户: 'unit',
  county: 'county', 县: 'county', 县级: 'county', 县级用户: 'county', 县区: 'county', 县区用户: 'county',
};

function norm(s: string): string {
  return s.replace(/[（(].*?[）)]/g, '').replace(/[\s_*-]/g, '').toLowerCase();
}

const HEADER_OF = new Map<string, ImportField>(
  (Object.entries(HEADERS) as Array<[ImportField, string[]]>).flatMap(([f, names]) => names.map((n) => [norm(n), f] as const)),
);

export class ImportFileError extends Error {}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as unknown as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as Array<{ text?: string }>).map((r) => r.text ?? '').join('').trim();
    if ('result' in o) return cellText(o.result as ExcelJS.CellValue);
    if (typeof o.text === 'string') return o.text.trim();
    if (typeof o.error === 'string') return o.error;
  }
  return String(v as unknown as string).trim();
}

export interface RawImportRow {
  row: number;
  cells: Partial<Record<ImportField, string>>;
}

/** The first sheet with a recognisable header row (username and role at least) and its data rows. */
export async function readUsersXlsx(buf: Buffer): Promise<{ sheet: string; rows: RawImportRow[] }> {
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) throw new ImportFileError('文件不是有效的 Excel 工作簿 (.xlsx)，请用 Excel 另存为 .xlsx 后再导入');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new ImportFileError('文件不完整或已损坏，无法作为 Excel 工作簿 (.xlsx) 打开，请重新保存后再导入');
  }
  for (const ws of wb.worksheets) {
    let columns: Map<number, ImportField> | null = null;
    let headerRow = 0;
    const rows: RawImportRow[] = [];
    ws.eachRow({ includeEmpty: false }, (r, n) => {
      if (!columns) {
        if (n > 10) return;
        const found = new Map<number, ImportField>();
        r.eachCell({ includeEmpty: false }, (c, col) => {
          const f = HEADER_OF.get(norm(cellText(c.value)));
          if (f && ![...found.values()].includes(f)) found.set(col, f);
        });
        const fields = new Set(found.values());
        if (fields.has('username') && fields.has('role')) {
          columns = found;
          headerRow = n;
        }
        return;
      }
      const cells: Partial<Record<ImportField, string>> = {};
      for (const [col, f] of columns) cells[f] = cellText(r.getCell(col).value);
      if (Object.values(cells).some((v) => v !== '')) rows.push({ row: n, cells });
    });
    if (columns) {
      if (!rows.length) throw new ImportFileError(`工作表“${ws.name}”第 ${headerRow} 行是表头，但下面没有数据`);
      if (rows.length > MAX_IMPORT_ROWS) throw new ImportFileError(`一次最多导入 ${MAX_IMPORT_ROWS} 个账户，本文件有 ${rows.length} 行，请分批导入`);
      return { sheet: ws.name, rows };
    }
  }
  throw new ImportFileError('找不到表头：第一行（或标题下的一行）须含“用户名”和“角色”两列，可选“地区代码”“姓名”“联系电话”（英文 username, role, region, name, phone 亦可）');
}

const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;

export function normalisePhone(raw: string): string {
  return raw.replace(/[\s()（）]/g, '').replace(/^\+?86-?/, '');
}

export function phoneKind(phone: string): 'mobile' | 'phone' | null {
  if (MOBILE.test(phone)) return 'mobile';
  if (LANDLINE.test(phone)) return 'phone';
  return null;
}

/** A value that is not a phone number: its first three characters only. */
function maskRaw(s: string): string {
  const c = [...s];
  return c.length <= 3 ? '*'.repeat(c.length) : c.slice(0, 3).join('') + '*'.repeat(Math.min(c.length - 3, 12));
}

/** The region an account of this role is scoped to, or the problem (Chinese). */
function regionProblem(role: Role, region: string): { code: string } | { error: string } {
  if (role === 'admin' || role === 'province') {
    if (region && region !== PROVINCE_CODE) return { error: `${ROLE_LABELS[role]}的地区代码应为 ${PROVINCE_CODE}（全省）或留空，而不是“${region}”` };
    return { code: PROVINCE_CODE };
  }
  if (!region) return { error: `${ROLE_LABELS[role]}须填写地区代码（6位数字）` };
  if (!/^\d{6}$/.test(region)) return { error: `地区代码“${region}”应为6位数字` };
  const r = REGION_BY_CODE.get(region);
  if (!r) return { error: `地区代码 ${region} 不在吉林省的地区表中` };
  if (role === 'unit' && r.level !== 'unit') return { error: `${region}（${r.name}）不是市级单位：市级用户须填市（州）或长白山、梅河口的代码` };
  if (role === 'county' && !COUNTY_CODES.has(region)) return { error: `${region}（${r.name}）不是县级单位：县级用户须填县（市、区）的代码` };
  return { code: region };
}

/** Checks every row: username, role, region, display name, phone; duplicates within the file and against existing accounts. */
export function validateRows(raw: RawImportRow[], existing: ReadonlySet<string>): Array<ImportRow & { phone: string }> {
  const firstRowOf = new Map<string, number>();
  return raw.map(({ row, cells }) => {
    const errors: string[] = [];
    const username = (cells.username ?? '').trim();
    const roleText = (cells.role ?? '').trim();
    const regionText = (cells.region ?? '').trim();
    const displayName = (cells.displayName ?? '').trim();
    const phone = normalisePhone(cells.phone ?? '');
    if (!username) errors.push('用户名为空');
    else if (!USERNAME.test(username)) errors.push(`用户名“${username.slice(0, 40)}”须为3-32位字母、数字或 _ . -`);
    else {
      const key = username.toLowerCase();
      const first = firstRowOf.get(key);
      if (first !== undefined) errors.push(`用户名 ${username} 与第 ${first} 行重复`);
      else firstRowOf.set(key, row);
      if ([...existing].some((u) => u.toLowerCase() === key)) errors.push(`用户名 ${username} 已存在`);
    }
    const role = ROLE_WORDS[roleText] ?? ROLE_WORDS[roleText.toLowerCase()];
    let region = regionText;
    if (!roleText) errors.push('角色为空：应为 省级 / 市级 / 县级 / 管理员（province / unit / county / admin）');
    else if (!role) {
      errors.push(roleText.toLowerCase() === 'screen' || roleText.includes('大屏')
        ? '大屏不是账户：请在“大屏令牌”处为全省或市级单位创建令牌'
        : `角色“${roleText.slice(0, 20)}”无法识别：应为 省级 / 市级 / 县级 / 管理员（province / unit / county / admin）`);
    } else {
      const r = regionProblem(role, regionText);
      if ('error' in r) errors.push(r.error);
      else region = r.code;
    }
    if ([...displayName].length > 50) errors.push('姓名（显示名称）不能超过50个字');
    if (phone && !phoneKind(phone)) errors.push(`联系电话“${maskRaw(phone)}”格式不对：应为11位手机号或带区号的固话（如 0431-88691597）`);
    const r = REGION_BY_CODE.get(region);
    return {
      row, username, role: role ?? roleText, roleLabel: role ? ROLE_LABELS[role]! : roleText, region, regionName: r ? r.name : '', displayName,
      phone, phoneMasked: maskPhone(phone), errors,
    };
  });
}

/** The one-time passwords sheet, handed back once. */
export async function passwordsWorkbook(accounts: Array<ImportedAccount & { password: string }>, by: string, at: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '吉林省离校未就业高校毕业生服务攻坚行动调度平台';
  const ws = wb.addWorksheet('初始密码');
  ws.addRow([`批量导入账户的初始密码（${by} 于 ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC 生成）`]);
  ws.mergeCells(1, 1, 1, 6);
  ws.getRow(1).font = { bold: true, size: 13 };
  ws.addRow(['本表只生成这一次，系统不保存明文密码。请逐一分发给使用人后删除本表；首次登录须修改密码。']);
  ws.mergeCells(2, 1, 2, 6);
  const header = ws.addRow(['用户名', '角色', '地区代码', '地区', '姓名', '初始密码']);
  header.font = { bold: true };
  for (const a of accounts) ws.addRow([a.username, ROLE_LABELS[a.role] ?? a.role, a.region, a.regionName, a.displayName, a.password]);
  [16, 12, 10, 16, 14, 22].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function maskPassword(p: string): string {
  return `${p.slice(0, 2)}${'*'.repeat(Math.max(0, p.length - 2))}`;
}

/** An empty users sheet to fill in: the headers, three example rows, and every region code on a second sheet. */
export async function templateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '吉林省离校未就业高校毕业生服务攻坚行动调度平台';
  const ws = wb.addWorksheet('账户');
  const header = ws.addRow(['用户名', '角色', '地区代码', '姓名', '联系电话']);
  header.font = { bold: true };
  ws.addRow(['jl-province', '省级', PROVINCE_CODE, '省人社厅就业处', '0431-88691597']);
  ws.addRow(['changchun', '市级', '220100', '长春市就业局', '13800000000']);
  ws.addRow(['nanguan', '县级', '220102', '南关区就业局', '']);
  [16, 10, 12, 20, 18].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.getColumn(3).numFmt = '@';
  ws.getColumn(5).numFmt = '@';
  const codes = wb.addWorksheet('地区代码');
  codes.addRow(['地区代码', '名称', '层级', '可用角色']).font = { bold: true };
  codes.addRow([PROVINCE_CODE, REGION_BY_CODE.get(PROVINCE_CODE)?.name ?? '吉林省', '省', '省级、管理员（地区代码可留空）']);
  for (const u of UNITS) codes.addRow([u.code, u.name, '市级单位', '市级']);
  for (const c of COUNTIES) codes.addRow([c.code, c.name, '县级单位', '县级']);
  [12, 22, 10, 30].forEach((w, i) => (codes.getColumn(i + 1).width = w));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
