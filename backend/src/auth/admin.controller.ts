import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import ExcelJS from 'exceljs';
import { AdminOnly } from './access.decorator';
import { ClientIp, CurrentPrincipal } from './auth.decorators';
import { AuthService } from './auth.service';
import { AuditQueryDto, CreateUserDto, PasswordDto, ScreenTokenDto, TokenIdParamDto, UsernameParamDto } from './auth.dto';
import { RateLimiter } from './rate-limit';
import type { Principal } from './scope';

const exportLimiter = new RateLimiter(10, 60_000);

@ApiTags('admin')
@Controller('api/admin')
@AdminOnly()
export class AdminController {
  constructor(private readonly auth: AuthService) {}

  @Get('users')
  users() {
    return this.auth.listUsers();
  }

  @Post('users')
  createUser(@Body() b: CreateUserDto, @CurrentPrincipal() p: Principal, @ClientIp() ip: string) {
    return this.auth.createUser({ username: b.username, role: b.role, region: b.region, password: b.password, displayName: b.displayName }, p, ip);
  }

  @Post('users/:username/disable')
  disable(@Param() q: UsernameParamDto, @CurrentPrincipal() p: Principal, @ClientIp() ip: string) {
    return this.auth.setDisabled(q.username, true, p, ip);
  }

  @Post('users/:username/enable')
  enable(@Param() q: UsernameParamDto, @CurrentPrincipal() p: Principal, @ClientIp() ip: string) {
    return this.auth.setDisabled(q.username, false, p, ip);
  }

  @Post('users/:username/password')
  async password(@Param() q: UsernameParamDto, @Body() b: PasswordDto, @CurrentPrincipal() p: Principal, @ClientIp() ip: string) {
    await this.auth.setPassword(q.username, b.password, p, ip);
    return { ok: true };
  }

  @Get('screen-tokens')
  tokens() {
    return this.auth.listScreenTokens();
  }

  @Post('screen-tokens')
  @ApiOperation({ summary: 'Create a wall-screen token (shown once): open /screen?token=…' })
  async createToken(@Body() b: ScreenTokenDto, @CurrentPrincipal() p: Principal, @ClientIp() ip: string) {
    const t = await this.auth.createScreenToken(b.label, b.region, p, ip);
    return { id: t.id, token: t.token, url: `/screen${b.region === '220000' ? '' : '/' + b.region}?token=${t.token}` };
  }

  @Post('screen-tokens/:id/revoke')
  async revoke(@Param() q: TokenIdParamDto, @CurrentPrincipal() p: Principal, @ClientIp() ip: string) {
    await this.auth.revokeScreenToken(q.id, p, ip);
    return { ok: true };
  }

  @Get('audit')
  @ApiOperation({ summary: 'The audit log, newest first' })
  audit(@Query() q: AuditQueryDto) {
    return this.auth.listAudit({ action: q.action, username: q.username, limit: q.limit ?? 100, offset: q.offset ?? 0 });
  }

  @Get('audit/export')
  @ApiOperation({ summary: 'The audit log as an Excel workbook (audit-logged itself)' })
  async exportAudit(@Query() q: AuditQueryDto, @Res() res: Response, @CurrentPrincipal() p: Principal, @ClientIp() ip: string) {
    exportLimiter.check(ip);
    const { rows } = await this.auth.listAudit({ action: q.action, username: q.username, limit: q.limit ?? 1000, offset: 0 });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('审计日志');
    ws.addRow([`审计日志（导出人 ${p.username}，导出时间 ${new Date().toISOString()}）`]);
    ws.addRow(['时间(UTC)', '用户', '角色', '来源地址', '操作', '对象', '详情', '成功']);
    for (const r of rows) ws.addRow([r.ts, r.username, r.role, r.ip, r.action, r.target, r.detail, r.ok ? '是' : '否']);
    await this.auth.audit(p, ip, 'export', 'audit_log', `rows=${rows.length}`);
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('审计日志.xlsx')}`);
    await wb.xlsx.write(res);
    res.end();
  }
}
