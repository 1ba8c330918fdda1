// The workbench's 实训中心 / 岗位开发 / 政策落实 sections: the records behind a
// region's figures (people masked, audit-logged) and Excel of each table.
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access } from '../auth/access.decorator';
import { ClientIp, CurrentScope } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import { RateLimiter } from '../auth/rate-limit';
import type { Scope } from '../auth/scope';
import { sendTableXlsx, type ExportColumn } from '../common/xlsx-export';
import { EXIT_CHANNELS, POLICY_TYPES, POST_SOURCES } from '../ledger/measures.schema';
import { RegionCodeParamDto } from '../metrics/metrics.dto';
import { MetricsService, type RegionMetrics } from '../metrics/metrics.service';
import { REGION_BY_CODE } from '../regions/regions.data';
import { MeasureChildrenQueryDto, MeasureRecordsQueryDto, type Section } from './measures.dto';
import { RECORD_TITLES as KIND_TITLE, type CentreRow, type GrantRow, type MeasureRecordKind, type MeasureRecordPage, type PostRow, type RecordRowOfKind, type StayRow } from './measures.records.types';
import { MAX_EXPORT, MAX_PAGE, MeasuresService } from './measures.service';

const exportLimiter = new RateLimiter(20, 60_000);
const USERS = ['admin', 'province', 'unit', 'county'] as const;
const regionName = (c: string) => REGION_BY_CODE.get(c)?.name ?? c;


const RECORD_COLUMNS: { [K in MeasureRecordKind]: ExportColumn<RecordRowOfKind[K]>[] } = {
  centre: [
    { header: '中心编号', value: (r: CentreRow) => r.id, width: 16 }, { header: '中心名称', value: (r) => r.name, width: 30 },
    { header: '县区', value: (r) => regionName(r.county), width: 14 }, { header: '挂牌日期', value: (r) => r.opened, width: 12 },
    { header: '容纳人数', value: (r) => r.capacity }, { header: '累计进驻', value: (r) => r.entrants }, { header: '在驻', value: (r) => r.resident },
    { header: '退出', value: (r) => r.exits },
    ...EXIT_CHANNELS.map((ch, i): ExportColumn<CentreRow> => ({ header: `退出·${ch}`, value: (r) => r.exits_by_channel[i] ?? 0 })),
    { header: '生活补助（元）', value: (r) => Number(r.allowance), numFmt: '#,##0.00' },
  ],
  stay: [
    { header: '进驻编号', value: (r: StayRow) => r.id, width: 14 }, { header: '姓名', value: (r) => r.name }, { header: '身份证号', value: (r) => r.id_masked, width: 22 },
    { header: '实训中心', value: (r) => r.centre_name || r.centre_id, width: 30 }, { header: '县区', value: (r) => regionName(r.county), width: 14 },
    { header: '进驻日期', value: (r) => r.entered, width: 12 }, { header: '退出日期', value: (r) => r.exit_date, width: 12 },
    { header: '退出方式', value: (r) => r.exit_channel, width: 14 }, { header: '生活补助（元）', value: (r) => Number(r.allowance), numFmt: '#,##0.00' },
  ],
  post: [
    { header: '岗位编号', value: (r: PostRow) => r.id, width: 14 }, { header: '地区', value: (r) => regionName(r.region), width: 14 },
    { header: '岗位来源', value: (r) => r.source, width: 14 }, { header: '用人单位', value: (r) => r.employer, width: 28 },
    { header: '岗位名称', value: (r) => r.title, width: 16 }, { header: '开发日期', value: (r) => r.developed, width: 12 },
    { header: '岗位数', value: (r) => r.openings }, { header: '96885发布日期', value: (r) => r.published, width: 14 }, { header: '已招用毕业生', value: (r) => r.hired },
  ],
  grant: [
    { header: '记录编号', value: (r: GrantRow) => r.id, width: 14 }, { header: '姓名', value: (r) => r.name }, { header: '身份证号', value: (r) => r.id_masked, width: 22 },
    { header: '政策类型', value: (r) => r.policy, width: 18 }, { header: '金额（元）', value: (r) => Number(r.amount), numFmt: '#,##0.00' },
    { header: '受理日期', value: (r) => r.applied, width: 12 }, { header: '办结日期', value: (r) => r.granted || '在办', width: 12 },
    { header: '申办方式', value: (r) => r.channel, width: 12 }, { header: '县区', value: (r) => regionName(r.county), width: 14 },
    { header: '用人单位', value: (r) => r.employer, width: 28 },
  ],
};

