import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, AggregatesAccess, AnyUser } from '../auth/access.decorator';
import { ClientIp, CurrentPrincipal, CurrentScope } from '../auth/auth.decorators';
import type { Principal, Scope } from '../auth/scope';
import { GroupAckDto, GroupDispatchDto, GroupMembersQueryDto, GroupsQueryDto } from './alerts.groups.dto';
import { AlertGroupsService } from './alerts.groups.service';

// Registered before AlertsController, so 'groups' is never taken for an alert id.
@ApiTags('alerts')
@Controller('api/alerts/groups')
export class AlertGroupsController {
  constructor(private readonly groups: AlertGroupsService) {}

  @Get()
  @AggregatesAccess()
  @ApiOperation({ summary: 'Unresolved alerts by region × rule: count, acknowledged, highest severity, oldest opening and age, level climbed (aggregates; screen tokens allowed)' })
  list(@Query() q: GroupsQueryDto, @CurrentScope() scope: Scope) {
    return this.groups.groups(scope, q);
  }

  @Get('members')
  @AnyUser()
  @ApiOperation({ summary: "One group's unresolved alerts, oldest first, names masked" })
  members(@Query() q: GroupMembersQueryDto, @CurrentScope() scope: Scope) {
    return this.groups.members(scope, q);
  }

  @Post('ack')
  @AnyUser()
  @ApiOperation({ summary: 'Acknowledge every open alert of a group (one audited action: alert.group.ack)' })
  ack(@Body() b: GroupAckDto, @CurrentPrincipal() p: Principal, @CurrentScope() scope: Scope, @ClientIp() ip: string) {
    return this.groups.acknowledge(scope, p, ip, b);
  }

  @Post('dispatch')
  @Access({ roles: ['admin', 'province', 'unit'] })
  @ApiOperation({ summary: "A dispatch order (督办) to a county about its group; every open member acknowledged with the order's number (audited: dispatch.create, alert.group.dispatch)" })
  dispatch(@Body() b: GroupDispatchDto, @CurrentPrincipal() p: Principal, @CurrentScope() scope: Scope, @ClientIp() ip: string) {
    return this.groups.dispatchOrder(scope, p, ip, b);
  }
}
