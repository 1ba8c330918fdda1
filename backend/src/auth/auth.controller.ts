import { Body, Controller, Get, HttpCode, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AllowBeforePasswordChange, AnyUser, Access, Public } from './access.decorator';
import { ClientIp, CurrentPrincipal, CurrentScope } from './auth.decorators';
import { CSRF_COOKIE, SESSION_COOKIE, sessionCookie } from './auth.guard';
import { AuthService, LoginError } from './auth.service';
import { ChangePasswordDto, LoginDto } from './auth.dto';
import { RateLimiter } from './rate-limit';
import type { Principal, Scope } from './scope';

const loginLimiter = new RateLimiter(20, 5 * 60_000);
const passwordLimiter = new RateLimiter(10, 5 * 60_000);

function secure(req: Request): boolean {
  return req.secure || req.header('x-forwarded-proto') === 'https';
}

function setSession(req: Request, res: Response, r: { token: string; csrf: string; principal: Principal; expiresAt: Date }) {
  const base = { sameSite: 'strict' as const, secure: secure(req), path: '/', expires: r.expiresAt };
  res.cookie(SESSION_COOKIE, r.token, { ...base, httpOnly: true });
  res.cookie(CSRF_COOKIE, r.csrf, { ...base, httpOnly: false });
  const p = r.principal;
  return { username: p.username, role: p.role, regionCode: p.regionCode, displayName: p.displayName, mustChangePassword: p.mustChangePassword === true };
}

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: sets an HttpOnly session cookie and a CSRF cookie to echo in X-CSRF-Token' })
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response, @ClientIp() ip: string) {
    loginLimiter.check(ip);
    try {
      const r = await this.auth.login(body.username, body.password, ip);
      return setSession(req, res, r);
    } catch (e) {
      if (e instanceof LoginError) throw new UnauthorizedException(e.message);
      throw e;
    }
  }

  @Post('password')
  @AnyUser()
  @AllowBeforePasswordChange()
  @HttpCode(200)
  @ApiOperation({ summary: 'Change your own password (required at first sign-in with an initial password); all your sessions end and a new one starts (audit-logged)' })
  async changePassword(@Body() b: ChangePasswordDto, @Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() p: Principal, @ClientIp() ip: string) {
    passwordLimiter.check(p.username);
    const r = await this.auth.changeOwnPassword(p, b.currentPassword, b.newPassword, ip);
    return setSession(req, res, r);
  }

  @Post('logout')
  @Access({ roles: 'any-user' })
  @AllowBeforePasswordChange()
  @HttpCode(200)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() p: Principal, @ClientIp() ip: string) {
    const token = sessionCookie(req);
    if (token) await this.auth.logout(token, p, ip);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.clearCookie(CSRF_COOKIE, { path: '/' });
    return { ok: true };
  }

  @Get('me')
  @AnyUser()
  @AllowBeforePasswordChange()
  @ApiOperation({ summary: 'The signed-in user and the regions they may open' })
  me(@CurrentScope() scope: Scope) {
    const p = scope.principal;
    return {
      username: p.username, role: p.role, regionCode: p.regionCode, displayName: p.displayName, mustChangePassword: p.mustChangePassword === true,
      regions: scope.visibleRegions().map((r) => `${r.level}:${r.code}`),
    };
  }
}
