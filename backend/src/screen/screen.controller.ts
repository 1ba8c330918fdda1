import { Controller, Get, Header, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendPrepared } from '../common/prepared-body';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AggregatesAccess } from '../auth/access.decorator';
import { CurrentScope } from '../auth/auth.decorators';
import type { Scope } from '../auth/scope';
import { ScreenService } from './screen.service';
import { ScreenCodeParamDto, ScreenPayloadDto, ScreenPlanDto, ScreenQueryDto } from './screen.dto';
import type { ScreenPlan } from './screen.types';

/** Kept by the browser, revalidated on every request (If-None-Match → 304), never by a shared cache. */
export const SCREEN_CACHE_CONTROL = 'private, no-cache';

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
  async get(
    @Param() p: ScreenCodeParamDto, @Query() q: ScreenQueryDto, @CurrentScope() scope: Scope, @Req() req: Request, @Res() res: Response,
  ): Promise<void> {
    // Scope is checked while building: a 304 only ever answers a caller allowed to see the body.
    const { body, tail } = await this.screen.screenBody(p.code, q.asOf, scope);
    // A wall screen asks again on every pushed snapshot: it may keep the body but must ask (no-cache), and only for itself (private).
    sendPrepared(req, res, body, SCREEN_CACHE_CONTROL, tail);
  }
}
