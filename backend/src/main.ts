// `npm start`: open the engine, migrate, serve the app.
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { StartupError } from './clickhouse/clickhouse.provider';
import { createApp, makeLogger, openDatabase } from './app.factory';
import { DemoLoader } from './demo/demo.loader';
import { IngestService } from './ingest/ingest.service';
import { AuthService } from './auth/auth.service';
import { ControlChannel } from './backup/backup.control';
import { campaignConfig } from './metrics/campaign.config';
import { CampaignRuntime } from './campaigns/campaigns.runtime';

async function main(): Promise<void> {
  const cfg = loadConfig();
  // A CAMPAIGN_CONFIG that makes no sense stops the start here, saying what is wrong.
  campaignConfig();
  const logger = makeLogger(cfg);
  const { ch, migrations } = await openDatabase(cfg);
  if (migrations.applied.length) logger.log(`applied migrations: ${migrations.applied.join(', ')}`, 'Migrations');
  // The campaign years of this install; the home year's application serves and hands the others' requests on.
  const campaigns = await CampaignRuntime.open(cfg, ch);
  const app = await createApp(campaigns.appConfig(campaigns.homeYear), ch, logger, { campaigns });
  campaigns.attach(campaigns.homeYear, app);
  await app.get(DemoLoader).prepareCampaigns(campaigns);
  await campaigns.startOthers((c, h, l) => createApp(c, h, l, { inner: true }), logger);
  // Only the instance that runs the jobs loads data, so only it may clean up after a crash — or any
  // instance on the embedded engine, whose folder lock makes it the only one.
  if (cfg.jobs || ch.engine === 'embedded') {
    for (const c of campaigns.list()) {
      const stale = await campaigns.appOf(c.year)!.get(IngestService).recoverAbandoned();
      if (stale) logger.warn?.(`marked ${stale} interrupted load run(s) of ${c.year} as failed; their files load again on the next pull`, 'Ingest');
    }
  }
  const admin = await app.get(AuthService).ensureAdmin();
  if (admin.generated) {
    // Shown once, on the console only: the first sign-in needs it.
    process.stdout.write(`\n首次启动已创建管理员账户 admin，初始密码（仅显示这一次）：${admin.generated}\n` +
      `First start created the account "admin" with the password above (shown once). Set ADMIN_PASSWORD to choose it.\n\n`);
  }
  await app.get(DemoLoader).loadIfEmpty();
  try {
    await app.listen(cfg.port);
  } catch (e) {
    await app.close();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(`port ${cfg.port} is already in use. Stop what uses it, or set PORT to another port.`);
    }
    throw e;
  }
  // The CLI's way in while this process holds DATA_DIR (npm run cli -- backup).
  if (ch.engine === 'embedded') await app.get(ControlChannel).listen();
  const years = campaigns.list().map((c) => `${c.year}${c.archived ? ' (archived)' : ''}`).join(', ');
  // The demo's other campaign year loads while the home one already serves (its requests see an empty year meanwhile).
  void (async () => {
    for (const c of campaigns.list()) if (!c.home) await campaigns.appOf(c.year)!.get(DemoLoader).loadIfEmpty();
  })().catch((e: unknown) => logger.error(`demo load of another campaign year failed: ${e instanceof Error ? e.message : String(e)}`, 'Demo'));
  logger.log(`serving http://localhost:${cfg.port} (ClickHouse: ${ch.engine}, DATA_DIR=${cfg.dataDir}, campaigns: ${years})`, 'Main');
}

main().catch((e: unknown) => {
  if (e instanceof StartupError || e instanceof ConfigError) {
    process.stderr.write(`启动失败 / cannot start: ${e.message}\n`);
  } else {
    process.stderr.write(`启动失败 / cannot start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }
  process.exit(1);
});
