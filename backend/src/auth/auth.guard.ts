// The one gate for every route: who is calling (session cookie, or a wall
// screen token where the route admits screens), whether the route's rule
// admits them, and CSRF for cookie sessions on state-changing requests.
import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCESS_KEY, BEFORE_PASSWORD_CHANGE_KEY, type AccessRule } from './access.decorator';
import { AuthService } from './auth.service';
import { Scope, type Principal } from './scope';

export const SESSION_COOKIE = 'sid';
export const CSRF_COOKIE = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface AuthedRequest extends Request {
  principal?: Principal;
  scope?: Scope;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [ctx.getHandler(), ctx.getClass()]);
    // A route nobody declared a rule for is closed (and the authorization test fails on it).
    if (!rule) throw new ForbiddenException('此接口未配置访问规则 / route has no access rule');
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const cookies = (req.cookies ?? {}) as Record<string, string | undefined>;
    let principal: Principal | null = null;
    let viaCookie = false;
    if (cookies[SESSION_COOKIE]) {
      principal = await this.auth.fromSession(cookies[SESSION_COOKIE]);
      viaCookie = principal !== null;
    }
    if (!principal) {
      // ?token= was moved into this header before routing (app.factory), so DTOs never see it.
      const token = req.header('x-screen-token');
      if (token) principal = await this.auth.fromScreenToken(token);
      if (token && !principal) throw new UnauthorizedException('大屏令牌无效或已吊销 / screen token invalid or revoked');
    }
    if (principal) {
      req.principal = principal;
      req.scope = new Scope(principal);
    }
    if (rule.public) return true;
    if (!principal) throw new UnauthorizedException('请先登录 / sign in first');
    const allowed = rule.roles === 'any-user' ? principal.role !== 'screen' : rule.roles.includes(principal.role);
    if (!allowed) throw new ForbiddenException('无权访问 / your role may not use this');
    if (viaCookie && !SAFE.has(req.method) && req.header(CSRF_HEADER) !== principal.csrf) {
      throw new ForbiddenException('缺少或错误的 CSRF 令牌，请刷新页面 / missing or wrong CSRF token');
    }
    if (principal.mustChangePassword && !this.reflector.getAllAndOverride<boolean | undefined>(BEFORE_PASSWORD_CHANGE_KEY, [ctx.getHandler(), ctx.getClass()])) {
      throw new ForbiddenException({
        statusCode: 403, error: 'Forbidden', code: 'must_change_password',
        message: '首次登录须先修改初始密码（POST /api/auth/password） / change your initial password first',
      });
    }
    return true;
  }
}
