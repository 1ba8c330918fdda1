import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access } from '../auth/access.decorator';
import { ClientIp, CurrentScope } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import { RateLimiter } from '../auth/rate-limit';
import type { Scope } from '../auth/scope';
import { sendTableXlsx } from '../common/xlsx-export';
import { ROLE_LABEL } from './cases.labels';
import { CaseQueryDto, PersonKeyParamDto } from './cases.dto';
import { CasesService, type CaseItem, type CasePage } from './cases.service';

const exportLimiter = new RateLimiter(20, 60_000);
const USERS = ['admin', 'province', 'unit', 'county'] as const;

@ApiTags('cases')
@Controller('api')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly auth: AuthService,
  ) {}

  @Get('cases')
  @Access({ roles: [...USERS] })
  @ApiOperation({ summary: 'A county’s persons as of a day with what they still miss; filtered, sorted and paged on the server; personal data masked' })
  list(@Query() q: CaseQueryDto, @CurrentScope() scope: Scope): Promise<CasePage> {
    return this.cases.list(q, scope);
  }

  @Get('cases/export.xlsx')
  @Access({ roles: [...USERS] })
  @ApiOperation({ summary: 'The same list (all pages, up to 20,000 rows) as Excel, masked, audit-logged' })
  async export(@Query() q: CaseQueryDto, @CurrentScope() scope: Scope, @ClientIp() ip: string, @Res() res: Response): Promise<void> {
    exportLimiter.check(ip);
    const page = await this.cases.list({ ...q, limit: 500, offset: 0 }, scope);
    const rows: CaseItem[] = [...page.rows];
    for (let off = 500; off < Math.min(page.total, 20_000); off += 500) rows.push(...(await this.cases.list({ ...q, limit: 500, offset: off }, scope)).rows);
    const p = scope.principal;
    await this.auth.audit(p, ip, 'export', `cases:${page.county}`, `rows=${rows.length} filters=${JSON.stringify({ ...q, limit: undefined, offset: undefined })}`);
    await sendTableXlsx(res, {
      fileName: `${page.countyName}人员名单-${page.asOf}.xlsx`,
      sheet: '人员名单',
      title: `${page.countyName}（${page.county}）离校未就业高校毕业生人员名单`,
      subtitle: `截至 ${page.asOf} 日终 · 共 ${page.total} 人${page.total > rows.length ? `（导出前 ${rows.length} 人）` : ''} · 导出人 ${p.displayName}（${ROLE_LABEL[p.role]}）· 个人信息已脱敏`,
      rows,
      columns: [
        { header: '姓名', value: (r) => r.name },
        { header: '身份证号', value: (r) => r.idNumber, width: 22 },
        { header: '联系电话', value: (r) => r.phone, width: 14 },
        { header: '接收日期', value: (r) => r.receivedDate },
        { header: '帮扶类别', value: (r) => r.category, width: 14 },
        { header: '困难类别', value: (r) => r.hardship.join('、') },
        { header: '就业状态', value: (r) => r.employmentStatus },
        { header: '已联系', value: (r) => (r.contacted ? '是' : '否') },
        { header: '1311缺项', value: (r) => r.missing1311.join('、'), width: 24 },
        { header: '一对一帮扶次数', value: (r) => r.services.oneOnOne },
        { header: '超时求助', value: (r) => r.helpOverdue },
        { header: '最近服务', value: (r) => r.lastService, width: 20 },
        { header: '待办原因', value: (r) => r.reasons.join('；'), width: 40 },
      ],
    });
  }

  @Get('persons/:key')
  @Access({ roles: [...USERS] })
  @ApiOperation({ summary: 'One person: every version of their record, every service, every help request (masked)' })
  person(@Param() p: PersonKeyParamDto, @CurrentScope() scope: Scope) {
    return this.cases.person(p.key, scope);
  }

  @Get('persons/:key/export.xlsx')
  @Access({ roles: [...USERS] })
  @ApiOperation({ summary: 'One person’s record versions and services as Excel (masked, audit-logged)' })
  async exportPerson(@Param() p: PersonKeyParamDto, @CurrentScope() scope: Scope, @ClientIp() ip: string, @Res() res: Response): Promise<void> {
    exportLimiter.check(ip);
    const person = await this.cases.person(p.key, scope);
    await this.auth.audit(scope.principal, ip, 'export', `person:${p.key}`, `versions=${person.versions.length} services=${person.services.length}`);
    type Row = { kind: string; time: string; what: string; county: string; detail: string; source: string };
    const rows: Row[] = [
      ...person.versions.map((v) => ({
        kind: '台账版本', time: v.updatedAt, what: [v.category, v.employmentStatus].filter(Boolean).join(' / ') || '—', county: v.countyCode || '未分解',
        detail: `接收 ${v.receivedDate}${v.assignedDate ? ` · 下发 ${v.assignedDate}` : ''}${v.hardship.length ? ` · 困难：${v.hardship.join('、')}` : ''}`,
        source: `${v.file} 第${v.row}行（批次 ${v.runId}）`,
      })),
      ...person.services.map((x) => ({
        kind: '服务记录', time: x.serviceTime, what: x.serviceType, county: x.countyCode,
        detail: [x.contactMethod, x.contactResult, x.staff, x.note].filter(Boolean).join(' · '), source: `记录编号 ${x.recordId}`,
      })),
      ...person.helpRequests.map((h) => ({
        kind: '求助登记', time: h.requestedAt, what: h.firstContactAt ? `首次联系 ${h.firstContactAt}` : '尚未联系', county: h.countyCode, detail: '', source: `求助编号 ${h.requestId}`,
      })),
    ].sort((a, b) => a.time.localeCompare(b.time));
    const who = scope.principal;
    await sendTableXlsx(res, {
      fileName: `人员记录-${person.name}.xlsx`,
      sheet: '人员记录',
      title: `${person.name}（${person.idNumber}）台账版本与服务记录`,
      subtitle: `所属 ${person.countyName} · 导出时间 ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · 导出人 ${who.displayName}（${ROLE_LABEL[who.role]}）· 个人信息已脱敏`,
      rows,
      columns: [
        { header: '类别', value: (r) => r.kind },
        { header: '时间', value: (r) => r.time, width: 20 },
        { header: '内容', value: (r) => r.what, width: 24 },
        { header: '县区', value: (r) => r.county },
        { header: '详情', value: (r) => r.detail, width: 40 },
        { header: '来源', value: (r) => r.source, width: 32 },
      ],
    });
  }

  @Post('persons/:key/reveal')
  @HttpCode(200)
  @Access({ roles: ['unit', 'county'] })
  @ApiOperation({ summary: 'Reveal one person’s full name, ID number and phone (county and unit users, in scope; audit-logged)' })
  reveal(@Param() p: PersonKeyParamDto, @CurrentScope() scope: Scope, @ClientIp() ip: string) {
    return this.cases.reveal(p.key, scope, ip);
  }
}
