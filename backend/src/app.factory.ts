// Builds the configured Nest application; shared by `npm start`, the tests
// and the CLI so all three run the same wiring.
import * as fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import * as path from 'node:path';
import { ConsoleLogger, ValidationPipe, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { HotGet, type SyncMiddleware } from './common/hot-get';
import { openClickHouse, type ClickHouseHandle } from './clickhouse/clickhouse.provider';
import { MigrationsRepository, type MigrationResult } from './clickhouse/migrations.repository';
import type { AppConfig } from './config/config';
import { RegionsRepository } from './regions/regions.repository';
import type { CampaignRuntime } from './campaigns/campaigns.runtime';

export function makeLogger(cfg: AppConfig): LoggerService {
  return new ConsoleLogger({ json: cfg.logFormat === 'json', colors: cfg.logFormat !== 'json' && process.stdout.isTTY });
}

/** Opens ClickHouse and brings the schema and the region tree up to date. */
export async function openDatabase(cfg: AppConfig): Promise<{ ch: ClickHouseHandle; migrations: MigrationResult }> {
  const ch = await openClickHouse(cfg);
  try {
    const migrations = await new MigrationsRepository(ch).migrate();
    await new RegionsRepository(ch).sync();
    return { ch, migrations };
  } catch (e) {
    await ch.close().catch(() => undefined);
    throw e;
  }
}

/** helmet's settings; the hot GET path sends the very headers this sets. */
const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
  // The app loads only its own scripts, styles, fonts and data; ECharts draws to canvas.
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'self'"],
    },
  },
  crossOriginEmbedderPolicy: false,
};

/**
 * A wall screen opens /screen?token=…; its API calls may carry the token the same way.
 * Moved into a header before routing so no query DTO has to know about it. Running it
 * twice changes nothing (the hot GET path runs it, then maybe the Nest path).
 */
export function moveScreenToken(req: IncomingMessage): void {
  const url = req.url ?? '';
  if (url.startsWith('/api/') && url.includes('token=')) {
    const u = new URL(url, 'http://local');
    const token = u.searchParams.get('token');
    if (token) {
      req.headers['x-screen-token'] = token;
      u.searchParams.delete('token');
      req.url = u.pathname + (u.searchParams.size ? `?${u.searchParams.toString()}` : '');
    }
  }
}

export interface AppOptions {
  /**
   * The campaign years of the install (campaigns/campaigns.runtime.ts): given to the home year's application,
   * which hands another year's API requests to that year's application.
   */
  campaigns?: CampaignRuntime;
  /** Another year's application: not listening, closed by the home one (no signal handlers of its own). */
  inner?: boolean;
}

export async function createApp(cfg: AppConfig, ch: ClickHouseHandle, logger: LoggerService | false = makeLogger(cfg), opts: AppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(cfg, ch), {
    logger: logger === false ? false : logger,
    abortOnError: false,
    bodyParser: false,
  });
  if (!opts.inner) app.enableShutdownHooks();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const parseCookies = cookieParser();
  app.use(parseCookies);
  const securityHeaders = helmet(HELMET_OPTIONS);
  app.use(securityHeaders);
  app.use((req: Request, _res: Response, next: NextFunction) => {
    moveScreenToken(req);
    next();
  });
  const campaigns = opts.campaigns;
  if (campaigns) app.use(campaigns.dispatcher());
  // The wall's and the workbench's hot GETs from their prepared bodies, before all of the above (common/hot-get.ts).
  // cookie-parser is typed for Express requests but reads only req.headers.cookie (and sets req.cookies).
  if (cfg.hotGet) {
    HotGet.install(app, {
      parseCookies: parseCookies as unknown as SyncMiddleware, securityHeaders, moveScreenToken,
      ...(campaigns && campaigns.list().length > 1 ? { belongsHere: (req: IncomingMessage) => campaigns.belongsHome(req) } : {}),
    });
  }
  app.useBodyParser('json', { limit: '256kb' });
  app.useBodyParser('urlencoded', { limit: '64kb', extended: false });
  // The map and the screen bundle are large JSON/JS; server-sent events must not be buffered.
  app.use(compression({ filter: (req, res) => req.headers.accept !== 'text/event-stream' && compression.filter(req, res) }));
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('吉林省离校未就业高校毕业生服务攻坚行动 API')
      .setDescription('Regions, ingestion, metrics and alerts of the campaign dashboard.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs/openapi.json' });

  const index = path.join(cfg.webDir, 'index.html');
  if (fs.existsSync(index)) {
    app.useStaticAssets(cfg.webDir, { index: false, maxAge: '1h' });
  }
  // Client-side routes (/, /screen, /r/...) all get the app shell; /api stays the API's.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api')) return next();
    if (!fs.existsSync(index)) {
      res.status(503).type('text/plain; charset=utf-8').send('前端尚未构建：请运行 npm run build:web（npm start 会自动构建）。');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return app;
}
