// `npm run cli -- report <kind> ... --out FILE.xlsx`: generate a report, archive
// it like the scheduled job does, and write the XLSX. The last stdout line is
// one JSON object (kind, id, period, asOf, out, rows).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { ReportsService } from '../reports/reports.service';
import { REPORT_KINDS, type ReportKind } from '../reports/reports.types';
import { checkFlags, str, UsageError, type ParsedArgs } from './args';

export const REPORT_USAGE = `  report weekly --week 2022-W36 --out F.xlsx      the weekly 附件2 form of an ISO week
  report semimonthly --date YYYY-MM-DD --out F     contact and help progress of the half-month that ended before the date
  report dispatch --date YYYY-MM-DD [--region CODE] --out F
                                            help requests still waiting for a first contact
  report liaisons --out F.xlsx                     the liaison directory (附件3)
  report measures --week 2022-W36 --out F.xlsx    the weekly 专项工作进展表 (training centres, job posts, policy delivery)
  report rights --date YYYY-MM-DD --out F.xlsx     the rights-protection cases still open at the end of the day, overdue first`;

type WithApp = <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>;

function usageFromHttp(e: unknown): never {
  const resp = (e as { getResponse?: () => { message?: unknown } }).getResponse?.();
  if (resp?.message) throw new UsageError(Array.isArray(resp.message) ? resp.message.join('; ') : String(resp.message));
  throw e;
}

export async function cmdReport(a: ParsedArgs, withApp: WithApp, out: (line: string) => void): Promise<void> {
  const kind = a.positional[0] as ReportKind | undefined;
  if (!kind || !REPORT_KINDS.includes(kind)) throw new UsageError(`report needs a kind (${REPORT_KINDS.join(', ')})`);
  const allowed: Record<ReportKind, string[]> = {
    weekly: ['week', 'out'],
    semimonthly: ['date', 'out'],
    dispatch: ['date', 'region', 'out'],
    liaisons: ['out'],
    measures: ['week', 'out'],
    rights: ['date', 'out'],
  };
  checkFlags(a, allowed[kind]);
  const file = str(a, 'out');
  if (!file) throw new UsageError(`report ${kind} needs --out FILE.xlsx`);
  const week = str(a, 'week');
  const date = str(a, 'date');
  const region = str(a, 'region');
  if (kind === 'measures' && !week) throw new UsageError('report measures needs --week (an ISO week such as 2022-W36)');
  if (kind === 'weekly' && !week) throw new UsageError('report weekly needs --week (an ISO week such as 2022-W36)');
  if ((kind === 'semimonthly' || kind === 'dispatch' || kind === 'rights') && !date) throw new UsageError(`report ${kind} needs --date YYYY-MM-DD`);
  const outPath = path.resolve(file);
  if (!fs.existsSync(path.dirname(outPath))) throw new UsageError(`no such folder: ${path.dirname(outPath)}`);
  await withApp(async (app) => {
    const svc = app.get(ReportsService);
    try {
      const r = await svc.exportForCli(kind, { week, date, region });
      fs.writeFileSync(outPath, r.xlsx);
      process.stderr.write(r.entry ? `已生成并归档（${r.entry.id}），写入 ${outPath}\n` : `已生成（地区清单不归档），写入 ${outPath}\n`);
      out(JSON.stringify({ kind, id: r.entry?.id ?? null, period: r.period, asOf: r.asOf, region: region ?? null, out: outPath, rows: r.rows }));
    } catch (e) {
      usageFromHttp(e);
    }
  });
}
