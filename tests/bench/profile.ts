// Per-query timing of one refresh, one alert evaluation or one load on a data directory (docs/benchmarks.md):
//   node dist/server/tests/bench/profile.js refresh DATA_DIR [RUNS]   the last RUNS load runs (default 2) replayed as new
//   node dist/server/tests/bench/profile.js alerts DATA_DIR           one scheduled evaluation (it persists, like the job)
//   node dist/server/tests/bench/profile.js ingest DATA_DIR FILE…     one checked load of the files (it stays loaded)
// Prints the total, the peak RSS and the slowest queries on stderr; for a load, the time per query shape
// (numbers folded), and how the shape's calls grew from the first tenth of the load to the last (a cost that
// grows with what the run already staged shows there). The data directory must not be open elsewhere.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../backend/src/app.module';
import { openDatabase } from '../../backend/src/app.factory';
import { timeQueries } from '../../backend/src/clickhouse/clickhouse.provider';
import { loadConfig } from '../../backend/src/config/config';
import { AlertsService } from '../../backend/src/alerts/alerts.service';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { MetricsStateService } from '../../backend/src/metrics/metrics.state.service';

async function main(): Promise<void> {
  const [what, dataDir, runsArg, ...more] = process.argv.slice(2);
  if ((what !== 'refresh' && what !== 'alerts' && what !== 'ingest') || !dataDir) throw new Error('usage: profile.js refresh|alerts DATA_DIR [RUNS] | ingest DATA_DIR FILE…');
  const cfg = loadConfig({ ...process.env, DATA_DIR: dataDir, JOBS: 'off', DEMO: 'off' });
  const { ch } = await openDatabase(cfg);
  const log: Array<[number, string]> = [];
  const keep = (ms: number, _m: string, sql: string) => log.push([ms, sql.replace(/\s+/g, ' ').slice(0, 140)]);
  // The main client and the background one (the alert rule queries run there on the embedded engine).
  timeQueries(ch.client, keep);
  const bg = await ch.background();
  if (bg !== ch.client) timeQueries(bg, keep);
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
    const r = what === 'refresh' ? await app.get(MetricsService).refresh(true)
      : what === 'alerts' ? await app.get(AlertsService).runScheduled()
      : summary(await app.get(IngestService).loadFiles([runsArg!, ...more], { source: 'cli' }));
    const total = performance.now() - t0;
    clearInterval(iv);
    const inQueries = log.reduce((a, b) => a + b[0], 0);
    process.stderr.write(`${what}: ${(total / 1000).toFixed(1)} s, of which queries ${(inQueries / 1000).toFixed(1)} s; peak RSS ${Math.round(peak / 2 ** 20)} MB\n`);
    process.stderr.write(`${JSON.stringify(r).slice(0, 400)}\n`);
    if (what === 'ingest') byShape(log);
    else for (const [ms, q] of [...log].sort((a, b) => b[0] - a[0]).slice(0, 15)) process.stderr.write(`${(ms / 1000).toFixed(2).padStart(7)} s  ${q}\n`);
  } finally {
    await app.close();
  }
}

function summary(s: { accepted: number; rejected: number; inserted: number; failed: number }): unknown {
  return { accepted: s.accepted, rejected: s.rejected, inserted: s.inserted, failed: s.failed };
}

/** Query time per shape (numbers folded to N), the largest first, with the mean call of the first and last tenth. */
function byShape(log: ReadonlyArray<[number, string]>): void {
  const shapes = new Map<string, number[]>();
  for (const [ms, q] of log) {
    const k = q.replace(/\d+/g, 'N').slice(0, 110);
    const a = shapes.get(k) ?? [];
    a.push(ms);
    shapes.set(k, a);
  }
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
  for (const [k, a] of [...shapes].sort((x, y) => mean(y[1]) * y[1].length - mean(x[1]) * x[1].length).slice(0, 12)) {
    const tenth = Math.max(1, Math.floor(a.length / 10));
    process.stderr.write(
      `${(mean(a) * a.length / 1000).toFixed(2).padStart(7)} s  ${String(a.length).padStart(5)} calls, first/last tenth ${mean(a.slice(0, tenth)).toFixed(0)} / ${mean(a.slice(-tenth)).toFixed(0)} ms  ${k}\n`,
    );
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
