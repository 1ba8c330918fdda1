import { Access, AggregatesAccess } from '../auth/access.decorator';
import { FreshnessService, type CountyFreshness } from './freshness';
import { CurrentScope } from '../auth/auth.decorators';
import type { Scope } from '../auth/scope';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendPrepared } from '../common/prepared-body';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MetricsService, type LaggingRegion } from './metrics.service';
import { RecruitmentService, type RecruitmentCompliance } from './recruitment.service';
import { AsOfQueryDto, MetricsResponseDto, RecruitmentQueryDto, RegionCodeParamDto } from './metrics.dto';

/** Like the screen's: the browser keeps the body but revalidates it on every request (If-None-Match → 304). */
export const METRICS_CACHE_CONTROL = 'private, no-cache';

@ApiTags('metrics')
@Controller('api')
@AggregatesAccess()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly recruitment: RecruitmentService,
    private readonly freshnessSvc: FreshnessService,
  ) {}

  @Get('metrics/:code')
  @ApiOperation({ summary: 'Every metric of a region as of a day, with children, trend, rank, targets and lagging' })
  @ApiOkResponse({ type: MetricsResponseDto })
  async get(
    @Param() p: RegionCodeParamDto, @Query() q: AsOfQueryDto, @CurrentScope() scope: Scope, @Req() req: Request, @Res() res: Response,
  ): Promise<void> {
    this.metrics.region(p.code);
    // Before any body or 304: a caller outside the region gets 403, whatever it holds.
    scope.assertCanSee(p.code);
    const asOf = await this.metrics.checkDay(q.asOf);
    // The body (~100 KB with the daily trend) is serialised and compressed once per data state, not per request.
    sendPrepared(req, res, await this.metrics.fullJson(p.code, asOf), METRICS_CACHE_CONTROL);
  }

  @Get('metrics/:code/lagging')
  @ApiOperation({ summary: 'Children of a region that lag (below the target path or in the bottom quarter), with gaps' })
  async lagging(@Param() p: RegionCodeParamDto, @Query() q: AsOfQueryDto, @CurrentScope() scope: Scope): Promise<LaggingRegion[]> {
    this.metrics.region(p.code);
    scope.assertCanSee(p.code);
    const asOf = await this.metrics.checkDay(q.asOf);
    return this.metrics.laggingChildren(p.code, asOf);
  }

  @Get('freshness/:code')
  @Access({ roles: ['admin', 'province', 'unit', 'county'] })
  @ApiOperation({ summary: 'Per county under a region: last ledger update, the load that brought it, last service, rejected rows' })
  async freshness(@Param() p: RegionCodeParamDto, @CurrentScope() scope: Scope): Promise<CountyFreshness[]> {
    this.metrics.region(p.code);
    scope.assertCanSee(p.code);
    return this.freshnessSvc.forRegion(p.code, scope);
  }

  @Get('recruitment/:code')
  @ApiOperation({ summary: "A reporting unit's recruitment-event compliance: a 专业性 event every ISO week, a 综合性 event every month" })
  async recruitmentFor(@Param() p: RegionCodeParamDto, @Query() q: RecruitmentQueryDto, @CurrentScope() scope: Scope): Promise<RecruitmentCompliance> {
    this.metrics.region(p.code);
    scope.assertCanSee(p.code);
    return this.recruitment.compliance(p.code, q.from, q.to);
  }
}
