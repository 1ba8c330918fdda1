import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, AnyUser } from '../auth/access.decorator';
import { ClientIp, CurrentPrincipal, CurrentScope } from '../auth/auth.decorators';
import type { Principal, Scope } from '../auth/scope';
import { CreateDispatchDto, DispatchIdParamDto, DispatchQueryDto, ReplyDispatchDto } from './dispatch.dto';
import { DispatchService } from './dispatch.service';

@ApiTags('dispatch')
@Controller('api/dispatch')
export class DispatchController {
  constructor(private readonly dispatch: DispatchService) {}

  @Post()
  @Access({ roles: ['admin', 'province', 'unit'] })
  @ApiOperation({ summary: 'Issue a dispatch order (督办) to a county in your scope about an alert group or a lagging metric, with a due date (audit-logged)' })
  create(@Body() b: CreateDispatchDto, @CurrentPrincipal() p: Principal, @CurrentScope() scope: Scope, @ClientIp() ip: string) {
    return this.dispatch.create(b, p, scope, ip);
  }

  @Get()
  @AnyUser()
  @ApiOperation({ summary: 'Dispatch orders in your scope, open and overdue first' })
  list(@Query() q: DispatchQueryDto, @CurrentScope() scope: Scope) {
    return this.dispatch.list(scope, q);
  }

  @Get(':id')
  @AnyUser()
  @ApiOperation({ summary: 'One dispatch order with its replies and escalations' })
  get(@Param() q: DispatchIdParamDto, @CurrentScope() scope: Scope) {
    return this.dispatch.get(q.id, scope);
  }

  @Post(':id/reply')
  @Access({ roles: ['county'] })
  @ApiOperation({ summary: 'The county answers an order: text and status (in_progress, done) (audit-logged)' })
  reply(@Param() q: DispatchIdParamDto, @Body() b: ReplyDispatchDto, @CurrentPrincipal() p: Principal, @CurrentScope() scope: Scope, @ClientIp() ip: string) {
    return this.dispatch.reply(q.id, b, p, scope, ip);
  }
}
