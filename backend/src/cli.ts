// `npm run cli -- <command>`: the same services as the server, run once.
// The last line of a --json command (and of `ingest`) is one JSON object.
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppModule } from './app.module';
import { openDatabase } from './app.factory';
import { StartupError, type ClickHouseHandle } from './clickhouse/clickhouse.provider';
import { ConfigError, loadConfig } from './config/config';
import { checkFlags, int, parseArgs, str, UsageError, type ParsedArgs } from './cli/args';
import { Progress } from './cli/progress';
import { cmdReport, REPORT_USAGE } from './cli/report.command';
import { ALERTS_USAGE, cmdAlerts } from './cli/alerts.command';
import { cmdUsersImport, USERS_IMPORT_USAGE } from './cli/users-import.command';
import { generateDemo } from './demo/demo.generator';
import { IngestService } from './ingest/ingest.service';
import { IngestQueryService } from './ingest/ingest.query.service';
import { MetricsService } from './metrics/metrics.service';
import { METRIC_KEYS } from './metrics/metrics.types';
import { refreshChanged } from '../../cron/refresh.job';
import { FORECAST_KEYS } from './metrics/forecast.logic';
import { MEASURE_METRIC_LABELS } from './measures/measures.labels';
import { CARE_METRIC_KEYS, CARE_METRIC_LABELS } from './care/care.types';
import { JobsService } from './jobs/jobs.service';
import { AuthService } from './auth/auth.service';
import { SCHEDULE } from '../../cron/schedule';
import { askServer } from './backup/backup.control';
import { BackupError, BackupService } from './backup/backup.service';
import { campaignConfig } from './metrics/campaign.config';
import { restoreBackup } from './backup/backup.restore';
import { CampaignRuntime } from './campaigns/campaigns.runtime';
import { campaignPeers } from './campaigns/campaigns.current';
import type { CampaignInfo } from './campaigns/campaigns.types';
import { campaignOfDay, campaignOfDays } from './campaigns/campaigns.logic';
import { recordDays } from './campaigns/campaigns.files';
import { ReadOnlyCampaignError, type IngestSummary } from './ingest/ingest.service';

const USAGE = `usage: npm run cli -- <command> [options]

  demo --out DIR [--persons N] [--seed S] [--services N] [--help-requests N]
                                            write a demo campaign's ledger files (no database)
  ingest <file>...                          load ledger files (CSV/XLSX) into DATA_DIR (each into the campaign
                                            year whose window holds its records' days, or --campaign YEAR)
  campaign list [--json] | campaign add YEAR | campaign archive YEAR | campaign unarchive YEAR
                                            the campaign years of this install (archived: read-only)
  runs [--json]                             list load runs
  rejects [--run ID] [--json]               rejected rows with file, row and reason
  metrics --region CODE --as-of YYYY-MM-DD [--json]
                                            every metric of a region as of the end of a day
  refresh [--force]                         recompute the daily metric snapshots
  job <name>                                run one scheduled job once (pull-inbox, refresh, ...)
  users add --username U --role R [--region CODE] [--name N] --password-stdin
                                            create an account (roles: admin, province, unit, county)
  users list [--json] | users disable U | users enable U
  backup --out DIR [--with-key]             copy all data into a new folder, online through a running server
                                            (the PII key is left out unless --with-key: keep it apart)
  restore --from DIR [--key FILE]           fill an empty DATA_DIR from a backup (key: PII_KEY, --key, or the backup's)
${USERS_IMPORT_USAGE}
${REPORT_USAGE}
${ALERTS_USAGE}

--campaign YEAR (any command) works on that campaign year; without it, the year whose window holds
today, else the latest.
DATA_DIR (default ./data) selects the data directory.`;

function out(line: string): void {
  process.stdout.write(line + '\n');
}

/** --campaign YEAR (any command): the campaign year it works on; without it, the one whose window holds today, else the latest. */
let cliCampaign: number | null = null;

/** Takes --campaign YEAR off the arguments. */
function takeCampaign(args: string[]): string[] {
  const i = args.findIndex((x) => x === '--campaign' || x.startsWith('--campaign='));
  if (i < 0) return args;
  const eq = args[i]!.startsWith('--campaign=');
  const v = eq ? args[i]!.slice('--campaign='.length) : args[i + 1];
  if (!v || !/^\d{4}$/.test(v)) throw new UsageError(`--campaign needs a year such as 2023 (got ${v === undefined ? 'nothing' : `"${v}"`})`);
  cliCampaign = Number(v);
  return [...args.slice(0, i), ...args.slice(i + (eq ? 1 : 2))];
}

