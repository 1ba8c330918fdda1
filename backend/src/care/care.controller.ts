import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, AggregatesAccess } from '../auth/access.decorator';
import { CurrentScope } from '../auth/auth.decorators';
import type { Scope } from '../auth/scope';
import { CasesService } from '../cases/cases.service';
import { PersonKeyParamDto } from '../cases/cases.dto';
import { MetricsService, todayShanghai } from '../metrics/metrics.service';
import { CareService } from './care.service';
import { CarePersonQueryDto, CareRegionQueryDto } from './care.dto';
import type { ChecklistResponse, PersonPlanPanel, RightsCasesResponse } from './care.api.types';

@ApiTags('care')
@Controller('api/care')
export class CareController {
  constructor(
    private readonly care: CareService,
    private readonly metrics: MetricsService,
    private readonly cases: CasesService,
  ) {}

  private async day(asOf?: string): Promise<string> {
    if (asOf) return this.metrics.checkDay(asOf);
    const { from, to } = await this.metrics.validRange();
    const today = todayShanghai();
    return today < from ? from : today > to ? to : today;
  }

  @Get('cases')
  @AggregatesAccess()
  @ApiOperation({ summary: 'Rights-protection cases of a region as of a day: open, overdue, by type, each with its deadline and days overdue' })
  async rightsCases(@Query() q: CareRegionQueryDto, @CurrentScope() scope: Scope): Promise<RightsCasesResponse> {
    this.metrics.region(q.region);
    scope.assertCanSee(q.region);
    return this.care.cases(q.region, await this.day(q.asOf), q.open === '1');
  }

  @Get('checklist')
  @AggregatesAccess()
  @ApiOperation({ summary: 'The 亮相 checklist of the reporting units in a region (the province: all 11): each item with its date and link, late items marked' })
  async checklist(@Query() q: CareRegionQueryDto, @CurrentScope() scope: Scope): Promise<ChecklistResponse> {
    this.metrics.region(q.region);
    scope.assertCanSee(q.region);
    return this.care.checklist(q.region, await this.day(q.asOf));
  }

  @Get('persons/:key/plan')
  @Access({ roles: ['admin', 'province', 'unit', 'county'] })
  @ApiOperation({ summary: "A person's help plan as of a day: the current plan (specialist, measures, cadence), every return visit, the next visit due or days overdue" })
  async plan(@Param() p: PersonKeyParamDto, @Query() q: CarePersonQueryDto, @CurrentScope() scope: Scope): Promise<PersonPlanPanel> {
    await this.cases.inScope(p.key, scope);
    return this.care.personPanel(p.key, await this.day(q.asOf));
  }
}
