import { createParamDecorator, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { AuthedRequest } from './auth.guard';
import type { Principal, Scope } from './scope';

/** The caller's region scope (routes that are not public). */
export const CurrentScope = createParamDecorator((_d: unknown, ctx: ExecutionContext): Scope => {
  const s = ctx.switchToHttp().getRequest<AuthedRequest>().scope;
  if (!s) throw new UnauthorizedException('请先登录 / sign in first');
  return s;
});

export const CurrentPrincipal = createParamDecorator((_d: unknown, ctx: ExecutionContext): Principal | null => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().principal ?? null;
});

export const ClientIp = createParamDecorator((_d: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  return req.ip ?? req.socket.remoteAddress ?? '';
});
