import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, AdminOnly, AggregatesAccess } from '../auth/access.decorator';
import { CurrentScope } from '../auth/auth.decorators';
import type { Scope } from '../auth/scope';
import type { CampaignDay } from '../metrics/metrics.types';
import { HomeTodoQueryDto } from './home.dto';
import { HomeService } from './home.service';
import type { HomeTodo, SetupChecklist } from './home.types';

@ApiTags('home')
@Controller('api')
export class HomeController {
  constructor(private readonly home: HomeService) {}

  @Get('campaign')
  @AggregatesAccess()
  @ApiOperation({ summary: 'The campaign’s calendar: its current day (the default of every page), the days that may be asked for, today' })
  campaign(): Promise<CampaignDay> {
    return this.home.campaign();
  }

  @Get('home/todo')
  @Access({ roles: ['admin', 'province', 'unit', 'county'] })
  @ApiOperation({ summary: 'Today’s to-do of a region per county: help requests due today, persons not contacted in time, hardship visits due, dispatch orders awaiting a reply' })
  todo(@Query() q: HomeTodoQueryDto, @CurrentScope() scope: Scope): Promise<HomeTodo> {
    return this.home.todo(q.region, q.asOf, scope);
  }

  @Get('home/setup')
  @AdminOnly()
  @ApiOperation({ summary: 'The first-start checklist, ticked from real state: admin password, users, liaisons and channels, real ledgers, demo off' })
  setup(): Promise<SetupChecklist> {
    return this.home.setup();
  }
}