interface WithAppOptions {
  /** The year to open (else --campaign, else the current one). */
  year?: number;
  /** A year the install does not hold yet is added (ingest --campaign NEW). */
  create?: boolean;
  /** Without a year: the one whose window holds this day (metrics --as-of), else the latest. */
  asOf?: string;
  /** The home year's application (backup: it holds every year). */
  home?: boolean;
}

async function withApp<T>(fn: (app: INestApplicationContext) => Promise<T>, opts: WithAppOptions = {}): Promise<T> {
  // The CLI runs one thing and exits: no scheduled jobs, never the demo.
  const cfg = loadConfig({ ...process.env, JOBS: 'off', DEMO: 'off' });
  let opened;
  try {
    opened = await openDatabase(cfg);
  } catch (e) {
    if (e instanceof StartupError && /in use by another running instance/.test(e.message)) {
      throw new StartupError(
        `${e.message} The CLI cannot open DATA_DIR while the server runs on it: stop the server first, ` +
          `or drop ledger files into ${cfg.inboxDir} where the running server loads them within a minute.`,
      );
    }
    throw e;
  }
  let campaigns: CampaignRuntime;
  let year: number;
  let ch: ClickHouseHandle;
  try {
    campaigns = await CampaignRuntime.open(cfg, opened.ch);
    year = opts.home ? campaigns.homeYear : opts.year ?? cliCampaign ?? (opts.asOf ? campaignOfDay(campaigns.list(), opts.asOf) : campaigns.current()).year;
    if (!campaigns.info(year)) {
      if (!opts.create) {
        throw new UsageError(`没有 ${year} 年的攻坚行动（本系统有：${campaigns.list().map((c) => c.year).join('、')}）；导入该年数据会新建：npm run cli -- ingest --campaign ${year} <file>... / no ${year} campaign here`);
      }
      await campaigns.add(year);
      process.stderr.write(`新建 ${year} 年攻坚行动 / added the ${year} campaign\n`);
    }
    ch = await campaigns.handle(year);
  } catch (e) {
    await opened.ch.close().catch(() => undefined);
    throw e;
  }
  const app = await NestFactory.createApplicationContext(AppModule.register(campaigns.appConfig(year), ch), { logger: ['error'], abortOnError: false });
  if (ch !== opened.ch) campaigns.attach(year, app);
  try {
    // The embedded engine's folder lock makes this the only process on DATA_DIR: a run left
    // "running" was cut off (killed, power loss) and is cleaned up now, as the server does at start.
    if (opened.ch.engine === 'embedded') {
      const stale = await app.get(IngestService).recoverAbandoned();
      if (stale) process.stderr.write(`已将 ${stale} 个中断的导入标记为失败，其文件需重新导入 / marked ${stale} interrupted load run(s) as failed; load their files again\n`);
    }
    return await fn(app);
  } finally {
    await app.close();
    if (ch !== opened.ch) {
      await campaigns.close();
      await opened.ch.close();
    }
  }
}

async function cmdDemo(a: ParsedArgs): Promise<void> {
  checkFlags(a, ['out', 'persons', 'seed', 'services', 'help-requests']);
  const outDir = str(a, 'out');
  if (!outDir) throw new UsageError('demo needs --out DIR');
  const progress = new Progress('生成演示数据');
  const res = await generateDemo({
    outDir: path.resolve(outDir),
    persons: int(a, 'persons', 22_000, 1),
    seed: int(a, 'seed', 2022),
    // Exact totals (a national-size campaign: --persons 2000000 --services 30000000 --help-requests 1000000).
    services: str(a, 'services') === undefined ? undefined : int(a, 'services', 0),
    helpRequests: str(a, 'help-requests') === undefined ? undefined : int(a, 'help-requests', 0),
    onProgress: (done, total) => progress.update(done / total, `${done}/${total} 人`),
  });
  progress.done();
  out(JSON.stringify({ outDir: path.resolve(outDir), files: res.files, careFiles: res.careFiles }));
}

