// Per-query timing of one refresh or one alert evaluation on a loaded data directory (docs/benchmarks.md):
//   node dist/server/tests/bench/profile.js refresh DATA_DIR [RUNS]   the last RUNS load runs (default 2) replayed as new
//   node dist/server/tests/bench/profile.js alerts DATA_DIR           one scheduled evaluation (it persists, like the job)
// Prints the total, the peak RSS and the slowest queries on stderr. The data directory must not be open elsewhere.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../backend/src/app.module';
import { openDatabase } from '../../backend/src/app.factory';
import { loadConfig } from '../../backend/src/config/config';
import { AlertsService } from '../../backend/src/alerts/alerts.service';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { MetricsStateService } from '../../backend/src/metrics/metrics.state.service';

async function main(): Promise<void> {
  const [what, dataDir, runsArg] = process.argv.slice(2);
  if ((what !== 'refresh' && what !== 'alerts') || !dataDir) throw new Error('usage: profile.js refresh|alerts DATA_DIR [RUNS]');
  const cfg = loadConfig({ ...process.env, DATA_DIR: dataDir, JOBS: 'off', DEMO: 'off' });
  const { ch } = await openDatabase(cfg);
  const client = ch.client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const log: Array<[number, string]> = [];
  for (const m of ['command', 'query', 'insert', 'exec']) {
    const orig = client[m]?.bind(ch.client);
    if (!orig) continue;
    client[m] = async (...a: unknown[]) => {
      const t0 = performance.now();
      const r = await orig(...a);
      const arg = a[0] as { query?: string; table?: string };
      log.push([performance.now() - t0, (arg.query ?? `insert ${arg.table}`).replace(/\s+/g, ' ').slice(0, 140)]);
      return r;
    };
  }
  const app = await NestFactory.createApplicationContext(AppModule.register(cfg, ch), { logger: ['error'] });
  try {
    if (what === 'refresh') {
      const state = app.get(MetricsStateService);
      const rec = await state.repo.load();
      if (!rec) throw new Error('no kept metric state: run a refresh first');
      await state.repo.save({ runs: rec.runs.slice(0, Math.max(0, rec.runs.length - Number(runsArg ?? 2))), rules: rec.rules });
    }
    log.length = 0;
    let peak = 0;
    const iv = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const t0 = performance.now();
    const r = what === 'refresh' ? await app.get(MetricsService).refresh(true) : await app.get(AlertsService).runScheduled();
    const total = performance.now() - t0;
    clearInterval(iv);
    const inQueries = log.reduce((a, b) => a + b[0], 0);
    process.stderr.write(`${what}: ${(total / 1000).toFixed(1)} s, of which queries ${(inQueries / 1000).toFixed(1)} s; peak RSS ${Math.round(peak / 2 ** 20)} MB\n`);
    process.stderr.write(`${JSON.stringify(r).slice(0, 400)}\n`);
    for (const [ms, q] of [...log].sort((a, b) => b[0] - a[0]).slice(0, 15)) process.stderr.write(`${(ms / 1000).toFixed(2).padStart(7)} s  ${q}\n`);
  } finally {
    await app.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
