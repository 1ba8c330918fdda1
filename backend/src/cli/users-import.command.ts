// `npm run cli -- users import FILE.xlsx [--out PASSWORDS.xlsx] [--json]`: checks every row
// and prints the bad ones; with --out it creates the good rows (initial passwords,
// changed at first sign-in) and writes the one-time passwords sheet there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { CLI_PRINCIPAL, UsersImportService } from '../auth/users.import.service';
import type { ImportPreview } from '../auth/users.import.types';
import { checkFlags, str, UsageError, type ParsedArgs } from './args';

export const USERS_IMPORT_USAGE = `  users import FILE.xlsx [--out PASSWORDS.xlsx] [--json]
                                            check a users sheet (用户名, 角色, 地区代码, 姓名, 联系电话); with
                                            --out create the good rows and write their initial passwords there`;

type WithApp = <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>;

function printRows(p: ImportPreview, out: (line: string) => void): void {
  for (const r of p.rows.filter((x) => x.errors.length)) out(`第 ${r.row} 行 ${r.username || '（无用户名）'}：${r.errors.join('；')}`);
  out(`共 ${p.rows.length} 行：可创建 ${p.valid} 个，有错误 ${p.invalid} 行`);
}

export async function cmdUsersImport(a: ParsedArgs, withApp: WithApp, out: (line: string) => void): Promise<void> {
  checkFlags(a, ['out', 'json']);
  const file = a.positional[1];
  if (!file) throw new UsageError('users import needs the .xlsx file: npm run cli -- users import FILE.xlsx [--out PASSWORDS.xlsx]');
  if (!fs.existsSync(file)) throw new UsageError(`${file}: no such file`);
  const outFile = str(a, 'out');
  if (outFile && fs.existsSync(outFile)) throw new UsageError(`${outFile} already exists: the passwords sheet is never overwritten, name a new file`);
  if (outFile && !fs.existsSync(path.dirname(path.resolve(outFile)))) throw new UsageError(`${path.dirname(outFile)}: no such directory`);
  const buf = fs.readFileSync(file);
  const name = path.basename(file);
  await withApp(async (app) => {
    const svc = app.get(UsersImportService);
    const fail = (e: unknown): never => {
      const resp = (e as { getResponse?: () => { message?: string } }).getResponse?.();
      if (resp?.message) throw new UsageError(String(resp.message));
      throw e;
    };
    if (!outFile) {
      const p = await svc.preview(name, buf).catch(fail);
      printRows(p, out);
      out('（仅检查，未创建账户：加 --out 初始密码.xlsx 创建正确的行并写出初始密码）');
      if (a.flags.has('json')) out(JSON.stringify(p));
      if (p.invalid) process.exitCode = 1;
      return;
    }
    const r = await svc.run(name, buf, CLI_PRINCIPAL, 'cli').catch(fail);
    fs.writeFileSync(outFile, Buffer.from(r.passwordsXlsx, 'base64'), { mode: 0o600 });
    printRows(r, out);
    for (const f of r.failed) out(`第 ${f.row} 行 ${f.username}：创建失败：${f.error}`);
    out(`已创建 ${r.created.length} 个账户（首次登录须修改密码），联络员 ${r.liaisons} 条；初始密码已写入 ${outFile}（仅此一份）`);
    if (a.flags.has('json')) out(JSON.stringify({ ...r, passwordsXlsx: undefined, passwordsFile: outFile }));
    if (r.invalid || r.failed.length) process.exitCode = 1;
  });
}
