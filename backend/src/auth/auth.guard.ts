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

/**
 * The session cookie's token, or undefined. cookie-parser turns a value starting "j:" into parsed JSON; a
 * session token is never that, so such a cookie (or any value that is not a string) is no session at all —
 * the caller is not signed in (401), rather than a hash of an object failing the request (500).
 */
export function sessionCookie(req: { cookies?: unknown }): string | undefined {
  const v = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  return typeof v === 'string' ? v : undefined;
}

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
    const caller = await callerOf(this.auth, sessionCookie(req), req.header('x-screen-token'));
    if (caller.badToken) throw new UnauthorizedException('大屏令牌无效或已吊销 / screen token invalid or revoked');
    const { principal } = caller;
    if (principal) {
      req.principal = principal;
      req.scope = new Scope(principal);
    }
    const refused = refusal(rule, caller, req.method, req.header(CSRF_HEADER), () =>
      this.reflector.getAllAndOverride<boolean | undefined>(BEFORE_PASSWORD_CHANGE_KEY, [ctx.getHandler(), ctx.getClass()]) === true,
    );
    if (refused) throw refused;
    return true;
  }
}

/** Who is calling: the session cookie's principal, else the wall screen token's; a token that names nobody is refused outright. */
export interface Caller {
  principal: Principal | null;
  viaCookie: boolean;
  badToken: boolean;
}

/**
 * The guard's look-up of the caller, shared with the hot GET path
 * (common/hot-get.ts) so both use the same session cache and rules.
 */
export async function callerOf(auth: AuthService, sessionCookie: string | undefined, screenToken: string | undefined): Promise<Caller> {
  let principal: Principal | null = null;
  let viaCookie = false;
  if (sessionCookie) {
    principal = await auth.fromSession(sessionCookie);
    viaCookie = principal !== null;
  }
  if (!principal) {
    // ?token= was moved into this header before routing (app.factory), so DTOs never see it.
    if (screenToken) principal = await auth.fromScreenToken(screenToken);
    if (screenToken && !principal) return { principal: null, viaCookie: false, badToken: true };
  }
  return { principal, viaCookie, badToken: false };
}

/** Why a route's rule refuses this caller (the exception the guard throws), or null when it admits them. */
export function refusal(
  rule: AccessRule, caller: Caller, method: string, csrfHeader: string | undefined, allowedBeforePasswordChange: () => boolean,
): ForbiddenException | UnauthorizedException | null {
  const { principal, viaCookie } = caller;
  if (rule.public) return null;
  if (!principal) return new UnauthorizedException('请先登录 / sign in first');
  const allowed = rule.roles === 'any-user' ? principal.role !== 'screen' : rule.roles.includes(principal.role);
  if (!allowed) return new ForbiddenException('无权访问 / your role may not use this');
  if (viaCookie && !SAFE.has(method) && csrfHeader !== principal.csrf) {
    return new ForbiddenException('缺少或错误的 CSRF 令牌，请刷新页面 / missing or wrong CSRF token');
  }
  if (principal.mustChangePassword && !allowedBeforePasswordChange()) {
    return new ForbiddenException({
      statusCode: 403, error: 'Forbidden', code: 'must_change_password',
      message: '首次登录须先修改初始密码（POST /api/auth/password） / change your initial password first',
    });
  }
  return null;
}
