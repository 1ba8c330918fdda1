import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AggregatesAccess } from '../auth/access.decorator';
import { CurrentScope } from '../auth/auth.decorators';
import type { Scope } from '../auth/scope';
import { ScreenService } from './screen.service';
import { ScreenCodeParamDto, ScreenPayloadDto, ScreenPlanDto, ScreenQueryDto } from './screen.dto';
import type { ScreenPayload, ScreenPlan } from './screen.types';

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
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Everything the wall screen draws for the province or a unit, as of a day' })
  @ApiOkResponse({ type: ScreenPayloadDto })
  get(@Param() p: ScreenCodeParamDto, @Query() q: ScreenQueryDto, @CurrentScope() scope: Scope): Promise<ScreenPayload> {
    return this.screen.screen(p.code, q.asOf, scope);
  }
}