async function cmdIngest(a: ParsedArgs): Promise<void> {
  checkFlags(a, []);
  if (!a.positional.length) throw new UsageError('ingest needs at least one file');
  const missing = a.positional.filter((f) => !fs.existsSync(f) || !fs.statSync(f).isFile());
  if (missing.length) throw new UsageError(`no such file: ${missing.join(', ')}`);
  const files = a.positional.map((f) => path.resolve(f));
  const parts: IngestSummary[] = [];
  const load = async (app: INestApplicationContext, group: string[], year: number | null, say: boolean): Promise<void> => {
    if (say) process.stderr.write(`→ ${year ?? ''} 年攻坚行动：${group.map((f) => path.basename(f)).join('、')}\n`);
    const progress = new Progress('导入');
    const summary = await app.get(IngestService).loadFiles(group, {
      source: 'cli',
      onProgress: (file, rows, fraction) => progress.update(fraction, `${file} ${rows} 行`),
    });
    progress.done();
    for (const f of summary.files) {
      const note = f.error ? ` — ${f.error}` : '';
      process.stderr.write(`${f.file}: 接收 ${f.accepted} 行，拒收 ${f.rejected} 行，警告 ${f.warnings}，重复 ${f.duplicates}${note}\n`);
    }
    parts.push(year === null ? summary : { ...summary, files: summary.files.map((f) => ({ ...f, campaign: year })) });
  };
  // One opening of DATA_DIR: the named year (added when new), else the current one, and from there any other
  // year a file's records' days fall in.
  await withApp(async (opened) => {
    if (cliCampaign !== null) return load(opened, files, cliCampaign, true);
    const rt = campaignPeers() as CampaignRuntime;
    const groups = await campaignsOfFiles(rt.list(), files);
    for (const [year, group] of groups) {
      if (year === null) await load(opened, group, null, groups.size > 1);
      else await withYear(rt, year, (app) => load(app, group, year, true));
    }
  }, cliCampaign === null ? {} : { year: cliCampaign, create: true }).catch((e: unknown) => {
    if (e instanceof ReadOnlyCampaignError) throw new StartupError(e.message);
    throw e;
  });
  const summary = mergeSummaries(parts);
  out(JSON.stringify(summary));
  if (summary.failed) process.exitCode = 1;
}

/** Runs `fn` on another campaign year's services, within the DATA_DIR withApp opened. */
async function withYear<T>(rt: CampaignRuntime, year: number, fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(AppModule.register(rt.appConfig(year), await rt.handle(year)), { logger: ['error'], abortOnError: false });
  rt.attach(year, app);
  try {
    await app.get(IngestService).recoverAbandoned();
    return await fn(app);
  } finally {
    await app.close();
  }
}

function mergeSummaries(parts: IngestSummary[]): IngestSummary {
  if (parts.length === 1) return parts[0]!;
  const sum = (k: 'accepted' | 'rejected' | 'warnings' | 'duplicates' | 'inserted' | 'failed') => parts.reduce((n, p) => n + p[k], 0);
  return {
    accepted: sum('accepted'), rejected: sum('rejected'), warnings: sum('warnings'), duplicates: sum('duplicates'),
    inserted: sum('inserted'), failed: sum('failed'), files: parts.flatMap((p) => p.files),
  };
}

/**
 * Files by the campaign year their records' days fall in; key null: the year opened (the current one), for
 * every file of a one-year install (as before campaign years) and for a file whose days lie in no window.
 */
async function campaignsOfFiles(list: CampaignInfo[], files: string[]): Promise<Map<number | null, string[]>> {
  if (list.length < 2) return new Map([[null, files]]);
  const current = (campaignPeers() as CampaignRuntime).current().year;
  const out = new Map<number | null, string[]>();
  for (const f of files) {
    const c = campaignOfDays(list, await recordDays(f));
    const k = !c || c.year === current ? null : c.year;
    out.set(k, [...(out.get(k) ?? []), f]);
  }
  return out;
}

