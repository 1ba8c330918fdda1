// The workbench's region tables as Excel, built on the server so the export
// honours the caller's scope exactly like the page (aggregates only: no
// personal data here) and every export is audit-logged.
import { BadRequestException, Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import type { Response } from 'express';
import { Access } from '../auth/access.decorator';
import { ClientIp, CurrentScope } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import { RateLimiter } from '../auth/rate-limit';
import type { Scope } from '../auth/scope';
import { sendTableXlsx, type ExportColumn } from '../common/xlsx-export';
import { UNITS } from '../regions/regions.data';
import type { RateKey } from './campaign.config';
import { FreshnessService, type CountyFreshness } from './freshness';
import { RegionCodeParamDto } from './metrics.dto';
import { MetricsService, type LagReason, type RegionMetrics } from './metrics.service';
import { RecruitmentService } from './recruitment.service';

const exportLimiter = new RateLimiter(20, 60_000);

const RATE_LABEL: Record<RateKey, string> = {
  contactRate: '联系率',
  rate1311: '1311完成率',
  employmentRate: '就业率',
  helpSlaRate: '求助及时联系率',
  hardshipOneOnOneRate: '一对一帮扶覆盖率',
};

const TABLES = ['children', 'freshness', 'recruitment'] as const;
type Table = (typeof TABLES)[number];

export class RegionExportQueryDto {
  @ApiPropertyOptional({ example: '2022-09-30', description: 'the day (children: required; the others ignore it or use it as the end of the range)' })
  @IsOptional() @IsString()
  asOf?: string;

  @ApiPropertyOptional({ enum: TABLES, default: 'children', description: 'which table of the region page' })
  @IsOptional() @IsIn([...TABLES])
  table?: Table;
}

/** "联系率低于目标进度 3.2 个百分点" — a lag reason in a clerk's words. */
export function lagText(r: LagReason): string {
  const label = RATE_LABEL[r.metric];
  if (r.reason === 'below_target' && r.gap !== null) return `${label}低于目标进度 ${(Math.abs(r.gap) * 100).toFixed(1)} 个百分点`;
  return `${label}处于同级后四分之一`;
}

type Row = RegionMetrics & { reasons: string; gaps: Partial<Record<RateKey, number | null>> };

@ApiTags('metrics')
@Controller('api')
export class MetricsExportController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly freshness: FreshnessService,
    private readonly recruitment: RecruitmentService,
    private readonly auth: AuthService,
  ) {}

  @Get('metrics/:code/children.xlsx')
  @Access({ roles: ['admin', 'province', 'unit', 'county'] })
  @ApiOperation({ summary: "A region page's tables as Excel: its children's metrics against targets (default), data freshness, or recruitment compliance; audit-logged" })
  async children(
    @Param() p: RegionCodeParamDto,
    @Query() q: RegionExportQueryDto,
    @CurrentScope() scope: Scope,
    @ClientIp() ip: string,
    @Res() res: Response,
  ): Promise<void> {
    const region = this.metrics.region(p.code);
    scope.assertCanSee(p.code);
    exportLimiter.check(ip);
    const table: Table = q.table ?? 'children';
    const who = `导出人 ${scope.principal.displayName}`;
    switch (table) {
      case 'children': {
        const asOf = await this.metrics.checkDay(q.asOf);
        const full = await this.metrics.full(p.code, asOf);
        const cfg = this.metrics.config();
        const lag = new Map(full.laggingChildren.map((c) => [c.region, c.reasons]));
        // The target path of a day is the same for every region.
        const gapsOf = (m: RegionMetrics): Row['gaps'] => {
          const out: Row['gaps'] = {};
          for (const k of Object.keys(RATE_LABEL) as RateKey[]) out[k] = m[k] === null ? null : (m[k] as number) - full.targets[k].path;
          return out;
        };
        const rows: Row[] = full.children.map((c) => ({ ...c, reasons: (lag.get(c.region) ?? []).map(lagText).join('；'), gaps: gapsOf(c) }));
        rows.push({ ...full, name: `${full.name}（合计）`, reasons: full.lagging.map(lagText).join('；'), gaps: gapsOf(full) });
        await this.auth.audit(scope.principal, ip, 'export', `metrics:${p.code}`, `table=children asOf=${asOf} rows=${rows.length}`);
        const rateCols = (k: RateKey): ExportColumn<Row>[] => [
          { header: RATE_LABEL[k], value: (r) => r[k], numFmt: '0.0%' },
          { header: `${RATE_LABEL[k]}差距`, value: (r) => r.gaps[k] ?? null, numFmt: '+0.0%;-0.0%;0.0%' },
        ];
        await sendTableXlsx<Row>(res, {
          fileName: `${region.name}下级地区指标-${asOf}.xlsx`,
          sheet: '下级地区指标',
          title: `${region.name}（${region.code}）下级地区攻坚指标`,
          subtitle: `截至 ${asOf} 日终 · 数据截至 ${full.dataTime ?? '暂无数据'} · 差距 = 实际值 − 当日目标进度（${cfg.year}年目标）· ${who}`,
          rows,
          columns: [
            { header: '地区', value: (r) => r.name, width: 22 },
            { header: '代码', value: (r) => r.region },
            { header: '接收人数', value: (r) => r.received },
            { header: '已联系', value: (r) => r.contacted },
            ...rateCols('contactRate'),
            { header: '有就业意愿', value: (r) => r.intentEmployment },
            { header: '1311完成', value: (r) => r.completed1311 },
            ...rateCols('rate1311'),
            { header: '已就业', value: (r) => r.employed },
            ...rateCols('employmentRate'),
            { header: '困难毕业生', value: (r) => r.hardship },
            { header: '一对一帮扶', value: (r) => r.hardshipOneOnOne },
            ...rateCols('hardshipOneOnOneRate'),
            { header: '求助', value: (r) => r.helpRequests },
            { header: '24小时内联系', value: (r) => r.helpContactedInSla },
            ...rateCols('helpSlaRate'),
            { header: '超时未联系', value: (r) => r.helpOverdue },
            { header: '落后原因', value: (r) => r.reasons, width: 48 },
          ],
        });
        return;
      }
      case 'freshness': {
        const rows = await this.freshness.forRegion(p.code, scope);
        await this.auth.audit(scope.principal, ip, 'export', `freshness:${p.code}`, `table=freshness rows=${rows.length}`);
        await sendTableXlsx<CountyFreshness>(res, {
          fileName: `${region.name}数据更新情况.xlsx`,
          sheet: '数据更新情况',
          title: `${region.name}（${region.code}）各县区数据更新情况`,
          subtitle: `导出时间 ${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')}（北京时间）· 台账和服务时间为北京时间，导入开始时间为 UTC · ${who}`,
          rows,
          columns: [
            { header: '县区', value: (r) => r.name, width: 22 },
            { header: '代码', value: (r) => r.county },
            { header: '台账最近更新', value: (r) => r.lastLedgerUpdate, width: 20 },
            { header: '最近导入批次', value: (r) => r.lastRun },
            { header: '导入开始时间（UTC）', value: (r) => r.lastLoad, width: 24 },
            { header: '最近服务记录', value: (r) => r.lastService, width: 20 },
            { header: '拒收行数', value: (r) => r.rejects },
          ],
        });
        return;
      }
      case 'recruitment': {
        if (region.level === 'county') throw new BadRequestException('招聘活动按市级单位统计 / recruitment compliance is per reporting unit');
        const units = region.level === 'unit' ? [region] : UNITS.filter((u) => scope.canSee(u.code));
        const to = q.asOf ? await this.metrics.checkDay(q.asOf) : undefined;
        const all = await Promise.all(units.map((u) => this.recruitment.compliance(u.code, undefined, to)));
        type Line = { unit: string; kind: string; period: string; start: string; end: string; professional: number; comprehensive: number; status: string };
        const status = (ended: boolean, missed: boolean) => (missed ? '未达标' : ended ? '达标' : '进行中');
        const rows: Line[] = all.flatMap((c) => [
          ...c.weeks.map((w) => ({ unit: c.name, kind: '专业性（每周）', period: w.week, start: w.start, end: w.end, professional: w.professional, comprehensive: w.comprehensive, status: status(w.ended, w.missed) })),
          ...c.months.map((m) => ({ unit: c.name, kind: '综合性（每月）', period: m.month, start: m.start, end: m.end, professional: m.professional, comprehensive: m.comprehensive, status: status(m.ended, m.missed) })),
        ]);
        await this.auth.audit(scope.principal, ip, 'export', `recruitment:${p.code}`, `table=recruitment rows=${rows.length}`);
        await sendTableXlsx<Line>(res, {
          fileName: `${region.name}招聘活动达标情况.xlsx`,
          sheet: '招聘活动',
          title: `${region.name}招聘活动达标情况（每周至少1场专业性、每月至少1场综合性）`,
          subtitle: `判定截至 ${all[0]?.judgedAsOf ?? '—'} · ${who}`,
          rows,
          columns: [
            { header: '报送单位', value: (r) => r.unit, width: 16 },
            { header: '要求', value: (r) => r.kind, width: 16 },
            { header: '周期', value: (r) => r.period, width: 12 },
            { header: '开始', value: (r) => r.start, width: 12 },
            { header: '结束', value: (r) => r.end, width: 12 },
            { header: '专业性场次', value: (r) => r.professional },
            { header: '综合性场次', value: (r) => r.comprehensive },
            { header: '结果', value: (r) => r.status },
          ],
        });
        return;
      }
    }
  }
}
