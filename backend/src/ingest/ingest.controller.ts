import { AnyUser } from '../auth/access.decorator';
import type { Scope } from '../auth/scope';
import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ClientIp, CurrentScope } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import { RateLimiter } from '../auth/rate-limit';
import { sendTableXlsx } from '../common/xlsx-export';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IngestQueryService } from './ingest.query.service';
import { PageQueryDto, RejectPageDto, RunDto, RunIdParamDto, RunsQueryDto } from './ingest.dto';

@ApiTags('ingest')
@Controller('api/ingest')
@AnyUser()
export class IngestController {
  constructor(
    private readonly runs: IngestQueryService,
    private readonly auth: AuthService,
  ) {}

  private static readonly exportLimiter = new RateLimiter(20, 60_000);

  @Get('runs/:id/rejects.xlsx')
  @ApiOperation({ summary: "A run's rejected rows in your scope as Excel (file, row, reason, masked row; audit-logged)" })
  async exportRejects(@Param() p: RunIdParamDto, @CurrentScope() scope: Scope, @ClientIp() ip: string, @Res() res: Response): Promise<void> {
    IngestController.exportLimiter.check(ip);
    const run = await this.runs.get(p.id);
    if (!run) throw new NotFoundException(`导入批次 ${p.id} 不存在（no such run）`);
    const page = await this.runs.rejects(p.id, 20_000, 0, scope);
    await this.auth.audit(scope.principal, ip, 'export', `rejects:${p.id}`, `rows=${page.rows.length}`);
    await sendTableXlsx(res, {
      fileName: `拒收记录-批次${p.id}.xlsx`,
      sheet: '拒收记录',
      title: `导入批次 #${p.id}（${run.label}）拒收记录`,
      subtitle: `共 ${page.total} 行 · 导入时间 ${run.startedAt} UTC · 导出人 ${scope.principal.displayName} · 个人信息已脱敏`,
      rows: page.rows,
      columns: [
        { header: '文件', value: (r) => r.file + (r.sheet ? `#${r.sheet}` : ''), width: 28 },
        { header: '行号', value: (r) => r.row, width: 8 },
        { header: '原因', value: (r) => r.reason, width: 48 },
        { header: '原始行（已脱敏）', value: (r) => r.raw, width: 80 },
      ],
    });
  }

  @Get('runs')
  @ApiOperation({ summary: 'Pull and load runs, newest first' })
  @ApiOkResponse({ type: [RunDto] })
  list(@Query() q: RunsQueryDto): Promise<RunDto[]> {
    return this.runs.list(q.limit ?? 50, q.offset ?? 0, q.source);
  }

  @Get('runs/:id')
  @ApiOkResponse({ type: RunDto })
  async get(@Param() p: RunIdParamDto): Promise<RunDto> {
    const run = await this.runs.get(p.id);
    if (!run) throw new NotFoundException(`导入批次 ${p.id} 不存在（no such run）`);
    return run;
  }

  @Get('runs/:id/rejects')
  @ApiOperation({ summary: "A run's rejected rows with file, row number and reason (personal data masked)" })
  @ApiOkResponse({ type: RejectPageDto })
  async rejects(@Param() p: RunIdParamDto, @Query() q: PageQueryDto, @CurrentScope() scope: Scope): Promise<RejectPageDto> {
    if (!(await this.runs.get(p.id))) throw new NotFoundException(`导入批次 ${p.id} 不存在（no such run）`);
    return this.runs.rejects(p.id, q.limit ?? 100, q.offset ?? 0, scope);
  }
}
