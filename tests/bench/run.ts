// `npm run bench` runs every benchmark; `npm run bench -- <name>` runs one.
import { benchIngest } from './ingest.bench';
import { benchMetrics } from './metrics.bench';
import { benchPostgres } from './postgres.bench';
import { benchApi } from './api.bench';
import { benchSse } from './sse.bench';
import { benchScreenReport } from './screen.report';
import { benchNational } from './load.bench';
import { benchWall } from './wall.bench';
import { benchMeasures } from './measures.bench';
import { benchCare } from './care.bench';

// In this order: metrics writes the snapshots the api bench serves; all but ingest and screen share the national data (national.ts).
const BENCHES: Record<string, () => Promise<unknown>> = {
  ingest: benchIngest,
  metrics: benchMetrics,
  postgres: benchPostgres,
  api: benchApi,
  sse: benchSse,
  wall: benchWall,
  screen: benchScreenReport,
  measures: benchMeasures,
  care: benchCare,
};

/** Run only when named: it generates and loads the whole campaign from scratch. */
const ON_REQUEST: Record<string, () => Promise<unknown>> = { national: benchNational };

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !BENCHES[n] && !ON_REQUEST[n]);
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')} (have: ${[...Object.keys(BENCHES), ...Object.keys(ON_REQUEST)].join(', ')})`);
  for (const n of names.length ? names : Object.keys(BENCHES)) {
    process.stderr.write(`— bench ${n}\n`);
    await (BENCHES[n] ?? ON_REQUEST[n])!();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
