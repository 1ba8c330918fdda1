// Bulk account import: a preview that checks every row and creates nothing,
// then the import that creates only the good rows, each with a one-time
// initial password (must be changed at first sign-in), fills the liaison
// directory from the phone column, and hands the passwords back once as a
// sheet. Audit-logged: one user.create per account and one user.import.
import { BadRequestException, Injectable } from '@nestjs/common';
import { LiaisonsService } from '../liaisons/liaisons.service';
import { AuthService } from './auth.service';
import { passwordProblem, randomPassword } from './password';
import type { Principal, Role } from './scope';
import { ImportFileError, maskPassword, passwordsWorkbook, phoneKind, readUsersXlsx, validateRows } from './users.import';
import type { ImportedAccount, ImportPreview, ImportResult } from './users.import.types';

/** Who the CLI acts as in the audit log and the liaison directory. */
export const CLI_PRINCIPAL: Principal = { username: 'cli', role: 'admin', regionCode: '220000', displayName: '命令行' };

function initialPassword(username: string): string {
  for (;;) {
    const p = randomPassword();
    if (!passwordProblem(p, username)) return p;
  }
}

@Injectable()
export class UsersImportService {
  constructor(
    private readonly auth: AuthService,
    private readonly liaisons: LiaisonsService,
  ) {}

  private async check(fileName: string, buf: Buffer) {
    let read;
    try {
      read = await readUsersXlsx(buf);
    } catch (e) {
      if (e instanceof ImportFileError) throw new BadRequestException(`${fileName}：${e.message}`);
      throw e;
    }
    const existing = new Set((await this.auth.listUsers()).map((u) => u.username));
    const rows = validateRows(read.rows, existing);
    return { sheet: read.sheet, rows };
  }

  /** Reads and checks every row; creates nothing. */
  async preview(fileName: string, buf: Buffer): Promise<ImportPreview> {
    const { sheet, rows } = await this.check(fileName, buf);
    const valid = rows.filter((r) => !r.errors.length).length;
    return { fileName, sheet, rows: rows.map(({ phone: _p, ...r }) => r), valid, invalid: rows.length - valid };
  }

  /** Checks again and creates the good rows only; the bad ones are reported, nothing of theirs is written. */
  async run(fileName: string, buf: Buffer, by: Principal, ip: string): Promise<ImportResult> {
    const { sheet, rows } = await this.check(fileName, buf);
    const good = rows.filter((r) => !r.errors.length);
    const created: Array<ImportedAccount & { password: string; phone: string }> = [];
    const failed: ImportResult['failed'] = [];
    const passwords = good.map((r) => initialPassword(r.username));
    const results = await this.auth.createUsers(
      good.map((r, i) => ({
        username: r.username, role: r.role as Role, region: r.region, password: passwords[i]!, displayName: r.displayName || undefined, mustChangePassword: true,
        auditDetail: ` via=import file=${fileName.slice(0, 80)} row=${r.row}`,
      })),
      by, ip,
    );
    results.forEach((res, i) => {
      const r = good[i]!;
      if ('error' in res) failed.push({ row: r.row, username: r.username, error: res.error });
      else {
        const u = res.user;
        created.push({ row: r.row, username: u.username, role: u.role, region: u.regionCode, regionName: r.regionName, displayName: u.displayName, passwordMasked: maskPassword(passwords[i]!), password: passwords[i]!, phone: r.phone });
      }
    });
    created.sort((a, b) => a.row - b.row);
    failed.sort((a, b) => a.row - b.row);
    // The liaison directory: one contact per region; a later row of the same region wins.
    let liaisons = 0;
    const byRegion = new Map(created.filter((c) => c.phone).map((c) => [c.region, c] as const));
    {
      for (const c of byRegion.values()) {
        const kind = phoneKind(c.phone);
        const existing = (await this.liaisons.list()).find((l) => l.regionCode === c.region);
        await this.liaisons.upsert({
          regionCode: c.region, name: c.displayName || existing?.name || c.username, title: existing?.title, email: existing?.email,
          phone: kind === 'phone' ? c.phone : existing?.phone, mobile: kind === 'mobile' ? c.phone : existing?.mobile,
          wecomWebhook: existing?.wecomWebhook, dingtalkWebhook: existing?.dingtalkWebhook, feishuWebhook: existing?.feishuWebhook, genericWebhook: existing?.genericWebhook,
        }, by, ip);
        liaisons++;
      }
    }
    const invalid = rows.length - good.length;
    await this.auth.audit(by, ip, 'user.import', fileName.slice(0, 100), `rows=${rows.length} created=${created.length} invalid=${invalid} failed=${failed.length} liaisons=${liaisons}`);
    const at = new Date();
    const xlsx = await passwordsWorkbook(created, by.username, at);
    return {
      fileName, sheet, rows: rows.map(({ phone: _p, ...r }) => r), valid: good.length, invalid,
      created: created.map(({ password: _pw, phone: _ph, ...c }) => c), failed, liaisons,
      passwordsFileName: `初始密码-${at.toISOString().slice(0, 10)}.xlsx`, passwordsXlsx: xlsx.toString('base64'),
    };
  }
}
