// Report rules: which period a request means, where each number comes from
// (the metric counts of MetricsService, so a report always equals the
// metrics API for its as-of day, plus report_*.sql for the extra columns),
// who may see what, and the archive (one file per report and period).
import { MEASURES_REPORT_COLUMNS, MEASURES_REPORT_NOTES, measuresReportRows } from '../measures/measures.report';
import { BadRequestException, ForbiddenException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { AuthService, parseUtc } from '../auth/auth.service';
import type { Principal, Scope } from '../auth/scope';
import { LiaisonsService } from '../liaisons/liaisons.service';
import { addDays, MetricsService, todayShanghai } from '../metrics/metrics.service';
import { countiesUnder, PROVINCE_CODE, REGION_BY_CODE, UNITS } from '../regions/regions.data';
import {
  DISPATCH_LIST_COLUMNS, DISPATCH_NOTES, DISPATCH_SUMMARY_COLUMNS, dispatchListRows, dispatchSummaryRows, LIAISON_COLUMNS, LIAISON_NOTES,
  liaisonRows, SEMIMONTHLY_COLUMNS, SEMIMONTHLY_NOTES, semimonthlyRows, WEEKLY_COLUMNS, WEEKLY_NOTES, weeklyRows, type DayCounts, type FormTable,
} from './reports.forms';
import {
  cnDate, dispatchPeriod, liaisonsPeriod, monthStart, PeriodError, periodText, semimonthlyPeriod, weeklyPeriod, weekOf,
} from './reports.periods';
import { ReportsRepository, type ArchiveRow } from './reports.repository';
import {
  KIND_LABELS, REPORT_KINDS, type ArchiveEntry, type DispatchItem, type GeneratedReport, type ReportFile, type ReportKind, type ReportPeriod,
} from './reports.types';
import { buildXlsx } from './reports.xlsx';
import { CareService } from '../care/care.service';
import { PLAN_COLUMNS, PLAN_NOTES, planRows, RIGHTS_COLUMNS, RIGHTS_NOTES, rightsRows } from '../care/care.reports';

export interface GenerateInput {
  /** ISO week (weekly), e.g. 2022-W36. */
  week?: string;
  /** YYYY-MM-DD: the 调度日 (semimonthly) or the day (dispatch). */
  date?: string;
}

export interface ReportList {
  reports: ArchiveEntry[];
  /** Whether the caller may open the archive and generate province-wide reports. */
  provinceWide: boolean;
  kinds: Array<{ kind: ReportKind; label: string; needs: 'week' | 'date' | null }>;
}

export interface Download {
  fileName: string;
  xlsx: Buffer;
}

/** Province-wide forms (and their archive) are for the province's users only. */
export function seesProvinceWide(scope: Scope): boolean {
  return scope.all && (scope.principal.role === 'admin' || scope.principal.role === 'province');
}

function toEntry(r: ArchiveRow): ArchiveEntry {
  return {
    id: r.report_id, kind: r.kind, kindLabel: KIND_LABELS[r.kind] ?? r.kind, period: r.period, periodStart: r.period_start, periodEnd: r.period_end,
    asOf: r.as_of, regionCode: r.region_code, title: r.title, fileName: r.file_name,
    generatedAt: new Date(parseUtc(r.generated_at)).toISOString(), generatedBy: r.generated_by,
    unitRows: r.unit_rows, dataRows: r.data_rows, bytes: r.bytes,
  };
}

/** A period from the pure period rules; a PeriodError is the user's mistake (400). */
function periodOf<T>(make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof PeriodError) throw new BadRequestException(e.message);
    throw e;
  }
}

