// The two GETs that wall screens and busy workbenches repeat many times a
// second — /api/screen/:code[?asOf=] and /api/metrics/:code?asOf= — answered
// from their prepared bodies before Express and Nest see the request. Per
// request the Nest path parses cookies, sets helmet's headers, routes, runs
// the ValidationPipe and the guard and wraps the response for compression:
// most of the cost under load. Here the same pieces are reused, not
// restated: the same cookie parser and ?token= move, the guard's caller
// look-up and refusal rules (auth.guard.ts, same session cache), the
// controllers' scope checks and the services' bodies, and helmet's headers
// captured once. Anything it is not sure of — another URL or query shape,
// no prepared body yet, a caller the guard would refuse, any error — goes on
// to the Nest route untouched, which answers as it always has. HOT_GET=off
// turns it off (every request then takes the Nest path).
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_KEY, BEFORE_PASSWORD_CHANGE_KEY, type AccessRule } from '../auth/access.decorator';
import { callerOf, CSRF_HEADER, refusal, sessionCookie } from '../auth/auth.guard';
import { AuthService, sessionGeneration } from '../auth/auth.service';
import { DataEvents } from './data-events';
import { Scope, type Principal } from '../auth/scope';
import { METRICS_CACHE_CONTROL, MetricsController } from '../metrics/metrics.controller';
import { MetricsService } from '../metrics/metrics.service';
import { SCREEN_CACHE_CONTROL, ScreenController } from '../screen/screen.controller';
import { ScreenService } from '../screen/screen.service';
import { acceptsGzip, preparedAnswer, type PreparedAnswer } from './prepared-body';

/** A Connect-style middleware that finishes synchronously (cookie-parser, helmet). */
export type SyncMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

export interface HotGetOptions {
  /** The app's own cookie parser (the instance the Nest path runs), so req.cookies is parsed identically. */
  parseCookies: SyncMiddleware;
  /** The app's ?token= → x-screen-token move; it runs again harmlessly on the Nest path. */
  moveScreenToken: (req: IncomingMessage) => void;
  /** The app's helmet middleware: its headers are captured once and sent on every hot answer. */
  securityHeaders: SyncMiddleware;
  /** With several campaign years: whether a request is this application's year (another year's goes on to the Nest path, which hands it on). */
  belongsHere?: (req: IncomingMessage) => boolean;
}

const SCREEN_PATH = /^\/api\/screen\/(\d{6})$/;
const METRICS_PATH = /^\/api\/metrics\/(\d{6})$/;
/** Only a plain day: the service checks it is a real one in the campaign (and throws what the Nest path would answer). */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** How long a decided 304 is reused for the very same request (the session cache re-checks sessions every 15 s). */
const NOT_MODIFIED_MS = 1_000;

/** The headers a synchronous middleware sets, in its order (helmet's are the same on every response). */
export function headersSetBy(mw: SyncMiddleware): Array<[string, string]> {
  const set = new Map<string, [string, string]>();
  const res = {
    setHeader(name: string, value: unknown) {
      set.set(name.toLowerCase(), [name, String(value)]);
      return res;
    },
    removeHeader(name: string) {
      set.delete(name.toLowerCase());
    },
    getHeader(name: string) {
      return set.get(name.toLowerCase())?.[1];
    },
  };
  let called = false;
  mw({ headers: {}, method: 'GET', url: '/' } as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error(String(err));
    called = true;
  });
  if (!called) throw new Error('the security headers middleware did not finish synchronously');
  return [...set.values()];
}

/**
 * `asOf` when it is the query's only parameter (`{}` without a query), or
 * null for any other shape: repeated, encoded, other or extra parameters are
 * the ValidationPipe's to judge.
 */
function asOfOnly(query: string | undefined): { asOf?: string } | null {
  if (query === undefined || query === '') return {};
  if (!query.startsWith('asOf=')) return null;
  const v = query.slice(5);
  return DAY.test(v) ? { asOf: v } : null;
}

interface Route {
  rule: AccessRule | undefined;
  beforePasswordChange: boolean;
}

/** A route's access rule and password-change flag, read exactly as AuthGuard reads them. */
function routeOf(reflector: Reflector, controller: abstract new (...args: never[]) => unknown, handler: unknown): Route {
  const targets = [handler as () => void, controller];
  return {
    rule: reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, targets),
    beforePasswordChange: reflector.getAllAndOverride<boolean | undefined>(BEFORE_PASSWORD_CHANGE_KEY, targets) === true,
  };
}