type M = RegionMetrics;
const SECTION_COLUMNS: Record<Section, { title: string; columns: ExportColumn<M>[] }> = {
  centres: {
    title: '实训中心',
    columns: [
      { header: '实训中心', value: (r) => r.centres }, { header: '县区覆盖率', value: (r) => r.countyCentreRate, numFmt: '0.0%' },
      { header: '累计进驻', value: (r) => r.centreEntrants }, { header: '在驻', value: (r) => r.centreResident }, { header: '退出', value: (r) => r.centreExits },
      ...EXIT_CHANNELS.map((ch): ExportColumn<M> => ({ header: `退出·${ch}`, value: (r) => r.centreExitsByChannel[ch] })),
      { header: '退出就业率', value: (r) => r.centreExitWorkRate, numFmt: '0.0%' }, { header: '进驻人员1311完成', value: (r) => r.centre1311 },
      { header: '生活补助（元）', value: (r) => r.centreAllowance, numFmt: '#,##0.00' },
    ],
  },
  posts: {
    title: '岗位开发',
    columns: [
      { header: '开发岗位', value: (r) => r.postsDeveloped },
      ...POST_SOURCES.map((s): ExportColumn<M> => ({ header: s, value: (r) => r.postsBySource[s] })),
      { header: '96885已发布', value: (r) => r.postsPublished }, { header: '发布率', value: (r) => r.postsPublishedRate, numFmt: '0.0%' },
      { header: '已招用毕业生', value: (r) => r.postsHired },
    ],
  },
  policies: {
    title: '政策落实',
    columns: [
      { header: '办结件数', value: (r) => r.policyGranted }, { header: '享受人数', value: (r) => r.policyPersons },
      { header: '资金（元）', value: (r) => r.policyAmount, numFmt: '#,##0.00' }, { header: '在办件数', value: (r) => r.policyPending },
      { header: '网办及主动发现率', value: (r) => r.policyOnlineRate, numFmt: '0.0%' },
      ...POLICY_TYPES.flatMap((t): ExportColumn<M>[] => [
        { header: `${t}·件`, value: (r) => r.policyByType[t].granted },
        { header: `${t}·元`, value: (r) => r.policyByType[t].amount, numFmt: '#,##0.00' },
      ]),
    ],
  },
};

@ApiTags('measures')
@Controller('api')
export class MeasuresController {
  constructor(
    private readonly measures: MeasuresService,
    private readonly metrics: MetricsService,
    private readonly auth: AuthService,
  ) {}

  @Get('measures/:code/records')
  @Access({ roles: [...USERS] })
  @ApiOperation({ summary: 'The training centres, stays, job posts or policy records behind a region’s figures as of a day; people masked; paged' })
  async records(@Param() p: RegionCodeParamDto, @Query() q: MeasureRecordsQueryDto, @CurrentScope() scope: Scope, @ClientIp() ip: string): Promise<MeasureRecordPage> {
    const page = await this.measures.page(p.code, q.kind, q.asOf, scope, q.limit ?? 50, q.offset ?? 0);
    if (page.kind === 'stay' || page.kind === 'grant') await this.auth.audit(scope.principal, ip, 'measures.records', `${page.kind}:${p.code}`, `asOf=${page.asOf} rows=${page.rows.length}`);
    return page;
  }

  @Get('measures/:code/records.xlsx')
  @Access({ roles: [...USERS] })
  @ApiOperation({ summary: 'The same records (up to 20,000) as Excel, masked, audit-logged' })
  async recordsXlsx(@Param() p: RegionCodeParamDto, @Query() q: MeasureRecordsQueryDto, @CurrentScope() scope: Scope, @ClientIp() ip: string, @Res() res: Response): Promise<void> {
    exportLimiter.check(ip);
    const first = await this.measures.page(p.code, q.kind, q.asOf, scope, MAX_PAGE, 0);
    const rows = [...first.rows];
    for (let off = MAX_PAGE; off < Math.min(first.total, MAX_EXPORT); off += MAX_PAGE) {
      rows.push(...(await this.measures.page(p.code, first.kind, first.asOf, scope, MAX_PAGE, off)).rows);
    }
    await this.auth.audit(scope.principal, ip, 'export', `measures:${first.kind}:${p.code}`, `asOf=${first.asOf} rows=${rows.length}`);
    const name = regionName(p.code);
    await sendTableXlsx(res, {
      fileName: `${name}${KIND_TITLE[first.kind]}-${first.asOf}.xlsx`,
      sheet: KIND_TITLE[first.kind],
      title: `${name}（${p.code}）${KIND_TITLE[first.kind]}明细`,
      subtitle: `截至 ${first.asOf} 日终 · 共 ${first.total} 条${first.total > MAX_EXPORT ? `（导出前 ${MAX_EXPORT} 条）` : ''} · 个人信息已脱敏 · 导出人 ${scope.principal.displayName}`,
      columns: RECORD_COLUMNS[first.kind] as ExportColumn<unknown>[],
      rows: rows as unknown[],
    });
  }

  @Get('measures/:code/children.xlsx')
  @Access({ roles: [...USERS] })
  @ApiOperation({ summary: 'A region’s children (and its total) on one measure section — centres, posts or policies — as Excel; audit-logged' })
  async children(@Param() p: RegionCodeParamDto, @Query() q: MeasureChildrenQueryDto, @CurrentScope() scope: Scope, @ClientIp() ip: string, @Res() res: Response): Promise<void> {
    const region = this.metrics.region(p.code);
    scope.assertCanSee(p.code);
    exportLimiter.check(ip);
    const asOf = await this.metrics.checkDay(q.asOf);
    const section = q.section ?? 'centres';
    const full = await this.metrics.full(p.code, asOf);
    const rows: M[] = [...full.children, { ...full, name: `${full.name}（合计）` }];
    await this.auth.audit(scope.principal, ip, 'export', `measures:${section}:${p.code}`, `asOf=${asOf} rows=${rows.length}`);
    const s = SECTION_COLUMNS[section];
    await sendTableXlsx<M>(res, {
      fileName: `${region.name}${s.title}-${asOf}.xlsx`,
      sheet: s.title,
      title: `${region.name}（${region.code}）下级地区${s.title}情况`,
      subtitle: `截至 ${asOf} 日终 · 数据截至 ${full.dataTime ?? '暂无数据'} · 合计含本级自有记录 · 导出人 ${scope.principal.displayName}`,
      rows,
      columns: [{ header: '地区', value: (r) => r.name, width: 22 }, { header: '代码', value: (r) => r.region }, ...s.columns],
    });
  }
}