@Injectable()
export class ReportsService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly metrics: MetricsService,
    private readonly liaisons: LiaisonsService,
    private readonly auth: AuthService,
    private readonly care: CareService,
  ) {}

  /** Metric counts and the extra person counts of every region for one day. */
  private async dayCounts(asOf: string): Promise<DayCounts> {
    const [day, persons] = await Promise.all([this.metrics.countsForDay(asOf), this.repo.personCounts(asOf, this.metrics.config())]);
    return { metrics: day.counts, persons: new Map(persons.map((p) => [`${p.level}:${p.code}`, p])) };
  }

  /**
   * The as-of day must lie where the metrics API answers too (the campaign,
   * stretched over loaded data); a period running past the campaign's end is
   * as of that end (the last week of 2022 is as of 12-31).
   */
  private async withinCampaign(p: ReportPeriod): Promise<ReportPeriod> {
    const { from, to } = await this.metrics.validRange();
    const asOf = p.asOf > to ? to : p.asOf;
    if (asOf < from || asOf < p.start) {
      throw new BadRequestException(`${p.label}（${p.start} 至 ${p.end}）不在攻坚行动期间（${from} 至 ${to}） / the period is outside the campaign`);
    }
    return { ...p, asOf };
  }

  async buildWeekly(week: string, now = new Date()): Promise<{ period: ReportPeriod; file: ReportFile }> {
    const period = await this.withinCampaign(periodOf(() => weeklyPeriod(week, todayShanghai(now))));
    const [day, events] = await Promise.all([
      this.dayCounts(period.asOf),
      this.repo.eventCounts(period.start, monthStart(period.asOf), period.asOf),
    ]);
    const table: FormTable = {
      sheetName: '进展汇总表',
      title: `离校未就业高校毕业生信息衔接工作进展汇总表\n（${periodText(period)}）`,
      filingDate: cnDate(todayShanghai(now)),
      columns: WEEKLY_COLUMNS,
      rows: weeklyRows(day, events),
      notes: WEEKLY_NOTES,
    };
    return { period, file: await this.file(table, `离校未就业高校毕业生信息衔接工作进展汇总表_${period.label}.xlsx`, now) };
  }

  /** 专项工作进展表 (kinds 5–8) of an ISO week, as of its end (or today while it runs). */
  async buildMeasures(week: string, now = new Date()): Promise<{ period: ReportPeriod; file: ReportFile }> {
    const period = await this.withinCampaign(periodOf(() => weeklyPeriod(week, todayShanghai(now))));
    const day = await this.metrics.countsForDay(period.asOf);
    const table: FormTable = {
      sheetName: '专项工作进展表',
      title: `离校未就业高校毕业生服务攻坚行动专项工作进展表\n（${periodText(period)}）`,
      filingDate: cnDate(todayShanghai(now)),
      columns: MEASURES_REPORT_COLUMNS,
      rows: measuresReportRows(day.counts),
      notes: MEASURES_REPORT_NOTES,
    };
    return { period, file: await this.file(table, `专项工作进展表_${period.label}.xlsx`, now) };
  }

  async buildSemimonthly(date: string, now = new Date()): Promise<{ period: ReportPeriod; file: ReportFile }> {
    const period = await this.withinCampaign(periodOf(() => semimonthlyPeriod(date, todayShanghai(now))));
    const [end, before] = await Promise.all([this.dayCounts(period.asOf), this.dayCounts(addDays(period.start, -1))]);
    const half = period.label.endsWith('H1') ? '上半月' : '下半月';
    const table: FormTable = {
      sheetName: '实名联系和帮扶进度',
      title: `未就业毕业生实名联系和帮扶进度表\n（${periodText(period)}）`,
      filingDate: cnDate(todayShanghai(now)),
      columns: SEMIMONTHLY_COLUMNS,
      rows: semimonthlyRows(end, before),
      notes: SEMIMONTHLY_NOTES,
    };
    // A second sheet: help-plan coverage and overdue return visits per unit (measure 八).
    const care = await Promise.all([PROVINCE_CODE, ...UNITS.map((u) => u.code)].map((c) => this.metrics.metricsFor(c, period.asOf)));
    const plans: FormTable = {
      sheetName: '帮扶计划与回访', title: `困难毕业生帮扶计划与跟踪回访情况\n（${periodText(period)}）`, filingDate: table.filingDate,
      columns: PLAN_COLUMNS, rows: planRows(new Map(care.slice(1).map((m) => [m.region, m])), care[0]!), notes: PLAN_NOTES,
    };
    const fileName = `未就业毕业生实名联系和帮扶进度表_${period.label.slice(0, 7)}${half}.xlsx`;
    const unitRows = table.rows.filter((r) => r.kind === 'unit').length;
    const xlsx = await buildXlsx([{ table }, { table: plans }], now);
    return { period, file: { title: table.title, fileName, unitRows, dataRows: table.rows.length, xlsx } };
  }

  /** The open rights-protection cases province-wide as of a day, overdue first. */
  async buildRights(date: string, now = new Date()): Promise<{ period: ReportPeriod; file: ReportFile }> {
    const period: ReportPeriod = { ...periodOf(() => dispatchPeriod(date, now)), kind: 'rights' };
    const rows = rightsRows(await this.care.openCases(period.asOf));
    const table: FormTable = {
      sheetName: '权益案件清单',
      title: `就业权益保障案件清单\n（截至${cnDate(period.asOf)}24时未办结的案件）`,
      filingDate: cnDate(todayShanghai(now)),
      columns: RIGHTS_COLUMNS,
      rows,
      notes: RIGHTS_NOTES,
    };
    const xlsx = await buildXlsx([{ table, freezeColumns: 4 }], now);
    return { period, file: { title: table.title, fileName: `就业权益保障案件清单_${period.label}.xlsx`, unitRows: 0, dataRows: rows.length, xlsx } };
  }

  /** Open help requests of a region (the province, a unit or a county) at the day's cut-off. */
  async buildDispatch(date: string, regionCode: string, now = new Date()): Promise<{ period: ReportPeriod; file: ReportFile; items: DispatchItem[] }> {
    const period = periodOf(() => dispatchPeriod(date, now));
    const region = this.metrics.region(regionCode);
    const sla = this.metrics.config().helpSlaHours * 3600;
    const rows = await this.repo.openHelpRequests(countiesUnder(region.code), period.cutoff);
    const items: DispatchItem[] = rows.map((r) => ({
      requestId: r.request_id, countyCode: r.county_code, nameMasked: r.name_masked, requestedAt: r.requested_at,
      hoursWaiting: Math.round(r.seconds_waiting / 360) / 10, overdue: r.seconds_waiting >= sla,
    }));
    const where = region.level === 'province' ? '' : `${region.level === 'county' ? `${REGION_BY_CODE.get(region.parentCode ?? '')?.name ?? ''} ` : ''}${region.name}，`;
    const at = period.cutoff.endsWith('23:59:59') ? '24时' : period.cutoff.slice(11, 16);
    const title = `小程序求助毕业生联系服务日调度清单\n（${where}${cnDate(period.asOf)}${at}仍未首次联系的求助）`;
    const filingDate = cnDate(todayShanghai(now));
    const list: FormTable = { sheetName: '调度清单', title, filingDate, columns: DISPATCH_LIST_COLUMNS, rows: dispatchListRows(items), notes: DISPATCH_NOTES };
    const summary: FormTable = {
      sheetName: '分地区汇总', title, filingDate, columns: DISPATCH_SUMMARY_COLUMNS, rows: dispatchSummaryRows(items, region.code), notes: DISPATCH_NOTES,
    };
    const scopeName = region.level === 'province' ? '' : `${region.name}_`;
    const xlsx = await buildXlsx([{ table: summary }, { table: list, freezeColumns: 3 }], now);
    return {
      period,
      items,
      file: { title, fileName: `小程序求助调度清单_${scopeName}${period.label}.xlsx`, unitRows: summary.rows.length - 1, dataRows: items.length, xlsx },
    };
  }

  async buildLiaisons(now = new Date()): Promise<{ period: ReportPeriod; file: ReportFile }> {
    const period = liaisonsPeriod(todayShanghai(now));
    const table: FormTable = {
      sheetName: '联络员表',
      title: `2022年离校未就业毕业生服务攻坚行动联络员表\n（截至${cnDate(period.asOf)}）`,
      filingDate: cnDate(period.asOf),
      columns: LIAISON_COLUMNS,
      rows: liaisonRows(await this.liaisons.list()),
      notes: LIAISON_NOTES,
    };
    return { period, file: await this.file(table, `联络员表_${period.label}.xlsx`, now) };
  }

  private async file(table: FormTable, fileName: string, now: Date): Promise<ReportFile> {
    const unitRows = table.rows.filter((r) => r.kind === 'unit').length;
    return { title: table.title, fileName, unitRows, dataRows: table.rows.length, xlsx: await buildXlsx([{ table }], now) };
  }

  private async build(kind: ReportKind, input: GenerateInput, now: Date): Promise<{ period: ReportPeriod; file: ReportFile }> {
    switch (kind) {
      case 'weekly':
        if (!input.week) throw new BadRequestException('周报需要 week（ISO 周次，如 2022-W36） / weekly needs week');
        return this.buildWeekly(input.week, now);
      case 'semimonthly':
        if (!input.date) throw new BadRequestException('半月报需要 date（调度日期 YYYY-MM-DD） / semimonthly needs date');
        return this.buildSemimonthly(input.date, now);
      case 'dispatch':
        if (!input.date) throw new BadRequestException('调度清单需要 date（YYYY-MM-DD） / dispatch needs date');
        return this.buildDispatch(input.date, PROVINCE_CODE, now);
      case 'liaisons':
        return this.buildLiaisons(now);
      case 'measures':
        if (!input.week) throw new BadRequestException('专项工作进展表需要 week（ISO 周次，如 2022-W36） / measures needs week');
        return this.buildMeasures(input.week, now);
      case 'rights':
        if (!input.date) throw new BadRequestException('权益案件清单需要 date（YYYY-MM-DD） / rights needs date');
        return this.buildRights(input.date, now);
    }
  }

  /** Builds a province-wide report and archives it, replacing an earlier file of the same period. */
  async generate(kind: ReportKind, input: GenerateInput, by: Principal | null, ip: string, now = new Date()): Promise<ArchiveEntry> {
    return (await this.generateFile(kind, input, by, ip, now)).entry;
  }

  async generateFile(kind: ReportKind, input: GenerateInput, by: Principal | null, ip: string, now = new Date()): Promise<GeneratedReport> {
    if (!REPORT_KINDS.includes(kind)) throw new BadRequestException(`未知报表类型 ${String(kind)}（${REPORT_KINDS.join('、')}） / unknown report kind`);
    const { period, file } = await this.build(kind, input, now);
    const row: ArchiveRow = {
      report_id: `${kind}-${period.label}`, kind, period: period.label, period_start: period.start, period_end: period.end, as_of: period.asOf,
      region_code: PROVINCE_CODE, title: file.title.replace('\n', ''), file_name: file.fileName, generated_at: now.toISOString(),
      generated_by: by?.username ?? 'system', unit_rows: file.unitRows, data_rows: file.dataRows, bytes: file.xlsx.length,
    };
    await this.repo.save(row, file.xlsx);
    await this.auth.audit(by, ip, 'report.generate', row.report_id, `kind=${kind} period=${period.label} asOf=${period.asOf}`);
    return { entry: toEntry(row), xlsx: file.xlsx };
  }

  /** The CLI's export: a province-wide report is generated and archived; a region's dispatch list is only made. Both are audit-logged. */
  async exportForCli(kind: ReportKind, input: GenerateInput & { region?: string }, now = new Date()): Promise<{ entry: ArchiveEntry | null; period: string; asOf: string; rows: number; xlsx: Buffer }> {
    if (kind === 'dispatch' && input.region && input.region !== PROVINCE_CODE) {
      const { file, period } = await this.buildDispatch(input.date ?? todayShanghai(now), input.region, now);
      await this.auth.audit(null, 'cli', 'report.export', `dispatch-${period.label}-${input.region}`, `kind=dispatch region=${input.region} rows=${file.dataRows}`);
      return { entry: null, period: period.label, asOf: period.asOf, rows: file.dataRows, xlsx: file.xlsx };
    }
    const { entry, xlsx } = await this.generateFile(kind, input, null, 'cli', now);
    await this.auth.audit(null, 'cli', 'report.export', entry.id, `kind=${kind} period=${entry.period} bytes=${xlsx.length}`);
    return { entry, period: entry.period, asOf: entry.asOf, rows: entry.dataRows, xlsx };
  }

  /**
   * What a scheduled tick runs: the current week (Thursday job), the
   * half-month that just ended (1st and 16th), today's dispatch list.
   * Outside the campaign there is nothing to report: skipped, not failed.
   */
  async runScheduled(kind: 'weekly' | 'semimonthly' | 'dispatch' | 'measures' | 'rights', now = new Date()): Promise<{ generated: ArchiveEntry | null; skipped: string | null }> {
    const today = todayShanghai(now);
    const input: GenerateInput = kind === 'weekly' || kind === 'measures' ? { week: weekOf(today) } : { date: today };
    try {
      return { generated: await this.generate(kind, input, null, 'cron', now), skipped: null };
    } catch (e) {
      if (e instanceof HttpException && e.getStatus() === 400) return { generated: null, skipped: String((e.getResponse() as { message?: unknown }).message ?? e.message) };
      throw e;
    }
  }

  async list(scope: Scope, kind?: string): Promise<ReportList> {
    const provinceWide = seesProvinceWide(scope);
    const kinds = REPORT_KINDS.map((k) => ({ kind: k, label: KIND_LABELS[k], needs: k === 'weekly' || k === 'measures' ? ('week' as const) : k === 'liaisons' ? null : ('date' as const) }));
    if (!provinceWide) return { reports: [], provinceWide, kinds };
    return { reports: (await this.repo.list({ kind, limit: 500 })).map(toEntry), provinceWide, kinds };
  }

  /** An archived file; downloading it is an export and goes to the audit log. */
  async download(id: string, scope: Scope, ip: string): Promise<Download> {
    if (!seesProvinceWide(scope)) throw new ForbiddenException('全省报表仅限省级用户下载；市、县用户请下载本地区的求助调度清单 / province-wide reports are for province users');
    const hit = await this.repo.get(id);
    if (!hit) throw new NotFoundException(`报表 ${id} 不存在，请先生成 / no such report`);
    await this.auth.audit(scope.principal, ip, 'report.export', id, `kind=${hit.row.kind} period=${hit.row.period} bytes=${hit.xlsx.length}`);
    return { fileName: hit.row.file_name, xlsx: hit.xlsx };
  }

  /** The dispatch list of the caller's region (or a region inside it), made now and not archived. */
  async dispatchFor(scope: Scope, date: string | undefined, regionCode: string | undefined, ip: string, now = new Date()): Promise<Download> {
    const code = regionCode ?? scope.principal.regionCode;
    this.metrics.region(code);
    scope.assertCanSee(code);
    // A day outside the campaign is refused; without one, the campaign's current day (not the real today once it has ended).
    const day = date ? await this.metrics.checkDay(date, 'date') : (await this.metrics.currentDay(now)).day;
    const { file, period } = await this.buildDispatch(day, code, now);
    await this.auth.audit(scope.principal, ip, 'report.export', `dispatch-${period.label}-${code}`, `kind=dispatch region=${code} rows=${file.dataRows}`);
    return { fileName: file.fileName, xlsx: file.xlsx };
  }
}
