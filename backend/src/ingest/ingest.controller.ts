import { AnyUser } from '../auth/access.decorator';
import { CurrentScope } from '../auth/auth.decorators';
import type { Scope } from '../auth/scope';
import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IngestQueryService } from './ingest.query.service';
import { PageQueryDto, RejectPageDto, RunDto, RunIdParamDto, RunsQueryDto } from './ingest.dto';

@ApiTags('ingest')
@Controller('api/ingest')
@AnyUser()
export class IngestController {
  constructor(private readonly runs: IngestQueryService) {}

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