async function cmdCampaign(a: ParsedArgs): Promise<void> {
  const [sub, y] = a.positional;
  const year = y === undefined ? undefined : /^\d{4}$/.test(y) ? Number(y) : NaN;
  if (sub !== 'list' && (year === undefined || Number.isNaN(year))) throw new UsageError(`campaign ${sub ?? ''} needs a year such as 2023`);
  checkFlags(a, ['json']);
  await withApp(async () => {
    const rt = campaignPeers() as CampaignRuntime;
    switch (sub) {
      case 'list':
        break;
      case 'add':
        await rt.add(year!);
        break;
      case 'archive':
      case 'unarchive':
        await rt.setArchived(year!, sub === 'archive');
        process.stderr.write(`${year} 年攻坚行动已${sub === 'archive' ? '归档（只读）' : '取消归档'}；运行中的服务重启后生效 / takes effect at the server's next start\n`);
        break;
      default:
        throw new UsageError('campaign needs list, add YEAR, archive YEAR or unarchive YEAR');
    }
    const list = rt.list();
    if (a.flags.has('json') || sub !== 'list') return out(JSON.stringify({ campaigns: list, current: rt.current().year }));
    for (const c of list) out(`${c.year}\t${c.start} 至 ${c.end}\t${c.archived ? '已归档（只读）' : '进行中/可导入'}${c.home ? '\t（主库）' : ''}${c.year === rt.current().year ? '\t← 当前' : ''}`);
  }, { year: undefined });
}

async function cmdRuns(a: ParsedArgs): Promise<void> {
  checkFlags(a, ['json', 'limit']);
  await withApp(async (app) => {
    const runs = await app.get(IngestQueryService).list(int(a, 'limit', 50, 1), 0);
    if (a.flags.has('json')) return out(JSON.stringify({ runs }));
    for (const r of runs) out(`#${r.runId}\t${r.status}\t${r.source}\t${r.label}\t接收 ${r.accepted}\t拒收 ${r.rejected}\t${r.error}`);
  });
}

async function cmdRejects(a: ParsedArgs): Promise<void> {
  checkFlags(a, ['run', 'json', 'limit']);
  const run = str(a, 'run') === undefined ? null : int(a, 'run', 0, 1);
  await withApp(async (app) => {
    const page = await app.get(IngestQueryService).rejects(run, int(a, 'limit', 1000, 1), 0);
    if (a.flags.has('json')) return out(JSON.stringify(page));
    for (const r of page.rows) out(`#${r.runId}\t${r.file}${r.sheet ? '#' + r.sheet : ''}\t第 ${r.row} 行\t${r.reason}`);
    out(`共 ${page.total} 行被拒收${page.total > page.rows.length ? `（显示前 ${page.rows.length} 行）` : ''}`);
  });
}

const METRIC_LABELS: Record<string, string> = {
  received: '接收人数', pendingDistribution: '待分解', contacted: '已联系', contactRate: '联系率', intentEmployment: '有就业意愿',
  completed1311: '1311完成', rate1311: '1311完成率', employed: '已就业', employmentRate: '就业率', hardship: '困难毕业生',
  hardshipOneOnOne: '一对一帮扶', hardshipEmployed: '困难毕业生就业', helpRequests: '求助', helpContactedInSla: '24小时内联系',
  helpOverdue: '超时未联系', helpSlaRate: '求助及时联系率', hardshipOneOnOneRate: '一对一帮扶覆盖率',
  ...MEASURE_METRIC_LABELS,
};

