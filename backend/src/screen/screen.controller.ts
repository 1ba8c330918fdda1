import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AggregatesAccess } from '../auth/access.decorator';
import { CurrentScope } from '../auth/auth.decorators';
import type { Scope } from '../auth/scope';
import { ScreenService } from './screen.service';
import { ScreenCodeParamDto, ScreenPayloadDto, ScreenPlanDto, ScreenQueryDto } from './screen.dto';
import type { ScreenPlan } from './screen.types';

@ApiTags('screen')
@Controller('api/screen')
// Users and wall-screen tokens (/screen?token=…) alike; the region must be in the caller's scope.
@AggregatesAccess()
export class ScreenController {
  constructor(private readonly screen: ScreenService) {}

  @Get('plan')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'The scene rotation plan of the wall screen (SCREEN_PLAN, else the default)' })
  @ApiOkResponse({ type: ScreenPlanDto })
  plan(): ScreenPlan {
    return this.screen.plan();
  }

  @Get(':code')
  @ApiOperation({ summary: 'Everything the wall screen draws for the province or a unit, as of a day' })
  @ApiOkResponse({ type: ScreenPayloadDto })
  async get(@Param() p: ScreenCodeParamDto, @Query() q: ScreenQueryDto, @CurrentScope() scope: Scope, @Res() res: Response): Promise<void> {
    const body = await this.screen.screenJson(p.code, q.asOf, scope);
    res.setHeader('Cache-Control', 'no-store');
    res.type('application/json').send(body);
  }
}
