import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access } from '../auth/access.decorator';
import { ClientIp, CurrentPrincipal, CurrentScope } from '../auth/auth.decorators';
import { RateLimiter } from '../auth/rate-limit';
import type { Principal, Scope } from '../auth/scope';
import { DispatchQueryDto, GenerateReportDto, ReportIdParamDto, ReportKindParamDto, ReportListQueryDto } from './reports.dto';
import { ReportsService, type Download, type ReportList } from './reports.service';
import type { ArchiveEntry } from './reports.types';
import { XLSX_MIME } from './reports.xlsx';

const exportLimiter = new RateLimiter(60, 60_000);

function send(res: Response, d: Download): void {
  const ascii = d.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  res.setHeader('Content-Type', XLSX_MIME);
  res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(d.fileName)}`);
  res.setHeader('Content-Length', String(d.xlsx.length));
  res.setHeader('Cache-Control', 'no-store');
  res.end(d.xlsx);
}

@ApiTags('reports')
@Controller('api/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get()
  @Access({ roles: ['admin', 'province', 'unit', 'county'] })
  @ApiOperation({ summary: 'The report archive (province-wide reports: admin and province users; others get an empty list and the scoped dispatch list)' })
  list(@Query() q: ReportListQueryDto, @CurrentScope() scope: Scope): Promise<ReportList> {
    return this.reports.list(scope, q.kind);
  }

  @Get('dispatch.xlsx')
  @Access({ roles: ['admin', 'province', 'unit', 'county'] })
  @ApiOperation({ summary: 'The 小程序求助 dispatch list of a region inside the caller’s scope, made now (audit-logged export)' })
  @ApiProduces(XLSX_MIME)
  async dispatch(@Query() q: DispatchQueryDto, @CurrentScope() scope: Scope, @ClientIp() ip: string, @Res() res: Response): Promise<void> {
    exportLimiter.check(ip);
    send(res, await this.reports.dispatchFor(scope, q.date, q.region, ip));
  }

  @Post(':kind')
  @Access({ roles: ['admin', 'province'] })
  @ApiOperation({ summary: 'Generate a province-wide report for a period and archive it (replaces the earlier file of that period)' })
  generate(@Param() p: ReportKindParamDto, @Body() b: GenerateReportDto, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<ArchiveEntry> {
    return this.reports.generate(p.kind, b, principal, ip);
  }

  @Get(':id/download')
  @Access({ roles: ['admin', 'province'] })
  @ApiOperation({ summary: 'Download an archived report as XLSX (audit-logged export)' })
  @ApiProduces(XLSX_MIME)
  async download(@Param() p: ReportIdParamDto, @CurrentScope() scope: Scope, @ClientIp() ip: string, @Res() res: Response): Promise<void> {
    exportLimiter.check(ip);
    send(res, await this.reports.download(p.id, scope, ip));
  }
}