async function cmdMetrics(a: ParsedArgs): Promise<void> {
  checkFlags(a, ['region', 'as-of', 'json']);
  const code = str(a, 'region');
  const asOf = str(a, 'as-of');
  if (!code) throw new UsageError('metrics needs --region CODE');
  if (!asOf) throw new UsageError('metrics needs --as-of YYYY-MM-DD');
  await withApp(async (app) => {
    const svc = app.get(MetricsService);
    let m;
    try {
      svc.region(code);
      await svc.checkDay(asOf, '--as-of');
      m = await svc.metricsFor(code, asOf);
    } catch (e) {
      const resp = (e as { getResponse?: () => { message?: string } }).getResponse?.();
      if (resp?.message) throw new UsageError(String(resp.message));
      throw e;
    }
    if (a.flags.has('json')) {
      const obj: Record<string, unknown> = { region: m.region, name: m.name, level: m.level, asOf: m.asOf };
      for (const k of METRIC_KEYS) obj[k] = m[k];
      for (const k of CARE_METRIC_KEYS) obj[k] = m[k];
      obj.dataTime = m.dataTime;
      obj.forecast = await svc.forecastFor(code, asOf);
      return out(JSON.stringify(obj));
    }
    out(`${m.name}（${m.region}） 截至 ${m.asOf} 日终   数据时间 ${m.dataTime ?? '无数据'}`);
    for (const k of METRIC_KEYS) {
      const v = m[k];
      const shown = v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : k.endsWith('Rate') || k === 'rate1311' ? `${(Number(v) * 100).toFixed(1)}%` : String(v);
      out(`  ${METRIC_LABELS[k]!.padEnd(12, '　')} ${shown.padStart(10)}   ${k}`);
    }
    const cfg = svc.config();
    out(`按近14天进度推算至 ${cfg.end}（docs/metrics.md "Forecast"）：`);
    const p = (v: number) => `${(v * 100).toFixed(1)}%`;
    const forecast = await svc.forecastFor(code, asOf);
    for (const k of FORECAST_KEYS) {
      const f = forecast[k];
      const target = cfg.targets[k].value;
      const end = f.projectedEnd === null ? '数据不足，暂无法推算' : `年底预计 ${p(f.projectedEnd)}，${f.onTrack ? '可达' : '达不到'}目标 ${p(target)}`;
      const need = f.neededPerDay === null ? '' : f.neededPerDay === 0 ? '，已达目标' : `，需日增 ${(f.neededPerDay * 100).toFixed(2)} 个百分点`;
      out(`  ${METRIC_LABELS[k]!.padEnd(12, '　')} ${end}${need}`);
    }
    for (const k of CARE_METRIC_KEYS) {
      const v = m[k];
      const shown = v === null ? '—' : typeof v === 'object' ? Object.entries(v).map(([a, b]) => `${a} ${b}`).join('，') : k.endsWith('Rate') ? `${(v * 100).toFixed(1)}%` : String(v);
      out(`  ${CARE_METRIC_LABELS[k].padEnd(12, '　')} ${shown.padStart(10)}   ${k}`);
    }
  }, { asOf });
}

async function cmdRefresh(a: ParsedArgs): Promise<void> {
  checkFlags(a, ['force']);
  await withApp(async (app) => {
    const started = Date.now();
    const r = await app.get(MetricsService).refresh(a.flags.has('force'));
    // New snapshots, new conditions: evaluate the alerts as the scheduled refresh does (cron/schedule.ts).
    const next = refreshChanged(r) ? await app.get(JobsService).run('alerts') : null;
    out(JSON.stringify({ ...r, ms: Date.now() - started, ...(next ? { alerts: next.lastStatus === 'ok' ? next.lastResult : { error: next.lastError } } : {}) }));
    if (next?.lastStatus === 'failed') process.exitCode = 1;
  });
}

