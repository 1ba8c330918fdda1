// `npm run bench -- care`: the metrics of kinds 9–12 (help plans and return
// visits, rights cases, 亮相 publications, 典型 stories, 10+N events) on the
// national-size campaign (tests/bench/national.ts, which loads the demo
// generator's care files too): the care state rebuilt after the person state,
// one day of every region from the kept state, and the back-fill of every
// campaign day into care snapshots — each through the path the product uses.
import * as os from 'node:os';
import { CLICKHOUSE, type ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { CareMetricsService } from '../../backend/src/care/care.metrics.service';
import { CareStateRepository } from '../../backend/src/care/care.state.repository';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { MetricsStateService } from '../../backend/src/metrics/metrics.state.service';
import { child, fmt, openContext } from './common';
import { ensureNational, specLabel, type NationalData } from './national';
import { report, type Figure } from './report';

const DAY = '2022-12-31';

interface CareFigures {
  sizes: { plans: number; visits: number; cases: number; publications: number; stories: number; events: number; careDays: number; overdue: number };
  personSyncMs: number;
  careRebuildMs: number;
  oneDayMs: number;
  backfillMs: number;
  backfillDays: number;
  load1: string;
}

function log(msg: string): void {
  process.stderr.write(`[care] ${msg}\n`);
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

async function measure(dataDir: string): Promise<CareFigures> {
  const app = await openContext(dataDir);
  try {
    const ch = app.get<ClickHouseHandle>(CLICKHOUSE);
    const count = async (q: string) => Number((await (await ch.client.query({ query: q, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);
    const care = app.get(CareMetricsService);
    const repo = app.get(CareStateRepository);
    const metrics = app.get(MetricsService);

    log('person state up to the loaded runs…');
    const [personSyncMs] = await timed(() => app.get(MetricsStateService).sync());
    log('care state from scratch (milestones, overdue intervals, day deltas)…');
    await repo.forget();
    const [careRebuildMs] = await timed(() => care.ensure());
    log(`  ${fmt(careRebuildMs / 1000, 1)} s`);

    log('one day, all regions, from the kept care state…');
    await repo.asOf(DAY);
    const xs: number[] = [];
    for (let i = 0; i < 5; i++) xs.push((await timed(() => repo.asOf(DAY)))[0]);
    xs.sort((a, b) => a - b);

    log('back-fill: every campaign day into care snapshots…');
    const version = await metrics.dataVersion();
    const [backfillMs] = await timed(() => care.writeSnapshots('2022-07-01', '2022-12-31', version));
    log(`  ${fmt(backfillMs / 1000, 1)} s`);

    const sizes = {
      plans: await count('SELECT uniqExact(plan_id) AS n FROM plan_raw'),
      visits: await count(`SELECT uniqExact(record_id) AS n FROM service_raw WHERE service_type = '跟踪回访'`),
      cases: await count('SELECT uniqExact(case_id) AS n FROM rights_raw'),
      publications: await count('SELECT uniqExact(publication_id) AS n FROM publicity_raw'),
      stories: await count('SELECT uniqExact(story_id) AS n FROM story_raw'),
      events: await count('SELECT uniqExact(event_id) AS n FROM event_raw'),
      careDays: await count('SELECT count() AS n FROM care_days'),
      overdue: await count('SELECT count() AS n FROM care_overdue'),
    };
    return { sizes, personSyncMs, careRebuildMs, oneDayMs: xs[2]!, backfillMs, backfillDays: 184, load1: os.loadavg()[0]!.toFixed(2) };
  } finally {
    await app.close();
  }
}

const s = (ms: number, d = 2) => fmt(ms / 1000, d);

export async function benchCare(): Promise<CareFigures> {
  const nat: NationalData = await ensureNational();
  const loadBefore = os.loadavg()[0]!.toFixed(2);
  const f = await child<CareFigures>(__filename, ['measure', nat.dataDir]);
  const z = f.sizes;
  const figures: Figure[] = [
    { name: 'data', value: `${specLabel(nat.spec)}; ${fmt(z.plans)} help plans, ${fmt(z.visits)} 跟踪回访 records, ${fmt(z.cases)} rights cases, ${fmt(z.publications)} publications, ${fmt(z.stories)} stories, ${fmt(z.events)} events` },
    { name: 'person state brought up to the loaded runs first (person_spans; here built from scratch — the metrics bench measures it)', value: s(f.personSyncMs, 1), unit: 's' },
    { name: `care state rebuilt from scratch (care_marks, ${fmt(z.overdue)} overdue intervals, ${fmt(z.careDays)} day-delta rows)`, value: s(f.careRebuildMs, 1), unit: 's' },
    { name: `one day (${DAY}), every region, from the kept care state (care_as_of.sql), median of 5`, value: s(f.oneDayMs, 3), unit: 's', goal: '≤ 1 s', met: f.oneDayMs <= 1000 },
    { name: `back-fill: ${f.backfillDays} days × 84 regions from the kept care state into care_snapshots`, value: s(f.backfillMs, 1), unit: 's', goal: '≤ 60 s', met: f.backfillMs <= 60_000 },
    { name: 'machine load (1-min average)', value: `load ${loadBefore} before, ${f.load1} after` },
  ];
  report('care', 'npm run bench -- care', figures, [
    'The care state is rebuilt whole whenever load runs were added (plans, visits of planned persons and the record kinds are small beside the ledger and the services); the person state it joins (person_spans) is kept incrementally by the metric state sync.',
    'An incremental refresh therefore costs the person state sync plus the care state rebuild above plus the back-fill.',
  ]);
  return f;
}

if (require.main === module) {
  const [mode, dataDir] = process.argv.slice(2);
  if (mode !== 'measure') throw new Error(`unknown mode ${mode}`);
  measure(dataDir!)
    .then((r) => process.stdout.write(JSON.stringify(r) + '\n'))
    .catch((e: unknown) => {
      process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
      process.exit(1);
    });
}
