// Bulk account import from XLSX and the change-password-at-first-sign-in rule:
// every row checked before anything is created, only the good rows created,
// initial passwords handed back once, the holder refused everywhere until the
// password is changed; the CLI does the same (the built CLI: npm run build:server).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportPreview, ImportResult } from '../../backend/src/auth/users.import.types';
import { runCli } from '../helpers/ledger-fixtures';
import { signIn, startTestServer, tempDataDir, type TestServer } from '../helpers/server';

type Json = Record<string, unknown>;

async function xlsx(header: string[], rows: Array<Array<string | number>>, title?: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('账户');
  if (title) ws.addRow([title]);
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function passwordsOf(b64: string): Promise<Map<string, string>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(b64, 'base64') as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('初始密码')!;
  const out = new Map<string, string>();
  ws.eachRow((r, n) => {
    if (n > 3) out.set(String(r.getCell(1).value), String(r.getCell(6).value));
  });
  return out;
}

const CN = ['用户名', '角色', '地区代码', '姓名', '联系电话'];
const ROWS: Array<Array<string | number>> = [
  ['changchun', '市级', '220100', '长春市就业局', '0431-88691597'], // row 3: good (landline)
  ['nanguan', 'county', '220102', '南关区就业局', 13800001234], // row 4: good (mobile stored as a number)
  ['prov-office', '省级', '', '省厅就业处', ''], // row 5: good, no phone
  ['mayor', '市长', '220200', '', ''], // row 6: unknown role
  ['kuancheng', '县级', '220100', '', ''], // row 7: a unit code for a county user
  ['ghost', '县级', '229999', '', ''], // row 8: no such region
  ['changchun', '县级', '220103', '', ''], // row 9: duplicate of row 3
  ['admin', '省级', '', '', ''], // row 10: exists already
  ['badphone', '县级', '220104', '', '12345'], // row 11: bad phone
  ['', '县级', '220105', '', ''], // row 12: no username
  ['wall', '大屏', '220000', '', ''], // row 13: a screen is not an account
  ['jilin', 'unit', '220200', '吉林市就业局', '13900002222'], // row 14: good
];