export class HotGet {
  private readonly security: OutgoingHttpHeaders;
  private readonly headerSets = new Map<string, OutgoingHttpHeaders>();
  private readonly screenRoute: Route;
  private readonly metricsRoute: Route;
  /** A principal's Scope, built once per cached principal rather than per request as the guard does. */
  private readonly scopes = new WeakMap<Principal, Scope>();
  private services: { auth: AuthService; screen: ScreenService; metrics: MetricsService } | null = null;
  /**
   * 304s just decided, by the exact request (URL, cookies, wall token, If-None-Match, Accept-Encoding): the
   * same request within NOT_MODIFIED_MS gets the same 304 without the checks again — a wall polls the same
   * URL with the same tag many times a second. Forgotten on new data or snapshots (the tag may be stale) and
   * whenever sessions are forgotten (sign-out, a revoked token: auth.service.ts sessionGeneration). A 304
   * carries no body: the caller holds that tag's body already.
   */
  private readonly notModified = new Map<string, { until: number; generation: number; headers: OutgoingHttpHeaders }>();

  constructor(
    private readonly app: INestApplication,
    private readonly opts: HotGetOptions,
  ) {
    this.security = Object.fromEntries(headersSetBy(opts.securityHeaders));
    const reflector = new Reflector();
    this.screenRoute = routeOf(reflector, ScreenController, ScreenController.prototype.get);
    this.metricsRoute = routeOf(reflector, MetricsController, MetricsController.prototype.get);
  }

