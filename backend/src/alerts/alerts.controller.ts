import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, AggregatesAccess, AnyUser } from '../auth/access.decorator';
import { ClientIp, CurrentPrincipal, CurrentScope } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import type { Principal, Scope } from '../auth/scope';
import {
  AckDto, AlertIdParamDto, AlertsQueryDto, BulkAckDto, ChannelDto, ChannelIdParamDto, DeliveriesQueryDto, PageDto, RegionQueryDto, ResolveDto,
} from './alerts.dto';
import { LEVEL_LABELS, RULE_KEYS, RULE_LABELS, SEVERITY_LABELS, STATE_LABELS } from './alerts.rules';
import { AlertsService } from './alerts.service';
import { maskTarget } from './notify/notice';
import { NotifyService, type ChannelKind } from './notify/notify.service';

// Static routes come before ':id' so "summary" or "channels" is never taken for an alert id.
@ApiTags('alerts')
@Controller('api/alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly notify: NotifyService,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @AnyUser()
  @ApiOperation({ summary: 'Alerts in your scope: filters by rule, region, state, severity, level and age; paginated; names masked' })
  list(@Query() q: AlertsQueryDto, @CurrentScope() scope: Scope) {
    return this.alerts.list(scope, q);
  }

  @Get('counts')
  @AggregatesAccess()
  @ApiOperation({ summary: 'Unresolved alerts by severity, rule and level in a region (default: your scope)' })
  counts(@Query() q: RegionQueryDto, @CurrentScope() scope: Scope) {
    return this.alerts.counts(scope, q);
  }

  @Get('summary')
  @AggregatesAccess()
  @ApiOperation({ summary: 'For the command screen: open counts by severity and the newest 5 alerts (aggregates only; screen tokens allowed)' })
  summary(@Query() q: RegionQueryDto, @CurrentScope() scope: Scope) {
    return this.alerts.summary(scope, q);
  }

  @Get('rules')
  @AnyUser()
  @ApiOperation({ summary: "The campaign year's alert rules: on/off, parameters, severity, escalation windows, and labels" })
  rules() {
    const cfg = this.alerts.config();
    return {
      year: cfg.year,
      escalation: cfg.escalation,
      rules: RULE_KEYS.map((k) => ({ key: k, label: RULE_LABELS[k], ...cfg.rules[k] })),
      labels: { severity: SEVERITY_LABELS, level: LEVEL_LABELS, state: STATE_LABELS },
    };
  }

  @Post('ack')
  @AnyUser()
  @ApiOperation({ summary: 'Acknowledge several alerts at once (those outside your scope or resolved are skipped)' })
  bulkAck(@Body() b: BulkAckDto, @CurrentPrincipal() p: Principal, @CurrentScope() scope: Scope, @ClientIp() ip: string) {
    return this.alerts.acknowledge(b.ids, b.note ?? '', p, scope, ip);
  }

  @Get('channels')
  @AdminOnly()
  @ApiOperation({ summary: "Notification channels per region: the liaison directory's (defaults) and the extra ones; secrets never shown" })
  channels() {
    return this.notify.channelViews();
  }

  @Put('channels')
  @AdminOnly()
  @ApiOperation({ summary: "Add or change an extra channel (WeCom, DingTalk, Feishu, webhook, e-mail), or switch a region's liaison channels off (kind=liaison, enabled=false)" })
  async saveChannel(@Body() b: ChannelDto, @CurrentPrincipal() p: Principal, @ClientIp() ip: string) {
    const v = await this.notify.saveChannel({ ...b, kind: b.kind as ChannelKind | 'liaison' }, p.username);
    await this.auth.audit(p, ip, 'alert-channel.update', v.id, `region=${v.regionCode} kind=${v.kind} target=${maskTarget(v.target)} enabled=${v.enabled}`);
    return v;
  }

  @Delete('channels/:id')
  @AdminOnly()
  async deleteChannel(@Param() q: ChannelIdParamDto, @CurrentPrincipal() p: Principal, @ClientIp() ip: string) {
    const c = await this.notify.deleteChannel(q.id, p.username);
    await this.auth.audit(p, ip, 'alert-channel.delete', q.id, `region=${c.region_code} kind=${c.kind}`);
    return { ok: true };
  }

  @Get('deliveries')
  @AdminOnly()
  @ApiOperation({ summary: 'The delivery log: every attempt to send a notice, newest first' })
  deliveries(@Query() q: DeliveriesQueryDto) {
    return this.notify.deliveries({ status: q.status, region: q.region, kind: q.kind, limit: q.limit ?? 50, offset: q.offset ?? 0 });
  }

  @Get(':id')
  @AnyUser()
  @ApiOperation({ summary: 'One alert with its history and dispatch orders' })
  get(@Param() q: AlertIdParamDto, @CurrentScope() scope: Scope) {
    return this.alerts.get(q.id, scope);
  }

  @Get(':id/people')
  @AnyUser()
  @ApiOperation({ summary: 'The people behind an alert, masked (audit-logged)' })
  people(@Param() q: AlertIdParamDto, @Query() page: PageDto, @CurrentScope() scope: Scope, @CurrentPrincipal() p: Principal, @ClientIp() ip: string) {
    return this.alerts.people(q.id, scope, page, p, ip);
  }

  @Post(':id/ack')
  @AnyUser()
  @ApiOperation({ summary: 'Acknowledge an alert (who, note)' })
  async ack(@Param() q: AlertIdParamDto, @Body() b: AckDto, @CurrentPrincipal() p: Principal, @CurrentScope() scope: Scope, @ClientIp() ip: string) {
    await this.alerts.acknowledge([q.id], b.note ?? '', p, scope, ip);
    return this.alerts.get(q.id, scope);
  }

  @Post(':id/resolve')
  @AnyUser()
  @ApiOperation({ summary: 'Resolve an alert by hand with a reason (it re-opens if its condition clears and comes back)' })
  resolve(@Param() q: AlertIdParamDto, @Body() b: ResolveDto, @CurrentPrincipal() p: Principal, @CurrentScope() scope: Scope, @ClientIp() ip: string) {
    return this.alerts.resolve(q.id, b.reason, p, scope, ip);
  }
}