describe('bulk account import and the first sign-in', () => {
  let server: TestServer;
  let file: Buffer;
  const post = async (p: string, body: unknown): Promise<{ status: number; body: Json }> => {
    const r = await server.fetch(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as Json };
  };
  const users = async () => ((await (await server.fetch('/api/admin/users')).json()) as Array<{ username: string; mustChangePassword: boolean }>);

  beforeAll(async () => {
    server = await startTestServer();
    file = await xlsx(CN, ROWS, '2022年账户清单');
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('the preview reports every bad row with a reason and creates nothing', async () => {
    const before = await users();
    const createdBefore = ((await (await server.fetch('/api/admin/audit?action=user.create')).json()) as { total: number }).total;
    const r = await post('/api/admin/users/import/preview', { fileName: '账户清单.xlsx', content: file.toString('base64') });
    expect(r.status).toBe(201);
    const p = r.body as unknown as ImportPreview;
    expect(p).toMatchObject({ sheet: '账户', valid: 4, invalid: 8 });
    const err = (row: number) => p.rows.find((x) => x.row === row)!.errors.join('；');
    expect(p.rows.filter((x) => !x.errors.length).map((x) => x.row)).toEqual([3, 4, 5, 14]);
    expect(err(6)).toContain('角色“市长”无法识别');
    expect(err(7)).toContain('不是县级单位');
    expect(err(8)).toContain('229999 不在吉林省的地区表中');
    expect(err(9)).toContain('与第 3 行重复');
    expect(err(10)).toContain('admin 已存在');
    expect(err(11)).toContain('联系电话');
    expect(err(11)).not.toContain('12345');
    expect(err(12)).toContain('用户名为空');
    expect(err(13)).toContain('大屏令牌');
    expect(p.rows.find((x) => x.row === 4)).toMatchObject({ role: 'county', region: '220102', regionName: '南关区', phoneMasked: '138****1234' });
    expect(p.rows.find((x) => x.row === 5)).toMatchObject({ role: 'province', region: '220000' });
    expect(await users()).toEqual(before);
    expect(((await (await server.fetch('/api/admin/audit?action=user.create')).json()) as { total: number }).total).toBe(createdBefore);
  });

  it('the import creates only the good rows, with initial passwords handed back once, and fills the liaison directory', async () => {
    const r = await post('/api/admin/users/import', { fileName: '账户清单.xlsx', content: file.toString('base64') });
    expect(r.status).toBe(201);
    const res = r.body as unknown as ImportResult;
    expect(res.created.map((c) => c.username)).toEqual(['changchun', 'nanguan', 'prov-office', 'jilin']);
    expect(res).toMatchObject({ invalid: 8, failed: [], liaisons: 3 });
    expect(res.created.every((c) => /^.{2}\*+$/.test(c.passwordMasked))).toBe(true);
    const pw = await passwordsOf(res.passwordsXlsx);
    expect([...pw.keys()]).toEqual(['changchun', 'nanguan', 'prov-office', 'jilin']);
    const all = await users();
    expect(all.map((u) => u.username).sort()).toEqual(['admin', 'changchun', 'jilin', 'nanguan', 'prov-office']);
    expect(all.filter((u) => u.mustChangePassword).map((u) => u.username).sort()).toEqual(['changchun', 'jilin', 'nanguan', 'prov-office']);
    const li = (await (await server.fetch('/api/liaisons')).json()) as Array<{ regionCode: string; name: string; phone: string; mobile: string }>;
    expect(li.find((l) => l.regionCode === '220100')).toMatchObject({ name: '长春市就业局', phone: '0431-88691597' });
    expect(li.find((l) => l.regionCode === '220102')).toMatchObject({ name: '南关区就业局', mobile: '13800001234' });
    const audit = (await (await server.fetch('/api/admin/audit?action=user.import')).json()) as { rows: Array<{ detail: string; target: string }> };
    expect(audit.rows[0]).toMatchObject({ target: '账户清单.xlsx', detail: 'rows=12 created=4 invalid=8 failed=0 liaisons=3' });
    const created = ((await (await server.fetch('/api/admin/audit?action=user.create')).json()) as { rows: Array<{ detail: string }> }).rows.filter((x) => x.detail.includes('via=import'));
    expect(created.map((x) => x.detail.match(/row=(\d+)/)![1]).sort()).toEqual(['14', '3', '4', '5']);
    expect(JSON.stringify(created)).not.toContain(pw.get('nanguan')!);
    // The same file again: every row is now a duplicate or bad; nothing more is created.
    const again = (await post('/api/admin/users/import', { fileName: '账户清单.xlsx', content: file.toString('base64') })).body as unknown as ImportResult;
    expect(again.created).toEqual([]);
    expect(again.rows.find((x) => x.row === 3)!.errors.join()).toContain('已存在');

    // First sign-in: everything but changing the password refuses with a clear 403.
    const s = await signIn(server.url, 'nanguan', pw.get('nanguan')!);
    const me = (await (await s.fetch('/api/auth/me')).json()) as Json;
    expect(me).toMatchObject({ username: 'nanguan', mustChangePassword: true });
    for (const p of ['/api/alerts', '/api/metrics/220102?asOf=2022-09-30', '/api/liaisons', '/api/alerts/groups']) {
      const x = await s.fetch(p);
      expect(x.status, p).toBe(403);
      const body = (await x.json()) as Json;
      expect(body.code).toBe('must_change_password');
      expect(String(body.message)).toContain('首次登录须先修改初始密码');
    }
    const change = (body: unknown) => s.fetch('/api/auth/password', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await change({ currentPassword: 'wrong-one-123', newPassword: 'Nanguan-new-2022' })).status).toBe(400);
    expect((await change({ currentPassword: pw.get('nanguan'), newPassword: 'short1' })).status).toBe(400);
    expect((await change({ currentPassword: pw.get('nanguan'), newPassword: pw.get('nanguan') })).status).toBe(400);
    const ok = await change({ currentPassword: pw.get('nanguan'), newPassword: 'Southgate-2022-ok' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ username: 'nanguan', mustChangePassword: false });
    // The old session ended; the new cookies work everywhere; the initial password no longer signs in.
    expect((await s.fetch('/api/auth/me')).status).toBe(401);
    const fresh = ok.headers.getSetCookie().map((c) => c.split(';')[0]!);
    const cookie = fresh.join('; ');
    expect((await fetch(`${server.url}/api/alerts`, { headers: { cookie } })).status).toBe(200);
    await expect(signIn(server.url, 'nanguan', pw.get('nanguan')!)).rejects.toThrow();
    const s2 = await signIn(server.url, 'nanguan', 'Southgate-2022-ok');
    expect(((await (await s2.fetch('/api/auth/me')).json()) as Json).mustChangePassword).toBe(false);
    expect((await s2.fetch('/api/alerts')).status).toBe(200);
    const self = (await (await server.fetch('/api/admin/audit?action=user.password.self')).json()) as { rows: Array<{ ok: boolean; detail: string }> };
    expect(self.rows.map((x) => [x.ok, x.detail])).toEqual([[true, 'initial password replaced'], [false, 'wrong current password']]);
  });

  it('the template is a sheet the import reads: its three examples are good rows, and it lists every region code', async () => {
    const res = await server.fetch('/api/admin/users/import/template.xlsx');
    expect(res.status).toBe(200);
    const buf = Buffer.from(await res.arrayBuffer());
    const p = (await post('/api/admin/users/import/preview', { fileName: '模板.xlsx', content: buf.toString('base64') })).body as unknown as ImportPreview;
    expect(p.rows.map((r) => [r.username, r.role, r.region, r.errors])).toEqual([
      ['jl-province', 'province', '220000', []], ['changchun', 'unit', '220100', ['用户名 changchun 已存在']], ['nanguan', 'county', '220102', ['用户名 nanguan 已存在']],
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.getWorksheet('地区代码')!.rowCount).toBe(1 + 1 + 11 + 72);
  });

  it('English headers work; a file that is not a workbook, or has no header, is refused with a message', async () => {
    const en = await xlsx(['username', 'role', 'region', 'name', 'phone'], [['baishan', 'unit', '220600', '白山市就业局', '']]);
    const p = (await post('/api/admin/users/import/preview', { fileName: 'users.xlsx', content: en.toString('base64') })).body as unknown as ImportPreview;
    expect(p).toMatchObject({ valid: 1, invalid: 0 });
    const notXlsx = await post('/api/admin/users/import/preview', { fileName: 'users.xlsx', content: Buffer.from('username,role\nx,unit\n').toString('base64') });
    expect(notXlsx.status).toBe(400);
    expect(String(notXlsx.body.message)).toContain('不是有效的 Excel 工作簿');
    const noHeader = await post('/api/admin/users/import/preview', { fileName: 'u.xlsx', content: (await xlsx(['甲', '乙'], [['a', 'b']])).toString('base64') });
    expect(noHeader.status).toBe(400);
    expect(String(noHeader.body.message)).toContain('找不到表头');
    expect((await post('/api/admin/users/import', { fileName: '../../etc/passwd', content: en.toString('base64') })).status).toBe(400);
    const county = await server.as('county', '220102');
    expect((await county.fetch('/api/admin/users/import/preview', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fileName: 'u.xlsx', content: en.toString('base64') }) })).status).toBe(403);
  });

  it('the CLI: without --out it only checks; with --out it creates the good rows and writes the passwords sheet', async () => {
    const dataDir = tempDataDir('users-import-cli-');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'users-import-'));
    const f = path.join(dir, 'users.xlsx');
    fs.writeFileSync(f, file);
    const check = await runCli(dataDir, ['users', 'import', f]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('第 6 行 mayor：角色“市长”无法识别');
    // A fresh data directory has no accounts yet, so row 10 (admin) is good here.
    expect(check.stdout).toContain('可创建 5 个，有错误 7 行');
    const out = path.join(dir, 'passwords.xlsx');
    const run = await runCli(dataDir, ['users', 'import', f, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('已创建 5 个账户');
    const pw = await passwordsOf(fs.readFileSync(out).toString('base64'));
    expect(pw.size).toBe(5);
    expect(fs.statSync(out).mode & 0o077).toBe(0);
    const list = await runCli(dataDir, ['users', 'list', '--json']);
    expect((list.json as { users: Array<{ username: string }> }).users.map((u) => u.username).sort()).toEqual(['admin', 'changchun', 'jilin', 'nanguan', 'prov-office']);
    const again = await runCli(dataDir, ['users', 'import', f, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  }, 120_000);
});