  /** Puts the hot path in front of the server's request listener (the Express app). */
  static install(app: INestApplication, opts: HotGetOptions): HotGet {
    const hot = new HotGet(app, opts);
    // New data or snapshots may change a body and its tag: no 304 decided before is reused after them.
    app.get(DataEvents).subscribe((e) => {
      if (e.type !== 'job-failed') hot.notModified.clear();
    });
    const server = app.getHttpServer() as Server;
    const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    if (listeners.length !== 1) throw new Error(`expected one request listener (the Express app), found ${listeners.length}`);
    const express = listeners[0]!;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => hot.handle(req, res, () => express(req, res)));
    return hot;
  }

  /** Answers the request, or calls `next` (the Nest path) — exactly once either way. */
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    let decided = false;
    try {
      decided = this.tryHot(req, res, next);
    } catch {
      // Thrown before anything was sent (a URL the token move cannot read): the Nest path answers, as it would have.
    }
    if (!decided) next();
  }

  /** True when the request is taken (answered or handed on later); false to hand it on now. */
  private tryHot(req: IncomingMessage, res: ServerResponse, next: () => void): boolean {
    const url = req.url ?? '';
    if (req.method !== 'GET' || !(url.startsWith('/api/screen/') || url.startsWith('/api/metrics/'))) return false;
    // A GET with a body, or expecting a 100-continue: unusual, so the Nest path's.
    if ((req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] || req.headers.expect) {
      return false;
    }
    // The very request a 304 was just decided for (as it arrived: the URL before the ?token= move).
    const inm = req.headers['if-none-match'];
    let memo: string | null = null;
    if (typeof inm === 'string') {
      const token = req.headers['x-screen-token'];
      memo = `${url}\n${req.headers.cookie ?? ''}\n${typeof token === 'string' ? token : ''}\n${inm}\n${req.headers['accept-encoding'] ?? ''}`;
      const hit = this.notModified.get(memo);
      if (hit && hit.until > Date.now() && hit.generation === sessionGeneration()) {
        res.writeHead(304, hit.headers);
        res.end();
        return true;
      }
    }
    // Only gzip or no encoding at all: another encoding is the compression middleware's to choose.
    if (req.headers['accept-encoding'] !== undefined && !acceptsGzip(req)) return false;
    this.opts.moveScreenToken(req);
    if (this.opts.belongsHere && !this.opts.belongsHere(req)) return false;
    const moved = req.url ?? '';
    const q = moved.indexOf('?');
    const pathname = q < 0 ? moved : moved.slice(0, q);
    const query = asOfOnly(q < 0 ? undefined : moved.slice(q + 1));
    const screen = SCREEN_PATH.exec(pathname);
    const metrics = screen ? null : METRICS_PATH.exec(pathname);
    if (!query || !(screen || metrics) || (metrics && query.asOf === undefined)) return false;
    const generation = sessionGeneration();
    const answer = screen ? this.screen(req, res, screen[1]!, query.asOf) : this.metrics(req, res, metrics![1]!, query.asOf!);
    answer
      .then(
        (a) => {
          if (!a) return next();
          const headers = this.send(res, a);
          if (a.status === 304 && memo !== null) {
            if (this.notModified.size >= 10_000) this.notModified.clear();
            this.notModified.set(memo, { until: Date.now() + NOT_MODIFIED_MS, generation, headers });
          }
        },
        // Whatever went wrong (a 400 or 403 the route will throw, a failed look-up), the Nest path answers it.
        () => next(),
      )
      // Only if sending itself failed (or Express threw): never an unhandled rejection, the connection is dropped.
      .catch((e: unknown) => res.destroy(e instanceof Error ? e : new Error(String(e))));
    return true;
  }

  private svc(): { auth: AuthService; screen: ScreenService; metrics: MetricsService } {
    this.services ??= {
      auth: this.app.get(AuthService),
      screen: this.app.get(ScreenService),
      metrics: this.app.get(MetricsService),
    };
    return this.services;
  }

  /** The caller's scope when the route's rule admits them as AuthGuard would, else null (the guard answers 401/403). */
  private async scopeOf(req: IncomingMessage, res: ServerResponse, route: Route): Promise<Scope | null> {
    if (!route.rule) return null;
    this.opts.parseCookies(req, res, () => undefined);
    const token = req.headers['x-screen-token'];
    // The session token exactly as the guard reads it (a "j:…" cookie is no session).
    const caller = await callerOf(this.svc().auth, sessionCookie(req as IncomingMessage & { cookies?: unknown }), typeof token === 'string' ? token : undefined);
    if (caller.badToken || !caller.principal) return null;
    const csrf = req.headers[CSRF_HEADER];
    if (refusal(route.rule, caller, 'GET', typeof csrf === 'string' ? csrf : undefined, () => route.beforePasswordChange)) return null;
    let scope = this.scopes.get(caller.principal);
    if (!scope) this.scopes.set(caller.principal, (scope = new Scope(caller.principal)));
    return scope;
  }

  /** ScreenController.get, from a built screen only. */
  private async screen(req: IncomingMessage, res: ServerResponse, code: string, asOf: string | undefined): Promise<PreparedAnswer | null> {
    const scope = await this.scopeOf(req, res, this.screenRoute);
    if (!scope) return null;
    const built = await this.svc().screen.builtScreenBody(code, asOf, scope);
    return built && preparedAnswer(req, built.body, SCREEN_CACHE_CONTROL, built.tail);
  }

  /** MetricsController.get (the same checks in the same order), from a prepared body only. */
  private async metrics(req: IncomingMessage, res: ServerResponse, code: string, asOfQ: string): Promise<PreparedAnswer | null> {
    const scope = await this.scopeOf(req, res, this.metricsRoute);
    if (!scope) return null;
    const metrics = this.svc().metrics;
    metrics.region(code);
    scope.assertCanSee(code);
    const asOf = await metrics.checkDay(asOfQ);
    const body = metrics.preparedFullJson(code, asOf);
    return body && preparedAnswer(req, body, METRICS_CACHE_CONTROL);
  }

  private send(res: ServerResponse, a: PreparedAnswer): OutgoingHttpHeaders {
    // One header object per distinct answer (body, status, encoding, length), reused: Node only reads it.
    const key = `${a.status}|${a.headers.map((h) => h[1]).join('|')}`;
    let headers = this.headerSets.get(key);
    if (!headers) {
      // An object, not a flat array: Node writes it about 1.4× faster. A 304 carries no content, so none of
      // the security headers that guard content (prepared-body.ts, sendPrepared): the same as the Nest route.
      headers = a.status === 304 ? {} : { ...this.security };
      for (const [k, v] of a.headers) headers[k] = v;
      if (this.headerSets.size >= 256) this.headerSets.clear();
      this.headerSets.set(key, headers);
    }
    res.writeHead(a.status, headers);
    if (a.out) res.end(a.out);
    else res.end();
    return headers;
  }
}