async function cmdJob(a: ParsedArgs): Promise<void> {
  checkFlags(a, []);
  const name = a.positional[0];
  if (!name) throw new UsageError(`job needs a name (${SCHEDULE.map((j) => j.name).join(', ')})`);
  if (!SCHEDULE.some((j) => j.name === name)) throw new UsageError(`unknown job "${name}" (jobs: ${SCHEDULE.map((j) => j.name).join(', ')})`);
  await withApp(async (app) => {
    const st = await app.get(JobsService).run(name);
    out(JSON.stringify(st));
    if (st.lastStatus === 'failed') process.exitCode = 1;
  }, name === 'backup' ? { home: true } : {});
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('--password-stdin reads the password from standard input: echo "…" | npm run cli -- users add …');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function cmdUsers(a: ParsedArgs): Promise<void> {
  const [sub, target] = a.positional;
  const roles = ['admin', 'province', 'unit', 'county'] as const;
  const fail = (e: unknown): never => {
    const resp = (e as { getResponse?: () => { message?: string } }).getResponse?.();
    if (resp?.message) throw new UsageError(String(resp.message));
    throw e;
  };
  switch (sub) {
    case 'add': {
      checkFlags(a, ['username', 'role', 'region', 'name', 'password-stdin']);
      const username = str(a, 'username');
      const role = str(a, 'role') as (typeof roles)[number] | undefined;
      if (!username) throw new UsageError('users add needs --username');
      if (!role || !roles.includes(role)) throw new UsageError(`users add needs --role (${roles.join(', ')})`);
      if (!a.flags.has('password-stdin')) throw new UsageError('users add needs --password-stdin (the password is never an argument)');
      const password = await readStdin();
      await withApp(async (app) => {
        const u = await app.get(AuthService).createUser({ username, role, region: str(a, 'region'), password, displayName: str(a, 'name') }, null, 'cli').catch(fail);
        out(JSON.stringify(u));
      });
      return;
    }
    case 'list':
      checkFlags(a, ['json']);
      await withApp(async (app) => {
        const users = await app.get(AuthService).listUsers();
        if (a.flags.has('json')) return out(JSON.stringify({ users }));
        for (const u of users) out(`${u.username}\t${u.role}\t${u.regionCode}\t${u.disabled ? '已停用' : u.locked ? '已锁定' : '正常'}\t${u.displayName}`);
      });
      return;
    case 'disable':
    case 'enable':
      checkFlags(a, []);
      if (!target) throw new UsageError(`users ${sub} needs a username`);
      await withApp(async (app) => {
        const u = await app.get(AuthService).setDisabled(target, sub === 'disable', null, 'cli').catch(fail);
        out(JSON.stringify(u));
      });
      return;
    case 'import':
      return cmdUsersImport(a, withApp, out);
    default:
      throw new UsageError('users needs add, list, disable, enable or import');
  }
}

async function cmdBackup(a: ParsedArgs): Promise<void> {
  checkFlags(a, ['out', 'with-key']);
  const dir = str(a, 'out');
  if (!dir) throw new UsageError('backup needs --out DIR (a new or empty folder)');
  const cfg = loadConfig({ ...process.env, JOBS: 'off', DEMO: 'off' });
  const dest = path.resolve(dir);
  const withKey = a.flags.has('with-key');
  // A server running on DATA_DIR holds the engine's lock: it makes the backup itself.
  const answer = cfg.clickhouse.url ? null : await askServer(cfg.dataDir, { cmd: 'backup', out: dest, withKey });
  if (answer && !answer.ok) throw new BackupError(answer.error);
  const result = answer?.ok ? answer.result : await withApp((app) => app.get(BackupService).backup(dest, { withKey, taken: 'offline' }), { home: true });
  process.stderr.write(
    `备份完成 / backup written: ${result.path} (${result.tables} tables, ${result.rows} rows, ${result.taken})\n` +
      (result.keyIncluded
        ? `注意：备份含个人信息密钥 pii.key，请按密钥的保密要求保管 / the backup HOLDS the PII key: guard it like the key\n`
        : `注意：备份不含个人信息密钥，恢复时必须提供 / the backup does NOT hold the PII key: keep DATA_DIR/pii.key (or PII_KEY) safe apart from it\n`),
  );
  out(JSON.stringify(result));
}

async function cmdRestore(a: ParsedArgs): Promise<void> {
  checkFlags(a, ['from', 'key']);
  const from = str(a, 'from');
  if (!from) throw new UsageError('restore needs --from DIR (a folder written by backup)');
  const cfg = loadConfig({ ...process.env, JOBS: 'off', DEMO: 'off' });
  const r = await restoreBackup(cfg, from, { keyFile: str(a, 'key') });
  process.stderr.write(`恢复完成 / restored ${r.tables} tables, ${r.rows} rows into ${r.dataDir}\n`);
  out(JSON.stringify(r));
}

const COMMANDS: Record<string, { run: (a: ParsedArgs) => Promise<void>; booleans?: string[] }> = {
  demo: { run: cmdDemo },
  ingest: { run: cmdIngest },
  runs: { run: cmdRuns, booleans: ['json'] },
  rejects: { run: cmdRejects, booleans: ['json'] },
  metrics: { run: cmdMetrics, booleans: ['json'] },
  refresh: { run: cmdRefresh, booleans: ['force'] },
  job: { run: cmdJob },
  users: { run: cmdUsers, booleans: ['json', 'password-stdin'] },
  report: { run: (a) => cmdReport(a, withApp, out) },
  alerts: { run: (a) => cmdAlerts(a, withApp, out), booleans: ['json', 'notify', 'dry-run'] },
  backup: { run: cmdBackup, booleans: ['with-key'] },
  restore: { run: cmdRestore },
  campaign: { run: cmdCampaign, booleans: ['json'] },
};

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    out(USAGE);
    return;
  }
  const cmd = COMMANDS[name];
  if (!cmd) throw new UsageError(`unknown command "${name}"`);
  // A CAMPAIGN_CONFIG that makes no sense stops here, saying what is wrong, before any work.
  campaignConfig();
  await cmd.run(parseArgs(takeCampaign(rest), cmd.booleans ?? []));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(`${e.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (e instanceof StartupError || e instanceof ConfigError || e instanceof BackupError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
